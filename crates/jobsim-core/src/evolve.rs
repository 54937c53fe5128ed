//! `evolve`: folds one event into the state. Total and infallible — every check happened in
//! `decide` — and the only place the state changes, so replaying a log rebuilds it exactly.

use crate::clock::Timer;
use crate::conditions::retry_condition;
use crate::event::{Envelope, Event, TokenKind};
use crate::names::LABEL_LAST_UPDATED;
use crate::resources::{Condition, ExecutionReference, JobStatus};
use crate::state::phase_after;
use crate::state::{Counters, ExecutionState, JobState, Phase, State, TaskState, TokenEnd};
use crate::time::{format_timestamp, next_write, parse_resource_version, resource_version, Micros};

/// Folds one stored event into the state.
pub fn evolve(state: &mut State, envelope: &Envelope) {
    state.version = envelope.sequence;
    state.now = state.now.max(envelope.time);
    let now = envelope.time;
    match &envelope.event {
        Event::WorldStarted { world } => {
            state.world = (**world).clone();
            state.now = now;
        }
        Event::ClockMoved {} => {}
        Event::JobCreated { job } => {
            let name = job.metadata.name.clone();
            let timer = state.timers.schedule(now, Timer::JobReconcileStart { job: name.clone() });
            let js = JobState {
                job: (**job).clone(),
                created: now,
                executions: Vec::new(),
                execution_ordinal: 0,
                deleting: false,
                timer: Some(timer),
                token_end: None,
            };
            state.jobs.insert(name, js);
        }
        Event::JobReplaced { job } => {
            let name = &job.metadata.name;
            let Some(js) = state.jobs.get_mut(name) else { return };
            js.job.metadata = job.metadata.clone();
            js.job.spec = job.spec.clone();
            state.timers.cancel(js.timer);
            js.timer = Some(state.timers.schedule(now, Timer::JobReconcileStart { job: name.clone() }));
        }
        Event::JobReconcileStarted { name } => {
            let delay = state.world.profile.job_reconcile;
            let Some(js) = state.jobs.get_mut(name) else { return };
            let generation = js.job.metadata.generation;
            let status = js.job.status.get_or_insert_with(JobStatus::default);
            status.observed_generation = generation;
            let ready = Condition { type_: "Ready".into(), status: "Unknown".into(), ..Condition::default() };
            set_condition(&mut status.conditions, ready, now);
            set_condition(&mut status.conditions, retry_condition(), now);
            bump_job(js, now);
            state.timers.cancel(js.timer);
            js.timer = Some(state.timers.schedule(now + delay, Timer::JobReconcile { job: name.clone() }));
        }
        Event::JobReconciled { name, ready } => {
            let Some(js) = state.jobs.get_mut(name) else { return };
            if matches!(state.timers.get(js.timer), Some(Timer::JobReconcile { .. })) {
                state.timers.cancel(js.timer);
                js.timer = None;
            }
            let generation = js.job.metadata.generation;
            let status = js.job.status.get_or_insert_with(JobStatus::default);
            status.observed_generation = generation;
            status.conditions.retain(|c| c.type_ != "Retry");
            set_condition(&mut status.conditions, (**ready).clone(), now);
            bump_job(js, now);
        }
        Event::JobDeletionStarted { name } => {
            let delay = state.world.profile.job_deletion;
            let Some(js) = state.jobs.get_mut(name) else { return };
            js.deleting = true;
            let meta = &mut js.job.metadata;
            meta.deletion_timestamp = format_timestamp(now);
            meta.finalizers = vec!["JobFinalizer".into()];
            meta.generation = meta.generation.saturating_add(1); // stays at the int32 maximum (D26)
            meta.labels.insert(LABEL_LAST_UPDATED.into(), format_timestamp(now));
            bump_job(js, now);
            state.timers.cancel(js.timer);
            js.timer = Some(state.timers.schedule(now + delay, Timer::JobDeletion { job: name.clone() }));
        }
        Event::JobDeleted { name } => {
            let Some(js) = state.jobs.remove(name) else { return };
            state.timers.cancel(js.timer);
            for e in js.executions {
                remove_execution(state, &e);
            }
        }
        Event::ExecutionCreated { execution, ordinal, token } => {
            create_execution(state, execution, *ordinal, *token, now)
        }
        Event::ContainerReady { execution } => {
            let profile = state.world.profile.clone();
            let Some(e) = state.executions.get_mut(execution) else { return };
            e.container_ready = Some(now);
            let due = (provisioning_base(e, profile.delayed_start) + profile.resources_available).max(now);
            reschedule(
                &mut state.timers,
                &mut e.timer,
                due,
                Timer::ResourcesAvailable { execution: execution.clone() },
            );
            touch(e, now);
        }
        Event::ContainerMissing { execution, message } => {
            let retry_delay = state.world.profile.retry_condition;
            let Some(e) = state.executions.get_mut(execution) else { return };
            e.container_ready = Some(now);
            e.container_missing = Some(message.clone());
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
                message: message.clone(),
                last_transition_time: format_timestamp(now),
                ..Condition::default()
            };
            e.completed = Some(completed.clone());
            e.completion_time = Some(now);
            state.timers.cancel(e.timer.take());
            // A failed execution gets the Retry condition like any other (D11).
            e.timer =
                Some(state.timers.schedule(now + retry_delay, Timer::RetryCondition { execution: execution.clone() }));
            touch(e, now);
            let job = e.job.clone();
            finish_latest(state, &job, execution, "EXECUTION_FAILED", now);
            record_token_end(state, execution, crate::conditions::ready_after_end(execution, Some(&completed)));
        }
        Event::ResourcesAvailable { execution } => {
            let profile = state.world.profile.clone();
            let Some(e) = state.executions.get_mut(execution) else { return };
            e.resources_available = Some(now);
            let due = (provisioning_base(e, profile.delayed_start) + profile.first_task_started).max(now);
            reschedule(&mut state.timers, &mut e.timer, due, Timer::StartTasks { execution: execution.clone() });
            touch(e, now);
        }
        Event::ExecutionStarted { execution } => {
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
                if let Some(latest) = latest.filter(|l| l.name == *execution) {
                    latest.completion_status = "EXECUTION_RUNNING".into(); // R19
                    bump_job(js, now);
                }
            }
            if state.execution(execution).is_some_and(|e| e.token == Some(TokenKind::Start)) {
                record_token_end(state, execution, crate::conditions::ready_true());
            }
        }
        Event::AttemptStarted { execution, task, attempt, ends_at, outcome, .. } => {
            let Some(e) = state.executions.get_mut(execution) else { return };
            let Some(t) = e.tasks.get_mut(*task as usize) else { return };
            if t.phase == Phase::Pending {
                t.phase = Phase::Running;
                t.start_time = Some(now);
                e.counters.running += 1;
            }
            t.attempt = *attempt;
            t.attempt_start = Some(now);
            t.version = next_write(t.version, now);
            t.pending_outcome = Some(*outcome);
            state.timers.cancel(t.timer);
            t.timer = Some(
                state
                    .timers
                    .schedule((*ends_at).max(now), Timer::AttemptEnd { execution: execution.clone(), task: *task }),
            );
            if *task == e.next_pending {
                e.next_pending = next_pending_from(&e.tasks, *task + 1);
            }
            touch(e, now);
        }
        Event::AttemptEnded { execution, task, outcome, .. } => {
            let retry_delay = state.world.profile.retry_delay;
            let Some(e) = state.executions.get_mut(execution) else { return };
            let max_retries = e.max_retries;
            let Some(t) = e.tasks.get_mut(*task as usize) else { return };
            state.timers.cancel(t.timer.take());
            t.version = next_write(t.version, now);
            t.last_outcome = Some(*outcome);
            t.pending_outcome = None;
            match phase_after(*outcome, t.retried, max_retries) {
                Phase::Running => {
                    t.retried += 1;
                    if t.retried == 1 {
                        e.counters.retried += 1;
                    }
                    t.timer = Some(state.timers.schedule(
                        now + retry_delay,
                        Timer::RetryAttempt { execution: execution.clone(), task: *task },
                    ));
                }
                phase => {
                    t.phase = phase;
                    t.completion_time = Some(now);
                    e.counters.running = e.counters.running.saturating_sub(1);
                    if phase == Phase::Succeeded {
                        e.counters.succeeded += 1;
                    } else {
                        e.counters.failed += 1;
                        if e.first_failure.is_none_or(|(i, _)| *task < i) {
                            e.first_failure = Some((*task, *outcome));
                        }
                    }
                }
            }
            touch(e, now);
        }
        Event::ExecutionCompleted { execution, completed } => {
            let retry_delay = state.world.profile.retry_condition;
            let Some(e) = state.executions.get_mut(execution) else { return };
            let mut c = (**completed).clone();
            c.last_transition_time = format_timestamp(now);
            let failed = c.status == "False";
            e.completed = Some(c);
            e.completion_time = Some(now);
            state.timers.cancel(e.timer.take());
            if failed {
                e.timer = Some(
                    state.timers.schedule(now + retry_delay, Timer::RetryCondition { execution: execution.clone() }),
                );
            }
            touch(e, now);
            let status = if failed { "EXECUTION_FAILED" } else { "EXECUTION_SUCCEEDED" };
            let job = e.job.clone();
            finish_latest(state, &job, execution, status, now);
            record_token_end(state, execution, crate::conditions::ready_after_end(execution, Some(completed)));
        }
        Event::ExecutionCancelled { execution } => {
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
        Event::ExecutionRetryNoted { execution } => {
            let Some(e) = state.executions.get_mut(execution) else { return };
            e.retry_noted = Some(now);
            state.timers.cancel(e.timer.take());
            touch(e, now);
        }
        Event::ExecutionDeleted { execution } => {
            if let Some(e) = state.executions.get(execution) {
                let job = e.job.clone();
                if let Some(js) = state.jobs.get_mut(&job) {
                    js.executions.retain(|n| n != execution);
                    if let Some(latest) = js.job.status.as_mut().and_then(|s| s.latest_created_execution.as_mut()) {
                        if latest.name == *execution {
                            latest.deletion_timestamp = format_timestamp(now);
                            bump_job(js, now);
                        }
                    }
                }
            }
            remove_execution(state, execution);
        }
    }
}

