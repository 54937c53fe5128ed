//! D26: what a replayed event log or a snapshot may say.
//!
//! A log or snapshot is input like any other: a hand-edited `taskCount: 2000000000` must not make
//! `evolve` allocate 2 × 10⁹ task records, and a `generation: 2147483647` must not wrap on the
//! next bump. So every number that sizes an allocation, or that later arithmetic adds to, is
//! checked against the range the R-rules give it *before* `evolve` builds anything from it:
//!
//! | number | where | range | why |
//! |---|---|---|---|
//! | `taskCount` | `ExecutionCreated`, `JobCreated`/`JobReplaced` spec, snapshot | 1–10,000 (R11) | sizes the task records |
//! | `parallelism` | same | 0–taskCount (1–taskCount on executions) | tasks started by one firing |
//! | `maxRetries` | same | 0–10 (R11) | attempts per task, events per execution |
//! | `timeoutSeconds` | same | 1–604,800 (R11) | attempt ends (time arithmetic) |
//! | `attempt`, `task` | `AttemptStarted`/`AttemptEnded` | ≤ 10, < 10,000 | task index, retries |
//! | `endsAt` | `AttemptStarted` | event time + 0…604,800 s | an attempt ends within its timeout |
//! | `generation`, `observedGeneration`, `executionCount`, ordinals | jobs, executions | 0–2³¹−1 (int32) | `+ 1` on replace, delete, run |
//! | profile delays, workload and fault durations | `WorldStarted`, snapshot | 0–10 years ([`MAX_DURATION`]) | `now + delay` |
//! | instants | `WorldStarted.start`, snapshot times and timers | 0–9999-12-31 + 10 years | sums of instants and delays |
//! | sequences, versions, timer sequence | envelopes, snapshot | ≤ 2⁵³−1 | exact in JavaScript; `+ 1` never overflows |
//! | counters | snapshot | ≤ the execution's task count | `+=` in `evolve` |
//!
//! Strings, maps and lists of a log are sized by the log's own bytes (the faces cap those:
//! 8 MiB scenarios, 64 Mi characters across the wasm boundary), never by a number in it.

use crate::event::{Envelope, Event};
use crate::resources::{Execution, ExecutionSpec, Job};
use crate::settings::{limits, World};
use crate::state::{ExecutionState, State};
use crate::time::{Micros, MAX_DURATION, MAX_TIME, SECOND};

/// Sequences live in [`limits`] (the event log needs them below this module).
pub use crate::settings::limits::MAX_SEQUENCE;

/// Latest instant a log or snapshot may hold: timers may be due up to 10 years after the end
/// of time (an attempt started just before it), so sums with a delay never overflow `i64`.
const LATEST: Micros = MAX_TIME + MAX_DURATION;

/// Longest attempt timeout, in microseconds (R11).
const MAX_TIMEOUT: Micros = limits::MAX_TIMEOUT_SECONDS * SECOND;

fn range<T: PartialOrd + std::fmt::Display>(what: &str, value: T, min: T, max: T) -> Result<(), String> {
    if value < min || value > max {
        return Err(format!("{what} {value} is out of range {min}..={max} (D26)"));
    }
    Ok(())
}

fn instant(what: &str, t: Micros) -> Result<(), String> {
    range(what, t, 0, LATEST)
}

fn duration(what: &str, d: Micros) -> Result<(), String> {
    range(what, d, 0, MAX_DURATION)
}

