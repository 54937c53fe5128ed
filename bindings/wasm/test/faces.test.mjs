// The scenario behaviour the core owns and every face uses (issue #10 item 4): runStep, the
// option keys, the call parameters, the timeline projection, and structured scenario errors
// (`field`, `step`, `line`, `column` as data on the JobsimError).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Simulator, parseDocument } from "../pkg/node/jobsim_wasm.mjs";

const job = (name, taskCount = 2, extra = {}) => ({
  metadata: { name },
  spec: { template: { spec: { taskCount, template: { spec: { containers: [{ image: "img" }], ...extra } } } } },
});

describe("scenario behaviour from the core", () => {
  test("Simulator.optionKeys() and callParams() are the core's lists", () => {
    assert.deepEqual(Simulator.optionKeys(), ["seed", "start", "profile", "project", "settings", "workloads", "faults"]);
    const params = Simulator.callParams();
    assert.equal(Object.keys(params).length, 12);
    assert.deepEqual(params["jobs.get"], ["name", "latestOf", "namespace", "query"]);
    assert.deepEqual(params["jobs.create"], ["namespace", "body", "query"]);
    assert.deepEqual(params["executions.cancel"], ["name", "latestOf", "namespace", "body", "query"]);
    assert.equal(Simulator.isMutation({ call: "jobs.get", name: "a" }), false);
    assert.equal(Simulator.isMutation({ call: "jobs.create", body: {}, query: { dryRun: "all" } }), false);
    assert.equal(Simulator.isMutation({ call: "jobs.run", name: "a" }), true);
    assert.equal(Simulator.isMutation({ advance: "1s" }), true);
    assert.throws(() => Simulator.isMutation({ nope: 1 }), (e) => e.code === "INVALID_SCENARIO" && e.field === "steps[0]");
  });

  test("runStep gives the outcome lines of runScenario (jobsim run --format json)", () => {
    const steps = [
      { call: "jobs.create", body: job("a") },
      { call: "jobs.run", name: "a" },
      { advance: "30s" },
      { call: "executions.get", latestOf: "a" },
      { runUntilIdle: true },
    ];
    const sim = new Simulator({ seed: 3 });
    const lines = steps.map((s, i) => JSON.stringify(sim.runStep(s, i)));
    const expected = Simulator.runScenario({ seed: 3, steps }).trimEnd().split("\n");
    assert.deepEqual(lines, expected);
    sim.free();
  });

  test("a refused step throws its API error with the outcome line; nothing is recorded", () => {
    const sim = new Simulator();
    const before = sim.events().length;
    assert.throws(() => sim.runStep({ call: "jobs.get", name: "nope" }, 7), (e) => {
      assert.equal(e.code, "NOT_FOUND");
      assert.equal(e.outcome.step, 7);
      assert.equal(e.outcome.status, 404);
      assert.equal(e.outcome.body.error.code, 404);
      return true;
    });
    assert.equal(sim.events().length, before);
    sim.free();
  });

  test("a step that cannot be read throws INVALID_SCENARIO with field and step as data", () => {
    const sim = new Simulator();
    assert.throws(() => sim.runStep({ advance: "soon" }, 4), (e) => {
      assert.equal(e.code, "INVALID_SCENARIO");
      assert.equal(e.field, "steps[4].advance");
      assert.equal(e.step, 4);
      return true;
    });
    assert.throws(() => sim.runStep({ call: "jobs.nope" }), (e) => e.field === "steps[0].call" && e.step === 0);
    assert.throws(() => sim.runStep({ call: "jobs.get" }, -1), (e) => e.code === "INVALID_ARGUMENT");
    sim.free();
  });

  test("bad options carry the field; text errors carry line and column", () => {
    assert.throws(() => new Simulator({ workloads: [{ job: "a", failureRate: 1.5 }] }), (e) => {
      assert.equal(e.field, "workloads[0].failureRate");
      assert.equal(e.step, undefined);
      return true;
    });
    assert.throws(() => parseDocument("a: 1\n  b: : :\n"), (e) => e.line === 2 && typeof e.column === "number");
    assert.throws(() => parseDocument('{"a": 1,\n "b": }'), (e) => e.line === 2 && e.column === 7);
    assert.throws(() => Simulator.runScenario("steps:\n  - {runUntilIdle: true}\n  - {call: jobs.nope}\n"), (e) => e.field === "steps[1].call" && e.step === 1);
  });

  test("timeline(): attempts per task per execution, defaults from the core, incremental", () => {
    const sim = new Simulator({ seed: 1, profile: "instant", faults: [{ job: "a", task: 1, attempt: 0, exitCode: 3 }] });
    sim.runStep({ call: "jobs.create", body: job("a") });
    sim.runStep({ call: "jobs.run", name: "a" });
    sim.runStep({ runUntilIdle: true });
    const t = sim.timeline();
    assert.equal(t.count, 1);
    assert.equal(t.folded, sim.events().length);
    const x = t.changed[0].execution;
    assert.equal(t.changed[0].index, 0);
    assert.equal(x.maxRetries, 3);
    assert.equal(x.timeoutSeconds, 600);
    assert.deepEqual(x.tasks["1"].map((a) => [a.attempt, a.outcome, a.code]), [[0, "exited", 3], [1, "succeeded", null]]);
    assert.equal(x.succeeded, true);
    // Nothing changed since: nothing comes back but the counts.
    assert.deepEqual(sim.timeline(t.folded).changed, []);
    sim.runStep({ call: "jobs.run", name: "a" });
    const u = sim.timeline(t.folded);
    assert.deepEqual(u.changed.map((c) => c.index), [1]);
    assert.ok(u.membership > t.folded && u.membership <= u.changed[0].execution.version, "an execution was created");
    assert.throws(() => sim.timeline(-1), (e) => e.code === "INVALID_ARGUMENT");
    sim.free();
  });
});
