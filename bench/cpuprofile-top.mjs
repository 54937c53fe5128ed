// Self time by function of a V8 CPU profile (`node --cpu-prof`), heaviest first: where a wasm
// run spends its time, by wasm function name when the package keeps its name section
// (BENCHMARKS.md, "Issue 10 — API mix in wasm").
//
//   node bench/cpuprofile-top.mjs FILE.cpuprofile [N]
//   node bench/cpuprofile-top.mjs FILE.cpuprofile N REGEX   # who calls the functions matching
//                                                           # REGEX: their callers' chains, 5 deep
import { readFileSync } from "node:fs";

const [file, top = "40", callers] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const short = (f) => (f.functionName || "(anonymous)").replace(/::h[0-9a-f]{16}$/, "").slice(0, 90);
const self = new Map();
const dt = profile.timeDeltas;
profile.samples.forEach((id, i) => {
  const f = byId.get(id).callFrame;
  let key = `${f.functionName || "(anonymous)"} ${f.url ? f.url.split("/").pop() : ""}`.trim();
  if (callers) {
    if (!new RegExp(callers).test(f.functionName)) return;
    const chain = [];
    for (let p = parent.get(id); p !== undefined && chain.length < 5; p = parent.get(p)) chain.push(short(byId.get(p).callFrame));
    key = chain.join(" < ");
  }
  self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);
console.log(`total ${(total / 1000).toFixed(0)} ms sampled`);
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
  console.log(`${((100 * v) / total).toFixed(1).padStart(5)} %  ${(v / 1000).toFixed(1).padStart(8)} ms  ${k}`);
}
