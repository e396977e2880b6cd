#!/usr/bin/env bash
# Peak resident memory of `phase7 batch` for 1,000 and 10,000 plans, in both modes
# (JSON lines, and one file per plan with certificates written and verified), on one
# thread (--jobs 1; scripts/batch_jobs.sh measures more). Flat memory means the two
# peaks are about the same.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
cargo build --release --locked -p phase7-cli >/dev/null 2>&1
bin=target/release/phase7
work=target/batch-rss
rm -rf "$work" && mkdir -p "$work"
vectors=tests/fixtures/phase7_public.jsonl
for n in 1000 10000; do
  : > "$work/plans_$n.jsonl"
  for _ in $(seq $((n / 1000))); do cat "$vectors" >> "$work/plans_$n.jsonl"; done
  mkdir -p "$work/dir_$n"
  # One Phase 6 file per plan, taken from the vectors.
  python3 - "$work/plans_$n.jsonl" "$work/dir_$n" <<'PY'
import json, sys, pathlib
src, out = sys.argv[1], pathlib.Path(sys.argv[2])
for i, line in enumerate(open(src, encoding="utf-8")):
    (out / f"plan_{i:05d}.json").write_text(json.dumps(json.loads(line)["phase6"]), encoding="utf-8")
PY
done
printf '%-8s %-22s %10s %s\n' plans mode seconds "peak RSS"
for n in 1000 10000; do
  s=$(date +%s.%N)
  rss=$("$bin" batch --jsonl "$work/plans_$n.jsonl" --out "$work/out_$n.jsonl" --jobs 1 2>&1 | sed -n 's/.*peak RSS //p')
  printf '%-8s %-22s %10.2f %s\n' "$n" "--jsonl" "$(echo "$(date +%s.%N) - $s" | bc)" "$rss"
  s=$(date +%s.%N)
  rss=$("$bin" batch "$work/dir_$n" --out "$work/out_$n" --jobs 1 2>&1 >/dev/null | sed -n 's/.*peak RSS //p')
  printf '%-8s %-22s %10.2f %s\n' "$n" "files (+certificates)" "$(echo "$(date +%s.%N) - $s" | bc)" "$rss"
done
