// The jobsim web demo: wires the page to a Session (lib/session.js) over the wasm package.
// Every action becomes a scenario step; the views are rendered from the simulator (API reads)
// and from its event log (the Gantt timeline), at the live end or at any earlier event.

import { Session, stepKind, splitScenario, cleanOptions } from "./lib/session.js";
import { TEMPLATES, DEFAULT_TEMPLATE, templateScenario } from "./lib/templates.js";
import { stringifyYaml } from "./lib/yaml.js";
import { encodeScenario, decodeScenario } from "./lib/permalink.js";
import { buildTimeline, describeEvent, taskPhase } from "./lib/timeline.js";
import { formatClock, formatTime, parseTime } from "./lib/time.js";
import { h, setOptions, download } from "./lib/dom.js";
import { gantt, conditionChips, MAX_ROWS } from "./lib/gantt.js";

const $ = (id) => document.getElementById(id);

const app = {
  wasm: null,
  Simulator: null,
  session: null,
  travel: null, // null: live; else the number of events shown
  view: null,
  sel: { job: "", execution: "", task: 0 },
  resKind: "Execution",
  collapsed: new Set(),
  playing: null,
  lastHash: null,
  memo: {},
};

// ---------------------------------------------------------------------------------------------
// Errors and messages

const errorControls = {
  "job-error": "job-editor",
  "run-error": "run-job",
  "exec-error": "exec-select",
  "clock-error": "advance-by",
  "settings-error": null,
  "events-error": null,
  "scenario-error": null,
};

/** A readable description of any error: JobsimError (code, Google body), YAML/JSON, or plain. */
function describeError(error) {
  const lines = [];
  if (error && error.name === "JobsimError" && typeof error.line === "number") {
    // parseDocument's errors name their place ("… at line 4 column 9"): the text, not the API.
    lines.push(`Not valid YAML or JSON — ${error.details?.error?.message ?? error.message}`);
  } else if (error && error.name === "JobsimError") {
    const body = error.details?.error ?? {};
    lines.push(`${error.code} (HTTP ${error.httpStatus}): ${body.message ?? error.message}`);
    for (const d of body.details ?? []) {
      for (const v of d.fieldViolations ?? []) lines.push(`• ${v.field ? `${v.field}: ` : ""}${v.description}`);
    }
  } else {
    lines.push(String(error?.message ?? error));
  }
  return lines;
}

function showError(slot, error, { title, line, column } = {}) {
  const box = $(slot);
  const lines = describeError(error);
  const children = [];
  if (title) children.push(h("strong", {}, title));
  children.push(...lines.map((l) => h("div", {}, l)));
  if (line && errorControls[slot]) {
    const where = column ? `line ${line}, column ${column}` : `line ${line}`;
    children.push(h("button", { type: "button", class: "link", onclick: () => gotoLine($(errorControls[slot]), line) }, `Go to ${where}`));
  }
  box.replaceChildren(...children);
  box.hidden = false;
  const control = errorControls[slot] && $(errorControls[slot]);
  if (control) control.setAttribute("aria-invalid", "true");
}

