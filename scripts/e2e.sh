#!/usr/bin/env bash
# Browser end-to-end tests of the audit dashboard: builds the release page with trunk
# (skipped with PHASE7_E2E_SKIP_BUILD=1 when dist/ is already built), installs the
# pinned playwright-core from the npm registry if needed (never a browser download: the
# tests drive the system Chromium, /usr/bin/chromium or $PHASE7_CHROMIUM), and runs
# tests/e2e with node's built-in test runner. Also builds the core's npm package
# (scripts/npm.sh) when it is older than core/, for the examples/npm/ page, and writes
# the core's pathological shapes for the page (target/shapes-page).
# Screenshots: target/e2e-screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

for tool in trunk node npm; do
  if ! command -v "$tool" >/dev/null; then
    echo "e2e: '$tool' is missing (trunk: cargo install --locked trunk --version 0.21.14)" >&2
    exit 1
  fi
done
chromium=${PHASE7_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "e2e: Chromium not found at $chromium (apt-get install chromium, or set PHASE7_CHROMIUM)" >&2
  exit 1
fi

# A dist/ left by a dev server with live reload is not the release page: rebuild it.
if [ "${PHASE7_E2E_SKIP_BUILD:-0}" != 1 ] || [ ! -f dist/index.html ] ||
  grep -q "__trunk_address__" dist/index.html; then
  echo "e2e: trunk build --release"
  . scripts/wasm_release.sh
  trunk build --release --dist dist
fi

# The core's npm package for examples/npm/ (served at /pkg/), rebuilt when core/ changed.
pkg=target/npm/phase7-core/phase7_core.js
if [ ! -f "$pkg" ] || [ -n "$(find core/src core/Cargo.toml -newer "$pkg" -print -quit)" ]; then
  echo "e2e: scripts/npm.sh (core npm package)"
  bash scripts/npm.sh >/dev/null
fi

# Every pathological shape of core/tests/shapes at 2 MiB, for the page's hostile-input
# test (hostile.test.mjs): the shapes the native and wasm bounds tests run, written by
# the bounds test binary (the JS shapes.mjs holds only some of them).
echo "e2e: core/tests/shapes at 2 MiB -> target/shapes-page"
PHASE7_BOUNDS_SIZE=2097152 PHASE7_SHAPES_OUT=target/shapes-page \
  cargo test --locked -q -p phase7-core --test bounds write_the_shapes -- --ignored >/dev/null

cd tests/e2e
if [ ! -d node_modules/playwright-core ] || [ ! -f node_modules/axe-core/axe.min.js ]; then
  echo "e2e: npm ci (playwright-core, axe-core)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi
mkdir -p "$root/target/e2e-screenshots" "$root/target/screenshots"
node --test --test-concurrency=1 --test-reporter=spec
echo "e2e: screenshots in target/e2e-screenshots/ (per test) and target/screenshots/ (page tops per state)"
