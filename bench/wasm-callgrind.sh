#!/usr/bin/env bash
# Instructions (valgrind --tool=callgrind) of a workload in wasm under Node 20, beside the same
# workload natively: the load-independent counterpart of `node bench/node-bench.mjs`
# (BENCHMARKS.md, "Issue 10 targets" and "Issue 10 — API mix in wasm").
#
#   bash scripts/build-wasm.sh && bash bench/wasm-callgrind.sh                # the big execution
#   bash bench/wasm-callgrind.sh api-mix [--by-method]                       # the API mix
#
# V8 runs with --no-liftoff (every wasm function compiled once by TurboFan, when the module
# loads, so no tier-up happens mid-run) and --single-threaded (no background compile or GC
# threads; the API mix: --predictable, which implies it, see below). The whole Node process is
# counted, so each figure is a difference of two runs.
#
# Big execution: the workload runs 1 and 3 times, each with and without the big execution
# itself (setup only: new Simulator, jobs.create, runUntilIdle):
#   first run    = run(1) − setup(1)
#   steady state = ((run(3) − setup(3)) − (run(1) − setup(1))) / 2
# The native figure to divide by is the memory harness's `memory::run_big` (same workload).
#
# API mix: the world of the api_mix bench (1,000 jobs), its first SKIP ops as warm-up, then the
# next N ops counted (env JOBSIM_API_MIX_SKIP, default 1000, and JOBSIM_API_MIX_OPS, default
# 4000: ~1 min of valgrind per run): wasm = run − setup (warm-up included in both); with
# --by-method each read method's calls = run with that method's calls made twice − run, and
# "writes and clock moves" the rest. Native = the api_mix bench binary on the same ops
# (`JOBSIM_API_MIX_*`, see benches/api_mix.rs), counted inside `api_mix::harness::mix` only,
# per method the inclusive cost of its function; both of its paths are given: `call` (a
# `Value` answer, what criterion's api/mix_100k times) and `call_text` (params text → answer
# text, the core work of a wasm `call`). Both halves must answer the same calls with 2xx.
# JOBSIM_WASM_PKG (a package's node/jobsim_wasm.cjs) and JOBSIM_API_MIX_BIN (an api_mix bench
# binary) measure another build, e.g. main's, beside this one.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
spec=$target/jobsim-bench/big-execution.json
pkg=$(realpath "${JOBSIM_WASM_PKG:-$root/bindings/wasm/pkg/node/jobsim_wasm.cjs}")
[ -f "$pkg" ] || { echo "wasm-callgrind: no package at $pkg: bash scripts/build-wasm.sh" >&2; exit 2; }
[ -f "$spec" ] || (cd "$root" && cargo bench -p jobsim-core --bench engine -- engine/big_execution)

instructions() { # COMMAND… → instructions of the whole process (fails when the command does)
  local log
  log=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1) || {
    echo "wasm-callgrind: failed: $*" >&2
    echo "$log" | tail -20 >&2
    return 1
  }
  echo "$log" | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
# --predictable for the API mix: V8 schedules GC and memory-reducer work by wall time, and
# without it two counts of the same API-mix run differed by ~300 M instructions (~4 %); with it
# by ~0.5 M. The big execution keeps the flags its recorded figures were taken with.
node_flags=(--single-threaded)
[ "${1:-}" = api-mix ] && node_flags=(--predictable)
count() { # ARGS of wasm-callgrind.mjs after the package → instructions of the whole process
  instructions node "${node_flags[@]}" --no-liftoff "$root/bench/wasm-callgrind.mjs" "$pkg" "$@"
}

if [ "${1:-}" != api-mix ]; then
  node "$root/bench/wasm-callgrind.mjs" "$pkg" "$spec" 1 check
  r1=$(count "$spec" 1 run) s1=$(count "$spec" 1 setup) r3=$(count "$spec" 3 run) s3=$(count "$spec" 3 setup)
  echo "wasm-callgrind: run(1) $r1, setup(1) $s1, run(3) $r3, setup(3) $s3"
  events=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).events)' "$spec")
  first=$((r1 - s1))
  steady=$((((r3 - s3) - (r1 - s1)) / 2))
  echo "wasm-callgrind: big execution ($events events): first run $first instructions, steady state $steady ($((steady / events)) per event)"
  exit 0
fi

# ── the API mix ──────────────────────────────────────────────────────────────────────────
by_method=${2:-}
skip=${JOBSIM_API_MIX_SKIP:-1000}
n=${JOBSIM_API_MIX_OPS:-4000}
ops=$target/jobsim-bench/api-mix-ops.json
out=${JOBSIM_API_MIX_OUT:-$target/jobsim-bench/api-mix-callgrind}
mkdir -p "$out"
bin=${JOBSIM_API_MIX_BIN:-}
[ -n "$bin" ] || bin=$(cd "$root" && cargo bench -p jobsim-core --bench api_mix --no-run 2>&1 |
  sed -n 's/.*Executable .*(\(.*api_mix-[0-9a-f]*\)).*/\1/p' | tail -1)
[ -x "$root/$bin" ] && bin=$root/$bin
[ -x "$bin" ] || { echo "wasm-callgrind: no api_mix bench binary" >&2; exit 2; }
# The bench writes the mix's ops before criterion filters its benches (no bench matches here).
[ -f "$ops" ] || (cd "$root" && "$bin" --bench no-bench-has-this-name >/dev/null)
seed=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).options.seed)' "$spec")

