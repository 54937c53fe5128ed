// Fuzzing from JS: random and malformed values into every entry point. Whatever goes in, the
// answer is a value or a JobsimError — never a wasm trap (`RuntimeError: unreachable`), never
// another exception, and the instance keeps working afterwards.
//
// JOBSIM_FUZZ_SEED=<n> replays one run; JOBSIM_FUZZ_ROUNDS=<n> runs longer.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { assertJobsimError, jobBody, prng } from "../test-support/common.mjs";
import { Simulator, parseDocument, version } from "../pkg/node/jobsim_wasm.mjs";

const SEED = Number(process.env.JOBSIM_FUZZ_SEED ?? 20260101);
const ROUNDS = Number(process.env.JOBSIM_FUZZ_ROUNDS ?? 1500);

const METHODS = [
  "jobs.create", "jobs.get", "jobs.list", "jobs.replaceJob", "jobs.delete", "jobs.run",
  "executions.get", "executions.list", "executions.delete", "executions.cancel", "tasks.get", "tasks.list",
];

function deep(depth, leaf, asArray) {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
  return v;
}

/** A random JS value, biased towards the awkward ones. */
function randomValue(rand, level = 0) {
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const n = Math.floor(rand() * 30);
  switch (level > 3 ? n % 12 : n) {
    case 0: return undefined;
    case 1: return null;
    case 2: return rand() < 0.5;
    case 3: return pick([0, -0, 1, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53, 2 ** 64, -(2 ** 63), 1e308, 5e-324, Number.MAX_SAFE_INTEGER + 2]);
    case 4: return pick([0n, 1n, -1n, 2n ** 64n]);
    case 5: return pick(["", "x", "etl", "90s", "-1s", "2026-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "\ud800", "ü€😀", "\u0000", "{", "[]", "null", "a".repeat(70)]);
    case 6: return "x".repeat(Math.floor(rand() * 200_000));
    case 7: return Symbol("s");
    case 8: return () => 1;
    case 9: return new Date(0);
    case 10: return new Map([["a", 1]]);
    case 11: return new Uint8Array(4);
    case 12: return deep(Math.floor(rand() * 300), randomValue(rand, level + 1), rand() < 0.5);
    case 13: return deep(100_000, 1, rand() < 0.5); // deeper than JSON.stringify's stack
    case 14: { const o = {}; o.self = o; return o; }
    case 15: return { toJSON() { throw new Error("boom"); } };
    case 16: return new Proxy({}, { ownKeys() { throw new Error("trap"); } });
    case 17: return Array.from({ length: Math.floor(rand() * 5) }, () => randomValue(rand, level + 1));
    case 18: return jobBody(pick(["etl", "Bad", "", "a".repeat(64)]), { spec: randomValue(rand, level + 1) });
    case 19: { const b = jobBody("fz"); b.spec.template.spec.taskCount = randomValue(rand, level + 1); return b; }
    case 20: return { name: randomValue(rand, level + 1), body: randomValue(rand, level + 1) };
    case 21: return { latestOf: randomValue(rand, level + 1), query: randomValue(rand, level + 1) };
    case 22: return { body: jobBody("fz"), query: { dryRun: randomValue(rand, level + 1), force: randomValue(rand, level + 1) } };
    case 23: return { query: { labelSelector: pick(["a=b", "a in (", "!!", "a notIn (b,c)", ""]), limit: randomValue(rand, level + 1), continue: randomValue(rand, level + 1) } };
    case 24: return { seed: randomValue(rand, level + 1), start: randomValue(rand, level + 1), profile: randomValue(rand, level + 1) };
    case 25: return { settings: { maxRunningExecutions: randomValue(rand, level + 1), missingImages: randomValue(rand, level + 1) } };
    case 26: return [{ sequence: randomValue(rand, level + 1), type: "WorldStarted", schema: randomValue(rand, level + 1), payload: randomValue(rand, level + 1) }];
    case 27: return { version: randomValue(rand, level + 1), state: randomValue(rand, level + 1) };
    case 28: return pick(METHODS);
    default: return { [pick(["a", "__proto__", "constructor", ""])]: randomValue(rand, level + 1) };
  }
}

/** Calls `fn`; a throw must be a JobsimError. Returns true if it returned normally. */
function survives(fn, describeInput) {
  try {
    fn();
    return true;
  } catch (error) {
    try {
      assertJobsimError(error);
    } catch (shape) {
      assert.fail(`${describeInput()}\n  threw a non-JobsimError: ${error?.stack ?? String(error)}\n  (${shape.message})`);
    }
    return false;
  }
}

function show(v) {
  try {
    const s = typeof v === "bigint" ? `${v}n` : typeof v === "symbol" ? v.toString() : JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 200 ? `${s.slice(0, 200)}…` : s;
  } catch {
    return Object.prototype.toString.call(v);
  }
}

describe(`fuzz (seed ${SEED}, ${ROUNDS} rounds)`, () => {
  test("statics and the constructor", () => {
    const rand = prng(SEED);
    for (let i = 0; i < ROUNDS; i++) {
      const a = randomValue(rand);
      const b = randomValue(rand);
      const at = (what) => () => `round ${i}: ${what}(${show(a)}, ${show(b)})`;
      survives(() => new Simulator(a).free(), at("new Simulator"));
      survives(() => Simulator.replay(a).free(), at("Simulator.replay"));
      survives(() => Simulator.fromSnapshot(a, b).free(), at("Simulator.fromSnapshot"));
      survives(() => Simulator.runScenario(a), at("Simulator.runScenario"));
      survives(() => parseDocument(a), at("parseDocument"));
      survives(() => Simulator.isMutation(a), at("Simulator.isMutation"));
    }
    assert.equal(typeof version(), "string");
  });

  // Needs the real engine: it works on a live instance.
  test("every method of a live instance, which keeps working after each error", () => {
    const rand = prng(SEED + 1);
    const sim = new Simulator({ seed: 1, profile: "instant" });
    sim.call("jobs.create", { body: jobBody("etl") });
    const ops = [
      (a, b) => sim.call(a, b),
      (a, b) => sim.call(METHODS[Math.floor(rand() * METHODS.length)], b ?? a),
      (a) => sim.advance(a),
      (a) => sim.advanceTo(a),
      (a) => sim.events(a),
      (a) => sim.explain(a),
      () => sim.runUntilIdle(),
      () => sim.snapshot(),
      (a, b) => sim.runStep(a, b),
      (a, b) => sim.runStep({ call: METHODS[Math.floor(rand() * METHODS.length)], name: a, body: b }),
      (a) => sim.timeline(a),
    ];
    for (let i = 0; i < ROUNDS; i++) {
      const k = Math.floor(rand() * ops.length);
      const a = randomValue(rand);
      const b = randomValue(rand);
      survives(() => ops[k](a, b), () => `round ${i}: op ${k}(${show(a)}, ${show(b)})`);
      // Still alive and consistent after whatever happened.
      assert.equal(typeof sim.now(), "string");
    }
    const copy = Simulator.replay(sim.events());
    assert.deepEqual(copy.snapshot(), sim.snapshot());
    // The timeline read incrementally through all of that is the one of the replayed log.
    assert.deepEqual(sim.timeline(), copy.timeline());
  });

  test("read, nextTimerAt and parseDocument change nothing, whatever goes in", () => {
    const rand = prng(SEED + 2);
    const sim = new Simulator({ seed: 1 }); // realistic: timers stay pending between moves
    sim.call("jobs.create", { body: jobBody("etl") });
    sim.advance("2s");
    sim.call("jobs.run", { name: "etl" });
    const version = sim.snapshot().version;
    const next = sim.nextTimerAt();
    for (let i = 0; i < ROUNDS; i++) {
      const a = randomValue(rand);
      const b = randomValue(rand);
      const at = (what) => () => `round ${i}: ${what}(${show(a)}, ${show(b)})`;
      survives(() => sim.read(a, b), at("sim.read"));
      survives(() => sim.read(METHODS[Math.floor(rand() * METHODS.length)], b ?? a), at("sim.read(method)"));
      const text = typeof a === "string" ? a : show(a);
      try {
        parseDocument(text);
      } catch (error) {
        assertJobsimError(error, "INVALID_SCENARIO");
        if (error.line !== undefined) assert.ok(Number.isInteger(error.line) && (error.column === undefined || Number.isInteger(error.column)), at("parseDocument")());
      }
    }
    assert.equal(sim.snapshot().version, version, "read recorded nothing");
    assert.equal(sim.nextTimerAt(), next);
  });
});