/// The deadline of the timer `event` would schedule if folded into `state` at `now`; `None`
/// when it schedules none. Mirrors the scheduling in [`evolve`] so that a step can be refused
/// before it schedules past the end of time (D25). Allocates nothing (it runs for every event).
pub fn scheduled_due(state: &State, event: &Event, now: Micros) -> Option<Micros> {
    let p = &state.world.profile;
    let execution = |name: &str| state.executions.get(name);
    match event {
        Event::JobCreated { .. } | Event::JobReplaced { .. } => Some(now),
        Event::JobReconcileStarted { .. } => Some(now.saturating_add(p.job_reconcile)),
        Event::JobDeletionStarted { .. } => Some(now.saturating_add(p.job_deletion)),
        Event::ExecutionCreated { execution, .. } => {
            let base = if execution.spec.delay_execution { now.saturating_add(p.delayed_start) } else { now };
            Some(base.saturating_add(p.container_ready))
        }
        Event::ContainerReady { execution: name } => execution(name)
            .map(|e| provisioning_base(e, p.delayed_start).saturating_add(p.resources_available).max(now)),
        Event::ResourcesAvailable { execution: name } => {
            execution(name).map(|e| provisioning_base(e, p.delayed_start).saturating_add(p.first_task_started).max(now))
        }
        Event::AttemptStarted { ends_at, .. } => Some((*ends_at).max(now)),
        Event::AttemptEnded { execution: name, task, outcome, .. } => {
            let e = execution(name)?;
            let t = e.tasks.get(*task as usize)?;
            (phase_after(*outcome, t.retried, e.max_retries) == Phase::Running)
                .then(|| now.saturating_add(p.retry_delay))
        }
        Event::ExecutionCompleted { completed, .. } if completed.status == "False" => {
            Some(now.saturating_add(p.retry_condition))
        }
        Event::ContainerMissing { .. } => Some(now.saturating_add(p.retry_condition)),
        _ => None,
    }
}

