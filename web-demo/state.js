// The page's state, one object handed to every view and controller (there is no global): the
// session (scenario + live simulator), where the slider is, what is selected, and the views of
// the simulator a frame reads. A view is kept while the log version it shows stays the same, with
// the API reads and the timeline of that version, so a frame that changed nothing reads nothing
// again. No DOM here.

import { TimelineCache } from "./lib/timeline.js";

/** The initial state over the loaded wasm package. */
export function createState(wasm) {
  return {
    wasm,
    Simulator: wasm.Simulator,
    session: null,
    /** null: live; else the number of events shown. */
    travel: null,
    sel: { job: "", execution: "", task: 0 },
    resKind: "Execution",
    /** Execution cards the user folded. */
    collapsed: new Set(),
    /** `{last, raf}` while playing. */
    playing: null,
    /** The hash the page last wrote (so its own hashchange is not a new link). */
    lastHash: null,
    /** The live view and the past one (time travel), each with its reads; see `liveView`. */
    live: null,
    past: null,
    timelines: { live: new TimelineCache(), past: new TimelineCache() },
    /** The names executions.list gave, per timeline and membership (see `executionNames`). */
    listed: { live: null, past: null },
    /** Durations (ms) of the last frames, newest last: what the e2e test reports. */
    frames: [],
  };
}

/** Replaces the session (a new scenario or event log): the old one and its views are freed. */
export function setSession(state, session) {
  state.past?.release();
  state.past = null;
  state.live = null;
  state.session?.free();
  state.session = session;
  state.travel = null;
  state.collapsed.clear();
}

/**
 * The live view: `{live: true, k, events, now, sim, reads}`. The same object comes back while no
 * event is appended (only `now` follows the played time), so its reads are reused. `epoch` is
 * the session's events array, which a rebuild (undo, settings) replaces.
 */
export function liveView(state) {
  const s = state.session;
  const v = state.live;
  if (v && v.session === s && v.epoch === s.events && v.k === s.events.length) {
    v.now = s.shownMicros;
    return v;
  }
  state.live = { ...s.viewAt(s.events.length), session: s, epoch: s.events, reads: new Map() };
  return state.live;
}

/**
 * The view the page shows: the live one, or the state after `state.travel` events (a simulator
 * rebuilt from the log, kept until the slider moves, then freed).
 */
export function currentView(state) {
  const s = state.session;
  const total = s.events.length;
  const k = state.travel === null ? total : Math.min(state.travel, total);
  if (k >= total) {
    state.past?.release();
    state.past = null;
    return liveView(state);
  }
  const v = state.past;
  if (v && v.session === s && v.epoch === s.events && v.asked === k) return v;
  v?.release();
  state.past = { ...s.viewAt(k), session: s, epoch: s.events, asked: k, reads: new Map() };
  return state.past;
}

/** The timeline of a view (the core's projection, read once per log version; see lib/timeline.js). */
export function timelineOf(state, view) {
  return view.live ? state.timelines.live.at(view) : state.timelines.past.at(view);
}

/**
 * The execution names executions.list gives at a view (newest first, as the API orders them).
 * Read again only when the timeline saw an execution created or removed since: nothing else
 * changes that list's names or order.
 */
export function executionNames(state, view) {
  const timeline = timelineOf(state, view);
  const slot = view.live ? "live" : "past";
  const c = state.listed[slot];
  if (c && c.timeline === timeline && c.membership === timeline.membership) return c.names;
  const r = read(view, "executions.list");
  const items = r.ok ? (r.body.items ?? []) : [];
  // A list item is what executions.get answers (the unit tests hold them equal): the cards of
  // this version need no read of their own.
  for (const x of items) view.reads.set(readKey("executions.get", { name: x.metadata.name }), { ok: true, body: x });
  const names = items.map((x) => x.metadata.name);
  state.listed[slot] = { timeline, membership: timeline.membership, names };
  return names;
}

/**
 * An API read (get or list, firing no timer) on a view's simulator: `{ok, body}` or
 * `{ok: false, error}`. Memoized on the view, so callers must not change the body.
 */
export function read(view, method, params = {}) {
  const key = readKey(method, params);
  let r = view.reads.get(key);
  if (!r) {
    try {
      r = { ok: true, body: view.sim.read(method, params) };
    } catch (error) {
      r = { ok: false, error };
    }
    view.reads.set(key, r);
  }
  return r;
}

function readKey(method, params) {
  return `${method} ${JSON.stringify(params)}`;
}

/** The names of the jobs of a view (the live one by default). */
export function jobNames(state, view = state.session && liveView(state)) {
  if (!view) return [];
  const r = read(view, "jobs.list");
  return r.ok ? (r.body.items ?? []).map((j) => j.metadata.name) : [];
}

/** Keeps the selected job one that exists. */
export function clampSelection(state) {
  const names = jobNames(state);
  if (!names.includes(state.sel.job)) state.sel.job = names[0] ?? "";
}

/** Records how long a frame took (the last 100). */
export function recordFrame(state, ms) {
  state.frames.push(ms);
  if (state.frames.length > 100) state.frames.shift();
}
