#!/usr/bin/env bash
# Builds the npm package of the core (wasm-pack, ES module for browsers and bundlers,
# TypeScript types) into target/npm/phase7-core and prints its files and sizes.
# Functions: run, runObserved, issue, verify, verifyClaimed, version (see the .d.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
out="$PWD/target/npm/phase7-core"
# wasm-opt is off for this package (Cargo.toml metadata), so wasm-pack never downloads.
wasm-pack build core --release --target web --out-dir "$out" --out-name phase7_core -- --features wasm >&2
ls -l "$out" | awk 'NR>1 {printf "%10d  %s\n", $5, $9}'
