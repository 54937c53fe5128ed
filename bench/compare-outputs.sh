#!/usr/bin/env bash
# Every face's output for the shipped scenarios, to compare two builds byte for byte (issue 10:
# "no behaviour change"): `jobsim run` (text and json), `events`, `explain`, `replay` of those
# events for scenarios/*.yaml and bench/big-execution.yaml, and `replay` of
# tests/fixtures/events/*.jsonl; each file ends with the exit code.
#
#   bash bench/compare-outputs.sh OLD_BIN /tmp/old && bash bench/compare-outputs.sh target/release/jobsim /tmp/new
#   diff -r /tmp/old /tmp/new
set -u
bin=$(realpath "$1")
out=$2
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rm -rf "$out"
mkdir -p "$out"
out=$(realpath "$out")
cd "$root"
for s in scenarios/*.yaml bench/big-execution.yaml; do
  n=$(basename "$s" .yaml)
  "$bin" run "$s" >"$out/$n.run.txt" 2>&1; echo "rc=$?" >>"$out/$n.run.txt"
  "$bin" run "$s" --format json >"$out/$n.run.json" 2>&1; echo "rc=$?" >>"$out/$n.run.json"
  "$bin" events "$s" >"$out/$n.events.jsonl" 2>"$out/$n.events.err"; echo "rc=$?" >>"$out/$n.events.err"
  "$bin" explain "$s" >"$out/$n.explain.txt" 2>&1; echo "rc=$?" >>"$out/$n.explain.txt"
  "$bin" replay "$out/$n.events.jsonl" >"$out/$n.replay.txt" 2>&1; echo "rc=$?" >>"$out/$n.replay.txt"
done
for f in tests/fixtures/events/*.jsonl; do
  n=$(basename "$f" .jsonl)
  "$bin" replay "$f" >"$out/fixture-$n.replay.txt" 2>&1; echo "rc=$?" >>"$out/fixture-$n.replay.txt"
done
