// Unit tests of the demo's modules in Node, against the Node build of the same wasm package:
// reading documents with the package's parseDocument (the core's parser) and writing them with
// lib/yaml.js, permalinks, the session (steps, play, time travel) and the templates.
//
//   node --test web-demo/test/unit.test.mjs

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { stringifyYaml } from "../lib/yaml.js";
import { encodeScenario, decodeScenario } from "../lib/permalink.js";
import { Session, runStep, seedOption } from "../lib/session.js";
import { TEMPLATES, templateScenario } from "../lib/templates.js";
import { buildTimeline, attemptCount, taskPhase, TimelineCache } from "../lib/timeline.js";
import { formatTime, parseTime, formatClock, formatDuration } from "../lib/time.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { Simulator, parseDocument } = await import(join(repoRoot, "bindings/wasm/pkg/node/jobsim_wasm.mjs"));

const GCLOUD_EXPORT = `apiVersion: run.googleapis.com/v1
kind: Job
metadata:
  annotations:
    run.googleapis.com/client-name: gcloud
    run.googleapis.com/client-version: 470.0.0
    run.googleapis.com/creator: someone@example.com
    run.googleapis.com/execution-environment: gen2
    run.googleapis.com/lastModifier: someone@example.com
    run.googleapis.com/operation-id: 1f7c2a4e-0b7d-4c57-9d0a-6f7a1d2b9c31
  labels:
    cloud.googleapis.com/location: europe-west1
    team: data
  name: nightly-export
  namespace: '987654321098'
spec:
  template:
    metadata:
      annotations:
        run.googleapis.com/client-name: gcloud
        run.googleapis.com/client-version: 470.0.0
        run.googleapis.com/execution-environment: gen2
    spec:
      parallelism: 3
      taskCount: 10
      template:
        spec:
          containers:
          - args:
            - --date
            - '2026-01-01'
            - --message
            - 'a long argument that gcloud folded over two lines because it is
              longer than eighty characters'
            env:
            - name: MODE
              value: full
            - name: EMPTY
              value: ''
            image: europe-docker.pkg.dev/acme/jobs/export@sha256:0a1b2c3d
            resources:
              limits:
                cpu: 1000m
                memory: 512Mi
          maxRetries: 3
          serviceAccountName: 987654321098-compute@developer.gserviceaccount.com
          timeoutSeconds: '600'
`;

test("parseDocument: reads a gcloud export as the demo pastes it", () => {
  const job = parseDocument(GCLOUD_EXPORT);
  assert.equal(job.kind, "Job");
  assert.equal(job.metadata.namespace, "987654321098");
  assert.equal(job.spec.template.spec.taskCount, 10);
  assert.equal(job.spec.template.spec.template.spec.containers[0].args[3], "a long argument that gcloud folded over two lines because it is longer than eighty characters");
  assert.equal(job.spec.template.spec.template.spec.containers[0].env[1].value, "");
  assert.equal(job.spec.template.spec.template.spec.timeoutSeconds, "600");
  assert.equal(job.metadata.annotations["run.googleapis.com/client-version"], "470.0.0");
});

test("parseDocument: JSON when the text starts with { or [, YAML otherwise", () => {
  assert.deepEqual(parseDocument('{"a": [1, "x"]}'), { a: [1, "x"] });
  assert.deepEqual(parseDocument("a: 1"), { a: 1 });
  assert.deepEqual(parseDocument("  \n[1, 2]"), [1, 2]);
  assert.throws(() => parseDocument("{a: [1, x]}"), (e) => e.code === "INVALID_SCENARIO" && /invalid JSON/.test(e.message));
  const text = readFileSync(join(repoRoot, "scenarios/etl-retries.yaml"), "utf8");
  assert.equal(Simulator.runScenario(parseDocument(text)), Simulator.runScenario(text));
});

