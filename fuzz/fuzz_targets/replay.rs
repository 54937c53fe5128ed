//! Event-log replay of arbitrary JSON Lines (as `jobsim replay` reads them): a log is either
//! refused with an error or replayed; a replayed world renders its lists, and its own log
//! replays again to the same state.
#![no_main]

use jobsim_core::Simulator;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut values = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        match serde_json::from_str::<Value>(line) {
            Ok(v) => values.push(v),
            Err(_) => return,
        }
    }
    let Ok(mut sim) = Simulator::replay(&values) else { return };
    let again = Simulator::replay(&sim.events(0)).expect("a replayed log replays again");
    assert_eq!(again.state(), sim.state(), "replaying the replayed log differs");
    for method in ["jobs.list", "executions.list", "tasks.list"] {
        let _ = sim.call(method, &json!({"query": {"limit": 50}}));
    }
    let _ = sim.snapshot();
    let _ = sim.explain_all();
});
