// Runs `Simulator.runScenario` of one scenario file RUNS times in wasm under Node (RUNS 0: only
// loads the package and reads the file), for bench/wasm-callgrind-scenario.sh, which counts the
// instructions of the whole process under valgrind (BENCHMARKS.md, "Issue 10 — text out").
//
//   node bench/wasm-callgrind-scenario.mjs PKG_CJS SCENARIO_FILE RUNS
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const [pkg, file, runs] = process.argv.slice(2);
const { Simulator } = createRequire(import.meta.url)(pkg);
const text = readFileSync(file, "utf8");
let bytes = 0;
for (let i = 0; i < Number(runs); i++) bytes += Simulator.runScenario(text).length;
if (Number(runs) > 0 && bytes === 0) throw new Error("runScenario wrote nothing");
