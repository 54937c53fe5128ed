#!/usr/bin/env bash
# Instructions (valgrind --tool=callgrind) of `Simulator.runScenario(text)` in wasm under Node 20,
# per run, for scenario files (default: scenarios/etl-retries.yaml and bench/big-execution.yaml);
# with MODE=log, of reading `events()` and `snapshot()` of the scenario's world instead:
# load-independent, like bench/wasm-callgrind.sh (same V8 flags: --no-liftoff, --single-threaded).
# The whole Node process is counted with 0, 1 and 3 runs:
#   first run    = run(1) − run(0)
#   steady state = (run(3) − run(1)) / 2
#
#   bash scripts/build-wasm.sh && bash bench/wasm-callgrind-scenario.sh [PKG_CJS] [FILE…]
#   MODE=log bash bench/wasm-callgrind-scenario.sh [PKG_CJS] [FILE…]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
pkg=${1:-$root/bindings/wasm/pkg/node/jobsim_wasm.cjs}
shift || true
[ -f "$pkg" ] || { echo "wasm-callgrind-scenario: no package at $pkg: bash scripts/build-wasm.sh" >&2; exit 2; }
files=("$@")
[ ${#files[@]} -gt 0 ] || files=("$root/scenarios/etl-retries.yaml" "$root/bench/big-execution.yaml")

count() { # FILE RUNS → instructions of the whole process
  valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    node --single-threaded --no-liftoff "$root/bench/wasm-callgrind-scenario.mjs" "$pkg" "$1" "$2" "${MODE:-run}" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
for f in "${files[@]}"; do
  r0=$(count "$f" 0) r1=$(count "$f" 1) r3=$(count "$f" 3)
  echo "wasm-callgrind-scenario (${MODE:-run}): $(basename "$f"): run(0) $r0, run(1) $r1, run(3) $r3;" \
    "first run $((r1 - r0)), steady state $(((r3 - r1) / 2)) instructions"
done
