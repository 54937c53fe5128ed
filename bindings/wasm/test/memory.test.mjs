// Memory: 10,000 create/free cycles, and 10,000 instances left to the garbage collector
// (--weak-refs), must not grow the wasm memory or the JS heap without bound.
//
// The measurements need `global.gc`, so this file re-runs itself in a child `node --expose-gc`
// and checks the numbers the child prints.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { test } from "node:test";

const CYCLES = 10_000;
const MiB = 1024 * 1024;

if (process.env.JOBSIM_MEMORY_PROBE) {
  await probe(process.env.JOBSIM_MEMORY_PROBE);
} else {
  const run = (which) => {
    const child = spawnSync(process.execPath, ["--expose-gc", fileURLToPath(import.meta.url)], {
      env: { ...process.env, JOBSIM_MEMORY_PROBE: which },
      encoding: "utf8",
      timeout: 300_000,
    });
    assert.equal(child.status, 0, `probe ${which} failed:\n${child.stdout}\n${child.stderr}`);
    return JSON.parse(child.stdout.trim().split("\n").at(-1));
  };

  test(`${CYCLES} failing constructions leak nothing`, () => {
    const m = run("errors");
    assert.ok(m.wasmGrowth <= 1 * MiB, JSON.stringify(m));
    assert.ok(m.heapGrowth <= 4 * MiB, JSON.stringify(m));
  });

  // Needs the real engine (a live Simulator).
  test(`${CYCLES} new Simulator() + jobs.create + free() cycles do not grow memory`, () => {
    const m = run("free");
    assert.ok(m.wasmGrowth <= 1 * MiB, JSON.stringify(m));
    assert.ok(m.heapGrowth <= 4 * MiB, JSON.stringify(m));
  });

  // Needs the real engine. Without --weak-refs every dropped instance would stay in wasm memory.
  test(`${CYCLES} instances dropped without free() are reclaimed by the FinalizationRegistry`, () => {
    const m = run("gc");
    assert.ok(m.wasmGrowth <= 2 * MiB, JSON.stringify(m));
    assert.ok(m.heapGrowth <= 4 * MiB, JSON.stringify(m));
  });
}

async function probe(which) {
  const { Simulator, memoryBytes } = await import("../pkg/node/jobsim_wasm.mjs");
  const { jobBody } = await import("../test-support/common.mjs");
  const settle = async () => {
    for (let i = 0; i < 4; i++) {
      globalThis.gc();
      await new Promise((resolve) => setTimeout(resolve, 5)); // let finalizers run
    }
  };
  const body = jobBody("etl");
  const bigOptions = { seed: "bad", workloads: Array.from({ length: 50 }, (_, i) => ({ job: `j${i}` })) };
  const cycle = {
    errors: () => {
      try {
        new Simulator(bigOptions);
      } catch {
        // expected: INVALID_SCENARIO
      }
    },
    free: () => {
      const sim = new Simulator({ seed: 1, profile: "instant" });
      sim.call("jobs.create", { body });
      sim.free();
    },
    gc: () => {
      const sim = new Simulator({ seed: 1, profile: "instant" });
      sim.call("jobs.create", { body });
    },
  }[which];
  // Warm up until the allocator and the heap reach their working size, then measure.
  const batch = 500;
  const runBatch = async () => {
    for (let i = 0; i < batch; i++) cycle();
    await settle();
  };
  for (let i = 0; i < 4; i++) await runBatch();
  const wasm0 = memoryBytes();
  const heap0 = process.memoryUsage().heapUsed;
  for (let done = 0; done < CYCLES; done += batch) await runBatch();
  const result = {
    which,
    cycles: CYCLES,
    wasmBefore: wasm0,
    wasmAfter: memoryBytes(),
    wasmGrowth: memoryBytes() - wasm0,
    heapGrowth: process.memoryUsage().heapUsed - heap0,
  };
  console.log(JSON.stringify(result));
}
