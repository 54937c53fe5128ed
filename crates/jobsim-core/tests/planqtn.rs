//! The real failed execution of planqtn/planqtn (a v1 Execution inside a Cloud Audit Log entry,
//! `fixtures/real/planqtn-audit-log-execution-failed-nonzero-exit.json`) reproduced by the
//! shipped scenario `scenarios/planqtn-failed-execution.yaml`: same spec, same conditions (types,
//! statuses, reasons, messages, order), same counters, same shape of metadata — only the values
//! that depend on the world (ids, and times of the simulated profile) differ.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod engine_support;

use jobsim_core::scenario::Scenario;
use jobsim_core::time::{parse_resource_version, parse_timestamp};
use serde_json::Value;

const FIXTURE: &str = include_str!("fixtures/real/planqtn-audit-log-execution-failed-nonzero-exit.json");
const SCENARIO: &str = include_str!("../../../scenarios/planqtn-failed-execution.yaml");

/// Values that depend on the simulated world: JSON pointers (after the name is replaced).
const WORLD_DEPENDENT: &[&str] = &[
    "/metadata/uid",
    "/metadata/resourceVersion",
    "/metadata/annotations/run.googleapis.com~1operation-id",
    "/metadata/labels/run.googleapis.com~1jobUid",
    "/metadata/ownerReferences/0/uid",
    "/status/startTime",
    "/status/completionTime",
    "/status/conditions/0/lastTransitionTime",
    "/status/conditions/1/lastTransitionTime",
    "/status/conditions/2/lastTransitionTime",
    "/status/conditions/3/lastTransitionTime",
    "/status/conditions/4/lastTransitionTime",
];

/// Replaces the execution's name everywhere (selfLink, logUri, messages) and blanks the
/// world-dependent values, checking each is there to blank.
fn normalise(execution: &Value, what: &str) -> Value {
    let name = execution["metadata"]["name"].as_str().unwrap();
    let text = serde_json::to_string(execution).unwrap().replace(name, "{execution}");
    let mut v: Value = serde_json::from_str(&text).unwrap();
    for pointer in WORLD_DEPENDENT {
        let slot = v.pointer_mut(pointer).unwrap_or_else(|| panic!("{what}: no {pointer}"));
        assert!(slot.is_string(), "{what}: {pointer} should be a string");
        *slot = Value::String("<world>".into());
    }
    v
}

fn ltt(execution: &Value, type_: &str) -> i64 {
    let c = execution["status"]["conditions"].as_array().unwrap().iter().find(|c| c["type"] == type_).unwrap();
    parse_timestamp(c["lastTransitionTime"].as_str().unwrap()).unwrap()
}

/// The relations between the world-dependent values hold in both (R7, R20, R25, D11).
fn check_relations(x: &Value, what: &str) {
    let st = &x["status"];
    let ts = |k: &str| parse_timestamp(st[k].as_str().unwrap()).unwrap();
    assert_eq!(ts("startTime"), ltt(x, "Started"), "{what}: startTime == Started");
    assert_eq!(ts("completionTime"), ltt(x, "Completed"), "{what}: completionTime == Completed");
    let created = parse_timestamp(x["metadata"]["creationTimestamp"].as_str().unwrap()).unwrap();
    let order = [
        created,
        ltt(x, "ContainerReady"),
        ltt(x, "ResourcesAvailable"),
        ltt(x, "Started"),
        ltt(x, "Completed"),
        ltt(x, "Retry"),
    ];
    assert!(order.windows(2).all(|w| w[0] <= w[1]), "{what}: provisioning → completion → Retry in order");
    let rv = parse_resource_version(x["metadata"]["resourceVersion"].as_str().unwrap()).unwrap();
    assert_eq!(rv, ltt(x, "Retry"), "{what}: resourceVersion is the last write, the Retry condition (R7)");
    assert_eq!(x["metadata"]["labels"]["run.googleapis.com/jobUid"], x["metadata"]["ownerReferences"][0]["uid"]);
}

#[test]
fn the_real_failed_execution_is_reproduced() {
    let audit: Value = serde_json::from_str(FIXTURE).unwrap();
    let mut real = audit["protoPayload"]["response"].clone();
    real.as_object_mut().unwrap().remove("@type");

    let scenario = Scenario::parse(SCENARIO).unwrap();
    let run = scenario.run().unwrap();
    let outcomes = run.outcome_values();
    for o in &outcomes {
        assert!(o.get("status").is_none_or(|s| s == 200), "every step succeeds: {o}");
    }
    engine_support::verify(&run.simulator).unwrap();
    let get = outcomes.iter().find(|o| o["call"] == "executions.get").unwrap();
    let simulated = get["body"].clone();

    check_relations(&real, "real");
    check_relations(&simulated, "simulated");
    assert_eq!(normalise(&simulated, "simulated"), normalise(&real, "real"));

    // What the world fixed exactly: project, caller, run time, job generation and last write.
    for key in ["creationTimestamp", "namespace"] {
        assert_eq!(simulated["metadata"][key], real["metadata"][key], "{key}");
    }
    assert_eq!(
        simulated["metadata"]["labels"]["run.googleapis.com/jobResourceVersion"],
        real["metadata"]["labels"]["run.googleapis.com/jobResourceVersion"]
    );

    // The audit entry's summary, as jobsim explains it.
    let name = simulated["metadata"]["name"].as_str().unwrap();
    let why = run.simulator.explain(name).unwrap();
    assert!(why.starts_with(&format!("{name} failed: task 0 exhausted maxRetries=3 (attempt 0 exited 1 at")), "{why}");
    assert!(why.ends_with("0 of 1 tasks succeeded"), "{why}");
}
