// Boundary cost: JSON text (what the package uses) vs serde-wasm-bindgen, measured on the same
// wasm (built with `--features bench`, which adds the probes in src/bench.rs).
//
//   node bindings/wasm/bench/boundary.mjs            # builds the bench wasm, then measures
//   node bindings/wasm/bench/boundary.mjs --no-build # reuses target/jobsim-wasm-bench/
//
// Prints a Markdown table (µs per operation, median of 7 runs) for BENCHMARKS.md.
import { execFileSync } from "node:child_process";
import { appendFileSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const wasmDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const root = join(wasmDir, "..", "..");
const targetDir = process.env.CARGO_TARGET_DIR ?? join(root, "target");
const out = join(targetDir, "jobsim-wasm-bench");

if (!process.argv.includes("--no-build")) {
  const env = { ...process.env, CARGO_PROFILE_RELEASE_OPT_LEVEL: process.env.JOBSIM_WASM_OPT_LEVEL ?? "z" };
  const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] });
  run("cargo", ["build", "-p", "jobsim-wasm", "--release", "--target", "wasm32-unknown-unknown", "--features", "bench"]);
  run("wasm-bindgen", [join(targetDir, "wasm32-unknown-unknown", "release", "jobsim_wasm.wasm"),
    "--out-dir", out, "--target", "nodejs", "--weak-refs", "--remove-name-section"]);
  // `call` / `read` are JS, appended to the glue as scripts/build-wasm.sh does.
  appendFileSync(join(out, "jobsim_wasm.js"), readFileSync(join(wasmDir, "src", "call.js"), "utf8"));
}
const m = createRequire(import.meta.url)(join(out, "jobsim_wasm.js"));

/** µs per call of `a` and of `b`: median of 7 runs, the two interleaved so load drifts hit both. */
function timePair(a, b, iterations) {
  const runs = { a: [], b: [] };
  const once = (fn, into) => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn(i);
    into.push(Number(process.hrtime.bigint() - t0) / 1000 / iterations);
  };
  once(a, []); // warm-up
  once(b, []);
  for (let r = 0; r < 7; r++) {
    once(a, runs.a);
    once(b, runs.b);
  }
  const median = (xs) => xs.sort((x, y) => x - y)[3];
  return { json: median(runs.a), swb: median(runs.b) };
}

function job(name) {
  return {
    apiVersion: "run.googleapis.com/v1",
    kind: "Job",
    metadata: { name, labels: { team: "data", env: "prod" }, annotations: { "run.googleapis.com/launch-stage": "BETA" } },
    spec: {
      template: {
        metadata: { labels: { "client.knative.dev/nonce": "abc" } },
        spec: {
          taskCount: 10,
          parallelism: 4,
          template: {
            spec: {
              maxRetries: 1,
              timeoutSeconds: "600",
              serviceAccountName: "etl@demo-project.iam.gserviceaccount.com",
              containers: [{
                image: "us-docker.pkg.dev/demo/etl:1",
                args: ["--date", "2026-01-01", "--mode", "full"],
                env: [{ name: "MODE", value: "full" }, { name: "TOKEN", valueFrom: { secretKeyRef: { name: "tok", key: "latest" } } }],
                resources: { limits: { cpu: "2", memory: "1Gi" } },
              }],
            },
          },
        },
      },
    },
  };
}

// A simulator with some history, so reads return realistic bodies.
function setup() {
  const sim = new m.Simulator({ seed: 3, profile: "instant" });
  for (let j = 0; j < 5; j++) sim.call("jobs.create", { body: job(`etl-${j}`) });
  for (let j = 0; j < 5; j++) for (let r = 0; r < 4; r++) sim.call("jobs.run", { name: `etl-${j}` });
  sim.runUntilIdle();
  return sim;
}

const rows = [];
const row = (what, bytes, iterations, jsonFn, swbFn) => rows.push({ what, bytes, ...timePair(jsonFn, swbFn, iterations) });

