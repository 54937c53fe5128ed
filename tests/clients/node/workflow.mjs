// One workflow of the Node `googleapis` client over all 12 Cloud Run Admin v1 methods, shared by
// the socket suite (googleapis.test.mjs) and the in-process wasm suite (wasm-handle.test.mjs).
// Every call is recorded as the equivalent scenario step with the answer the client got, so the
// caller can check the bodies against `jobsim run` of the same steps for the same seed (issue #11).
import assert from "node:assert/strict";
import { NS, PROJECT } from "./serve.mjs";

export const IMAGE = "us-docker.pkg.dev/demo/etl:1";

/** A v1 Job as a client writes it: 3 tasks, maxRetries 1 (the gcloud suite's job too). */
export function jobBody(name, labels) {
  return {
    apiVersion: "run.googleapis.com/v1",
    kind: "Job",
    metadata: { name, labels },
    spec: { template: { spec: { taskCount: 3, template: { spec: { maxRetries: 1, containers: [{ image: IMAGE }] } } } } },
  };
}

/** A rejected call as the client surfaces it: a GaxiosError with the HTTP status and the Google message. */
function isGaxios(e) {
  return e && e.constructor && e.constructor.name === "GaxiosError" && typeof e.status === "number";
}

/**
 * Runs the workflow. `run` is `google.run({version: "v1", ...})`; `clock` moves the virtual
 * clock ({advance(d), runUntilIdle()}). Returns `{steps, answers}`: the scenario steps, and per
 * step either `{status, body}` the client got or `null` for a clock step.
 */