function clearError(slot) {
  const box = $(slot);
  box.hidden = true;
  box.replaceChildren();
  const control = errorControls[slot] && $(errorControls[slot]);
  if (control) control.removeAttribute("aria-invalid");
  if (slot === "settings-error") {
    for (const el of $("settings-form").querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  }
}

/** Selects line `line` (1-based; past the end: the last line) of a textarea. */
function gotoLine(textarea, line) {
  const lines = textarea.value.split("\n");
  line = Math.min(Math.max(1, line), lines.length);
  const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  textarea.focus();
  textarea.setSelectionRange(start, start + (lines[line - 1] ?? "").length);
}

function status(text) {
  $("status").textContent = text;
}

function notice(text) {
  const n = $("notice");
  n.textContent = text ?? "";
  n.hidden = !text;
}

/** Wraps an event handler: errors go to `slot`, nothing escapes to the console. */
function action(slot, fn) {
  return async (event) => {
    if (event?.type === "submit") event.preventDefault();
    if (slot) clearError(slot);
    try {
      await fn(event);
    } catch (error) {
      if (slot) showError(slot, error);
      else showGlobalError(error);
    }
  };
}

function showGlobalError(error) {
  const box = $("global-error");
  box.replaceChildren(h("strong", {}, "Something went wrong: "), describeError(error).join(" "));
  box.hidden = false;
}

// ---------------------------------------------------------------------------------------------
// Loading scenarios

/** Checks a scenario the way `jobsim run` does (throws INVALID_SCENARIO), then builds it. */
function loadScenario(scenario, { source, editorBody } = {}) {
  app.Simulator.runScenario(scenario);
  const session = new Session(app.Simulator, scenario);
  stopPlay(false);
  releaseView();
  app.session?.free();
  app.session = session;
  app.travel = null;
  app.memo = {};
  app.collapsed.clear();
  const firstJob = session.steps.find((s) => s.call === "jobs.create")?.body;
  $("job-editor").value = editorBody ?? (firstJob ? stringifyYaml(firstJob) : "");
  clearError("job-error");
  $("job-note").hidden = true;
  fillSettingsForm(session.options);
  const jobs = jobNames();
  app.sel = { job: jobs[0] ?? "", execution: "", task: 0 };
  // Show the template this scenario started from, if it did.
  const origin = TEMPLATES.find((t) => JSON.stringify(t.scenario.steps[0] ?? null) === JSON.stringify(session.steps[0] ?? null));
  if (origin) $("template").value = origin.id;
  notice(source ? `Loaded ${source}.` : "");
  afterChange();
}

function loadTemplate(id) {
  const t = TEMPLATES.find((x) => x.id === id) ?? TEMPLATES.find((x) => x.id === DEFAULT_TEMPLATE);
  $("template").value = t.id;
  loadScenario(templateScenario(t.id));
  notice(`Template “${t.title}”: ${t.summary} Press Run, then Run until idle or Play.`);
}

// ---------------------------------------------------------------------------------------------
// Reading the current view

function releaseView() {
  app.view?.release();
  app.view = null;
}

function currentView() {
  releaseView();
  const s = app.session;
  const k = app.travel === null ? s.events.length : Math.min(app.travel, s.events.length);
  app.view = s.viewAt(k);
  return app.view;
}

/** An API read (get or list, firing no timer) on the view's simulator; `{ok, body}` or `{ok: false, error}`. */
function read(view, method, params = {}) {
  try {
    return { ok: true, body: view.sim.read(method, params) };
  } catch (error) {
    return { ok: false, error };
  }
}

function jobNames(view) {
  if (!app.session) return [];
  const r = view ? read(view, "jobs.list") : { ok: true, body: liveRead("jobs.list", {}) };
  return r.ok ? (r.body.items ?? []).map((j) => j.metadata.name) : [];
}

/** A get or list on the live simulator (throws the API error). */
function liveRead(method, params) {
  return app.session.sim.read(method, params);
}

// ---------------------------------------------------------------------------------------------
// Actions (each one a step)

function commit(step, slot, describe) {
  stopPlay();
  returnToLive();
  const r = app.session.apply(step);
  if (!r.ok) {
    showError(slot, r.error);
    render();
    return r;
  }
  if (!app.session.readOnly) notice(""); // the template's hint has served its purpose
  status(describe ? describe(r) : `Done: ${summarizeStep(step)}.`);
  afterChange();
  return r;
}

function returnToLive() {
  if (app.travel !== null) {
    app.travel = null;
  }
}

function afterChange() {
  clampSelection();
  render();
  schedulePermalink();
}

function onJobApply() {
  const editor = $("job-editor");
  const note = $("job-note");
  note.hidden = true;
  let doc;
  try {
    doc = app.wasm.parseDocument(editor.value);
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
    const project = app.session.events[0]?.payload?.world?.project ?? {};
    if (ns !== project.id && ns !== project.number) {
      doc = structuredClone(doc);
      delete doc.metadata.namespace;
      note.textContent = `metadata.namespace “${ns}” was left out: the simulated project is ${project.id} (${project.number}).`;
      note.hidden = false;
    }
  }
  const name = doc.metadata?.name;
  const exists = typeof name === "string" && jobNames().includes(name);
  const step = exists ? { call: "jobs.replaceJob", name, body: doc } : { call: "jobs.create", body: doc };
  const r = commit(step, "job-error", () => (exists ? `Replaced job ${name}.` : `Created job ${name}.`));
  if (r.ok) {
    app.sel.job = name;
    render();
  } else {
    $("job-error").prepend(h("strong", {}, exists ? "The job could not be replaced. " : "The job could not be created. "));
  }
}

function onJobLoad() {
  const name = $("run-job").value;
  if (!name) throw new Error("There is no job to load: create one first.");
  const job = liveRead("jobs.get", { name });
  delete job.status;
  for (const k of ["uid", "resourceVersion", "selfLink", "creationTimestamp", "generation"]) delete job.metadata[k];
  $("job-editor").value = stringifyYaml(job);
  status(`Loaded job ${name} into the editor.`);
}

function overrides() {
  const o = {};
  const num = (id, key) => {
    const raw = $(id).value.trim();
    if (raw === "") return;
    if (!/^-?\d+$/.test(raw)) throw Object.assign(new Error(`${key} must be a whole number, got “${raw}”.`), { field: id });
    o[key] = Number(raw);
  };
  num("ov-taskCount", "taskCount");
  num("ov-timeout", "timeoutSeconds");
  const args = $("ov-args").value.split("\n").map((s) => s.trim()).filter(Boolean);
  const envLines = $("ov-env").value.split("\n").map((s) => s.trim()).filter(Boolean);
  const env = envLines.map((line, i) => {
    const eq = line.indexOf("=");
    if (eq <= 0) throw new Error(`Env line ${i + 1} (“${line}”) must look like NAME=value.`);
    return { name: line.slice(0, eq), value: line.slice(eq + 1) };
  });
  if (args.length || env.length) {
    const c = {};
    if (args.length) c.args = args;
    if (env.length) c.env = env;
    o.containerOverrides = [c];
  }
  return Object.keys(o).length ? { overrides: o } : null;
}

function onRun() {
  const name = $("run-job").value;
  if (!name) throw new Error("There is no job to run: create one first.");
  const body = overrides();
  const step = { call: "jobs.run", name };
  if (body) step.body = body;
  const r = commit(step, "run-error", (x) => `Started execution ${x.body.metadata.name} of ${name}.`);
  if (r.ok) {
    app.sel.job = name;
    app.sel.execution = r.body.metadata.name;
    app.resKind = "Execution";
    render();
  }
}

function executionTarget(name) {
  const x = app.session && buildTimeline(app.session.events).executions.find((e) => e.name === name);
  if (x?.job) {
    try {
      if (liveRead("executions.get", { latestOf: x.job }).metadata.name === name) return { latestOf: x.job };
    } catch {
      // not the latest (or the job is gone): address it by name
    }
  }
  return { name };
}

function onCancel() {
  const name = $("exec-select").value;
  if (!name) throw new Error("There is no execution to cancel.");
  commit({ call: "executions.cancel", ...executionTarget(name) }, "exec-error", () => `Cancelled ${name}.`);
}

function onDeleteExecution() {
  const name = $("exec-select").value;
  if (!name) throw new Error("There is no execution to delete.");
  commit({ call: "executions.delete", ...executionTarget(name) }, "exec-error", () => `Deleted ${name}.`);
}

function onDeleteJob() {
  const name = $("run-job").value;
  if (!name) throw new Error("There is no job to delete.");
  commit({ call: "jobs.delete", name }, "run-error", () => `Deletion of job ${name} started.`);
}

// ---- Clock

function onStepNext() {
  stopPlay();
  returnToLive();
  if (app.session.next === null) throw new Error("Nothing is scheduled: the simulator is idle.");
  commit({ advanceTo: app.session.nextAt }, "clock-error", (r) => `Moved to the next event (${clockText(app.session.nowMicros)}).`);
}

function onAdvance() {
  const raw = $("advance-by").value.trim();
  const by = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  commit({ advance: by }, "clock-error", () => `Advanced by ${raw} to ${clockText(app.session.nowMicros)}.`);
}

function onRunUntilIdle() {
  commit({ runUntilIdle: true }, "clock-error", () => `Ran until idle: now ${clockText(app.session.nowMicros)}.`);
}

function onUndo() {
  stopPlay();
  returnToLive();
  if (!app.session.undo()) throw new Error("There is no step to undo.");
  status("Removed the last step and replayed the rest.");
  afterChange();
}

function clockText(micros) {
  return formatClock(micros, app.session.worldStart);
}

// ---- Play

function togglePlay() {
  if (app.playing) {
    stopPlay();
    return;
  }
  returnToLive();
  if (app.session.readOnly) throw new Error("An imported event log is read-only.");
  if (app.session.next === null) throw new Error("Nothing is scheduled: run a job first.");
  app.session.startPlay();
  app.playing = { last: performance.now(), raf: 0 };
  $("play").setAttribute("aria-pressed", "true");
  $("play").textContent = "Pause";
  app.playing.raf = requestAnimationFrame(tick);
}

function tick(ts) {
  if (!app.playing) return;
  try {
    const dt = Math.min(250, Math.max(0, ts - app.playing.last));
    app.playing.last = ts;
    const speed = Number($("speed").value) || 10;
    const { idle } = app.session.playTo(app.session.play.shown + dt * 1000 * speed);
    if (idle) {
      stopPlay();
      status(`Played until idle: now ${clockText(app.session.nowMicros)}.`);
      return;
    }
    render();
    app.playing.raf = requestAnimationFrame(tick);
  } catch (error) {
    stopPlay();
    showError("clock-error", error);
  }
}

function stopPlay(rerender = true) {
  if (!app.playing) return;
  cancelAnimationFrame(app.playing.raf);
  app.playing = null;
  $("play").setAttribute("aria-pressed", "false");
  $("play").textContent = "Play";
  const step = app.session?.stopPlay();
  if (step) status(`Paused at ${clockText(app.session.nowMicros)}.`);
  if (rerender) afterChange();
}

// ---- Settings

function fillSettingsForm(options) {
  $("opt-seed").value = options.seed ?? "";
  $("opt-start").value = options.start ?? "";
  $("opt-profile").value = options.profile ?? "realistic";
  $("workloads").replaceChildren(...(options.workloads ?? []).map((w, i) => workloadRow(w, i)));
  $("faults").replaceChildren(...(options.faults ?? []).map((f, i) => faultRow(f, i)));
  renumberRows();
}

let fieldIds = 0;
const nextFieldId = () => `field-${++fieldIds}`;

function input(label, path, value, attrs = {}) {
  const id = nextFieldId();
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    h("input", { id, "data-key": path, value: value ?? "", autocomplete: "off", ...attrs }),
  );
}

