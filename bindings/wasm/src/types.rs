//! The TypeScript face: every type the JS API names, emitted into the generated `.d.ts` by
//! wasm-bindgen (`typescript_custom_section`). The exported functions in `lib.rs` refer to these
//! names through `unchecked_param_type` / `unchecked_return_type`, so the `.d.ts` is generated
//! from this crate and cannot drift from it. Field lists follow the v1 schema
//! (`shared/spec/cloud-run-jobs-v1.md`, Appendix A) and `jobsim-core`'s `event.rs`/`settings.rs`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_ERRORS: &str = r#"
/** RFC 3339 timestamp; jobsim writes UTC with 6 fractional digits (`2026-01-01T00:00:00.000000Z`). */
export type Timestamp = string;
/** A duration: `"90s"`, `"1m30s"`, `"2h"` … or a number of seconds. */
export type Duration = string | number;
/** An int64 field, written as a decimal string in v1 JSON (`"600"`). */
export type Int64String = string;

/** The stable `code` of every error jobsim throws. */
export type ErrorCode =
  | "NOT_FOUND"
  | "ALREADY_EXISTS"
  | "INVALID_ARGUMENT"
  | "ABORTED"
  | "FAILED_PRECONDITION"
  | "RESOURCE_EXHAUSTED"
  | "INVALID_SCENARIO"
  | "INVALID_EVENT_LOG";

/** The HTTP status of an error (`NOT_FOUND` 404, `ALREADY_EXISTS`/`ABORTED` 409, `RESOURCE_EXHAUSTED` 429, else 400). */
export type HttpErrorStatus = 400 | 404 | 409 | 429;

/** The canonical Google status of an error body: the {@link ErrorCode}, with `INVALID_SCENARIO` and `INVALID_EVENT_LOG` as `INVALID_ARGUMENT`. */
export type GoogleStatus = Exclude<ErrorCode, "INVALID_SCENARIO" | "INVALID_EVENT_LOG">;

/** One bad field, as in `google.rpc.BadRequest.fieldViolations`; `field` is absent for an unknown name at the top of a `jobs.run` body (D24). */
export interface FieldViolation { field?: string; description: string; }

/** The Google JSON error body Cloud Run answers with. */
export interface GoogleErrorBody {
  error: {
    /** The HTTP status. */
    code: HttpErrorStatus;
    message: string;
    /** The canonical Google status (`INVALID_SCENARIO`/`INVALID_EVENT_LOG` show as `INVALID_ARGUMENT`). */
    status: GoogleStatus;
    details?: Array<
      | { "@type": "type.googleapis.com/google.rpc.BadRequest"; fieldViolations: FieldViolation[] }
      | { "@type": "type.googleapis.com/jobsim.VersionConflict"; expectedVersion: number; actualVersion: number }
    >;
  };
}

/**
 * What every jobsim function throws: a real `Error` (`instanceof Error` holds) with
 * `name === "JobsimError"` and a `message` of the form `"CODE: text"`.
 */
export interface JobsimError extends Error {
  name: "JobsimError";
  code: ErrorCode;
  /** 404, 409, 429 or 400. */
  httpStatus: HttpErrorStatus;
  /** The Google error body (`{error: {code, message, status, details?}}`). */
  details: GoogleErrorBody;
  /** For an `ABORTED` event-log conflict: the version the append expected. */
  expectedVersion?: number;
  /** For an `ABORTED` event-log conflict: the version the log was at. */
  actualVersion?: number;
  /** `INVALID_SCENARIO`: the option or step field at fault, e.g. `workloads[0].failureRate`, `steps[3].call`. */
  field?: string;
  /** `INVALID_SCENARIO`: the 0-based index of the step at fault. */
  step?: number;
  /** `INVALID_SCENARIO` from text (`parseDocument`, `runScenario`): the 1-based line of the error. */
  line?: number;
  /** With `line`, when the parser knows it: the 1-based column of the error. */
  column?: number;
  /** From `runStep`: the outcome line of the refused step (its status and Google error body). */
  outcome?: ScenarioOutcome;
}
"#;

