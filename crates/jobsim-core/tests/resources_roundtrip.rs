//! Round-trip tests of the v1 resource types against real Cloud Run data
//! (`tests/fixtures/real/`, sources in `SOURCES.md`) and the encoding rules they pin (R8).
//!
//! Server responses must come back exactly; requests and exports must keep every non-empty field
//! (empty strings, maps, lists and `status.latestCreatedExecution: {}` are what the server drops).

// The helpers below are test code too: a failed decode should stop the test with its message.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use jobsim_core::resources::{
    from_json_or_yaml, Condition, Container, Execution, ExecutionStatus, Job, JobStatus, List, ListJobsResponse,
    ListMeta, RunJobRequest, Status, Task, TaskSpec,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

const CREATE_REQUEST: &str = include_str!("fixtures/real/kcc-v1-job-create-request.json");
const CREATE_RESPONSE: &str = include_str!("fixtures/real/kcc-v1-job-create-response.json");
const GET_READY_TRUE: &str = include_str!("fixtures/real/kcc-v1-job-get-ready-true.json");
const GET_RECONCILING: &str = include_str!("fixtures/real/kcc-v1-job-get-reconciling-ready-unknown-retry.json");
const REPLACE_REQUEST: &str = include_str!("fixtures/real/kcc-v1-job-replace-request.json");
const REPLACE_RESPONSE: &str = include_str!("fixtures/real/kcc-v1-job-replace-response-gen2.json");
const DELETE_STATUS: &str = include_str!("fixtures/real/kcc-v1-job-delete-status-response.json");
const PLANQTN_AUDIT: &str = include_str!("fixtures/real/planqtn-audit-log-execution-failed-nonzero-exit.json");
const RUNNING_STATUS: &str = include_str!("fixtures/real/running-execution-status-with-retry-condition.json");
const YAML_FIXTURE_JOB: &str = include_str!("fixtures/real/deploy-cloudrun-fixture-job.yaml");
const YAML_FULL_JOB: &str = include_str!("fixtures/real/deploy-cloudrun-unit-run-full-yaml-job.yaml");
const YAML_ISSUE_508_JOB: &str = include_str!("fixtures/real/deploy-cloudrun-issue-508-job.yaml");

// ---------------------------------------------------------------------------------------------
// helpers

fn parse_json(text: &str) -> Value {
    serde_json::from_str(text).expect("fixture is valid JSON")
}

/// Reads `value` as `T` and writes it back as a JSON value.
#[track_caller]
fn roundtrip<T: DeserializeOwned + Serialize>(value: &Value) -> Value {
    let typed: T = serde_json::from_value(value.clone()).expect("decodes");
    serde_json::to_value(&typed).expect("encodes")
}

/// Reads the document text through `from_json_or_yaml` (the path every face uses) and writes it.
#[track_caller]
fn roundtrip_text<T: DeserializeOwned + Serialize>(text: &str) -> Value {
    let typed: T = from_json_or_yaml(text).expect("decodes");
    serde_json::to_value(&typed).expect("encodes")
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
        _ => false,
    }
}

/// What the server keeps of a request: drops values that are empty *in the input* (empty
/// strings, maps and lists, e.g. `"name": ""`, `"labels": {}`, `"nodeSelector": {}`, which also
/// covers `status.latestCreatedExecution: {}`). Parents that become empty are kept (`status: {}`).
fn strip_empty(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter().filter(|(_, child)| !is_empty(child)).map(|(k, child)| (k.clone(), strip_empty(child))).collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(strip_empty).collect()),
        other => other.clone(),
    }
}

fn yaml_value(text: &str) -> Value {
    serde_yaml_ng::from_str(text).expect("fixture is valid YAML")
}

fn task_spec_json(job: &Value) -> &Value {
    &job["spec"]["template"]["spec"]["template"]["spec"]
}

// ---------------------------------------------------------------------------------------------
// real server responses come back exactly

#[test]
fn lossless_job_create_response_round_trips_exactly() {
    let original = parse_json(CREATE_RESPONSE);
    assert_eq!(roundtrip::<Job>(&original), original);
    assert_eq!(roundtrip_text::<Job>(CREATE_RESPONSE), original);
    // the create response carries `"status": {}`: it must survive as an empty object
    assert_eq!(roundtrip::<Job>(&original)["status"], json!({}));
}

