// The Gantt model: executions and their task attempts, folded from event envelopes. Running
// attempts have no end yet; an execution cancelled or deleted while they ran ends them then.
//
// This file is the ONLY place in the demo that folds the event log into attempts: when the core
// exports its own timeline projection, swapping it in changes this file alone, as long as the
// model keeps the shape below with `version` and `membership`. The fold is incremental:
// `TimelineCache.at` folds only the events appended since the previous frame; each execution
// carries `version`, the sequence of the last event that changed it, so a view redraws an
// execution only when that number moves, and `membership` says when executions came or went.

import { parseTime } from "./time.js";

/**
 * Executions and their attempts after some events: `start` (the world's start, µs) and
 * `executions`, in creation order, each `{name, job, ordinal, created, taskCount, parallelism,
 * maxRetries, timeoutSeconds, startedAt, completedAt, succeeded, cancelledAt, deletedAt, version,
 * tasks: Map<number, Array<{task, attempt, start, end, outcome, code, endsAt}>>}`.
 */
export class Timeline {
  constructor() {
    this.start = 0;
    /** How many events are folded in. */
    this.folded = 0;
    this.executions = [];
    this.byName = new Map();
    this.byJob = new Map();
    /** The sequence of the last event that created or removed an execution (lists change only then). */
    this.membership = 0;
  }

  /** Folds `events[this.folded .. upTo)` in; returns this. */
  fold(events, upTo = events.length) {
    for (let i = this.folded; i < upTo; i++) this.apply(events[i]);
    this.folded = Math.max(this.folded, upTo);
    return this;
  }

  /** The execution named `name`, if it was created. */
  execution(name) {
    return this.byName.get(name);
  }

  apply(e) {
    const p = e.payload ?? {};
    const at = parseTime(e.time);
    // Any event naming an execution may change what the API shows of it (conditions, counters).
    const own = typeof p.execution === "string" ? this.byName.get(p.execution) : undefined;
    if (own) own.version = e.sequence;
    switch (e.type) {
      case "WorldStarted":
        this.start = p.world?.start ?? at;
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
          version: e.sequence,
          tasks: new Map(),
        };
        this.membership = e.sequence;
        this.byName.set(x.name, x);
        this.executions.push(x);
        if (!this.byJob.has(job)) this.byJob.set(job, []);
        this.byJob.get(job).push(x);
        break;
      }
      case "ExecutionStarted":
        if (own) own.startedAt = at;
        break;
      case "AttemptStarted":
        if (!own) break;
        if (!own.tasks.has(p.task)) own.tasks.set(p.task, []);
        own.tasks.get(p.task).push({ task: p.task, attempt: p.attempt, start: at, end: null, outcome: "running", code: null, endsAt: p.endsAt });
        break;
      case "AttemptEnded": {
        const a = own?.tasks.get(p.task)?.findLast((t) => t.attempt === p.attempt);
        if (!a) break;
        a.end = at;
        a.outcome = p.outcome?.kind ?? "exited";
        a.code = p.outcome?.code ?? null;
        break;
      }
      case "ExecutionCompleted":
        if (!own) break;
        own.completedAt = at;
        own.succeeded = p.completed?.status === "True";
        break;
      case "ExecutionCancelled":
        if (!own) break;
        own.cancelledAt = at;
        stopRunning(own, at, "cancelled");
        break;
      case "ExecutionDeleted":
        if (!own) break;
        this.membership = e.sequence;
        own.deletedAt = at;
        stopRunning(own, at, "cancelled");
        break;
      case "JobDeletionStarted":
        for (const x of this.byJob.get(p.name) ?? []) x.version = e.sequence;
        break;
      case "JobDeleted":
        this.membership = e.sequence;
        for (const x of this.byJob.get(p.name) ?? []) {
          x.version = e.sequence;
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
}

/** Ends the attempts of `x` still running at `at` with `outcome`. */
function stopRunning(x, at, outcome) {
  for (const attempts of x.tasks.values()) {
    for (const a of attempts) {
      if (a.end === null) {
        a.end = at;
        a.outcome = outcome;
      }
    }
  }
}

/** The timeline of a whole event log (or of its first events). */
export function buildTimeline(events, upTo = events.length) {
  return new Timeline().fold(events, upTo);
}

/**
 * A timeline kept from frame to frame. `at(events, k)` returns the timeline of `events[0..k)`:
 * when `events` is the array of the previous call (the live log only grows) and `k` did not go
 * back, it folds just the new events; otherwise it folds from the start.
 */
export class TimelineCache {
  constructor() {
    this.events = null;
    this.model = null;
  }

  at(events, k = events.length) {
    if (!this.model || this.events !== events || this.model.folded > k) {
      this.events = events;
      this.model = new Timeline();
    }
    return this.model.fold(events, k);
  }
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
