// The API through the JS face, end to end. These tests need the real engine (jobsim-core's
// Simulator); against the stub they fail at `new Simulator()`.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { assertJobsimError, jobBody, throwsJobsim } from "../test-support/common.mjs";
import { Simulator, parseDocument } from "../pkg/node/jobsim_wasm.mjs";

const instant = { seed: 7, profile: "instant" };

function withJob(options = instant, name = "etl") {
  const sim = new Simulator(options);
  sim.call("jobs.create", { body: jobBody(name) });
  return sim;
}

describe("construction and the clock", () => {
  test("new Simulator() and new Simulator({}) start at the default time", () => {
    for (const sim of [new Simulator(), new Simulator({}), new Simulator(null)]) {
      assert.equal(sim.now(), "2026-01-01T00:00:00.000000Z");
      sim.free();
    }
  });

  test("advance, advanceTo and runUntilIdle move the virtual clock", () => {
    const sim = new Simulator({ start: "2026-03-01T10:00:00Z" });
    assert.equal(typeof sim.advance("90s"), "number");
    assert.equal(sim.now(), "2026-03-01T10:01:30.000000Z");
    sim.advance(30);
    assert.equal(sim.now(), "2026-03-01T10:02:00.000000Z");
    sim.advanceTo("2026-03-01T11:00:00Z");
    assert.equal(sim.now(), "2026-03-01T11:00:00.000000Z");
    assert.equal(typeof sim.runUntilIdle(), "number");
    sim.free();
  });

  test("bad durations and times are INVALID_ARGUMENT", () => {
    const sim = new Simulator();
    throwsJobsim(() => sim.advance("soon"), "INVALID_ARGUMENT");
    throwsJobsim(() => sim.advance(-5), "INVALID_ARGUMENT");
    throwsJobsim(() => sim.advance({}), "INVALID_ARGUMENT");
    throwsJobsim(() => sim.advanceTo("yesterday"), "INVALID_ARGUMENT");
    throwsJobsim(() => sim.advanceTo(12), "INVALID_ARGUMENT");
    assert.equal(sim.now(), "2026-01-01T00:00:00.000000Z");
  });
});

