//! The timeline projection: every execution of a log with its attempts per task (start, end,
//! outcome, exit code, timeout, retry), folded from the event envelopes.
//!
//! It is the ONE fold of the log into attempts: the CLI's text timeline, `explain` and the wasm
//! package (the web demo's Gantt) all read it, so they cannot disagree. It comes from the log
//! rather than the state because the state forgets what the timeline shows: deleted executions,
//! and every attempt but a task's last.
//!
//! The fold is incremental: [`Timeline::fold`] takes only the envelopes after the last one it
//! saw, and every execution carries `version` (the sequence of the last event that changed what
//! it shows, its API answers and its explanation included), while `membership` is the sequence
//! of the last event that created or removed an execution, so a face redraws only what moved.

use crate::event::{Envelope, Event, Outcome};
use crate::time::Micros;
use serde::Serialize;
use std::collections::BTreeMap;

/// How an attempt stands: its final outcome once it ended, `Running` while it runs, or
/// `Cancelled` when its execution was cancelled or deleted while it ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum AttemptOutcome {
    /// Still running (no `AttemptEnded` yet).
    Running,
    /// Exit code 0.
    Succeeded,
    /// Non-zero exit code (in `code`).
    Exited,
    /// Ran until `timeoutSeconds` (D5).
    TimedOut,
    /// Stopped by a cancel or delete of its execution (D4, D10).
    Cancelled,
}

/// One attempt of one task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attempt {
    /// Task index.
    pub task: u32,
    /// 0-based attempt (a retry is attempt ≥ 1).
    pub attempt: u32,
    /// Start time (µs since the epoch).
    pub start: Micros,
    /// When it ended (or was stopped); `None` while it runs.
    pub end: Option<Micros>,
    /// How it stands.
    pub outcome: AttemptOutcome,
    /// The exit code of an `Exited` attempt.
    pub code: Option<i32>,
    /// When it ends or ended by itself (fixed when it started; for a timeout, start + timeout).
    pub ends_at: Micros,
}

impl Attempt {
    /// The end and outcome of an attempt that ended by itself (not one stopped by a cancel).
    pub fn ended(&self) -> Option<(Micros, Outcome)> {
        let outcome = match self.outcome {
            AttemptOutcome::Succeeded => Outcome::Succeeded,
            AttemptOutcome::Exited => Outcome::Exited { code: self.code.unwrap_or_default() },
            AttemptOutcome::TimedOut => Outcome::TimedOut,
            AttemptOutcome::Running | AttemptOutcome::Cancelled => return None,
        };
        self.end.map(|at| (at, outcome))
    }
}

/// One execution as the log tells it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionTimeline {
    /// Execution name.
    pub name: String,
    /// The job it ran.
    pub job: String,
    /// 1-based ordinal among the job's executions.
    pub ordinal: u32,
    /// Creation time.
    pub created: Micros,
    /// Task count (`spec.taskCount`).
    pub task_count: u32,
    /// `spec.parallelism` as created (the effective value, D9).
    pub parallelism: i32,
    /// Retries allowed per task (`maxRetries`, default 3 as the engine applies it).
    pub max_retries: i32,
    /// Per-attempt timeout in seconds (`timeoutSeconds`, default 600).
    pub timeout_seconds: i64,
    /// `ExecutionStarted` time.
    pub started_at: Option<Micros>,
    /// `ExecutionCompleted` time.
    pub completed_at: Option<Micros>,
    /// Whether it completed successfully (`Completed=True`); `None` until it completed.
    pub succeeded: Option<bool>,
    /// `ExecutionCancelled` time.
    pub cancelled_at: Option<Micros>,
    /// When it was deleted (on its own or with its job).
    pub deleted_at: Option<Micros>,
    /// Sequence of the last event that changed it.
    pub version: u64,
    /// Attempts per task index, in start order.
    pub tasks: BTreeMap<u32, Vec<Attempt>>,
}

impl ExecutionTimeline {
    /// The attempts of task `index` (empty when it never started).
    pub fn attempts(&self, index: u32) -> &[Attempt] {
        self.tasks.get(&index).map_or(&[][..], Vec::as_slice)
    }

    /// Number of attempts over all tasks.
    pub fn attempt_count(&self) -> usize {
        self.tasks.values().map(Vec::len).sum()
    }
}

