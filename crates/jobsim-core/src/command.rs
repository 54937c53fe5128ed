//! Commands: every way the world can be asked to change. One variant per mutating v1 method,
//! plus the clock's own commands (start, move, fire a timer).

use crate::clock::Timer;
use crate::resources::{Job, RunJobRequest};
use crate::settings::World;

/// A request to change the world; `decide` turns it into events or rejects it.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Start a simulator with this world (the first event of every log).
    Start(Box<World>),
    /// Move virtual time to the context's `now` with nothing else happening.
    MoveClock,
    /// `jobs.create`.
    CreateJob {
        /// The request body.
        body: Box<Job>,
    },
    /// `jobs.replaceJob`.
    ReplaceJob {
        /// Path name.
        name: String,
        /// The whole new job.
        body: Box<Job>,
    },
    /// `jobs.delete`.
    DeleteJob {
        /// Path name.
        name: String,
        /// Delete even with running executions (R30).
        force: bool,
    },
    /// `jobs.run`.
    RunJob {
        /// Path name.
        name: String,
        /// Overrides for this execution only (R17).
        request: RunJobRequest,
    },
    /// `executions.cancel`.
    CancelExecution {
        /// Execution name.
        name: String,
    },
    /// `executions.delete`.
    DeleteExecution {
        /// Execution name.
        name: String,
    },
    /// A due timer fires.
    Fire(Timer),
}
