// The demo's model: a scenario (the simulator's options plus the steps the user took) and the
// live simulator built from it. Every action is a scenario step, so the scenario alone
// rebuilds the run exactly (permalink, export, `jobsim run`). No DOM here: it runs in Node too.

import { formatTime, parseTime } from "./time.js";

/**
 * The seed typed in the settings form: a number when it is a safe integer, else the text as typed
 * (a decimal string keeps a u64 above 2^53 exact; the core refuses larger numbers, D27).
 */
export function seedOption(raw) {
  const s = String(raw ?? "").trim();
  if (s === "") return undefined;
  if (/^\d+$/.test(s) && Number.isSafeInteger(Number(s))) return Number(s);
  return s;
}

/** The kind of a step: `call`, `advance`, `advanceTo` or `runUntilIdle` (for display). */
export function stepKind(step) {
  for (const k of ["call", "advance", "advanceTo", "runUntilIdle"]) if (k in step) return k;
  return "unknown";
}

/** Splits a scenario object into options (`keys`: the core's `Simulator.optionKeys()`) and steps. */
export function splitScenario(scenario, keys) {
  const options = {};
  for (const k of keys) if (scenario[k] !== undefined) options[k] = scenario[k];
  return { options, steps: Array.isArray(scenario.steps) ? scenario.steps : [] };
}