native=$(JOBSIM_API_MIX_SKIP=$skip JOBSIM_API_MIX_OPS=$n "$bin")
wasm=$(node "$root/bench/wasm-callgrind.mjs" "$pkg" api-mix "$ops" "$seed" "$skip" "$n" check)
echo "wasm-callgrind: native: $native"
echo "wasm-callgrind: wasm:   $wasm"
[ "$native" = "$wasm" ] || { echo "wasm-callgrind: the two halves answered differently" >&2; exit 1; }

# JOBSIM_API_MIX_REPORT_ONLY=1: only the table again, from the counts already in $out.
if [ -z "${JOBSIM_API_MIX_REPORT_ONLY:-}" ]; then
  for path in value text; do # native: one run per path, per-method inclusive costs kept
    (cd "$out" && JOBSIM_API_MIX_PATH=$path JOBSIM_API_MIX_SKIP=$skip JOBSIM_API_MIX_OPS=$n \
      valgrind --tool=callgrind --toggle-collect='api_mix::harness::mix' --callgrind-out-file="$out/native-$path.cg" \
      "$bin" >/dev/null 2>&1)
  done
  methods=()
  [ "$by_method" = --by-method ] && methods=(jobs.get jobs.list executions.get executions.list tasks.get tasks.list)
  setup=$(count api-mix "$ops" "$seed" "$skip" "$n" setup)
  run=$(count api-mix "$ops" "$seed" "$skip" "$n" run)
  printf 'setup %s\nrun %s\n' "$setup" "$run" >"$out/wasm.txt"
  for m in "${methods[@]}"; do
    twice=$(count api-mix "$ops" "$seed" "$skip" "$n" run "$m")
    echo "$m $twice" >>"$out/wasm.txt"
  done
fi
for path in value text; do # --threshold=100: every function, however small its share
  callgrind_annotate --inclusive=yes --threshold=100 "$out/native-$path.cg" 2>/dev/null |
    sed -n 's/^ *\([0-9,]*\) .*api_mix::harness::\([a-z_]*\) .*/\2 \1/p' | tr -d , >"$out/native-$path.txt"
done
node - "$ops" "$skip" "$n" "$out" <<'JS'
const fs = require("fs");
const [opsFile, skip, n, out] = process.argv.slice(2);
const ops = JSON.parse(fs.readFileSync(opsFile, "utf8")).slice(Number(skip), Number(skip) + Number(n));
const methodOf = (op) => (op[0] === "call" ? op[1] : op[0] === "taskGet" ? "tasks.get" : op[0] === "taskList" ? "tasks.list" : "clock moves");
const calls = new Map();
for (const op of ops) calls.set(methodOf(op), (calls.get(methodOf(op)) ?? 0) + 1);
const table = (f) => new Map(fs.readFileSync(`${out}/${f}`, "utf8").trim().split("\n").map((l) => l.split(" ")).map(([k, v]) => [k, Number(v)]));
const fn = (m) => (m === "clock moves" ? "clock_move" : m.replace(".", "_").replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
const value = table("native-value.txt"), text = table("native-text.txt"), wasm = table("wasm.txt");
const total = wasm.get("run") - wasm.get("setup");
const reads = ["jobs.get", "jobs.list", "executions.get", "executions.list", "tasks.get", "tasks.list"];
const rows = [];
let readsWasm = 0, readsValue = 0, readsText = 0;
for (const m of reads) {
  const v = value.get(fn(m)) ?? 0, t = text.get(fn(m)) ?? 0;
  readsValue += v;
  readsText += t;
  const w = wasm.has(m) ? wasm.get(m) - wasm.get("run") : undefined;
  if (w !== undefined) readsWasm += w;
  rows.push([m, calls.get(m) ?? 0, v, t, w]);
}
const by = wasm.size > 2;
const writes = [...calls.keys()].filter((m) => !reads.includes(m));
const sum = (t) => writes.reduce((a, m) => a + (t.get(fn(m)) ?? 0), 0);
if (by) rows.push(["writes and clock moves", writes.reduce((a, m) => a + (m === "clock moves" ? 0 : calls.get(m)), 0), sum(value), sum(text), total - readsWasm]);
const allCalls = [...calls].reduce((a, [m, c]) => a + (m === "clock moves" ? 0 : c), 0);
rows.push(["all (per call)", allCalls, value.get("mix"), text.get("mix"), total]);
const f = (x) => (x === undefined ? "" : Math.round(x).toLocaleString("en-US"));
const r = (a, b) => (a === undefined || !b ? "" : `${(a / b).toFixed(2)}×`);
console.log(`\nAPI mix, ops ${skip}..${Number(skip) + ops.length}: instructions per call (callgrind; wasm = Node ${process.version} --no-liftoff)\n`);
console.log("| method | calls | native `call` | native `call_text` | wasm `call` | wasm ÷ native `call` | wasm ÷ native `call_text` |");
console.log("|---|---:|---:|---:|---:|---:|---:|");
for (const [m, c, v, t, w] of rows) {
  const per = (x) => (x === undefined || !c ? undefined : x / c);
  console.log(`| ${m} | ${c} | ${f(per(v))} | ${f(per(t))} | ${f(per(w))} | ${r(w, v)} | ${r(w, t)} |`);
}
console.log(`\ntotals: native call ${f(value.get("mix"))}, native call_text ${f(text.get("mix"))}, wasm ${f(total)} instructions`);
JS
