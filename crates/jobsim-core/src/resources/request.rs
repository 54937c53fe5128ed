//! Request bodies: `jobs.run` overrides (cancel has an empty body and needs no type).

use super::{is_false, is_zero_i32, EnvVar};
use serde::{Deserialize, Serialize};

/// `RunJobRequest`: the body of `jobs.run`, with optional per-execution overrides.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RunJobRequest {
    /// Overrides for this execution only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overrides: Option<Overrides>,
}

/// `Overrides`: container, task count, timeout and delay overrides of one execution.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Overrides {
    /// Per-container overrides, matched by name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub container_overrides: Vec<ContainerOverride>,
    /// Start within the next 12 hours depending on capacity.
    #[serde(skip_serializing_if = "is_false")]
    pub delay_execution: bool,
    /// Replaces `taskCount` (0 = no override).
    #[serde(skip_serializing_if = "is_zero_i32")]
    pub task_count: i32,
    /// Replaces `timeoutSeconds`; int32 in v1, so a JSON **number** (0 = no override).
    #[serde(skip_serializing_if = "is_zero_i32")]
    pub timeout_seconds: i32,
}

/// `ContainerOverride`: args and env overrides of one container.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ContainerOverride {
    /// Replacement args (must be empty when `clear_args`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// Clear all existing args.
    #[serde(skip_serializing_if = "is_false")]
    pub clear_args: bool,
    /// Env vars merged by name into the container's env (override wins).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<EnvVar>,
    /// Container name (empty = the only container).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
}
