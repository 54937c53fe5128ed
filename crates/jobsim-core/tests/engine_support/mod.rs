//! Shared helpers of the engine tests (`engine_table.rs`, `properties.rs`, `planqtn.rs`):
//! the invariants after every event, and replay == live.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jobsim_core::evolve::evolve;
use jobsim_core::invariants;
use jobsim_core::state::State;
use jobsim_core::Simulator;
use serde_json::{json, Value};

/// Logs up to this many events get the whole-state check after every event; longer ones get
/// the incremental check after every event and the whole-state check at the end.
pub const FULL_CHECK_EVENTS: usize = 4_000;

/// Folds the simulator's log event by event, checking the invariants after each; then checks
/// that replaying the log, and restoring a snapshot taken halfway plus the rest, both give the
/// live state. Returns the first violation or mismatch.
pub fn verify(sim: &Simulator) -> Result<(), String> {
    let envelopes = sim.envelopes(1);
    let full = envelopes.len() <= FULL_CHECK_EVENTS;
    let mut state = State::default();
    let half = envelopes.len() / 2;
    let mut half_snapshot = None;
    for (i, env) in envelopes.iter().enumerate() {
        let before = state.now;
        evolve(&mut state, env);
        invariants::check_event(before, &state, env)?;
        if full {
            invariants::check(&state).map_err(|v| format!("after event {}: {v}", env.sequence))?;
        }
        if i + 1 == half {
            half_snapshot = Some(json!({"version": state.version, "state": serde_json::to_value(&state).unwrap()}));
        }
    }
    invariants::check(&state)?;
    let live = sim.snapshot();
    if json!({"version": state.version, "state": serde_json::to_value(&state).unwrap()}) != live {
        return Err("folding the log does not give the live state".into());
    }
    let events = sim.events(1);
    let replayed = Simulator::replay(&events).map_err(|e| format!("replay failed: {}", e.message))?;
    if replayed.snapshot() != live {
        return Err("Simulator::replay(events) differs from the live simulator".into());
    }
    if let Some(snapshot) = half_snapshot {
        let rest: Vec<Value> = events[half..].to_vec();
        let restored =
            Simulator::from_snapshot(&snapshot, &rest).map_err(|e| format!("from_snapshot failed: {}", e.message))?;
        if restored.snapshot() != live {
            return Err(format!("snapshot at {half} + the rest differs from the live simulator"));
        }
    }
    Ok(())
}

/// A job body: one container `main` (args `["a"]`, env `X=1`), the given shape.
pub fn job_body(name: &str, task_count: u32, parallelism: u32, max_retries: u32, timeout_seconds: u32) -> Value {
    json!({
        "apiVersion": "run.googleapis.com/v1",
        "kind": "Job",
        "metadata": {"name": name},
        "spec": {"template": {"spec": {
            "taskCount": task_count,
            "parallelism": parallelism,
            "template": {"spec": {
                "containers": [{"name": "main", "image": "us-docker.pkg.dev/demo/app:1", "args": ["a"],
                                "env": [{"name": "X", "value": "1"}]}],
                "maxRetries": max_retries,
                "timeoutSeconds": timeout_seconds.to_string(),
            }}
        }}}
    })
}
