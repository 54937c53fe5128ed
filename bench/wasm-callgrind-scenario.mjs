// Runs a scenario file in wasm under Node, for bench/wasm-callgrind-scenario.sh, which counts
// the instructions of the whole process under valgrind (BENCHMARKS.md, "Issue 10 — text out"):
//   MODE "run" (default): `Simulator.runScenario(text)` RUNS times (RUNS 0: only loads the
//     package and reads the file);
//   MODE "log": runs the scenario once step by step (`runStep`), then reads `events()` and
//     `snapshot()` RUNS times (RUNS 0: the steps only).
//
//   node bench/wasm-callgrind-scenario.mjs PKG_CJS SCENARIO_FILE RUNS [run|log]
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const [pkg, file, runs, mode = "run"] = process.argv.slice(2);
const { Simulator, parseDocument } = createRequire(import.meta.url)(pkg);
const text = readFileSync(file, "utf8");
let bytes = 0;
if (mode === "log") {
  const { steps, ...options } = parseDocument(text);
  const sim = new Simulator(options);
  steps.forEach((step, i) => {
    try {
      sim.runStep(step, i);
    } catch {
      // A refused step is an outcome; the log goes on.
    }
  });
  for (let i = 0; i < Number(runs); i++) bytes += sim.events().length + Object.keys(sim.snapshot()).length;
} else {
  for (let i = 0; i < Number(runs); i++) bytes += Simulator.runScenario(text).length;
}
if (Number(runs) > 0 && bytes === 0) throw new Error("nothing was written");
