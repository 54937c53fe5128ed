//! List responses (`JobsList`, `ExecutionsList`, `TasksList`).

use super::{Execution, Job, ListMeta, Task};
use serde::{Deserialize, Serialize};

/// `List<T>`: a page of resources with its paging metadata (`ListJobsResponse` and friends).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct List<T> {
    /// `run.googleapis.com/v1`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    /// The resources of this page.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<T>,
    /// `JobsList`, `ExecutionsList` or `TasksList`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub kind: String,
    /// Paging metadata (`continue`). Written even when empty (`{}`), an exception to R8: gcloud's
    /// pager reads `metadata.continue` of every page (`next_token_attribute=('metadata',
    /// 'continue_')`) and crashes on a list without `metadata`, so real answers carry it.
    pub metadata: ListMeta,
    /// Locations that could not be reached.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unreachable: Vec<String>,
}

/// `ListJobsResponse` (`kind: "JobsList"`).
pub type ListJobsResponse = List<Job>;
/// `ListExecutionsResponse` (`kind: "ExecutionsList"`).
pub type ListExecutionsResponse = List<Execution>;
/// `ListTasksResponse` (`kind: "TasksList"`).
pub type ListTasksResponse = List<Task>;
