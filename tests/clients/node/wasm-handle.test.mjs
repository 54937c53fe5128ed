// The same googleapis workflow in-process: gaxios's `fetchImplementation` hands each request to
// the wasm `sim.handle(method, url, bodyText)` (the server's route table, no socket), and the
// answers must equal `jobsim run`'s for the same seed, as over the wire (issue #11, R33, D2).
import { test } from "node:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { google } from "googleapis";
import { canonical, root, runScenario, world } from "./serve.mjs";
import { workflow, assertSameAsCli } from "./workflow.mjs";

const pkg = path.join(root, "bindings/wasm/pkg");
let Simulator;
try {
  ({ Simulator } = createRequire(import.meta.url)(pkg));
} catch {
  Simulator = undefined;
}
const skip = !Simulator
  ? "the wasm package is not built (bash scripts/build-wasm.sh)"
  : typeof Simulator.prototype.handle !== "function"
    ? "this wasm build has no sim.handle (issue #11's route table not merged)"
    : false;

/** A fetch that answers from the simulator: what gaxios sees is what the server would send. */
function fetchFrom(sim) {
  return async (input, init = {}) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    const body = init.body === undefined || init.body === null ? undefined : String(init.body);
    const answer = sim.handle(init.method ?? "GET", url.pathname + url.search, body);
    return new Response(answer.body, { status: answer.status, headers: { "content-type": answer.contentType } });
  };
}

test("googleapis through fetchImplementation → wasm sim.handle: the same bodies as jobsim run (R33, D2)", { skip }, async () => {
  const { steps: _steps, ...options } = JSON.parse(fs.readFileSync(world, "utf8"));
  const sim = new Simulator(options);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jobsim-wasm-"));
  try {
    const fetchImplementation = fetchFrom(sim);
    const run = google.run({ version: "v1", rootUrl: "http://jobsim.invalid/", retry: false, fetchImplementation });
    const control = (verb, body) => {
      const a = sim.handle("POST", `/jobsim/v1/clock${verb}`, JSON.stringify(body));
      if (a.status !== 200) throw new Error(`clock${verb}: ${a.status} ${a.body}`);
    };
    const clock = { advance: (d) => control(":advance", { duration: d }), runUntilIdle: () => control(":runUntilIdle", {}) };
    const record = await workflow(run, clock);
    assertSameAsCli(record, runScenario(record.steps, dir), canonical);
  } finally {
    sim.free();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
