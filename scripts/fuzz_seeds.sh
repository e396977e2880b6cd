#!/usr/bin/env bash
# Writes the seed corpora fuzz/corpus/<target>/ from the fixtures (small files only; they
# are committed, and core/tests/fuzz_regressions.rs replays them through each target's
# property). Rerun after a fixture changes; the output is deterministic.
#
#   read_run                 the sample, every invalid fixture, 8 vectors' Phase 6 values
#   jsonl_line               8 vector lines, the sample as one line, bare and wrapped
#   read_run_plan, verify_certificate, claim
#                            arbitrary-driven: all-zero bytes (the sample, unedited),
#                            and a few fixed byte patterns
#   verify_certificate_raw   the golden certificate
#   claim_raw                the golden macro_score.json (our own output, a claim that
#                            must be IDENTICAL)
#   checkpoint_resume        the sample's checkpoints after each of stages 1-7, written by
#                            `phase7 run --checkpoint-dir` stopped by PHASE7_FAIL_AFTER_STAGE
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

C=fuzz/corpus
F=tests/fixtures
rm -rf "$C"
mkdir -p "$C"/{read_run,read_run_plan,jsonl_line,verify_certificate,verify_certificate_raw,claim,claim_raw,checkpoint_resume}

# Vector lines 1, 126, 251, ... (8 of the 1,000).
vector_lines() { awk 'NR % 125 == 1' "$F/phase7_public.jsonl"; }

cp "$F/p06_sample.json" "$C/read_run/sample.json"
for f in "$F"/invalid/*.json; do
  cp "$f" "$C/read_run/invalid_$(basename "$f")"
done
i=0
while IFS= read -r line; do
  i=$((i + 1))
  printf '%s\n' "$line" > "$C/jsonl_line/vector_$i.jsonl"
  printf '%s' "$line" | python3 -c 'import json,sys; sys.stdout.write(json.dumps(json.load(sys.stdin)["phase6"]))' \
    > "$C/read_run/vector_$i.json"
done < <(vector_lines)
python3 -c 'import json,sys; sys.stdout.write(json.dumps(json.load(open(sys.argv[1]))))' \
  "$F/p06_sample.json" > "$C/jsonl_line/sample_line.jsonl"
python3 -c 'import json,sys; sys.stdout.write(json.dumps({"phase6": json.load(open(sys.argv[1]))}))' \
  "$F/p06_sample.json" > "$C/jsonl_line/sample_wrapped.jsonl"

for t in read_run_plan verify_certificate claim; do
  head -c 64 /dev/zero > "$C/$t/zeros_64"
  head -c 4096 /dev/zero | tr '\0' '\377' > "$C/$t/ones_4096"
  # Fixed pseudo-random bytes: 512-byte SHA-256 chains of the target's name.
  for k in 1 2 3 4; do
    python3 -c 'import hashlib,sys
h = sys.argv[1].encode(); out = b""
while len(out) < 512: h = hashlib.sha256(h).digest(); out += h
sys.stdout.buffer.write(out)' "$t-$k" > "$C/$t/sha_$k"
  done
done

cp "$F/golden/sample_certificate.json" "$C/verify_certificate_raw/golden_certificate.json"
cp "$F/golden/sample_macro_score.json" "$C/claim_raw/golden_macro_score.json"

# Checkpoints after stages 1-7 (stage 8's is cleared by a run that completes).
cargo build -q -p phase7-cli
bin=target/debug/phase7
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for stage in STAGE_INPUT_VALIDATION STAGE_WEIGHTED_SCORE STAGE_QUALITY_CLASSIFICATION \
  STAGE_COHERENCE_ANALYSIS STAGE_GAP_DETECTION STAGE_ALIGNMENT_SCORING \
  STAGE_UNCERTAINTY_PROPAGATION; do
  rm -rf "$tmp/cp" "$tmp/out"
  PHASE7_FAIL_AFTER_STAGE=$stage "$bin" run "$F/p06_sample.json" --out "$tmp/out" \
    --checkpoint-dir "$tmp/cp" >/dev/null 2>&1 || true
  for f in "$tmp"/cp/*"$stage".json; do
    cp "$f" "$C/checkpoint_resume/$stage.json"
  done
done

for d in "$C"/*/; do
  printf '%-28s %3d files %8d bytes\n' "$(basename "$d")" "$(find "$d" -type f | wc -l)" \
    "$(cat "$d"* | wc -c)"
done
