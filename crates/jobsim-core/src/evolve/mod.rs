//! `evolve`: folds one event into the state. Total and infallible — every check happened in
//! `decide` — and the only place the state changes, so replaying a log rebuilds it exactly.
//!
//! This module only dispatches, by the stream an event belongs to (`Event::stream`): `world.rs`
//! (the world and the clock), `jobs.rs` (`jobs/{name}`), `executions.rs` (`executions/{name}`:
//! provisioning, completion, cancel, deletion) and `tasks.rs` (the attempt events of that same
//! stream, which write one task). `writes.rs` holds the bookkeeping they share (D17 versions,
//! conditions, timer slots); `due.rs` says which timer an event would schedule (D25).

mod due;
mod executions;
mod jobs;
mod tasks;
mod world;
mod writes;

pub use due::{scheduled_due, scheduled_work};

use crate::event::{Envelope, Event};
use crate::state::State;

/// Folds one stored event into the state.
pub fn evolve(state: &mut State, envelope: &Envelope) {
    state.version = envelope.sequence;
    state.now = state.now.max(envelope.time);
    let now = envelope.time;
    match &envelope.event {
        Event::WorldStarted { world } => world::started(state, world, now),
        Event::ClockMoved {} => {}
        Event::JobCreated { job } => jobs::created(state, job, now),
        Event::JobReplaced { job } => jobs::replaced(state, job, now),
        Event::JobReconcileStarted { name } => jobs::reconcile_started(state, name, now),
        Event::JobReconciled { name, ready } => jobs::reconciled(state, name, ready, now),
        Event::JobDeletionStarted { name } => jobs::deletion_started(state, name, now),
        Event::JobDeleted { name } => jobs::deleted(state, name),
        Event::ExecutionCreated { execution, ordinal, token } => {
            executions::created(state, execution, *ordinal, *token, now)
        }
        Event::ContainerReady { execution } => executions::container_ready(state, execution, now),
        Event::ContainerMissing { execution, message } => executions::container_missing(state, execution, message, now),
        Event::ResourcesAvailable { execution } => executions::resources_available(state, execution, now),
        Event::ExecutionStarted { execution } => executions::started(state, execution, now),
        Event::AttemptStarted { execution, task, attempt, ends_at, outcome, .. } => {
            tasks::attempt_started(state, execution, *task, *attempt, *ends_at, *outcome, now)
        }
        Event::AttemptEnded { execution, task, outcome, .. } => {
            tasks::attempt_ended(state, execution, *task, *outcome, now)
        }
        Event::ExecutionCompleted { execution, completed } => executions::completed(state, execution, completed, now),
        Event::ExecutionCancelled { execution } => executions::cancelled(state, execution, now),
        Event::ExecutionRetryNoted { execution } => executions::retry_noted(state, execution, now),
        Event::ExecutionDeleted { execution } => executions::deleted(state, execution, now),
    }
}