/// Checks one envelope read from a log before it is folded; the violation, described.
pub fn check_event(envelope: &Envelope) -> Result<(), String> {
    let at = |what: String| format!("event {} ({}): {what}", envelope.sequence, envelope.event.type_name());
    range("sequence", envelope.sequence, 1, MAX_SEQUENCE).map_err(at)?;
    instant("time", envelope.time).map_err(at)?;
    match &envelope.event {
        Event::WorldStarted { world } => check_world(world),
        Event::JobCreated { job } | Event::JobReplaced { job } => check_job(job),
        Event::ExecutionCreated { execution, ordinal, .. } => {
            range("ordinal", i64::from(*ordinal), 1, i64::from(i32::MAX)).and_then(|()| check_execution(execution))
        }
        Event::AttemptStarted { task, attempt, ends_at, .. } => check_attempt(*task, *attempt)
            .and_then(|()| range("endsAt", *ends_at, envelope.time, envelope.time.saturating_add(MAX_TIMEOUT))),
        Event::AttemptEnded { task, attempt, .. } => check_attempt(*task, *attempt),
        Event::ClockMoved {}
        | Event::JobReconcileStarted { .. }
        | Event::JobReconciled { .. }
        | Event::JobDeletionStarted { .. }
        | Event::JobDeleted { .. }
        | Event::ContainerReady { .. }
        | Event::ContainerMissing { .. }
        | Event::ResourcesAvailable { .. }
        | Event::ExecutionStarted { .. }
        | Event::ExecutionCompleted { .. }
        | Event::ExecutionCancelled { .. }
        | Event::ExecutionRetryNoted { .. }
        | Event::ExecutionDeleted { .. } => Ok(()),
    }
    .map_err(at)
}

fn check_attempt(task: u32, attempt: u32) -> Result<(), String> {
    range("task", task, 0, limits::MAX_TASK_COUNT as u32 - 1)?;
    range("attempt", attempt, 0, limits::MAX_RETRIES as u32)
}

/// The world of `WorldStarted` or of a snapshot: start, delays, workloads and faults.
pub fn check_world(world: &World) -> Result<(), String> {
    range("world.start", world.start, 0, MAX_TIME)?;
    let p = &world.profile;
    for (name, d) in [
        ("jobReconcile", p.job_reconcile),
        ("jobDeletion", p.job_deletion),
        ("containerReady", p.container_ready),
        ("resourcesAvailable", p.resources_available),
        ("firstTaskStarted", p.first_task_started),
        ("attemptDuration", p.attempt_duration),
        ("retryDelay", p.retry_delay),
        ("retryCondition", p.retry_condition),
        ("delayedStart", p.delayed_start),
    ] {
        duration(&format!("world.profile.{name}"), d)?;
    }
    if world.settings.max_parallelism == Some(0) {
        return Err("world.settings.maxParallelism 0 is out of range 1.. (D26)".into());
    }
    for (i, w) in world.workloads.iter().enumerate() {
        if let Some(d) = w.duration {
            duration(&format!("world.workloads[{i}].duration"), d)?;
        }
        duration(&format!("world.workloads[{i}].jitter"), w.jitter)?;
        if !(0.0..=1.0).contains(&w.failure_rate) {
            return Err(format!("world.workloads[{i}].failureRate {} is out of range 0..=1 (D26)", w.failure_rate));
        }
        range(&format!("world.workloads[{i}].exitCode"), w.exit_code, 0, 255)?;
    }
    for (i, f) in world.faults.iter().enumerate() {
        if let Some(d) = f.duration {
            duration(&format!("world.faults[{i}].duration"), d)?;
        }
        if let Some(code) = f.exit_code {
            range(&format!("world.faults[{i}].exitCode"), code, 0, 255)?;
        }
    }
    Ok(())
}

/// The numbers of an execution spec (a job's template, or an execution's own spec).
fn check_spec(what: &str, spec: &ExecutionSpec, min_tasks: i32) -> Result<(), String> {
    range(&format!("{what}.taskCount"), spec.task_count, min_tasks, limits::MAX_TASK_COUNT)?;
    range(&format!("{what}.parallelism"), spec.parallelism, min_tasks.min(1), spec.task_count.max(1))?;
    if let Some(ts) = spec.template.as_ref().map(|t| &t.spec) {
        if let Some(r) = ts.max_retries {
            range(&format!("{what}.template.spec.maxRetries"), r, 0, limits::MAX_RETRIES)?;
        }
        if let Some(t) = ts.timeout_seconds {
            range(&format!("{what}.template.spec.timeoutSeconds"), t, 1, limits::MAX_TIMEOUT_SECONDS)?;
        }
    }
    Ok(())
}

