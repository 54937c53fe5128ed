// The jobsim web demo: the page's state, the wiring of its controls to the controllers, and the
// frame: `render()` reads the moment shown once (its view, timeline and lists) and hands it to
// each view, which redraws only what changed since its last frame. Every action is a step of the
// scenario that lib/session.js keeps over the wasm package.
//
//   state.js      the state, the views of the simulator a frame reads, their cached reads
//   views/        what the page shows: clock, actions (pickers), jobs, executions (+ gantt,
//                 explain, conditions), resources, events, scenario, settings, tabs, messages
//   controllers/  what the user does: editor, run, clock (and play), travel, settings, io,
//                 permalink, load; each action is one step (controllers/step.js)

import { elements } from "./lib/dom.js";
import { splitScenario } from "./lib/session.js";
import { DEFAULT_TEMPLATE } from "./lib/templates.js";
import { clampSelection, createState, currentView, executionNames, liveView, read, recordFrame, timelineOf } from "./state.js";
import { actionsView } from "./views/actions.js";
import { renderClock } from "./views/clock.js";
import { eventsView } from "./views/events.js";
import { executionsView } from "./views/executions.js";
import { jobsView } from "./views/jobs.js";
import { action, showGlobalError, showLoadFailure } from "./views/messages.js";
import { resourcesView } from "./views/resources.js";
import { scenarioView } from "./views/scenario.js";
import { addRow, fillSettingsForm } from "./views/settings.js";
import { wireTabs } from "./views/tabs.js";
import { onRunUntilIdle, onAdvance, onStepNext, onUndo, stopPlay, togglePlay } from "./controllers/clock.js";
import { onJobApply, onJobLoad } from "./controllers/editor.js";
import { onExportEvents, onExportJson, onExportYaml, onImportEvents, onImportScenario } from "./controllers/io.js";
import { fillTemplates, loadTemplate } from "./controllers/load.js";
import { permalinks } from "./controllers/permalink.js";
import { onCancel, onDeleteExecution, onDeleteJob, onRun } from "./controllers/run.js";
import { onSettingsApply } from "./controllers/settings.js";
import { travelInput, travelTo } from "./controllers/travel.js";
import { onWhatIf, onWhatIfStop } from "./controllers/whatif.js";

const el = elements("version", "template", "run-job", "exec-select", "res-kind", "res-job", "res-exec", "res-task");

// ---------------------------------------------------------------------------------------------
// The frame

const EMPTY = Object.freeze([]);

/** The jobs of a view (one array per log version, so views can tell an unchanged list by identity). */
function jobsAt(view) {
  const r = read(view, "jobs.list");
  return r.ok ? (r.body.items ?? EMPTY) : EMPTY;
}

/**
 * What the views of one frame read: the view shown (live or past), the live one (where actions
 * act: the pickers list it), the timeline shown and the jobs and executions lists.
 */
function frameOf(state) {
  const view = currentView(state);
  const live = view.live ? view : liveView(state);
  const jobs = jobsAt(view);
  const execNames = executionNames(state, view);
  return {
    view,
    timeline: timelineOf(state, view),
    jobs,
    execNames,
    liveJobs: view.live ? jobs : jobsAt(live),
    liveExecNames: view.live ? execNames : executionNames(state, live),
  };
}

/**
 * The context every controller (and a view with clickable parts) gets: `{state, render,
 * afterChange, stopPlay, travelTo, select, links}`, the only way they reach each other.
 */
function createApp(wasm) {
  const state = createState(wasm);
  const ctx = { state };
  const views = [renderClock, actionsView(), jobsView(), executionsView(ctx), resourcesView(), eventsView(ctx), scenarioView()];

  /** One frame: every view, each redrawing only what changed. Its duration is recorded. */
  ctx.render = () => {
    if (!state.session) return;
    const t0 = performance.now();
    const frame = frameOf(state);
    for (const view of views) view(state, frame);
    recordFrame(state, performance.now() - t0);
  };
  const links = permalinks(ctx);
  /** After a step or a new session: a valid selection, a frame, and the link rewritten. */
  ctx.afterChange = () => {
    clampSelection(state);
    ctx.render();
    links.schedule();
  };
  ctx.stopPlay = (rerender = true) => stopPlay(ctx, rerender);
  ctx.travelTo = (k) => travelTo(ctx, k);
  /** Selects a job, execution, task and/or resource kind (for the inspector), then draws. */
  ctx.select = ({ resKind, ...sel }) => {
    Object.assign(state.sel, sel);
    if (resKind) state.resKind = resKind;
    ctx.render();
  };
  ctx.links = links;
  return ctx;
}

