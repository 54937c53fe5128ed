//! Execution: one run of a job, and the execution spec shared with the job template.

use super::{is_false, is_zero_i32, Condition, ObjectMeta, TaskSpec};
use serde::{Deserialize, Serialize};

/// `Execution`: one immutable run of a job (`{apiVersion, kind, metadata, spec, status}`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Execution {
    /// `run.googleapis.com/v1`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    /// `Execution`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub kind: String,
    /// Object metadata (always written).
    pub metadata: ObjectMeta,
    /// The job's execution spec at run time, overrides applied (always written).
    pub spec: ExecutionSpec,
    /// Observed state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<ExecutionStatus>,
}

impl Execution {
    /// The task spec of this execution (`spec.template.spec`), if a template is present.
    pub fn task_spec(&self) -> Option<&TaskSpec> {
        self.spec.task_spec()
    }
}

/// `ExecutionSpec`: task count, parallelism and the task template of an execution.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ExecutionSpec {
    /// Start within the next 12 hours depending on capacity (false omitted).
    #[serde(skip_serializing_if = "is_false")]
    pub delay_execution: bool,
    /// Maximum concurrent tasks (int32; 0 = unset, omitted).
    #[serde(skip_serializing_if = "is_zero_i32")]
    pub parallelism: i32,
    /// Number of tasks (int32; 0 omitted).
    #[serde(skip_serializing_if = "is_zero_i32")]
    pub task_count: i32,
    /// The template tasks are created from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<TaskTemplateSpec>,
}

impl ExecutionSpec {
    /// `template.spec`, if a template is present.
    pub fn task_spec(&self) -> Option<&TaskSpec> {
        self.template.as_ref().map(|t| &t.spec)
    }
}

/// `ExecutionStatus`: conditions, times and task counters of an execution.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ExecutionStatus {
    /// Tasks that were cancelled.
    #[serde(skip_serializing_if = "is_zero_i32")]
    pub cancelled_count: i32,
    /// When the execution ended (RFC 3339, kept verbatim).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub completion_time: String,
    /// `Completed`, `ResourcesAvailable`, `Started`, `ContainerReady`, `Retry`, … conditions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    /// Tasks that failed.
    #[serde(skip_serializing_if = "is_zero_i32")]
    pub failed_count: i32,
    /// Console URL of the execution's logs.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub log_uri: String,
    /// Generation last processed (int32).
    #[serde(skip_serializing_if = "is_zero_i32")]
    pub observed_generation: i32,
    /// Tasks that retried at least once.
    #[serde(skip_serializing_if = "is_zero_i32")]
    pub retried_count: i32,
    /// Tasks currently running.
    #[serde(skip_serializing_if = "is_zero_i32")]
    pub running_count: i32,
    /// When the first task started (RFC 3339, kept verbatim).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub start_time: String,
    /// Tasks that succeeded.
    #[serde(skip_serializing_if = "is_zero_i32")]
    pub succeeded_count: i32,
}

/// `TaskTemplateSpec`: the `{spec: TaskSpec}` wrapper tasks are created from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TaskTemplateSpec {
    /// The task spec (always written).
    pub spec: TaskSpec,
}
