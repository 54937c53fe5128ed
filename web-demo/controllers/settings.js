// Apply settings: the form's options replace the scenario's and every step is replayed with
// them. Options the core refuses change nothing; the field they name is marked.

import { markSettingsField, readSettingsForm } from "../views/settings.js";
import { showError, status } from "../views/messages.js";

export function onSettingsApply(ctx) {
  const { state } = ctx;
  ctx.stopPlay(false);
  state.travel = null;
  const options = readSettingsForm(state.session.options, state.Simulator.optionKeys());
  try {
    state.Simulator.runScenario({ ...options, steps: state.session.steps });
    state.session.setOptions(options);
  } catch (error) {
    showError("settings-error", error, { title: "The settings were not applied." });
    markSettingsField(error);
    ctx.render();
    return;
  }
  const failing = state.session.outcomes.filter((o) => !o.ok).length;
  status(`Applied settings and replayed ${state.session.steps.length} step(s)${failing ? `; ${failing} now fail (see Scenario)` : ""}.`);
  ctx.afterChange();
}
