#!/usr/bin/env bash
# Installs the dev tools of bindings/wasm (typescript, binaryen's wasm-opt) exactly as
# package-lock.json pins them; skipped when node_modules already matches the lock.
# Used by scripts/build-wasm.sh (wasm-opt) and bindings/wasm/scripts/test.sh (tsc).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$here/../../scripts/npm-ci-once.sh" "$here"