/// A stored job: generation and status counters (int32, bumped later) and its execution
/// template, which sizes every execution a later `jobs.run` creates.
pub fn check_job(job: &Job) -> Result<(), String> {
    let name = &job.metadata.name;
    let at = |e: String| format!("job {name}: {e}");
    range("metadata.generation", job.metadata.generation, 0, i32::MAX).map_err(at)?;
    if let Some(s) = &job.status {
        range("status.observedGeneration", s.observed_generation, 0, i32::MAX).map_err(at)?;
        range("status.executionCount", s.execution_count, 0, i32::MAX).map_err(at)?;
    }
    if let Some(t) = &job.spec.template {
        check_spec("spec.template.spec", &t.spec, 0).map_err(at)?;
    }
    Ok(())
}

/// An execution as created: its task count sizes the task records (R11).
pub fn check_execution(execution: &Execution) -> Result<(), String> {
    let name = &execution.metadata.name;
    check_spec("spec", &execution.spec, 1).map_err(|e| format!("execution {name}: {e}"))
}

/// A whole snapshot state, before any event is folded into it or any call is made on it. The
/// engine invariants (`invariants::check`) run after this, on numbers known to be in range.
pub fn check_state(state: &State) -> Result<(), String> {
    range("version", state.version, 0, MAX_SEQUENCE)?;
    instant("now", state.now)?;
    check_world(&state.world)?;
    range("timers.nextSeq", state.timers.next_seq(), 0, MAX_SEQUENCE)?;
    for ((due, _), _) in state.timers.iter() {
        instant("a timer's due time", *due)?;
    }
    for js in state.jobs.values() {
        check_job(&js.job)?;
        instant("job created", js.created)?;
        range(&format!("job {}: executionOrdinal", js.job.metadata.name), js.execution_ordinal, 0, i32::MAX as u32)?;
    }
    for e in state.executions.values() {
        check_execution_state(e)?;
    }
    Ok(())
}

fn check_execution_state(e: &ExecutionState) -> Result<(), String> {
    check_execution(&e.execution)?;
    let name = &e.execution.metadata.name;
    let at = |what: String| format!("execution {name}: {what}");
    let n = e.tasks.len() as u64;
    range("tasks", n, 1, limits::MAX_TASK_COUNT as u64).map_err(at)?;
    range("ordinal", e.ordinal, 1, i32::MAX as u32).map_err(at)?;
    range("parallelism", u64::from(e.parallelism), 1, n).map_err(at)?;
    range("maxRetries", e.max_retries, 0, limits::MAX_RETRIES as u32).map_err(at)?;
    range("timeout", e.timeout, SECOND, MAX_TIMEOUT).map_err(at)?;
    range("nextPending", u64::from(e.next_pending), 0, n).map_err(at)?;
    let c = &e.counters;
    for (what, v) in [
        ("running", c.running),
        ("succeeded", c.succeeded),
        ("failed", c.failed),
        ("cancelled", c.cancelled),
        ("retried", c.retried),
    ] {
        range(&format!("counters.{what}"), u64::from(v), 0, n).map_err(at)?;
    }
    let times = [
        Some(e.created),
        Some(e.updated),
        e.container_ready,
        e.resources_available,
        e.started,
        e.completion_time,
        e.retry_noted,
    ];
    for t in times.into_iter().flatten() {
        instant("a time", t).map_err(at)?;
    }
    for (i, t) in e.tasks.iter().enumerate() {
        let task = |what: String| format!("execution {name}, task {i}: {what}");
        range("attempt", t.attempt, 0, limits::MAX_RETRIES as u32).map_err(task)?;
        range("retried", t.retried, 0, limits::MAX_RETRIES as u32 + 1).map_err(task)?;
        for at in [t.start_time, t.attempt_start, t.completion_time].into_iter().flatten() {
            instant("a time", at).map_err(task)?;
        }
    }
    Ok(())
}
