#!/usr/bin/env bash
# Serves the web demo: builds the wasm package if it is missing, then serves the repository
# root on http://127.0.0.1:${PORT:-8000}/web-demo/ (any static server of the root works too,
# e.g. `python3 -m http.server` from the repository root).
set -euo pipefail
demo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
root=$(cd "$demo/.." && pwd)
if [ ! -f "$root/bindings/wasm/pkg/web/jobsim_wasm.js" ]; then
  echo "serve: building the wasm package (scripts/build-wasm.sh)"
  bash "$root/scripts/build-wasm.sh"
fi
exec node "$demo/scripts/static-server.mjs" --root "$root" --port "${PORT:-8000}" --host "${HOST:-127.0.0.1}" "$@"
