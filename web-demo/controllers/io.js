// Files: export the scenario (YAML or JSON, runnable with `jobsim run`) and the event log (JSON
// Lines), and import either back.

import { download } from "../lib/dom.js";
import { Session } from "../lib/session.js";
import { stringifyYaml } from "../lib/yaml.js";
import { showError } from "../views/messages.js";
import { loadEventLog, loadScenario } from "./load.js";

/** `jobsim-<first job>`: the name of exported files. */
function scenarioName(session) {
  const job = session.steps.find((s) => s.call === "jobs.create")?.body?.metadata?.name;
  return `jobsim-${job ?? "scenario"}`;
}

export function onExportYaml({ state }) {
  const name = scenarioName(state.session);
  download(`${name}.yaml`, `# jobsim scenario exported by the web demo: jobsim run ${name}.yaml\n${stringifyYaml(state.session.scenario())}`, "text/yaml");
}

export function onExportJson({ state }) {
  download(`${scenarioName(state.session)}.json`, `${JSON.stringify(state.session.scenario(), null, 2)}\n`, "application/json");
}

export function onExportEvents({ state }) {
  const lines = state.session.events.map((e) => JSON.stringify(e)).join("\n");
  download(`${scenarioName(state.session)}-events.jsonl`, `${lines}\n`, "application/x-ndjson");
}

/** The file chosen in a file input (which is reset, so the same file can be chosen again). */
async function chosenFile(event) {
  const file = event.target.files?.[0];
  event.target.value = "";
  return file ? { name: file.name, text: await file.text() } : null;
}

export async function onImportScenario(ctx, event) {
  const file = await chosenFile(event);
  if (!file) return;
  let scenario;
  try {
    scenario = ctx.state.wasm.parseDocument(file.text);
  } catch (error) {
    showError("scenario-error", error, { title: `${file.name} could not be read.` });
    return;
  }
  if (!scenario || typeof scenario !== "object" || Array.isArray(scenario)) {
    showError("scenario-error", new Error(`${file.name} is not a scenario (a mapping with steps).`));
    return;
  }
  try {
    loadScenario(ctx, scenario, { source: file.name });
  } catch (error) {
    showError("scenario-error", error, { title: `${file.name} is not a valid scenario.` });
  }
}

export async function onImportEvents(ctx, event) {
  const file = await chosenFile(event);
  if (!file) return;
  const events = [];
  const lines = file.text.split(/\r?\n/);
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
    session = new Session(ctx.state.Simulator, null, { readOnlyEvents: events });
  } catch (error) {
    showError("events-error", error, { title: `${file.name} is not a jobsim event log.` });
    return;
  }
  loadEventLog(ctx, session, file.name);
}
