// Issue #9 items 12 and 14 across the JS boundary: u64 seeds (D27) and `append` with an expected
// version (optimistic concurrency on an externally stored log).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { throwsJobsim } from "../test-support/common.mjs";
import { Simulator } from "../pkg/node/jobsim_wasm.mjs";

const BIG_SEED = "18446744073709551615";
const job = (name, taskCount = 3) => ({
  metadata: { name },
  spec: { template: { spec: { taskCount, template: { spec: { containers: [{ image: "us-docker.pkg.dev/demo/x:1" }] } } } } },
});

function run(options) {
  const sim = new Simulator(options);
  sim.call("jobs.create", { body: job("etl") });
  sim.call("jobs.run", { name: "etl" });
  sim.runUntilIdle();
  return sim;
}

describe("D27 seeds are u64", () => {
  test("a seed above 2^53 given as a string replays from events() and snapshot() (finding 12)", () => {
    const sim = run({ seed: BIG_SEED, profile: "instant" });
    const events = sim.events();
    assert.equal(events[0].payload.world.seed, BIG_SEED);
    const replayed = Simulator.replay(events);
    assert.deepEqual(replayed.snapshot(), sim.snapshot());
    assert.equal(sim.snapshot().state.world.seed, BIG_SEED);
    const restored = Simulator.fromSnapshot(sim.snapshot());
    assert.deepEqual(restored.snapshot(), sim.snapshot());
    // The seed really is the big one: another seed gives other ids.
    const other = run({ seed: "18446744073709551614", profile: "instant" });
    assert.notDeepEqual(other.events()[1].payload.job.metadata.uid, events[1].payload.job.metadata.uid);
    for (const s of [sim, replayed, restored, other]) s.free();
  });

  test("a JS number above 2^53 - 1 is refused, not rounded", () => {
    for (const seed of [2 ** 53, 2 ** 53 + 1, 2 ** 64, Number.MAX_VALUE]) {
      const e = throwsJobsim(() => new Simulator({ seed }), "INVALID_SCENARIO");
      assert.match(e.message, /seed: .*not exactly representable/, String(seed));
    }
    const e = throwsJobsim(() => Simulator.runScenario({ seed: 2 ** 53 + 1, steps: [] }), "INVALID_SCENARIO");
    assert.match(e.message, /not exactly representable/);
    new Simulator({ seed: Number.MAX_SAFE_INTEGER }).free();
    new Simulator({ seed: "9007199254740993" }).free();
  });

  test("the same seed as a number and as a string gives the same log", () => {
    const a = run({ seed: 12345, profile: "instant" });
    const b = run({ seed: "12345", profile: "instant" });
    assert.deepEqual(a.events(), b.events());
    a.free();
    b.free();
  });
});

describe("item 14: append with an expected version", () => {
  test("a follower continues the leader's log; a stale expected version is ABORTED and changes nothing", () => {
    const leader = new Simulator({ seed: 3, profile: "instant" });
    leader.call("jobs.create", { body: job("etl") });
    const follower = Simulator.replay(leader.events());
    const seen = follower.logVersion();
    assert.equal(seen, leader.events().length);
    leader.call("jobs.run", { name: "etl" });
    const batch = leader.events(seen + 1);
    assert.equal(follower.append(seen, batch), batch.length);
    assert.deepEqual(follower.snapshot(), leader.snapshot());

    const before = { version: follower.logVersion(), events: follower.events(), snapshot: follower.snapshot() };
    const e = throwsJobsim(() => follower.append(seen, batch), "ABORTED");
    assert.equal(e.httpStatus, 409);
    assert.equal(e.expectedVersion, seen);
    assert.equal(e.actualVersion, before.version);
    assert.deepEqual(
      { version: follower.logVersion(), events: follower.events(), snapshot: follower.snapshot() },
      before,
    );
    throwsJobsim(() => follower.append(-1, []), "INVALID_ARGUMENT");
    throwsJobsim(() => follower.append(before.version, "x"), "INVALID_EVENT_LOG");
    leader.free();
    follower.free();
  });
});
