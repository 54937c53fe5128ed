// The clock strip: the time shown (since the world's start and absolute), the time-travel
// slider over the event log, and which clock buttons can act right now.

import { elements } from "../lib/dom.js";
import { formatClock, formatTime, parseTime } from "../lib/time.js";

const el = elements("now-clock", "now-abs", "travel", "travel-label", "travel-live", "step-next", "run-idle", "play", "advance", "undo");

/** A time as a clock since the session's world start, e.g. `00:01:30`. */
export function clockText(session, micros) {
  return formatClock(micros, session.worldStart);
}

const times = new WeakMap();
/** An event's time in µs, parsed once per envelope. */
export function eventMicros(e) {
  let t = times.get(e);
  if (t === undefined) {
    t = parseTime(e.time);
    times.set(e, t);
  }
  return t;
}

export function renderClock(state, { view }) {
  const s = state.session;
  const start = s.worldStart;
  const live = view.live;
  el.nowClock.textContent = formatClock(view.now, start);
  el.nowAbs.textContent = formatTime(view.now);
  const total = s.events.length;
  el.travel.max = String(total);
  el.travel.value = String(view.k);
  const ev = view.events[view.k - 1];
  const label = `Event ${view.k} of ${total}${ev ? ` · ${ev.type} at ${formatClock(eventMicros(ev), start)}` : ""}${live ? " · live" : ""}`;
  el.travelLabel.textContent = label;
  el.travel.setAttribute("aria-valuetext", label);
  el.travelLive.disabled = live;
  document.body.classList.toggle("travelling", !live);
  const ro = s.readOnly;
  const idle = s.next === null;
  el.stepNext.disabled = ro || (idle && live);
  el.runIdle.disabled = ro || (idle && live);
  el.play.disabled = ro || (idle && !state.playing);
  el.advance.disabled = ro;
  el.undo.disabled = ro || s.steps.length === 0;
}

/** The Play button as playing or paused. */
export function showPlaying(playing) {
  el.play.setAttribute("aria-pressed", playing ? "true" : "false");
  el.play.textContent = playing ? "Pause" : "Play";
}