test("parseDocument: errors carry the line and column the Go to line button uses", () => {
  const cases = [
    // The e2e test's broken job: the flow sequence is never closed (libyaml names its end first).
    ["apiVersion: run.googleapis.com/v1\nkind: Job\nmetadata:\n  name: [broken\n", 5, 1, /flow sequence at line 4 column 9/],
    ["a:\n  b: 1\n c: 2\n", 3, 2, /invalid YAML/],
    ["a:\n\tb: 1\n", 2, 1, /cannot start any token/],
    ["x: 1\na: 'unterminated\n", 3, 1, /quoted scalar/],
    ['\n{"a": 1,\n"b": 2,}', 3, 8, /invalid JSON at line 3 column 8/],
  ];
  for (const [text, line, column, pattern] of cases) {
    assert.throws(
      () => parseDocument(text),
      (e) => e.name === "JobsimError" && e.code === "INVALID_SCENARIO" && e.line === line && e.column === column && pattern.test(e.message),
      JSON.stringify(text),
    );
  }
});

test("yaml: writes what the core reads back", () => {
  const tricky = [
    "yes", "No", "on", "123", "1e3", "0x1F", "a: b", "-x", "- x", " lead", "trail ", "#x", "x #y", "multi\nline",
    "", "null", "~", "true", "2026-01-01", "2026-01-01T00:00:00Z", "@x", "`x", "*x", "&x", "!x", "%x", "[x", "{x",
    "x,y", "x]", "é ü", "emoji 🚀", "key:", "a'b", 'a"b', "back\\slash", "tab\there", "run.googleapis.com/x", "30s",
    "us-docker.pkg.dev/demo/etl:1", "?", "? x", "|", ">", "...", "---", "007", "-007", "00.5", ".5", "1.", ".inf", ".NaN",
    "0o17", "0b101", "12:30", "1_000",
  ];
  const value = {
    strings: tricky,
    keys: Object.fromEntries(tricky.map((s, i) => [s || `empty${i}`, i])),
    numbers: [0, -1, 1.5, 1e21, 123456789012],
    bools: [true, false],
    nothing: null,
    empty: { list: [], map: {} },
    nested: [[1, [2, 3]], [{ a: [{ b: {} }] }], []],
    templates: TEMPLATES.map((t) => t.scenario),
    gcloud: parseDocument(GCLOUD_EXPORT),
  };
  const text = stringifyYaml(value);
  assert.deepEqual(parseDocument(text), value);
  assert.equal(stringifyYaml([]), "[]\n");
  assert.equal(parseDocument(stringifyYaml("just text")), "just text");
  // Plain where it can be: what the editor shows stays readable.
  assert.match(stringifyYaml({ image: "us-docker.pkg.dev/demo/etl:1", id: "007", d: "30s" }), /^image: us-docker\.pkg\.dev\/demo\/etl:1\nid: 007\nd: 30s\n$/);
});

test("time: RFC 3339 with microseconds, both ways", () => {
  const t = parseTime("2026-01-01T00:00:33.821525Z");
  assert.equal(t, 1767225633821525);
  assert.equal(formatTime(t), "2026-01-01T00:00:33.821525Z");
  assert.equal(parseTime("2026-01-01T01:00:00+01:00"), parseTime("2026-01-01T00:00:00Z"));
  assert.ok(Number.isNaN(parseTime("yesterday")));
  assert.equal(formatClock(t, parseTime("2026-01-01T00:00:00Z")), "00:00:33.821525");
  assert.equal(formatDuration(90.5e6), "1m30.5s");
});

test("permalink: a scenario survives the round trip, a damaged link is an error", async () => {
  const scenario = templateScenario("etl");
  const hash = await encodeScenario(scenario);
  assert.match(hash, /^s=[A-Za-z0-9_-]+$/);
  assert.deepEqual(await decodeScenario(`#${hash}`), scenario);
  const plainHash = `j=${Buffer.from(JSON.stringify(scenario)).toString("base64url")}`;
  assert.deepEqual(await decodeScenario(plainHash), scenario);
  assert.equal(await decodeScenario(""), null);
  assert.equal(await decodeScenario("#other=1"), null);
  await assert.rejects(decodeScenario("#s=%%%"), /damaged/);
  await assert.rejects(decodeScenario(`#s=${hash.slice(2, 12)}`), /damaged/);
  await assert.rejects(decodeScenario(`#j=${Buffer.from("[1]").toString("base64url")}`), /not hold a scenario/);
});

