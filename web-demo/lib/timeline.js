// The Gantt model: executions and their task attempts, a thin adapter over the core's timeline
// projection (`sim.timeline(sinceSequence)`, jobsim_core::timeline — the one fold of the log into
// attempts, shared with the CLI and `explain`). Running attempts have no end yet; an execution
// cancelled or deleted while they ran ends them then (outcome `cancelled`).
//
// The model keeps the core's shape, with `tasks` as a Map by index, plus `version` per execution
// (the sequence of the last event that changed it) and `membership` (the last event that created
// or removed an execution), which the frame caches key on. It is incremental: `update` asks the
// core only for the executions changed since the last update, and the core folds only the events
// appended since its last call.

/**
 * Executions and their attempts of one simulator: `start` (the world's start, µs), `folded` (the
 * log version) and `executions`, in creation order, each `{name, job, ordinal, created, taskCount,
 * parallelism, maxRetries, timeoutSeconds, startedAt, completedAt, succeeded, cancelledAt,
 * deletedAt, version, tasks: Map<number, Array<{task, attempt, start, end, outcome, code, endsAt}>>}`.
 */
export class Timeline {
  constructor() {
    this.start = 0;
    /** The sequence of the last event folded in. */
    this.folded = 0;
    this.executions = [];
    this.byName = new Map();
    /** The sequence of the last event that created or removed an execution (lists change only then). */
    this.membership = 0;
  }

  /** Brings the model up to `sim`'s log (the executions changed since the last update); returns this. */
  update(sim) {
    const u = sim.timeline(this.folded);
    this.start = u.start;
    this.folded = u.folded;
    this.membership = u.membership;
    for (const { index, execution } of u.changed) {
      const x = { ...execution, tasks: new Map(Object.entries(execution.tasks).map(([k, v]) => [Number(k), v])) };
      this.executions[index] = x;
      // A name used again belongs to its latest execution.
      const other = this.byName.get(x.name);
      if (!other || this.executions.indexOf(other) <= index) this.byName.set(x.name, x);
    }
    return this;
  }

  /** The latest execution named `name`, if it was created. */
  execution(name) {
    return this.byName.get(name);
  }
}

/** The timeline of a simulator's whole log. */
export function buildTimeline(sim) {
  return new Timeline().update(sim);
}

/**
 * A timeline kept from frame to frame. `at(view)` returns the timeline of `view.sim`: while it is
 * the simulator of the previous call (the live one only grows), only what changed is read;
 * another simulator (a rebuild, a past state) starts a new model.
 */
export class TimelineCache {
  constructor() {
    this.sim = null;
    this.model = null;
  }

  at(view) {
    if (!this.model || this.sim !== view.sim || this.model.folded > view.k) {
      this.sim = view.sim;
      this.model = new Timeline();
    }
    return this.model.update(view.sim);
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
