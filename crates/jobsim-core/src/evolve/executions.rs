//! The `executions/{name}` stream, the execution's own events: creation, provisioning, start,
//! completion, cancel, the `Retry` note and deletion — and what they write on the owning job
//! (`latestCreatedExecution`, R19; a token execution's `Ready`, D19). Attempts are in `tasks.rs`.

use super::writes::{bump_job, provisioning_base, remove_execution, reschedule, touch};
use crate::clock::Timer;
use crate::event::{EnvNames, TokenKind};
use crate::resources::{Condition, Execution, ExecutionReference, JobStatus};
use crate::state::{AttemptCache, AttemptShared, Counters, ExecutionState, Phase, State, TaskState, TokenEnd};
use crate::time::{format_timestamp, next_write, Micros};

/// `ExecutionCreated`: every task `Pending`; provisioning starts (D13: maybe delayed).
pub(super) fn created(state: &mut State, execution: &Execution, ordinal: u32, token: Option<TokenKind>, now: Micros) {
    let name = execution.metadata.name.clone();
    let job_name = execution.metadata.labels.get(crate::names::LABEL_JOB).cloned().unwrap_or_default();
    let spec = &execution.spec;
    let ts = spec.template.as_ref().map(|t| &t.spec);
    let task_count = spec.task_count.max(1) as usize;
    let max_retries = ts.and_then(|t| t.max_retries).unwrap_or(crate::settings::limits::DEFAULT_MAX_RETRIES);
    let timeout = ts
        .and_then(|t| t.timeout_seconds)
        .unwrap_or(crate::settings::limits::DEFAULT_TIMEOUT_SECONDS)
        .saturating_mul(1_000_000);
    let profile = &state.world.profile;
    let mut e = ExecutionState {
        execution: execution.clone(),
        job: job_name.clone(),
        ordinal,
        token,
        created: now,
        parallelism: spec.parallelism.max(1) as u32,
        max_retries: max_retries.max(0) as u32,
        timeout,
        delayed: spec.delay_execution,
        container_ready: None,
        resources_available: None,
        started: None,
        completed: None,
        completion_time: None,
        retry_noted: None,
        cancelled: false,
        counters: Counters::default(),
        first_failure: None,
        next_pending: 0,
        updated: now,
        tasks: vec![TaskState::pending(now); task_count],
        container_missing: None,
        timer: None,
        shared: AttemptCache(Some(AttemptShared {
            names: EnvNames::new(&name, &job_name),
            ..crate::decide::scheduler::attempt_draws(state.world.seed, &job_name, ordinal)
        })),
    };
    let due = provisioning_base(&e, profile.delayed_start) + profile.container_ready;
    e.timer = Some(state.timers.schedule(due, Timer::ContainerReady { execution: name.clone() }));
    state.executions.insert(name.clone(), e);
    if let Some(js) = state.jobs.get_mut(&job_name) {
        js.executions.push(name.clone());
        js.execution_ordinal = js.execution_ordinal.max(ordinal);
        let status = js.job.status.get_or_insert_with(JobStatus::default);
        status.execution_count = status.execution_count.saturating_add(1); // decide refuses beyond int32 (D26)
        status.latest_created_execution = Some(ExecutionReference {
            name,
            creation_timestamp: format_timestamp(now),
            completion_status: "EXECUTION_PENDING".into(),
            ..ExecutionReference::default()
        });
        bump_job(js, now);
    }
}

/// `ContainerReady`: the image is imported; resources come next.
pub(super) fn container_ready(state: &mut State, execution: &str, now: Micros) {
    let delay = state.world.profile.resources_available;
    let next = Timer::ResourcesAvailable { execution: execution.to_string() };
    provisioning_step(state, execution, now, |e| &mut e.container_ready, delay, next);
}

