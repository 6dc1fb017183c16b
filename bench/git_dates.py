#!/usr/bin/env python3
"""What dating pages from git adds to a build (issue 12).

Generates a playbook of N pages (gen_corpus.py), commits it to a git
repository, then COMMITS more commits each appending a line to PER pages
chosen at random (fixed seed, dates one hour apart), and times `playbook
build` on it with git on PATH and without (PATH holding no git: the same
folder, no dates), interleaved, RUNS times each. Prints the median wall
time and the median CPU time (user + system, playbook and git together) of
each, and what --timings says of the dates.

    cargo build --release
    python3 bench/git_dates.py [--pages 10000] [--commits 300] [--per 20] [--runs 5] [--out bench/out/git-dates]
"""
import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def make_repo(root: Path, commits: int, per: int) -> None:
    base = dict(os.environ, GIT_AUTHOR_NAME="b", GIT_AUTHOR_EMAIL="b@b", GIT_COMMITTER_NAME="b",
                GIT_COMMITTER_EMAIL="b@b", GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1",
                # No automatic gc in the background while committing: one at the end.
                GIT_CONFIG_COUNT="1", GIT_CONFIG_KEY_0="gc.auto", GIT_CONFIG_VALUE_0="0")

    def git(*args, when=None):
        env = dict(base)
        if when is not None:
            env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"@{when} +0000"
        subprocess.run(["git", *args], cwd=root, env=env, check=True, stdout=subprocess.DEVNULL)

    git("init", "-q")
    t0 = 1_780_000_000
    git("add", "-A")
    git("commit", "-qm", "initial", when=t0)
    pages = sorted(str(p.relative_to(root)) for p in (root / "content").rglob("*.md"))
    rng = random.Random(12)
    for i in range(1, commits + 1):
        chosen = rng.sample(pages, min(per, len(pages)))
        for page in chosen:
            with open(root / page, "a") as f:
                f.write(f"\nEdited in commit {i}.\n")
        git("add", *chosen)
        git("commit", "-qm", f"edit {i}", when=t0 + 3600 * i)
    git("gc", "-q")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--commits", type=int, default=300)
    parser.add_argument("--per", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "git-dates")
    parser.add_argument("--binary", type=Path, default=HERE.parent / "target" / "release" / "playbook")
    args = parser.parse_args()
    book = args.out / f"corpus-{args.pages}-{args.commits}" / "playbook"
    if not (book / ".git" / "packed-refs").exists():
        subprocess.run([sys.executable, HERE / "gen_corpus.py", str(args.pages), str(book.parent), "--force"],
                       check=True)
        make_repo(book, args.commits, args.per)
    walls = {"git": [], "no git": []}
    cpus = {"git": [], "no git": []}
    for _ in range(args.runs):
        for label, path in (("git", os.environ["PATH"]), ("no git", "/nonexistent")):
            env = dict(os.environ, PATH=path)
            before = os.times()
            start = time.perf_counter()
            out = subprocess.run([str(args.binary), "build", "--timings", "-d", str(args.out / "book")], cwd=book,
                                 env=env, capture_output=True, text=True, check=True)
            walls[label].append(time.perf_counter() - start)
            after = os.times()
            cpus[label].append(after.children_user + after.children_system
                               - before.children_user - before.children_system)
            dates = next(line for line in out.stderr.splitlines() if "timings" in line).split("dates: ")[1]
            print(f"{label:7} {walls[label][-1]:.3f} s wall, {cpus[label][-1]:.3f} s cpu ({dates})", flush=True)
    for label in walls:
        print(f"{label:7} median {statistics.median(walls[label]):.3f} s wall, "
              f"{statistics.median(cpus[label]):.3f} s cpu over {args.runs}")
    print(f"git adds {statistics.median(walls['git']) - statistics.median(walls['no git']):+.3f} s wall, "
          f"{statistics.median(cpus['git']) - statistics.median(cpus['no git']):+.3f} s cpu")


if __name__ == "__main__":
    main()
