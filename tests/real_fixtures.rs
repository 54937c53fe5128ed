//! Fidelity against a real recording: Config Connector's `job/crud` HTTP log of the v1 API
//! (`fixtures/real/kcc-v1-job-*.json`, sources in `fixtures/real/SOURCES.md`).
//!
//! The simulator replays the same requests, moving its clock between them, and every response
//! must equal the recorded one except for what depends on the world: timestamps, the caller's
//! email, operation ids, uids and delete reasons (normalised on both sides), the `${…}`
//! placeholders of the recording (filled with the simulated project), and the metadata the
//! recorder stripped (`uid`, `resourceVersion`, `creationTimestamp`, stripped from ours too).

use jobsim_core::testing::{normalize, strip, substitute, JOB_WORLD_PATHS, RECORDER_STRIPPED_PATHS};
use jobsim_core::{ErrorCode, Simulator};
use jobsim_tests::real_fixture;
use serde_json::{json, Value};

const PROJECT_ID: &str = "kcc-test-project";
const PROJECT_NUMBER: &str = "987654321098";
const UNIQUE_ID: &str = "kcc0crud";
const JOB: &str = "test-kcc0crud";
/// The image the recording's replace switched to: a tag that did not exist (entry 5 of the
/// log shows `Ready=False ContainerMissing`), so the simulated world lists it as missing.
const MISSING_IMAGE: &str = "us-docker.pkg.dev/cloudrun/container/job:v2";

fn world() -> Simulator {
    Simulator::new(&json!({
        "seed": 20250903,
        "start": "2025-09-03T16:13:54.272555Z",
        "project": {"id": PROJECT_ID, "number": PROJECT_NUMBER, "region": "us-central1", "caller": "jobsim@example.com"},
        "settings": {"missingImages": [MISSING_IMAGE]},
    }))
    .expect("world")
}

/// A recorded body with its placeholders filled with the simulated world's values.
fn recorded(name: &str) -> Value {
    let v = real_fixture(name).expect("fixture");
    substitute(&v, &[("${projectId}", PROJECT_ID), ("${projectNumber}", PROJECT_NUMBER), ("${uniqueId}", UNIQUE_ID)])
}

/// A job response made comparable: recorder-stripped fields removed, world values normalised.
fn comparable_job(v: &Value) -> Value {
    normalize(&strip(v, RECORDER_STRIPPED_PATHS), JOB_WORLD_PATHS)
}

#[track_caller]
fn assert_same_job(ours: &Value, fixture: &str) {
    let expected = comparable_job(&recorded(fixture));
    let got = comparable_job(ours);
    assert_eq!(
        got,
        expected,
        "response differs from {fixture}:\n ours: {}\n real: {}",
        serde_json::to_string_pretty(&got).unwrap_or_default(),
        serde_json::to_string_pretty(&expected).unwrap_or_default()
    );
}

fn get(sim: &mut Simulator) -> Result<Value, jobsim_core::Error> {
    sim.call("jobs.get", &json!({"name": JOB, "namespace": PROJECT_ID}))
}

#[test]
fn r9_r10_create_response_equals_the_recorded_one() {
    let mut sim = world();
    let body = recorded("kcc-v1-job-create-request.json");
    let created = sim.call("jobs.create", &json!({"namespace": PROJECT_ID, "body": body})).expect("create");
    assert_same_job(&created, "kcc-v1-job-create-response.json");
    // What the recorder stripped exists on ours (R7) and is well-formed.
    assert_eq!(created["metadata"]["resourceVersion"].as_str().map(str::len), Some(11));
    assert_eq!(created["metadata"]["creationTimestamp"], "2025-09-03T16:13:54.272555Z");
    assert_eq!(created["metadata"]["labels"]["run.googleapis.com/lastUpdatedTime"], "2025-09-03T16:13:54.272555Z");
}

