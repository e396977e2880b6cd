#!/usr/bin/env bash
# Prints the sizes of the release build's wasm and JS (dist/*.wasm, dist/*.js), in bytes
# and KiB, raw and gzip-compressed. Builds with `trunk build --release` first when dist/
# is missing or older than the web or core sources (or always with --build).
set -euo pipefail
cd "$(dirname "$0")/.."

stale() {
  [ ! -f dist/index.html ] && return 0
  [ -n "$(find web core/src index.html Trunk.toml Cargo.lock -newer dist/index.html -type f -print -quit)" ]
}
if [ "${1:-}" = "--build" ] || stale; then
  echo "size: trunk build --release" >&2
  trunk build --release --dist dist >&2
fi

shopt -s nullglob
files=(dist/*.wasm dist/*.js)
if [ ${#files[@]} -eq 0 ]; then
  echo "size: no dist/*.wasm or dist/*.js" >&2
  exit 1
fi
printf '%-28s %12s %10s %12s %10s\n' file bytes KiB gzip_bytes gzip_KiB
for f in "${files[@]}"; do
  n=$(wc -c <"$f")
  g=$(gzip -9 -c "$f" | wc -c)
  awk -v f="$f" -v n="$n" -v g="$g" 'BEGIN { printf "%-28s %12d %10.1f %12d %10.1f\n", f, n, n / 1024, g, g / 1024 }'
done
