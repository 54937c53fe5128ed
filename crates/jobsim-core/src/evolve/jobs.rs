//! The `jobs/{name}` stream: a job's creation, replacement, reconciliation and deletion.

use super::writes::{bump_job, remove_execution, set_condition};
use crate::clock::Timer;
use crate::conditions::retry_condition;
use crate::names::LABEL_LAST_UPDATED;
use crate::resources::{Condition, Job, JobStatus};
use crate::state::{JobState, State};
use crate::time::{format_timestamp, Micros};

/// `JobCreated`: the job is stored and its reconciliation starts now.
pub(super) fn created(state: &mut State, job: &Job, now: Micros) {
    let name = job.metadata.name.clone();
    let timer = state.timers.schedule(now, Timer::JobReconcileStart { job: name.clone() });
    let js = JobState {
        job: job.clone(),
        created: now,
        executions: Vec::new(),
        execution_ordinal: 0,
        deleting: false,
        timer: Some(timer),
        token_end: None,
    };
    state.jobs.insert(name, js);
}

/// `JobReplaced`: metadata and spec replaced (status kept); reconciliation starts again.
pub(super) fn replaced(state: &mut State, job: &Job, now: Micros) {
    let name = &job.metadata.name;
    let Some(js) = state.jobs.get_mut(name) else { return };
    js.job.metadata = job.metadata.clone();
    js.job.spec = job.spec.clone();
    state.timers.cancel(js.timer);
    js.timer = Some(state.timers.schedule(now, Timer::JobReconcileStart { job: name.clone() }));
}

/// `JobReconcileStarted`: `Ready=Unknown` and `Retry` (R12) until reconciliation decides.
pub(super) fn reconcile_started(state: &mut State, name: &str, now: Micros) {
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
    js.timer = Some(state.timers.schedule(now + delay, Timer::JobReconcile { job: name.to_string() }));
}

/// `JobReconciled`: the decided `Ready` replaces `Retry`.
pub(super) fn reconciled(state: &mut State, name: &str, ready: &Condition, now: Micros) {
    let Some(js) = state.jobs.get_mut(name) else { return };
    if matches!(state.timers.get(js.timer), Some(Timer::JobReconcile { .. })) {
        state.timers.cancel(js.timer);
        js.timer = None;
    }
    let generation = js.job.metadata.generation;
    let status = js.job.status.get_or_insert_with(JobStatus::default);
    status.observed_generation = generation;
    status.conditions.retain(|c| c.type_ != "Retry");
    set_condition(&mut status.conditions, ready.clone(), now);
    bump_job(js, now);
}

/// `JobDeletionStarted`: the job shows its deletion (R30) until it disappears.
pub(super) fn deletion_started(state: &mut State, name: &str, now: Micros) {
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
    js.timer = Some(state.timers.schedule(now + delay, Timer::JobDeletion { job: name.to_string() }));
}

/// `JobDeleted`: the job and its executions are gone, with their timers.
pub(super) fn deleted(state: &mut State, name: &str) {
    let Some(js) = state.jobs.remove(name) else { return };
    state.timers.cancel(js.timer);
    for e in js.executions {
        remove_execution(state, &e);
    }
}
