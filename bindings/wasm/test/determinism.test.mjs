// Cross-target determinism: for every scenario of the repo's corpus (scenarios/**/*.json|yaml|yml),
// Simulator.runScenario(text) in wasm prints exactly the bytes that the native
// `jobsim run FILE --format json` prints.
//
// The CLI: $JOBSIM_BIN, else the newer of target/release/jobsim and target/debug/jobsim
// (under $CARGO_TARGET_DIR when set). Build it with `cargo build -p jobsim-cli --release`.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, test } from "node:test";
import { assertJobsimError, findCli, repoRoot } from "../test-support/common.mjs";
import { Simulator, parseDocument } from "../pkg/node/jobsim_wasm.mjs";

const scenarioDir = join(repoRoot, "scenarios");

function scenarioFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? scenarioFiles(join(dir, e.name)) : /\.(json|ya?ml)$/.test(e.name) ? [join(dir, e.name)] : []))
    .sort();
}

/** The CLI's stdout (bytes) and whether it succeeded. */
function runCli(cli, file) {
  try {
    return { ok: true, stdout: execFileSync(cli, ["run", file, "--format", "json"], { maxBuffer: 1 << 30 }) };
  } catch (error) {
    if (error.status === undefined || error.status === null) throw error;
    return { ok: false, stdout: error.stdout, stderr: String(error.stderr) };
  }
}

function firstDifference(a, b) {
  const la = a.split("\n");
  const lb = b.split("\n");
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}:\n  cli:  ${la[i]}\n  wasm: ${lb[i]}`;
  }
  return "(no line differs: line endings?)";
}

const files = scenarioFiles(scenarioDir);

describe("cross-target determinism (wasm runScenario = native jobsim run --format json)", () => {
  if (files.length === 0) {
    test("scenario corpus", (t) => t.skip(`no *.json / *.yaml scenarios under ${scenarioDir}: nothing to compare`));
    return;
  }
  const cli = findCli();
  test("the native CLI is there", () => {
    assert.ok(cli && existsSync(cli), "no jobsim binary: run `cargo build -p jobsim-cli --release` or set JOBSIM_BIN");
  });
  for (const file of files) {
    test(relative(repoRoot, file), { skip: !cli || !existsSync(cli) ? "no CLI" : false }, () => {
      const native = runCli(cli, file);
      const text = readFileSync(file, "utf8");
      let wasm;
      try {
        wasm = Simulator.runScenario(text);
      } catch (error) {
        assertJobsimError(error);
        assert.equal(native.ok, false, `wasm threw ${error.message}, the CLI succeeded`);
        return;
      }
      assert.ok(native.ok, `the CLI failed (${native.stderr?.trim()}), wasm succeeded`);
      const wasmBytes = Buffer.from(wasm, "utf8");
      if (!wasmBytes.equals(native.stdout)) {
        assert.fail(`output differs (cli ${native.stdout.length} bytes, wasm ${wasmBytes.length} bytes) at ${firstDifference(native.stdout.toString("utf8"), wasm)}`);
      }
    });
  }
});

/** `jobsim events FILE`: the native event log's lines, parsed. */
function cliEvents(cli, file) {
  const out = execFileSync(cli, ["events", file], { maxBuffer: 1 << 30 }).toString("utf8");
  return out.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
}

// Issue 10, "text out": events(), snapshot() and runStep outcomes cross as the core's JSON text,
// written straight from typed values. Their values and key order equal the native CLI's log
// (both sides parsed by JS, so number formatting does not enter the comparison), and the
// step outcomes equal runScenario's lines.
describe("wasm events() / runStep = native jobsim events / runScenario (text out)", () => {
  const cli = findCli();
  for (const file of files) {
    test(relative(repoRoot, file), { skip: !cli || !existsSync(cli) ? "no CLI" : false }, (t) => {
      const text = readFileSync(file, "utf8");
      let lines;
      try {
        lines = Simulator.runScenario(text).trimEnd().split("\n");
      } catch {
        t.skip("not a runnable scenario");
        return;
      }
      const { steps, ...options } = JSON.parse(JSON.stringify(parseDocument(text)));
      const sim = new Simulator(options);
      steps.forEach((step, i) => {
        let outcome;
        try {
          outcome = sim.runStep(step, i);
        } catch (error) {
          assertJobsimError(error);
          outcome = error.outcome;
        }
        assert.equal(JSON.stringify(outcome), JSON.stringify(JSON.parse(lines[i])), `step ${i}`);
      });
      assert.equal(JSON.stringify(sim.events()), JSON.stringify(cliEvents(cli, file)));
      const snapshot = sim.snapshot();
      assert.deepEqual(Object.keys(snapshot), ["state", "version"], "sorted keys");
      assert.equal(Simulator.fromSnapshot(snapshot).logVersion(), sim.logVersion());
      sim.free();
    });
  }
});
