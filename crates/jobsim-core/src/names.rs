//! Names the v1 API gives things: the label and annotation keys the server writes, self links
//! (R2), the job name rule (R1, D1) and a token's execution name (R4). They sit low, below every
//! module that writes or reads a resource, so that the control plane, the scheduler, `evolve`
//! and the views share one spelling without importing each other.

use crate::resources::Job;
use crate::settings::limits;

/// Label: the job's region (R9).
pub const LABEL_LOCATION: &str = "cloud.googleapis.com/location";
/// Label: time of the last spec/metadata write (R7).
pub const LABEL_LAST_UPDATED: &str = "run.googleapis.com/lastUpdatedTime";
/// Label: the owning job.
pub const LABEL_JOB: &str = "run.googleapis.com/job";
/// Label: the job's generation when the execution was created.
pub const LABEL_JOB_GENERATION: &str = "run.googleapis.com/jobGeneration";
/// Label: the job's uid.
pub const LABEL_JOB_UID: &str = "run.googleapis.com/jobUid";
/// Label: the job's resourceVersion as decimal microseconds.
pub const LABEL_JOB_RESOURCE_VERSION: &str = "run.googleapis.com/jobResourceVersion";
/// Label: the execution a task belongs to.
pub const LABEL_EXECUTION: &str = "run.googleapis.com/execution";
/// Label: the task's phase (`Pending`, `Running`, …).
pub const LABEL_RUNNING_STATE: &str = "run.googleapis.com/runningState";

/// Annotation: who created the resource.
pub const ANN_CREATOR: &str = "run.googleapis.com/creator";
/// Annotation: who changed it last.
pub const ANN_LAST_MODIFIER: &str = "run.googleapis.com/lastModifier";
/// Annotation: operation id, new on every mutation.
pub const ANN_OPERATION_ID: &str = "run.googleapis.com/operation-id";
/// Annotation the server drops unless preview features are used.
pub const ANN_LAUNCH_STAGE: &str = "run.googleapis.com/launch-stage";
/// Template annotation defaulted to `gen2` (R10).
pub const ANN_EXECUTION_ENVIRONMENT: &str = "run.googleapis.com/execution-environment";
/// Annotation: when the task was scheduled (the execution's start).
pub const ANN_SCHEDULED_TIME: &str = "run.googleapis.com/scheduled-time";

/// `/apis/run.googleapis.com/v1/namespaces/{number}/{collection}/{name}` (R2).
pub fn self_link(project_number: &str, collection: &str, name: &str) -> String {
    format!("/apis/run.googleapis.com/v1/namespaces/{project_number}/{collection}/{name}")
}

/// Whether `name` is a valid job name (R1, D1): 1–63 of `[a-z0-9-]`, no leading/trailing `-`.
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= limits::MAX_NAME_LEN
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-')
}

/// The name of the execution the job's current token asks for (`{job}-{token}`, R4), if any.
pub fn current_token_execution(job: &Job, job_name: &str) -> Option<String> {
    let spec = &job.spec;
    [&spec.start_execution_token, &spec.run_execution_token]
        .into_iter()
        .find(|t| !t.is_empty())
        .map(|t| format!("{job_name}-{t}"))
}
