#!/usr/bin/env python3
"""The probes of issue 9, re-run against the release binary: what a hostile
contributor or a careless user does, and what playbook did.

    python3 bench/trust_probes.py                  # every probe
    python3 bench/trust_probes.py concurrent kill  # some of them

Probes:
  symlink     a page linked to /proc/self/environ and a folder linked to a
              fake ~/.ssh: exit status, code, whether the secret was published
  concurrent  10 rounds of two builds of a 10,000-page playbook into one
              output at once: exit statuses, messages, completeness
  kill        10 builds killed with SIGKILL at random points: is the published
              site always the old or the new one, whole?
  yaml        time to reject a 63.5 KiB frontmatter of `[`
  serve       a normal client's page latency while 300 slow clients and 500
              reload streams are connected; serve's threads and memory then

Generates the 10,000-page playbook with bench/gen_corpus.py.
"""

import hashlib
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("PLAYBOOK_BIN", os.path.join(ROOT, "target", "release", "playbook"))
GEN = os.environ.get("GEN_CORPUS", os.path.join(ROOT, "bench", "gen_corpus.py"))
WORK = os.path.join(ROOT, "bench", "out", "trust")


def run(args, **kw):
    return subprocess.run([BIN] + args, capture_output=True, text=True, **kw)


def corpus(n):
    path = os.path.join(ROOT, "bench", "out", f"corpus-{n}", "playbook")
    if not os.path.isdir(path):
        subprocess.run(["python3", GEN, str(n), os.path.dirname(path), "--variants", "playbook", "--force"],
                       check=True, stdout=subprocess.DEVNULL)
    return path


def fresh_copy(src, name):
    dst = os.path.join(WORK, name)
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst, symlinks=True, ignore=shutil.ignore_patterns("book", ".book.*"))
    return dst


def digest(site):
    """path -> sha256 of every file of a built site."""
    out = {}
    for base, _, files in os.walk(site):
        for f in files:
            p = os.path.join(base, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, site)] = hashlib.sha256(fh.read()).hexdigest()
    return out


def reference(book):
    ref = os.path.join(WORK, "reference")
    shutil.rmtree(ref, ignore_errors=True)
    r = run(["build", book, "-d", ref])
    assert r.returncode == 0, r.stderr
    d = digest(ref)
    shutil.rmtree(ref)
    return d


def probe_symlink():
    book = os.path.join(WORK, "symlink")
    shutil.rmtree(book, ignore_errors=True)
    os.makedirs(os.path.join(book, "content"))
    home = os.path.join(WORK, "fake-home")
    os.makedirs(os.path.join(home, ".ssh"), exist_ok=True)
    with open(os.path.join(home, ".ssh", "id_rsa"), "w") as f:
        f.write("-----BEGIN OPENSSH PRIVATE KEY----- hunter2")
    with open(os.path.join(book, "content", "index.md"), "w") as f:
        f.write("# Home\n")
    os.symlink("/proc/self/environ", os.path.join(book, "content", "x.md"))
    os.symlink(os.path.join(home, ".ssh"), os.path.join(book, "content", "keys"))
    env = dict(os.environ, CI_SECRET="hunter2")
    r = run(["build", book], env=env)
    published = any("hunter2" in open(os.path.join(b, f), errors="replace").read()
                    for b, _, fs in os.walk(os.path.join(book, "book")) for f in fs)
    codes = sorted({line.split("]")[0].split("[")[1] for line in r.stderr.splitlines() if line.startswith("error[")})
    return [("symlink publish", f"exit {r.returncode}, codes {', '.join(codes)}, secret published: "
             f"{'YES' if published or 'hunter2' in r.stderr else 'no'}")]


