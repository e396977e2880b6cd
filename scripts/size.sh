#!/usr/bin/env bash
# Prints the sizes of what a browser downloads, raw and gzip -9: the dashboard's release
# wasm and JS (dist/, `trunk build --release`, wasm-opt -Oz) and the core's npm package
# (target/npm/phase7-core, scripts/npm.sh, wasm-opt -Oz). Builds each first when it is
# missing or older than its sources (or always with --build).
#
# Two numbers per wasm (gzip -9 bytes; sizes are deterministic, so the test command checks
# them):
# * the target, issue 9's budget: dashboard 300 KB, npm core 150 KB. The npm core meets
#   it; the dashboard does NOT (its row says "over target"; docs/dashboard.md "Size" says
#   where the bytes go and what is left to do);
# * the ceiling: with --check, exits 1 above it. For a wasm that meets its target the
#   ceiling IS the target (the npm core: the test command fails above budget); for one
#   that does not yet, today's size plus about 2 %, so that it cannot grow unnoticed while
#   the target is worked towards (lower it as sizes fall).
# PHASE7_CEILING_DASHBOARD_GZ and PHASE7_CEILING_NPM_GZ override the ceilings.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
build=0 check=0
for a in "$@"; do
  case "$a" in
    --build) build=1 ;;
    --check) check=1 ;;
    *) echo "usage: scripts/size.sh [--build] [--check]" >&2; exit 2 ;;
  esac
done
target_dashboard=300000
target_npm=150000
ceiling_dashboard=${PHASE7_CEILING_DASHBOARD_GZ:-405000}
ceiling_npm=${PHASE7_CEILING_NPM_GZ:-$target_npm}

newer() { [ -n "$(find "$@" -type f -print -quit 2>/dev/null)" ]; }
srcs=(core/src core/Cargo.toml Cargo.lock Cargo.toml .cargo)
if [ "$build" = 1 ] || [ ! -f dist/index.html ] ||
  newer web index.html Trunk.toml "${srcs[@]}" -newer dist/index.html; then
  echo "size: trunk build --release" >&2
  . scripts/wasm_release.sh
  trunk build --release --dist dist >&2
fi
npm=target/npm/phase7-core
if [ "$build" = 1 ] || [ ! -f "$npm/phase7_core_bg.wasm" ] ||
  newer "${srcs[@]}" scripts/npm.sh -newer "$npm/phase7_core_bg.wasm"; then
  echo "size: scripts/npm.sh" >&2
  bash scripts/npm.sh >/dev/null
fi

status=0
printf '%-44s %10s %9s %10s %9s %s\n' file bytes KiB gzip_bytes gzip_KiB "target / ceiling (gzip)"
row() { # file [target ceiling]
  local f=$1 target=${2:-} ceiling=${3:-} n g verdict=""
  n=$(wc -c <"$f")
  g=$(gzip -9 -c "$f" | wc -c)
  if [ -n "$target" ]; then
    if [ "$g" -le "$target" ]; then verdict="<= $target target met"; else verdict="> $target over target"; fi
    if [ "$g" -le "$ceiling" ]; then verdict="$verdict, <= $ceiling ceiling ok"; else verdict="$verdict, > $ceiling CEILING EXCEEDED"; status=1; fi
  fi
  awk -v f="$f" -v n="$n" -v g="$g" -v v="$verdict" \
    'BEGIN { printf "%-44s %10d %9.1f %10d %9.1f %s\n", f, n, n / 1024, g, g / 1024, v }'
}
shopt -s nullglob
for f in dist/*.wasm; do row "$f" "$target_dashboard" "$ceiling_dashboard"; done
for f in dist/*.js dist/snippets/*/*.js; do row "$f"; done
row "$npm/phase7_core_bg.wasm" "$target_npm" "$ceiling_npm"
for f in "$npm/phase7_core.js" "$npm"/snippets/*/*.js; do row "$f"; done
if [ "$check" = 1 ] && [ "$status" != 0 ]; then
  echo "size: a wasm grew past its ceiling (see the CEILING EXCEEDED rows)" >&2
  exit 1
fi
