// The exported surface and the errors for bad input. These tests need no working engine.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { pkgDir, throwsJobsim } from "../test-support/common.mjs";
import { Simulator, memoryBytes, parseDocument, version } from "../pkg/node/jobsim_wasm.mjs";

describe("surface", () => {
  test("version() is the crate version, which is the npm package version", () => {
    const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
    assert.match(version(), /^\d+\.\d+\.\d+/);
    assert.equal(version(), pkg.version);
    assert.equal(pkg.name, "jobsim");
  });

  test("Simulator has the documented methods and statics", () => {
    assert.equal(typeof Simulator, "function");
    for (const m of ["call", "read", "advance", "advanceTo", "runUntilIdle", "now", "nextTimerAt", "events", "snapshot", "explain", "free", "append", "logVersion"]) {
      assert.equal(typeof Simulator.prototype[m], "function", m);
    }
    assert.equal(typeof Simulator.prototype[Symbol.dispose], "function", "Symbol.dispose");
    for (const m of ["replay", "fromSnapshot", "runScenario"]) {
      assert.equal(typeof Simulator[m], "function", m);
    }
    assert.equal(typeof parseDocument, "function");
  });

  test("memoryBytes() reports the wasm memory in whole pages", () => {
    const bytes = memoryBytes();
    assert.ok(bytes > 0 && bytes % 65536 === 0, String(bytes));
  });

  test("the generated .d.ts carries the resource, scenario, event and error types", () => {
    const dts = readFileSync(join(pkgDir, "node", "jobsim_wasm.d.cts"), "utf8");
    for (const name of [
      "interface Job ", "interface Execution ", "interface Task ", "interface Condition ",
      "interface Scenario ", "interface SimulatorOptions ", "type EventEnvelope ", "type ErrorCode ",
      "interface JobsimError ", "interface Methods ", "call<M extends Method>", "constructor(options?: SimulatorOptions)",
      "static runScenario(scenario: Scenario | string): string", "static replay(events: EventEnvelope[]): Simulator",
      "type ReadMethod ", "read<M extends ReadMethod>", "nextTimerAt(): Timestamp | undefined",
      "export function parseDocument(text: string): unknown", "line?: number", "column?: number",
    ]) {
      assert.ok(dts.includes(name), `missing in .d.ts: ${name}`);
    }
    assert.ok(!/:\s*any\b/.test(dts), "the .d.ts should not fall back to `any`");
  });
});

describe("errors for bad input are JobsimErrors with their code", () => {
  test("new Simulator({seed: 'x'}) → INVALID_SCENARIO", () => {
    const e = throwsJobsim(() => new Simulator({ seed: "x" }), "INVALID_SCENARIO");
    assert.equal(e.httpStatus, 400);
    assert.equal(e.details.error.status, "INVALID_ARGUMENT");
  });

  test("options that JSON cannot carry → INVALID_SCENARIO", () => {
    const cyclic = {};
    cyclic.self = cyclic;
    for (const options of [10n, { seed: 1n }, cyclic, Symbol("s"), () => 1]) {
      throwsJobsim(() => new Simulator(options), "INVALID_SCENARIO");
    }
  });

  test("Simulator.replay needs an array of envelopes → INVALID_EVENT_LOG", () => {
    for (const events of [undefined, null, "nope", 42, {}, [{}], [1, 2], [{ sequence: 1 }]]) {
      throwsJobsim(() => Simulator.replay(events), "INVALID_EVENT_LOG");
    }
  });

  test("Simulator.fromSnapshot with a bad snapshot or log → INVALID_EVENT_LOG", () => {
    throwsJobsim(() => Simulator.fromSnapshot(null), "INVALID_EVENT_LOG");
    throwsJobsim(() => Simulator.fromSnapshot({ version: 1, state: {} }, "x"), "INVALID_EVENT_LOG");
    throwsJobsim(() => Simulator.fromSnapshot({ version: 1n }), "INVALID_EVENT_LOG");
  });

  test("Simulator.runScenario with a bad scenario → INVALID_SCENARIO", () => {
    for (const scenario of ["", "{", "steps: [", 42, null, undefined, { steps: 1n }, "\u0000"]) {
      throwsJobsim(() => Simulator.runScenario(scenario), "INVALID_SCENARIO");
    }
  });

  test("parseDocument needs a string; bad text → INVALID_SCENARIO", () => {
    for (const text of [undefined, null, 42, {}, ["a: 1"], 1n, Symbol("s")]) {
      const e = throwsJobsim(() => parseDocument(text), "INVALID_SCENARIO");
      assert.equal(e.line, undefined);
    }
    for (const text of ["{", "steps: [", "a: 1\n  b: : :\n", '{"a": 1,}', "\u0000"]) {
      throwsJobsim(() => parseDocument(text), "INVALID_SCENARIO");
    }
  });

  test("a string too large for the wasm memory is refused before it is copied", () => {
    const huge = "x".repeat(64 * 1024 * 1024 + 1);
    const e = throwsJobsim(() => Simulator.runScenario(huge), "INVALID_SCENARIO");
    assert.match(e.message, /too large/);
    throwsJobsim(() => Simulator.replay([huge]), "INVALID_EVENT_LOG");
    throwsJobsim(() => parseDocument(huge), "INVALID_SCENARIO");
  });

  test("a JS exception inside the argument (toJSON, getter) becomes the error's message", () => {
    const hostile = { toJSON() { throw new Error("boom"); } };
    const e = throwsJobsim(() => new Simulator(hostile), "INVALID_SCENARIO");
    assert.match(e.message, /boom/);
  });
});
