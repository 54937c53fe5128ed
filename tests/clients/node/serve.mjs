// Starts `jobsim serve` as a child process and hands back its address: the helper every
// client suite shares, so each suite talks to a real server over real sockets (issue #11).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";
import fs from "node:fs";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const bin = process.env.JOBSIM_BIN || path.join(root, "target/debug/jobsim");
export const world = path.join(root, "tests/clients/world.json");
export const PROJECT = "demo-project";
export const NS = `namespaces/${PROJECT}`;

/** Starts `jobsim serve ARGS --port 0` and waits for its one stdout line. */
export function startServer(args = [world, "--clock", "manual"]) {
  const child = spawn(bin, ["serve", ...args, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => fail(new Error("jobsim serve printed no address in 20 s")), 20000);
    const fail = (e) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${e.message}\nstderr: ${stderr}`));
    };
    child.on("exit", (code, signal) => fail(new Error(`jobsim serve exited early (${code ?? signal})`)));
    child.stdout.on("data", (d) => {
      out += d;
      const m = /^jobsim serve: listening on (http:\/\/\S+?):(\d+)\n/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      const port = Number(m[2]);
      resolve({
        child,
        port,
        url: `http://127.0.0.1:${port}`,
        stderr: () => stderr,
        exited: new Promise((r) => child.on("exit", (code, signal) => r({ code, signal }))),
        /** SIGTERM, then wait for the exit (graceful shutdown). */
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const done = new Promise((r) => child.on("exit", r));
          child.kill("SIGTERM");
          const t = setTimeout(() => child.kill("SIGKILL"), 5000);
          await done;
          clearTimeout(t);
        },
      });
    });
  });
}

/** The scenario of the shared world with these steps, written to DIR: what a client did, as jobsim's own input. */
function equivalent(steps, dir) {
  const w = JSON.parse(fs.readFileSync(world, "utf8"));
  const file = path.join(dir, "equivalent.json");
  fs.writeFileSync(file, JSON.stringify({ ...w, steps }, null, 1));
  return file;
}

/** jobsim's own answer for the same world and steps: `jobsim run --format json`, one outcome per step. */
export function runScenario(steps, dir) {
  return execFileSync(bin, ["run", equivalent(steps, dir), "--format", "json"], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
}

/** The event log of the same world and steps, as `jobsim events` prints it (JSON Lines). */
export function scenarioEvents(steps, dir) {
  return execFileSync(bin, ["events", equivalent(steps, dir)], { encoding: "utf8", maxBuffer: 64 << 20 });
}

/** JSON with object keys sorted: two bodies are "the same bytes" when these strings are equal. */
export function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

/** jobsim's control endpoints (outside the Google paths). */
export async function control(url, verb, body) {
  const res = await fetch(`${url}/jobsim/v1/clock${verb}`, {
    method: body === undefined && verb === "" ? "GET" : "POST",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`clock${verb}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : {};
}

/** True when this jobsim binary has the `serve` subcommand (issue #11's server is merged). */
export function hasServe() {
  return spawnSync(bin, ["serve", "--help"], { stdio: "ignore" }).status === 0;
}
