// Load benchmark of `jobsim serve` (issue #11) — a measurement, never a test: 32 concurrent
// keep-alive connections on loopback, bounded in count and time, reporting req/s and p50/p99
// latency per phase. The client is Node's own `http` with a keep-alive agent (no dependency).
//
//   cargo build --release -p jobsim-cli
//   node bench/serve-load.mjs [--bin target/release/jobsim] [--connections 32] [--requests 60000] [--seconds 20]
//
// Phases: `jobs.get` only (the ≥ 5,000 req/s, p99 ≤ 10 ms target), then a mix of gets (60 %),
// lists (25 %), runs (7.5 %) each followed by a cancel of that execution (7.5 %); then, when
// `wrk` is installed, `wrk -t2 -c32 --latency` on jobs.get for at most 10 s. The server
// runs in wall-clock mode at --speed 100, so executions finish while the load goes on. Every
// answer's status is counted: the mix asks for no error, so any non-200 is reported.
import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const bin = args.bin ?? path.join(root, "target/release/jobsim");
const CONNECTIONS = Number(args.connections ?? 32);
const REQUESTS = Number(args.requests ?? 60000);
const SECONDS = Number(args.seconds ?? 20);
const JOBS = 10;
const NS = "/apis/run.googleapis.com/v1/namespaces/demo-project";

const job = (name) => ({
  metadata: { name },
  spec: { template: { spec: { taskCount: 1, template: { spec: { containers: [{ image: "us-docker.pkg.dev/demo/b:1" }] } } } } },
});

async function startServer() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jobsim-load-"));
  const world = path.join(dir, "world.json");
  const steps = Array.from({ length: JOBS }, (_, i) => ({ call: "jobs.create", body: job(`b${i}`) }));
  fs.writeFileSync(world, JSON.stringify({ seed: 5, profile: "realistic", steps }));
  const child = spawn(bin, ["serve", world, "--port", "0", "--clock", "wall", "--speed", "100"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on("exit", (c) => reject(new Error(`jobsim serve exited (${c})`)));
  });
  return { child, port, dir };
}

function send(agent, port, method, p, body) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = http.request({ host: "127.0.0.1", port, method, path: p, agent, headers: body ? { "content-type": "application/json" } : {} }, (res) => {
      const chunks = [];
      res.on("data", (d) => chunks.push(d));
      res.on("end", () =>
        resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString(), ns: Number(process.hrtime.bigint() - t0) }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] / 1e6;
}

async function phase(name, port, pick, limit = REQUESTS) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const latencies = [];
  const statuses = {};
  let issued = 0;
  const t0 = Date.now();
  const deadline = t0 + SECONDS * 1000;
  async function worker(w) {
    let i = 0;
    const state = {};
    while (issued < limit && Date.now() < deadline) {
      issued++;
      const { kind, method, p, body, then } = pick(w, i++, state);
      const res = await send(agent, port, method, p, body);
      latencies.push(res.ns);
      statuses[`${kind} ${res.status}`] = (statuses[`${kind} ${res.status}`] ?? 0) + 1;
      if (then && res.status === 200) {
        const next = then(JSON.parse(res.text));
        const r2 = await send(agent, port, next.method, next.p, next.body);
        issued++;
        latencies.push(r2.ns);
        statuses[`${next.kind} ${r2.status}`] = (statuses[`${next.kind} ${r2.status}`] ?? 0) + 1;
      }
    }
  }
  await Promise.all(Array.from({ length: CONNECTIONS }, (_, w) => worker(w)));
  const seconds = (Date.now() - t0) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const line = {
    phase: name,
    connections: CONNECTIONS,
    requests: latencies.length,
    seconds: Number(seconds.toFixed(2)),
    reqPerSec: Math.round(latencies.length / seconds),
    p50ms: Number(pct(latencies, 50).toFixed(2)),
    p99ms: Number(pct(latencies, 99).toFixed(2)),
    maxms: Number((latencies.at(-1) / 1e6).toFixed(2)),
    statuses,
  };
  console.log(JSON.stringify(line));
  return line;
}

const server = await startServer();
try {
  // Warm-up: a few hundred gets so the first phase does not measure connection set-up.
  await phase("warm-up", server.port, (w, i) => ({ kind: "jobs.get", method: "GET", p: `${NS}/jobs/b${(w + i) % JOBS}` }), 2000);
  await phase("jobs.get", server.port, (w, i) => ({ kind: "jobs.get", method: "GET", p: `${NS}/jobs/b${(w + i) % JOBS}` }));
  await phase("mix", server.port, (w, i, state) => {
    const j = `b${(w + i) % JOBS}`;
    const r = (w * 7919 + i * 104729) % 1000;
    if (r < 200) return { kind: "jobs.get", method: "GET", p: `${NS}/jobs/${j}` };
    if (r < 400 && state.lastEx) return { kind: "executions.get", method: "GET", p: `${NS}/executions/${state.lastEx}` };
    if (r < 600) return { kind: "jobs.get", method: "GET", p: `${NS}/jobs/${j}` };
    if (r < 725) return { kind: "jobs.list", method: "GET", p: `${NS}/jobs?limit=20` };
    if (r < 850)
      return { kind: "executions.list", method: "GET", p: `${NS}/executions?labelSelector=run.googleapis.com/job%3D${j}&limit=20` };
    return {
      kind: "jobs.run",
      method: "POST",
      p: `${NS}/jobs/${j}:run`,
      then: (ex) => ((state.lastEx = ex.metadata.name), { kind: "executions.cancel", method: "POST", p: `${NS}/executions/${ex.metadata.name}:cancel` }),
    };
  });
  // The same jobs.get load from wrk (C, Debian package), when installed: a client that costs the
  // shared 2 cores less than Node's http, so more of them go to the server.
  const wrk = spawnSync("wrk", ["-t2", `-c${CONNECTIONS}`, `-d${Math.min(SECONDS, 10)}s`, "--latency", `http://127.0.0.1:${server.port}${NS}/jobs/b1`], {
    encoding: "utf8",
  });
  if (wrk.error) console.log(JSON.stringify({ phase: "wrk jobs.get", skipped: "wrk not installed (apt-get install wrk)" }));
  else console.log(`wrk jobs.get:\n${wrk.stdout}`);
} finally {
  server.child.kill("SIGTERM");
  fs.rmSync(server.dir, { recursive: true, force: true });
}