/// `ContainerMissing` (D18): every task `Abandoned`, the execution failed; `Retry` follows (D11).
pub(super) fn container_missing(state: &mut State, execution: &str, message: &str, now: Micros) {
    let retry_delay = state.world.profile.retry_condition;
    let Some(e) = state.executions.get_mut(execution) else { return };
    e.container_ready = Some(now);
    e.container_missing = Some(message.to_string());
    for t in &mut e.tasks {
        state.timers.cancel(t.timer.take());
        t.pending_outcome = None;
        if t.phase == Phase::Pending {
            t.phase = Phase::Abandoned;
            t.version = next_write(t.version, now);
        }
    }
    let task_count = e.task_count();
    let c = &mut e.counters;
    c.cancelled += task_count.saturating_sub(c.terminal());
    c.running = 0;
    e.next_pending = task_count;
    let completed = Condition {
        type_: "Completed".into(),
        status: "False".into(),
        reason: "ContainerMissing".into(),
        message: message.to_string(),
        last_transition_time: format_timestamp(now),
        ..Condition::default()
    };
    e.completed = Some(completed.clone());
    e.completion_time = Some(now);
    state.timers.cancel(e.timer.take());
    // A failed execution gets the Retry condition like any other (D11).
    e.timer =
        Some(state.timers.schedule(now + retry_delay, Timer::RetryCondition { execution: execution.to_string() }));
    touch(e, now);
    let job = e.job.clone();
    finish_latest(state, &job, execution, "EXECUTION_FAILED", now);
    record_token_end(state, execution, crate::conditions::ready_after_end(execution, Some(&completed)));
}

/// `ResourcesAvailable`: the first tasks start next.
pub(super) fn resources_available(state: &mut State, execution: &str, now: Micros) {
    let delay = state.world.profile.first_task_started;
    let next = Timer::StartTasks { execution: execution.to_string() };
    provisioning_step(state, execution, now, |e| &mut e.resources_available, delay, next);
}

/// A provisioning step done at `now`: `mark` records it, and `next` is due `delay` after the
/// provisioning base (D13), never before now.
fn provisioning_step(
    state: &mut State,
    execution: &str,
    now: Micros,
    mark: fn(&mut ExecutionState) -> &mut Option<Micros>,
    delay: Micros,
    next: Timer,
) {
    let delayed_start = state.world.profile.delayed_start;
    let Some(e) = state.executions.get_mut(execution) else { return };
    *mark(e) = Some(now);
    let due = (provisioning_base(e, delayed_start) + delay).max(now);
    reschedule(&mut state.timers, &mut e.timer, due, next);
    touch(e, now);
}

/// `ExecutionStarted`: `Started=True`; every task shows its `scheduled-time` (D17); the job's
/// latest execution is running (R19); a start token decides its job's `Ready` (D19).
pub(super) fn started(state: &mut State, execution: &str, now: Micros) {
    let Some(e) = state.executions.get_mut(execution) else { return };
    e.started = Some(now);
    state.timers.cancel(e.timer.take());
    touch(e, now);
    // Every task now shows the `scheduled-time` annotation: a write of each (D17).
    for t in &mut e.tasks {
        t.version = next_write(t.version, now);
    }
    let job = e.job.clone();
    if let Some(js) = state.jobs.get_mut(&job) {
        let latest = js.job.status.as_mut().and_then(|s| s.latest_created_execution.as_mut());
        if let Some(latest) = latest.filter(|l| l.name == execution) {
            latest.completion_status = "EXECUTION_RUNNING".into(); // R19
            bump_job(js, now);
        }
    }
    if state.execution(execution).is_some_and(|e| e.token == Some(TokenKind::Start)) {
        record_token_end(state, execution, crate::conditions::ready_true());
    }
}

/// `ExecutionCompleted`: the final `Completed`; a failed execution gets `Retry` later (D11).
pub(super) fn completed(state: &mut State, execution: &str, completed: &Condition, now: Micros) {
    let retry_delay = state.world.profile.retry_condition;
    let Some(e) = state.executions.get_mut(execution) else { return };
    let mut c = completed.clone();
    c.last_transition_time = format_timestamp(now);
    let failed = c.status == "False";
    e.completed = Some(c);
    e.completion_time = Some(now);
    state.timers.cancel(e.timer.take());
    if failed {
        e.timer =
            Some(state.timers.schedule(now + retry_delay, Timer::RetryCondition { execution: execution.to_string() }));
    }
    touch(e, now);
    let status = if failed { "EXECUTION_FAILED" } else { "EXECUTION_SUCCEEDED" };
    let job = e.job.clone();
    finish_latest(state, &job, execution, status, now);
    record_token_end(state, execution, crate::conditions::ready_after_end(execution, Some(completed)));
}

