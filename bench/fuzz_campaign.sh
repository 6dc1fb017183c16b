#!/usr/bin/env bash
# A long fuzz campaign (issue 9): the fuzz test of the suite, in release mode,
# seed after seed, until MINUTES have passed. Every failure is kept in
# bench/out/fuzz/ with its seed and its shrunk input.
#
#   MINUTES=30 bash bench/fuzz_campaign.sh
set -uo pipefail
cd "$(dirname "$0")/.."
MINUTES=${MINUTES:-30}
CASES=${CASES:-5000}
out=bench/out/fuzz
mkdir -p "$out"
cargo test --release --test testsuite --no-run --quiet 2>/dev/null
end=$(( $(date +%s) + MINUTES * 60 ))
seed=${SEED:-1000}
total=0
failures=0
while [ "$(date +%s)" -lt "$end" ]; do
  log="$out/seed-$seed.log"
  if PLAYBOOK_FUZZ_CASES=$CASES PLAYBOOK_FUZZ_SEED=$seed \
      cargo test --release --quiet --test testsuite fuzz -- --nocapture >"$log" 2>&1; then
    rm -f "$log"
  else
    failures=$((failures + 1))
    echo "seed $seed FAILED: see $log"
  fi
  total=$((total + CASES))
  seed=$((seed + 1))
done
echo "campaign: $total cases over $MINUTES minutes, $failures failing seeds"
