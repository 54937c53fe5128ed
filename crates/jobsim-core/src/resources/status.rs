//! The Kubernetes-style `Status` returned by v1 deletes.

use super::{is_zero_i32, ListMeta};
use serde::{Deserialize, Serialize};

/// `Status`: the body of a successful v1 delete (`{"status": "Success", "details": {...}}`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Status {
    /// Suggested HTTP code, 0 (omitted) if not set.
    #[serde(skip_serializing_if = "is_zero_i32")]
    pub code: i32,
    /// What was deleted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<StatusDetails>,
    /// Human-readable description.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// List metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<ListMeta>,
    /// Machine-readable reason (a UUID in the real job delete).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// `Success` or `Failure`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub status: String,
}

/// `StatusDetails`: the resource a `Status` is about.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct StatusDetails {
    /// Detailed causes of a failure.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub causes: Vec<StatusCause>,
    /// Group (`v1` in the real job delete).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub group: String,
    /// Kind (`job` in the real job delete).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub kind: String,
    /// Name of the resource.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Seconds to wait before retrying (int32).
    #[serde(skip_serializing_if = "is_zero_i32")]
    pub retry_after_seconds: i32,
    /// UID of the resource.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub uid: String,
}

/// `StatusCause`: one cause of a `Status` failure.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct StatusCause {
    /// Field path of the cause.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub field: String,
    /// Human-readable description.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// Machine-readable reason.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reason: String,
}
