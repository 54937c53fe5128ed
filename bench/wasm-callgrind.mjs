// Instructions of the big execution in wasm under Node, for a wasm ÷ native ratio that does not
// depend on the machine's load (BENCHMARKS.md, "Issue 10 targets"). Run by
// bench/wasm-callgrind.sh under valgrind; on its own it only repeats the workload:
//
//   node bench/wasm-callgrind.mjs PKG_CJS BIG_EXECUTION_JSON RUNS run|setup|check
//
// Each of RUNS iterations builds the prepared simulator (jobs.create, runUntilIdle) and, in
// "run" mode, runs the big execution (jobs.run, runUntilIdle), as the native harness does.
// "check" runs it once and checks the event count against the native run's; it is kept out of
// the counted modes because `events()` writes the whole log as JSON (~15× the run's cost).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const [pkg, specFile, runs, mode] = process.argv.slice(2);
const { Simulator } = createRequire(import.meta.url)(pkg);
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