/// What the timer that `event` schedules is for, in words (for the D25 refusal).
pub fn scheduled_work(event: &Event) -> String {
    match event {
        Event::JobCreated { job } | Event::JobReplaced { job } => {
            format!("the reconciliation of job {}", job.metadata.name)
        }
        Event::JobReconcileStarted { name } => format!("the reconciliation of job {name}"),
        Event::JobDeletionStarted { name } => format!("the deletion of job {name}"),
        Event::ExecutionCreated { execution, .. } => {
            format!("the provisioning of execution {}", execution.metadata.name)
        }
        Event::ContainerReady { execution } => format!("the provisioning of execution {execution}"),
        Event::ResourcesAvailable { execution } => format!("the start of execution {execution}"),
        Event::AttemptStarted { execution, task, attempt, .. } => {
            format!("the end of attempt {attempt} of task {execution}-task{task}")
        }
        Event::AttemptEnded { execution, task, attempt, .. } => {
            format!("attempt {} of task {execution}-task{task} (a retry)", attempt + 1)
        }
        other => format!("the Retry condition of {}", other.stream()),
    }
}

/// Sets (or replaces) a condition of that type; `lastTransitionTime` moves only when the
/// status changes.
fn set_condition(conditions: &mut Vec<Condition>, mut c: Condition, now: Micros) {
    match conditions.iter_mut().find(|x| x.type_ == c.type_) {
        Some(old) => {
            c.last_transition_time =
                if old.status == c.status { old.last_transition_time.clone() } else { format_timestamp(now) };
            *old = c;
        }
        None => {
            c.last_transition_time = format_timestamp(now);
            conditions.push(c);
        }
    }
}