function checkbox(label, path, checked) {
  const id = nextFieldId();
  return h("div", { class: "field check" }, h("input", { id, type: "checkbox", "data-key": path, checked }), h("label", { for: id }, label));
}

function workloadRow(w = {}) {
  const row = h(
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
  return row;
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

function removeRow(event) {
  const row = event.target.closest("fieldset");
  const container = row.parentElement;
  row.remove();
  renumberRows();
  container.closest("fieldset").querySelector("button:not(.remove)")?.focus();
}

function renumberRows() {
  for (const kind of ["workloads", "faults"]) {
    [...$(kind).children].forEach((row, i) => {
      row.dataset.index = String(i);
      row.querySelector("legend").textContent = `${kind === "faults" ? "Fault" : "Workload"} ${i + 1}`;
      for (const el of row.querySelectorAll("[data-key]")) el.dataset.path = `${kind}[${i}].${el.dataset.key}`;
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

function readSettingsForm() {
  const options = structuredClone(app.session.options);
  const seed = valueOf($("opt-seed").value);
  const start = $("opt-start").value.trim();
  for (const k of ["seed", "start"]) delete options[k];
  if (seed !== undefined) options.seed = seed;
  if (start) options.start = start;
  options.profile = $("opt-profile").value;
  const rows = (kind) =>
    [...$(kind).children].map((row) => {
      const o = {};
      for (const el of row.querySelectorAll("[data-key]")) {
        const key = el.dataset.key;
        if (el.type === "checkbox") {
          if (el.checked) o[key] = true;
        } else if (["job", "duration", "jitter"].includes(key)) {
          const v = el.value.trim();
          if (v) o[key] = /^\d+(\.\d+)?$/.test(v) && key !== "job" ? Number(v) : v;
        } else {
          const v = valueOf(el.value);
          if (v !== undefined) o[key] = v;
        }
      }
      return o;
    });
  options.workloads = rows("workloads");
  options.faults = rows("faults");
  return cleanOptions(options);
}

function onSettingsApply() {
  stopPlay(false);
  returnToLive();
  const options = readSettingsForm();
  const scenario = { ...options, steps: app.session.steps };
  try {
    app.Simulator.runScenario(scenario);
    app.session.setOptions(options);
  } catch (error) {
    showError("settings-error", error, { title: "The settings were not applied." });
    markSettingsField(error);
    render();
    return;
  }
  const failing = app.session.outcomes.filter((o) => !o.ok).length;
  status(`Applied settings and replayed ${app.session.steps.length} step(s)${failing ? `; ${failing} now fail (see Scenario)` : ""}.`);
  afterChange();
}

function markSettingsField(error) {
  const message = error?.details?.error?.message ?? error?.message ?? "";
  const m = /^([A-Za-z]+(?:\[\d+\])?(?:\.[A-Za-z]+)?)\s*:/.exec(message);
  if (!m) return;
  const form = $("settings-form");
  const el = form.querySelector(`[data-path="${CSS.escape(m[1])}"]`);
  if (!el) return;
  el.setAttribute("aria-invalid", "true");
  if (el.matches("input, select")) el.focus();
}

// ---------------------------------------------------------------------------------------------
// Import / export / permalink

function onExportYaml() {
  const scenario = app.session.scenario();
  download(`${scenarioName()}.yaml`, `# jobsim scenario exported by the web demo: jobsim run ${scenarioName()}.yaml\n${stringifyYaml(scenario)}`, "text/yaml");
}

function onExportJson() {
  download(`${scenarioName()}.json`, `${JSON.stringify(app.session.scenario(), null, 2)}\n`, "application/json");
}

function onExportEvents() {
  const lines = app.session.events.map((e) => JSON.stringify(e)).join("\n");
  download(`${scenarioName()}-events.jsonl`, `${lines}\n`, "application/x-ndjson");
}

function scenarioName() {
  const job = app.session.steps.find((s) => s.call === "jobs.create")?.body?.metadata?.name;
  return `jobsim-${job ?? "scenario"}`;
}

async function onImportScenario(event) {
  const file = event.target.files?.[0];
  event.target.value = "";
  if (!file) return;
  const text = await file.text();
  let scenario;
  try {
    scenario = app.wasm.parseDocument(text);
  } catch (error) {
    showError("scenario-error", error, { title: `${file.name} could not be read.` });
    return;
  }
  if (!scenario || typeof scenario !== "object" || Array.isArray(scenario)) {
    showError("scenario-error", new Error(`${file.name} is not a scenario (a mapping with steps).`));
    return;
  }
  try {
    loadScenario(scenario, { source: file.name });
  } catch (error) {
    showError("scenario-error", error, { title: `${file.name} is not a valid scenario.` });
  }
}

async function onImportEvents(event) {
  const file = event.target.files?.[0];
  event.target.value = "";
  if (!file) return;
  const text = await file.text();
  const events = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    try {
      events.push(JSON.parse(lines[i]));
    } catch (error) {
      showError("events-error", new Error(`line ${i + 1}: not JSON (${error.message})`), { title: `${file.name} could not be read.` });
      return;
    }
  }
  let session;
  try {
    session = new Session(app.Simulator, null, { readOnlyEvents: events });
  } catch (error) {
    showError("events-error", error, { title: `${file.name} is not a jobsim event log.` });
    return;
  }
  stopPlay(false);
  releaseView();
  app.session?.free();
  app.session = session;
  app.travel = null;
  app.memo = {};
  const jobs = jobNames();
  app.sel = { job: jobs[0] ?? "", execution: "", task: 0 };
  notice(`Replaying ${file.name} (${events.length} events): read-only — load a template or import a scenario to act again.`);
  afterChange();
}

let permalinkSeq = 0;
function schedulePermalink() {
  const seq = ++permalinkSeq;
  if (!app.session || app.session.readOnly) {
    $("permalink").value = "(not available for an imported event log)";
    if (location.hash) history.replaceState(null, "", location.pathname + location.search);
    app.lastHash = "";
    return;
  }
  encodeScenario(app.session.scenario()).then((hash) => {
    if (seq !== permalinkSeq) return;
    app.lastHash = `#${hash}`;
    if (location.hash !== app.lastHash) history.replaceState(null, "", app.lastHash);
    $("permalink").value = location.href;
  }, showGlobalError);
}

async function onCopyLink() {
  if (app.session.readOnly) throw new Error("An imported event log has no scenario to link to.");
  const link = `${location.origin}${location.pathname}${location.search}#${await encodeScenario(app.session.scenario())}`;
  try {
    await navigator.clipboard.writeText(link);
    status("Copied the link: it reproduces this run exactly.");
  } catch {
    $("permalink").focus();
    $("permalink").select();
    status("Select and copy the link from the Scenario tab.");
  }
  selectTab("scenario");
}

async function loadFromHash() {
  const scenario = await decodeScenario(location.hash);
  if (!scenario) return false;
  try {
    loadScenario(scenario, { source: "the scenario in the link" });
  } catch (error) {
    showGlobalError(new Error(`The link's scenario could not be loaded: ${describeError(error).join(" ")}`));
    return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Rendering

function clampSelection() {
  const names = jobNames();
  if (!names.includes(app.sel.job)) app.sel.job = names[0] ?? "";
}

function render() {
  if (!app.session) return;
  const s = app.session;
  const view = currentView();
  const start = s.worldStart;
  const live = view.live;

  // Clock
  $("now-clock").textContent = formatClock(view.now, start);
  $("now-abs").textContent = formatTime(view.now);
  const total = s.events.length;
  const travel = $("travel");
  travel.max = String(total);
  travel.value = String(view.k);
  const ev = view.events[view.k - 1];
  $("travel-label").textContent = `Event ${view.k} of ${total}${ev ? ` · ${ev.type} at ${formatClock(parseTimeCached(ev), start)}` : ""}${live ? " · live" : ""}`;
  travel.setAttribute("aria-valuetext", $("travel-label").textContent);
  $("travel-live").disabled = live;
  document.body.classList.toggle("travelling", !live);
  const ro = s.readOnly;
  const idle = s.next === null;
  for (const id of ["step-next", "run-idle"]) $(id).disabled = ro || (idle && live);
  $("play").disabled = ro || (idle && !app.playing);
  $("advance").disabled = ro;
  $("undo").disabled = ro || s.steps.length === 0;
  for (const id of ["job-apply", "run", "delete-job", "cancel", "delete-exec", "settings-apply", "export-yaml", "export-json"]) $(id).disabled = ro;
  $("copy-link").disabled = ro;

  // Selections
  const jobsList = read(view, "jobs.list");
  const jobs = jobsList.ok ? jobsList.body.items ?? [] : [];
  const liveJobs = live ? jobs : (liveRead("jobs.list", {}).items ?? []);
  const jobItems = liveJobs.map((j) => ({ value: j.metadata.name, label: j.metadata.name }));
  setOptions($("run-job"), jobItems.length ? jobItems : [{ value: "", label: "(no jobs)" }], app.sel.job);
  $("job-names").replaceChildren(...jobItems.map((j) => h("option", { value: j.value })));

  const timeline = buildTimeline(view.events);
  const execsNow = read(view, "executions.list");
  const execItems = (execsNow.ok ? execsNow.body.items ?? [] : []).map((x) => x.metadata.name);
  const liveExecs = live ? execItems : (liveRead("executions.list", {}).items ?? []).map((x) => x.metadata.name);
  if (!liveExecs.includes(app.sel.execution) && !execItems.includes(app.sel.execution)) {
    app.sel.execution = [...liveExecs].sort((a, b) => createdOf(timeline, b) - createdOf(timeline, a))[0] ?? "";
  }
  setOptions($("exec-select"), liveExecs.length ? liveExecs.map((n) => ({ value: n, label: n })) : [{ value: "", label: "(no executions)" }], app.sel.execution);

  renderJobs(view, jobs);
  renderExecutions(view, timeline);
  renderResource(view, jobs, execItems, timeline);
  renderEvents(view);
  renderScenario();
}

const timeCache = new WeakMap();
function parseTimeCached(ev) {
  let t = timeCache.get(ev);
  if (t === undefined) {
    t = parseTime(ev.time);
    timeCache.set(ev, t);
  }
  return t;
}

function createdOf(timeline, name) {
  return timeline.executions.find((x) => x.name === name)?.created ?? 0;
}

function renderJobs(view, jobs) {
  const container = $("jobs");
  if (!jobs.length) {
    container.replaceChildren(h("p", { class: "empty" }, view.live ? "No jobs. Create one from the Job editor." : "No jobs at this event."));
    return;
  }
  container.replaceChildren(
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
            { "data-job": j.metadata.name, class: j.metadata.name === app.sel.job ? "selected" : null },
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
}

const COUNTERS = [
  ["runningCount", "Running"],
  ["succeededCount", "Succeeded"],
  ["failedCount", "Failed"],
  ["cancelledCount", "Cancelled"],
  ["retriedCount", "Retried"],
];

function executionState(resource, x) {
  if (!resource) return x.deletedAt !== null ? "Deleted" : "Unknown";
  const conds = resource.status?.conditions ?? [];
  const completed = conds.find((c) => c.type === "Completed");
  if (completed?.status === "True") return "Succeeded";
  if (completed?.status === "False") return completed.reason === "Cancelled" ? "Cancelled" : "Failed";
  if (resource.status?.startTime) return "Running";
  return "Pending";
}

function renderExecutions(view, timeline) {
  const container = $("executions");
  const start = timeline.start;
  const list = [...timeline.executions].reverse();
  if (!list.length) {
    container.replaceChildren(h("p", { class: "empty" }, view.live ? "No executions yet. Press Run." : "No executions at this event."));
    return;
  }
  const focusId = document.activeElement?.id;
  const cards = list.map((x) => {
    const got = read(view, "executions.get", { name: x.name });
    const resource = got.ok ? got.body : null;
    // Task phases from the events (the unit tests hold them equal to the API's runningState
    // labels), so a 10,000-task execution costs no tasks.list per frame.
    const taskStates = new Map();
    if (resource) for (let i = 0; i < Math.min(x.taskCount, MAX_ROWS); i++) taskStates.set(i, taskPhase(x, i));
    let explain = "";
    try {
      explain = resource ? view.sim.explain(x.name) : `${x.name} was deleted at ${formatClock(x.deletedAt, start)}.`;
    } catch (error) {
      explain = describeError(error).join(" ");
    }
    const state = executionState(resource, x);
    const selected = x.name === app.sel.execution;
    const counters = h(
      "dl",
      { class: "counters", "aria-label": `Counters of ${x.name}` },
      h("div", { "data-counter": "taskCount" }, h("dt", {}, "Tasks"), h("dd", {}, String(resource?.spec?.taskCount ?? x.taskCount))),
      COUNTERS.map(([key, label]) => h("div", { "data-counter": key }, h("dt", {}, label), h("dd", {}, String(resource?.status?.[key] ?? 0)))),
    );
    const details = h(
      "details",
      {
        class: `exec-card${selected ? " selected" : ""}`,
        "data-execution": x.name,
        "data-state": state,
        open: !app.collapsed.has(x.name),
        ontoggle: (e) => {
          if (e.target.open) app.collapsed.delete(x.name);
          else app.collapsed.add(x.name);
        },
      },
      h(
        "summary",
        {},
        h("span", { class: "exec-name" }, x.name),
        h("span", { class: `state state-${state}` }, state),
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
              onclick: () => {
                app.sel.execution = x.name;
                app.sel.job = x.job;
                app.resKind = "Execution";
                render();
              },
            },
            selected ? "Selected" : "Select",
          ),
        ),
        h("p", { class: "explain", "data-explain": x.name }, explain),
        gantt(x, {
          now: view.now,
          start,
          taskStates,
          selectedTask: app.resKind === "Task" && app.sel.execution === x.name ? app.sel.task : -1,
          onSelectTask: (i) => {
            app.sel.execution = x.name;
            app.sel.job = x.job;
            app.sel.task = i;
            app.resKind = "Task";
            render();
          },
        }),
      ),
    );
    return details;
  });
  container.replaceChildren(...cards);
  if (focusId && !document.activeElement?.id && $(focusId)) $(focusId).focus();
}

function renderResource(view, jobs, execItems, timeline) {
  const kind = app.resKind;
  $("res-kind").value = kind;
  const jobItems = jobs.map((j) => ({ value: j.metadata.name, label: j.metadata.name }));
  setOptions($("res-job"), jobItems.length ? jobItems : [{ value: "", label: "(none)" }], app.sel.job);
  const execOfJob = execItems.filter((n) => timeline.executions.find((x) => x.name === n)?.job === app.sel.job || !app.sel.job);
  const execList = execOfJob.length ? execOfJob : execItems;
  setOptions($("res-exec"), execList.length ? execList.map((n) => ({ value: n, label: n })) : [{ value: "", label: "(none)" }], app.sel.execution);
  const x = timeline.executions.find((e) => e.name === $("res-exec").value);
  const taskCount = x ? Math.min(x.taskCount, 10000) : 0;
  const taskItems = Array.from({ length: taskCount }, (_, i) => ({ value: String(i), label: String(i) }));
  setOptions($("res-task"), taskItems.length ? taskItems : [{ value: "", label: "(none)" }], String(app.sel.task));
  $("res-exec").disabled = kind === "Job";
  $("res-task").disabled = kind !== "Task";
  let r;
  let what;
  if (kind === "Job") {
    what = $("res-job").value;
    r = what ? read(view, "jobs.get", { name: what }) : null;
  } else if (kind === "Execution") {
    what = $("res-exec").value;
    r = what ? read(view, "executions.get", { name: what }) : null;
  } else {
    const e = $("res-exec").value;
    what = e ? `${e}-task${$("res-task").value}` : "";
    r = what ? read(view, "tasks.get", { name: what }) : null;
  }
  const key = JSON.stringify([kind, what, view.k, view.live ? app.session.events.length : -1, app.session.sim.now()]);
  if (app.memo.resource === key && !app.playing) return;
  app.memo.resource = key;
  const where = view.live ? "now" : `at event ${view.k}`;
  if (!r) {
    $("res-caption").textContent = `No ${kind.toLowerCase()} to show ${where}.`;
    $("res-json").textContent = "";
  } else if (!r.ok) {
    $("res-caption").textContent = `${kind} ${what} ${where}: the API answers with an error.`;
    $("res-json").textContent = JSON.stringify(r.error.details ?? { message: r.error.message }, null, 2);
  } else {
    $("res-caption").textContent = `${kind} ${what} as ${kind === "Job" ? "jobs" : kind === "Execution" ? "executions" : "tasks"}.get returns it ${where}.`;
    $("res-json").textContent = JSON.stringify(r.body, null, 2);
  }
}

function renderEvents(view) {
  const s = app.session;
  const key = `${s.events.length}:${view.k}:${s.events[0]?.eventId}`;
  if (app.memo.events === key) return;
  const kChanged = app.memo.eventsK !== view.k;
  app.memo.events = key;
  app.memo.eventsK = view.k;
  const start = s.worldStart;
  const tbody = $("events-table").tBodies[0];
  const rows = s.events.map((e) =>
    h(
      "tr",
      {
        class: `${e.sequence === view.k ? "current" : ""}${e.sequence > view.k ? " future" : ""}`,
        "data-seq": e.sequence,
        "aria-current": e.sequence === view.k ? "true" : null,
      },
      h("td", {}, String(e.sequence)),
      h("td", {}, formatClock(parseTimeCached(e), start)),
      h("td", {}, h("button", { type: "button", class: "link", tabindex: "-1", onclick: () => travelTo(e.sequence) }, e.type)),
      h("td", { class: "muted" }, e.stream),
      h("td", {}, describeEvent(e)),
    ),
  );
  tbody.replaceChildren(...rows);
  const current = s.events[view.k - 1];
  $("event-h").textContent = current ? `Event ${current.sequence}: ${current.type}` : "Event";
  $("event-json").textContent = current ? JSON.stringify(current, null, 2) : "";
  if (kChanged && !$("panel-events").hidden) {
    tbody.querySelector("tr.current")?.scrollIntoView({ block: "nearest" });
  }
}

function summarizeStep(step) {
  switch (stepKind(step)) {
    case "call": {
      const target = step.name ?? (step.latestOf ? `latest of ${step.latestOf}` : step.body?.metadata?.name ?? "");
      const ov = step.body?.overrides ? ` with overrides ${JSON.stringify(step.body.overrides)}` : "";
      return `${step.call} ${target}${ov}`.trim();
    }
    case "advance":
      return `advance ${step.advance}`;
    case "advanceTo":
      return `advanceTo ${app.session ? formatClock(parseTime(step.advanceTo), app.session.worldStart) : step.advanceTo}`;
    case "runUntilIdle":
      return "runUntilIdle";
    default:
      return JSON.stringify(step);
  }
}

function renderScenario() {
  const s = app.session;
  const key = JSON.stringify([s.readOnly, s.options, s.steps.length, s.steps[s.steps.length - 1], s.outcomes.map((o) => o.ok)]);
  if (app.memo.scenario === key) return;
  app.memo.scenario = key;
  if (s.readOnly) {
    $("steps").replaceChildren(h("li", { class: "muted" }, "An imported event log has no steps."));
    $("scenario-text").textContent = "";
    return;
  }
  $("steps").replaceChildren(
    ...s.steps.map((step, i) => {
      const o = s.outcomes[i];
      const badge = o?.ok ? h("span", { class: "badge ok" }, "ok") : h("span", { class: "badge fail", title: describeError(o?.error).join(" ") }, o?.error?.httpStatus ? `${o.error.httpStatus} ${o.error.code}` : "error");
      return h("li", { "data-step": i }, h("code", {}, summarizeStep(step)), " ", badge);
    }),
  );
  if (!s.steps.length) $("steps").replaceChildren(h("li", { class: "muted" }, "No steps yet."));
  $("scenario-text").textContent = stringifyYaml(s.scenario());
}

// ---------------------------------------------------------------------------------------------
// Time travel

function travelTo(k) {
  stopPlay(false);
  const total = app.session.events.length;
  app.travel = k >= total ? null : Math.max(1, k);
  render();
}

let travelFrame = 0;
function onTravelInput() {
  const k = Number($("travel").value);
  cancelAnimationFrame(travelFrame);
  travelFrame = requestAnimationFrame(() => {
    try {
      travelTo(k);
    } catch (error) {
      showGlobalError(error);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Tabs

function selectTab(name, focus = false) {
  for (const t of ["resource", "events", "scenario"]) {
    const tab = $(`tab-${t}`);
    const on = t === name;
    tab.setAttribute("aria-selected", on ? "true" : "false");
    tab.tabIndex = on ? 0 : -1;
    $(`panel-${t}`).hidden = !on;
    if (on && focus) tab.focus();
  }
  if (name === "events") {
    app.memo.eventsK = -1;
    $("events-table").querySelector("tr.current")?.scrollIntoView({ block: "nearest" });
  }
}

function onTabKey(event) {
  const order = ["resource", "events", "scenario"];
  const current = order.findIndex((t) => $(`tab-${t}`).getAttribute("aria-selected") === "true");
  let next = null;
  if (event.key === "ArrowRight") next = (current + 1) % order.length;
  else if (event.key === "ArrowLeft") next = (current + order.length - 1) % order.length;
  else if (event.key === "Home") next = 0;
  else if (event.key === "End") next = order.length - 1;
  if (next === null) return;
  event.preventDefault();
  selectTab(order[next], true);
}

// ---------------------------------------------------------------------------------------------
// Start

function wire() {
  const on = (id, type, slot, fn) => $(id).addEventListener(type, action(slot, fn));
  $("template").replaceChildren(...TEMPLATES.map((t) => h("option", { value: t.id, title: t.summary }, t.title)));
  on("template-form", "submit", null, () => {
    stopPlay(false);
    loadTemplate($("template").value);
  });
  on("job-apply", "click", "job-error", onJobApply);
  on("job-load", "click", "job-error", onJobLoad);
  on("run", "click", "run-error", onRun);
  on("delete-job", "click", "run-error", onDeleteJob);
  on("cancel", "click", "exec-error", onCancel);
  on("delete-exec", "click", "exec-error", onDeleteExecution);
  on("step-next", "click", "clock-error", onStepNext);
  on("advance-form", "submit", "clock-error", onAdvance);
  on("run-idle", "click", "clock-error", onRunUntilIdle);
  on("play", "click", "clock-error", togglePlay);
  on("undo", "click", "clock-error", onUndo);
  on("settings-form", "submit", "settings-error", onSettingsApply);
  on("settings-reset", "click", "settings-error", () => fillSettingsForm(app.session.options));
  on("add-workload", "click", "settings-error", () => {
    $("workloads").append(workloadRow({ job: app.sel.job }));
    renumberRows();
    $("workloads").lastElementChild.querySelector("input")?.focus();
  });
  on("add-fault", "click", "settings-error", () => {
    $("faults").append(faultRow({ job: app.sel.job }));
    renumberRows();
    $("faults").lastElementChild.querySelector("input")?.focus();
  });
  on("export-yaml", "click", "scenario-error", onExportYaml);
  on("export-json", "click", "scenario-error", onExportJson);
  on("export-events", "click", "events-error", onExportEvents);
  on("import-scenario", "change", "scenario-error", onImportScenario);
  on("import-events", "change", "events-error", onImportEvents);
  on("copy-link", "click", "scenario-error", onCopyLink);
  on("travel", "input", null, onTravelInput);
  on("travel-live", "click", null, () => travelTo(Number.MAX_SAFE_INTEGER));
  on("run-job", "change", null, () => {
    app.sel.job = $("run-job").value;
    render();
  });
  on("exec-select", "change", null, () => {
    app.sel.execution = $("exec-select").value;
    render();
  });
  on("res-kind", "change", null, () => {
    app.resKind = $("res-kind").value;
    render();
  });
  on("res-job", "change", null, () => {
    app.sel.job = $("res-job").value;
    app.resKind = "Job";
    render();
  });
  on("res-exec", "change", null, () => {
    app.sel.execution = $("res-exec").value;
    render();
  });
  on("res-task", "change", null, () => {
    app.sel.task = Number($("res-task").value) || 0;
    render();
  });
  for (const t of ["resource", "events", "scenario"]) {
    $(`tab-${t}`).addEventListener("click", () => selectTab(t));
    $(`tab-${t}`).addEventListener("keydown", onTabKey);
  }
  window.addEventListener(
    "hashchange",
    action(null, async () => {
      if (location.hash && location.hash !== app.lastHash) await loadFromHash();
    }),
  );
  window.addEventListener("error", (e) => {
    e.preventDefault();
    showGlobalError(e.error ?? e.message);
  });
  window.addEventListener("unhandledrejection", (e) => {
    e.preventDefault();
    showGlobalError(e.reason);
  });
}

async function main() {
  let wasm;
  try {
    wasm = await import("jobsim");
    await wasm.default();
  } catch (error) {
    const box = $("global-error");
    box.replaceChildren(
      h("strong", {}, "The simulator could not be loaded. "),
      "Build the wasm package first (",
      h("code", {}, "scripts/build-wasm.sh"),
      ") and serve the repository root, e.g. ",
      h("code", {}, "bash web-demo/scripts/serve.sh"),
      `. (${error.message})`,
    );
    box.hidden = false;
    document.body.dataset.ready = "error";
    return;
  }
  app.wasm = wasm;
  app.Simulator = wasm.Simulator;
  $("version").textContent = `jobsim ${wasm.version()}`;
  wire();
  let loaded = false;
  try {
    loaded = await loadFromHash();
  } catch (error) {
    showGlobalError(new Error(`The link's scenario could not be read: ${error.message}`));
  }
  if (!loaded) loadTemplate(DEFAULT_TEMPLATE);
  document.body.dataset.ready = "true";
}

// Exposed for the end-to-end test and for poking around in the console.
window.jobsimDemo = {
  get scenario() {
    return app.session?.scenario();
  },
  get events() {
    return app.session?.events;
  },
  splitScenario,
};

main();
