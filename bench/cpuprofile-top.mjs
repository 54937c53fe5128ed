// Self time by function of a V8 CPU profile (`node --cpu-prof`), heaviest first: where a wasm
// run spends its time, by wasm function name when the package keeps its name section
// (BENCHMARKS.md, "Issue 10 — API mix in wasm").
//
//   node bench/cpuprofile-top.mjs FILE.cpuprofile [N]
import { readFileSync } from "node:fs";

const [file, top = "40"] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = profile.timeDeltas;
profile.samples.forEach((id, i) => {
  const f = byId.get(id).callFrame;
  const key = `${f.functionName || "(anonymous)"} ${f.url ? f.url.split("/").pop() : ""}`.trim();
  self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);
console.log(`total ${(total / 1000).toFixed(0)} ms sampled`);
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
  console.log(`${((100 * v) / total).toFixed(1).padStart(5)} %  ${(v / 1000).toFixed(1).padStart(8)} ms  ${k}`);
}
