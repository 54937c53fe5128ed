// Instructions of a workload in wasm under Node, for a wasm ÷ native ratio that does not depend
// on the machine's load (BENCHMARKS.md, "Issue 10 targets", "Issue 10 — API mix in wasm"). Run
// by bench/wasm-callgrind.sh under valgrind; on its own it only repeats the workload:
//
//   node bench/wasm-callgrind.mjs PKG_CJS BIG_EXECUTION_JSON RUNS run|setup|check
//   node bench/wasm-callgrind.mjs PKG_CJS api-mix OPS_JSON SEED SKIP N setup|run|check [METHOD]
//
// Big execution: each of RUNS iterations builds the prepared simulator (jobs.create,
// runUntilIdle) and, in "run" mode, runs the big execution (jobs.run, runUntilIdle), as the
// native harness does. "check" runs it once and checks the event count against the native
// run's; it is kept out of the counted modes because `events()` writes the whole log as JSON
// (~15× the run's cost).
//
// API mix: the world of bench/node-bench.mjs (1,000 jobs, each run once, then 2 s), the mix's
// first SKIP ops (the warm-up: V8 tiers the JS glue up, the wasm's first calls allocate), then
// in "run" mode ops SKIP..SKIP+N. With METHOD, every call of that method among those N is made
// twice (reads only: a read changes nothing, so the second call answers the same), so
// run+METHOD − run is what that method's calls cost. "check" prints the calls and 2xx answers
// of the N ops (the native harness prints the same line for the same ops).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { methodOf, prepare, runOp } from "./api-mix.mjs";

const args = process.argv.slice(2);
const { Simulator } = createRequire(import.meta.url)(args[0]);

function bigExecution(specFile, runs, mode) {
  const spec = JSON.parse(readFileSync(specFile, "utf8"));
  for (let i = 0; i < Number(runs); i++) {
    const sim = new Simulator(spec.options);
    sim.call("jobs.create", spec.job);
    sim.runUntilIdle();
    const before = mode === "check" ? sim.events().length : 0;
    if (mode === "run" || mode === "check") {
      sim.call("jobs.run", { name: "big" });
      sim.runUntilIdle();
    }
    if (mode === "check") {
      const events = sim.events().length - before;
      if (events !== spec.events) throw new Error(`${events} events in wasm, ${spec.events} native`);
    }
    sim.free();
  }
}

function apiMix(opsFile, seed, skip, n, mode, method) {
  const ops = JSON.parse(readFileSync(opsFile, "utf8"));
  const { sim, latest } = prepare(Simulator, Number(seed));
  const from = Number(skip);
  for (const op of ops.slice(0, from)) runOp(sim, latest, op);
  if (mode === "setup") return sim.free();
  if (method && !["jobs.get", "jobs.list", "executions.get", "executions.list", "tasks.get", "tasks.list"].includes(method)) {
    throw new Error(`api-mix: only a read can be doubled, not ${method}`);
  }
  let calls = 0;
  let ok = 0;
  const segment = ops.slice(from, from + Number(n));
  for (const op of segment) {
    if (op[0] !== "tick") calls++;
    if (runOp(sim, latest, op)) ok++;
    if (method && methodOf(op) === method) runOp(sim, latest, op);
  }
  if (mode === "check") {
    const ticks = segment.length - calls;
    console.log(`api_mix harness: ops ${from}..${from + segment.length}: ${calls} calls, ${ok} answered 2xx, ${ticks} clock moves`);
  }
  sim.free();
}

if (args[1] === "api-mix") apiMix(...args.slice(2));
else bigExecution(...args.slice(1));
