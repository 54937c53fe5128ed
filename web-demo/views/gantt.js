// The Gantt timeline of one execution as DOM: a row per task, a bar per attempt, ticks and the
// "now" line. It draws the model of lib/timeline.js and reads nothing else.

import { h } from "../lib/dom.js";
import { attemptCount, tickStep } from "../lib/timeline.js";
import { formatClock, formatDuration } from "../lib/time.js";

export const OUTCOME_LABEL = { succeeded: "succeeded", exited: "exited", timedOut: "timed out", running: "running", cancelled: "cancelled" };
/** Rows drawn at most (a 10,000-task execution stays usable). */
export const MAX_ROWS = 200;

/** Where the Gantt of `x` ends at `now`: 10 s after its creation at least, its last attempt's end, its end or, while it runs, now. */
function timelineEnd(x, now) {
  let t1 = x.created + 10e6;
  for (const attempts of x.tasks.values()) for (const a of attempts) t1 = Math.max(t1, a.end ?? now);
  const terminal = x.completedAt ?? x.cancelledAt ?? x.deletedAt;
  return terminal === null ? Math.max(t1, now) : Math.max(t1, terminal);
}

/**
 * Where the Gantt of `x` ends when it no longer depends on the clock (the execution ended and
 * every attempt has its end), else null. Past that time the clock changes nothing in it: the
 * "now" line is gone and no bar grows.
 */
export function fixedEnd(x) {
  if ((x.completedAt ?? x.cancelledAt ?? x.deletedAt) === null) return null;
  for (const attempts of x.tasks.values()) for (const a of attempts) if (a.end === null) return null;
  return timelineEnd(x, 0);
}

/**
 * The Gantt timeline of one execution (from lib/timeline.js) at time `now`: a row per task, a
 * bar per attempt. `taskStates`: runningState by task index; `selectedTask`: index or -1;
 * `onSelectTask(index)`: row clicks.
 */
export function gantt(x, { now, start, taskStates, selectedTask, onSelectTask }) {
  const t1 = timelineEnd(x, now);
  const t0 = x.created;
  // A little room on the right so that the last bar and the "now" line stay visible.
  const span = Math.max(1, (t1 - t0) * 1.02);
  const pct = (t) => `${(((t - t0) / span) * 100).toFixed(3)}%`;
  const step = tickStep(span, 6);
  const ticks = [];
  const firstTick = Math.ceil((t0 - start) / step) * step + start;
  for (let t = firstTick; t <= t1; t += step) {
    ticks.push(h("span", { class: "g-tick", style: `left:${pct(t)}` }, formatClock(t, start).replace(/^00:/, "")));
  }
  const rows = [];
  const n = Math.min(x.taskCount, MAX_ROWS);
  const counts = { succeeded: 0, exited: 0, timedOut: 0, running: 0, cancelled: 0 };
  for (let i = 0; i < n; i++) {
    const attempts = x.tasks.get(i) ?? [];
    const bars = attempts.map((a) => {
      counts[a.outcome] = (counts[a.outcome] ?? 0) + 1;
      const end = a.end ?? Math.max(a.start, now);
      const width = ((end - a.start) / span) * 100;
      const what = a.outcome === "exited" ? `exited ${a.code}` : OUTCOME_LABEL[a.outcome];
      const title = `task ${i} · attempt ${a.attempt} · ${what} · ${formatClock(a.start, start)} → ${a.end === null ? "now" : formatClock(a.end, start)} (${formatDuration(end - a.start)})`;
      const label = a.outcome === "exited" ? String(a.code) : a.outcome === "timedOut" ? (width > 8 ? "timeout" : "") : "";
      return h(
        "div",
        {
          class: `bar bar-${a.outcome}`,
          style: `left:${pct(a.start)};width:${width.toFixed(3)}%`,
          title,
          "data-task": i,
          "data-attempt": a.attempt,
          "data-outcome": a.outcome,
        },
        width > 3 && label ? h("span", { class: "bar-label" }, label) : null,
      );
    });
    const state = taskStates.get(i) ?? "";
    const retries = Math.max(0, attempts.length - 1);
    rows.push(
      h(
        "div",
        {
          class: `g-row${selectedTask === i ? " selected" : ""}`,
          "data-task": i,
          "data-state": state,
          onclick: () => onSelectTask(i),
        },
        h("span", { class: "g-label", title: state ? `task ${i}: ${state}` : `task ${i}` }, h("span", { class: `dot dot-${state || "none"}` }), String(i), retries ? h("span", { class: "retries" }, `↻${retries}`) : null),
        h("div", { class: "g-track" }, bars),
      ),
    );
  }
  const nowLine = now >= t0 && now <= t1 ? h("div", { class: "g-now", style: `left:${pct(now)}`, title: `now ${formatClock(now, start)}` }) : null;
  const summary = `Timeline of ${x.name}: ${x.taskCount} tasks, ${attemptCount(x)} attempts (${Object.entries(counts)
    .filter(([, v]) => v)
    .map(([k, v]) => `${v} ${OUTCOME_LABEL[k]}`)
    .join(", ") || "none yet"}), from ${formatClock(t0, start)} to ${formatClock(t1, start)}.`;
  return h(
    "div",
    { class: "gantt", role: "img", "aria-label": summary, "data-execution": x.name, "data-bars": attemptCount(x) },
    h("div", { class: "g-axis" }, h("div", { class: "g-axis-track" }, ticks)),
    h("div", { class: "g-rows" }, rows),
    h("div", { class: "g-overlay" }, nowLine),
    x.taskCount > MAX_ROWS ? h("p", { class: "note" }, `Showing the first ${MAX_ROWS} of ${x.taskCount} tasks.`) : null,
  );
}