/// Every execution of a log, in creation order, with its attempts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Timeline {
    /// The world's start (µs), from `WorldStarted`.
    pub start: Micros,
    /// Sequence of the last envelope folded in (the log version it shows).
    pub folded: u64,
    /// Sequence of the last event that created or removed an execution.
    pub membership: u64,
    /// Executions in creation order (deleted ones included).
    pub executions: Vec<ExecutionTimeline>,
    /// Index in `executions` of the live execution of each name (a name may be used again).
    #[serde(skip)]
    live: BTreeMap<String, usize>,
    /// Indexes of each job's executions.
    #[serde(skip)]
    by_job: BTreeMap<String, Vec<usize>>,
    /// When set, only executions of this name are projected (one explanation needs no more).
    #[serde(skip)]
    only: Option<String>,
}

/// What changed in a timeline since a sequence: for faces that keep the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TimelineUpdate<'t> {
    /// The world's start (µs).
    pub start: Micros,
    /// Sequence of the last envelope folded in.
    pub folded: u64,
    /// Sequence of the last event that created or removed an execution.
    pub membership: u64,
    /// How many executions the timeline has (the changed ones are among them, by `index`).
    pub count: usize,
    /// The executions whose `version` is after the sequence asked for, with their index.
    pub changed: Vec<Changed<'t>>,
}

/// One changed execution and its index in [`Timeline::executions`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changed<'t> {
    /// Index in creation order.
    pub index: usize,
    /// The execution.
    pub execution: &'t ExecutionTimeline,
}

impl Timeline {
    /// The timeline of a whole log.
    pub fn of(envelopes: &[Envelope]) -> Timeline {
        let mut t = Timeline::default();
        t.fold(envelopes);
        t
    }

    /// The timeline of the executions named `name` only (the others are skipped, so it costs
    /// one execution's attempts, not the whole log's): what explaining one execution needs.
    pub fn of_execution(envelopes: &[Envelope], name: &str) -> Timeline {
        let mut t = Timeline { only: Some(name.to_string()), ..Timeline::default() };
        t.fold(envelopes);
        t
    }

    /// Folds in the envelopes after the last one folded (earlier ones are skipped, so passing
    /// the whole log again costs only the new events); returns how many were folded.
    pub fn fold(&mut self, envelopes: &[Envelope]) -> usize {
        // The log is sorted by sequence: skip what is already folded without looking at it.
        let from = envelopes.partition_point(|e| e.sequence <= self.folded);
        let new = envelopes.get(from..).unwrap_or_default();
        for env in new {
            self.apply(env);
            self.folded = env.sequence;
        }
        new.len()
    }

    /// The live (not deleted) execution named `name`.
    pub fn execution(&self, name: &str) -> Option<&ExecutionTimeline> {
        self.live.get(name).and_then(|i| self.executions.get(*i))
    }

