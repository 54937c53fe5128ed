//! Rendering: jobs, executions and tasks exactly as the v1 REST API writes them (R2, R5, R8,
//! R20, R23, R26, R27, D12). Executions and tasks are computed from the compact state on read.

use crate::conditions::retry_condition;
use crate::event::Outcome;
use crate::names::{
    self_link, ANN_SCHEDULED_TIME, LABEL_EXECUTION, LABEL_JOB, LABEL_JOB_GENERATION, LABEL_LOCATION,
    LABEL_RUNNING_STATE,
};
use crate::random;
use crate::resources::{
    Condition, Execution, ExecutionStatus, GoogleRpcStatus, Job, ObjectMeta, Task, TaskAttemptResult, TaskStatus,
};
use crate::state::{ExecutionState, Phase, State, TaskState};
use crate::time::{format_go_duration, format_timestamp, resource_version, Micros};

/// A job as GET returns it.
pub fn job(state: &State, name: &str) -> Option<Job> {
    job_ref(state, name).cloned()
}

/// [`job`] where the state holds it: its JSON is the same, and nothing is cloned to write it
/// (`Simulator::call_text`).
pub fn job_ref<'s>(state: &'s State, name: &str) -> Option<&'s Job> {
    state.job(name).map(|j| &j.job)
}

fn condition(type_: &str, status: &str, at: Micros, message: &str) -> Condition {
    Condition {
        type_: type_.into(),
        status: status.into(),
        message: message.into(),
        last_transition_time: format_timestamp(at),
        ..Condition::default()
    }
}

/// The Cloud Logging link of an execution (observed format).
fn log_uri(state: &State, e: &ExecutionState) -> String {
    let p = &state.world.project;
    format!(
        "https://console.cloud.google.com/logs/viewer?project={}&advancedFilter=resource.type%3D%22cloud_run_job%22%0Aresource.labels.job_name%3D%22{}%22%0Aresource.labels.location%3D%22{}%22%0Alabels.%22run.googleapis.com/execution_name%22%3D%22{}%22",
        p.id, e.job, p.region, e.execution.metadata.name
    )
}

/// The execution's status from the compact state: conditions in the observed order (R27).
pub fn execution_status(state: &State, e: &ExecutionState) -> ExecutionStatus {
    let messages = state.world.settings.condition_messages;
    let msg = |m: &str| if messages { m.to_string() } else { String::new() };
    let mut conditions = Vec::new();
    if let Some(c) = &e.completed {
        conditions.push(c.clone());
    } else if e.delayed && e.container_ready.is_none() {
        let mut c = condition("Completed", "Unknown", e.created, "Waiting for the delayed execution to start.");
        c.reason = "DelayedStartPending".into();
        conditions.push(c);
    } else if let Some(first) = e.container_ready {
        let last = e.started.or(e.resources_available).unwrap_or(first);
        conditions.push(condition("Completed", "Unknown", last, "Waiting for execution to complete."));
    }
    if let Some(at) = e.resources_available {
        conditions.push(condition("ResourcesAvailable", "True", at, &msg("Provisioned imported containers.")));
    }
    if let Some(at) = e.started {
        let since = e.resources_available.unwrap_or(e.created);
        let text = format!("Started deployed execution in {}.", format_go_duration(at - since));
        conditions.push(condition("Started", "True", at, &msg(&text)));
    }
    match (e.container_ready, &e.container_missing) {
        (Some(at), Some(message)) => {
            let mut c = condition("ContainerReady", "False", at, message);
            c.reason = "ContainerMissing".into();
            conditions.push(c);
        }
        (Some(at), None) => conditions.push(condition("ContainerReady", "True", at, &msg("Imported container image."))),
        (None, _) => {}
    }
    if let Some(at) = e.retry_noted {
        let mut c = retry_condition();
        c.last_transition_time = format_timestamp(at);
        conditions.push(c);
    }
    let c = &e.counters;
    ExecutionStatus {
        observed_generation: 1,
        conditions,
        start_time: e.started.map(format_timestamp).unwrap_or_default(),
        completion_time: e.completion_time.map(format_timestamp).unwrap_or_default(),
        running_count: c.running as i32,
        succeeded_count: c.succeeded as i32,
        failed_count: c.failed as i32,
        cancelled_count: c.cancelled as i32,
        retried_count: c.retried as i32,
        log_uri: if e.container_ready.is_some() { log_uri(state, e) } else { String::new() },
    }
}

/// An execution as GET returns it.
pub fn execution(state: &State, e: &ExecutionState) -> Execution {
    let mut x = e.execution.clone();
    x.metadata.resource_version = resource_version(e.updated);
    x.status = Some(execution_status(state, e));
    x
}