/** Options without empty lists and unset values, in the order of `keys` (`Simulator.optionKeys()`). */
export function cleanOptions(options, keys) {
  const out = {};
  for (const k of keys) {
    const v = options[k];
    if (v === undefined || v === null || v === "") continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out;
}

/**
 * Runs step `index` with the core's `sim.runStep`, exactly as `jobsim run` does. Returns
 * `{ok: true, body?, events?, before}` or `{ok: false, error}` (the thrown JobsimError: an API
 * error, or INVALID_SCENARIO with `field` and `step` for a step that cannot be read); never throws.
 */
export function runStep(sim, step, index = 0) {
  const before = sim.now();
  try {
    const outcome = sim.runStep(step, index);
    return "call" in outcome ? { ok: true, body: outcome.body, before } : { ok: true, events: outcome.events, before };
  } catch (error) {
    return { ok: false, error };
  }
}

/** When the simulator's next timer fires: `{at, micros}` (RFC 3339 and µs), or null when idle. */
export function nextTimer(sim) {
  const at = sim.nextTimerAt();
  return at === undefined ? null : { at, micros: parseTime(at) };
}

export class Session {
  /**
   * @param Simulator the wasm class
   * @param scenario `{seed, ..., steps}`; throws the JobsimError of bad options
   */
  constructor(Simulator, scenario, { readOnlyEvents = null } = {}) {
    this.Simulator = Simulator;
    this.readOnly = Boolean(readOnlyEvents);
    this.options = {};
    this.steps = [];
    this.outcomes = [];
    this.sim = null;
    this.events = [];
    this.next = null; // µs of the next timer, null when idle
    this.nextAt = null; // the same as RFC 3339, as the core writes it
    this.play = null;
    if (readOnlyEvents) {
      this.sim = Simulator.replay(readOnlyEvents);
      this.options = {};
      this.refresh(true);
    } else {
      const { options, steps } = splitScenario(scenario, Simulator.optionKeys());
      this.rebuild(options, steps.map((s) => structuredClone(s)));
    }
  }

  /** The scenario as a plain object (options then steps), as `jobsim run` reads it. */
  scenario() {
    return { ...cleanOptions(this.options, this.Simulator.optionKeys()), steps: structuredClone(this.steps) };
  }

  /** Rebuilds the simulator from options and steps; on bad options keeps the old one and throws. */
  rebuild(options = this.options, steps = this.steps) {
    const sim = new this.Simulator(options);
    const outcomes = steps.map((s, i) => runStep(sim, s, i));
    this.sim?.free();
    this.sim = sim;
    this.options = structuredClone(options);
    this.steps = steps;
    this.outcomes = outcomes;
    this.refresh(true);
  }

  /** Re-reads the log and the next timer after the simulator changed. */
  refresh(all = false) {
    if (all) this.events = this.sim.events();
    else this.events.push(...this.sim.events(this.events.length + 1));
    const next = nextTimer(this.sim);
    this.next = next?.micros ?? null;
    this.nextAt = next?.at ?? null;
  }

  get nowMicros() {
    return parseTime(this.sim.now());
  }

  get worldStart() {
    return this.events[0]?.payload?.world?.start ?? 0;
  }

  /**
   * Runs a step on the live simulator and records it if it succeeded and changed something.
   * Returns the step's result (`{ok, body?, error?, recorded}`).
   */
  apply(step) {
    if (this.readOnly) return { ok: false, error: new Error("an imported event log is read-only") };
    const result = runStep(this.sim, step, this.steps.length);
    if (!result.ok) return { ...result, recorded: false };
    const before = this.events.length;
    this.refresh();
    const changed = this.events.length > before || this.sim.now() !== result.before;
    const recorded = changed || (stepKind(step) === "call" && this.Simulator.isMutation(step));
    if (recorded) {
      this.steps.push(structuredClone(step));
      this.outcomes.push(result);
    }
    return { ...result, recorded };
  }

  /** Removes the last step and rebuilds. */
  undo() {
    if (!this.steps.length) return false;
    this.rebuild(this.options, this.steps.slice(0, -1));
    return true;
  }

  /** New options (seed, profile, workloads, faults…) for the same steps; throws on bad options. */
  setOptions(options) {
    this.rebuild(options, this.steps);
  }

  /** Moves the clock to the next timer (one "event time"); `{ok: false}` when idle. */
  stepToNext() {
    if (this.next === null) return { ok: false, idle: true, error: new Error("nothing is scheduled: the simulator is idle") };
    return this.apply({ advanceTo: this.nextAt });
  }

  // ---- Playing: the clock follows wall time at a speed. Timers fire as the displayed time
  // passes them; the whole play is recorded as one `advanceTo` step when it stops, which
  // replays to exactly the same events.

  startPlay() {
    this.play = { from: this.sim.now(), shown: this.nowMicros };
  }

  /** Moves the displayed time to `micros`, firing the timers due by then. Returns `{idle}`. */
  playTo(micros) {
    if (!this.play) return { idle: this.next === null };
    let fired = false;
    while (this.next !== null && this.next <= micros) {
      this.sim.advanceTo(this.nextAt);
      this.refresh();
      fired = true;
    }
    this.play.shown = Math.max(this.play.shown, this.next === null && fired ? this.nowMicros : micros);
    return { idle: this.next === null };
  }

  /** Ends playing at the displayed time (to the millisecond) and records the step. */
  stopPlay() {
    const play = this.play;
    if (!play) return null;
    this.play = null;
    const target = Math.max(this.nowMicros, Math.floor(play.shown / 1000) * 1000);
    if (target > this.nowMicros && this.next === null) {
      // Idle: stop at the last event rather than at an arbitrary instant after it.
    } else if (target > this.nowMicros) {
      this.sim.advanceTo(formatTime(target));
      this.refresh();
    }
    if (this.sim.now() === play.from) return null;
    const step = { advanceTo: this.sim.now() };
    this.steps.push(step);
    this.outcomes.push({ ok: true });
    return step;
  }

  /** The time the views show: the played time while playing, else the simulator's now. */
  get shownMicros() {
    return this.play ? this.play.shown : this.nowMicros;
  }

  /**
   * The state after the first `k` events, for time travel: `{live, k, events, now, sim}`.
   * Read it with `sim.read` (get and list without firing timers: a state rebuilt at event k may
   * have timers due at its now, which `call` would fire) and `sim.explain`. Call `release()`.
   */
  viewAt(k) {
    const total = this.events.length;
    if (k >= total) {
      return { live: true, k: total, events: this.events, now: this.shownMicros, sim: this.sim, release: () => {} };
    }
    const events = this.events.slice(0, Math.max(1, k));
    const sim = this.Simulator.replay(events);
    return { live: false, k: events.length, events, now: parseTime(sim.now()), sim, release: () => sim.free() };
  }

  free() {
    this.sim?.free();
    this.sim = null;
  }
}