export async function workflow(run, clock) {
  const steps = [];
  const answers = [];
  const jobs = run.namespaces.jobs;
  const executions = run.namespaces.executions;
  const tasks = run.namespaces.tasks;

  // A call that must succeed: the client's answer is 200 and carries data.
  async function ok(step, fn) {
    steps.push(step);
    const res = await fn();
    assert.equal(res.status, 200, `${step.call} answered ${res.status}`);
    answers.push({ status: res.status, body: res.data });
    return res.data;
  }
  // A call that must fail: a GaxiosError with this status and the server's Google error body.
  async function fails(step, status, fn) {
    steps.push(step);
    let caught;
    await assert.rejects(fn(), (e) => {
      caught = e;
      return true;
    });
    assert.ok(isGaxios(caught), `${step.call}: expected a GaxiosError, got ${caught}`);
    assert.equal(caught.status, status, `${step.call}: ${caught.message}`);
    const body = caught.response.data;
    assert.equal(body.error.code, status);
    assert.ok(body.error.message.length > 0);
    // gaxios makes the Google message the error's message: what a user reads.
    assert.ok(caught.message.includes(body.error.message), `${caught.message} vs ${body.error.message}`);
    answers.push({ status, body });
    return body;
  }
  async function tick(step, fn) {
    steps.push(step);
    answers.push(null);
    await fn();
  }

  // jobs.create ×3 (labels for the selector), one dry run, a duplicate (409), a bad body (400).
  const j1 = await ok({ call: "jobs.create", body: jobBody("j1", { team: "data" }) }, () =>
    jobs.create({ parent: NS, requestBody: jobBody("j1", { team: "data" }) }),
  );
  assert.equal(j1.metadata.name, "j1");
  assert.equal(j1.spec.template.spec.taskCount, 3);
  await ok({ call: "jobs.create", body: jobBody("j2", { team: "ml" }) }, () =>
    jobs.create({ parent: NS, requestBody: jobBody("j2", { team: "ml" }) }),
  );
  await ok({ call: "jobs.create", body: jobBody("j3", { team: "web" }), query: { dryRun: "all" } }, () =>
    jobs.create({ parent: NS, dryRun: "all", requestBody: jobBody("j3", { team: "web" }) }),
  );
  await ok({ call: "jobs.create", body: jobBody("j3", { team: "web" }) }, () =>
    jobs.create({ parent: NS, requestBody: jobBody("j3", { team: "web" }) }),
  );
  await fails({ call: "jobs.create", body: jobBody("j1", {}) }, 409, () =>
    jobs.create({ parent: NS, requestBody: jobBody("j1", {}) }),
  );
  const bad = jobBody("bad", {});
  bad.spec.template.spec.taskCount = "ten";
  const badErr = await fails({ call: "jobs.create", body: bad }, 400, () => jobs.create({ parent: NS, requestBody: bad }));
  assert.equal(badErr.error.status, "INVALID_ARGUMENT");

  // jobs.get, and jobs.list: paging with `continue`, a selector with spaces (sent as %20).
  const got = await ok({ call: "jobs.get", name: "j1" }, () => jobs.get({ name: `${NS}/jobs/j1` }));
  const page1 = await ok({ call: "jobs.list", query: { limit: 2 } }, () => jobs.list({ parent: NS, limit: 2 }));
  assert.equal(page1.items.length, 2);
  assert.ok(page1.metadata.continue, "a first page of 2 of 3 jobs has a continue token");
  const page2 = await ok({ call: "jobs.list", query: { limit: 2, continue: page1.metadata.continue } }, () =>
    jobs.list({ parent: NS, limit: 2, continue: page1.metadata.continue }),
  );
  assert.deepEqual(
    [...page1.items, ...page2.items].map((j) => j.metadata.name).sort(),
    ["j1", "j2", "j3"],
  );
  assert.equal(page2.metadata?.continue, undefined);
  const selected = await ok({ call: "jobs.list", query: { labelSelector: "team in (data,ml)" } }, () =>
    jobs.list({ parent: NS, labelSelector: "team in (data,ml)" }),
  );
  assert.deepEqual(selected.items.map((j) => j.metadata.name).sort(), ["j1", "j2"]);

  // jobs.replaceJob with the body the client just read (as gcloud update does): generation 2.
  const changed = structuredClone(got);
  changed.spec.template.spec.parallelism = 2;
  const replaced = await ok({ call: "jobs.replaceJob", name: "j1", body: changed }, () =>
    jobs.replaceJob({ name: `${NS}/jobs/j1`, requestBody: changed }),
  );
  assert.equal(replaced.metadata.generation, 2);

  // jobs.run → an Execution (not an operation); run to the end.
  const ex1 = await ok({ call: "jobs.run", name: "j1", body: {} }, () =>
    jobs.run({ name: `${NS}/jobs/j1`, requestBody: {} }),
  );
  assert.equal(ex1.kind, "Execution");
  assert.equal(ex1.metadata.labels["run.googleapis.com/job"], "j1");
  await tick({ advance: "5s" }, () => clock.advance("5s"));
  await tick({ runUntilIdle: true }, () => clock.runUntilIdle());
  const done = await ok({ call: "executions.get", name: ex1.metadata.name }, () =>
    executions.get({ name: `${NS}/executions/${ex1.metadata.name}` }),
  );
  assert.equal(done.status.succeededCount, 3);

  // A second run, with overrides, cancelled before it starts.
  const ex2 = await ok({ call: "jobs.run", name: "j1", body: { overrides: { taskCount: 2 } } }, () =>
    jobs.run({ name: `${NS}/jobs/j1`, requestBody: { overrides: { taskCount: 2 } } }),
  );
  const cancelled = await ok({ call: "executions.cancel", name: ex2.metadata.name, body: {} }, () =>
    executions.cancel({ name: `${NS}/executions/${ex2.metadata.name}`, requestBody: {} }),
  );
  assert.equal(cancelled.metadata.name, ex2.metadata.name);
  await tick({ runUntilIdle: true }, () => clock.runUntilIdle());

  // executions.list: the job's executions, one a page (gcloud's selector spelling, with spaces).
  const sel = "run.googleapis.com/job = j1";
  const e1 = await ok({ call: "executions.list", query: { labelSelector: sel, limit: 1 } }, () =>
    executions.list({ parent: NS, labelSelector: sel, limit: 1 }),
  );
  assert.equal(e1.items.length, 1);
  const e2 = await ok({ call: "executions.list", query: { labelSelector: sel, limit: 1, continue: e1.metadata.continue } }, () =>
    executions.list({ parent: NS, labelSelector: sel, limit: 1, continue: e1.metadata.continue }),
  );
  assert.deepEqual(
    [...e1.items, ...e2.items].map((e) => e.metadata.name).sort(),
    [ex1.metadata.name, ex2.metadata.name].sort(),
  );

  // tasks.list of the first execution, two a page; tasks.get of one.
  const tsel = `run.googleapis.com/execution=${ex1.metadata.name}`;
  const t1 = await ok({ call: "tasks.list", query: { labelSelector: tsel, limit: 2 } }, () =>
    tasks.list({ parent: NS, labelSelector: tsel, limit: 2 }),
  );
  assert.equal(t1.items.length, 2);
  const t2 = await ok({ call: "tasks.list", query: { labelSelector: tsel, limit: 2, continue: t1.metadata.continue } }, () =>
    tasks.list({ parent: NS, labelSelector: tsel, limit: 2, continue: t1.metadata.continue }),
  );
  assert.equal(t2.items.length, 1);
  const task = await ok({ call: "tasks.get", name: t1.items[0].metadata.name }, () =>
    tasks.get({ name: `${NS}/tasks/${t1.items[0].metadata.name}` }),
  );
  assert.equal(task.kind, "Task");
  assert.equal(task.metadata.labels["run.googleapis.com/execution"], ex1.metadata.name);

  // executions.delete, then the execution is gone (404).
  const st = await ok({ call: "executions.delete", name: ex2.metadata.name }, () =>
    executions.delete({ name: `${NS}/executions/${ex2.metadata.name}` }),
  );
  assert.equal(st.status, "Success");
  await tick({ runUntilIdle: true }, () => clock.runUntilIdle());
  await fails({ call: "executions.get", name: ex2.metadata.name }, 404, () =>
    executions.get({ name: `${NS}/executions/${ex2.metadata.name}` }),
  );

  // jobs.delete (with the query gcloud and kubectl-style clients add), then 404.
  const del = await ok({ call: "jobs.delete", name: "j2" }, () =>
    jobs.delete({ name: `${NS}/jobs/j2`, propagationPolicy: "Background", kind: "Job", apiVersion: "run.googleapis.com/v1" }),
  );
  assert.equal(del.status, "Success");
  await tick({ runUntilIdle: true }, () => clock.runUntilIdle());
  await fails({ call: "jobs.get", name: "j2" }, 404, () => jobs.get({ name: `${NS}/jobs/j2` }));
  await fails({ call: "jobs.run", name: "nope", body: {} }, 404, () =>
    jobs.run({ name: `${NS}/jobs/nope`, requestBody: {} }),
  );
  await fails({ call: "tasks.get", name: "nope-x-task-0" }, 404, () => tasks.get({ name: `${NS}/tasks/nope-x-task-0` }));
  // A project the server does not simulate.
  await fails({ call: "jobs.list", namespace: "other-project" }, 404, () =>
    jobs.list({ parent: "namespaces/other-project" }),
  );
  assert.equal(PROJECT, "demo-project");
  return { steps, answers };
}

/** Checks each client answer against `jobsim run`'s outcome for the same step (same seed, same world). */
export function assertSameAsCli(record, outcomes, canonical) {
  assert.equal(outcomes.length, record.steps.length, "one outcome per step");
  record.answers.forEach((a, i) => {
    if (a === null) return;
    const o = outcomes[i];
    assert.equal(o.step, i);
    assert.equal(a.status, o.status, `step ${i} (${record.steps[i].call}): status`);
    assert.equal(canonical(a.body), canonical(o.body), `step ${i} (${record.steps[i].call}): body`);
  });
}
