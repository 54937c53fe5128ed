// Wall time of the API mix in wasm, two packages side by side in one Node process (e.g. main's
// and this tree's), alternated so that both see the same machine load (BENCHMARKS.md, "Issue 10
// — API mix in wasm"). Each run: the prepared world (untimed), then ops SKIP..SKIP+N timed.
//
//   node bench/api-mix-side-by-side.mjs PKG_A_CJS PKG_B_CJS [SKIP=1000] [N=20000] [RUNS=7]
//
// The ops are <target>/jobsim-bench/api-mix-ops.json (cargo bench -p jobsim-core --bench api_mix).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { prepare, runOp } from "./api-mix.mjs";

const [a, b, skip = "1000", n = "20000", runs = "7"] = process.argv.slice(2);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const data = join(process.env.CARGO_TARGET_DIR ?? join(root, "target"), "jobsim-bench");
const ops = JSON.parse(readFileSync(join(data, "api-mix-ops.json"), "utf8"));
const seed = JSON.parse(readFileSync(join(data, "big-execution.json"), "utf8")).options.seed;
const require = createRequire(import.meta.url);
const packages = [a, b].map((p) => require(p).Simulator);

function once(Simulator) {
  const { sim, latest } = prepare(Simulator, seed);
  for (const op of ops.slice(0, Number(skip))) runOp(sim, latest, op);
  let ok = 0;
  const t0 = process.hrtime.bigint();
  for (const op of ops.slice(Number(skip), Number(skip) + Number(n))) if (runOp(sim, latest, op)) ok++;
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  sim.free();
  return { ms, ok };
}

const times = [[], []];
for (let r = 0; r < Number(runs) + 1; r++) {
  packages.forEach((Simulator, i) => {
    const { ms, ok } = once(Simulator);
    if (r > 0) times[i].push(ms); // the first round warms the JIT up
    if (r === 0) console.log(`${[a, b][i]}: ${ok} calls answered 2xx`);
  });
}
const median = (xs) => [...xs].sort((x, y) => x - y)[(xs.length - 1) >> 1];
const [ma, mb] = times.map(median);
console.log(`A ${ma.toFixed(1)} ms, B ${mb.toFixed(1)} ms (medians of ${runs}), B ÷ A ${(mb / ma).toFixed(3)}`);
console.log(`A runs: ${times[0].map((t) => t.toFixed(0)).join(" ")}`);
console.log(`B runs: ${times[1].map((t) => t.toFixed(0)).join(" ")}`);