// ---------------------------------------------------------------------------------------------
// Wiring

function wire(ctx) {
  const { state } = ctx;
  const on = (id, type, slot, fn) => document.getElementById(id).addEventListener(type, action(slot, fn));
  fillTemplates();
  on("template-form", "submit", null, () => {
    ctx.stopPlay(false);
    loadTemplate(ctx, el.template.value);
  });
  on("job-apply", "click", "job-error", () => onJobApply(ctx));
  on("job-load", "click", "job-error", () => onJobLoad(ctx));
  on("run", "click", "run-error", () => onRun(ctx));
  on("delete-job", "click", "run-error", () => onDeleteJob(ctx));
  on("cancel", "click", "exec-error", () => onCancel(ctx));
  on("delete-exec", "click", "exec-error", () => onDeleteExecution(ctx));
  on("step-next", "click", "clock-error", () => onStepNext(ctx));
  on("advance-form", "submit", "clock-error", () => onAdvance(ctx));
  on("run-idle", "click", "clock-error", () => onRunUntilIdle(ctx));
  on("play", "click", "clock-error", () => togglePlay(ctx));
  on("undo", "click", "clock-error", () => onUndo(ctx));
  on("settings-form", "submit", "settings-error", () => onSettingsApply(ctx));
  on("settings-reset", "click", "settings-error", () => fillSettingsForm(state.session.options));
  on("add-workload", "click", "settings-error", () => addRow("workloads", state.sel.job));
  on("add-fault", "click", "settings-error", () => addRow("faults", state.sel.job));
  on("export-yaml", "click", "scenario-error", () => onExportYaml(ctx));
  on("export-json", "click", "scenario-error", () => onExportJson(ctx));
  on("export-events", "click", "events-error", () => onExportEvents(ctx));
  on("import-scenario", "change", "scenario-error", (e) => onImportScenario(ctx, e));
  on("import-events", "change", "events-error", (e) => onImportEvents(ctx, e));
  on("copy-link", "click", "scenario-error", ctx.links.onCopyLink);
  on("whatif-form", "submit", "whatif-error", () => onWhatIf(ctx));
  on("whatif-stop", "click", "whatif-error", onWhatIfStop);
  on("travel", "input", null, travelInput(ctx, showGlobalError));
  on("travel-live", "click", null, () => ctx.travelTo(Number.MAX_SAFE_INTEGER));
  on("run-job", "change", null, () => ctx.select({ job: el.runJob.value }));
  on("exec-select", "change", null, () => ctx.select({ execution: el.execSelect.value }));
  on("res-kind", "change", null, () => ctx.select({ resKind: el.resKind.value }));
  on("res-job", "change", null, () => ctx.select({ job: el.resJob.value, resKind: "Job" }));
  on("res-exec", "change", null, () => ctx.select({ execution: el.resExec.value }));
  on("res-task", "change", null, () => ctx.select({ task: Number(el.resTask.value) || 0 }));
  wireTabs(() => ctx.render());
  window.addEventListener("hashchange", action(null, ctx.links.onHashChange));
  window.addEventListener("error", (e) => {
    e.preventDefault();
    showGlobalError(e.error ?? e.message);
  });
  window.addEventListener("unhandledrejection", (e) => {
    e.preventDefault();
    showGlobalError(e.reason);
  });
}

// ---------------------------------------------------------------------------------------------
// Start

async function main() {
  let wasm;
  try {
    wasm = await import("jobsim");
    await wasm.default();
  } catch (error) {
    showLoadFailure(error);
    document.body.dataset.ready = "error";
    return;
  }
  const ctx = createApp(wasm);
  el.version.textContent = `jobsim ${wasm.version()}`;
  wire(ctx);
  // Exposed for the end-to-end test and for poking around in the console.
  window.jobsimDemo = {
    get scenario() {
      return ctx.state.session?.scenario();
    },
    get events() {
      return ctx.state.session?.events;
    },
    /** Durations (ms, measured in the page) of the last frames, oldest first. */
    get frames() {
      return [...ctx.state.frames];
    },
    splitScenario: (scenario) => splitScenario(scenario, ctx.state.Simulator.optionKeys()),
  };
  let loaded = false;
  try {
    loaded = await ctx.links.loadFromHash();
  } catch (error) {
    showGlobalError(new Error(`The link's scenario could not be read: ${error.message}`));
  }
  if (!loaded) loadTemplate(ctx, DEFAULT_TEMPLATE);
  document.body.dataset.ready = "true";
}

main();
