#!/usr/bin/env bash
# Sets up what is missing, builds the dashboard (trunk, release) and serves it on
# 127.0.0.1 with the bundled sample loaded. PORT=8080 by default.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh run
export PATH="$HOME/.cargo/bin:$PATH"
port="${PORT:-8080}"
echo "phase7 dashboard: http://127.0.0.1:${port}/  (Ctrl-C to stop)"
. scripts/wasm_release.sh
exec trunk serve --release --address 127.0.0.1 --port "$port"
