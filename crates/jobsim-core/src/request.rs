//! The one typed request: every v1 method as `api` parsed it, split into the reads a view
//! answers from the state and the writes `decide` turns into events. A dry run is a write too:
//! `decide` runs it in a dry-run context and its events are dropped.

use crate::resources::{to_json, to_json_text, Execution, Job, List, RunJobRequest, Status, Task};
use crate::selector::Selector;
use serde_json::Value;

/// Paging and filtering of a list call (R32).
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Parsed `labelSelector`.
    pub selector: Selector,
    /// Page size (`limit`); 0 = no limit.
    pub limit: usize,
    /// `continue` token from a previous page.
    pub continue_token: String,
}

/// One parsed API request: a read or a write.
#[derive(Debug, Clone)]
pub enum Request {
    /// `*.get`, `*.list`: answered from the state, never recorded.
    Read(Read),
    /// Every other method: decided into events (dropped for a dry run).
    Write(Write),
}

/// The reads.
#[derive(Debug, Clone)]
pub enum Read {
    /// `jobs.get`.
    GetJob { name: String },
    /// `jobs.list`.
    ListJobs(ListQuery),
    /// `executions.get`.
    GetExecution { name: String },
    /// `executions.list`.
    ListExecutions(ListQuery),
    /// `tasks.get`.
    GetTask { name: String },
    /// `tasks.list`.
    ListTasks(ListQuery),
}

/// The writes.
#[derive(Debug, Clone, PartialEq)]
pub enum Write {
    /// `jobs.create`.
    CreateJob { body: Box<Job>, dry_run: bool },
    /// `jobs.replaceJob`.
    ReplaceJob { name: String, body: Box<Job>, dry_run: bool },
    /// `jobs.delete` (R30).
    DeleteJob { name: String, force: bool, dry_run: bool },
    /// `jobs.run` with overrides for this execution only (R17).
    RunJob { name: String, request: RunJobRequest },
    /// `executions.cancel`.
    CancelExecution { name: String },
    /// `executions.delete`.
    DeleteExecution { name: String },
}

impl Write {
    /// Whether this is a `dryRun=all` write: decided, answered, never recorded.
    pub fn dry_run(&self) -> bool {
        matches!(
            self,
            Write::CreateJob { dry_run: true, .. }
                | Write::ReplaceJob { dry_run: true, .. }
                | Write::DeleteJob { dry_run: true, .. }
        )
    }
}

/// The typed answer to a request, serialized once at the edge: as JSON text
/// ([`Response::to_json_text`], what the wasm `call` returns) or as a `Value`
/// ([`Response::into_json`], for faces that keep the answer as data, e.g. scenario outcomes).
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// `jobs.get`, `jobs.create`, `jobs.replaceJob`.
    Job(Box<Job>),
    /// `executions.get`, `jobs.run`, `executions.cancel`.
    Execution(Box<Execution>),
    /// `tasks.get`.
    Task(Box<Task>),
    /// `jobs.delete`, `executions.delete` (R29, R30).
    Status(Box<Status>),
    /// `jobs.list`: one page (R32).
    Jobs(Box<List<Job>>),
    /// `executions.list`: one page (R32).
    Executions(Box<List<Execution>>),
    /// `tasks.list`: one page (R32).
    Tasks(Box<List<Task>>),
}

impl Response {
    /// The response body as v1 writes it (keys sorted, zero values omitted).
    pub fn into_json(self) -> Value {
        match self {
            Response::Job(job) => to_json(&job),
            Response::Execution(execution) => to_json(&execution),
            Response::Task(task) => to_json(&task),
            Response::Status(status) => to_json(&status),
            Response::Jobs(page) => to_json(&page),
            Response::Executions(page) => to_json(&page),
            Response::Tasks(page) => to_json(&page),
        }
    }

    /// The response body as JSON text, byte for byte `self.into_json().to_string()` (the key
    /// order of the resource structs is alphabetical), without building a `Value`.
    pub fn to_json_text(&self) -> String {
        match self {
            Response::Job(job) => to_json_text(job),
            Response::Execution(execution) => to_json_text(execution),
            Response::Task(task) => to_json_text(task),
            Response::Status(status) => to_json_text(status),
            Response::Jobs(page) => to_json_text(page),
            Response::Executions(page) => to_json_text(page),
            Response::Tasks(page) => to_json_text(page),
        }
    }
}
