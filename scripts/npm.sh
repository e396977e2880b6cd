#!/usr/bin/env bash
# Builds the npm package of the core (wasm-pack, ES module for browsers and bundlers,
# TypeScript types) into target/npm/phase7-core, then shrinks its wasm with wasm-opt -Oz
# (npm binaryen@132 from PATH, as trunk does for the dashboard; wasm-pack's own wasm-opt
# step is off (--no-opt) so that it never downloads one), and prints its files
# and sizes. Functions: run, runObserved, issue, verify, verifyClaimed, sensitivity,
# whatIf, version (see the .d.ts). Built with the `wasm-release` profile
# (scripts/wasm_release.sh). PHASE7_NPM_NAMES=1 also writes the same module with its
# function names into target/npm/phase7-core-names (for bench/profile.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
out="$PWD/target/npm/phase7-core"
. scripts/wasm_release.sh
wasm-pack build core --profile wasm-release --no-opt --target web --out-dir "$out" --out-name phase7_core -- --features wasm >&2
if ! wasm-opt --version 2>/dev/null | grep -q "version 132"; then
  echo "npm: wasm-opt version 132 (npm binaryen@132) is required: bash scripts/setup.sh" >&2
  exit 1
fi
# -ocimfs 10 (--one-caller-inline-max-function-size): a function with one caller is
# inlined only when it is tiny, as any other. The module grows by 2 % but its gzip
# shrinks by 8 % (175,775 -> 160,882 B): the inlined copies compressed badly. Chromium
# runs about 5 % slower with it (docs/formats.md, "Cost"). The dashboard uses the same
# flag (index.html, data-wasm-opt-params).
if [ "${PHASE7_NPM_NAMES:-0}" = 1 ]; then
  # The same optimised module with its function names kept (a name section, the code
  # otherwise the same), for CPU profiles: bench/profile.mjs.
  names="$PWD/target/npm/phase7-core-names"
  mkdir -p "$names"
  rm -rf "$names/snippets"
  cp -r "$out/phase7_core.js" "$out/snippets" "$names/"
  wasm-opt -Oz -ocimfs 10 --debuginfo "$out/phase7_core_bg.wasm" -o "$names/phase7_core_bg.wasm"
fi
wasm-opt -Oz -ocimfs 10 --strip-producers "$out/phase7_core_bg.wasm" -o "$out/phase7_core_bg.wasm.opt"
mv "$out/phase7_core_bg.wasm.opt" "$out/phase7_core_bg.wasm"
ls -l "$out" | awk 'NR>1 {printf "%10d  %s\n", $5, $9}'