#[wasm_bindgen(typescript_custom_section)]
const TS_RESOURCES: &str = r#"
/** Kubernetes-style object metadata (v1 `ObjectMeta`). */
export interface ObjectMeta {
  name?: string;
  /** Project id or number on input; always the project number on output. */
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  generation?: number;
  resourceVersion?: string;
  uid?: string;
  selfLink?: string;
  creationTimestamp?: Timestamp;
  deletionTimestamp?: Timestamp;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  clusterName?: string;
  deletionGracePeriodSeconds?: number;
  generateName?: string;
}

export interface OwnerReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
  uid?: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** The condition types jobsim writes: `Ready` (job); `Completed`, `Started`, `ResourcesAvailable`, `ContainerReady`, `Retry` (execution); `Completed`, `Started` (task). */
export type ConditionType = "Ready" | "Completed" | "Started" | "ResourcesAvailable" | "ContainerReady" | "Retry";

/** A v1 condition (`GoogleCloudRunV1Condition`). */
export interface Condition {
  type: ConditionType;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
  severity?: "Error" | "Warning" | "Info";
  lastTransitionTime?: Timestamp;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name?: string; key: string }; configMapKeyRef?: unknown };
}

export interface ResourceRequirements {
  limits?: Record<string, string>;
  requests?: Record<string, string>;
}

export interface ContainerPort { name?: string; containerPort?: number; protocol?: string; }

export interface VolumeMount { name: string; mountPath: string; readOnly?: boolean; subPath?: string; }

export interface Container {
  image: string;
  name?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  resources?: ResourceRequirements;
  ports?: ContainerPort[];
  workingDir?: string;
  volumeMounts?: VolumeMount[];
  envFrom?: unknown[];
  imagePullPolicy?: string;
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  startupProbe?: unknown;
  securityContext?: unknown;
  terminationMessagePath?: string;
  terminationMessagePolicy?: string;
  sandboxLauncher?: boolean;
}

/** A volume of a task; jobsim keeps it as given. */
export interface Volume { name: string; [source: string]: unknown; }

export interface TaskSpec {
  containers?: Container[];
  /** Kept when explicitly 0; defaults to 3. */
  maxRetries?: number;
  /** int64 as a string; defaults to `"600"`. */
  timeoutSeconds?: Int64String;
  serviceAccountName?: string;
  volumes?: Volume[];
  nodeSelector?: Record<string, string>;
  terminationGracePeriodSeconds?: Int64String;
  /** Sandbox templates (newest v1 schema), kept as given. */
  sandboxes?: unknown;
}

export interface TaskTemplateSpec { spec?: TaskSpec; }

export interface ExecutionSpec {
  taskCount?: number;
  /** Absent on a job unless set; always present (effective value) on an execution. */
  parallelism?: number;
  delayExecution?: boolean;
  template?: TaskTemplateSpec;
}

export interface ExecutionTemplateSpec { metadata?: ObjectMeta; spec: ExecutionSpec; }

export interface JobSpec {
  template?: ExecutionTemplateSpec;
  startExecutionToken?: string;
  runExecutionToken?: string;
}

export type CompletionStatus =
  | "COMPLETION_STATUS_UNSPECIFIED"
  | "EXECUTION_SUCCEEDED"
  | "EXECUTION_FAILED"
  | "EXECUTION_RUNNING"
  | "EXECUTION_PENDING"
  | "EXECUTION_CANCELLED";

export interface ExecutionReference {
  name?: string;
  creationTimestamp?: Timestamp;
  completionTimestamp?: Timestamp;
  deletionTimestamp?: Timestamp;
  completionStatus?: CompletionStatus;
}

export interface JobStatus {
  conditions?: Condition[];
  executionCount?: number;
  latestCreatedExecution?: ExecutionReference;
  observedGeneration?: number;
}

/** A Cloud Run v1 Job. */
export interface Job {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: JobSpec;
  /** Output only. */
  status?: JobStatus;
}

