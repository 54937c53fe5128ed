//! Which timer an event would schedule, and when, without folding it: so that a step can be
//! refused before it schedules past the end of time (D25). Mirrors the scheduling of the
//! streams' folds.

use super::writes::provisioning_base;
use crate::event::Event;
use crate::state::{phase_after, Phase, State};
use crate::time::Micros;

/// The deadline of the timer `event` would schedule if folded into `state` at `now`; `None`
/// when it schedules none. Mirrors the scheduling in [`evolve`](super::evolve) so that a step
/// can be refused before it schedules past the end of time (D25). Allocates nothing (it runs
/// for every event).
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
