// The Job editor: create or replace the job the text describes (YAML or JSON, e.g. a gcloud
// export; read by the core's parser), and load the selected job back into the editor.

import { elements } from "../lib/dom.js";
import { stringifyYaml } from "../lib/yaml.js";
import { jobNames } from "../state.js";
import { prefixError, showError, status } from "../views/messages.js";
import { commit } from "./step.js";

const el = elements("job-editor", "job-note", "run-job");

export function onJobApply(ctx) {
  const { state } = ctx;
  el.jobNote.hidden = true;
  let doc;
  try {
    doc = state.wasm.parseDocument(el.jobEditor.value);
  } catch (error) {
    // parseDocument's errors carry the place as numbers (`line`, `column`) when it is known.
    showError("job-error", error, { title: "The job could not be read.", line: error.line, column: error.column });
    return;
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) {
    showError("job-error", new Error(`A Job is a mapping (kind: Job, metadata, spec), not ${Array.isArray(doc) ? "a list" : JSON.stringify(doc)}.`));
    return;
  }
  // A Job exported from another project names that project; the simulated one is fixed.
  const ns = doc.metadata?.namespace;
  if (ns !== undefined) {
    const project = state.session.events[0]?.payload?.world?.project ?? {};
    if (ns !== project.id && ns !== project.number) {
      doc = structuredClone(doc);
      delete doc.metadata.namespace;
      el.jobNote.textContent = `metadata.namespace “${ns}” was left out: the simulated project is ${project.id} (${project.number}).`;
      el.jobNote.hidden = false;
    }
  }
  const name = doc.metadata?.name;
  const exists = typeof name === "string" && jobNames(state).includes(name);
  const step = exists ? { call: "jobs.replaceJob", name, body: doc } : { call: "jobs.create", body: doc };
  const r = commit(ctx, step, "job-error", () => (exists ? `Replaced job ${name}.` : `Created job ${name}.`));
  if (r.ok) ctx.select({ job: name });
  else prefixError("job-error", exists ? "The job could not be replaced. " : "The job could not be created. ");
}

export function onJobLoad(ctx) {
  const name = el.runJob.value;
  if (!name) throw new Error("There is no job to load: create one first.");
  const job = ctx.state.session.sim.read("jobs.get", { name }); // a fresh object: trimmed below
  delete job.status;
  for (const k of ["uid", "resourceVersion", "selfLink", "creationTimestamp", "generation"]) delete job.metadata[k];
  el.jobEditor.value = stringifyYaml(job);
  status(`Loaded job ${name} into the editor.`);
}

/** Puts a job's text in the editor (a new scenario's first job) and clears what was said about the old one. */
export function setEditor(text) {
  el.jobEditor.value = text;
  el.jobNote.hidden = true;
}