    /// The executions changed after sequence `since` (0: all).
    pub fn changed_since(&self, since: u64) -> TimelineUpdate<'_> {
        TimelineUpdate {
            start: self.start,
            folded: self.folded,
            membership: self.membership,
            count: self.executions.len(),
            changed: self
                .executions
                .iter()
                .enumerate()
                .filter(|(_, x)| x.version > since)
                .map(|(index, execution)| Changed { index, execution })
                .collect(),
        }
    }

    fn own(&mut self, name: &str, sequence: u64) -> Option<&mut ExecutionTimeline> {
        let x = self.live.get(name).and_then(|i| self.executions.get_mut(*i))?;
        x.version = sequence;
        Some(x)
    }

    fn apply(&mut self, env: &Envelope) {
        let (at, seq) = (env.time, env.sequence);
        match &env.event {
            Event::WorldStarted { world } => self.start = world.start,
            Event::ExecutionCreated { execution, .. }
                if self.only.as_ref().is_some_and(|only| *only != execution.metadata.name) => {}
            Event::ExecutionCreated { execution, ordinal, .. } => {
                let meta = &execution.metadata;
                let spec = &execution.spec;
                let task = spec.task_spec();
                let job = meta
                    .labels
                    .get(crate::names::LABEL_JOB)
                    .cloned()
                    .or_else(|| meta.owner_references.first().map(|o| o.name.clone()))
                    .unwrap_or_default();
                let index = self.executions.len();
                self.live.insert(meta.name.clone(), index);
                self.by_job.entry(job.clone()).or_default().push(index);
                self.membership = seq;
                self.executions.push(ExecutionTimeline {
                    name: meta.name.clone(),
                    job,
                    ordinal: *ordinal,
                    created: at,
                    task_count: spec.task_count.max(1) as u32,
                    parallelism: spec.parallelism,
                    max_retries: task
                        .and_then(|t| t.max_retries)
                        .unwrap_or(crate::settings::limits::DEFAULT_MAX_RETRIES),
                    timeout_seconds: task
                        .and_then(|t| t.timeout_seconds)
                        .unwrap_or(crate::settings::limits::DEFAULT_TIMEOUT_SECONDS),
                    started_at: None,
                    completed_at: None,
                    succeeded: None,
                    cancelled_at: None,
                    deleted_at: None,
                    version: seq,
                    tasks: BTreeMap::new(),
                });
            }
            Event::ContainerReady { execution }
            | Event::ResourcesAvailable { execution }
            | Event::ExecutionRetryNoted { execution } => {
                self.own(execution, seq);
            }
            Event::ExecutionStarted { execution } => {
                if let Some(x) = self.own(execution, seq) {
                    x.started_at = Some(at);
                }
            }
            Event::AttemptStarted { execution, task, attempt, ends_at, .. } => {
                if let Some(x) = self.own(execution, seq) {
                    // Room for one attempt: most tasks have only one, and a 10,000-task
                    // execution then holds 48 bytes per task instead of Vec's first 192.
                    x.tasks.entry(*task).or_insert_with(|| Vec::with_capacity(1)).push(Attempt {
                        task: *task,
                        attempt: *attempt,
                        start: at,
                        end: None,
                        outcome: AttemptOutcome::Running,
                        code: None,
                        ends_at: *ends_at,
                    });
                }
            }
            Event::AttemptEnded { execution, task, attempt, outcome } => {
                let x = self.own(execution, seq);
                let attempts = x.and_then(|x| x.tasks.get_mut(task));
                if let Some(a) = attempts.and_then(|v| v.iter_mut().rev().find(|a| a.attempt == *attempt)) {
                    a.end = Some(at);
                    (a.outcome, a.code) = match outcome {
                        Outcome::Succeeded => (AttemptOutcome::Succeeded, None),
                        Outcome::Exited { code } => (AttemptOutcome::Exited, Some(*code)),
                        Outcome::TimedOut => (AttemptOutcome::TimedOut, None),
                    };
                }
            }
            Event::ExecutionCompleted { execution, completed } => {
                if let Some(x) = self.own(execution, seq) {
                    x.completed_at = Some(at);
                    x.succeeded = Some(completed.status == "True");
                }
            }
            // A missing image ends the execution at once, no task ever started (D18).
            Event::ContainerMissing { execution, .. } => {
                if let Some(x) = self.own(execution, seq) {
                    x.completed_at = Some(at);
                    x.succeeded = Some(false);
                }
            }
            Event::ExecutionCancelled { execution } => {
                if let Some(x) = self.own(execution, seq) {
                    x.cancelled_at = Some(at);
                    stop_running(x, at);
                }
            }
            Event::ExecutionDeleted { execution } => {
                if let Some(x) = self.own(execution, seq) {
                    x.deleted_at = Some(at);
                    stop_running(x, at);
                    self.membership = seq;
                    self.live.remove(execution);
                }
            }
            Event::JobDeletionStarted { name } => {
                for i in self.by_job.get(name).into_iter().flatten() {
                    if let Some(x) = self.executions.get_mut(*i) {
                        x.version = seq;
                    }
                }
            }
            Event::JobDeleted { name } => {
                self.membership = seq;
                for i in self.by_job.get(name).into_iter().flatten() {
                    if let Some(x) = self.executions.get_mut(*i) {
                        x.version = seq;
                        if x.deleted_at.is_none() {
                            x.deleted_at = Some(at);
                            stop_running(x, at);
                            if self.live.get(&x.name) == Some(i) {
                                self.live.remove(&x.name);
                            }
                        }
                    }
                }
            }
            Event::ClockMoved {}
            | Event::JobCreated { .. }
            | Event::JobReplaced { .. }
            | Event::JobReconcileStarted { .. }
            | Event::JobReconciled { .. } => {}
        }
    }
}

/// Ends the attempts of `x` still running at `at` as cancelled.
fn stop_running(x: &mut ExecutionTimeline, at: Micros) {
    for a in x.tasks.values_mut().flatten().filter(|a| a.outcome == AttemptOutcome::Running) {
        a.end = Some(at);
        a.outcome = AttemptOutcome::Cancelled;
    }
}
