//! Task: one index of an execution, and the task spec shared by jobs and executions.

use super::{int64_string, is_zero_i32, Condition, Container, ObjectMeta, Volume};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// `Task`: one task (index) of an execution, as v1 renders it (`spec` is `{}` in real output).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Task {
    /// `run.googleapis.com/v1`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    /// `Task`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub kind: String,
    /// Object metadata (always written).
    pub metadata: ObjectMeta,
    /// Task spec (always written; empty `{}` in real task output).
    pub spec: TaskSpec,
    /// Observed state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<TaskStatus>,
}

/// `TaskSpec`: containers, retries, timeout and identity of each task.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TaskSpec {
    /// Containers (exactly one is supported for jobs).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub containers: Vec<Container>,
    /// Retries per task (int32); an explicit `0` is kept, `None` is omitted (R8 exception).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_retries: Option<i32>,
    /// Node selector (GPU accelerator); `{}` is dropped.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub node_selector: BTreeMap<String, String>,
    /// Sandbox templates (newest schema), kept verbatim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sandboxes: Option<Value>,
    /// Service account email the task runs as.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub service_account_name: String,
    /// SIGTERM-to-SIGKILL grace period in seconds (int64, written as a string).
    #[serde(with = "int64_string", skip_serializing_if = "Option::is_none")]
    pub termination_grace_period_seconds: Option<i64>,
    /// Per-attempt timeout in seconds (int64, written as a string: `"600"`).
    #[serde(with = "int64_string", skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<i64>,
    /// Volumes the containers can mount.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<Volume>,
}

/// `TaskStatus`: index, retries, times, conditions and the last attempt's result.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TaskStatus {
    /// End of the task (RFC 3339, kept verbatim).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub completion_time: String,
    /// `Completed`, `Started`, … conditions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    /// Task index, from 0 (0 is omitted).
    #[serde(skip_serializing_if = "is_zero_i32")]
    pub index: i32,
    /// Result of the last attempt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_attempt_result: Option<TaskAttemptResult>,
    /// Console URL of the task's logs.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub log_uri: String,
    /// Generation last processed (int32).
    #[serde(skip_serializing_if = "is_zero_i32")]
    pub observed_generation: i32,
    /// Number of retries so far (0 is omitted).
    #[serde(skip_serializing_if = "is_zero_i32")]
    pub retried: i32,
    /// Start of the task (RFC 3339, kept verbatim).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub start_time: String,
}

/// `TaskAttemptResult`: how one attempt ended (exit code or signal, and an rpc status).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TaskAttemptResult {
    /// Container exit code (0 is omitted).
    #[serde(skip_serializing_if = "is_zero_i32")]
    pub exit_code: i32,
    /// Status of the attempt (`code` 0 = OK).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<GoogleRpcStatus>,
    /// Termination signal when the system killed the container (0 is omitted).
    #[serde(skip_serializing_if = "is_zero_i32")]
    pub term_signal: i32,
}

/// `GoogleRpcStatus`: a google.rpc.Status (`code`, `message`, `details`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct GoogleRpcStatus {
    /// google.rpc.Code (0 = OK, omitted).
    #[serde(skip_serializing_if = "is_zero_i32")]
    pub code: i32,
    /// Typed details (`{"@type": ...}` objects), kept verbatim.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<Value>,
    /// Developer-facing message.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
}
