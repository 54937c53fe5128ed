// The Node benchmark (BENCHMARKS.md, "Native benchmarks" → "wasm in Node"): the big execution
// and the API mix through the wasm package, beside the native figures of the same workloads.
//
//   bash scripts/build-wasm.sh                  # the package, bindings/wasm/pkg
//   node bench/node-bench.mjs                   # runs the native benches first when their
//                                               # results are missing (cargo bench, ~1 min)
//   node bench/node-bench.mjs --native-again    # re-runs the native benches first anyway
//   node bench/node-bench.mjs --by-method       # also: the API mix's wasm time by method
//
// The workloads are the native benches' own: the big execution's options and job come from
// <target>/jobsim-bench/big-execution.json and the API mix's 100,000 calls from
// api-mix-ops.json (both written by `cargo bench -p jobsim-core --bench engine|api_mix`), and
// the wasm run must give the same event count and the same number of 2xx answers. Native
// times are criterion's medians (<target>/criterion/…/new/estimates.json); wasm times are the
// median of several runs, each on a fresh simulator, setup untimed. Prints a Markdown table and
// the wasm/native ratio of each against issue 10's target (TARGET below: ≤ 2×; the first
// benchmarks' was 2.5×).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { methodOf, prepare, runOp } from "./api-mix.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = process.env.CARGO_TARGET_DIR ?? join(root, "target");
const data = join(target, "jobsim-bench");
const criterion = join(target, "criterion");
const pkg = join(root, "bindings", "wasm", "pkg", "node", "jobsim_wasm.cjs");

if (!existsSync(pkg)) {
  console.error(`node-bench: no wasm package at ${pkg}; build it with: bash scripts/build-wasm.sh`);
  process.exit(2);
}
const { Simulator } = createRequire(import.meta.url)(pkg);

const nativeFiles = {
  engine: [join(data, "big-execution.json"), join(criterion, "engine", "big_execution", "new", "estimates.json")],
  api_mix: [join(data, "api-mix.json"), join(data, "api-mix-ops.json"), join(criterion, "api", "mix_100k", "new", "estimates.json")],
};
for (const [bench, files] of Object.entries(nativeFiles)) {
  if (process.argv.includes("--native-again") || files.some((f) => !existsSync(f))) {
    const filter = bench === "engine" ? "engine/big_execution" : "api/mix_100k";
    console.error(`node-bench: running the native bench: cargo bench -p jobsim-core --bench ${bench} -- ${filter}`);
    execFileSync("cargo", ["bench", "-p", "jobsim-core", "--bench", bench, "--", filter], {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
}
const readJson = (f) => JSON.parse(readFileSync(f, "utf8"));
/** Criterion's median of a bench, in ms. */
const nativeMs = (group, name) =>
  readJson(join(criterion, group, name, "new", "estimates.json")).median.point_estimate / 1e6;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const eventCount = (sim) => sim.events().length;

// ── the big execution ─────────────────────────────────────────────────────────────────────
function bigExecution(runs) {
  const spec = readJson(join(data, "big-execution.json"));
  const times = [];
  for (let i = 0; i < runs + 1; i++) {
    const sim = new Simulator(spec.options);
    sim.call("jobs.create", spec.job);
    sim.runUntilIdle();
    const before = eventCount(sim);
    const t0 = process.hrtime.bigint();
    sim.call("jobs.run", { name: "big" });
    sim.runUntilIdle();
    const t = ms(t0);
    const events = eventCount(sim) - before;
    sim.free();
    if (events !== spec.events) throw new Error(`big execution: ${events} events in wasm, ${spec.events} native`);
    if (i > 0) times.push(t); // the first run warms the JIT up
  }
  return { events: spec.events, ms: median(times) };
}

// ── the API mix ───────────────────────────────────────────────────────────────────────────
function apiMix(runs, byMethod) {
  const summary = readJson(join(data, "api-mix.json"));
  const ops = readJson(join(data, "api-mix-ops.json"));
  const seed = readJson(join(data, "big-execution.json")).options.seed; // one seed for every bench
  const times = [];
  for (let i = 0; i < runs + 1; i++) {
    const { sim, latest } = prepare(Simulator, seed); // untimed
    let calls = 0;
    let ok = 0;
    const t0 = process.hrtime.bigint();
    for (const op of ops) {
      const started = byMethod ? process.hrtime.bigint() : 0n;
      if (op[0] !== "tick") calls++;
      if (runOp(sim, latest, op)) ok++;
      if (byMethod) byMethod.set(methodOf(op), (byMethod.get(methodOf(op)) ?? 0) + ms(started));
    }
    const t = ms(t0);
    sim.free();
    if (calls !== summary.calls || ok !== summary.ok) {
      throw new Error(`API mix: ${calls} calls / ${ok} 2xx in wasm, ${summary.calls} / ${summary.ok} native`);
    }
    if (i > 0) times.push(t);
  }
  return { calls: summary.calls, ms: median(times) };
}

const big = bigExecution(10);
const api = apiMix(3);
const rows = [
  ["big execution (10,000 tasks)", big.events, "events", nativeMs("engine", "big_execution"), big.ms],
  ["API mix (1,000 jobs)", api.calls, "calls", nativeMs("api", "mix_100k"), api.ms],
];
console.log(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "?"}`);
console.log("");
const TARGET = 2;
console.log(`| workload | native ms | wasm ms | native /s | wasm /s | wasm ÷ native | target ≤ ${TARGET}× |`);
console.log("|---|---:|---:|---:|---:|---:|---|");
let met = true;
for (const [what, n, unit, native, wasm] of rows) {
  const ratio = wasm / native;
  met &&= ratio <= TARGET;
  const rate = (t) => {
    const r = (n / t) * 1000;
    return r >= 1e6 ? `${(r / 1e6).toFixed(2)} M ${unit}` : `${(r / 1e3).toFixed(1)} k ${unit}`;
  };
  console.log(`| ${what} | ${native.toFixed(2)} | ${wasm.toFixed(2)} | ${rate(native)} | ${rate(wasm)} | ${ratio.toFixed(2)}× | ${ratio <= TARGET ? "met" : "missed"} |`);
}
console.log("");
console.log(met ? `node-bench: every ratio within ${TARGET}×` : `node-bench: a ratio is above ${TARGET}×`);

if (process.argv.includes("--by-method")) {
  // One more (timed per call) run of the API mix: where the wasm time goes.
  const byMethod = new Map();
  apiMix(0, byMethod);
  const total = [...byMethod.values()].reduce((a, b) => a + b, 0);
  console.log("");
  console.log("| API mix in wasm, by method | ms | share |");
  console.log("|---|---:|---:|");
  for (const [k, v] of [...byMethod].sort((a, b) => b[1] - a[1])) {
    console.log(`| ${k} | ${v.toFixed(0)} | ${((100 * v) / total).toFixed(1)} % |`);
  }
}