export interface ExecutionStatus {
  observedGeneration?: number;
  conditions?: Condition[];
  startTime?: Timestamp;
  completionTime?: Timestamp;
  runningCount?: number;
  succeededCount?: number;
  failedCount?: number;
  cancelledCount?: number;
  retriedCount?: number;
  logUri?: string;
}

/** A Cloud Run v1 Execution (one run of a job). */
export interface Execution {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: ExecutionSpec;
  status?: ExecutionStatus;
}

/** The `google.rpc.Status` of a task attempt. */
export interface GoogleRpcStatus { code?: number; message?: string; details?: unknown[]; }

export interface TaskAttemptResult { exitCode?: number; termSignal?: number; status?: GoogleRpcStatus; }

export interface TaskStatus {
  index?: number;
  retried?: number;
  observedGeneration?: number;
  conditions?: Condition[];
  startTime?: Timestamp;
  completionTime?: Timestamp;
  lastAttemptResult?: TaskAttemptResult;
  logUri?: string;
}

/** A Cloud Run v1 Task (one index of an execution). */
export interface Task {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: TaskSpec;
  status?: TaskStatus;
}

/** `run.googleapis.com/runningState` label values of a task. */
export type TaskRunningState = "Pending" | "Running" | "Succeeded" | "Failed" | "Cancelled" | "Abandoned";

export interface ListMeta { continue?: string; resourceVersion?: string; selfLink?: string; }

export interface ListJobsResponse { apiVersion?: string; kind?: "JobsList"; metadata?: ListMeta; items?: Job[]; unreachable?: string[]; }
export interface ListExecutionsResponse { apiVersion?: string; kind?: "ExecutionsList"; metadata?: ListMeta; items?: Execution[]; unreachable?: string[]; }
export interface ListTasksResponse { apiVersion?: string; kind?: "TasksList"; metadata?: ListMeta; items?: Task[]; unreachable?: string[]; }

export interface ContainerOverride { name?: string; args?: string[]; env?: EnvVar[]; clearArgs?: boolean; }

export interface Overrides {
  containerOverrides?: ContainerOverride[];
  taskCount?: number;
  /** int32 seconds (a number, unlike `TaskSpec.timeoutSeconds`). */
  timeoutSeconds?: number;
  delayExecution?: boolean;
}

export interface RunJobRequest { overrides?: Overrides; }

/** `executions.cancel` takes an empty body. */
export interface CancelExecutionRequest {}

export interface StatusCause { field?: string; message?: string; reason?: string; }

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** The answer of the delete methods. */
export interface Status {
  status?: "Success" | "Failure";
  message?: string;
  reason?: string;
  code?: number;
  details?: StatusDetails;
  metadata?: ListMeta;
}
"#;

#[wasm_bindgen(typescript_custom_section)]
const TS_API: &str = r#"
/** Query parameters of the list methods. */
export interface ListQuery {
  /** `key=value`, `key!=value`, `key in (a,b)`, `key notIn (a,b)`, `key`, comma-separated. */
  labelSelector?: string;
  /** Page size (0 or absent: everything, up to 10,000). */
  limit?: number;
  /** `metadata.continue` of the previous page. */
  continue?: string;
}

/** Addresses an execution by name, or the latest execution of a job by the job's name. */
export type ExecutionTarget =
  | { name: string; latestOf?: undefined }
  | { latestOf: string; name?: undefined };

/** Params every method accepts; `namespace` is the project id or number (default: the simulator's). */
export interface CommonParams { namespace?: string; }

