// Time travel: the slider (and a click on an event) shows the state after event k; the end of
// the log, or "Back to live", is the live simulator again.

import { elements } from "../lib/dom.js";

const el = elements("travel");

export function travelTo(ctx, k) {
  ctx.stopPlay(false);
  const total = ctx.state.session.events.length;
  ctx.state.travel = k >= total ? null : Math.max(1, k);
  ctx.render();
}

/** Slider input: at most one travel per animation frame, to where the slider is then. */
export function travelInput(ctx, onError) {
  let frame = 0;
  return () => {
    const k = Number(el.travel.value);
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      try {
        travelTo(ctx, k);
      } catch (error) {
        onError(error);
      }
    });
  };
}