#[test]
fn r12_get_reconciling_then_ready_equal_the_recorded_ones() {
    let mut sim = world();
    let body = recorded("kcc-v1-job-create-request.json");
    sim.call("jobs.create", &json!({"namespace": PROJECT_ID, "body": body})).expect("create");
    // Entry 2: a GET right after the create shows the job reconciling.
    let reconciling = get(&mut sim).expect("get");
    assert_same_job(&reconciling, "kcc-v1-job-get-reconciling-ready-unknown-retry.json");
    // Entry 3: one reconcile step (1 s in the realistic profile, D15) later it is Ready.
    sim.advance(&json!("1s")).expect("advance");
    let ready = get(&mut sim).expect("get");
    assert_same_job(&ready, "kcc-v1-job-get-ready-true.json");
}

#[test]
fn r13_replace_response_equals_the_recorded_one_and_keeps_the_old_status() {
    let mut sim = world();
    let body = recorded("kcc-v1-job-create-request.json");
    sim.call("jobs.create", &json!({"namespace": PROJECT_ID, "body": body})).expect("create");
    sim.advance_to("2025-09-03T16:14:02.531435Z").expect("advance");
    let request = recorded("kcc-v1-job-replace-request.json");
    let replaced =
        sim.call("jobs.replaceJob", &json!({"name": JOB, "namespace": PROJECT_ID, "body": request})).expect("replace");
    assert_same_job(&replaced, "kcc-v1-job-replace-response-gen2.json");
    assert_eq!(replaced["metadata"]["labels"]["run.googleapis.com/lastUpdatedTime"], "2025-09-03T16:14:02.531435Z");

    // Entry 5 (no fixture file; spec §3.1): the next GET after reconciling shows the missing
    // image, for the new generation.
    sim.advance(&json!("1s")).expect("advance");
    let after = get(&mut sim).expect("get");
    assert_eq!(after["metadata"]["generation"], 2);
    assert_eq!(after["status"]["observedGeneration"], 2);
    assert_eq!(
        strip(&after["status"]["conditions"], &["[*].lastTransitionTime"]),
        json!([{"type": "Ready", "status": "False", "reason": "ContainerMissing",
                "message": "Image 'us-docker.pkg.dev/cloudrun/container/job:v2' not found."}])
    );
}

#[test]
fn r30_delete_status_then_deleting_job_then_recorded_404() {
    let mut sim = world();
    let body = recorded("kcc-v1-job-create-request.json");
    let created = sim.call("jobs.create", &json!({"namespace": PROJECT_ID, "body": body})).expect("create");
    sim.advance(&json!("8s")).expect("advance");
    let request = recorded("kcc-v1-job-replace-request.json");
    sim.call("jobs.replaceJob", &json!({"name": JOB, "namespace": PROJECT_ID, "body": request})).expect("replace");
    sim.advance(&json!("5s")).expect("advance");

    // Entry 6: the Status. `reason` is a fresh UUID and `details.uid` the job's uid.
    let status = sim.call("jobs.delete", &json!({"name": JOB, "namespace": PROJECT_ID})).expect("delete");
    assert_eq!(status["details"]["uid"], created["metadata"]["uid"]);
    let uuids = ["reason", "details.uid"];
    assert_eq!(normalize(&status, &uuids), normalize(&recorded("kcc-v1-job-delete-status-response.json"), &uuids));

    // The later recording (@5709d05): a GET right after DELETE still finds the job, marked.
    let deleting = get(&mut sim).expect("get while deleting");
    assert_eq!(deleting["metadata"]["generation"], 3);
    assert_eq!(deleting["metadata"]["finalizers"], json!(["JobFinalizer"]));
    assert_eq!(deleting["metadata"]["deletionTimestamp"], sim.now());
    assert_eq!(deleting["metadata"]["labels"]["run.googleapis.com/lastUpdatedTime"], sim.now());

    // Entry 7: once deletion finished, the recorded 404 body.
    sim.advance(&json!("1s")).expect("advance");
    let err = get(&mut sim).expect_err("gone");
    assert_eq!(err.code, ErrorCode::NotFound);
    assert_eq!(err.body(), recorded("kcc-v1-job-get-404-error.json"));
}
