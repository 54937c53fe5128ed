//! The wall clock of `--clock wall`: virtual time = a base instant + wall time elapsed × speed.
//!
//! The ONE place jobsim reads a wall clock. The core stays deterministic (clippy.toml disallows
//! `Instant::now` workspace-wide); a server that follows real time has to read it somewhere,
//! and keeping it here means every other module still only sees virtual microseconds.
#![allow(clippy::disallowed_methods)] // Instant::now: see above.

use jobsim_core::time::{Micros, MAX_TIME};
use std::time::{Duration, Instant};

/// Maps wall instants onto virtual time, from a base pair (wall, virtual).
#[derive(Debug, Clone)]
pub struct WallClock {
    speed: f64,
    wall: Instant,
    virtual_base: Micros,
}

impl WallClock {
    /// A clock at `virtual_now` now, running `speed` virtual seconds per wall second.
    pub fn start(speed: f64, virtual_now: Micros) -> WallClock {
        WallClock { speed, wall: Instant::now(), virtual_base: virtual_now }
    }

    /// The virtual instant the wall clock says it is now (never past the end of time).
    pub fn target(&self) -> Micros {
        let elapsed = self.wall.elapsed().as_micros() as f64 * self.speed;
        // `as` saturates a float that is too large; MAX_TIME caps the sum.
        self.virtual_base.saturating_add(elapsed as Micros).min(MAX_TIME)
    }

    /// After a control route moved the simulator ahead of the wall clock, the wall clock
    /// follows from there instead of standing still until real time catches up.
    pub fn rebase(&mut self, virtual_now: Micros) {
        if virtual_now > self.target() {
            *self = WallClock::start(self.speed, virtual_now);
        }
    }

    /// The wall time until the virtual instant `due` (zero if it has passed).
    pub fn until(&self, due: Micros) -> Duration {
        let ahead = due.saturating_sub(self.target()).max(0) as f64 / self.speed;
        // A virtual gap of years at a slow speed: no sleep is longer than an hour (woken earlier
        // by any request that schedules an earlier timer).
        Duration::from_micros(ahead.min(3_600e6) as u64)
    }
}
