// The Gantt model: executions and their task attempts, folded from event envelopes. Running
// attempts have no end yet; an execution cancelled or deleted while they ran ends them then.

import { parseTime } from "./time.js";

/**
 * @returns {{start: number, executions: Array<{name, job, ordinal, created, taskCount,
 *   parallelism, maxRetries, startedAt, completedAt, succeeded, cancelledAt, deletedAt,
 *   tasks: Map<number, Array<{task, attempt, start, end, outcome, code}>>}>}}
 */
export function buildTimeline(events) {
  let start = 0;
  const executions = new Map();
  const byJob = new Map();
  const stopRunning = (x, at, outcome) => {
    for (const attempts of x.tasks.values()) {
      for (const a of attempts) {
        if (a.end === null) {
          a.end = at;
          a.outcome = outcome;
        }
      }
    }
  };
  for (const e of events) {
    const p = e.payload ?? {};
    const at = parseTime(e.time);
    switch (e.type) {
      case "WorldStarted":
        start = p.world?.start ?? at;
        break;
      case "ExecutionCreated": {
        const meta = p.execution?.metadata ?? {};
        const spec = p.execution?.spec ?? {};
        const job = meta.labels?.["run.googleapis.com/job"] ?? meta.ownerReferences?.[0]?.name ?? "";
        const x = {
          name: meta.name,
          job,
          ordinal: p.ordinal,
          created: at,
          taskCount: spec.taskCount ?? 1,
          parallelism: spec.parallelism ?? 0,
          maxRetries: spec.template?.spec?.maxRetries ?? 3,
          timeoutSeconds: Number(spec.template?.spec?.timeoutSeconds ?? 600),
          startedAt: null,
          completedAt: null,
          succeeded: null,
          cancelledAt: null,
          deletedAt: null,
          tasks: new Map(),
        };
        executions.set(x.name, x);
        if (!byJob.has(job)) byJob.set(job, []);
        byJob.get(job).push(x);
        break;
      }
      case "ExecutionStarted": {
        const x = executions.get(p.execution);
        if (x) x.startedAt = at;
        break;
      }
      case "AttemptStarted": {
        const x = executions.get(p.execution);
        if (!x) break;
        if (!x.tasks.has(p.task)) x.tasks.set(p.task, []);
        x.tasks.get(p.task).push({ task: p.task, attempt: p.attempt, start: at, end: null, outcome: "running", code: null, endsAt: p.endsAt });
        break;
      }
      case "AttemptEnded": {
        const x = executions.get(p.execution);
        const a = x?.tasks.get(p.task)?.findLast((t) => t.attempt === p.attempt);
        if (!a) break;
        a.end = at;
        a.outcome = p.outcome?.kind ?? "exited";
        a.code = p.outcome?.code ?? null;
        break;
      }
      case "ExecutionCompleted": {
        const x = executions.get(p.execution);
        if (!x) break;
        x.completedAt = at;
        x.succeeded = p.completed?.status === "True";
        break;
      }
      case "ExecutionCancelled": {
        const x = executions.get(p.execution);
        if (!x) break;
        x.cancelledAt = at;
        stopRunning(x, at, "cancelled");
        break;
      }
      case "ExecutionDeleted": {
        const x = executions.get(p.execution);
        if (!x) break;
        x.deletedAt = at;
        stopRunning(x, at, "cancelled");
        break;
      }
      case "JobDeleted":
        for (const x of byJob.get(p.name) ?? []) {
          if (x.deletedAt === null) {
            x.deletedAt = at;
            stopRunning(x, at, "cancelled");
          }
        }
        break;
      default:
        break;
    }
  }
  return { start, executions: [...executions.values()] };
}

/**
 * A task's phase (the API's `run.googleapis.com/runningState` label) from the events alone:
 * Pending, Running (an attempt runs or a retry waits), Succeeded, Failed (out of retries),
 * Cancelled (started, then the execution was cancelled) or Abandoned (never started).
 */
export function taskPhase(x, index) {
  const attempts = x.tasks.get(index) ?? [];
  const last = attempts.at(-1);
  if (last?.outcome === "succeeded") return "Succeeded";
  const failed = last && (last.outcome === "exited" || last.outcome === "timedOut");
  if (failed && attempts.length > x.maxRetries) return "Failed";
  if (x.cancelledAt !== null) return attempts.length ? "Cancelled" : "Abandoned";
  return attempts.length ? "Running" : "Pending";
}

/** Number of attempt bars of an execution. */
export function attemptCount(x) {
  let n = 0;
  for (const attempts of x.tasks.values()) n += attempts.length;
  return n;
}

/** A tick step (µs) giving about `target` ticks over `span` µs. */
export function tickStep(span, target = 6) {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 21600, 43200, 86400];
  for (const s of steps) if (span / (s * 1e6) <= target) return s * 1e6;
  return 86400e6 * Math.ceil(span / (86400e6 * target));
}

/** One line about an event for the log table, e.g. `task 3 attempt 1: exited 137`. */
export function describeEvent(e) {
  const p = e.payload ?? {};
  const outcome = (o) => (o?.kind === "exited" ? `exited ${o.code}` : o?.kind === "timedOut" ? "timed out" : o?.kind ?? "");
  switch (e.type) {
    case "WorldStarted":
      return `seed ${p.world?.seed}, profile ${p.world?.profile?.name}`;
    case "JobCreated":
    case "JobReplaced":
      return `${p.job?.metadata?.name}`;
    case "JobReconciled":
      return `Ready=${p.ready?.status}${p.ready?.reason ? ` (${p.ready.reason})` : ""}`;
    case "ExecutionCreated":
      return `${p.execution?.metadata?.name} (#${p.ordinal}, ${p.execution?.spec?.taskCount ?? 1} tasks)`;
    case "AttemptStarted":
      return `task ${p.task} attempt ${p.attempt}`;
    case "AttemptEnded":
      return `task ${p.task} attempt ${p.attempt}: ${outcome(p.outcome)}`;
    case "ExecutionCompleted":
      return `Completed=${p.completed?.status}${p.completed?.reason ? ` (${p.completed.reason})` : ""}`;
    default:
      return p.execution ?? p.name ?? "";
  }
}