describe("call", () => {
  test("jobs.create returns the stored Job as plain objects", () => {
    const sim = new Simulator(instant);
    const job = sim.call("jobs.create", { body: jobBody("etl") });
    assert.equal(Object.getPrototypeOf(job), Object.prototype);
    assert.equal(job.metadata.name, "etl");
    assert.equal(job.metadata.namespace, "123456789012");
    assert.equal(job.metadata.generation, 1);
    assert.deepEqual(job.status, {});
    assert.equal(job.spec.template.spec.taskCount, 3);
  });

  test("get, list, run, executions and tasks", () => {
    const sim = withJob({ seed: 7 }); // realistic profile: the run takes virtual time
    assert.equal(sim.call("jobs.get", { name: "etl" }).metadata.name, "etl");
    const list = sim.call("jobs.list");
    assert.deepEqual(list.items.map((j) => j.metadata.name), ["etl"]);
    const execution = sim.call("jobs.run", { name: "etl" });
    assert.match(execution.metadata.name, /^etl-[a-z0-9]{5}$/);
    assert.ok(sim.runUntilIdle() > 0);
    const done = sim.call("executions.get", { latestOf: "etl" });
    assert.equal(done.metadata.name, execution.metadata.name);
    const completed = done.status.conditions.find((c) => c.type === "Completed");
    assert.ok(["True", "False"].includes(completed.status));
    const tasks = sim.call("tasks.list", { query: { labelSelector: `run.googleapis.com/execution=${execution.metadata.name}` } });
    assert.equal(tasks.items.length, 3);
    assert.equal(sim.call("tasks.get", { name: `${execution.metadata.name}-task0` }).metadata.name, `${execution.metadata.name}-task0`);
    assert.equal(sim.call("executions.list").items.length, 1);
  });

  test("executions.cancel {latestOf} cancels the running execution", () => {
    const sim = new Simulator({ seed: 1 }); // realistic profile: the execution is still running
    sim.call("jobs.create", { body: jobBody("etl") });
    sim.advance("5s");
    sim.call("jobs.run", { name: "etl" });
    sim.advance("5s");
    const cancelled = sim.call("executions.cancel", { latestOf: "etl" });
    const completed = cancelled.status.conditions.find((c) => c.type === "Completed");
    assert.equal(completed.status, "False");
    assert.equal(completed.reason, "Cancelled");
  });

  test("NOT_FOUND, with Cloud Run's 404 text", () => {
    const sim = new Simulator();
    const e = throwsJobsim(() => sim.call("jobs.get", { name: "nope" }), "NOT_FOUND");
    assert.equal(e.httpStatus, 404);
    assert.equal(
      e.details.error.message,
      "Resource 'nope' of kind 'JOB' in region 'us-central1' in project 'demo-project' does not exist.",
    );
  });

  test("ALREADY_EXISTS, and the instance keeps working", () => {
    const sim = withJob();
    const e = throwsJobsim(() => sim.call("jobs.create", { body: jobBody("etl") }), "ALREADY_EXISTS");
    assert.equal(e.httpStatus, 409);
    assert.equal(sim.call("jobs.get", { name: "etl" }).metadata.name, "etl");
    sim.call("jobs.create", { body: jobBody("etl2") });
    assert.equal(sim.call("jobs.list").items.length, 2);
  });

  test("INVALID_ARGUMENT lists every bad field in details", () => {
    const sim = new Simulator();
    const body = jobBody("Bad_Name");
    body.spec.template.spec.taskCount = 20000;
    const e = throwsJobsim(() => sim.call("jobs.create", { body }), "INVALID_ARGUMENT");
    const [badRequest] = e.details.error.details;
    assert.equal(badRequest["@type"], "type.googleapis.com/google.rpc.BadRequest");
    const fields = badRequest.fieldViolations.map((v) => v.field);
    assert.ok(fields.includes("metadata.name"), fields.join());
    assert.ok(fields.some((f) => f.endsWith("taskCount")), fields.join());
  });

  test("ABORTED on a stale resourceVersion", () => {
    const sim = withJob();
    const job = sim.call("jobs.get", { name: "etl" });
    sim.advance("1s");
    sim.call("jobs.replaceJob", { name: "etl", body: { ...job, metadata: { ...job.metadata, labels: { v: "2" } } } });
    const e = throwsJobsim(() => sim.call("jobs.replaceJob", { name: "etl", body: job }), "ABORTED");
    assert.equal(e.httpStatus, 409);
  });

  test("FAILED_PRECONDITION: deleting a job with a running execution", () => {
    const sim = new Simulator({ seed: 3 });
    sim.call("jobs.create", { body: jobBody("etl") });
    sim.advance("5s");
    sim.call("jobs.run", { name: "etl" });
    throwsJobsim(() => sim.call("jobs.delete", { name: "etl" }), "FAILED_PRECONDITION");
    assert.equal(sim.call("jobs.delete", { name: "etl", query: { force: true } }).status, "Success");
  });

  test("RESOURCE_EXHAUSTED past maxRunningExecutions", () => {
    const sim = new Simulator({ seed: 3, settings: { maxRunningExecutions: 1 } });
    sim.call("jobs.create", { body: jobBody("etl") });
    sim.advance("5s");
    sim.call("jobs.run", { name: "etl" });
    const e = throwsJobsim(() => sim.call("jobs.run", { name: "etl" }), "RESOURCE_EXHAUSTED");
    assert.equal(e.httpStatus, 429);
  });

  test("bad methods and params are errors, never crashes", () => {
    const sim = withJob();
    assertJobsimError(throwsJobsim(() => sim.call("jobs.nope", {})));
    throwsJobsim(() => sim.call(42, {}), "INVALID_ARGUMENT");
    throwsJobsim(() => sim.call(undefined), "INVALID_ARGUMENT");
    throwsJobsim(() => sim.call("jobs.get", { name: 1n }), "INVALID_ARGUMENT");
    assertJobsimError(throwsJobsim(() => sim.call("jobs.get", "etl")));
    assertJobsimError(throwsJobsim(() => sim.call("jobs.create", { body: [] })));
    assert.equal(sim.call("jobs.get", { name: "etl" }).metadata.name, "etl");
  });

  test("issue 10 item 3: call and read cross as JSON text once each way, with the errors of the value path", () => {
    const sim = withJob();
    // The wasm entries take and give JSON text; `call` / `read` are the JS wrappers over them.
    const text = sim.callJson("jobs.get", JSON.stringify({ name: "etl" }));
    assert.equal(typeof text, "string");
    assert.deepEqual(JSON.parse(text), sim.call("jobs.get", { name: "etl" }));
    assert.deepEqual(JSON.parse(sim.readJson("jobs.get", JSON.stringify({ name: "etl" }))), sim.read("jobs.get", { name: "etl" }));
    // Absent params are null, as before.
    assert.deepEqual(sim.call("jobs.list").items.map((j) => j.metadata.name), ["etl"]);
    // What JSON.stringify refuses or drops reaches wasm as the value itself: the same errors as before.
    const cyclic = {};
    cyclic.self = cyclic;
    const refused = [
      [{ name: 1n }, /^INVALID_ARGUMENT: `params` is not JSON-compatible: /],
      [cyclic, /^INVALID_ARGUMENT: `params` is not JSON-compatible: /],
      [() => 1, /^INVALID_ARGUMENT: `params` is not JSON-compatible \(a function or symbol\)$/],
    ];
    for (const [params, message] of refused) {
      assert.match(throwsJobsim(() => sim.call("jobs.get", params), "INVALID_ARGUMENT").message, message);
      assert.match(throwsJobsim(() => sim.read("jobs.get", params), "INVALID_ARGUMENT").message, message);
    }
    // Text that is not JSON, given to the entry directly, is INVALID_ARGUMENT naming `params`.
    assert.match(throwsJobsim(() => sim.callJson("jobs.get", "{"), "INVALID_ARGUMENT").message, /^INVALID_ARGUMENT: `params`: /);
    assert.match(throwsJobsim(() => sim.readJson(7, "{}"), "INVALID_ARGUMENT").message, /`method` must be/);
  });
});

