#!/usr/bin/env bash
# Full-build benchmark: pages per second at 1,000 and 10,000 pages, output
# bytes per page (linear growth check), peak memory, and Hugo on the same
# pages when it is installed. The machine is shared and noisy: compare the
# ratios within one run, and read medians.
#
#   bash bench/build.sh                 # 1000 and 10000 pages
#   SIZES="1000" RUNS=3 bash bench/build.sh
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"1000 10000"}
RUNS=${RUNS:-5}
GEN=${GEN_CORPUS:-../shared/bench/gen_corpus.py}
OUT=bench/out
[ -f "$GEN" ] || { echo "gen_corpus.py not found at $GEN (set GEN_CORPUS)" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "hyperfine is needed: apt-get install hyperfine" >&2; exit 2; }

cargo build --release --quiet
BIN=$PWD/target/release/playbook
VARIANTS=playbook
command -v hugo >/dev/null && VARIANTS=playbook,hugo

mkdir -p "$OUT"
printf '%-7s %-9s %10s %12s %14s %12s\n' pages tool median_s pages_per_s bytes_per_page peak_rss_mb
for n in $SIZES; do
  corpus=$OUT/corpus-$n
  [ -d "$corpus/playbook" ] || python3 "$GEN" "$n" "$corpus" --variants "$VARIANTS" --force >/dev/null
  json=$OUT/hyperfine-$n.json
  cmds=("$BIN build $corpus/playbook -d $OUT/site-$n")
  [ -d "$corpus/hugo" ] && cmds+=("hugo --quiet -s $corpus/hugo -d $PWD/$OUT/hugo-$n")
  hyperfine --style none --warmup 1 --runs "$RUNS" --export-json "$json" "${cmds[@]}" >/dev/null 2>&1
  for i in "${!cmds[@]}"; do
    median=$(python3 -c "import json,sys; print(json.load(open('$json'))['results'][$i]['median'])")
    tool=$([ "$i" = 0 ] && echo playbook || echo hugo)
    dir=$([ "$i" = 0 ] && echo "$OUT/site-$n" || echo "$OUT/hugo-$n")
    bytes=$(du -sb "$dir" | cut -f1)
    # Peak memory of one more run; /usr/bin/time writes its figure last on stderr.
    rss=$(/usr/bin/time -f '%M' ${cmds[$i]} 2>&1 >/dev/null | tail -1)
    python3 -c "print('%-7s %-9s %10.3f %12.0f %14.0f %12.1f' % ($n, '$tool', $median, $n/$median, $bytes/$n, $rss/1024))"
  done
done
