// The inspector's "Scenario" tab: the steps taken so far (each with its outcome) and the
// scenario file they make, which `jobsim run` runs as is. A new step appends its item; the list
// is redrawn only when the steps or options are replaced, and the file is written only while
// it is shown.

import { h, elements } from "../lib/dom.js";
import { stepKind } from "../lib/session.js";
import { formatClock, parseTime } from "../lib/time.js";
import { stringifyYaml } from "../lib/yaml.js";
import { describeError } from "./messages.js";

const el = elements("steps", "scenario-text");

/** One line about a step, e.g. `jobs.run etl with overrides {…}` or `advance 30s`. */
export function summarizeStep(session, step) {
  switch (stepKind(step)) {
    case "call": {
      const target = step.name ?? (step.latestOf ? `latest of ${step.latestOf}` : step.body?.metadata?.name ?? "");
      const ov = step.body?.overrides ? ` with overrides ${JSON.stringify(step.body.overrides)}` : "";
      return `${step.call} ${target}${ov}`.trim();
    }
    case "advance":
      return `advance ${step.advance}`;
    case "advanceTo":
      return `advanceTo ${session ? formatClock(parseTime(step.advanceTo), session.worldStart) : step.advanceTo}`;
    case "runUntilIdle":
      return "runUntilIdle";
    default:
      return JSON.stringify(step);
  }
}

/** The list item of step `i` with its outcome badge. */
function stepItem(s, step, i) {
  const o = s.outcomes[i];
  const badge = o?.ok
    ? h("span", { class: "badge ok" }, "ok")
    : h("span", { class: "badge fail", title: describeError(o?.error).join(" ") }, o?.error?.httpStatus ? `${o.error.httpStatus} ${o.error.code}` : "error");
  return h("li", { "data-step": i }, h("code", {}, summarizeStep(s, step)), " ", badge);
}

export function scenarioView() {
  let shown = {};
  // The scenario file is written only while its <details> is open (it is the whole scenario).
  const fileBox = el.scenarioText.closest("details");
  let fileStale = true;
  const writeFile = (s) => {
    el.scenarioText.textContent = s.readOnly ? "" : stringifyYaml(s.scenario());
    fileStale = false;
  };
  let session = null;
  fileBox?.addEventListener("toggle", () => {
    if (fileBox.open && fileStale && session) writeFile(session);
  });

  return function renderScenario(state) {
    const s = state.session;
    session = s;
    // Steps are pushed (one more item), or replaced with the options (undo, settings, new session).
    const same = shown.s === s && shown.steps === s.steps && shown.options === s.options;
    if (same && shown.count === s.steps.length) return;
    if (s.readOnly) {
      el.steps.replaceChildren(h("li", { class: "muted" }, "An imported event log has no steps."));
    } else if (!s.steps.length) {
      el.steps.replaceChildren(h("li", { class: "muted" }, "No steps yet."));
    } else if (same && shown.count > 0 && s.steps.length > shown.count) {
      el.steps.append(...s.steps.slice(shown.count).map((step, i) => stepItem(s, step, shown.count + i)));
    } else {
      el.steps.replaceChildren(...s.steps.map((step, i) => stepItem(s, step, i)));
    }
    shown = { s, steps: s.steps, options: s.options, count: s.steps.length };
    fileStale = true;
    if (!fileBox || fileBox.open) writeFile(s);
  };
}
