// sim.handle(method, url, bodyText?): the HTTP route table of `jobsim serve`, in-process
// (jobsim_core::http). Same bytes as the server, errors as answers in Google's shape (R33).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { throwsJobsim } from "../test-support/common.mjs";
import { Simulator } from "../pkg/node/jobsim_wasm.mjs";

const NS = "/apis/run.googleapis.com/v1/namespaces/demo-project";
const job = (name) => ({
  metadata: { name },
  spec: { template: { spec: { taskCount: 2, template: { spec: { containers: [{ image: "us-docker.pkg.dev/demo/x:1" }] } } } } },
});

describe("handle", () => {
  test("R33: the v1 routes answer what call answers, as JSON text", () => {
    const http = new Simulator({ seed: 4, profile: "instant" });
    const direct = new Simulator({ seed: 4, profile: "instant" });
    const created = http.handle("POST", `${NS}/jobs`, JSON.stringify(job("a")));
    assert.equal(created.status, 200);
    assert.equal(created.contentType, "application/json; charset=UTF-8");
    assert.deepEqual(JSON.parse(created.body), direct.call("jobs.create", { body: job("a") }));
    const run = http.handle("POST", `${NS}/jobs/a:run`);
    assert.deepEqual(JSON.parse(run.body), direct.call("jobs.run", { name: "a" }));
    const page = http.handle("GET", `${NS}/executions?labelSelector=run.googleapis.com/job+=+a&limit=1&alt=json`);
    assert.deepEqual(JSON.parse(page.body), direct.call("executions.list", { query: { labelSelector: "run.googleapis.com/job = a", limit: 1 } }));
    assert.equal(http.events().length, direct.events().length);
  });

  test("R33: 404, 405, 400 are answers in Google's error shape, not throws", () => {
    const sim = new Simulator({ profile: "instant" });
    for (const [method, url, status] of [
      ["GET", `${NS}/jobs/nope`, 404],
      ["GET", "/nope", 404],
      ["PATCH", `${NS}/jobs/a`, 405],
      ["GET", `${NS}/jobs/a%2Fb`, 400],
    ]) {
      const a = sim.handle(method, url);
      assert.equal(a.status, status, `${method} ${url}`);
      assert.equal(JSON.parse(a.body).error.code, status);
    }
    const bad = sim.handle("POST", `${NS}/jobs`, "{nope");
    assert.equal(bad.status, 400);
    assert.match(JSON.parse(bad.body).error.message, /^Invalid JSON payload received\./);
  });

  test("the control routes move the manual clock", () => {
    const sim = new Simulator({ profile: "realistic" });
    sim.handle("POST", `${NS}/jobs`, JSON.stringify(job("a")));
    const moved = JSON.parse(sim.handle("POST", "/jobsim/v1/clock:advance", '{"duration": "90s"}').body);
    assert.equal(moved.now, "2026-01-01T00:01:30.000000Z");
    assert.equal(moved.mode, "manual");
    assert.equal(sim.now(), moved.now);
    const events = sim.handle("GET", "/jobsim/v1/events?from=2");
    assert.equal(events.contentType, "application/jsonl; charset=UTF-8");
    assert.equal(events.body.trim().split("\n").length, sim.events(2).length);
  });

  test("arguments that are not strings throw INVALID_ARGUMENT", () => {
    const sim = new Simulator();
    throwsJobsim(() => sim.handle(1, "/healthz"), "INVALID_ARGUMENT");
    throwsJobsim(() => sim.handle("GET", {}), "INVALID_ARGUMENT");
    throwsJobsim(() => sim.handle("POST", "/jobsim/v1/clock:runUntilIdle", {}), "INVALID_ARGUMENT");
    assert.equal(sim.handle("GET", "/healthz", null).status, 200);
  });
});
