// The Run and Execution sections: run the selected job (with the overrides the form holds),
// delete it, cancel or delete the selected execution. Each is one `call` step.

import { elements } from "../lib/dom.js";
import { liveView, read, timelineOf } from "../state.js";
import { commit } from "./step.js";

const el = elements("run-job", "exec-select", "ov-taskCount", "ov-timeout", "ov-args", "ov-env");

/** The `overrides` body the form asks for, or null; throws on a field that is not what it must be. */
function overrides() {
  const o = {};
  const num = (input, key) => {
    const raw = input.value.trim();
    if (raw === "") return;
    if (!/^-?\d+$/.test(raw)) throw Object.assign(new Error(`${key} must be a whole number, got “${raw}”.`), { field: input.id });
    o[key] = Number(raw);
  };
  num(el.ovTaskCount, "taskCount");
  num(el.ovTimeout, "timeoutSeconds");
  const lines = (textarea) => textarea.value.split("\n").map((s) => s.trim()).filter(Boolean);
  const args = lines(el.ovArgs);
  const env = lines(el.ovEnv).map((line, i) => {
    const eq = line.indexOf("=");
    if (eq <= 0) throw new Error(`Env line ${i + 1} (“${line}”) must look like NAME=value.`);
    return { name: line.slice(0, eq), value: line.slice(eq + 1) };
  });
  if (args.length || env.length) {
    const c = {};
    if (args.length) c.args = args;
    if (env.length) c.env = env;
    o.containerOverrides = [c];
  }
  return Object.keys(o).length ? { overrides: o } : null;
}

export function onRun(ctx) {
  const name = el.runJob.value;
  if (!name) throw new Error("There is no job to run: create one first.");
  const body = overrides();
  const step = { call: "jobs.run", name };
  if (body) step.body = body;
  const r = commit(ctx, step, "run-error", (x) => `Started execution ${x.body.metadata.name} of ${name}.`);
  if (r.ok) ctx.select({ job: name, execution: r.body.metadata.name, resKind: "Execution" });
}

/** How a step addresses an execution: `latestOf` its job when it is the latest (as a user would), else by name. */
function executionTarget(state, name) {
  const live = liveView(state);
  const x = timelineOf(state, live).execution(name);
  if (x?.job) {
    const latest = read(live, "executions.get", { latestOf: x.job });
    if (latest.ok && latest.body.metadata.name === name) return { latestOf: x.job };
  }
  return { name };
}

export function onCancel(ctx) {
  const name = el.execSelect.value;
  if (!name) throw new Error("There is no execution to cancel.");
  commit(ctx, { call: "executions.cancel", ...executionTarget(ctx.state, name) }, "exec-error", () => `Cancelled ${name}.`);
}

export function onDeleteExecution(ctx) {
  const name = el.execSelect.value;
  if (!name) throw new Error("There is no execution to delete.");
  commit(ctx, { call: "executions.delete", ...executionTarget(ctx.state, name) }, "exec-error", () => `Deleted ${name}.`);
}

export function onDeleteJob(ctx) {
  const name = el.runJob.value;
  if (!name) throw new Error("There is no job to delete.");
  commit(ctx, { call: "jobs.delete", name }, "run-error", () => `Deletion of job ${name} started.`);
}
