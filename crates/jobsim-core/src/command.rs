//! Commands: every way the world can be asked to change: an API write (the one [`Write`]
//! request type), plus the clock's own commands (start, move, fire a timer), and the [`Context`] a decision
//! runs in (virtual now + seeded ids), which every decision module shares.

use crate::clock::Timer;
use crate::random;
use crate::request::Write;
use crate::settings::World;
use crate::time::Micros;
use std::cell::Cell;

/// A request to change the world; `decide` turns it into events or rejects it.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Start a simulator with this world (the first event of every log).
    Start(Box<World>),
    /// Move virtual time to the context's `now` with nothing else happening.
    MoveClock,
    /// A write request of the API (a dry run too: its events are then dropped).
    Write(Write),
    /// A due timer fires.
    Fire(Timer),
}

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
