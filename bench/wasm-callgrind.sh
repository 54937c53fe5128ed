#!/usr/bin/env bash
# Instructions (valgrind --tool=callgrind) of one big execution in wasm under Node 20, the
# load-independent counterpart of `node bench/node-bench.mjs` (BENCHMARKS.md, "Issue 10 targets").
#
#   bash scripts/build-wasm.sh && bash bench/wasm-callgrind.sh
#
# V8 runs with --no-liftoff (every wasm function compiled once by TurboFan, when the module
# loads, so no tier-up happens mid-run) and --single-threaded (no background compile or GC
# threads). The whole Node process is counted, so the workload runs 1 and 3 times, each with and
# without the big execution itself (setup only: new Simulator, jobs.create, runUntilIdle):
#   first run    = run(1) − setup(1)
#   steady state = ((run(3) − setup(3)) − (run(1) − setup(1))) / 2
# The native figure to divide by is the memory harness's `memory::run_big` (same workload).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
spec=$target/jobsim-bench/big-execution.json
pkg=$root/bindings/wasm/pkg/node/jobsim_wasm.cjs
[ -f "$pkg" ] || { echo "wasm-callgrind: no package at $pkg: bash scripts/build-wasm.sh" >&2; exit 2; }
[ -f "$spec" ] || (cd "$root" && cargo bench -p jobsim-core --bench engine -- engine/big_execution)

count() { # RUNS MODE → instructions of the whole process
  valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    node --single-threaded --no-liftoff "$root/bench/wasm-callgrind.mjs" "$pkg" "$spec" "$1" "$2" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
node "$root/bench/wasm-callgrind.mjs" "$pkg" "$spec" 1 check
r1=$(count 1 run) s1=$(count 1 setup) r3=$(count 3 run) s3=$(count 3 setup)
echo "wasm-callgrind: run(1) $r1, setup(1) $s1, run(3) $r3, setup(3) $s3"
events=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).events)' "$spec")
first=$((r1 - s1))
steady=$((((r3 - s3) - (r1 - s1)) / 2))
echo "wasm-callgrind: big execution ($events events): first run $first instructions, steady state $steady ($((steady / events)) per event)"
