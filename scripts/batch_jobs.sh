#!/usr/bin/env bash
# `phase7 batch` over 10,000 plans (PLANS=N for another count) with --jobs 1 and
# --jobs 2 (JOBS="1 2 4" for others), in both modes (JSON lines; one file per plan with
# certificates written and verified): seconds, µs per plan, peak RSS, and a check that
# every --jobs gave byte-identical outputs (cmp for the JSON lines, diff -r for the
# folders and summary.csv).
#
# A measurement, not a test: run it when `uptime` shows a low load, and more than once
# (REPEAT=3 by default; every run is printed, then the best of each).
#
# The plans: the 1,000 public vectors ten times, each copy with its own cluster names
# ("… (copy k)"), so that no two plans are the same input.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
jobs_list=${JOBS:-1 2}
repeat=${REPEAT:-3}
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

now() { date +%s.%N; }
rss() { sed -n 's/.*peak RSS \([0-9.]* MiB\).*/\1/p'; }
results="$work/results.txt"
: > "$results"
row() { # mode label, jobs, seconds, peak RSS
  printf '%-4s %-22s %5s %9.2f %10.1f %10s\n' "$r" "$1" "$2" "$3" "$(echo "$3 * 1000000 / $n" | bc -l)" "$4"
  echo "${1%% *} $2 $3" >> "$results"
}
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-4s %-22s %5s %9s %10s %10s\n' run mode jobs seconds "µs/plan" "peak RSS"
for r in $(seq "$repeat"); do
  for j in $jobs_list; do
    s=$(now)
    m=$("$bin" batch --jsonl "$work/plans.jsonl" --out "$work/out_$j.jsonl" --jobs "$j" 2>&1 | rss)
    row "--jsonl" "$j" "$(echo "$(now) - $s" | bc)" "$m"
  done
  for j in $jobs_list; do
    rm -rf "$work/out_$j"
    s=$(now)
    m=$("$bin" batch "$work/plans" --out "$work/out_$j" --jobs "$j" 2>&1 >/dev/null | rss)
    row "files (+certificates)" "$j" "$(echo "$(now) - $s" | bc)" "$m"
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
first=${jobs_list%% *}
for j in $jobs_list; do
  [ "$j" = "$first" ] && continue
  cmp "$work/out_$first.jsonl" "$work/out_$j.jsonl"
  diff -r "$work/out_$first" "$work/out_$j" >/dev/null
  echo "outputs of --jobs $first and --jobs $j: byte-identical (cmp: $n lines; diff -r: $n folders and summary.csv)"
done