/** Params and response of every API method, by method id. */
export interface Methods {
  "jobs.create": { params: CommonParams & { body: Job; query?: { dryRun?: "all" } }; response: Job };
  "jobs.get": { params: CommonParams & { name: string }; response: Job };
  "jobs.list": { params: CommonParams & { query?: ListQuery }; response: ListJobsResponse };
  "jobs.replaceJob": { params: CommonParams & { name: string; body: Job; query?: { dryRun?: "all" } }; response: Job };
  "jobs.delete": { params: CommonParams & { name: string; query?: { dryRun?: "all"; force?: boolean; propagationPolicy?: string; apiVersion?: string; kind?: string } }; response: Status };
  "jobs.run": { params: CommonParams & { name: string; body?: RunJobRequest }; response: Execution };
  "executions.get": { params: CommonParams & ExecutionTarget; response: Execution };
  "executions.list": { params: CommonParams & { query?: ListQuery }; response: ListExecutionsResponse };
  "executions.delete": { params: CommonParams & ExecutionTarget & { query?: { propagationPolicy?: string; apiVersion?: string; kind?: string } }; response: Status };
  "executions.cancel": { params: CommonParams & ExecutionTarget & { body?: CancelExecutionRequest }; response: Execution };
  "tasks.get": { params: CommonParams & { name: string }; response: Task };
  "tasks.list": { params: CommonParams & { query?: ListQuery }; response: ListTasksResponse };
}

/** An API method id, e.g. `"jobs.create"`. */
export type Method = keyof Methods;
export type MethodParams<M extends Method> = Methods[M]["params"];
export type MethodResponse<M extends Method> = Methods[M]["response"];
/** The methods that change nothing (`*.get`, `*.list`): the ones `Simulator.read` accepts. */
export type ReadMethod = Extract<Method, `${string}.get` | `${string}.list`>;
/** `params` may be omitted exactly when every field of it is optional. */
export type MethodArgs<M extends Method> = {} extends MethodParams<M>
  ? [params?: MethodParams<M>]
  : [params: MethodParams<M>];

export interface Simulator {
  /**
   * One API call by method id; returns the response body as plain objects. API errors throw a
   * {@link JobsimError} (`NOT_FOUND`, `ALREADY_EXISTS`, `INVALID_ARGUMENT`, `ABORTED`,
   * `FAILED_PRECONDITION`, `RESOURCE_EXHAUSTED`); the instance keeps working afterwards.
   *
   * @example sim.call("jobs.create", { body: job });
   * @example sim.call("executions.cancel", { latestOf: "etl" });
   */
  call<M extends Method>(method: M, ...params: MethodArgs<M>): MethodResponse<M>;
  /**
   * A get or list call that fires no timer: unlike {@link Simulator.call}, which fires the timers
   * due at "now" after answering, it reads the state exactly as it is (e.g. a simulator rebuilt
   * at a past event with `Simulator.replay(events.slice(0, k))`). Same params and responses as
   * `call`; other methods throw `INVALID_ARGUMENT`.
   *
   * @example sim.read("executions.get", { latestOf: "etl" });
   */
  read<M extends ReadMethod>(method: M, ...params: MethodArgs<M>): MethodResponse<M>;
}
"#;

#[wasm_bindgen(typescript_custom_section)]
const TS_SCENARIO: &str = r#"
/** The simulated project (D16). */
export interface Project {
  /** Default `demo-project`. */
  id?: string;
  /** Default `123456789012`. */
  number?: string | number;
  /** Default `us-central1`. */
  region?: string;
  /** Caller email written as creator/lastModifier; default `simulator@example.com`. */
  caller?: string;
}

/** Quota stand-ins and the outside world (D9, D16). */
export interface Settings {
  /** Parallelism for jobs that leave it unset; absent = unlimited. */
  maxParallelism?: number | null;
  /** Non-terminal executions allowed before `jobs.run` answers 429; default 1000. */
  maxRunningExecutions?: number;
  /** Images that make a job `Ready=False` (`ContainerMissing`). */
  missingImages?: string[];
  /** Whether provisioning conditions carry messages; default true. */
  conditionMessages?: boolean;
}

/** Timing profile (D15). */
export type ProfileName = "instant" | "realistic";

/** How one job's attempts behave. */
export interface Workload {
  job: string;
  duration?: Duration;
  jitter?: Duration;
  /** Chance in [0, 1] that an attempt fails with `exitCode`. */
  failureRate?: number;
  exitCode?: number;
}

