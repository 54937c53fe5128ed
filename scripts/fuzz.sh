#!/usr/bin/env bash
# Runs every cargo-fuzz target of jobsim for a bounded time and fails on any crash
# (RELIABILITY.md). Part of scripts/test.sh.
#
#   FUZZ_SECONDS=30 bash scripts/fuzz.sh          # seconds per target (default 30)
#   FUZZ_TARGETS="replay" bash scripts/fuzz.sh    # a subset
#
# Needs the nightly toolchain (`rustup toolchain install nightly` when missing) and cargo-fuzz
# (installed here when missing). Each target starts from its committed seed corpus
# fuzz/corpus/<target>/ (only read) and writes what it finds to a scratch corpus, so the work tree
# stays clean; a crash leaves its input in fuzz/artifacts/<target>/ and fails the script.
# Prints, per target, the executions run and the scratch corpus size, then the total.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

seconds=${FUZZ_SECONDS:-30}
targets=${FUZZ_TARGETS:-"scenario api_call replay"}

if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --help >/dev/null 2>&1; then
  cargo install cargo-fuzz
fi

# One build for all targets. No sanitizer: the engine is safe Rust, and without ASan each target
# runs about twice as many inputs in the same time; debug assertions and overflow checks stay on
# (cargo-fuzz's default), so the engine's invariant checks run on every event.
build=(--sanitizer none)
cargo +nightly fuzz build "${build[@]}"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
total=0
failed=0
for t in $targets; do
  mkdir -p "$scratch/$t" "fuzz/artifacts/$t"
  log="$scratch/$t.log"
  echo "fuzz: $t for ${seconds}s"
  # -timeout: one input running this long counts as a crash (a hang); -rss_limit_mb: memory.
  if cargo +nightly fuzz run "${build[@]}" "$t" "$scratch/$t" "fuzz/corpus/$t" -- \
      -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1; then
    status=ok
  else
    status=CRASH
    failed=$((failed + 1))
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  runs=${runs:-0}
  total=$((total + runs))
  echo "fuzz: $t: $status, $runs executions, corpus $(ls "$scratch/$t" | wc -l) inputs"
  if [ "$status" != ok ]; then
    grep -E "panicked|ERROR|SUMMARY|Test unit written|Base64" "$log" | head -20 >&2 || tail -40 "$log" >&2
  fi
done
echo "fuzz: $total executions in total, $failed target(s) crashed"
[ "$failed" = 0 ]
