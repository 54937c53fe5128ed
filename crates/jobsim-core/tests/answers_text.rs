//! Issue 10 ("text out"): `Simulator::call_text` / `read_text` write the typed answer straight
//! to JSON text, and must give byte for byte what `call(..)?.to_string()` gives — the key order
//! of serde_json's sorted `Map`, which the resource structs keep by declaring their fields
//! alphabetically. Checked on every call of every shipped scenario (the CLI's built-in example is
//! one of them) and, for reads, on every get and list of the world each step leaves.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use jobsim_core::error::Result;
use jobsim_core::scenario::{Scenario, Step};
use jobsim_core::step::run_step;
use jobsim_core::Simulator;
use serde_json::{json, Value};

fn scenario_texts() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios");
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "json"))
        .map(|p| (p.display().to_string(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    out.sort();
    assert!(out.len() >= 10, "the shipped scenarios are found");
    out
}

/// The same answer both ways: `Ok` texts equal, or the same error.
#[track_caller]
fn same(what: &str, value: Result<Value>, text: Result<String>) {
    match (value, text) {
        (Ok(v), Ok(t)) => assert_eq!(t, v.to_string(), "{what}"),
        (Err(a), Err(b)) => assert_eq!(a.body(), b.body(), "{what}"),
        (a, b) => panic!("{what}: call gave {a:?}, call_text gave {b:?}"),
    }
}

/// Every get and list the world holds, read both ways.
fn every_read(sim: &Simulator, what: &str) -> usize {
    let mut reads = vec![("jobs.list", json!({})), ("executions.list", json!({})), ("tasks.list", json!({}))];
    for (method, get) in [("jobs.list", "jobs.get"), ("executions.list", "executions.get"), ("tasks.list", "tasks.get")]
    {
        let list = sim.read(method, &json!({})).unwrap();
        for item in list["items"].as_array().into_iter().flatten() {
            reads.push((get, json!({"name": item["metadata"]["name"]})));
        }
    }
    for (method, params) in &reads {
        same(&format!("{what}: {method} {params}"), sim.read(method, params), sim.read_text(method, params));
    }
    reads.len()
}

#[test]
fn issue10_text_answers_are_byte_identical_to_value_answers_on_every_scenario() {
    let (mut calls, mut reads) = (0, 0);
    for (name, text) in scenario_texts() {
        let scenario = Scenario::parse(&text).unwrap_or_else(|e| panic!("{name}: {}", e.message));
        let mut sim = Simulator::with_world(scenario.world.clone());
        for (i, step) in scenario.steps.iter().enumerate() {
            if let Step::Call { method, params } = step {
                let mut twin = sim.clone();
                let text = twin.call_text(method, params);
                let value = sim.call(method, params);
                same(&format!("{name} step {i} {method}"), value, text);
                assert_eq!(twin.events_jsonl(), sim.events_jsonl(), "{name} step {i}: the same events");
                calls += 1;
            } else {
                run_step(&mut sim, i, step);
            }
            reads += every_read(&sim, &format!("{name} after step {i}"));
        }
    }
    assert!(calls > 100 && reads > 1000, "{calls} calls, {reads} reads compared");
}