describe("read and nextTimerAt", () => {
  test("nextTimerAt() is when the next timer fires, undefined when idle", () => {
    const sim = new Simulator({ seed: 7 }); // realistic: the job's reconcile takes 1 s
    assert.equal(sim.nextTimerAt(), undefined);
    sim.call("jobs.create", { body: jobBody("etl") });
    const next = sim.nextTimerAt();
    assert.equal(next, "2026-01-01T00:00:01.000000Z");
    // Moving the clock to it is exactly one "next event".
    const before = sim.events().length;
    sim.advanceTo(next);
    assert.ok(sim.events().length > before);
    assert.equal(sim.now(), next);
    sim.call("jobs.run", { name: "etl" });
    assert.ok(sim.nextTimerAt() > sim.now());
    sim.runUntilIdle();
    assert.equal(sim.nextTimerAt(), undefined);
    sim.free();
  });

  test("read answers get and list like call, with the same params", () => {
    const sim = withJob({ seed: 7 });
    sim.advance("2s");
    sim.call("jobs.run", { name: "etl" });
    sim.runUntilIdle();
    const execution = sim.call("executions.get", { latestOf: "etl" }).metadata.name;
    const reads = [
      ["jobs.get", { name: "etl" }],
      ["jobs.list", undefined],
      ["jobs.list", { query: { labelSelector: "team=data" } }],
      ["executions.get", { latestOf: "etl" }],
      ["executions.get", { name: execution }],
      ["executions.list", {}],
      ["tasks.get", { name: `${execution}-task1` }],
      ["tasks.list", { query: { labelSelector: `run.googleapis.com/execution=${execution}`, limit: 2 } }],
    ];
    for (const [method, params] of reads) {
      assert.deepEqual(sim.read(method, params), sim.call(method, params), method);
    }
    const e = throwsJobsim(() => sim.read("jobs.get", { name: "nope" }), "NOT_FOUND");
    assert.equal(e.httpStatus, 404);
  });

  test("read fires no timer: a state rebuilt at a past event stays at that event", () => {
    const sim = withJob(); // instant profile: a run's events share one instant
    sim.call("jobs.run", { name: "etl" });
    const events = sim.events();
    const k = events.findIndex((e) => e.type === "ExecutionCreated") + 1;
    assert.ok(k > 0 && events[k].time === events[k - 1].time, "more happens at the same instant");
    const past = Simulator.replay(events.slice(0, k));
    assert.equal(past.nextTimerAt(), past.now(), "a timer is due at the rebuilt now");
    const version = past.snapshot().version;
    const execution = past.read("executions.get", { latestOf: "etl" });
    past.read("tasks.list");
    past.read("jobs.list");
    assert.equal(past.snapshot().version, version, "read recorded nothing");
    assert.equal(past.events().length, k);
    // call, by contrast, fires what is due after answering.
    assert.deepEqual(past.call("executions.get", { latestOf: "etl" }), execution);
    assert.ok(past.events().length > k);
    past.free();
  });

  test("read refuses methods that change the world, and bad arguments", () => {
    const sim = withJob();
    sim.call("jobs.run", { name: "etl" });
    const version = sim.snapshot().version;
    for (const [method, params] of [
      ["jobs.create", { body: jobBody("other") }],
      ["jobs.replaceJob", { name: "etl", body: jobBody("etl") }],
      ["jobs.run", { name: "etl" }],
      ["jobs.delete", { name: "etl" }],
      ["executions.cancel", { latestOf: "etl" }],
      ["executions.delete", { latestOf: "etl" }],
    ]) {
      const e = throwsJobsim(() => sim.read(method, params), "INVALID_ARGUMENT");
      assert.match(e.message, /read accepts only get and list/, method);
    }
    assertJobsimError(throwsJobsim(() => sim.read("jobs.nope", {})));
    throwsJobsim(() => sim.read(42, {}), "INVALID_ARGUMENT");
    throwsJobsim(() => sim.read(undefined), "INVALID_ARGUMENT");
    throwsJobsim(() => sim.read("jobs.get", { name: 1n }), "INVALID_ARGUMENT");
    assert.equal(sim.snapshot().version, version);
    assert.equal(sim.read("jobs.get", { name: "etl" }).metadata.name, "etl");
  });
});

