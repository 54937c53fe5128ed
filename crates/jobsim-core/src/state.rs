//! The simulator's state: what `evolve` folds events into and what `render` reads.
//!
//! Jobs keep their whole resource (a few per project). Executions keep metadata and spec plus
//! compact engine fields; tasks are compact records rendered on demand, so a 10,000-task
//! execution stays small.

use crate::clock::{TimerKey, Timers};
use crate::event::{EnvNames, Outcome, TokenKind};
use crate::random::Partial;
use crate::resources::{Condition, Execution, Job};
use crate::settings::World;
use crate::time::Micros;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The whole simulated world at one moment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct State {
    /// The world the simulator started with (from the first event).
    pub world: World,
    /// Virtual now.
    pub now: Micros,
    /// Sequence of the last event folded in (0 = empty log).
    pub version: u64,
    /// Jobs by name.
    pub jobs: BTreeMap<String, JobState>,
    /// Executions by name.
    pub executions: BTreeMap<String, ExecutionState>,
    /// Pending timers.
    pub timers: Timers,
}

/// A job: its resource as the API renders it, and bookkeeping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobState {
    /// The stored job (metadata, spec, status).
    pub job: Job,
    /// Creation time (sort key of lists).
    pub created: Micros,
    /// Executions of this job, oldest first.
    pub executions: Vec<String>,
    /// How many executions the job ever had (ordinals are 1-based).
    pub execution_ordinal: u32,
    /// Whether deletion started (R30).
    pub deleting: bool,
    /// The job's pending timer (reconcile or deletion).
    pub timer: Option<TimerKey>,
    /// `Ready` as the job's token execution decided it when it ended (or started, for a start
    /// token), kept so that reconciliation still knows it after that execution is deleted (D19).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_end: Option<TokenEnd>,
}

/// The `Ready` a token execution decided (R15, D7, D19).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenEnd {
    /// The token execution's name (`{job}-{token}`).
    pub execution: String,
    /// The `Ready` condition it decided (its time is not used).
    pub ready: Condition,
}

/// The lifecycle phase of a task (the `runningState` label).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    /// Not started yet.
    Pending,
    /// An attempt is running or about to retry.
    Running,
    /// The last attempt succeeded.
    Succeeded,
    /// Out of retries; the last attempt failed.
    Failed,
    /// Was running when the execution was cancelled.
    Cancelled,
    /// Never started; the execution was cancelled.
    Abandoned,
}

impl Phase {
    /// The label value (`Pending`, `Running`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Pending => "Pending",
            Phase::Running => "Running",
            Phase::Succeeded => "Succeeded",
            Phase::Failed => "Failed",
            Phase::Cancelled => "Cancelled",
            Phase::Abandoned => "Abandoned",
        }
    }

    /// Whether the task will not change any more.
    pub fn is_terminal(self) -> bool {
        !matches!(self, Phase::Pending | Phase::Running)
    }
}

/// One task, compactly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskState {
    /// Phase.
    pub phase: Phase,
    /// Attempts that ended and were retried.
    pub retried: u32,
    /// The current (or last) attempt, 0-based.
    pub attempt: u32,
    /// First attempt's start.
    pub start_time: Option<Micros>,
    /// Current attempt's start.
    pub attempt_start: Option<Micros>,
    /// When the task became terminal.
    pub completion_time: Option<Micros>,
    /// How the running attempt will end (fixed at its start).
    pub pending_outcome: Option<Outcome>,
    /// How the last finished attempt ended.
    pub last_outcome: Option<Outcome>,
    /// Pending timer (attempt end or retry start).
    pub timer: Option<TimerKey>,
    /// The instant its `resourceVersion` encodes: its last write, strictly increasing (D17).
    pub version: Micros,
}

impl TaskState {
    /// A task that has not started, created at `created`.
    pub fn pending(created: Micros) -> TaskState {
        TaskState {
            phase: Phase::Pending,
            retried: 0,
            attempt: 0,
            start_time: None,
            attempt_start: None,
            completion_time: None,
            pending_outcome: None,
            last_outcome: None,
            timer: None,
            version: created,
        }
    }
}

/// Task counters of an execution (R26), kept up to date by `evolve`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Counters {
    /// Tasks Running.
    pub running: u32,
    /// Tasks Succeeded.
    pub succeeded: u32,
    /// Tasks Failed.
    pub failed: u32,
    /// Tasks Cancelled or Abandoned (D4).
    pub cancelled: u32,
    /// Tasks retried at least once.
    pub retried: u32,
}