/** A fault addressed to (job, execution ordinal, task index, attempt); the most specific wins. */
export interface Fault {
  job: string;
  /** 1-based ordinal among the job's executions; absent = all. */
  execution?: number;
  task?: number;
  /** 0-based attempt; absent = every attempt. */
  attempt?: number;
  exitCode?: number;
  /** The attempt runs until its timeout. */
  hang?: boolean;
  duration?: Duration;
}

/** Options of `new Simulator(options)`: a scenario's top-level keys, all optional. */
export interface SimulatorOptions {
  /**
   * Seed of every id and random draw: a u64. As a number at most 2^53 - 1
   * (`Number.MAX_SAFE_INTEGER`; larger numbers are refused, they may already be rounded); any
   * u64 as a decimal string, e.g. `"18446744073709551615"` (D27).
   */
  seed?: number | string;
  /** Virtual time at start; default `2026-01-01T00:00:00Z`. */
  start?: Timestamp;
  /** Timing profile; default `realistic`. */
  profile?: ProfileName;
  project?: Project;
  settings?: Settings;
  workloads?: Workload[];
  faults?: Fault[];
}

/** One step of a scenario: an API call (method id in `call`, plus its params), or a clock move. */
export type ScenarioStep =
  | { [M in Method]: { call: M } & MethodParams<M> }[Method]
  | { advance: Duration }
  | { advanceTo: Timestamp }
  | { runUntilIdle: true };

/** A whole scenario, as `jobsim run` and `Simulator.runScenario` read it. */
export interface Scenario extends SimulatorOptions {
  steps: ScenarioStep[];
}

/**
 * One line of `Simulator.runScenario` output (and of `jobsim run --format json`): the outcome of
 * one step. API errors are outcomes too (`status` and the Google error body).
 */
export type ScenarioOutcome =
  | { [M in Method]: { step: number; call: M; status: 200; body: MethodResponse<M> } }[Method]
  | { step: number; call: Method; status: HttpErrorStatus; body: GoogleErrorBody }
  | { step: number; clock: ClockAction; now: Timestamp; events: number }
  | { step: number; clock: ClockAction; status: HttpErrorStatus; body: GoogleErrorBody };

/** The clock steps of a scenario, as an outcome line names them. */
export type ClockAction = "advance" | "advanceTo" | "runUntilIdle";
"#;

#[wasm_bindgen(typescript_custom_section)]
const TS_TIMELINE: &str = r#"
/** A parameter a call step may carry besides `call` (`callParams()` says which, per method). */
export type CallParam = "name" | "latestOf" | "namespace" | "body" | "query";

/** How an attempt stands: its outcome once it ended, `running`, or `cancelled` (stopped by a cancel or delete). */
export type AttemptOutcome = "running" | "succeeded" | "exited" | "timedOut" | "cancelled";

/** One attempt of one task in the timeline projection (times in microseconds since the epoch). */
export interface TimelineAttempt {
  task: number;
  /** 0-based; a retry is attempt 1 or more. */
  attempt: number;
  start: number;
  /** When it ended or was stopped; null while it runs. */
  end: number | null;
  outcome: AttemptOutcome;
  /** The exit code of an `exited` attempt. */
  code: number | null;
  /** When it ends or ended by itself (fixed when it started). */
  endsAt: number;
}

/** One execution in the timeline projection, deleted ones included. */
export interface ExecutionTimeline {
  name: string;
  job: string;
  ordinal: number;
  created: number;
  taskCount: number;
  parallelism: number;
  /** As the engine applies it (default 3). */
  maxRetries: number;
  /** As the engine applies it (default 600). */
  timeoutSeconds: number;
  startedAt: number | null;
  completedAt: number | null;
  /** Whether it completed with `Completed=True`; null until it completed. */
  succeeded: boolean | null;
  cancelledAt: number | null;
  deletedAt: number | null;
  /** Sequence of the last event that changed it (what the API shows of it included). */
  version: number;
  /** Attempts by task index (as a string key), in start order. */
  tasks: Record<string, TimelineAttempt[]>;
}