/// `ExecutionCancelled`: running tasks `Cancelled`, pending ones `Abandoned` (D4).
pub(super) fn cancelled(state: &mut State, execution: &str, now: Micros) {
    let Some(e) = state.executions.get_mut(execution) else { return };
    for t in &mut e.tasks {
        state.timers.cancel(t.timer.take());
        t.pending_outcome = None;
        match t.phase {
            Phase::Running => {
                t.phase = Phase::Cancelled;
                t.completion_time = Some(now);
                t.version = next_write(t.version, now);
            }
            Phase::Pending => {
                t.phase = Phase::Abandoned;
                t.version = next_write(t.version, now);
            }
            _ => {}
        }
    }
    let task_count = e.task_count();
    let c = &mut e.counters;
    c.cancelled += task_count.saturating_sub(c.terminal());
    c.running = 0;
    e.next_pending = e.task_count();
    e.cancelled = true;
    e.completed = Some(Condition {
        type_: "Completed".into(),
        status: "False".into(),
        reason: "Cancelled".into(),
        message: format!("Execution {execution} was cancelled."),
        last_transition_time: format_timestamp(now),
        ..Condition::default()
    });
    e.completion_time = Some(now);
    state.timers.cancel(e.timer.take());
    touch(e, now);
    let job = e.job.clone();
    finish_latest(state, &job, execution, "EXECUTION_CANCELLED", now);
    record_token_end(state, execution, crate::conditions::ready_after_end(execution, None));
}

/// `ExecutionRetryNoted`: the `Retry` condition of a failed execution (D11).
pub(super) fn retry_noted(state: &mut State, execution: &str, now: Micros) {
    let Some(e) = state.executions.get_mut(execution) else { return };
    e.retry_noted = Some(now);
    state.timers.cancel(e.timer.take());
    touch(e, now);
}

/// `ExecutionDeleted`: gone from its job's list; the job's latest reference shows the deletion.
pub(super) fn deleted(state: &mut State, execution: &str, now: Micros) {
    if let Some(e) = state.executions.get(execution) {
        let job = e.job.clone();
        if let Some(js) = state.jobs.get_mut(&job) {
            js.executions.retain(|n| n != execution);
            if let Some(latest) = js.job.status.as_mut().and_then(|s| s.latest_created_execution.as_mut()) {
                if latest.name == execution {
                    latest.deletion_timestamp = format_timestamp(now);
                    bump_job(js, now);
                }
            }
        }
    }
    remove_execution(state, execution);
}

/// Records the end of the job's latest execution in `latestCreatedExecution` (R19).
fn finish_latest(state: &mut State, job: &str, execution: &str, status: &str, now: Micros) {
    let Some(js) = state.jobs.get_mut(job) else { return };
    if let Some(latest) = js.job.status.as_mut().and_then(|s| s.latest_created_execution.as_mut()) {
        if latest.name == execution {
            latest.completion_timestamp = format_timestamp(now);
            latest.completion_status = status.into();
            bump_job(js, now);
        }
    }
}

/// Keeps the `Ready` that the job's current token execution decided (D19), so that it
/// survives the execution's deletion.
fn record_token_end(state: &mut State, execution: &str, ready: Condition) {
    let Some(e) = state.executions.get(execution) else { return };
    if e.token.is_none() {
        return;
    }
    let job = e.job.clone();
    let Some(js) = state.jobs.get_mut(&job) else { return };
    if crate::names::current_token_execution(&js.job, &job).as_deref() == Some(execution) {
        js.token_end = Some(TokenEnd { execution: execution.to_string(), ready });
    }
}