impl Counters {
    /// Tasks in a terminal phase.
    pub fn terminal(&self) -> u32 {
        self.succeeded.saturating_add(self.failed).saturating_add(self.cancelled)
    }
}

/// An execution: its stored metadata and spec, and the engine's view of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionState {
    /// Metadata and spec as created (status is rendered from the fields below).
    pub execution: Execution,
    /// The owning job.
    pub job: String,
    /// 1-based ordinal among the job's executions.
    pub ordinal: u32,
    /// The token that created it, if any.
    pub token: Option<TokenKind>,
    /// Creation time.
    pub created: Micros,
    /// Effective parallelism (D9).
    pub parallelism: u32,
    /// Retries allowed per task.
    pub max_retries: u32,
    /// Per-attempt timeout.
    pub timeout: Micros,
    /// Whether the start was delayed (D13).
    pub delayed: bool,
    /// `ContainerReady` time (True, or False when `container_missing`).
    pub container_ready: Option<Micros>,
    /// The image was missing at `ContainerReady` (D18): the job's `Image '…' not found.` message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_missing: Option<String>,
    /// `ResourcesAvailable=True` time.
    pub resources_available: Option<Micros>,
    /// `Started=True` time (= `startTime`).
    pub started: Option<Micros>,
    /// The terminal `Completed` condition and its time (= `completionTime`).
    pub completed: Option<Condition>,
    /// Completion time.
    pub completion_time: Option<Micros>,
    /// `Retry` condition time (D11).
    pub retry_noted: Option<Micros>,
    /// Whether it was cancelled.
    pub cancelled: bool,
    /// Task counters.
    pub counters: Counters,
    /// Lowest index of a Failed task and how its last attempt ended (R25 message).
    pub first_failure: Option<(u32, Outcome)>,
    /// Lowest index that may still be Pending.
    pub next_pending: u32,
    /// The instant its `resourceVersion` encodes (R7): its last write, strictly increasing, so
    /// it may run ahead of now by 1 µs per write at one instant (D17).
    pub updated: Micros,
    /// Tasks by index.
    pub tasks: Vec<TaskState>,
    /// Pending provisioning or `Retry` timer.
    pub timer: Option<TimerKey>,
    /// What its attempts share, derived once (names, partial draws).
    #[serde(skip)]
    pub shared: AttemptCache,
}

/// What every attempt of an execution shares, derived when its `ExecutionCreated` is folded
/// (BENCHMARKS.md, "Issue 10 — engine speed, fifth pass"): the names of their environment (made
/// once instead of per attempt) and their draws with the seed, the stream, the job and the
/// execution's ordinal already mixed in. A cache, not state: never written, empty in a state
/// read from a snapshot (its attempts then derive the same values each time), and never making
/// two states unequal.
#[derive(Clone, Default)]
pub struct AttemptCache(pub Option<AttemptShared>);

/// See [`AttemptCache`].
#[derive(Debug, Clone)]
pub struct AttemptShared {
    /// `CLOUD_RUN_EXECUTION` and `CLOUD_RUN_JOB` in one shared string.
    pub names: Option<EnvNames>,
    /// The jitter draw of an attempt, before its task and attempt keys.
    pub jitter: Partial,
    /// The failure draw of an attempt, before its task and attempt keys.
    pub failure: Partial,
}

impl PartialEq for AttemptCache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for AttemptCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AttemptCache")
    }
}

impl ExecutionState {
    /// Whether every task is terminal and the execution has its final `Completed`.
    pub fn is_terminal(&self) -> bool {
        self.completed.is_some()
    }

    /// Task count.
    pub fn task_count(&self) -> u32 {
        self.tasks.len() as u32
    }
}

impl State {
    /// A job by name, or None.
    pub fn job(&self, name: &str) -> Option<&JobState> {
        self.jobs.get(name)
    }

    /// An execution by name, or None.
    pub fn execution(&self, name: &str) -> Option<&ExecutionState> {
        self.executions.get(name)
    }

    /// Non-terminal executions in the project (R16 quota).
    pub fn running_executions(&self) -> usize {
        self.executions.values().filter(|e| !e.is_terminal()).count()
    }
}

/// Phase a task ends in after an attempt outcome, given its retries (R22).
pub fn phase_after(outcome: Outcome, retried: u32, max_retries: u32) -> Phase {
    if outcome.is_success() {
        Phase::Succeeded
    } else if retried < max_retries {
        Phase::Running
    } else {
        Phase::Failed
    }
}