def probe_concurrent():
    book = fresh_copy(corpus(10000), "concurrent")
    whole = reference(book)
    rows = []
    complete = 0
    for round_ in range(10):
        procs = [subprocess.Popen([BIN, "build", book], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
        outs = [(p.wait(), p.stderr.read()) for p in procs]
        site = digest(os.path.join(book, "book"))
        ok = site == whole
        complete += ok
        summary = "; ".join(f"exit {code}: " + " / ".join(l.strip() for l in err.splitlines()
                                                         if l.startswith(("built", "waiting", "error")))
                            for code, err in outs)
        rows.append((f"concurrent round {round_ + 1}", f"{'whole' if ok else 'BROKEN'} ({len(site)} files); {summary}"))
    rows.append(("concurrent builds", f"{complete}/10 published sites whole, {len(whole)} files each"))
    return rows


def probe_kill():
    book = fresh_copy(corpus(10000), "kill")
    r = run(["build", book])
    assert r.returncode == 0, r.stderr
    old = digest(os.path.join(book, "book"))
    page = os.path.join(book, "content", "page-0001.md")
    original = open(page).read()
    with open(page, "w") as f:
        f.write(original + "\nEdited.\n")
    new = reference(book)
    t0 = time.time()
    run(["build", book])
    full = time.time() - t0
    # Back to the old text, so each killed build may publish either.
    rng = random.Random(9)
    whole = 0
    rows = []
    for round_ in range(10):
        with open(page, "w") as f:
            f.write(original if round_ % 2 == 0 else original + "\nEdited.\n")
        delay = rng.uniform(0, full * 1.5)
        p = subprocess.Popen([BIN, "build", book], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)
        p.wait()
        site = digest(os.path.join(book, "book"))
        which = "old" if site == old else "new" if site == new else "NEITHER"
        whole += which != "NEITHER"
        rows.append((f"kill -9 at {delay:.2f}s", f"published site: {which}"))
    r = run(["build", book])
    leftovers = [n for n in os.listdir(book) if "playbook" in n]
    rows.append(("kill -9, 10 builds", f"{whole}/10 whole; next build exit {r.returncode}, "
                                       f"leftovers after it: {leftovers or 'none'}; clean exit {run(['clean', book]).returncode}"))
    return rows


def probe_yaml():
    book = os.path.join(WORK, "yaml")
    shutil.rmtree(book, ignore_errors=True)
    os.makedirs(os.path.join(book, "content"))
    with open(os.path.join(book, "content", "a.md"), "w") as f:
        f.write("---\nx: " + "[" * (63 * 1024 + 512) + "\n---\n")
    times = []
    for _ in range(5):
        t0 = time.time()
        r = run(["build", book])
        times.append(time.time() - t0)
    code = "E308" if "error[E308]" in r.stderr else r.stderr.splitlines()[0]
    return [("63.5 KiB of `[`", f"median {statistics.median(times) * 1000:.0f} ms, exit {r.returncode}, {code}")]


def probe_serve():
    book = fresh_copy(corpus(1000), "serve")
    p = subprocess.Popen([BIN, "serve", book, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True)
    line = p.stdout.readline()
    port = int(line.split("127.0.0.1:")[1].split("/")[0])
    host = f"Host: 127.0.0.1:{port}\r\n"

    def get(path):
        t0 = time.time()
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=30)
            s.sendall(f"GET {path} HTTP/1.1\r\n{host}Connection: close\r\n\r\n".encode())
            data = b""
            while chunk := s.recv(65536):
                data += chunk
            s.close()
        except OSError as error:
            return time.time() - t0, type(error).__name__
        return time.time() - t0, data.split(b" ", 2)[1].decode() if data else "none"

    baseline = [get("/page-0002/")[0] for _ in range(20)]
    statuses_idle = sorted({get("/page-0002/")[1]})
    stop = threading.Event()
    held = []

    def slow_client():
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=60)
            held.append(s)
            for ch in f"GET / HTTP/1.1\r\n{host}".encode():
                if stop.is_set():
                    return
                s.send(bytes([ch]))
                time.sleep(0.5)
        except OSError:
            pass

    def reload_stream():
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=60)
            s.sendall(f"GET /__playbook/events HTTP/1.1\r\n{host}\r\n".encode())
            held.append(s)
        except OSError:
            pass

    threads = [threading.Thread(target=slow_client, daemon=True) for _ in range(300)]
    threads += [threading.Thread(target=reload_stream, daemon=True) for _ in range(500)]
    for t in threads:
        t.start()
    time.sleep(3)
    loaded = [get("/page-0002/") for _ in range(20)]
    statuses = sorted({s for _, s in loaded})
    with open(f"/proc/{p.pid}/status") as f:
        status = dict(l.split(":", 1) for l in f if ":" in l)
    threads_n, rss = status["Threads"].strip(), status["VmRSS"].strip()
    stop.set()
    for s in held:
        try:
            s.close()
        except OSError:
            pass
    time.sleep(1)
    after = [get("/page-0002/")[0] for _ in range(20)]
    p.send_signal(signal.SIGINT)
    p.wait()
    ms = lambda xs: f"{statistics.median(xs) * 1000:.1f} ms"
    return [
        ("serve, idle", f"median page latency {ms(baseline)}"),
        ("serve, 300 slow + 500 reload", f"median {ms([t for t, _ in loaded])}, max "
                                         f"{max(t for t, _ in loaded) * 1000:.0f} ms, statuses {statuses}"),
        ("serve, threads and memory then", f"{threads_n} threads, {rss} resident"),
        ("serve, 1 s after they left", f"median {ms(after)}"),
    ]


PROBES = {"symlink": probe_symlink, "concurrent": probe_concurrent, "kill": probe_kill, "yaml": probe_yaml,
          "serve": probe_serve}


def main():
    chosen = sys.argv[1:] or list(PROBES)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    os.makedirs(WORK, exist_ok=True)
    print("| probe | result |\n| --- | --- |")
    for name in chosen:
        for row in PROBES[name]():
            print(f"| {row[0]} | {row[1]} |", flush=True)


if __name__ == "__main__":
    main()
