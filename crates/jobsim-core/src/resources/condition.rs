//! The v1 condition type shared by jobs, executions and tasks.

use serde::{Deserialize, Serialize};

/// `GoogleCloudRunV1Condition`: one step of reconciliation (`Ready`, `Completed`, `Started`, `Retry`, …).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Condition {
    /// Time of the last status change (RFC 3339, kept verbatim).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub last_transition_time: String,
    /// Human-readable message.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// One-word CamelCase reason (`NonZeroExitCode`, `ImmediateRetry`, …).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// `Error`, `Warning` or `Info` (Info does not affect readiness).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub severity: String,
    /// `True`, `False` or `Unknown`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub status: String,
    /// Condition type (`Ready`, `Completed`, `ResourcesAvailable`, `Started`, `ContainerReady`, `Retry`).
    #[serde(rename = "type", skip_serializing_if = "String::is_empty")]
    pub type_: String,
}