test("templates: each is a valid scenario that runs", () => {
  for (const t of TEMPLATES) {
    const scenario = templateScenario(t.id);
    const outcomes = Simulator.runScenario(scenario).trim().split("\n").filter(Boolean);
    assert.equal(outcomes.length, scenario.steps.length, t.id);
    for (const line of outcomes) assert.equal(JSON.parse(line).status, 200, `${t.id}: ${line}`);
  }
});

test("session: the recorded scenario rebuilds the same event log", () => {
  const s = new Session(Simulator, templateScenario("flaky"));
  assert.equal(s.apply({ call: "jobs.run", name: "sync-inventory" }).ok, true);
  assert.equal(s.stepToNext().ok, true);
  assert.equal(s.apply({ advance: "20s" }).ok, true);
  // A failing call is reported and not recorded.
  const bad = s.apply({ call: "jobs.get", name: "nope" });
  assert.equal(bad.ok, false);
  assert.equal(bad.error.code, "NOT_FOUND");
  assert.equal(s.apply({ call: "executions.cancel", latestOf: "nope" }).recorded, false);
  // Play in uneven slices, pause, play again until idle: one step per play.
  s.startPlay();
  const until = s.nowMicros + 40e6;
  for (let t = s.nowMicros; s.next !== null && t < until; t += 3.3e6) s.playTo(t);
  const paused = s.stopPlay();
  assert.ok(paused && "advanceTo" in paused);
  s.startPlay();
  for (let t = s.nowMicros; s.next !== null; t += 7.7e6) s.playTo(t);
  s.stopPlay();
  assert.equal(s.next, null);
  const kinds = s.steps.map((x) => Object.keys(x)[0]);
  assert.deepEqual(kinds, ["call", "call", "advanceTo", "advance", "advanceTo", "advanceTo"]);
  const again = new Session(Simulator, s.scenario());
  assert.deepEqual(again.events, s.events);
  // And `jobsim run` (runScenario) agrees on the end state.
  const probe = { ...s.scenario(), steps: [...s.scenario().steps, { call: "executions.get", latestOf: "sync-inventory" }] };
  const last = JSON.parse(Simulator.runScenario(probe).trim().split("\n").at(-1));
  assert.deepEqual(last.body, s.sim.call("executions.get", { latestOf: "sync-inventory" }));
  // Undo replays the rest.
  const before = s.events.length;
  s.undo();
  assert.ok(s.events.length < before);
  again.free();
  s.free();
});

test("session: time travel shows the state at an event and changes nothing", () => {
  const s = new Session(Simulator, templateScenario("fan-out"));
  s.apply({ call: "jobs.run", name: "render-frames" });
  s.apply({ runUntilIdle: true });
  const all = s.events.length;
  const timeline = buildTimeline(s.sim);
  assert.equal(attemptCount(timeline.executions[0]), 24);
  for (let k = 1; k <= all; k += 7) {
    const view = s.viewAt(k);
    assert.equal(view.k, k);
    assert.equal(view.now, parseTime(s.events[k - 1].time));
    const before = view.sim.events().length;
    const list = view.sim.read("executions.list", {});
    view.sim.read("tasks.list", {});
    assert.equal(view.sim.events().length, before, "reads never fire timers");
    const running = list.items?.[0]?.status?.runningCount ?? 0;
    const bars = buildTimeline(view.sim).executions[0];
    const runningBars = bars ? [...bars.tasks.values()].flat().filter((a) => a.outcome === "running").length : 0;
    assert.equal(running, runningBars, `runningCount at event ${k}`);
    view.release();
  }
  assert.equal(s.events.length, all);
  s.free();
});

