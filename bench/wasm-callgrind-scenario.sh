#!/usr/bin/env bash
# Instructions (valgrind --tool=callgrind) of `Simulator.runScenario(text)` in wasm under Node 20,
# per run, for scenario files (default: scenarios/etl-retries.yaml and bench/big-execution.yaml);
# with MODE=log, of reading `events()` and `snapshot()` of the scenario's world instead:
# load-independent, like bench/wasm-callgrind.sh (same V8 flags: --no-liftoff, --single-threaded).
# The whole Node process is counted with 0, 1 and N runs (N=3 unless given; a small scenario
# wants more, e.g. N=21: V8's collector makes a few million instructions of noise per process):
#   first run    = run(1) − run(0)
#   steady state = (run(N) − run(1)) / (N − 1)
#
#   bash scripts/build-wasm.sh && bash bench/wasm-callgrind-scenario.sh [PKG_CJS] [FILE…]
#   MODE=log bash bench/wasm-callgrind-scenario.sh [PKG_CJS] [FILE…]
#   N=21 bash bench/wasm-callgrind-scenario.sh [PKG_CJS] scenarios/etl-retries.yaml
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
  n=${N:-3}
  r0=$(count "$f" 0) r1=$(count "$f" 1) rn=$(count "$f" "$n")
  echo "wasm-callgrind-scenario (${MODE:-run}): $(basename "$f"): run(0) $r0, run(1) $r1, run($n) $rn;" \
    "first run $((r1 - r0)), steady state $(((rn - r1) / (n - 1))) instructions"
done
