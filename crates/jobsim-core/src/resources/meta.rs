//! Object and list metadata shared by every resource.

use super::is_zero_i32;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `ObjectMeta`: name, namespace, labels, annotations and the server-set identity of a resource.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ObjectMeta {
    /// Annotations (not selectable).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// Unsupported by Cloud Run; kept.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub cluster_name: String,
    /// Creation time (RFC 3339, kept verbatim).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub creation_timestamp: String,
    /// Unsupported by Cloud Run; kept (int32).
    #[serde(skip_serializing_if = "is_zero_i32")]
    pub deletion_grace_period_seconds: i32,
    /// Soft-deletion time (RFC 3339, kept verbatim).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub deletion_timestamp: String,
    /// Finalizers (documented as unsupported; kept).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub finalizers: Vec<String>,
    /// Unsupported by Cloud Run; kept.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub generate_name: String,
    /// Sequence number of the desired state (int32).
    #[serde(skip_serializing_if = "is_zero_i32")]
    pub generation: i32,
    /// Labels (selectable).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Resource name, unique per project and region.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Project id or number (responses carry the number).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// Owners (executions point at their job).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub owner_references: Vec<OwnerReference>,
    /// Opaque version of the last write.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub resource_version: String,
    /// `/apis/run.googleapis.com/v1/namespaces/{ns}/{plural}/{name}`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub self_link: String,
    /// System-generated UUID.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub uid: String,
}

/// `OwnerReference`: the object that owns this one (an execution's job).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct OwnerReference {
    /// API version of the owner (`serving.knative.dev/v1` in real executions).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    /// Whether deleting the owner waits for this object (an explicit `false` is kept).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub block_owner_deletion: Option<bool>,
    /// Whether the owner is the managing controller (an explicit `false` is kept).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub controller: Option<bool>,
    /// Kind of the owner (`Job`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub kind: String,
    /// Name of the owner.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// UID of the owner.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub uid: String,
}

/// `ListMeta`: metadata of list responses and of the delete `Status` (paging token).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ListMeta {
    /// Continuation token; pass it back to get the next page.
    #[serde(rename = "continue", skip_serializing_if = "String::is_empty")]
    pub continue_: String,
    /// Opaque version of the list.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub resource_version: String,
    /// URL of the list.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub self_link: String,
}
