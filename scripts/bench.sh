#!/usr/bin/env bash
# The cost bench, in one run (docs/formats.md "Cost"):
#   1. native (divan, bench/benches/phase7.rs, release at opt-level 3): the floor — a
#      typed parse of the input plus SHA-256 over exactly the bytes the certificate's
#      digests cover — and, per plan, run, issue (run + the three files), verify, the
#      claim check and one `batch --jsonl` line, over the 1,000 public vectors;
#   2. `phase7 batch --jsonl` as a whole process over 10,000 plans (the vectors' Phase 6
#      values, ten times), best of three: with `--jobs 1` in CPU time (user + system: on
#      a shared machine the wall time of a single-threaded process also counts other
#      jobs; on an idle one the two agree), and on every core (the default) in wall time;
#   3. the same entry points through the npm package (scripts/npm.sh) in headless
#      Chromium (bench/page.mjs, playwright-core from tests/e2e).
# Prints microseconds per plan, the ratio of each to the floor, and Chromium / native.
# Times are the fastest sample (the machine is shared; the fastest is the least
# disturbed). PHASE7_BENCH_SKIP_PAGE=1 skips the browser part.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
work=target/bench
mkdir -p "$work"

echo "bench: native (cargo bench -p phase7-bench)" >&2
cargo bench --locked -p phase7-bench --bench phase7 2>/dev/null | tee "$work/divan.txt" >&2

echo "bench: phase7 batch --jsonl, whole process" >&2
cargo build --release --locked -p phase7-cli >&2 2>/dev/null
plans="$work/plans_10000.jsonl"
if [ ! -f "$plans" ]; then
  # Each vector line's phase6 value as written, ten times.
  for _ in $(seq 10); do
    sed -e 's/^{"phase6": //' -e 's/, "expected": .*$//' tests/fixtures/phase7_public.jsonl
  done >"$plans"
fi
n=$(wc -l <"$plans")
: >"$work/batch.txt"
: >"$work/batch_all.txt"
# Appends "wall user system" (seconds) of one run of a command to a file: the wall time
# from the clock in nanoseconds (time(1) counts it in 10 ms steps, 5 % of a 0.2 s run),
# the CPU times from time(1).
timed() {
  local out=$1 t0 t1
  shift
  t0=$(date +%s%N)
  /usr/bin/time -f "%U %S" -o "$work/cpu.txt" "$@" 2>/dev/null
  t1=$(date +%s%N)
  awk -v ns=$((t1 - t0)) -v cpu="$(tail -1 "$work/cpu.txt")" \
    'BEGIN { printf "%.6f %s\n", ns / 1e9, cpu }' >>"$out"
}
for _ in 1 2 3; do
  timed "$work/batch.txt" \
    target/release/phase7 batch --jsonl "$plans" --out "$work/batch_out.jsonl" --jobs 1
  timed "$work/batch_all.txt" \
    target/release/phase7 batch --jsonl "$plans" --out "$work/batch_out.jsonl"
done
echo "plans $n" >>"$work/batch.txt"

page="{}"
if [ "${PHASE7_BENCH_SKIP_PAGE:-0}" != 1 ]; then
  echo "bench: npm package in headless Chromium" >&2
  pkg=target/npm/phase7-core/phase7_core_bg.wasm
  if [ ! -f "$pkg" ] || [ -n "$(find core/src core/Cargo.toml Cargo.lock .cargo -newer "$pkg" -type f -print -quit)" ]; then
    bash scripts/npm.sh >/dev/null
  fi
  if [ ! -d tests/e2e/node_modules/playwright-core ]; then
    (cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >&2)
  fi
  page=$(node bench/page.mjs 7)
fi

python3 - "$work/divan.txt" "$work/batch.txt" "$page" "$work/batch_all.txt" "$(nproc)" <<'PY'
import json, re, sys
divan, batch, page = open(sys.argv[1]).read(), open(sys.argv[2]).read().splitlines(), json.loads(sys.argv[3])
batch_all = [tuple(map(float, l.split())) for l in open(sys.argv[4]).read().splitlines()]
cores = int(sys.argv[5])
unit = {"ns": 1e-3, "µs": 1.0, "us": 1.0, "ms": 1e3, "s": 1e6}
native = {}
for line in divan.splitlines():
    m = re.match(r"\s*[├╰]─\s+(\w+)\s+([\d.]+)\s+(ns|µs|us|ms|s)\s+│", line)
    if m:
        native[m.group(1)] = float(m.group(2)) * unit[m.group(3)] / 1000  # µs per plan
floor = native["floor"]
n = int(batch[-1].split()[1])
runs = [tuple(map(float, l.split())) for l in batch[:-1]]
cpu = min(u + s for _, u, s in runs)
wall = min(e for e, _, _ in runs)
whole = cpu * 1e6 / n
print()
print("per plan, 1,000 public vectors (about 2.9 KB of Phase 6 JSON each), fastest sample")
print(f"{'':34} {'native µs':>10} {'x floor':>8} {'Chromium µs':>12} {'/ native':>9}")
rows = [
    ("floor (typed parse + SHA-256)", "floor", None),
    ("run", "run", "run"),
    ("  its result's JSON.parse alone", None, "run_parse"),
    ("issue (run + 3 files)", "issue", "issue"),
    ("  the 3 files alone", "issue_files", None),
    ("verify (certificate)", "verify", "verify"),
    ("claim check", "claim", "claim"),
    ("batch --jsonl line", "batch_line", None),
]
for label, k, pk in rows:
    c = page.get(pk) if pk else None
    if k is None:
        # A Chromium-only part of the row above (no native counterpart).
        if c is not None:
            print(f"{label:34} {'':10} {'':8} {c:12.1f}")
        continue
    v = native[k]
    cs = f"{c:12.1f} {c / v:9.2f}" if c is not None else f"{'':12} {'':9}"
    print(f"{label:34} {v:10.1f} {v / floor:8.2f} {cs}")
print(f"{'phase7 batch --jsonl, --jobs 1':34} {whole:10.1f} {whole / floor:8.2f}   "
      f"({n} plans, best of 3: CPU {cpu:.2f} s, wall {wall:.3f} s; one thread, in CPU time)")
wall_all = min(e for e, _, _ in batch_all)
per_all = wall_all * 1e6 / n
cpu_all = min(u + s for _, u, s in batch_all)
print(f"{'phase7 batch --jsonl, all cores':34} {per_all:10.1f} {per_all / floor:8.2f}   "
      f"({n} plans, {cores} cores, best of 3: wall {wall_all:.3f} s, CPU {cpu_all:.2f} s; in wall time)")
print(f"  vs the pipeline's Python (115-140 µs per plan, one process, issue 9): "
      f"one thread {115 / whole:.1f}x to {140 / whole:.1f}x faster, all cores {115 / per_all:.1f}x to {140 / per_all:.1f}x")
if page.get("browser"):
    print(f"Chromium {page['browser']} (headless), npm package built by scripts/npm.sh")
PY