/** What `Simulator.timeline(sinceSequence)` returns: the executions changed after that sequence. */
export interface TimelineUpdate {
  /** The world's start (µs). */
  start: number;
  /** Sequence of the last event folded in (the log version). */
  folded: number;
  /** Sequence of the last event that created or removed an execution. */
  membership: number;
  /** How many executions the timeline has. */
  count: number;
  /** The changed executions, each with its index in creation order. */
  changed: Array<{ index: number; execution: ExecutionTimeline }>;
}
"#;

#[wasm_bindgen(typescript_custom_section)]
const TS_EVENTS: &str = r#"
/** How one task attempt ends. */
export type Outcome = { kind: "succeeded" } | { kind: "exited"; code: number } | { kind: "timedOut" };

/** The world as recorded in the `WorldStarted` event (durations and times in microseconds). */
export interface World {
  /** The u64 seed as a decimal string (D27; logs written before D27 have a number). */
  seed: string;
  start: number;
  profile: {
    name: ProfileName;
    jobReconcile: number;
    jobDeletion: number;
    containerReady: number;
    resourcesAvailable: number;
    firstTaskStarted: number;
    attemptDuration: number;
    retryDelay: number;
    retryCondition: number;
    delayedStart: number;
  };
  project: Required<Project>;
  settings: Required<Settings>;
  workloads: Array<{ job: string; duration: number | null; jitter: number; failureRate: number; exitCode: number }>;
  faults: Array<{
    job: string;
    execution: number | null;
    task: number | null;
    attempt: number | null;
    exitCode: number | null;
    hang: boolean;
    duration: number | null;
  }>;
}

/**
 * The environment Cloud Run gives a task attempt, as jobsim's `AttemptStarted` records it (numbers
 * as decimal strings). A log written elsewhere may carry other variables; replay keeps them as read.
 */
export interface AttemptEnv {
  CLOUD_RUN_EXECUTION: string;
  CLOUD_RUN_JOB: string;
  CLOUD_RUN_TASK_ATTEMPT: string;
  CLOUD_RUN_TASK_COUNT: string;
  CLOUD_RUN_TASK_INDEX: string;
}

/** The payload of every event type (schema 1). */
export interface EventPayloads {
  WorldStarted: { world: World };
  ClockMoved: {};
  JobCreated: { job: Job };
  JobReplaced: { job: Job };
  JobReconcileStarted: { name: string };
  JobReconciled: { name: string; ready: Condition };
  JobDeletionStarted: { name: string };
  JobDeleted: { name: string };
  ExecutionCreated: { execution: Execution; ordinal: number; token?: "start" | "run" };
  ContainerReady: { execution: string };
  /** The image could not be imported (D18): the execution failed before any task started. */
  ContainerMissing: { execution: string; message: string };
  ResourcesAvailable: { execution: string };
  ExecutionStarted: { execution: string };
  AttemptStarted: {
    execution: string;
    task: number;
    attempt: number;
    /** Microseconds since the epoch. */
    endsAt: number;
    outcome: Outcome;
    env: AttemptEnv;
  };
  AttemptEnded: { execution: string; task: number; attempt: number; outcome: Outcome };
  ExecutionCompleted: { execution: string; completed: Condition };
  ExecutionCancelled: { execution: string };
  ExecutionRetryNoted: { execution: string };
  ExecutionDeleted: { execution: string };
}

export type EventType = keyof EventPayloads;

/** One stored event, as `events()` returns and `Simulator.replay` accepts. */
export type EventEnvelope = {
  [T in EventType]: {
    /** `world`, `jobs/{name}` or `executions/{name}`. */
    stream: string;
    /** 1-based, without gaps. */
    sequence: number;
    /** ULID from the virtual time and the seed. */
    eventId: string;
    time: Timestamp;
    type: T;
    schema: number;
    payload: EventPayloads[T];
  };
}[EventType];

/** The whole state at one log version, as `snapshot()` returns and `Simulator.fromSnapshot` accepts. */
export interface Snapshot {
  version: number;
  state: unknown;
}
"#;
