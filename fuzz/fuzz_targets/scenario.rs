//! Scenario parsing + running: any text is either refused with an error or runs; a run is
//! deterministic (same text ⇒ same bytes) and its event log replays to the same state.
#![no_main]

use jobsim_core::scenario::Scenario;
use jobsim_core::Simulator;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(scenario) = Scenario::parse(text) else { return };
    let Ok(run) = scenario.run() else { return };
    let out = run.jsonl();
    let again = scenario.run().expect("a scenario that ran once runs again");
    assert_eq!(out, again.jsonl(), "same scenario, different output");
    let replayed = Simulator::replay(&run.simulator.events(0)).expect("a run's own log replays");
    assert_eq!(replayed.state(), run.simulator.state(), "replay differs from the live state");
});
