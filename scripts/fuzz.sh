#!/usr/bin/env bash
# Runs the cargo-fuzz targets one after the other, each for the given time, one libFuzzer
# job each, and prints the executions per target and in total (docs/fuzzing.md).
#
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default: 60 s, every target)
#
# Installs cargo-fuzz (crates.io) and the nightly toolchain when missing, and writes the
# seed corpora when missing (scripts/fuzz_seeds.sh). What a run grows goes to
# target/fuzz-corpus/<target>/ (the committed seeds in fuzz/corpus/<target>/ are only
# read; delete the structured targets' folders there after changing the generator's model,
# core/src/fuzzing/plan.rs); crashes, timeouts and OOMs go to fuzz/artifacts/<target>/
# (gitignored) — turn one into a regression test with scripts/fuzz_regression.sh.
#
# Environment:
#   FUZZ_SANITIZER  none (default: the core forbids unsafe code) or address, ...
#   FUZZ_RSS_MB     libFuzzer -rss_limit_mb (default 2048)
#   FUZZ_TIMEOUT    seconds one input may take, -timeout (default 20)
#   FUZZ_KEEP_GOING 1: fork mode that records a crash, timeout or OOM and goes on
#                   (-fork=1 -ignore_crashes/timeouts/ooms), for long campaigns
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

ALL=(read_run read_run_plan jsonl_line verify_certificate verify_certificate_raw claim
  claim_raw checkpoint_resume)
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${ALL[@]}")
for t in "${targets[@]}"; do
  [[ " ${ALL[*]} " == *" $t "* ]] || { echo "fuzz: unknown target $t (one of: ${ALL[*]})" >&2; exit 2; }
done

san=${FUZZ_SANITIZER:-none}
rss=${FUZZ_RSS_MB:-2048}
timeout=${FUZZ_TIMEOUT:-20}

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
[ -d fuzz/corpus/read_run ] || bash scripts/fuzz_seeds.sh

# Raw-bytes targets get room for multi-megabyte inputs; the structured ones turn a few
# KiB into inputs of up to 4 MiB (phase7_core::fuzzing::plan).
max_len() {
  case $1 in
    read_run_plan | verify_certificate | claim) echo 65536 ;;
    *) echo 4194304 ;;
  esac
}

(cd fuzz && cargo +nightly fuzz build -s "$san")
host=$(rustc +nightly -vV | sed -n 's/^host: //p')
bin_dir=fuzz/target/$host/release

logs=target/fuzz-logs
mkdir -p "$logs"
declare -A runs
total=0
started=$(date +%s)
for t in "${targets[@]}"; do
  grown=target/fuzz-corpus/$t
  mkdir -p "$grown" "fuzz/artifacts/$t"
  flags=(-max_total_time="$secs" -rss_limit_mb="$rss" -timeout="$timeout"
    -max_len="$(max_len "$t")" -print_final_stats=1)
  if [ "${FUZZ_KEEP_GOING:-0}" = 1 ]; then
    flags+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  fi
  echo "==> $t for ${secs}s (${flags[*]})"
  # The binary cargo fuzz built, run directly under a wall-clock bound: libFuzzer's
  # -max_total_time does not cover loading a corpus of slow inputs. SIGINT makes
  # libFuzzer stop and print its statistics; timeout signals the whole process group
  # (the fork-mode children too).
  set +e
  timeout -s INT -k 30 $((secs + 120)) "$bin_dir/$t" "${flags[@]}" \
    -artifact_prefix="fuzz/artifacts/$t/" "$grown" "fuzz/corpus/$t" > "$logs/$t.log" 2>&1
  rc=$?
  set -e
  # Final stats in normal mode; the last "#N" status line in fork mode or after a crash.
  n=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$logs/$t.log" | tail -1 | grep -o '[0-9]*$' || true)
  [ -n "$n" ] || n=$(grep -oE '^#[0-9]+' "$logs/$t.log" | tail -1 | tr -d '#' || true)
  n=${n:-0}
  runs[$t]=$n
  total=$((total + n))
  if [ $rc -ne 0 ]; then
    echo "    FAILED (exit $rc): $(grep -m1 -E 'panicked|ERROR: libFuzzer|SUMMARY' "$logs/$t.log" || true)"
    grep -E 'Test unit written to' "$logs/$t.log" | sed 's/^/    /' || true
  fi
  echo "    $n executions (log: $logs/$t.log)"
done

echo
echo "executions per target (${secs}s each, sanitizer $san):"
for t in "${targets[@]}"; do
  printf '  %-24s %12d\n' "$t" "${runs[$t]}"
done
printf '  %-24s %12d\n' total "$total"
echo "wall time $(( $(date +%s) - started ))s"
found=$(find fuzz/artifacts -type f -newermt "@$started" 2>/dev/null | sort)
if [ -n "$found" ]; then
  echo "new artifacts (make each a regression test: scripts/fuzz_regression.sh TARGET FILE):"
  echo "$found" | sed 's/^/  /'
  exit 1
fi