#[test]
fn lossless_job_get_ready_true_round_trips_exactly() {
    let original = parse_json(GET_READY_TRUE);
    assert_eq!(roundtrip::<Job>(&original), original);
    assert_eq!(roundtrip_text::<Job>(GET_READY_TRUE), original);
}

#[test]
fn lossless_job_get_reconciling_round_trips_exactly() {
    let original = parse_json(GET_RECONCILING);
    assert_eq!(roundtrip::<Job>(&original), original);
    assert_eq!(roundtrip_text::<Job>(GET_RECONCILING), original);
}

#[test]
fn lossless_job_replace_response_round_trips_exactly() {
    let original = parse_json(REPLACE_RESPONSE);
    assert_eq!(roundtrip::<Job>(&original), original);
    assert_eq!(roundtrip_text::<Job>(REPLACE_RESPONSE), original);
}

#[test]
fn lossless_delete_status_round_trips_exactly() {
    let original = parse_json(DELETE_STATUS);
    assert_eq!(roundtrip::<Status>(&original), original);
    let status: Status = from_json_or_yaml(DELETE_STATUS).unwrap();
    assert_eq!(status.status, "Success");
    assert_eq!(status.code, 0, "the real delete has no code; 0 stays omitted");
    let details = status.details.unwrap();
    assert_eq!((details.group.as_str(), details.kind.as_str()), ("v1", "job"));
}

#[test]
fn lossless_failed_execution_from_audit_log_round_trips_exactly() {
    let audit = parse_json(PLANQTN_AUDIT);
    let original = audit["protoPayload"]["response"].clone();
    // The audit log's proto type tag is not a v1 field: the types drop it (no catch-all map
    // since issue 10; a body carrying it is refused by D24), every v1 field comes back.
    let mut v1 = original.clone();
    assert!(v1.as_object_mut().unwrap().remove("@type").is_some());
    assert_eq!(roundtrip::<Execution>(&original), v1);

    let execution: Execution = serde_json::from_value(original).unwrap();
    let status = execution.status.as_ref().unwrap();
    assert_eq!((status.failed_count, status.retried_count), (1, 1));
    assert_eq!(status.succeeded_count, 0);
    assert_eq!(status.conditions[0].type_, "Completed");
    assert_eq!(status.conditions[0].reason, "NonZeroExitCode");
    let owner = &execution.metadata.owner_references[0];
    assert_eq!((owner.controller, owner.block_owner_deletion), (Some(true), Some(true)));
    let task = execution.task_spec().unwrap();
    assert_eq!(task.timeout_seconds, Some(600));
    assert_eq!(task.max_retries, Some(3));
    let env = &task.containers[0].env[0];
    assert_eq!(env.name, "RUNTIME_SUPABASE_URL");
    assert_eq!(env.value_from.as_ref().unwrap()["secretKeyRef"]["name"], "dev_url_supa");
}

#[test]
fn lossless_running_execution_status_round_trips_exactly() {
    let original = parse_json(RUNNING_STATUS)["status"].clone();
    assert_eq!(roundtrip::<ExecutionStatus>(&original), original);
    let status: ExecutionStatus = serde_json::from_value(original).unwrap();
    assert_eq!((status.running_count, status.retried_count), (1, 1));
    assert_eq!(status.conditions[4].severity, "Info");
    assert_eq!(status.conditions[4].reason, "WaitingForOperation");
}

// ---------------------------------------------------------------------------------------------
// requests and exports keep every non-empty field

#[test]
fn r8_create_request_keeps_every_non_empty_field() {
    let original = parse_json(CREATE_REQUEST);
    let out = roundtrip_text::<Job>(CREATE_REQUEST);
    assert_eq!(out, strip_empty(&original));
    // what R8 drops: `"name": ""`, `"labels": {}`, `"nodeSelector": {}`, the empty reference
    assert!(out["metadata"].get("labels").is_none());
    assert!(task_spec_json(&out).get("nodeSelector").is_none());
    assert!(task_spec_json(&out)["containers"][0].get("name").is_none());
    assert_eq!(out["status"], json!({}));
}

#[test]
fn r8_replace_request_keeps_every_non_empty_field() {
    let original = parse_json(REPLACE_REQUEST);
    assert_eq!(roundtrip_text::<Job>(REPLACE_REQUEST), strip_empty(&original));
    // nothing in it is empty: it comes back exactly
    assert_eq!(roundtrip::<Job>(&original), original);
}

