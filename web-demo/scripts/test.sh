#!/usr/bin/env bash
# Runs the web demo's tests: the unit tests (Node) and the end-to-end test in a real browser
# (Debian's chromium driven by playwright-core; no browser download).
#
#   bash web-demo/scripts/test.sh
#
# Installs what is missing first: the npm dev dependencies (npm ci), the wasm package
# (scripts/build-wasm.sh, only if bindings/wasm/pkg is missing) and the jobsim CLI
# (cargo build -p jobsim-cli, incremental; JOBSIM_BIN overrides). Chromium comes from the
# system: /usr/bin/chromium (apt-get install chromium) or CHROMIUM_BIN.
# UPDATE_README_SCREENSHOT=1 also refreshes web-demo/screenshot.png.
set -euo pipefail

demo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
root=$(cd "$demo/.." && pwd)
cd "$demo"

if [ ! -f node_modules/playwright-core/package.json ]; then
  echo "web-demo test: installing npm dev dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

pkg=$root/bindings/wasm/pkg
if [ ! -f "$pkg/web/jobsim_wasm.js" ] || [ ! -f "$pkg/node/jobsim_wasm.mjs" ]; then
  echo "web-demo test: building the wasm package (scripts/build-wasm.sh)"
  bash "$root/scripts/build-wasm.sh"
fi

if [ -z "${JOBSIM_BIN:-}" ]; then
  (cd "$root" && cargo build --quiet -p jobsim-cli)
  export JOBSIM_BIN="${CARGO_TARGET_DIR:-$root/target}/debug/jobsim"
fi

chromium=${CHROMIUM_BIN:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "web-demo test: no chromium at $chromium (Debian: apt-get install chromium; or set CHROMIUM_BIN)" >&2
  exit 1
fi
export CHROMIUM_BIN=$chromium

node --test --test-concurrency=1 test/unit.test.mjs test/e2e.mjs
