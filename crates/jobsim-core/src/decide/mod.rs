//! `decide`: the pure function from (state, command, context) to events or an error.
//!
//! It validates and chooses; it never mutates. A rejected command returns `Err` and nothing is
//! recorded, so state and log stay untouched. The concrete rules live in `jobs.rs` (control
//! plane), `executions.rs` (run, cancel, delete) and `scheduler.rs` (timers: the data plane);
//! this module only dispatches.

pub mod executions;
pub mod jobs;
pub mod scheduler;

use crate::command::{Command, Context};
use crate::error::Result;
use crate::event::Event;
use crate::request::Write;
use crate::state::State;

/// Decides the events a command causes, or why it is refused.
pub fn decide(state: &State, command: &Command, ctx: &Context) -> Result<Vec<Event>> {
    match command {
        Command::Start(world) => Ok(vec![Event::WorldStarted { world: world.clone() }]),
        Command::MoveClock => Ok(vec![Event::ClockMoved {}]),
        Command::Write(write) => match write {
            Write::CreateJob { body, .. } => jobs::create(state, body, ctx),
            Write::ReplaceJob { name, body, .. } => jobs::replace(state, name, body, ctx),
            Write::DeleteJob { name, force, .. } => jobs::delete(state, name, *force),
            Write::RunJob { name, request } => executions::run(state, name, request, ctx),
            Write::CancelExecution { name } => executions::cancel(state, name),
            Write::DeleteExecution { name } => executions::delete(state, name),
        },
        Command::Fire(timer) => Ok(scheduler::fire(state, timer, ctx)),
    }
}
