#!/usr/bin/env python3
"""Edit-to-served latency and memory of `playbook serve`.

For each size, generates a playbook with bench/gen_corpus.py (kept in
bench/out/corpus-N), starts `playbook serve` on a free port and runs these
edits, each N times (default 9), alternating between two states so every
edit is a real change:

  body     a line added to page-0001's body; page-0001 must show it
  summary  page-0001's summary changed; its level's page must show it
  levels   a level added to, then removed from, page-0001; that level's page
           must list it, then not
  answer   the target of page-0001's first answer switched between two pages;
           the new target's "led here by" list must link to the question
  add      a new page written, then deleted; it must be served, then 404

For each edit it records the time from the write to the changed page being
served, the way an open browser tab sees it: it listens to serve's
live-reload event stream, and when an event names the page, fetches it once
and checks that it shows the edit (if not, it waits for the next event). The
server publishes every changed file at once, so one dependent page stands for
all of them. (Polling the page instead, every 0.5 ms, adds the poller's own
load: a level page is 1 MB, and fetching it 2,000 times a second takes most
of one of this machine's two cores away from the server.) Afterwards it
reads the server's peak and current RSS from /proc. Prints medians and the
spread.

    python3 bench/serve_latency.py                # 1000 and 10000 pages
    python3 bench/serve_latency.py 10000 --edits 15
"""

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PAGE = "page-0001"
LEVELS = ["impact", "execution", "optics"]


def corpus(n, gen):
    out = os.path.join(HERE, "out", "corpus-%d" % n)
    if not os.path.isdir(os.path.join(out, "playbook")):
        subprocess.run([sys.executable, gen, str(n), out, "--force"], check=True, stdout=subprocess.DEVNULL)
    return os.path.join(out, "playbook")


class Server:
    def __init__(self, binary, book):
        self.proc = subprocess.Popen(
            [binary, "serve", book, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        line = self.proc.stdout.readline()
        self.port = int(line.split("127.0.0.1:")[1].split("/")[0])
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port)
        self.events = http.client.HTTPConnection("127.0.0.1", self.port)
        self.events.request("GET", "/__playbook/events")
        self.stream = self.events.getresponse()
        assert self.stream.status == 200, self.stream.status
        self.next_event(time.perf_counter() + 10)  # the current state

    def get(self, path):
        self.conn.request("GET", path)
        response = self.conn.getresponse()
        return response.status, response.read()

    def next_event(self, deadline):
        """The `changed` list of the next live-reload event (None: everything)."""
        data = None
        while time.perf_counter() < deadline:
            line = self.stream.readline().decode()
            if line.startswith("data: "):
                data = json.loads(line[len("data: "):])
            elif line in ("\n", "\r\n") and data is not None:
                return data["changed"]
        raise SystemExit("no live-reload event within 30 s")

    def memory_mb(self):
        status = open("/proc/%d/status" % self.proc.pid).read()
        field = lambda name: int(re.search(name + r":\s+(\d+) kB", status).group(1)) / 1024
        return field("VmHWM"), field("VmRSS")

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def timed(server, write, path, shown):
    """Milliseconds from `write()` until a live-reload event names `path`
    and fetching it then shows the edit (`shown(status, body)`)."""
    start = time.perf_counter()
    deadline = start + 30
    file = path.lstrip("/") + ("index.html" if path.endswith("/") else "")
    write()
    while True:
        changed = server.next_event(deadline)
        if changed is None or file in changed:
            status, body = server.get(path)
            if shown(status, body):
                return (time.perf_counter() - start) * 1000


def scenarios(book):
    content = os.path.join(book, "content")
    page = os.path.join(content, PAGE + ".md")
    original = open(page, encoding="utf-8").read()
    level = re.search(r"^levels: \[(\w+)", original, re.M).group(1)
    other_level = next(l for l in LEVELS if l not in re.search(r"^levels: \[(.*)\]", original, re.M).group(1))
    first_target = re.search(r"leads_to: (page-\d+)", original).group(1)
    second_target = "page-0002" if first_target != "page-0002" else "page-0003"
    added = os.path.join(content, "bench-added.md")

    def write(text):
        def go():
            with open(page, "w", encoding="utf-8") as f:
                f.write(text)
        return go

    def body(i):
        marker = "serve-latency-body-%d" % i
        return write(original + "\n" + marker + "\n"), "/%s/" % PAGE, lambda s, b: marker.encode() in b

    def summary(i):
        marker = "serve-latency-summary-%d" % i
        text = re.sub(r"^summary: .*$", 'summary: "%s"' % marker, original, count=1, flags=re.M)
        return write(text), "/levels/%s/" % level, lambda s, b: marker.encode() in b

    def levels(i):
        link = ("../../%s/index.html" % PAGE).encode()
        if i % 2 == 0:
            text = re.sub(r"^levels: \[", "levels: [%s, " % other_level, original, count=1, flags=re.M)
            return write(text), "/levels/%s/" % other_level, lambda s, b: link in b
        return write(original), "/levels/%s/" % other_level, lambda s, b: s == 200 and link not in b

    def answer(i):
        target = second_target if i % 2 == 0 else first_target
        text = original.replace("leads_to: %s" % first_target, "leads_to: %s" % target, 1)
        anchor = ("#q-%s-q1" % PAGE).encode()
        return write(text), "/%s/" % target, lambda s, b: anchor in b

    def add(i):
        if i % 2 == 0:
            marker = "serve-latency-added-%d" % i

            def create():
                with open(added, "w", encoding="utf-8") as f:
                    f.write("---\ntitle: Added\nlevels: [%s]\n---\n\n%s\n" % (level, marker))
            return create, "/bench-added/", lambda s, b: marker.encode() in b
        return lambda: os.remove(added), "/bench-added/", lambda s, b: s == 404

    def restore():
        with open(page, "w", encoding="utf-8") as f:
            f.write(original)
        if os.path.exists(added):
            os.remove(added)

    return [("body", body), ("summary", summary), ("levels", levels), ("answer", answer), ("add", add)], restore


def measure(binary, book, edits):
    cases, restore = scenarios(book)
    restore()
    server = Server(binary, book)
    results = {}
    try:
        for name, case in cases:
            times = []
            for i in range(edits):
                write, path, shown = case(i)
                times.append(timed(server, write, path, shown))
                time.sleep(0.2)  # let the watcher settle between edits
            results[name] = times
            restore()
            time.sleep(0.3)
        return results, server.memory_mb()
    finally:
        restore()
        server.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    ap.add_argument("--edits", type=int, default=9)
    ap.add_argument("--gen", default=os.path.join(ROOT, "bench", "gen_corpus.py"))
    a = ap.parse_args()
    if a.edits < 7:
        ap.error("use at least 7 edits")
    binary = os.environ.get("PLAYBOOK_BIN")
    if not binary:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        binary = os.path.join(ROOT, "target", "release", "playbook")
    print("ms from write to the change served, %d edits each; memory of the server afterwards" % a.edits)
    print("%-7s %-8s %8s %8s %8s" % ("pages", "edit", "median", "min", "max"))
    for n in a.sizes:
        results, (peak, now) = measure(binary, corpus(n, a.gen), a.edits)
        for name, times in results.items():
            print("%-7d %-8s %8.1f %8.1f %8.1f" % (n, name, statistics.median(times), min(times), max(times)))
        print("%-7d memory   peak %.0f MiB, now %.0f MiB" % (n, peak, now))


if __name__ == "__main__":
    main()
