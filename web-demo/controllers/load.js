// Starting over: a scenario (a template, an imported file, the link's) or an imported event log
// (read-only) becomes the new session; the editor, the settings form and the selection follow.

import { h, elements } from "../lib/dom.js";
import { Session } from "../lib/session.js";
import { DEFAULT_TEMPLATE, TEMPLATES, templateScenario } from "../lib/templates.js";
import { stringifyYaml } from "../lib/yaml.js";
import { jobNames, setSession } from "../state.js";
import { clearError, notice } from "../views/messages.js";
import { fillSettingsForm } from "../views/settings.js";
import { setEditor } from "./editor.js";

const el = elements("template");

function start(ctx, session) {
  ctx.stopPlay(false);
  setSession(ctx.state, session);
  ctx.state.sel = { job: jobNames(ctx.state)[0] ?? "", execution: "", task: 0 };
}

/** Checks a scenario the way `jobsim run` does (throws INVALID_SCENARIO), then starts it. */
export function loadScenario(ctx, scenario, { source } = {}) {
  ctx.state.Simulator.runScenario(scenario);
  const session = new Session(ctx.state.Simulator, scenario);
  start(ctx, session);
  const firstJob = session.steps.find((s) => s.call === "jobs.create")?.body;
  setEditor(firstJob ? stringifyYaml(firstJob) : "");
  clearError("job-error");
  fillSettingsForm(session.options);
  // Show the template this scenario started from, if it did.
  const origin = TEMPLATES.find((t) => JSON.stringify(t.scenario.steps[0] ?? null) === JSON.stringify(session.steps[0] ?? null));
  if (origin) el.template.value = origin.id;
  notice(source ? `Loaded ${source}.` : "");
  ctx.afterChange();
}

export function loadTemplate(ctx, id) {
  const t = TEMPLATES.find((x) => x.id === id) ?? TEMPLATES.find((x) => x.id === DEFAULT_TEMPLATE);
  el.template.value = t.id;
  loadScenario(ctx, templateScenario(t.id));
  notice(`Template “${t.title}”: ${t.summary} Press Run, then Run until idle or Play.`);
}

/** Shows a session replayed from an imported event log (read-only). */
export function loadEventLog(ctx, session, fileName) {
  start(ctx, session);
  notice(`Replaying ${fileName} (${session.events.length} events): read-only — load a template or import a scenario to act again.`);
  ctx.afterChange();
}

/** The template picker's options. */
export function fillTemplates() {
  el.template.replaceChildren(...TEMPLATES.map((t) => h("option", { value: t.id, title: t.summary }, t.title)));
}
