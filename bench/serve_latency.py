#!/usr/bin/env python3
"""Edit-to-served latency of `playbook serve`.

For each size, generates a playbook with ../shared/bench/gen_corpus.py,
starts `playbook serve` on a free port, then edits one page's body N times
(default 9). For each edit it records the time from the write to the first
HTTP response that contains the new text, polling every 0.5 ms over one
keep-alive connection. Prints the median and the spread per size.

    python3 bench/serve_latency.py            # 1000 and 10000 pages
    python3 bench/serve_latency.py 10000 --edits 15
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def corpus(n, gen):
    out = os.path.join(HERE, "out", "corpus-%d" % n)
    if not os.path.isdir(os.path.join(out, "playbook")):
        subprocess.run([sys.executable, gen, str(n), out, "--force"], check=True, stdout=subprocess.DEVNULL)
    return os.path.join(out, "playbook")


def measure(binary, book, edits):
    server = subprocess.Popen([binary, "serve", book, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = server.stdout.readline()
        port = int(line.split("127.0.0.1:")[1].split("/")[0])
        page = os.path.join(book, "content", "page-0001.md") if os.path.exists(os.path.join(book, "content", "page-0001.md")) else None
        if page is None:
            page = os.path.join(book, "content", sorted(f for f in os.listdir(os.path.join(book, "content")) if f.startswith("page-"))[1])
        slug = os.path.basename(page)[:-3]
        original = open(page, encoding="utf-8").read()
        conn = http.client.HTTPConnection("127.0.0.1", port)
        times = []
        try:
            for i in range(edits):
                marker = "serve-latency-marker-%d-%d" % (os.getpid(), i)
                text = original + "\n" + marker + "\n"
                start = time.perf_counter()
                with open(page, "w", encoding="utf-8") as f:
                    f.write(text)
                while True:
                    conn.request("GET", "/%s/" % slug)
                    body = conn.getresponse().read()
                    if marker.encode() in body:
                        break
                    if time.perf_counter() - start > 30:
                        raise SystemExit("edit %d was not served within 30 s" % i)
                    time.sleep(0.0005)
                times.append((time.perf_counter() - start) * 1000)
                time.sleep(0.2)  # let the watcher settle between edits
        finally:
            with open(page, "w", encoding="utf-8") as f:
                f.write(original)
        return times
    finally:
        server.terminate()
        server.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    ap.add_argument("--edits", type=int, default=9)
    ap.add_argument("--gen", default=os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py"))
    a = ap.parse_args()
    if a.edits < 7:
        ap.error("use at least 7 edits")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    binary = os.path.join(ROOT, "target", "release", "playbook")
    print("%-7s %8s %8s %8s   (ms from write to new page served, %d edits)" % ("pages", "median", "min", "max", a.edits))
    for n in a.sizes:
        times = measure(binary, corpus(n, a.gen), a.edits)
        print("%-7d %8.1f %8.1f %8.1f" % (n, statistics.median(times), min(times), max(times)))


if __name__ == "__main__":
    main()
