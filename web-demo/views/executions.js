// The executions panel: a card per execution, newest first (counters and conditions from the
// API, the explain line, the Gantt timeline of its attempts). Each part is redone only when what
// it shows changed: the API read and explain when an event of its own arrived (its `version` in
// the timeline), the card when it was (de)selected, the Gantt when the clock moved while its
// timeline can still move. Every other card is the node of an earlier frame, left in place, so
// a frame costs the executions that changed, not all of them.

import { h, elements, placeChildren } from "../lib/dom.js";
import { taskPhase } from "../lib/timeline.js";
import { formatClock } from "../lib/time.js";
import { read } from "../state.js";
import { conditionChips } from "./conditions.js";
import { explainLine } from "./explain.js";
import { fixedEnd, gantt, MAX_ROWS } from "./gantt.js";

const el = elements("executions");

const COUNTERS = [
  ["runningCount", "Running"],
  ["succeededCount", "Succeeded"],
  ["failedCount", "Failed"],
  ["cancelledCount", "Cancelled"],
  ["retriedCount", "Retried"],
];

/** The card's state word, from the API's conditions (or the events once it is gone). */
function executionState(resource, x) {
  if (!resource) return x.deletedAt !== null ? "Deleted" : "Unknown";
  const conds = resource.status?.conditions ?? [];
  const completed = conds.find((c) => c.type === "Completed");
  if (completed?.status === "True") return "Succeeded";
  if (completed?.status === "False") return completed.reason === "Cancelled" ? "Cancelled" : "Failed";
  if (resource.status?.startTime) return "Running";
  return "Pending";
}

/** `ctx.select(selection)`: what clicking a card's button or a task row selects. */
export function executionsView(ctx) {
  let epoch = null;
  /** name → {version, resource, explain, fixedEnd, selected, node, ganttKey, gantt} */
  const cards = new Map();

  function buildCard(state, x, c, start) {
    const { resource } = c;
    const shown = executionState(resource, x);
    const selected = x.name === state.sel.execution;
    const counters = h(
      "dl",
      { class: "counters", "aria-label": `Counters of ${x.name}` },
      h("div", { "data-counter": "taskCount" }, h("dt", {}, "Tasks"), h("dd", {}, String(resource?.spec?.taskCount ?? x.taskCount))),
      COUNTERS.map(([key, label]) => h("div", { "data-counter": key }, h("dt", {}, label), h("dd", {}, String(resource?.status?.[key] ?? 0)))),
    );
    return h(
      "details",
      {
        class: `exec-card${selected ? " selected" : ""}`,
        "data-execution": x.name,
        "data-state": shown,
        open: !state.collapsed.has(x.name),
        ontoggle: (e) => {
          if (e.target.open) state.collapsed.delete(x.name);
          else state.collapsed.add(x.name);
        },
      },
      h(
        "summary",
        {},
        h("span", { class: "exec-name" }, x.name),
        h("span", { class: `state state-${shown}` }, shown),
        h("span", { class: "muted" }, ` ${x.job} · #${x.ordinal} · created ${formatClock(x.created, start)} · parallelism ${x.parallelism || "∞"} · maxRetries ${x.maxRetries}`),
      ),
      h(
        "div",
        { class: "exec-body" },
        h(
          "div",
          { class: "exec-meta" },
          resource ? counters : h("p", { class: "muted" }, "Not in the API at this moment."),
          resource ? conditionChips(resource.status?.conditions) : null,
          h(
            "button",
            {
              type: "button",
              id: `select-${x.name}`,
              class: "small",
              "aria-pressed": selected ? "true" : "false",
              onclick: () => ctx.select({ execution: x.name, job: x.job, resKind: "Execution" }),
            },
            selected ? "Selected" : "Select",
          ),
        ),
        h("p", { class: "explain", "data-explain": x.name }, c.explain),
      ),
    );
  }

  function buildGantt(state, view, x, c, start) {
    // Task phases from the events (the unit tests hold them equal to the API's runningState
    // labels), so a 10,000-task execution costs no tasks.list.
    const taskStates = new Map();
    if (c.resource) for (let i = 0; i < Math.min(x.taskCount, MAX_ROWS); i++) taskStates.set(i, taskPhase(x, i));
    return gantt(x, {
      now: view.now,
      start,
      taskStates,
      selectedTask: state.resKind === "Task" && state.sel.execution === x.name ? state.sel.task : -1,
      onSelectTask: (i) => ctx.select({ execution: x.name, job: x.job, task: i, resKind: "Task" }),
    });
  }

  /** The card of `x`, redoing only what changed: the API read and explain (its version), the card (selection), the Gantt (clock). */
  function cardOf(state, view, x, start) {
    let c = cards.get(x.name);
    if (!c || c.version !== x.version) {
      const got = read(view, "executions.get", { name: x.name });
      c = { version: x.version, resource: got.ok ? got.body : null, fixedEnd: fixedEnd(x) };
      c.explain = explainLine(view, x, c.resource, start);
      cards.set(x.name, c);
    }
    const selected = x.name === state.sel.execution;
    if (c.selected !== selected || !c.node) {
      c.node = buildCard(state, x, c, start);
      c.selected = selected;
      c.gantt = null;
    }
    const task = state.resKind === "Task" && selected ? state.sel.task : -1;
    // The clock counts only while the Gantt can still move with it.
    const followsClock = c.fixedEnd === null || view.now <= c.fixedEnd;
    const ganttKey = `${followsClock ? view.now : "fixed"}|${task}`;
    if (!c.gantt || c.ganttKey !== ganttKey) {
      const g = buildGantt(state, view, x, c, start);
      if (c.gantt) c.gantt.replaceWith(g);
      else c.node.lastElementChild.append(g);
      c.gantt = g;
      c.ganttKey = ganttKey;
    }
    return c.node;
  }

  return function renderExecutions(state, { view, timeline }) {
    if (epoch !== state.session.events) {
      epoch = state.session.events;
      cards.clear();
    }
    if (!timeline.executions.length) {
      el.executions.replaceChildren(h("p", { class: "empty" }, view.live ? "No executions yet. Press Run." : "No executions at this event."));
      return;
    }
    const focusId = document.activeElement?.id;
    const nodes = [];
    for (let i = timeline.executions.length - 1; i >= 0; i--) nodes.push(cardOf(state, view, timeline.executions[i], timeline.start));
    placeChildren(el.executions, nodes);
    if (focusId && !document.activeElement?.id) document.getElementById(focusId)?.focus();
  };
}
