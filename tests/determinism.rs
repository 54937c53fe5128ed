//! Determinism and event sourcing, on every shipped scenario:
//! - two runs give byte-identical outcomes and event logs;
//! - replaying the log rebuilds exactly the live state;
//! - a snapshot at any version plus the events after it rebuilds exactly the live state, and a
//!   restored simulator continues exactly like the live one;
//! - an event log written with schema 0 replays to the same state as its schema-1 form
//!   (`fixtures/events/`, the upcaster in `event.rs`).

use jobsim_core::scenario::{run_step, Scenario};
use jobsim_core::{run_scenario, Simulator};
use jobsim_tests::{jsonl, read, root, scenario_files};
use serde_json::Value;
use std::path::Path;

fn scenario(path: &Path) -> Scenario {
    Scenario::parse(&read(path).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

#[test]
fn there_are_scenarios_to_test() {
    let names: Vec<String> = scenario_files().iter().map(|p| name(p)).collect();
    assert!(names.len() >= 6, "{names:?}");
    assert!(names.contains(&"etl-retries.yaml".to_string()), "{names:?}");
}

#[test]
fn two_runs_of_every_scenario_are_byte_identical() {
    for path in scenario_files() {
        let s = scenario(&path);
        let (a, b) = (s.run().unwrap(), s.run().unwrap());
        assert_eq!(a.jsonl(), b.jsonl(), "{}: outcomes differ", name(&path));
        assert_eq!(a.simulator.events_jsonl(), b.simulator.events_jsonl(), "{}: event logs differ", name(&path));
        assert_eq!(a.simulator.snapshot().to_string(), b.simulator.snapshot().to_string(), "{}", name(&path));
        // The text entry point (CLI, wasm) gives the same bytes as the typed one.
        let text = read(&path).unwrap();
        assert_eq!(run_scenario(&text).unwrap(), a.jsonl(), "{}", name(&path));
    }
}

#[test]
fn replaying_the_log_of_every_scenario_gives_the_live_state() {
    for path in scenario_files() {
        let live = scenario(&path).run().unwrap().simulator;
        let replayed = Simulator::replay(&live.events(1)).unwrap();
        assert_eq!(replayed.snapshot(), live.snapshot(), "{}", name(&path));
        // Through the JSON Lines text too, as `jobsim events` / `jobsim replay` do.
        let from_text = Simulator::replay(&jsonl(&live.events_jsonl()).unwrap()).unwrap();
        assert_eq!(from_text.snapshot(), live.snapshot(), "{}", name(&path));
        assert_eq!(from_text.events_jsonl(), live.events_jsonl(), "{}", name(&path));
    }
}

/// `from_snapshot(snapshot at k, events after k)` equals the live state, for each given k.
fn check_snapshot_plus_tail(path: &Path, ks: impl IntoIterator<Item = usize>) -> usize {
    let live = scenario(path).run().unwrap().simulator;
    let events = live.events(1);
    let expected = live.snapshot();
    let mut checked = 0;
    for k in ks {
        let at_k = Simulator::replay(&events[..k]).unwrap().snapshot();
        let restored =
            Simulator::from_snapshot(&at_k, &events[k..]).unwrap_or_else(|e| panic!("{} at {k}: {e}", name(path)));
        assert_eq!(restored.snapshot(), expected, "{}: snapshot at {k} + tail", name(path));
        assert_eq!(restored.version(), live.version());
        checked += 1;
    }
    checked
}

#[test]
fn snapshot_plus_tail_equals_live_at_every_version_of_small_scenarios() {
    for file in ["job-lifecycle.yaml", "dry-run-and-missing-image.yaml", "execution-tokens.yaml", "bad-requests.yaml"] {
        let path = root().join("scenarios").join(file);
        let n = scenario(&path).run().unwrap().simulator.events(1).len();
        assert_eq!(check_snapshot_plus_tail(&path, 1..=n), n);
    }
}

#[test]
fn snapshot_plus_tail_equals_live_at_a_few_versions_of_every_scenario() {
    for path in scenario_files() {
        let n = scenario(&path).run().unwrap().simulator.events(1).len();
        let mut ks = vec![1, n / 3, n / 2, n - 1, n];
        ks.retain(|k| *k >= 1);
        ks.dedup();
        check_snapshot_plus_tail(&path, ks);
    }
}

#[test]
fn a_simulator_restored_between_any_two_steps_continues_exactly_like_the_live_one() {
    for file in ["job-lifecycle.yaml", "execution-tokens.yaml", "etl-retries.yaml"] {
        let path = root().join("scenarios").join(file);
        let s = scenario(&path);
        let whole = s.run().unwrap();
        let outcomes = whole.outcome_values();
        for cut in 0..=s.steps.len() {
            let mut live = Simulator::new(&s.options).unwrap();
            for (i, step) in s.steps[..cut].iter().enumerate() {
                run_step(&mut live, i, step);
            }
            // Two ways back: the snapshot alone, and the whole log.
            let v = live.version();
            let mut restored = Simulator::from_snapshot(&live.snapshot(), &[]).unwrap();
            let mut replayed = Simulator::replay(&live.events(1)).unwrap();
            for (i, step) in s.steps.iter().enumerate().skip(cut) {
                let expected = &outcomes[i];
                assert_eq!(&run_step(&mut restored, i, step), expected, "{file}: cut {cut}, step {i} (snapshot)");
                assert_eq!(&run_step(&mut replayed, i, step), expected, "{file}: cut {cut}, step {i} (replay)");
            }
            assert!(
                restored.events(v + 1) == whole.simulator.events(v + 1),
                "{file}: cut {cut}: events after the snapshot"
            );
            assert!(replayed.events_jsonl() == whole.simulator.events_jsonl(), "{file}: cut {cut}: event log");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The upcaster

fn fixture_log(file: &str) -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/events").join(file);
    jsonl(&read(&path).unwrap()).unwrap()
}

#[test]
fn the_schema0_fixture_really_is_schema_0() {
    let old = fixture_log("schema0.jsonl");
    let new = fixture_log("schema1.jsonl");
    assert_eq!(old.len(), new.len());
    assert!(old.iter().all(|e| e["schema"] == 0));
    assert!(new.iter().all(|e| e["schema"] == 1));
    let attempts: Vec<&Value> = old.iter().filter(|e| e["type"] == "AttemptStarted").collect();
    assert!(attempts.len() >= 2);
    for e in attempts {
        assert!(e["payload"].get("endsAtMicros").is_some() && e["payload"].get("endsAt").is_none(), "{e}");
    }
}

#[test]
fn a_schema0_log_replays_to_the_same_state_as_the_schema1_log() {
    let old = fixture_log("schema0.jsonl");
    let new = fixture_log("schema1.jsonl");
    for k in 1..=old.len() {
        let from_old = Simulator::replay(&old[..k]).unwrap_or_else(|e| panic!("schema 0, first {k} events: {e}"));
        let from_new = Simulator::replay(&new[..k]).unwrap();
        assert_eq!(from_old.snapshot(), from_new.snapshot(), "after {k} events");
    }
    // The upcast log is written back in today's schema, identical to the schema-1 log.
    let upcast = Simulator::replay(&old).unwrap();
    assert_eq!(upcast.events(1), new);
    // And it runs on: the attempt still running at the end finishes at its upcast `endsAt`.
    let mut a = upcast;
    let mut b = Simulator::replay(&new).unwrap();
    a.run_until_idle().unwrap();
    b.run_until_idle().unwrap();
    assert_eq!(a.events_jsonl(), b.events_jsonl());
}

#[test]
fn a_schema0_tail_after_a_snapshot_is_upcast_too() {
    let old = fixture_log("schema0.jsonl");
    let new = fixture_log("schema1.jsonl");
    let live = Simulator::replay(&new).unwrap().snapshot();
    for k in 1..old.len() {
        let at_k = Simulator::replay(&new[..k]).unwrap().snapshot();
        let restored = Simulator::from_snapshot(&at_k, &old[k..]).unwrap();
        assert_eq!(restored.snapshot(), live, "snapshot at {k} + schema-0 tail");
    }
}
