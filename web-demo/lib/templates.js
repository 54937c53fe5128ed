// Built-in starting points: each is a scenario (options + the step that creates its job). The
// page records every action after that as further steps.

const START = "2026-01-01T00:00:00Z";
const IMAGE = "us-docker.pkg.dev/cloudrun/container/job:latest";

/** A v1 Job body as `gcloud run jobs describe --format export` would print it (trimmed). */
function job(name, { taskCount, parallelism, maxRetries, timeoutSeconds = "600", labels = {}, args, env }) {
  const container = { image: IMAGE };
  if (args) container.args = args;
  if (env) container.env = Object.entries(env).map(([k, v]) => ({ name: k, value: v }));
  const exec = { taskCount };
  if (parallelism !== undefined) exec.parallelism = parallelism;
  exec.template = { spec: { containers: [container], maxRetries, timeoutSeconds } };
  return {
    apiVersion: "run.googleapis.com/v1",
    kind: "Job",
    metadata: { name, labels: { ...labels } },
    spec: { template: { spec: exec } },
  };
}

function scenario({ seed, profile = "realistic", workloads = [], faults = [], body }) {
  return {
    seed,
    start: START,
    profile,
    workloads,
    faults,
    steps: [{ call: "jobs.create", body }],
  };
}

export const TEMPLATES = [
  {
    id: "single",
    title: "Single task",
    summary: "One task that runs about 20 seconds and succeeds.",
    scenario: scenario({
      seed: 1,
      workloads: [{ job: "hello", duration: "20s", jitter: "3s" }],
      body: job("hello", { taskCount: 1, maxRetries: 0, labels: { team: "web" } }),
    }),
  },
  {
    id: "fan-out",
    title: "Fan-out with parallelism",
    summary: "24 tasks, at most 6 at a time, 30–50 seconds each.",
    scenario: scenario({
      seed: 2,
      workloads: [{ job: "render-frames", duration: "40s", jitter: "10s" }],
      body: job("render-frames", {
        taskCount: 24,
        parallelism: 6,
        maxRetries: 1,
        labels: { team: "media" },
        args: ["--frames-per-task", "250"],
      }),
    }),
  },
  {
    id: "flaky",
    title: "Flaky with retries",
    summary: "8 tasks that fail a third of the time (exit 1) and retry up to 3 times.",
    scenario: scenario({
      seed: 42,
      workloads: [{ job: "sync-inventory", duration: "25s", jitter: "10s", failureRate: 0.35, exitCode: 1 }],
      body: job("sync-inventory", { taskCount: 8, parallelism: 4, maxRetries: 3, labels: { team: "shop" } }),
    }),
  },
  {
    id: "timeout",
    title: "Times out",
    summary: "3 tasks with a 90 s timeout; task 2 hangs, times out twice and fails the execution.",
    scenario: scenario({
      seed: 7,
      workloads: [{ job: "nightly-report", duration: "45s", jitter: "15s" }],
      faults: [{ job: "nightly-report", task: 2, hang: true }],
      body: job("nightly-report", {
        taskCount: 3,
        parallelism: 3,
        maxRetries: 1,
        timeoutSeconds: "90",
        labels: { team: "finance" },
        env: { REPORT: "daily" },
      }),
    }),
  },
  {
    id: "etl",
    title: "ETL with faults (scenarios/etl-retries.yaml)",
    summary: "10 tasks, parallelism 4: task 2 fails once and recovers, task 3 exits 137 then hangs.",
    scenario: {
      seed: 7,
      start: START,
      profile: "realistic",
      project: { id: "demo-project", number: "123456789012", region: "us-central1" },
      workloads: [{ job: "etl", duration: "30s", jitter: "5s" }],
      faults: [
        { job: "etl", execution: 1, task: 2, attempt: 0, exitCode: 1 },
        { job: "etl", execution: 1, task: 3, attempt: 0, exitCode: 137 },
        { job: "etl", execution: 1, task: 3, attempt: 1, hang: true },
      ],
      steps: [
        {
          call: "jobs.create",
          body: {
            apiVersion: "run.googleapis.com/v1",
            kind: "Job",
            metadata: { name: "etl", labels: { team: "data" } },
            spec: {
              template: {
                spec: {
                  taskCount: 10,
                  parallelism: 4,
                  template: {
                    spec: {
                      containers: [{ image: "us-docker.pkg.dev/demo/etl:1" }],
                      maxRetries: 1,
                      timeoutSeconds: "120",
                    },
                  },
                },
              },
            },
          },
        },
      ],
    },
  },
  {
    id: "empty",
    title: "Empty project (paste your own Job)",
    summary: "No jobs yet: paste a Job in YAML or JSON and create it.",
    scenario: { seed: 1, start: START, profile: "realistic", workloads: [], faults: [], steps: [] },
  },
];

export const DEFAULT_TEMPLATE = "flaky";

/** A deep copy of a template's scenario. */
export function templateScenario(id) {
  const t = TEMPLATES.find((x) => x.id === id);
  if (!t) throw new Error(`no template ${JSON.stringify(id)}`);
  return structuredClone(t.scenario);
}
