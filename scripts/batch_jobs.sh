#!/usr/bin/env bash
# `phase7 batch` over 10,000 plans (PLANS=N for another count) with --jobs 1 and
# --jobs 2 (JOBS="1 2 4" for others), in both modes (JSON lines; one file per plan with
# certificates written and verified): seconds, µs per plan, peak RSS, and a check that
# every --jobs gave byte-identical outputs (cmp for the JSON lines, diff -r for the
# folders and summary.csv).
#
# A measurement, not a test: run it when `uptime` shows a low load, and more than once
# (REPEAT=3 by default; every run is printed, then the best of each). MODES=jsonl or
# MODES=files measures one mode only.
#
# The plans: the 1,000 public vectors ten times, each copy with its own cluster names
# ("… (copy k)"), so that no two plans are the same input.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
jobs_list=${JOBS:-1 2}
repeat=${REPEAT:-3}
modes=${MODES:-jsonl files}
n=${PLANS:-10000}
cargo build --release --locked -p phase7-cli >/dev/null 2>&1
bin=target/release/phase7
work=target/batch-jobs
rm -rf "$work" && mkdir -p "$work/plans"
python3 - tests/fixtures/phase7_public.jsonl "$work" "$n" <<'PY'
import json, pathlib, sys
src, work, n = sys.argv[1], pathlib.Path(sys.argv[2]), int(sys.argv[3])
vectors = [json.loads(line)["phase6"] for line in open(src, encoding="utf-8")]
with open(work / "plans.jsonl", "w", encoding="utf-8") as out:
    for i in range(n):
        plan = json.loads(json.dumps(vectors[i % len(vectors)]))
        for cluster in plan:
            cluster["cluster_name"] += f" (copy {i // len(vectors)})"
        text = json.dumps(plan)
        out.write(json.dumps({"phase6": plan}) + "\n")
        (work / "plans" / f"plan_{i:05d}.json").write_text(text, encoding="utf-8")
PY

results="$work/results.txt"
: > "$results"
# Runs a batch (label, jobs, command…); prints wall seconds, µs per plan, CPU seconds
# (user + system: the work itself, which more threads spread but should not grow) and
# the peak RSS that phase7 reports.
measure() {
  local label=$1 j=$2 t real user sys m
  shift 2
  t=$({ TIMEFORMAT='%R %U %S'; time "$@" >/dev/null 2>"$work/stderr"; } 2>&1)
  read -r real user sys <<<"$t"
  m=$(sed -n 's/.*peak RSS \([0-9.]* MiB\).*/\1/p' "$work/stderr")
  printf '%-4s %-22s %5s %9.2f %10.1f %8.2f %10s\n' "$r" "$label" "$j" "$real" \
    "$(echo "$real * 1000000 / $n" | bc -l)" "$(echo "$user + $sys" | bc -l)" "$m"
  echo "${label%% *} $j $real" >>"$results"
}
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-4s %-22s %5s %9s %10s %8s %10s\n' run mode jobs seconds "µs/plan" "CPU s" "peak RSS"
for r in $(seq "$repeat"); do
  for j in $jobs_list; do
    [[ " $modes " == *" jsonl "* ]] || continue
    measure "--jsonl" "$j" "$bin" batch --jsonl "$work/plans.jsonl" --out "$work/out_$j.jsonl" --jobs "$j"
  done
  for j in $jobs_list; do
    [[ " $modes " == *" files "* ]] || continue
    rm -rf "$work/out_$j"
    measure "files (+certificates)" "$j" "$bin" batch "$work/plans" --out "$work/out_$j" --jobs "$j"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

first=${jobs_list%% *}
echo
echo "best of $repeat runs (speed-up against --jobs $first):"
awk -v n="$n" -v first="$first" '
  { k = $1 " " $2; if (!(k in best) || $3 < best[k]) best[k] = $3; order[NR] = k }
  END { for (i = 1; i <= NR; i++) { k = order[i]; if (k in done) continue; done[k];
          split(k, p, " ");
          printf "  %-8s --jobs %-3s %8.2f s %9.1f µs/plan   x%.2f\n", p[1], p[2], best[k], best[k] * 1e6 / n, best[p[1] " " first] / best[k] } }
' "$results"
echo
for j in $jobs_list; do
  [ "$j" = "$first" ] && continue
  if [[ " $modes " == *" jsonl "* ]]; then
    cmp "$work/out_$first.jsonl" "$work/out_$j.jsonl"
    echo "--jsonl outputs of --jobs $first and --jobs $j: byte-identical (cmp, $n lines)"
  fi
  if [[ " $modes " == *" files "* ]]; then
    diff -r "$work/out_$first" "$work/out_$j" >/dev/null
    echo "files outputs of --jobs $first and --jobs $j: byte-identical (diff -r, $n folders and summary.csv)"
  fi
done
