// Issue #12: `Simulator.sweep(scenario, options)` gives the CLI's numbers for the same inputs —
// `format: "json"` is byte for byte `jobsim sweep FILE … --format json`, `"jsonl"` its records —
// and shards merged with `Simulator.sweepMerge` give the unsplit summary.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { assertJobsimError, findCli, repoRoot } from "../test-support/common.mjs";
import { Simulator } from "../pkg/node/jobsim_wasm.mjs";

const file = join(repoRoot, "scenarios", "etl-retries.yaml");
const text = readFileSync(file, "utf8");
const vary = ["maxRetries=1,3", "etl.failureRate=0,0.2", "duration=20s,40s"];
const flags = ["--runs", "8", "--seed", "11", ...vary.flatMap((v) => ["--vary", v])];
const options = { runs: 8, seed: 11, vary };
const cli = findCli();

describe("Simulator.sweep (issue #12)", () => {
  test("format json is the CLI's --format json, byte for byte", { skip: !cli || !existsSync(cli) ? "no CLI" : false }, () => {
    const native = execFileSync(cli, ["sweep", file, ...flags, "--format", "json"]).toString("utf8");
    assert.equal(Simulator.sweep(text, { ...options, format: "json" }), native);
    const records = execFileSync(cli, ["sweep", file, ...flags, "--format", "jsonl"]).toString("utf8");
    assert.equal(Simulator.sweep(text, { ...options, format: "jsonl" }), records);
  });

  test("the default object is the JSON summary, with 8 configurations", () => {
    const summary = Simulator.sweep(text, options);
    assert.deepEqual(summary, JSON.parse(Simulator.sweep(text, { ...options, format: "json" })));
    assert.equal(summary.runs, 8);
    assert.equal(summary.configurations.length, 8);
    for (const c of summary.configurations) {
      assert.equal(c.executions, 8);
      assert.ok(c.successInterval[0] <= c.successRate && c.successRate <= c.successInterval[1]);
      assert.ok(c.cost.mean > 0 && c.duration.p50 <= c.duration.max);
    }
  });

  test("shards merged with sweepMerge give the unsplit bytes", () => {
    const whole = Simulator.sweep(text, { ...options, format: "json" });
    const shards = [0, 1, 2].map((i) => Simulator.sweep(text, { ...options, shard: `${i}/3`, format: "jsonl" }));
    assert.equal(Simulator.sweepMerge(shards.reverse(), "json"), whole);
    assert.deepEqual(Simulator.sweepMerge(shards), JSON.parse(whole));
  });

  test("unusable options throw INVALID_SCENARIO naming the option", () => {
    for (const [bad, says] of [
      [{}, "runs"],
      [{ runs: 2, vary: ["maxRetries=11"] }, "maxRetries"],
      [{ runs: 2, vary: "maxRetries=1" }, "vary"],
      [{ runs: 2, shard: "3/3" }, "shard"],
      [{ runs: 2, threads: 2 }, "threads"],
      [{ runs: 2, format: "xml" }, "format"],
    ]) {
      assert.throws(() => Simulator.sweep(text, bad), (e) => {
        assertJobsimError(e, "INVALID_SCENARIO");
        assert.match(e.message, new RegExp(says));
        return true;
      });
    }
    assert.throws(() => Simulator.sweepMerge(["not json"]), (e) => {
      assertJobsimError(e, "INVALID_SCENARIO");
      assert.match(e.message, /shards\[0\]: line 1: not a sweep record/);
      return true;
    });
  });
});