#[track_caller]
fn assert_yaml_job_keeps_every_field(text: &str) {
    let original = yaml_value(text);
    let out = roundtrip_text::<Job>(text);
    assert_eq!(out, strip_empty(&original));
    let task = task_spec_json(&out);
    assert_eq!(task["timeoutSeconds"], json!("3600"), "int64 stays a JSON string");
    assert_eq!(task["maxRetries"], json!(0), "explicit maxRetries: 0 is kept");
    assert_eq!(out["spec"]["template"]["spec"]["parallelism"], json!(1));
    assert_eq!(task["containers"][0]["imagePullPolicy"], json!("Always"));

    let job: Job = from_json_or_yaml(text).unwrap();
    let spec = job.task_spec().unwrap();
    assert_eq!(spec.timeout_seconds, Some(3600));
    assert_eq!(spec.max_retries, Some(0));
}

#[test]
fn r8_yaml_fixture_job_keeps_every_field() {
    assert_yaml_job_keeps_every_field(YAML_FIXTURE_JOB);
}

#[test]
fn r8_yaml_export_job_keeps_every_field() {
    assert_yaml_job_keeps_every_field(YAML_FULL_JOB);
    let job: Job = from_json_or_yaml(YAML_FULL_JOB).unwrap();
    let template_meta = job.spec.template.unwrap().metadata.unwrap();
    assert_eq!(template_meta.labels["test_label"], "test_value");
}

#[test]
fn r8_yaml_issue_508_job_keeps_every_field() {
    assert_yaml_job_keeps_every_field(YAML_ISSUE_508_JOB);
    let job: Job = from_json_or_yaml(YAML_ISSUE_508_JOB).unwrap();
    assert_eq!(job.metadata.labels["run.googleapis.com/satisfiesPzs"], "true");
}

// ---------------------------------------------------------------------------------------------
// fields outside the v1 schema at every level

/// `value` without the keys starting with `future` (the fields no v1 schema defines).
fn without_future_fields(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !k.starts_with("future"))
                .map(|(k, v)| (k.clone(), without_future_fields(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_future_fields).collect()),
        other => other.clone(),
    }
}

/// D24: a body with fields outside the schema is refused before it reaches the types, so the
/// types keep every schema field and drop the rest (issue 10 removed the `#[serde(flatten)]`
/// catch-all); typed neighbours such as the probes survive.
#[test]
fn d24_fields_outside_the_schema_are_dropped_at_every_level_schema_fields_kept() {
    let original = json!({
        "apiVersion": "run.googleapis.com/v1",
        "kind": "Job",
        "futureTopLevel": {"a": [1, 2, {"b": null}]},
        "metadata": {"name": "j", "futureMeta": 7},
        "spec": {
            "futureSpec": true,
            "template": {
                "futureExecutionTemplate": "x",
                "metadata": {"annotations": {"k": "v"}, "futureTemplateMeta": []},
                "spec": {
                    "taskCount": 2,
                    "futureExecutionSpec": 1.5,
                    "template": {
                        "futureTaskTemplate": {},
                        "spec": {
                            "futureTaskSpec": "y",
                            "containers": [{
                                "image": "img",
                                "futureContainer": {"deep": ["z"]},
                                "env": [{"name": "A", "value": "1", "futureEnv": 0}],
                                "resources": {"limits": {"cpu": "1"}, "futureResources": "r"},
                                "ports": [{"containerPort": 8080, "futurePort": "p"}],
                                "volumeMounts": [{"name": "v", "mountPath": "/v", "futureMount": 1}],
                                "startupProbe": {"tcpSocket": {"port": 8080}},
                                "livenessProbe": {"httpGet": {"path": "/"}}
                            }],
                            "volumes": [{"name": "v", "emptyDir": {}, "futureVolume": 2}]
                        }
                    }
                }
            }
        },
        "status": {
            "futureStatus": "s",
            "conditions": [{"type": "Ready", "status": "True", "futureCondition": 3}],
            "latestCreatedExecution": {"name": "j-abcde", "futureRef": "r"}
        }
    });
    let kept = without_future_fields(&original);
    assert_ne!(kept, original, "the fixture has fields outside the schema");
    assert_eq!(roundtrip::<Job>(&original), kept);

    let job: Job = serde_json::from_value(original).unwrap();
    let container: &Container = &job.task_spec().unwrap().containers[0];
    assert!(container.startup_probe.is_some(), "probes are typed fields");
}