test("D27: a seed above 2^53 survives the settings form, the permalink and time travel (finding 12)", async () => {
  const big = "18446744073709551615";
  assert.equal(seedOption(big), big);
  assert.equal(seedOption(" 42 "), 42);
  assert.equal(seedOption(String(Number.MAX_SAFE_INTEGER + 1)), "9007199254740992");
  assert.equal(seedOption(""), undefined);
  const scenario = { ...templateScenario("fan-out"), seed: seedOption(big) };
  const s = new Session(Simulator, scenario);
  s.apply({ call: "jobs.run", name: "render-frames" });
  s.apply({ runUntilIdle: true });
  assert.equal(s.events[0].payload.world.seed, big);
  // Time travel replays the log read through JSON.parse: the seed must come back exact.
  for (const k of [1, 5, s.events.length - 1]) {
    const view = s.viewAt(k);
    assert.equal(view.k, k);
    assert.equal(view.sim.events()[0].payload.world.seed, big);
    view.release();
  }
  // The permalink holds the seed as text and rebuilds the same log.
  const decoded = await decodeScenario(await encodeScenario(s.scenario()));
  assert.equal(decoded.seed, big);
  const again = new Session(Simulator, decoded);
  assert.deepEqual(again.events, s.events);
  again.free();
  s.free();
});

test("session: next event from nextTimerAt; a past state with a timer due at its now stays put", () => {
  const s = new Session(Simulator, templateScenario("fan-out"));
  s.apply({ call: "jobs.run", name: "render-frames" });
  assert.equal(s.nextAt, s.sim.nextTimerAt());
  assert.equal(s.next, parseTime(s.nextAt));
  assert.ok(s.next > s.nowMicros);
  const at = s.nextAt;
  assert.equal(s.stepToNext().ok, true);
  assert.deepEqual(s.steps.at(-1), { advanceTo: at }, "Next event records the core's time as is");
  assert.equal(s.sim.now(), at);
  s.apply({ runUntilIdle: true });
  assert.equal(s.next, null);
  assert.equal(s.stepToNext().idle, true);
  // Events that share an instant: the state after the first has a timer due at its now.
  let due = 0;
  for (let k = 1; k < s.events.length; k++) {
    const view = s.viewAt(k);
    if (view.sim.nextTimerAt() === view.sim.now()) {
      due++;
      const jobs = view.sim.read("jobs.list", {});
      view.sim.read("executions.list", {});
      assert.equal(view.sim.events().length, k, `event ${k}: reading fired nothing`);
      assert.deepEqual(view.sim.read("jobs.list", {}), jobs);
    }
    view.release();
  }
  assert.ok(due > 0, "some event is followed by another at the same instant");
  s.free();
});

test("timeline: task phases from events are the API's runningState at every event", () => {
  const runs = [
    ["flaky", [{ call: "jobs.run", name: "sync-inventory" }, { runUntilIdle: true }]],
    ["timeout", [{ call: "jobs.run", name: "nightly-report" }, { runUntilIdle: true }]],
    ["etl", [{ call: "jobs.run", name: "etl" }, { advance: "40s" }, { call: "executions.cancel", latestOf: "etl" }]],
    ["fan-out", [{ call: "jobs.run", name: "render-frames" }, { advance: "50s" }, { call: "executions.cancel", latestOf: "render-frames" }]],
  ];
  for (const [id, steps] of runs) {
    const s = new Session(Simulator, templateScenario(id));
    for (const step of steps) assert.equal(s.apply(step).ok, true, `${id}: ${JSON.stringify(step)}`);
    for (let k = 1; k <= s.events.length; k++) {
      const view = s.viewAt(k);
      const x = buildTimeline(view.sim).executions[0];
      if (x) {
        const tasks = view.sim.read("tasks.list", {}).items ?? [];
        for (const t of tasks) {
          const index = t.status?.index ?? 0;
          assert.equal(taskPhase(x, index), t.metadata.labels["run.googleapis.com/runningState"], `${id}, event ${k}, task ${index}`);
        }
      }
      view.release();
    }
    s.free();
  }
});

