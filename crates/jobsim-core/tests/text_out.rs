//! Issue 10, "text out": every output a face writes as JSON text straight from typed values —
//! scenario outcome lines, event envelopes (JSON Lines and arrays), snapshots, the timeline
//! projection, error bodies — is byte for byte the text of the `Value` form Rust callers get
//! (the form every face printed before), for every shipped scenario and stored event log.

#![allow(clippy::unwrap_used, clippy::panic)]

use jobsim_core::json_text;
use jobsim_core::scenario::Scenario;
use jobsim_core::timeline::Timeline;
use jobsim_core::{Error, ErrorCode, FieldViolation, Simulator};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every shipped scenario and the big execution of the benchmarks.
fn scenarios() -> Vec<(String, String)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files.push(root().join("bench/big-execution.yaml"));
    files.into_iter().map(|p| (p.display().to_string(), std::fs::read_to_string(&p).unwrap())).collect()
}

/// The text forms of a simulator's log, snapshot and timeline equal their `Value` forms.
fn same_log_and_state(what: &str, sim: &Simulator) {
    let events = sim.events(1);
    let lines: String = events.iter().map(|e| format!("{e}\n")).collect();
    assert!(sim.events_jsonl() == lines, "{what}: events_jsonl differs from the envelopes' Value text");
    for from in [0, 2, sim.version() + 1] {
        let skip = usize::try_from(from.max(1) - 1).unwrap().min(events.len());
        let want = Value::Array(events[skip..].to_vec()).to_string();
        assert!(sim.events_text(from) == want, "{what}: events_text({from}) differs");
    }
    let snapshot = sim.snapshot().to_string();
    assert!(sim.snapshot_text() == snapshot, "{what}: the snapshot text differs");
    let timeline = Timeline::of(sim.envelopes(1));
    for since in [0, sim.version() / 2] {
        let update = timeline.changed_since(since);
        let want = serde_json::to_value(&update).unwrap().to_string();
        assert!(json_text::to_text(&update) == want, "{what}: the timeline since {since} differs");
    }
}

/// Issue 10: outcomes (`jobsim run --format json`, wasm `runStep`/`runScenario`), events,
/// snapshots and timelines of every shipped scenario, text = `Value` text. Includes the R33/D2
/// error bodies the scenarios' refused calls answer with.
#[test]
fn every_shipped_scenario_writes_its_value_text() {
    for (name, text) in scenarios() {
        let run = Scenario::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let run = run.run().unwrap();
        let values = run.outcome_values();
        let lines: String = values.iter().map(|o| format!("{o}\n")).collect();
        assert!(run.jsonl() == lines, "{name}: the outcome lines differ from their Value text");
        for (o, v) in run.outcomes.iter().zip(&values) {
            assert_eq!(o.to_json_text(), v.to_string(), "{name}");
            if let Some(e) = o.error() {
                assert_eq!(e.body_text(), e.body().to_string(), "{name}");
            }
        }
        assert_eq!(jobsim_core::run_scenario(&text).unwrap(), lines, "{name}");
        same_log_and_state(&name, &run.simulator);
    }
}

/// The stored logs of `tests/fixtures/events` (schema 0 upcast, schema 1) replay into a
/// simulator whose text forms equal its `Value` forms.
#[test]
fn stored_logs_write_their_value_text() {
    for f in ["schema0.jsonl", "schema1.jsonl"] {
        let text = std::fs::read_to_string(root().join("tests/fixtures/events").join(f)).unwrap();
        let sim = Simulator::replay_jsonl(&text).unwrap();
        same_log_and_state(f, &sim);
    }
}

/// R33 / D2: every shape of the Google error body — plain, with every violation (a top-level
/// one without `field`), a version conflict, and located scenario errors (the location is data,
/// never in the body) — written as text equals its `Value` text.
#[test]
fn r33_error_bodies_write_their_value_text() {
    let violations = vec![
        FieldViolation { field: "spec.template.spec.taskCount".into(), description: "must be \"positive\"".into() },
        FieldViolation { field: String::new(), description: "Invalid JSON payload".into() },
    ];
    for e in [
        Error::not_found("a", "JOB", "us-central1", "p"),
        Error::invalid(violations.clone()),
        Error::invalid_with_message("bad\nbody", violations),
        Error::conflict(3, 7),
        Error::scenario_field("steps[1].call", "unknown").in_step(1).at_line(2, Some(3)),
        Error::new(ErrorCode::ResourceExhausted, "quota \u{1F600}"),
    ] {
        assert_eq!(e.body_text(), e.body().to_string(), "{e}");
        assert!(!e.body_text().contains("\"line\""), "the location is not part of the body");
    }
}
