#!/usr/bin/env bash
# The CLI end to end (BENCHMARKS.md, "Issue 10 targets"): `jobsim run` of the big execution as
# a process — start-up, scenario parsing, the run, page faults and output included.
#
#   bash bench/cli-bench.sh [RUNS]          # wall time (hyperfine when installed), page faults
#   CALLGRIND=1 bash bench/cli-bench.sh     # also: instructions under valgrind --tool=callgrind
#
# The scenario is bench/big-execution.yaml: the native benches' own workload (the options and
# job of crates/jobsim-core/benches/support/workloads.rs) as steps: jobs.create, runUntilIdle,
# jobs.run, runUntilIdle (22,353 events in the log). The CLI is <target>/release/jobsim (built
# here with `cargo build --release`).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
target=${CARGO_TARGET_DIR:-$root/target}
data=$target/jobsim-bench
runs=${1:-10}
mkdir -p "$data"
cargo build -q --release -p jobsim-cli
bin=$target/release/jobsim
scenario=$root/bench/big-execution.yaml

events=$("$bin" events "$scenario" | wc -l)
echo "cli-bench: $scenario: $events events in the log"
for format in text json; do
  echo "cli-bench: jobsim run --format $format: $("$bin" run "$scenario" --format "$format" | wc -c) bytes of output"
done

# Wall time: noisy on a shared machine; the median of several runs.
for format in text json; do
  if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 2 --runs "$runs" --export-json "$data/cli-$format.json" "$bin run $scenario --format $format" >/dev/null
    median=$(node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1])).results[0]; console.log(r.median)' "$data/cli-$format.json")
    # CPU time (user + system) suffers less from other processes than wall time on a shared machine.
    node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1])).results[0];
      console.log(`cli-bench: jobsim run --format ${process.argv[2]}: mean CPU ${((r.user + r.system) * 1000).toFixed(1)} ms (user ${(r.user * 1000).toFixed(1)}, system ${(r.system * 1000).toFixed(1)})`)' "$data/cli-$format.json" "$format"
  else
    median=$(for _ in $(seq "$runs"); do
      s=$(date +%s%N); "$bin" run "$scenario" --format "$format" >/dev/null; e=$(date +%s%N); echo $(((e - s) / 1000))
    done | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] / 1e6 }')
  fi
  rate=$(awk -v n="$events" -v t="$median" 'BEGIN { printf "%.2f", n / t / 1e6 }')
  echo "cli-bench: jobsim run --format $format: median $(awk -v t="$median" 'BEGIN { printf "%.1f", t * 1000 }') ms over $runs runs = $rate M events/s"
done

# Page faults and peak memory of one run (GNU time's %R: minor faults, %M: max RSS in KiB).
if [ -x /usr/bin/time ]; then
  for format in text json; do
    /usr/bin/time -f "cli-bench: jobsim run --format $format: %R minor page faults, max RSS %M KiB" \
      "$bin" run "$scenario" --format "$format" >/dev/null
  done
fi

# Instructions (independent of the machine's load): the whole process, start-up included.
if [ -n "${CALLGRIND:-}" ]; then
  for format in text json; do
    out=$(mktemp)
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" run "$scenario" --format "$format" 2>"$out" >/dev/null
    ir=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$out")
    rm -f "$out"
    echo "cli-bench: jobsim run --format $format: $ir instructions ($((ir / events)) per event)"
  done
fi
