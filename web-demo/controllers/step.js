// Every action is one scenario step: run it on the live simulator (back at the live end first),
// then show its error next to the control that caused it, or say what it did; draw the result.
// A failed step is not recorded, so the scenario stays the exact recipe of what is on screen.

import { notice, showError, status } from "../views/messages.js";
import { summarizeStep } from "../views/scenario.js";

/** Runs `step`; `slot`: where its error goes; `describe(result)`: the status line. Returns the result. */
export function commit(ctx, step, slot, describe) {
  const { state } = ctx;
  ctx.stopPlay();
  state.travel = null;
  const r = state.session.apply(step);
  if (!r.ok) {
    showError(slot, r.error);
    ctx.render();
    return r;
  }
  if (!state.session.readOnly) notice(""); // the template's hint has served its purpose
  status(describe ? describe(r) : `Done: ${summarizeStep(state.session, step)}.`);
  ctx.afterChange();
  return r;
}
