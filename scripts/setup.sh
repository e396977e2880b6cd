#!/usr/bin/env bash
# Installs what is missing, and only that. Every tool comes from a package registry
# (crates.io, Debian, npm) at a pinned version:
#   wasm-bindgen-cli  = the wasm-bindgen version in Cargo.lock
#   wasm-pack 0.15.1, trunk 0.21.14 (0.22+ needs a newer rustc)
#   wasm-opt from npm binaryen@132 (Debian's binaryen 108 breaks the app at run time)
#   chromium + chromium-driver from Debian (tests only)
# Usage: scripts/setup.sh run|test
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-test}"
export PATH="$HOME/.cargo/bin:$PATH"

WASM_PACK_VERSION=0.15.1
TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/"/,"",$3); print $3; exit}' Cargo.lock)
[ -n "$WASM_BINDGEN_VERSION" ] || { echo "setup: wasm-bindgen not found in Cargo.lock" >&2; exit 1; }

say() { printf 'setup: %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes)"
  # Not --locked: one locked dependency is missing from the registry mirror.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 16 minutes on 2 cores)"
  cargo install --locked trunk --version "$TRUNK_VERSION" --force
fi

if ! wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
  say "installing wasm-opt from npm binaryen@$BINARYEN_VERSION"
  npm install -g "binaryen@$BINARYEN_VERSION" --no-fund --no-audit
fi

if [ "$mode" = test ]; then
  if [ "$(wasm-pack --version 2>/dev/null | awk '{print $2}')" != "$WASM_PACK_VERSION" ]; then
    say "installing wasm-pack $WASM_PACK_VERSION"
    cargo install --locked wasm-pack --version "$WASM_PACK_VERSION" --force
  fi
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing chromium and chromium-driver from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  if [ -f tests/e2e/package-lock.json ] && [ ! -d tests/e2e/node_modules ]; then
    say "installing the browser test dependencies (npm ci)"
    (cd tests/e2e && npm ci --no-fund --no-audit)
  fi
fi

# Trunk builds offline (Trunk.toml): make sure every crate is in the local registry.
cargo fetch --locked >/dev/null 2>&1 || cargo fetch
say "ready ($mode): wasm-bindgen $WASM_BINDGEN_VERSION, trunk $TRUNK_VERSION, $(wasm-opt --version)"