#[test]
fn lossless_task_execution_list_and_run_request_round_trip() {
    let task = json!({
        "apiVersion": "run.googleapis.com/v1",
        "kind": "Task",
        "metadata": {"name": "e-task0", "generation": 1},
        "spec": {},
        "status": {
            "completionTime": "2025-01-01T00:00:01.000000Z",
            "conditions": [{"type": "Completed", "status": "False", "reason": "NonZeroExitCode"}],
            "lastAttemptResult": {"exitCode": 1, "status": {"code": 10, "message": "m"}},
            "observedGeneration": 1,
            "startTime": "2025-01-01T00:00:00.000000Z"
        }
    });
    assert_eq!(roundtrip::<Task>(&task), task);

    let list = json!({
        "apiVersion": "run.googleapis.com/v1",
        "kind": "JobsList",
        "metadata": {"continue": "tok", "resourceVersion": "rv"},
        "items": [{"metadata": {"name": "a"}, "spec": {}}],
        "unreachable": ["us-east1"]
    });
    assert_eq!(roundtrip::<ListJobsResponse>(&list), list);
    let parsed: List<Job> = serde_json::from_value(list).unwrap();
    assert_eq!(parsed.metadata.continue_, "tok");

    let run = json!({
        "overrides": {
            "containerOverrides": [{"name": "c", "args": ["a"], "env": [{"name": "X", "value": "1"}], "clearArgs": true}],
            "taskCount": 3,
            "timeoutSeconds": 120,
            "delayExecution": true
        }
    });
    assert_eq!(roundtrip::<RunJobRequest>(&run), run);
}

// ---------------------------------------------------------------------------------------------
// R8 encoding rules

#[test]
fn r8_int64_fields_are_strings() {
    let spec =
        TaskSpec { timeout_seconds: Some(600), termination_grace_period_seconds: Some(10), ..TaskSpec::default() };
    assert_eq!(
        serde_json::to_value(&spec).unwrap(),
        json!({"timeoutSeconds": "600", "terminationGracePeriodSeconds": "10"})
    );
    assert_eq!(serde_json::to_value(TaskSpec::default()).unwrap(), json!({}));
}

#[test]
fn r8_int64_fields_accept_a_string_or_a_number() {
    for input in [json!({"timeoutSeconds": 600}), json!({"timeoutSeconds": "600"})] {
        let spec: TaskSpec = serde_json::from_value(input).unwrap();
        assert_eq!(spec.timeout_seconds, Some(600));
    }
    let spec: TaskSpec = from_json_or_yaml("timeoutSeconds: '3600'\n").unwrap();
    assert_eq!(spec.timeout_seconds, Some(3600));
    let spec: TaskSpec = from_json_or_yaml("terminationGracePeriodSeconds: 30\n").unwrap();
    assert_eq!(spec.termination_grace_period_seconds, Some(30));
    let spec: TaskSpec = serde_json::from_value(json!({"timeoutSeconds": null})).unwrap();
    assert_eq!(spec.timeout_seconds, None);
}

#[test]
fn r8_int64_fields_reject_non_numeric_strings() {
    let err = serde_json::from_value::<TaskSpec>(json!({"timeoutSeconds": "ten"})).unwrap_err();
    assert!(err.to_string().contains("\"ten\""), "{err}");
    assert!(err.to_string().contains("int64"), "{err}");

    let text = r#"{"spec": {"template": {"spec": {"template": {"spec": {"timeoutSeconds": "ten"}}}}}}"#;
    let err = from_json_or_yaml::<Job>(text).unwrap_err();
    assert!(err.contains("line 1 column"), "{err}");
    assert!(err.contains("spec.template.spec.template.spec.timeoutSeconds"), "{err}");
    assert!(err.contains("\"ten\""), "{err}");

    let err = from_json_or_yaml::<TaskSpec>("timeoutSeconds: 1.5\n").unwrap_err();
    assert!(err.contains("timeoutSeconds"), "{err}");
}

