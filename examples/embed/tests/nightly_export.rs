//! Snapshot tests of "our" job in the simulated Cloud Run, the way another crate would write
//! them: `jobsim_core::testing` for given/when/then, insta for the snapshots. Every value is
//! deterministic (virtual clock, seeded ids), so the snapshots need no redactions.

use jobsim_core::testing::{scenario_outcome, Given};
use jobsim_core::ErrorCode;
use jobsim_embed_example::{nightly_export_job, world};
use serde_json::json;

fn deployed() -> Given {
    Given::scenario(&world())
        .given(&[json!({"call": "jobs.create", "body": nightly_export_job(6)}), json!({"advance": "1s"})])
}

#[test]
fn the_job_as_cloud_run_stores_it() {
    deployed().when(json!({"call": "jobs.get", "name": "nightly-export"})).then_ok(|job| {
        insta::assert_json_snapshot!("stored_job", job);
    });
}

#[test]
fn a_night_where_one_shard_fails_once() {
    let mut world = world();
    world["faults"] = json!([{"job": "nightly-export", "execution": 1, "task": 4, "attempt": 0, "exitCode": 1}]);
    Given::scenario(&world)
        .given(&[
            json!({"call": "jobs.create", "body": nightly_export_job(6)}),
            json!({"advance": "1s"}),
            json!({"call": "jobs.run", "name": "nightly-export"}),
        ])
        .when(json!({"runUntilIdle": true}))
        .then_ok(|_| {})
        .then(|sim| {
            let execution = sim.call("executions.get", &json!({"latestOf": "nightly-export"})).unwrap();
            assert_eq!(execution["status"]["succeededCount"], 6);
            assert_eq!(execution["status"]["retriedCount"], 1);
            let name = execution["metadata"]["name"].as_str().unwrap().to_string();
            insta::assert_json_snapshot!("execution_after_a_retry", execution);
            insta::assert_snapshot!("why", sim.explain(&name).unwrap());
        });
}

#[test]
fn deploying_twice_is_refused_and_changes_nothing() {
    deployed()
        .when(json!({"call": "jobs.create", "body": nightly_export_job(8)}))
        .then_err(ErrorCode::AlreadyExists)
        // Errors serialize as the Google error body the API answers.
        .with_error(|e| insta::assert_json_snapshot!("already_exists", e));
}

#[test]
fn the_events_of_one_run() {
    let mut sim = Given::scenario(&json!({"seed": 3, "profile": "instant"}))
        .given(&[json!({"call": "jobs.create", "body": nightly_export_job(1)})])
        .into_simulator();
    let from = sim.version() + 1;
    sim.call("jobs.run", &json!({"name": "nightly-export"})).unwrap();
    sim.run_until_idle().unwrap();
    // Envelopes serialize as the stored JSON form of the log.
    insta::assert_json_snapshot!("events_of_one_run", sim.envelopes(from));
}

#[test]
fn a_whole_scenario_as_one_snapshot() {
    let scenario = r#"
seed: 7
profile: instant
steps:
  - call: jobs.create
    body: {metadata: {name: export}, spec: {template: {spec: {taskCount: 2, template: {spec: {containers: [{image: us-docker.pkg.dev/acme/export:1}]}}}}}}
  - {call: jobs.run, name: export, body: {overrides: {taskCount: 3}}}
  - {runUntilIdle: true}
  - {call: executions.get, latestOf: export}
"#;
    insta::assert_json_snapshot!("scenario", scenario_outcome(scenario).unwrap());
}