fn create_execution(
    state: &mut State,
    execution: &crate::resources::Execution,
    ordinal: u32,
    token: Option<TokenKind>,
    now: Micros,
) {
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

/// When provisioning starts: creation, or creation + the delayed-start time (D13).
fn provisioning_base(e: &ExecutionState, delayed_start: Micros) -> Micros {
    if e.delayed {
        e.created + delayed_start
    } else {
        e.created
    }
}

fn reschedule(timers: &mut crate::clock::Timers, slot: &mut Option<crate::clock::TimerKey>, due: Micros, timer: Timer) {
    timers.cancel(slot.take());
    *slot = Some(timers.schedule(due, timer));
}

/// Records a write of the execution at `now` (R7, D17).
fn touch(e: &mut ExecutionState, now: Micros) {
    e.updated = next_write(e.updated, now);
}

fn next_pending_from(tasks: &[TaskState], from: u32) -> u32 {
    let mut i = from as usize;
    while i < tasks.len() && tasks[i].phase != Phase::Pending {
        i += 1;
    }
    i as u32
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

/// Records a write of the job's status at `now`: its `resourceVersion` moves to the next
/// instant after the current one (D17).
fn bump_job(js: &mut JobState, now: Micros) {
    let last = parse_resource_version(&js.job.metadata.resource_version).unwrap_or(Micros::MIN);
    js.job.metadata.resource_version = resource_version(next_write(last, now));
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

fn remove_execution(state: &mut State, name: &str) {
    if let Some(e) = state.executions.remove(name) {
        state.timers.cancel(e.timer);
        for t in &e.tasks {
            state.timers.cancel(t.timer);
        }
    }
}
