#!/usr/bin/env python3
"""Search benchmark (issue 13): what a query costs a reader, and what the
index costs a build, on gen_corpus pages.

    python3 bench/search.py                 # 10,000 and 100,000 pages
    SIZES=10000 RUNS=3 python3 bench/search.py

For each size it reports, medians over the queries (typed into the header's
field at eight keystrokes a second, in a fresh browser, from disk):
- the bytes of index files a typical two-word query loads: the shards
  (what the budget counts) and everything (meta.js, the results' document
  rows and texts);
- the time from a keystroke to the new results on screen, once the shards
  are loaded;
- the index's size on disk next to the site's;
and at the first size, the build time with and without search
(`[build] search = false`), interleaved, and the size of the one
`searchindex.js` mdBook makes of the same pages (when `mdbook` is
installed), which its readers load whole before any result.

The browser half is tests/browser/search_bench.mjs (Debian's chromium and
tests/browser's npm packages, as the browser tests need). Sites are written
under /dev/shm when it exists, so the disk is not what is measured. The
machine is shared: read the medians and the ratio within one run.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out")
SITES = "/dev/shm/playbook-search-bench" if os.access("/dev/shm", os.W_OK) else os.path.join(OUT, "sites")
SIZES = [int(n) for n in os.environ.get("SIZES", "10000 100000").split()]
# Pairs of builds. On this 2-core shared VM the ratio of medians of 9
# moved between +13.8% and +18.5% from one run of the script to the next
# (same binary, minutes apart), and of 21 between +15.6% and +17.8%: the
# load of the machine drifts. Each pair's own ratio cancels the drift, so
# its median and quartiles are what to quote.
RUNS = int(os.environ.get("RUNS", "21"))
GEN = os.environ.get("GEN_CORPUS", os.path.join(ROOT, "bench", "gen_corpus.py"))
BIN = os.path.join(ROOT, "target", "release", "playbook")
# Two words of the corpus's vocabulary each, as a reader of such a book
# would look for them.
QUERIES = ["stakeholder roadmap", "escalation budget", "hidden launches", "customer feedback", "design reviews"]


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def corpus(n, variants):
    folder = os.path.join(OUT, "search-corpus-%d" % n)
    stamp = os.path.join(folder, ".generated")
    want = "%s %s" % (os.path.getmtime(GEN), variants)
    if not (os.path.exists(stamp) and open(stamp).read() == want):
        print("generating %d pages (%s)..." % (n, variants), flush=True)
        run([sys.executable, GEN, str(n), folder, "--variants", variants, "--force"])
        with open(stamp, "w") as f:
            f.write(want)
    return folder


def without_search(playbook):
    """A copy of the playbook's book.toml, beside its content, that turns
    search off: the same pages, built without the index."""
    folder = playbook + "-nosearch"
    content = os.path.join(folder, "content")
    if not os.path.exists(content):
        # Hard links: the same files, inside the copy's own folder (a
        # symlink out of it is refused, as it should be).
        shutil.copytree(os.path.join(playbook, "content"), content, copy_function=os.link)
    with open(os.path.join(playbook, "book.toml")) as f:
        config = f.read()
    with open(os.path.join(folder, "book.toml"), "w") as f:
        f.write(config + "\n[build]\nsearch = false\n")
    return folder


def timed_build(playbook, out):
    """Wall and CPU (user + system) seconds of one fresh build."""
    shutil.rmtree(out, ignore_errors=True)
    started = time.monotonic()
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen([BIN, "build", playbook, "-d", out], stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.monotonic() - started
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            sys.exit("build of %s failed: %s" % (playbook, errors.read().decode()))
    return wall, usage.ru_utime + usage.ru_stime


def quartiles(values):
    """The median and the quartiles around it."""
    if len(values) < 2:
        return values[0], values[0], values[0]
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[1], q[0], q[2]


def build_cost(playbook, plain, site):
    """What search adds to a fresh build, from RUNS interleaved pairs: the
    ratio of each pair (one with search beside one without, so a change in
    the machine's load between pairs cancels out), in wall and CPU time."""
    timed_build(playbook, site)  # warm the page cache
    pairs = []
    for r in range(RUNS):
        names = ["search", "none"] if r % 2 == 0 else ["none", "search"]
        times = {name: timed_build(playbook if name == "search" else plain, site + "-" + name) for name in names}
        pairs.append((times["search"], times["none"]))
    with_s = statistics.median(s[0] for s, _ in pairs)
    without_s = statistics.median(n[0] for _, n in pairs)
    wall, wall_lo, wall_hi = quartiles([s[0] / n[0] for s, n in pairs])
    cpu, _, _ = quartiles([s[1] / n[1] for s, n in pairs])
    return with_s, without_s, wall, wall_lo, wall_hi, cpu


def size_of(path):
    total = 0
    for folder, _, files in os.walk(path):
        total += sum(os.path.getsize(os.path.join(folder, f)) for f in files)
    return total


def browser(site):
    node = os.path.join(ROOT, "tests", "browser")
    if not os.path.isdir(os.path.join(node, "node_modules", "playwright-core")):
        run(["npm", "ci", "--no-audit", "--no-fund"], cwd=node)
    lines = run(["node", "search_bench.mjs", site] + QUERIES, cwd=node).stdout.splitlines()
    return [json.loads(line) for line in lines if line.startswith("{")]


def kb(n):
    return "%.0f kB" % (n / 1000)


def main():
    run(["cargo", "build", "--release", "--quiet"], cwd=ROOT)
    os.makedirs(SITES, exist_ok=True)
    rows = []
    for k, n in enumerate(SIZES):
        first = k == 0
        has_mdbook = first and shutil.which("mdbook") is not None
        folder = corpus(n, "playbook,mdbook" if has_mdbook else "playbook")
        playbook = os.path.join(folder, "playbook")
        site = os.path.join(SITES, "search-%d" % n)
        if first:
            plain = without_search(playbook)
            with_s, without_s, wall, lo, hi, cpu = build_cost(playbook, plain, site)
            print("%d pages: build %.2f s with search, %.2f s without (medians of %d interleaved pairs); "
                  "per pair, search adds +%.1f%% wall (quartiles +%.1f%% to +%.1f%%) and +%.1f%% CPU"
                  % (n, with_s, without_s, RUNS, 100 * (wall - 1), 100 * (lo - 1), 100 * (hi - 1), 100 * (cpu - 1)),
                  flush=True)
        timed_build(playbook, site)
        index_size, site_size = size_of(os.path.join(site, "search")), size_of(site)
        queries = browser(site)
        shards = statistics.median(q["by_kind"].get("shard", 0) for q in queries)
        total = statistics.median(q["index_bytes"] for q in queries)
        keystroke = statistics.median(q.get("keystroke_ms_median", float("nan")) for q in queries)
        for q in queries:
            print("  %-22s %s shards, %s in all (%d files), keystroke %.1f ms (max %.1f), %s"
                  % (q["query"], kb(q["by_kind"].get("shard", 0)), kb(q["index_bytes"]), q["files"],
                     q.get("keystroke_ms_median", float("nan")), q.get("keystroke_ms_max", float("nan")), q["results"]),
                  flush=True)
        mdbook = None
        if has_mdbook:
            # mdBook takes minutes here (8 at 10,000 pages): built once per corpus.
            book = os.path.join(folder, "mdbook")
            built = os.path.join(book, "book")
            found = lambda: [f for f in os.listdir(built) if f.startswith("searchindex") and f.endswith(".js")]
            if not (os.path.isdir(built) and found() and os.path.getmtime(built) > os.path.getmtime(os.path.join(folder, ".generated"))):
                print("building the mdBook of %d pages..." % n, flush=True)
                shutil.rmtree(built, ignore_errors=True)
                run(["mdbook", "build"], cwd=book)
            mdbook = sum(os.path.getsize(os.path.join(built, f)) for f in found())
        rows.append((n, shards, total, keystroke, index_size, site_size, mdbook, queries[0]["script_bytes"]))
    print()
    print("| pages | shards loaded per query | all index files per query | keystroke to results | index on disk | site | mdBook's searchindex.js |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for n, shards, total, keystroke, index_size, site_size, mdbook, scripts in rows:
        print("| %d | %s | %s | %.1f ms | %.1f MB | %.1f MB | %s |" % (
            n, kb(shards), kb(total), keystroke, index_size / 1e6, site_size / 1e6,
            "%.1f MB" % (mdbook / 1e6) if mdbook else "not measured"))
    print("\nsearch.js and search-stem.js, loaded once: %s" % kb(rows[0][7]))


if __name__ == "__main__":
    main()
