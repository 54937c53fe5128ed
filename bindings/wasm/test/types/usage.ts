// Typed usage of the package from Node ESM, checked by `tsc --noEmit` (never executed).
// Lines marked @ts-expect-error must NOT type-check: they prove the types are not `any`.
import {
  Simulator,
  version,
  memoryBytes,
  parseDocument,
  type AttemptOutcome,
  type CallParam,
  type TimelineAttempt,
  type TimelineUpdate,
  type Condition,
  type ErrorCode,
  type EventEnvelope,
  type Execution,
  type HttpAnswer,
  type Job,
  type JobsimError,
  type ListExecutionsResponse,
  type ListTasksResponse,
  type ReadMethod,
  type Scenario,
  type ScenarioOutcome,
  type Snapshot,
  type Status,
  type Task,
  type Timestamp,
} from "jobsim";

const v: string = version();
const bytes: number = memoryBytes();

const job: Job = {
  apiVersion: "run.googleapis.com/v1",
  kind: "Job",
  metadata: { name: "etl", labels: { team: "data" } },
  spec: {
    template: {
      spec: {
        taskCount: 3,
        template: { spec: { maxRetries: 1, timeoutSeconds: "300", containers: [{ image: "gcr.io/p/etl:1" }] } },
      },
    },
  },
};

const sim = new Simulator({ seed: 7, profile: "instant", settings: { maxRunningExecutions: 5 } });
const defaults = new Simulator();

// call: params and response are typed by method id.
const created: Job = sim.call("jobs.create", { body: job });
const got: Job = sim.call("jobs.get", { name: "etl" });
const listed: Job[] | undefined = sim.call("jobs.list").items;
const execution: Execution = sim.call("jobs.run", { name: "etl", body: { overrides: { taskCount: 2 } } });
const cancelled: Execution = sim.call("executions.cancel", { latestOf: "etl" });
const byName: Execution = sim.call("executions.get", { name: execution.metadata?.name ?? "" });
const tasks: ListTasksResponse = sim.call("tasks.list", { query: { labelSelector: "run.googleapis.com/execution=etl-x" } });
const task: Task = sim.call("tasks.get", { name: "etl-x-task0" });
const deleted: Status = sim.call("jobs.delete", { name: "etl", query: { force: true } });
const completed: Condition | undefined = cancelled.status?.conditions?.find((c) => c.type === "Completed");
const state: "True" | "False" | "Unknown" | undefined = completed?.status;

// @ts-expect-error: unknown method id
sim.call("jobs.patch", {});
// @ts-expect-error: jobs.get needs params with a name
sim.call("jobs.get");
// @ts-expect-error: jobs.create needs a body
sim.call("jobs.create", { name: "etl" });
// @ts-expect-error: latestOf is for executions.* only
sim.call("jobs.get", { latestOf: "etl" });
// @ts-expect-error: name and latestOf exclude each other
sim.call("executions.get", { name: "a", latestOf: "b" });
// @ts-expect-error: the response of jobs.get is a Job, not an Execution's status
const wrong: number = sim.call("jobs.get", { name: "etl" }).status?.runningCount;

// read: the get and list methods, typed like call, firing no timer.
const readJob: Job = sim.read("jobs.get", { name: "etl" });
const readList: ListExecutionsResponse = sim.read("executions.list");
const readLatest: Execution = sim.read("executions.get", { latestOf: "etl" });
const readTasks: Task[] | undefined = sim.read("tasks.list", { query: { limit: 5 } }).items;
const readMethods: ReadMethod[] = ["jobs.get", "jobs.list", "executions.get", "executions.list", "tasks.get", "tasks.list"];
// @ts-expect-error: read takes only get and list methods
sim.read("jobs.run", { name: "etl" });
// @ts-expect-error: jobs.delete changes the world
const notRead: ReadMethod = "jobs.delete";
// @ts-expect-error: tasks.get needs params with a name
sim.read("tasks.get");
// @ts-expect-error: the response of executions.get is an Execution, not a list
const wrongRead: Execution[] = sim.read("executions.get", { name: "x" }).items;

// clock
const n1: number = sim.advance("90s");
const n2: number = sim.advance(30);
const n3: number = sim.advanceTo("2026-01-02T00:00:00Z");
const n4: number = sim.runUntilIdle();
const now: string = sim.now();
const nextAt: Timestamp | undefined = sim.nextTimerAt();
if (nextAt !== undefined) sim.advanceTo(nextAt);
// @ts-expect-error: nextTimerAt may be undefined (idle)
const nextAtString: string = sim.nextTimerAt();
// @ts-expect-error: a duration is a string or a number
sim.advance({ seconds: 1 });

