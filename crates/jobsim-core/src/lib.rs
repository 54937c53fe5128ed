//! jobsim-core: a deterministic, event-sourced simulator of Google Cloud Run Jobs (Admin API v1).
//!
//! Commands go through [`decide`](decide::decide) into events, events are folded by
//! [`evolve`](evolve::evolve) into [`State`](state::State). Time is virtual and every id or
//! random draw comes from the seed, so the same inputs always give the same bytes.
//!
//! Start with [`Simulator`] (API calls, clock, event log) or [`scenario::Scenario`].

pub mod api;
pub mod clock;
pub mod command;
pub mod decide;
pub mod error;
pub mod event;
pub mod evolve;
pub mod invariants;
pub mod executions;
pub mod explain;
pub mod jobs;
pub mod lists;
pub mod log;
pub mod options;
pub mod random;
pub mod render;
pub mod resources;
pub mod scenario;
pub mod scheduler;
pub mod selector;
pub mod settings;
pub mod simulator;
pub mod state;
pub mod testing;
pub mod time;

pub use error::{Error, ErrorCode, FieldViolation};
pub use scenario::Scenario;
pub use simulator::{run_scenario, Simulator};

/// The crate version, shown by `jobsim --version` and the wasm `version()`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
