//! Job: the configuration executions are created from, and its status.

use super::{is_none_or_default, is_zero_i32, Condition, ExecutionSpec, ObjectMeta, TaskSpec};
use serde::{Deserialize, Serialize};

/// `Job`: a container configuration run to completion by executions (`{apiVersion, kind, metadata, spec, status}`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Job {
    /// `run.googleapis.com/v1`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    /// `Job`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub kind: String,
    /// Object metadata (always written).
    pub metadata: ObjectMeta,
    /// Desired state (always written).
    pub spec: JobSpec,
    /// Observed state; `Some(default)` is written as `{}` (the create response does so).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<JobStatus>,
}

impl Job {
    /// `spec.template.spec`: the execution spec, if a template is present.
    pub fn execution_spec(&self) -> Option<&ExecutionSpec> {
        self.spec.template.as_ref().map(|t| &t.spec)
    }

    /// `spec.template.spec.template.spec`: the task spec, if both templates are present.
    pub fn task_spec(&self) -> Option<&TaskSpec> {
        self.execution_spec().and_then(ExecutionSpec::task_spec)
    }
}

/// `JobSpec`: the execution template and the optional start/run execution tokens.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct JobSpec {
    /// Suffix of an execution created with the job; Ready once it has completed.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub run_execution_token: String,
    /// Suffix of an execution created with the job; Ready once it has started.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub start_execution_token: String,
    /// What each execution of the job looks like.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<ExecutionTemplateSpec>,
}

/// `JobStatus`: conditions, execution count and the latest execution of a job.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct JobStatus {
    /// `Ready` and `Retry` conditions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    /// Number of executions created for the job.
    #[serde(skip_serializing_if = "is_zero_i32")]
    pub execution_count: i32,
    /// Most recently created execution; an empty `{}` (sent by gcloud) is dropped on output.
    #[serde(skip_serializing_if = "is_none_or_default")]
    pub latest_created_execution: Option<ExecutionReference>,
    /// Generation last processed (int32).
    #[serde(skip_serializing_if = "is_zero_i32")]
    pub observed_generation: i32,
}

/// `ExecutionReference`: name, times and outcome of a job's latest execution.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ExecutionReference {
    /// `EXECUTION_SUCCEEDED`, `EXECUTION_FAILED`, `EXECUTION_RUNNING`, … .
    #[serde(skip_serializing_if = "String::is_empty")]
    pub completion_status: String,
    /// Completion time (RFC 3339, kept verbatim).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub completion_timestamp: String,
    /// Creation time (RFC 3339, kept verbatim).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub creation_timestamp: String,
    /// Soft-deletion time (RFC 3339, kept verbatim).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub deletion_timestamp: String,
    /// Execution name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
}

/// `ExecutionTemplateSpec`: metadata (labels, annotations) and spec of the executions a job creates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ExecutionTemplateSpec {
    /// Labels and annotations copied to executions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<ObjectMeta>,
    /// The execution spec (required by the API; always written).
    pub spec: ExecutionSpec,
}
