// The jobs table: each job with its generation, execution count, latest execution and
// conditions, as jobs.list returns them at the moment shown. Redrawn only when that list or the
// selected job changed.

import { h, elements } from "../lib/dom.js";
import { conditionChips } from "./conditions.js";

const el = elements("jobs");

export function jobsView() {
  let shown = {};
  return function renderJobs(state, { view, jobs }) {
    if (shown.jobs === jobs && shown.job === state.sel.job && shown.live === view.live) return;
    shown = { jobs, job: state.sel.job, live: view.live };
    if (!jobs.length) {
      el.jobs.replaceChildren(h("p", { class: "empty" }, view.live ? "No jobs. Create one from the Job editor." : "No jobs at this event."));
      return;
    }
    el.jobs.replaceChildren(
      h(
        "table",
        { class: "jobs" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { scope: "col" }, "Job"),
            h("th", { scope: "col", class: "col-optional" }, "Generation"),
            h("th", { scope: "col" }, "Executions"),
            h("th", { scope: "col", class: "col-optional" }, "Latest execution"),
            h("th", { scope: "col" }, "Conditions"),
          ),
        ),
        h(
          "tbody",
          {},
          jobs.map((j) =>
            h(
              "tr",
              { "data-job": j.metadata.name, class: j.metadata.name === state.sel.job ? "selected" : null },
              h("th", { scope: "row" }, j.metadata.name, j.metadata.deletionTimestamp ? h("span", { class: "tag" }, " deleting") : null),
              h("td", { class: "col-optional" }, String(j.metadata.generation ?? "")),
              h("td", { "data-field": "executionCount" }, String(j.status?.executionCount ?? 0)),
              h("td", { class: "col-optional" }, j.status?.latestCreatedExecution?.name ?? "—"),
              h("td", {}, conditionChips(j.status?.conditions)),
            ),
          ),
        ),
      ),
    );
  };
}
