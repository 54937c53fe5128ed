// The settings form: the scenario's options (seed, start, profile, workloads, faults) as
// fields, read back into options, and the field a bad option names (the error's `field`) marked invalid.

import { h, elements } from "../lib/dom.js";
import { cleanOptions, seedOption } from "../lib/session.js";

const el = elements("opt-seed", "opt-start", "opt-profile", "workloads", "faults", "settings-form");

export function fillSettingsForm(options) {
  el.optSeed.value = options.seed ?? "";
  el.optStart.value = options.start ?? "";
  el.optProfile.value = options.profile ?? "realistic";
  el.workloads.replaceChildren(...(options.workloads ?? []).map((w) => workloadRow(w)));
  el.faults.replaceChildren(...(options.faults ?? []).map((f) => faultRow(f)));
  renumberRows();
}

let fieldIds = 0;
const nextFieldId = () => `field-${++fieldIds}`;

function input(label, path, value, attrs = {}) {
  const id = nextFieldId();
  return h("div", { class: "field" }, h("label", { for: id }, label), h("input", { id, "data-key": path, value: value ?? "", autocomplete: "off", ...attrs }));
}

function checkbox(label, path, checked) {
  const id = nextFieldId();
  return h("div", { class: "field check" }, h("input", { id, type: "checkbox", "data-key": path, checked }), h("label", { for: id }, label));
}

function workloadRow(w = {}) {
  return h(
    "fieldset",
    { class: "row-set", "data-kind": "workloads" },
    h("legend", {}, "Workload"),
    h(
      "div",
      { class: "grid3" },
      input("Job", "job", w.job, { list: "job-names" }),
      input("Duration", "duration", w.duration, { placeholder: "10s" }),
      input("Jitter", "jitter", w.jitter, { placeholder: "0s" }),
      input("Failure rate", "failureRate", w.failureRate, { inputmode: "decimal", placeholder: "0–1" }),
      input("Exit code", "exitCode", w.exitCode, { inputmode: "numeric", placeholder: "1" }),
    ),
    h("button", { type: "button", class: "link remove", onclick: (e) => removeRow(e) }, "Remove workload"),
  );
}

function faultRow(f = {}) {
  return h(
    "fieldset",
    { class: "row-set", "data-kind": "faults" },
    h("legend", {}, "Fault"),
    h(
      "div",
      { class: "grid3" },
      input("Job", "job", f.job, { list: "job-names" }),
      input("Execution #", "execution", f.execution, { inputmode: "numeric", placeholder: "all" }),
      input("Task", "task", f.task, { inputmode: "numeric", placeholder: "all" }),
      input("Attempt", "attempt", f.attempt, { inputmode: "numeric", placeholder: "all" }),
      input("Exit code", "exitCode", f.exitCode, { inputmode: "numeric" }),
      input("Duration", "duration", f.duration, { placeholder: "e.g. 45s" }),
      checkbox("Hang until timeout", "hang", f.hang),
    ),
    h("button", { type: "button", class: "link remove", onclick: (e) => removeRow(e) }, "Remove fault"),
  );
}

/** Adds an empty workload or fault row (for `job`) and focuses it. */
export function addRow(kind, job) {
  const container = kind === "faults" ? el.faults : el.workloads;
  container.append(kind === "faults" ? faultRow({ job }) : workloadRow({ job }));
  renumberRows();
  container.lastElementChild.querySelector("input")?.focus();
}

function removeRow(event) {
  const row = event.target.closest("fieldset");
  const container = row.parentElement;
  row.remove();
  renumberRows();
  container.closest("fieldset").querySelector("button:not(.remove)")?.focus();
}

/** Numbers the rows and gives every field its option path (`workloads[0].failureRate`). */
function renumberRows() {
  for (const [kind, container] of [["workloads", el.workloads], ["faults", el.faults]]) {
    [...container.children].forEach((row, i) => {
      row.dataset.index = String(i);
      row.querySelector("legend").textContent = `${kind === "faults" ? "Fault" : "Workload"} ${i + 1}`;
      for (const field of row.querySelectorAll("[data-key]")) field.dataset.path = `${kind}[${i}].${field.dataset.key}`;
      row.dataset.path = `${kind}[${i}]`;
    });
  }
}

function valueOf(raw) {
  const s = raw.trim();
  if (s === "") return undefined;
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  return s;
}

/** The options the form holds, over `base` (the session's options: project, settings…); `keys`: `Simulator.optionKeys()`. */
export function readSettingsForm(base, keys) {
  const options = structuredClone(base);
  const seed = seedOption(el.optSeed.value);
  const start = el.optStart.value.trim();
  for (const k of ["seed", "start"]) delete options[k];
  if (seed !== undefined) options.seed = seed;
  if (start) options.start = start;
  options.profile = el.optProfile.value;
  const rows = (container) =>
    [...container.children].map((row) => {
      const o = {};
      for (const field of row.querySelectorAll("[data-key]")) {
        const key = field.dataset.key;
        if (field.type === "checkbox") {
          if (field.checked) o[key] = true;
        } else if (["job", "duration", "jitter"].includes(key)) {
          const v = field.value.trim();
          if (v) o[key] = /^\d+(\.\d+)?$/.test(v) && key !== "job" ? Number(v) : v;
        } else {
          const v = valueOf(field.value);
          if (v !== undefined) o[key] = v;
        }
      }
      return o;
    });
  options.workloads = rows(el.workloads);
  options.faults = rows(el.faults);
  return cleanOptions(options, keys);
}

/** Marks (and focuses) the field a bad option names: the core's `error.field`, e.g. `workloads[0].failureRate`. */
export function markSettingsField(error) {
  if (typeof error?.field !== "string") return;
  const field = el.settingsForm.querySelector(`[data-path="${CSS.escape(error.field)}"]`);
  if (!field) return;
  field.setAttribute("aria-invalid", "true");
  if (field.matches("input, select")) field.focus();
}