describe("parseDocument", () => {
  test("reads YAML and JSON into plain values, as the core reads scenarios", () => {
    const yaml = "seed: 5\nprofile: instant\nsteps:\n  - advance: 90s\n  - {call: jobs.list}\n";
    const doc = parseDocument(yaml);
    assert.deepEqual(doc, { seed: 5, profile: "instant", steps: [{ advance: "90s" }, { call: "jobs.list" }] });
    assert.equal(Object.getPrototypeOf(doc), Object.prototype);
    assert.deepEqual(parseDocument(JSON.stringify(doc)), doc);
    assert.equal(Simulator.runScenario(doc), Simulator.runScenario(yaml));
    // YAML 1.2 core schema, as serde_yaml resolves it: "007" stays a string, quoted stays text.
    assert.deepEqual(parseDocument("a: 007\nb: '600'\nc: ~\nd: true\ne: 1.5\nf: [x, 2]\n"), {
      a: "007", b: "600", c: null, d: true, e: 1.5, f: ["x", 2],
    });
    assert.equal(parseDocument("just text"), "just text");
    assert.deepEqual(parseDocument("[1, 2]"), [1, 2]);
  });

  test("errors are INVALID_SCENARIO with numeric line and column when the message names them", () => {
    const cases = [
      ["a: 1\n  b: : :\n", 2, 4, /invalid YAML/],
      ["metadata:\n  name: [broken\n", 3, 1, /invalid YAML: .*flow sequence at line 2/],
      ["a:\n\tb: 1\n", 2, 1, /invalid YAML/],
      ['\n{"a": 1,\n"b": 2,}', 3, 8, /invalid JSON at line 3 column 8: trailing comma/],
      ["{a: 1}", 1, 2, /invalid JSON/], // text that starts with { is JSON, as in the core
    ];
    for (const [text, line, column, pattern] of cases) {
      const e = throwsJobsim(() => parseDocument(text), "INVALID_SCENARIO");
      assert.match(e.message, pattern, JSON.stringify(text));
      assert.equal(e.line, line, `${JSON.stringify(text)}: ${e.message}`);
      assert.equal(e.column, column, `${JSON.stringify(text)}: ${e.message}`);
      assert.ok(e.message.includes(`line ${line} column ${column}`), e.message);
    }
    // No place in the message: no line, no column.
    const e = throwsJobsim(() => parseDocument("a: 1\n---\nb: 2\n"), "INVALID_SCENARIO");
    assert.equal(e.line, undefined);
    assert.equal(e.column, undefined);
    assert.ok(!("line" in e) && !("column" in e));
  });
});

