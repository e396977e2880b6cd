#!/usr/bin/env bash
# Mutation testing of phase7-core (cargo-mutants), in shards, with a summary.
#
#   bash scripts/mutants.sh            # all mutants (hours on 2 cores)
#   bash scripts/mutants.sh 0/8 1/8    # some shards of eight (each its own output folder;
#                                      # round-robin: every 8th mutant, a sample of all of core)
#   bash scripts/mutants.sh --summary  # only the summary of the shards already run
#
# Each shard writes target/mutants/shard-K-of-N/mutants.out/{caught,missed,timeout,
# unviable}.txt. The score is (caught + timeout) / (caught + missed + timeout): unviable
# mutants (that do not compile) say nothing about the tests; a timeout made the tests hang.
# Mutants that cannot change behaviour are excluded in .cargo/mutants.toml, each with why. Too slow for CI: run it by hand, quote the
# summary. MUTANTS_JOBS (default 2) sets how many mutants build and test at once.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
MUTANTS_VERSION=27.1.0

summary() {
  local caught=0 missed=0 timeout=0 unviable=0
  for d in target/mutants/shard-*/mutants.out; do
    [ -d "$d" ] || continue
    for kind in caught missed timeout unviable; do
      n=$( [ -f "$d/$kind.txt" ] && wc -l < "$d/$kind.txt" || echo 0 )
      eval "$kind=\$(( $kind + n ))"
    done
  done
  local tested=$(( caught + missed + timeout ))
  printf 'mutants: %d caught, %d missed, %d timeout, %d unviable\n' "$caught" "$missed" "$timeout" "$unviable"
  if [ "$tested" -gt 0 ]; then
    # A timeout is a mutant the tests noticed (it made them hang), so it counts as caught.
    awk -v c="$(( caught + timeout ))" -v t="$tested" 'BEGIN { printf "score: %.2f %% of viable mutants caught or timed out (%d of %d)\n", 100*c/t, c, t }'
  fi
  if [ "$missed" -gt 0 ]; then
    echo "missed:"
    cat target/mutants/shard-*/mutants.out/missed.txt
  fi
}

if [ "${1:-}" = "--summary" ]; then
  summary
  exit 0
fi

if [ "$(cargo mutants --version 2>/dev/null | awk '{print $2}')" != "$MUTANTS_VERSION" ]; then
  cargo install --locked cargo-mutants --version "$MUTANTS_VERSION"
fi

shards=("$@")
[ ${#shards[@]} -gt 0 ] || shards=("0/1")
for shard in "${shards[@]}"; do
  k=${shard%/*}
  n=${shard#*/}
  out="target/mutants/shard-$k-of-$n"
  mkdir -p "$out"
  echo "==> cargo mutants, shard $shard -> $out"
  # A missed mutant makes cargo-mutants exit non-zero: the summary says what was missed.
  cargo mutants -p phase7-core --shard "$shard" --sharding round-robin --jobs "${MUTANTS_JOBS:-2}" -o "$out" || true
done
summary