// 1. Pure crossing of typical bodies (JS object → serde_json::Value → JS object).
const probe = setup();
const bodies = {
  "Job (request body)": job("etl"),
  "Job (stored, with status)": probe.call("jobs.get", { name: "etl-0" }),
  "Execution": probe.call("executions.get", { latestOf: "etl-0" }),
  "jobs.list (5 jobs)": probe.call("jobs.list"),
  "tasks.list (10 tasks)": probe.call("tasks.list", { query: { labelSelector: `run.googleapis.com/execution=${probe.call("executions.get", { latestOf: "etl-0" }).metadata.name}` } }),
  "events() (whole log)": probe.events(),
};
for (const [what, body] of Object.entries(bodies)) {
  const bytes = JSON.stringify(body).length;
  const n = Math.max(20, Math.floor(2_000_000 / bytes));
  row(`round trip: ${what}`, bytes, n, () => m.benchJsonRoundTrip(body), () => m.benchSwbRoundTrip(body));
  row(`JS → Rust only: ${what}`, bytes, n, () => m.benchJsonIn(body), () => m.benchSwbIn(body));
}

// 2. A realistic call mix through Simulator.call (JSON) and Simulator.callSwb, same state.
const mix = (sim, call) => (i) => {
  const j = `etl-${i % 5}`;
  call(sim, "jobs.get", { name: j });
  call(sim, "jobs.get", { name: j });
  call(sim, "executions.get", { latestOf: j });
  call(sim, "executions.list", { query: { limit: 5 } });
  call(sim, "tasks.list", { query: { labelSelector: `run.googleapis.com/job=${j}`, limit: 10 } });
  call(sim, "jobs.list");
  call(sim, "jobs.get", { name: "missing" }, true);
  const current = call(sim, "jobs.get", { name: j });
  current.metadata.labels = { ...current.metadata.labels, round: String(i) };
  call(sim, "jobs.replaceJob", { name: j, body: current });
  call(sim, "jobs.run", { name: j });
};
const viaJson = (sim, method, params, fails) => { try { return sim.call(method, params); } catch (e) { if (!fails) throw e; } };
const viaSwb = (sim, method, params, fails) => { try { return sim.callSwb(method, params); } catch (e) { if (!fails) throw e; } };
{
  const a = setup();
  const b = setup();
  row("call mix: 10 calls (7 reads, 1 404, replaceJob, jobs.run)", "", 40, mix(a, viaJson), mix(b, viaSwb));
  const reads = (sim, call) => () => { for (let k = 0; k < 5; k++) { call(sim, "jobs.get", { name: `etl-${k}` }); call(sim, "executions.get", { latestOf: `etl-${k}` }); } };
  row("read mix: 5 × (jobs.get + executions.get)", "", 200, reads(a, viaJson), reads(b, viaSwb));
}

// 3. The text path of `call` (JS stringifies, one JSON string each way, JS parses) against the
//    value path it replaced (`callValue`: stringify and parse called from inside wasm).
const textRows = [];
{
  const a = setup();
  const b = setup();
  const viaValue = (sim, method, params, fails) => { try { return sim.callValue(method, params); } catch (e) { if (!fails) throw e; } };
  const timed = (what, n, fa, fb) => textRows.push({ what, ...timePair(fa, fb, n) });
  timed("call mix: 10 calls (7 reads, 1 404, replaceJob, jobs.run)", 40, mix(a, viaJson), mix(b, viaValue));
  const reads = (sim, call) => () => { for (let k = 0; k < 5; k++) { call(sim, "jobs.get", { name: `etl-${k}` }); call(sim, "executions.get", { latestOf: `etl-${k}` }); } };
  timed("read mix: 5 × (jobs.get + executions.get)", 200, reads(a, viaJson), reads(b, viaValue));
  timed("jobs.get (small answer)", 2000, () => viaJson(a, "jobs.get", { name: "etl-0" }), () => viaValue(b, "jobs.get", { name: "etl-0" }));
  timed("jobs.list (5 jobs)", 200, () => viaJson(a, "jobs.list"), () => viaValue(b, "jobs.list"));
}

console.log(`node ${process.version}, ${process.arch}; µs per operation, median of 7 runs\n`);
console.log("| operation | JSON bytes | JSON strings (µs) | serde-wasm-bindgen (µs) | swb / JSON |");
console.log("|---|---:|---:|---:|---:|");
for (const r of rows) {
  console.log(`| ${r.what} | ${r.bytes} | ${r.json.toFixed(1)} | ${r.swb.toFixed(1)} | ${(r.swb / r.json).toFixed(2)} |`);
}
console.log("\n| call path | text: `call` (µs) | value: `callValue`, before (µs) | value / text |");
console.log("|---|---:|---:|---:|");
for (const r of textRows) {
  console.log(`| ${r.what} | ${r.json.toFixed(1)} | ${r.swb.toFixed(1)} | ${(r.swb / r.json).toFixed(2)} |`);
}
