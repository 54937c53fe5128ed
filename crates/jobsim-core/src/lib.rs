//! jobsim-core: a deterministic, event-sourced simulator of Google Cloud Run Jobs (Admin API v1).
//!
//! Commands go through [`decide`](decide::decide) into events, events are folded by
//! [`evolve`](evolve::evolve) into [`State`](state::State). Time is virtual and every id or
//! random draw comes from the seed, so the same inputs always give the same bytes.
//!
//! Start with [`Simulator`] (API calls, clock, event log) or [`scenario::Scenario`]:
//!
//! ```
//! use jobsim_core::Simulator;
//! use serde_json::json;
//!
//! let mut sim = Simulator::new(&json!({"seed": 1, "profile": "instant"}))?;
//! sim.call("jobs.create", &json!({"body": {"metadata": {"name": "hello"},
//!     "spec": {"template": {"spec": {"template": {"spec": {
//!         "containers": [{"image": "us-docker.pkg.dev/demo/hello:1"}]}}}}}}}))?;
//! let execution = sim.call("jobs.run", &json!({"name": "hello"}))?;
//! sim.run_until_idle()?;
//! let done = sim.call("executions.get", &json!({"latestOf": "hello"}))?;
//! assert_eq!(done["status"]["succeededCount"], 1);
//! let name = execution["metadata"]["name"].as_str().unwrap_or_default();
//! assert!(sim.explain(name)?.contains("succeeded"));
//! # Ok::<(), jobsim_core::Error>(())
//! ```

pub mod api;
pub mod bounds;
pub mod clock;
pub mod command;
pub mod conditions;
pub mod decide;
pub mod decode;
pub mod error;
pub mod event;
pub mod evolve;
pub mod field_rules;
pub mod http;
pub mod invariants;
pub mod json_text;
pub mod log;
pub mod names;
pub mod options;
pub mod random;
pub mod request;
pub mod resources;
pub mod scenario;
pub mod schema;
pub mod selector;
pub mod settings;
pub mod simulator;
pub mod state;
pub mod step;
pub mod sweep;
pub mod testing;
pub mod time;
pub mod value_decoder;
pub mod view;

pub use decide::{executions, jobs, scheduler};
pub use error::{Error, ErrorCode, FieldViolation};
pub use scenario::Scenario;
pub use simulator::Simulator;
pub use view::{cost, explain, lists, render, timeline};

/// The crate version, shown by `jobsim --version` and the wasm `version()`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Runs a scenario (JSON or YAML text) and returns the JSON Lines `jobsim run --format json` prints.
pub fn run_scenario(text: &str) -> error::Result<String> {
    let scenario = Scenario::parse(text)?;
    Ok(scenario.run()?.jsonl())
}