#[test]
fn r8_int32_fields_are_numbers() {
    let run: RunJobRequest = serde_json::from_value(json!({"overrides": {"timeoutSeconds": 90}})).unwrap();
    let out = serde_json::to_value(&run).unwrap();
    assert_eq!(out["overrides"]["timeoutSeconds"], json!(90), "Overrides.timeoutSeconds is int32");
    let job: Job = from_json_or_yaml(CREATE_RESPONSE).unwrap();
    let out = serde_json::to_value(&job).unwrap();
    assert_eq!(out["metadata"]["generation"], json!(1));
    assert_eq!(out["spec"]["template"]["spec"]["taskCount"], json!(1));
    assert_eq!(task_spec_json(&out)["maxRetries"], json!(3));
}

#[test]
fn r8_max_retries_keeps_an_explicit_zero() {
    let unset = TaskSpec::default();
    assert!(serde_json::to_value(&unset).unwrap().get("maxRetries").is_none());
    let zero = TaskSpec { max_retries: Some(0), ..TaskSpec::default() };
    assert_eq!(serde_json::to_value(&zero).unwrap(), json!({"maxRetries": 0}));

    let read: TaskSpec = serde_json::from_value(json!({"maxRetries": 0})).unwrap();
    assert_eq!(read.max_retries, Some(0));
    let read: TaskSpec = serde_json::from_value(json!({})).unwrap();
    assert_eq!(read.max_retries, None);
}

#[test]
fn r8_empty_status_is_written_as_an_empty_object() {
    let mut job = Job::default();
    assert_eq!(serde_json::to_value(&job).unwrap(), json!({"metadata": {}, "spec": {}}));
    job.status = Some(JobStatus::default());
    assert_eq!(serde_json::to_value(&job).unwrap(), json!({"metadata": {}, "spec": {}, "status": {}}));
}

#[test]
fn r8_empty_latest_created_execution_is_dropped() {
    let job: Job = serde_json::from_value(json!({"status": {"latestCreatedExecution": {}}})).unwrap();
    assert_eq!(serde_json::to_value(&job).unwrap()["status"], json!({}));
    let job: Job = serde_json::from_value(
        json!({"status": {"latestCreatedExecution": {"name": "j-x", "completionStatus": "EXECUTION_RUNNING"}}}),
    )
    .unwrap();
    assert_eq!(
        serde_json::to_value(&job).unwrap()["status"]["latestCreatedExecution"],
        json!({"name": "j-x", "completionStatus": "EXECUTION_RUNNING"})
    );
}

#[test]
fn r8_zero_counts_index_and_retried_are_omitted() {
    let status = ExecutionStatus { failed_count: 1, ..ExecutionStatus::default() };
    assert_eq!(serde_json::to_value(&status).unwrap(), json!({"failedCount": 1}));

    // a task renders `"spec": {}` like the real API; index 0 / retried 0 never appear
    let task = Task { status: Some(Default::default()), ..Task::default() };
    assert_eq!(serde_json::to_value(&task).unwrap(), json!({"metadata": {}, "spec": {}, "status": {}}));
}

#[test]
fn r6_timestamps_round_trip_byte_for_byte() {
    for ts in ["1970-01-01T00:00:00Z", "2025-05-29T21:29:27.843667779Z", "2025-01-01T01:00:00+01:00"] {
        let condition = json!({"type": "Ready", "status": "True", "lastTransitionTime": ts});
        let out = roundtrip::<Condition>(&condition);
        assert_eq!(out, condition);
        assert_eq!(serde_json::to_string(&out["lastTransitionTime"]).unwrap(), format!("\"{ts}\""));
    }
}

#[test]
fn keyword_fields_use_their_json_names() {
    let condition = Condition { type_: "Ready".into(), ..Condition::default() };
    assert_eq!(serde_json::to_value(&condition).unwrap(), json!({"type": "Ready"}));
    let meta = ListMeta { continue_: "t".into(), ..ListMeta::default() };
    assert_eq!(serde_json::to_value(&meta).unwrap(), json!({"continue": "t"}));
}

#[test]
fn yaml_and_json_decode_to_the_same_job() {
    let from_yaml: Job = from_json_or_yaml(YAML_FIXTURE_JOB).unwrap();
    let as_json = serde_json::to_string_pretty(&from_yaml).unwrap();
    let from_json: Job = from_json_or_yaml(&as_json).unwrap();
    assert_eq!(from_yaml, from_json);
}