test("timeline: folding incrementally gives the fold from scratch; versions and membership say when the API's answers change (the demo's frame caches, issue #10 item 5)", () => {
  const s = new Session(Simulator, templateScenario("etl"));
  const steps = [
    { call: "jobs.run", name: "etl" },
    { advance: "5s" },
    { call: "jobs.run", name: "etl" },
    { advance: "40s" },
    { call: "executions.cancel", latestOf: "etl" },
    { call: "jobs.run", name: "etl" },
    { runUntilIdle: true },
  ];
  for (const step of steps) assert.equal(s.apply(step).ok, true, JSON.stringify(step));
  const first = buildTimeline(s.sim).executions[0].name;
  assert.equal(s.apply({ call: "executions.delete", name: first }).ok, true);
  assert.equal(s.apply({ call: "jobs.delete", name: "etl" }).ok, true);
  assert.equal(s.apply({ runUntilIdle: true }).ok, true);

  const cache = new TimelineCache();
  const seen = new Map(); // `${name}@${version}` → what the API and explain say then
  const lists = new Map(); // membership → executions.list names
  // The same steps again on a live simulator, one at a time: the cache reads only what changed
  // (the same simulator, a growing log); the result is a fresh projection's at every step.
  const live = new Simulator(s.options);
  s.steps.forEach((step, i) => {
    runStep(live, step, i);
    const incremental = cache.at({ sim: live, k: live.events().length });
    const fresh = buildTimeline(Simulator.replay(live.events()));
    assert.deepEqual(incremental, fresh, `step ${i}`);
  });
  assert.equal(cache.at({ sim: live, k: live.events().length }).folded, s.events.length);
  live.free();
  for (let k = 1; k <= s.events.length; k++) {
    const view = s.viewAt(k);
    const fresh = buildTimeline(view.sim);
    for (const x of fresh.executions) {
      let answer;
      try {
        answer = JSON.stringify([view.sim.read("executions.get", { name: x.name }), view.sim.explain(x.name)]);
      } catch (error) {
        answer = `${error.code}`;
      }
      const key = `${x.name}@${x.version}`;
      if (seen.has(key)) assert.equal(answer, seen.get(key), `${key}: same version, same execution (event ${k})`);
      seen.set(key, answer);
    }
    const listed = view.sim.read("executions.list", {}).items ?? [];
    for (const x of listed) assert.deepEqual(x, view.sim.read("executions.get", { name: x.metadata.name }), `a list item is the execution (event ${k})`);
    const names = listed.map((x) => x.metadata.name);
    if (lists.has(fresh.membership)) assert.deepEqual(names, lists.get(fresh.membership), `membership ${fresh.membership} (event ${k})`);
    lists.set(fresh.membership, names);
    view.release();
  }
  assert.ok(seen.size > 3 * 3 && lists.size >= 5, `the run covers several versions (${seen.size}) and memberships (${lists.size})`);
  // Another simulator starts a new model.
  const past = s.viewAt(3);
  assert.deepEqual(cache.at(past), buildTimeline(past.sim));
  past.release();
  s.free();
});

test("session: bad options keep the old simulator", () => {
  const s = new Session(Simulator, templateScenario("single"));
  const events = s.events.length;
  assert.throws(() => s.setOptions({ ...s.options, workloads: [{ job: "hello", failureRate: 2 }] }), /failureRate/);
  assert.equal(s.events.length, events);
  const bad = runStep(s.sim, { advance: "soon" }, 5);
  assert.equal(bad.ok, false);
  assert.equal(bad.error.field, "steps[5].advance", "the core names the field as data");
  assert.equal(bad.error.step, 5);
  s.free();
});

test("read-only sessions from an event log", () => {
  const s = new Session(Simulator, templateScenario("timeout"));
  s.apply({ call: "jobs.run", name: "nightly-report" });
  s.apply({ runUntilIdle: true });
  const r = new Session(Simulator, null, { readOnlyEvents: s.events });
  assert.equal(r.readOnly, true);
  assert.deepEqual(r.events, s.events);
  assert.equal(r.apply({ runUntilIdle: true }).ok, false);
  const x = buildTimeline(r.sim).executions[0];
  assert.equal([...x.tasks.values()].flat().filter((a) => a.outcome === "timedOut").length, 2);
  assert.throws(() => new Session(Simulator, null, { readOnlyEvents: [{ nope: 1 }] }), /INVALID_EVENT_LOG/);
  s.free();
  r.free();
});
