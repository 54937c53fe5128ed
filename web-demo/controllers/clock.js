// The clock buttons: Next event, Advance by, Run until idle, Undo step, and Play/Pause. Each
// move of the clock is a step; a play session is recorded as one `advanceTo` when it stops.

import { elements } from "../lib/dom.js";
import { clockText, showPlaying } from "../views/clock.js";
import { showError, status } from "../views/messages.js";
import { commit } from "./step.js";

const el = elements("advance-by", "speed");

export function onStepNext(ctx) {
  const s = ctx.state.session;
  stopPlay(ctx);
  ctx.state.travel = null;
  if (s.next === null) throw new Error("Nothing is scheduled: the simulator is idle.");
  commit(ctx, { advanceTo: s.nextAt }, "clock-error", () => `Moved to the next event (${clockText(s, s.nowMicros)}).`);
}

export function onAdvance(ctx) {
  const raw = el.advanceBy.value.trim();
  const by = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  commit(ctx, { advance: by }, "clock-error", () => `Advanced by ${raw} to ${clockText(ctx.state.session, ctx.state.session.nowMicros)}.`);
}

export function onRunUntilIdle(ctx) {
  commit(ctx, { runUntilIdle: true }, "clock-error", () => `Ran until idle: now ${clockText(ctx.state.session, ctx.state.session.nowMicros)}.`);
}

export function onUndo(ctx) {
  stopPlay(ctx);
  ctx.state.travel = null;
  if (!ctx.state.session.undo()) throw new Error("There is no step to undo.");
  status("Removed the last step and replayed the rest.");
  ctx.afterChange();
}

export function togglePlay(ctx) {
  const { state } = ctx;
  if (state.playing) {
    stopPlay(ctx);
    return;
  }
  state.travel = null;
  if (state.session.readOnly) throw new Error("An imported event log is read-only.");
  if (state.session.next === null) throw new Error("Nothing is scheduled: run a job first.");
  state.session.startPlay();
  state.playing = { last: performance.now(), raf: 0 };
  showPlaying(true);
  state.playing.raf = requestAnimationFrame((ts) => tick(ctx, ts));
}

/** One animation frame of play: move the shown time by the wall time since the last one × speed. */
function tick(ctx, ts) {
  const { state } = ctx;
  if (!state.playing) return;
  try {
    const dt = Math.min(250, Math.max(0, ts - state.playing.last));
    state.playing.last = ts;
    const speed = Number(el.speed.value) || 10;
    const { idle } = state.session.playTo(state.session.play.shown + dt * 1000 * speed);
    if (idle) {
      stopPlay(ctx);
      status(`Played until idle: now ${clockText(state.session, state.session.nowMicros)}.`);
      return;
    }
    ctx.render();
    state.playing.raf = requestAnimationFrame((next) => tick(ctx, next));
  } catch (error) {
    stopPlay(ctx);
    showError("clock-error", error);
  }
}

/** Stops playing (recording the step) and, unless `rerender` is false, draws the result. */
export function stopPlay(ctx, rerender = true) {
  const { state } = ctx;
  if (!state.playing) return;
  cancelAnimationFrame(state.playing.raf);
  state.playing = null;
  showPlaying(false);
  const step = state.session?.stopPlay();
  if (step) status(`Paused at ${clockText(state.session, state.session.nowMicros)}.`);
  if (rerender) ctx.afterChange();
}
