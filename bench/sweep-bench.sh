#!/usr/bin/env bash
# Issue 12 — sweeps: runs per second of `jobsim sweep` for a 100-task and a 10,000-task job,
# 1 and 2 threads side by side (hyperfine), and instructions per run (callgrind: the difference
# between two run counts, so start-up and summary cost cancel out). Figures: BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p jobsim-cli
J=target/release/jobsim
uptime
hyperfine -N -w 1 -r 5 \
  "$J sweep bench/sweep/tasks-100.yaml --runs 10000 --threads 1 --format json" \
  "$J sweep bench/sweep/tasks-100.yaml --runs 10000 --threads 2 --format json" \
  "$J sweep bench/sweep/tasks-10000.yaml --runs 40 --threads 1 --format json" \
  "$J sweep bench/sweep/tasks-10000.yaml --runs 40 --threads 2 --format json"
if [ "${CALLGRIND:-0}" = 1 ]; then
  count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | sed -n 's/.*Collected : //p'; }
  a=$(count $J sweep bench/sweep/tasks-100.yaml --runs 100 --threads 1 --format json)
  b=$(count $J sweep bench/sweep/tasks-100.yaml --runs 200 --threads 1 --format json)
  c=$(count $J sweep bench/sweep/tasks-100.yaml --runs 200 --threads 2 --format json)
  echo "100-task: $(( (b - a) / 100 )) instructions per run; 200 runs on 2 threads: $c vs 1 thread: $b"
  a=$(count $J sweep bench/sweep/tasks-10000.yaml --runs 2 --threads 1 --format json)
  b=$(count $J sweep bench/sweep/tasks-10000.yaml --runs 4 --threads 1 --format json)
  echo "10,000-task: $(( (b - a) / 2 )) instructions per run"
fi
uptime
