#!/usr/bin/env bash
# The test command of the wasm bindings: build the package, install the dev tools, check the
# TypeScript types (typed usage, and the drift test of real outputs against them), run the Node
# tests (API, errors, fuzz, loading, memory, determinism).
#
#   bash bindings/wasm/scripts/test.sh            # from anywhere
#   JOBSIM_BIN=path/to/jobsim bash ...            # which CLI the determinism test compares with
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
root=$(cd "$here/../.." && pwd)

# 1. The package (bindings/wasm/pkg).
bash "$root/scripts/build-wasm.sh"

# 2. The CLI the determinism test compares with, unless one is given.
if [ -z "${JOBSIM_BIN:-}" ]; then
  (cd "$root" && cargo build -p jobsim-cli --release)
fi

# 3. Dev tools (typescript, binaryen), by the lock (build-wasm.sh has installed them already).
bash "$here/scripts/dev-tools.sh"
cd "$here"
# Consumers load the package by name; link it so the tests resolve "jobsim" through its exports.
ln -sfn ../pkg node_modules/jobsim

# 4. Types: a typed usage file per entry point, checked against the generated .d.ts.
node node_modules/typescript/bin/tsc -p test/types/tsconfig.json

# 5. Type drift: every shipped scenario's real outputs (responses, errors, event envelopes) as
#    TypeScript values that must satisfy the published types (scripts/type-drift.mjs).
echo
echo "==> wasm: TypeScript drift test (scenario outputs satisfy the published .d.ts)"
node scripts/type-drift.mjs
node node_modules/typescript/bin/tsc -p test/types/tsconfig.drift.json
echo "--> ok: the published types describe every shipped scenario's outputs"

# 6. The Node tests.
node --test test/
