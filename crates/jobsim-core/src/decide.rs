//! `decide`: the pure function from (state, command, context) to events or an error.
//!
//! It validates and chooses; it never mutates. A rejected command returns `Err` and nothing is
//! recorded, so state and log stay untouched. The concrete rules live in `jobs.rs` (control
//! plane), `executions.rs` (run, cancel, delete) and `scheduler.rs` (timers: the data plane).

use crate::command::Command;
use crate::error::Result;
use crate::event::Event;
use crate::random;
use crate::state::State;
use crate::time::Micros;
use crate::{executions, jobs, scheduler};
use std::cell::Cell;

/// What a decision may know besides the state: the virtual now and the seeded id source.
#[derive(Debug)]
pub struct Context {
    /// Virtual now.
    pub now: Micros,
    seed: u64,
    base: u64,
    counter: Cell<u64>,
}

impl Context {
    /// A context at `now` for the state at log version `version`.
    ///
    /// Ids depend on (seed, version, n-th id in this decision) only, so a replayed log
    /// reproduces them and a rejected command consumes none.
    pub fn new(now: Micros, seed: u64, version: u64) -> Context {
        Context { now, seed, base: version, counter: Cell::new(0) }
    }

    /// A context for a `dryRun=all` answer: ids from their own space, so the real call that
    /// follows gets different uids and operation ids than the dry run showed.
    pub fn dry_run(now: Micros, seed: u64, version: u64) -> Context {
        Context::new(now, random::draw(seed, "dry-run", &[]), version)
    }

    fn next(&self) -> u64 {
        let n = self.counter.get();
        self.counter.set(n + 1);
        (self.base << 16) ^ n
    }

    /// A fresh UUID4 (uids, operation ids, delete reasons).
    pub fn uuid(&self) -> String {
        random::uuid4(self.seed, "uuid", self.next())
    }

    /// A fresh 5-character execution suffix (R3).
    pub fn suffix(&self) -> String {
        random::execution_suffix(self.seed, self.next())
    }
}

/// Decides the events a command causes, or why it is refused.
pub fn decide(state: &State, command: &Command, ctx: &Context) -> Result<Vec<Event>> {
    match command {
        Command::Start(world) => Ok(vec![Event::WorldStarted { world: world.clone() }]),
        Command::MoveClock => Ok(vec![Event::ClockMoved {}]),
        Command::CreateJob { body } => jobs::create(state, body, ctx),
        Command::ReplaceJob { name, body } => jobs::replace(state, name, body, ctx),
        Command::DeleteJob { name, force } => jobs::delete(state, name, *force),
        Command::RunJob { name, request } => executions::run(state, name, request, ctx),
        Command::CancelExecution { name } => executions::cancel(state, name),
        Command::DeleteExecution { name } => executions::delete(state, name),
        Command::Fire(timer) => Ok(scheduler::fire(state, timer, ctx)),
    }
}