// log
const events: EventEnvelope[] = sim.events();
const later: EventEnvelope[] = sim.events(10);
for (const e of events) {
  if (e.type === "AttemptStarted") {
    const endsAt: number = e.payload.endsAt;
    const exited: boolean = e.payload.outcome.kind === "exited";
  }
  if (e.type === "JobCreated") {
    const name: string | undefined = e.payload.job.metadata?.name;
  }
}
const snapshot: Snapshot = sim.snapshot();
const replayed: Simulator = Simulator.replay(events);
const seen: number = replayed.logVersion();
const appended: number = replayed.append(seen, later);
const bigSeed = new Simulator({ seed: "18446744073709551615" });
for (const e of bigSeed.events()) {
  if (e.type === "WorldStarted") {
    const seed: string = e.payload.world.seed;
  }
}
const restored: Simulator = Simulator.fromSnapshot(snapshot, later);
const restored2: Simulator = Simulator.fromSnapshot(snapshot);
const why: string = sim.explain("etl-x7k2p");

// scenarios
const scenario: Scenario = {
  seed: 7,
  profile: "realistic",
  workloads: [{ job: "etl", duration: "30s", jitter: "5s" }],
  faults: [{ job: "etl", execution: 1, task: 2, attempt: 0, exitCode: 1 }],
  steps: [
    { call: "jobs.create", body: job },
    { advance: "5s" },
    { call: "jobs.run", name: "etl" },
    { call: "executions.cancel", latestOf: "etl" },
    { advanceTo: "2026-01-01T01:00:00Z" },
    { runUntilIdle: true },
  ],
};
const jsonl: string = Simulator.runScenario(scenario);
const fromText: string = Simulator.runScenario("seed: 7\nsteps: []\n");
const outcomes = jsonl.trim().split("\n").map((line) => JSON.parse(line) as ScenarioOutcome);
// parseDocument: JSON or YAML text → an unknown value (check it before use).
const doc: unknown = parseDocument("seed: 7\nsteps: []\n");
const fromDoc: string = Simulator.runScenario(doc as Scenario);
// @ts-expect-error: the parsed value is unknown, not any
const docSeed: number = parseDocument("seed: 7").seed;
// @ts-expect-error: parseDocument takes text
parseDocument({ seed: 7 });
try {
  parseDocument("a: [");
} catch (err) {
  const e = err as JobsimError;
  const line: number | undefined = e.line;
  const column: number | undefined = e.column;
}
// @ts-expect-error: a step does one known thing
const badStep: Scenario = { steps: [{ sleep: "5s" }] };
// @ts-expect-error: profile is "instant" or "realistic"
new Simulator({ profile: "fast" });

// errors
try {
  sim.call("jobs.get", { name: "nope" });
} catch (err) {
  const e = err as JobsimError;
  const isError: boolean = e instanceof Error;
  const code: ErrorCode = e.code;
  const status: number = e.httpStatus;
  const google: string = e.details.error.status;
  const expected: number | undefined = e.expectedVersion;
  switch (e.code) {
    case "NOT_FOUND":
    case "ALREADY_EXISTS":
    case "INVALID_ARGUMENT":
    case "ABORTED":
    case "FAILED_PRECONDITION":
    case "RESOURCE_EXHAUSTED":
    case "INVALID_SCENARIO":
    case "INVALID_EVENT_LOG":
      break;
    default: {
      const never: never = e.code;
    }
  }
}

// lifetime
sim.free();
{
  using scoped = new Simulator();
  scoped.now();
}

// runStep, optionKeys, callParams, timeline (issue #10 item 4)
{
  const s = new Simulator();
  const o: ScenarioOutcome = s.runStep({ call: "jobs.get", name: "etl" }, 0);
  const keys: string[] = Simulator.optionKeys();
  const params: CallParam[] = Simulator.callParams()["jobs.run"];
  const writes: boolean = Simulator.isMutation({ runUntilIdle: true });
  const t: TimelineUpdate = s.timeline(0);
  const first: TimelineAttempt | undefined = t.changed[0]?.execution.tasks["0"]?.[0];
  const outcome: AttemptOutcome | undefined = first?.outcome;
  // @ts-expect-error: a step needs a known method id
  s.runStep({ call: "jobs.nope" });
  try {
    s.runStep({ advance: "soon" });
  } catch (err) {
    const e = err as JobsimError;
    const field: string | undefined = e.field;
    const step: number | undefined = e.step;
    const line: number | undefined = e.line;
  }
}

{
  // sim.handle: the HTTP route table of `jobsim serve`, in-process.
  const s = new Simulator();
  const a: HttpAnswer = s.handle("GET", "/apis/run.googleapis.com/v1/namespaces/demo-project/jobs");
  const status: number = a.status;
  const body: string = s.handle("POST", "/jobsim/v1/clock:advance", '{"duration": "90s"}').body;
  // @ts-expect-error: the answer's body is text, not an object
  const parsed: { items: unknown[] } = a.body;
}