describe("log, snapshot, replay, explain", () => {
  function finished() {
    const sim = withJob({ seed: 11 });
    sim.advance("2s");
    sim.call("jobs.run", { name: "etl" });
    sim.runUntilIdle();
    return sim;
  }

  test("events() is the whole log; events(n) starts at sequence n", () => {
    const sim = finished();
    const events = sim.events();
    assert.ok(events.length > 5);
    assert.equal(events[0].type, "WorldStarted");
    assert.deepEqual(events.map((e) => e.sequence), events.map((_, i) => i + 1));
    for (const e of events) {
      assert.deepEqual(Object.keys(e).sort(), ["eventId", "payload", "schema", "sequence", "stream", "time", "type"]);
    }
    assert.deepEqual(sim.events(3), events.slice(2));
    assert.deepEqual(sim.events(events.length + 1), []);
    throwsJobsim(() => sim.events(-1), "INVALID_ARGUMENT");
    throwsJobsim(() => sim.events(1.5), "INVALID_ARGUMENT");
    throwsJobsim(() => sim.events("1"), "INVALID_ARGUMENT");
  });

  test("Simulator.replay(events) rebuilds the same state", () => {
    const sim = finished();
    const copy = Simulator.replay(sim.events());
    assert.deepEqual(copy.snapshot(), sim.snapshot());
    assert.equal(copy.now(), sim.now());
    assert.deepEqual(copy.call("executions.get", { latestOf: "etl" }), sim.call("executions.get", { latestOf: "etl" }));
  });

  test("Simulator.fromSnapshot(snapshot, later events) rebuilds the same state", () => {
    const sim = withJob({ seed: 11 });
    const snapshot = sim.snapshot();
    assert.equal(typeof snapshot.version, "number");
    const from = snapshot.version + 1;
    sim.advance("2s");
    sim.call("jobs.run", { name: "etl" });
    sim.runUntilIdle();
    const copy = Simulator.fromSnapshot(snapshot, sim.events(from));
    assert.deepEqual(copy.snapshot(), sim.snapshot());
    assert.deepEqual(Simulator.fromSnapshot(sim.snapshot()).snapshot(), sim.snapshot());
  });

  test("a gap in the log is INVALID_EVENT_LOG", () => {
    const events = finished().events();
    throwsJobsim(() => Simulator.replay([events[0], events[2]]), "INVALID_EVENT_LOG");
    throwsJobsim(() => Simulator.replay(events.slice(1)), "INVALID_EVENT_LOG");
  });

  test("explain(executionName) says why; an unknown name is NOT_FOUND", () => {
    const sim = finished();
    const name = sim.call("executions.get", { latestOf: "etl" }).metadata.name;
    const text = sim.explain(name);
    assert.equal(typeof text, "string");
    assert.ok(text.includes(name), text);
    throwsJobsim(() => sim.explain("etl-zzzzz"), "NOT_FOUND");
    throwsJobsim(() => sim.explain(5), "INVALID_ARGUMENT");
  });

  test("the same inputs give the same bytes", () => {
    const a = finished();
    const b = finished();
    assert.equal(JSON.stringify(a.events()), JSON.stringify(b.events()));
  });
});

describe("runScenario", () => {
  test("accepts a scenario object, its JSON text and the same in YAML, with identical output", () => {
    const scenario = { seed: 5, profile: "instant", steps: [] };
    const fromObject = Simulator.runScenario(scenario);
    assert.equal(typeof fromObject, "string");
    assert.equal(Simulator.runScenario(JSON.stringify(scenario)), fromObject);
    assert.equal(Simulator.runScenario("seed: 5\nprofile: instant\nsteps: []\n"), fromObject);
    for (const line of fromObject.split("\n").filter(Boolean)) JSON.parse(line);
  });
});

describe("free()", () => {
  test("a freed instance throws an Error instead of crashing, and others keep working", () => {
    const sim = new Simulator();
    const other = new Simulator();
    sim.free();
    assert.throws(() => sim.now(), Error);
    assert.throws(() => sim.call("jobs.list"), Error);
    assert.throws(() => sim.free(), Error); // wasm-bindgen: a second free() throws too
    assert.equal(other.now(), "2026-01-01T00:00:00.000000Z");
    other.free();
  });

  test("`using` / Symbol.dispose frees", () => {
    const sim = new Simulator();
    sim[Symbol.dispose]();
    assert.throws(() => sim.now(), Error);
  });
});