fn attempt_result(outcome: Outcome) -> Option<TaskAttemptResult> {
    match outcome {
        Outcome::Succeeded => None,
        Outcome::Exited { code } => Some(TaskAttemptResult {
            exit_code: code,
            status: Some(GoogleRpcStatus {
                code: 10,
                message: "The container exited with an error.".into(),
                ..Default::default()
            }),
            ..Default::default()
        }),
        Outcome::TimedOut => Some(TaskAttemptResult {
            status: Some(GoogleRpcStatus {
                code: 4,
                message: "The configured timeout was reached.".into(),
                ..Default::default()
            }),
            ..Default::default()
        }),
    }
}

fn task_conditions(t: &TaskState) -> Vec<Condition> {
    let mut out = Vec::new();
    // A terminal task has `Completed`; an Abandoned one never ran, so it has no completion
    // time to show as `lastTransitionTime` (an Option, not 0, says so: 0 is the Unix epoch).
    if t.completion_time.is_some() || t.phase == Phase::Abandoned {
        let mut c = Condition { type_: "Completed".into(), ..Condition::default() };
        if let Some(done) = t.completion_time {
            c.last_transition_time = format_timestamp(done);
        }
        match t.phase {
            Phase::Succeeded => c.status = "True".into(),
            Phase::Failed => {
                c.status = "False".into();
                match t.last_outcome {
                    Some(Outcome::TimedOut) => c.message = "The configured timeout was reached.".into(),
                    _ => {
                        c.reason = "NonZeroExitCode".into();
                        c.message = "The container exited with an error.".into();
                    }
                }
            }
            Phase::Cancelled => {
                c.status = "False".into();
                c.reason = "Cancelled".into();
                c.message = "The task was cancelled.".into();
            }
            Phase::Abandoned => {
                c.status = "False".into();
                c.reason = "Abandoned".into();
                c.message = "The task was not started before its execution was cancelled.".into();
            }
            Phase::Pending | Phase::Running => {}
        }
        out.push(c);
    }
    if let Some(at) = t.start_time {
        out.push(condition("Started", "True", at, ""));
    }
    out
}

/// A task as GET returns it (R5, R20, R23, D12): named `{execution}-task{index}`.
pub fn task(state: &State, e: &ExecutionState, index: u32) -> Option<Task> {
    let t = e.tasks.get(index as usize)?;
    let ex = &e.execution;
    let name = format!("{}-task{index}", ex.metadata.name);
    let p = &state.world.project;
    let mut meta = ObjectMeta {
        name: name.clone(),
        namespace: p.number.clone(),
        self_link: self_link(&p.number, "tasks", &name),
        generation: 1,
        uid: random::uuid4(state.world.seed, &ex.metadata.uid, u64::from(index)),
        creation_timestamp: ex.metadata.creation_timestamp.clone(),
        ..ObjectMeta::default()
    };
    meta.resource_version = resource_version(t.version);
    for key in [LABEL_LOCATION, LABEL_JOB, LABEL_JOB_GENERATION] {
        if let Some(v) = ex.metadata.labels.get(key) {
            meta.labels.insert(key.into(), v.clone());
        }
    }
    meta.labels.insert(LABEL_EXECUTION.into(), ex.metadata.name.clone());
    meta.labels.insert(LABEL_RUNNING_STATE.into(), t.phase.as_str().into());
    if let Some(at) = e.started {
        meta.annotations.insert(ANN_SCHEDULED_TIME.into(), format_timestamp(at));
    }
    let spec = ex.spec.template.as_ref().map(|t| t.spec.clone()).unwrap_or_default();
    let status = TaskStatus {
        index: index as i32,
        retried: t.retried as i32,
        start_time: t.start_time.map(format_timestamp).unwrap_or_default(),
        completion_time: t.completion_time.map(format_timestamp).unwrap_or_default(),
        conditions: task_conditions(t),
        last_attempt_result: t.last_outcome.and_then(attempt_result),
        observed_generation: 1,
        log_uri: if t.start_time.is_some() { log_uri(state, e) } else { String::new() },
    };
    Some(Task {
        api_version: "run.googleapis.com/v1".into(),
        kind: "Task".into(),
        metadata: meta,
        spec,
        status: Some(status),
    })
}

/// Splits `{execution}-task{index}` into the execution state and the index.
pub fn find_task<'s>(state: &'s State, name: &str) -> Option<(&'s ExecutionState, u32)> {
    let (exec, index) = name.rsplit_once("-task")?;
    if index.is_empty() || (index.len() > 1 && index.starts_with('0')) || !index.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let index: u32 = index.parse().ok()?;
    let e = state.execution(exec)?;
    (index < e.task_count()).then_some((e, index))
}
