// The action controls' state: the job and execution pickers (they list what exists live, where
// every action happens) and the buttons an imported, read-only event log disables. The pickers
// are refilled only when the live lists or the selection changed.

import { h, elements, setOptions } from "../lib/dom.js";

const el = elements("run-job", "job-names", "exec-select", "job-apply", "run", "delete-job", "cancel", "delete-exec", "settings-apply", "export-yaml", "export-json", "copy-link");
const READ_ONLY_DISABLES = [el.jobApply, el.run, el.deleteJob, el.cancel, el.deleteExec, el.settingsApply, el.exportYaml, el.exportJson, el.copyLink];

export function actionsView() {
  let shown = {};
  return function renderActions(state, frame) {
    const { liveJobs, liveExecNames, execNames, timeline } = frame;
    const ro = state.session.readOnly;
    for (const button of READ_ONLY_DISABLES) button.disabled = ro;
    if (shown.liveJobs !== liveJobs || shown.job !== state.sel.job) {
      const jobItems = liveJobs.map((j) => ({ value: j.metadata.name, label: j.metadata.name }));
      setOptions(el.runJob, jobItems.length ? jobItems : [{ value: "", label: "(no jobs)" }], state.sel.job);
      el.jobNames.replaceChildren(...jobItems.map((j) => h("option", { value: j.value })));
    }
    // The selected execution stays while it exists live or at the moment shown; else the newest.
    if (!liveExecNames.includes(state.sel.execution) && !execNames.includes(state.sel.execution)) {
      const created = (name) => timeline.execution(name)?.created ?? 0;
      state.sel.execution = [...liveExecNames].sort((a, b) => created(b) - created(a))[0] ?? "";
    }
    if (shown.liveExecNames !== liveExecNames || shown.execution !== state.sel.execution) {
      const items = liveExecNames.map((n) => ({ value: n, label: n }));
      setOptions(el.execSelect, items.length ? items : [{ value: "", label: "(no executions)" }], state.sel.execution);
    }
    shown = { liveJobs, job: state.sel.job, liveExecNames, execution: state.sel.execution };
  };
}
