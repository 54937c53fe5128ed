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

/** The `jobs.create` body of the mix's jobs (workloads::job_body; bench/node-bench.mjs). */
function jobBody(name, i) {
  const tier = ["gold", "silver", "bronze"][i % 3];
  return {
    metadata: { name, labels: { team: `t${i % 20}`, tier } },
    spec: { template: { spec: { taskCount: 2 + (i % 3), parallelism: 2,
      template: { spec: { maxRetries: 1, containers: [{ image: "us-docker.pkg.dev/demo/app:1" }] } } } } },
  };
}

/** The method of one op of api-mix-ops.json (`null` for a clock move). */
const methodOf = (op) => (op[0] === "call" ? op[1] : op[0] === "taskGet" ? "tasks.get" : op[0] === "taskList" ? "tasks.list" : null);

/** Runs one op as bench/node-bench.mjs does; true when it answered 2xx. */
function runOp(sim, latest, op) {
  try {
    if (op[0] === "call") {
      const answer = sim.call(op[1], op[2]);
      if (op[1] === "jobs.run") latest.set(op[2].name, answer.metadata.name);
    } else if (op[0] === "taskGet") {
      sim.call("tasks.get", { name: `${latest.get(op[1]) ?? "none"}-task0` });
    } else {
      const exec = latest.get(op[1]) ?? "none";
      sim.call("tasks.list", {
        query: { labelSelector: `run.googleapis.com/execution=${exec},run.googleapis.com/runningState in (Running,Failed)` },
      });
    }
    return true;
  } catch (e) {
    if (typeof e?.code !== "string") throw e;
    return false;
  }
}

function apiMix(opsFile, seed, skip, n, mode, method) {
  const ops = JSON.parse(readFileSync(opsFile, "utf8"));
  const sim = new Simulator({ seed: Number(seed) });
  const latest = new Map();
  for (let j = 0; j < 1000; j++) {
    const name = `job-${j}`;
    sim.call("jobs.create", { body: jobBody(name, j) });
    latest.set(name, sim.call("jobs.run", { name }).metadata.name);
  }
  sim.advance(2);
  const from = Number(skip);
  for (const op of ops.slice(0, from)) {
    if (op[0] === "tick") sim.advance(1);
    else runOp(sim, latest, op);
  }
  if (mode === "setup") return sim.free();
  if (method && !["jobs.get", "jobs.list", "executions.get", "executions.list", "tasks.get", "tasks.list"].includes(method)) {
    throw new Error(`api-mix: only a read can be doubled, not ${method}`);
  }
  let calls = 0;
  let ok = 0;
  let ticks = 0;
  const segment = ops.slice(from, from + Number(n));
  for (const op of segment) {
    if (op[0] === "tick") {
      sim.advance(1);
      ticks++;
      continue;
    }
    calls++;
    if (runOp(sim, latest, op)) ok++;
    if (method && methodOf(op) === method) runOp(sim, latest, op);
  }
  if (mode === "check") {
    console.log(`api_mix harness: ops ${from}..${from + segment.length}: ${calls} calls, ${ok} answered 2xx, ${ticks} clock moves`);
  }
  sim.free();
}

if (args[1] === "api-mix") apiMix(...args.slice(2));
else bigExecution(...args.slice(1));
