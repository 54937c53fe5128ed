// The inspector's "Resource JSON" tab: the selected Job, Execution or Task exactly as
// jobs.get / executions.get / tasks.get return it at the moment shown. Re-read and re-printed
// only when the selection or the log version changed.

import { elements, setOptions } from "../lib/dom.js";
import { read } from "../state.js";

const el = elements("res-kind", "res-job", "res-exec", "res-task", "res-caption", "res-json");

const METHODS = { Job: "jobs", Execution: "executions", Task: "tasks" };

export function resourcesView() {
  let shown = {};
  let shownKey = null;
  let shownEpoch = null;
  return function renderResource(state, { view, jobs, execNames, timeline }) {
    const kind = state.resKind;
    el.resKind.value = kind;
    if (shown.jobs !== jobs || shown.job !== state.sel.job) {
      const jobItems = jobs.map((j) => ({ value: j.metadata.name, label: j.metadata.name }));
      setOptions(el.resJob, jobItems.length ? jobItems : [{ value: "", label: "(none)" }], state.sel.job);
    }
    if (shown.execNames !== execNames || shown.job !== state.sel.job || shown.execution !== state.sel.execution) {
      const ofJob = execNames.filter((n) => !state.sel.job || timeline.execution(n)?.job === state.sel.job);
      const list = ofJob.length ? ofJob : execNames;
      setOptions(el.resExec, list.length ? list.map((n) => ({ value: n, label: n })) : [{ value: "", label: "(none)" }], state.sel.execution);
    }
    const x = timeline.execution(el.resExec.value);
    const taskCount = x ? Math.min(x.taskCount, 10000) : 0;
    if (shown.taskCount !== taskCount || shown.task !== state.sel.task) {
      const taskItems = Array.from({ length: taskCount }, (_, i) => ({ value: String(i), label: String(i) }));
      setOptions(el.resTask, taskItems.length ? taskItems : [{ value: "", label: "(none)" }], String(state.sel.task));
    }
    shown = { jobs, execNames, job: state.sel.job, execution: state.sel.execution, taskCount, task: state.sel.task };
    el.resExec.disabled = kind === "Job";
    el.resTask.disabled = kind !== "Task";

    let what = "";
    if (kind === "Job") what = el.resJob.value;
    else if (kind === "Execution") what = el.resExec.value;
    else if (el.resExec.value) what = `${el.resExec.value}-task${el.resTask.value}`;
    // The API's answers change only with the log: same log version, same JSON.
    const key = JSON.stringify([kind, what, view.live, view.k]);
    if (shownKey === key && shownEpoch === view.epoch) return;
    shownKey = key;
    shownEpoch = view.epoch;
    const r = what ? read(view, `${METHODS[kind]}.get`, { name: what }) : null;
    const where = view.live ? "now" : `at event ${view.k}`;
    if (!r) {
      el.resCaption.textContent = `No ${kind.toLowerCase()} to show ${where}.`;
      el.resJson.textContent = "";
    } else if (!r.ok) {
      el.resCaption.textContent = `${kind} ${what} ${where}: the API answers with an error.`;
      el.resJson.textContent = JSON.stringify(r.error.details ?? { message: r.error.message }, null, 2);
    } else {
      el.resCaption.textContent = `${kind} ${what} as ${METHODS[kind]}.get returns it ${where}.`;
      el.resJson.textContent = JSON.stringify(r.body, null, 2);
    }
  };
}
