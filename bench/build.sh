#!/usr/bin/env bash
# Full-build benchmark: playbook, and Hugo and Zola when they are installed,
# on the same generated pages. Every run is a clean build (the output folder
# is removed first, outside the timing), the tools take turns within each
# round (interleaved, the order rotating), and each run records wall time and
# peak RSS. The machine is shared and noisy: compare ratios within one run
# and read medians. Then one `playbook build --timings` prints where the time
# goes, stage by stage.
#
#   bash bench/build.sh                          # 1000 and 10000 pages, 5 rounds
#   SIZES="1000" RUNS=3 bash bench/build.sh
#   SIZES="1000 10000 50000" bash bench/build.sh # 50000 too (minutes per tool)
#
# The corpus comes from bench/gen_corpus.py (GEN_CORPUS=path overrides it) and
# is kept in bench/out/corpus-N, regenerated when the generator changes or a
# variant is missing. Sites are written under SITES (default /dev/shm, a
# tmpfs, when it exists, so the disk's speed is not what is measured).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"1000 10000"}
RUNS=${RUNS:-5}
GEN=${GEN_CORPUS:-bench/gen_corpus.py}
OUT=bench/out
DEFAULT_SITES=$PWD/$OUT
[ -d /dev/shm ] && [ -w /dev/shm ] && DEFAULT_SITES=/dev/shm/playbook-bench
SITES=${SITES:-$DEFAULT_SITES}
[ -f "$GEN" ] || { echo "gen_corpus.py not found at $GEN (set GEN_CORPUS)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time is needed for peak memory: apt-get install time" >&2; exit 2; }
for n in $SIZES; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "SIZES must be page counts, got '$n'" >&2; exit 2; }
done

cargo build --release --quiet
BIN=$PWD/target/release/playbook
VARIANTS=playbook
command -v hugo >/dev/null && VARIANTS=$VARIANTS,hugo
command -v zola >/dev/null && VARIANTS=$VARIANTS,zola
STAMP="$(sha256sum "$GEN" | cut -d' ' -f1) $VARIANTS"

mkdir -p "$OUT" "$SITES"
echo "sites written under $SITES; $RUNS interleaved clean builds per tool"
printf '%-7s %-9s %10s %12s %14s %12s %10s\n' pages tool median_s pages_per_s bytes_per_page peak_rss_mb vs_playbook
for n in $SIZES; do
  corpus=$OUT/corpus-$n
  fresh=1
  [ "$(cat "$corpus/.generated" 2>/dev/null)" = "$STAMP" ] || fresh=0
  for v in ${VARIANTS//,/ }; do [ -d "$corpus/$v" ] || fresh=0; done
  if [ "$fresh" = 0 ]; then
    python3 "$GEN" "$n" "$corpus" --variants "$VARIANTS" --force >/dev/null
    echo "$STAMP" >"$corpus/.generated"
  fi
  tools=(playbook)
  dirs=("$SITES/playbook-$n")
  cmds=("$BIN build $corpus/playbook -d $SITES/playbook-$n")
  if [[ ,$VARIANTS, == *,hugo,* ]]; then
    tools+=(hugo)
    dirs+=("$SITES/hugo-$n")
    cmds+=("hugo --quiet -s $corpus/hugo -d $SITES/hugo-$n")
  fi
  if [[ ,$VARIANTS, == *,zola,* ]]; then
    tools+=(zola)
    dirs+=("$SITES/zola-$n")
    cmds+=("zola --root $corpus/zola build --force --output-dir $SITES/zola-$n")
  fi
  samples=$OUT/samples-$n.tsv
  : >"$samples"
  count=${#cmds[@]}
  # One warm-up each (fills the page cache), then RUNS rounds.
  for round in $(seq 0 "$RUNS"); do
    for k in $(seq 0 $((count - 1))); do
      i=$(((k + round) % count))
      rm -rf "${dirs[$i]}"
      /usr/bin/time -f '%e %M' -o "$OUT/time.txt" ${cmds[$i]} >/dev/null 2>"$OUT/stderr.txt" ||
        { echo "${tools[$i]} failed:" >&2; cat "$OUT/stderr.txt" >&2; exit 1; }
      [ "$round" = 0 ] || echo "${tools[$i]} $(tail -1 "$OUT/time.txt")" >>"$samples"
    done
  done
  for i in "${!tools[@]}"; do
    bytes=$(du -sb "${dirs[$i]}" | cut -f1)
    python3 - "$samples" "$n" "${tools[$i]}" "$bytes" <<'EOF'
import statistics, sys
samples, n, tool, size = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
rows = [line.split() for line in open(samples)]
def median(name, col):
    return statistics.median(float(r[col]) for r in rows if r[0] == name)
seconds, rss_kb = median(tool, 1), median(tool, 2)
ratio = seconds / median("playbook", 1)
print("%-7d %-9s %10.3f %12.0f %14.0f %12.1f %9.1fx" % (n, tool, seconds, n / seconds, size / n, rss_kb / 1024, ratio))
EOF
  done
  rm -rf "${dirs[0]}"
  "$BIN" build "$corpus/playbook" -d "${dirs[0]}" --timings 2>&1 | grep '^timings' | sed "s/^/$n pages: /"
  rm -rf "${dirs[@]}"
done
