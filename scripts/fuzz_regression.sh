#!/usr/bin/env bash
# Turns an input a fuzz target found into a regression test: minimises it with
# `cargo fuzz tmin` (keeping it failing), copies it to tests/fixtures/fuzz/<target>/ and
# shows how core/tests/fuzz_regressions.rs replays it (through the same property code).
#
#   bash scripts/fuzz_regression.sh TARGET ARTIFACT [NAME]
#
# NAME defaults to the artifact's file name; choose one that says what broke
# (e.g. long_key_many_nan). Use FUZZ_NO_TMIN=1 to keep the input as found (a timeout or
# an OOM minimises poorly). Commit the file with the fix, or, when the fix belongs to
# someone else's change, report it: the regression test fails until it is fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

[ $# -ge 2 ] || { echo "usage: $0 TARGET ARTIFACT [NAME]" >&2; exit 2; }
target=$1
artifact=$(realpath "$2")
name=${3:-$(basename "$artifact")}
dest=tests/fixtures/fuzz/$target
mkdir -p "$dest"

if [ "${FUZZ_NO_TMIN:-0}" = 1 ]; then
  cp "$artifact" "$dest/$name"
else
  (cd fuzz && cargo +nightly fuzz tmin -s "${FUZZ_SANITIZER:-none}" "$target" "$artifact" \
    -- -runs=2000 -rss_limit_mb="${FUZZ_RSS_MB:-2048}" -timeout="${FUZZ_TIMEOUT:-20}") \
    > target/fuzz-tmin.log 2>&1 || true
  minimized=$(grep -oE "minimized-from-[0-9a-f]+" target/fuzz-tmin.log | tail -1 || true)
  if [ -n "$minimized" ] && [ -f "fuzz/artifacts/$target/$minimized" ]; then
    cp "fuzz/artifacts/$target/$minimized" "$dest/$name"
  else
    cp "$artifact" "$dest/$name"
  fi
fi
echo "wrote $dest/$name ($(wc -c < "$dest/$name") bytes)"
echo "replay: cargo test -p phase7-core --test fuzz_regressions"
