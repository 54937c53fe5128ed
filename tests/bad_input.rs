//! Bad input to the jobs API: each case gets a clear error (its code, and a message or field
//! violation naming what is wrong), and nothing in the state or the event log changes
//! (`Then::then_err` compares the log version and a snapshot of the state before and after).
//!
//! The event-log half checks that a log or snapshot that cannot be replayed is refused with
//! INVALID_EVENT_LOG and a message naming the problem.

use jobsim_core::scenario::Scenario;
use jobsim_core::testing::{job, Given};
use jobsim_core::{Error, ErrorCode, Simulator};
use serde_json::{json, Value};

const IMAGE: &str = "us-docker.pkg.dev/demo/etl:1";

/// A world with something in it: a Ready job `etl` with a running execution, and a job `report`.
fn busy_world() -> Given {
    Given::scenario(&json!({"seed": 3})).given(&[
        json!({"call": "jobs.create", "body": job("etl", IMAGE)}),
        json!({"call": "jobs.create", "body": job("report", IMAGE)}),
        json!({"advance": "1s"}),
        json!({"call": "jobs.run", "name": "etl"}),
        json!({"advance": "3s"}),
    ])
}

/// `(what, step, code, text the error must mention)`.
type Case = (&'static str, Value, ErrorCode, &'static str);

#[track_caller]
fn check(cases: Vec<Case>) {
    for (what, step, code, mention) in cases {
        busy_world().when(step).then_err(code).with_error(|e| {
            let all = format!("{} {:?}", e.message, e.field_violations);
            assert!(all.contains(mention), "{what}: the error should mention {mention:?}: {}", e.body());
        });
    }
}

fn with_task_spec(key: &str, value: Value) -> Value {
    let mut body = job("x", IMAGE);
    body["spec"]["template"]["spec"]["template"]["spec"][key] = value;
    body
}

#[test]
fn malformed_bodies_and_documents_are_refused() {
    check(vec![
        (
            "body is JSON text, not an object",
            json!({"call": "jobs.create", "body": "{\"metadata\": {"}),
            ErrorCode::InvalidArgument,
            "body",
        ),
        ("body is an array", json!({"call": "jobs.create", "body": [1, 2]}), ErrorCode::InvalidArgument, "body"),
        ("body missing", json!({"call": "jobs.create"}), ErrorCode::InvalidArgument, "body"),
        (
            "run body not an object",
            json!({"call": "jobs.run", "name": "etl", "body": "go"}),
            ErrorCode::InvalidArgument,
            "body",
        ),
    ]);
    // Text that is not JSON or YAML never reaches a simulator; its error says where it broke.
    let e = Scenario::parse("{\"steps\": [").map(|_| ()).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidScenario);
    assert!(e.message.contains("line 1"), "{}", e.message);
    let e = Scenario::parse("steps:\n  - call: jobs.get\n   name: [etl").map(|_| ()).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidScenario);
    assert!(e.message.contains("YAML"), "{}", e.message);
    let e =
        jobsim_core::resources::from_json_or_yaml::<jobsim_core::resources::Job>("metadata: {name: etl\n").unwrap_err();
    assert!(e.contains("invalid YAML"), "{e}");
}

#[test]
fn wrong_types_are_400_naming_the_field() {
    check(vec![
        (
            "taskCount as a word",
            json!({"call": "jobs.create", "body": {"metadata": {"name": "x"}, "spec": {"template": {"spec": {"taskCount": "three"}}}}}),
            ErrorCode::InvalidArgument,
            "taskCount",
        ),
        (
            "maxRetries as a list",
            json!({"call": "jobs.create", "body": with_task_spec("maxRetries", json!([1]))}),
            ErrorCode::InvalidArgument,
            "maxRetries",
        ),
        (
            "containers as a string",
            json!({"call": "jobs.create", "body": with_task_spec("containers", json!("x"))}),
            ErrorCode::InvalidArgument,
            "containers",
        ),
        (
            "timeoutSeconds with a fraction",
            json!({"call": "jobs.create", "body": with_task_spec("timeoutSeconds", json!("1.5"))}),
            ErrorCode::InvalidArgument,
            "timeoutSeconds",
        ),
        (
            "a label value as a number",
            json!({"call": "jobs.create", "body": {"metadata": {"name": "x", "labels": {"team": 7}}}}),
            ErrorCode::InvalidArgument,
            "labels",
        ),
        (
            "overrides.taskCount as a word (a decimal string would be read, D23)",
            json!({"call": "jobs.run", "name": "etl", "body": {"overrides": {"taskCount": "two"}}}),
            ErrorCode::InvalidArgument,
            "taskCount",
        ),
        ("name as a number", json!({"call": "jobs.get", "name": 7}), ErrorCode::InvalidArgument, "name"),
        (
            "namespace as a number",
            json!({"call": "jobs.get", "name": "etl", "namespace": 1}),
            ErrorCode::InvalidArgument,
            "namespace",
        ),
        ("query as a string", json!({"call": "jobs.list", "query": "limit=1"}), ErrorCode::InvalidArgument, "query"),
        (
            "limit as a word",
            json!({"call": "jobs.list", "query": {"limit": "ten"}}),
            ErrorCode::InvalidArgument,
            "query.limit",
        ),
        (
            "force as a word",
            json!({"call": "jobs.delete", "name": "etl", "query": {"force": "maybe"}}),
            ErrorCode::InvalidArgument,
            "query.force",
        ),
        (
            "labelSelector as a list",
            json!({"call": "jobs.list", "query": {"labelSelector": ["a"]}}),
            ErrorCode::InvalidArgument,
            "query.labelSelector",
        ),
    ]);
    let mut sim = busy_world().into_simulator();
    let before = sim.snapshot();
    let e = sim.call("jobs.list", &json!(["not", "an", "object"])).unwrap_err();
    assert_eq!((e.code, fields(&e)), (ErrorCode::InvalidArgument, vec!["params"]));
    assert_eq!(sim.snapshot(), before);
}

fn fields(e: &Error) -> Vec<&str> {
    e.field_violations.iter().map(|v| v.field.as_str()).collect()
}

#[test]
fn unknown_methods_parameters_and_query_parameters_are_refused() {
    check(vec![
        (
            "watch is not supported",
            json!({"call": "jobs.get", "name": "etl", "query": {"watch": true}}),
            ErrorCode::InvalidArgument,
            "query.watch",
        ),
        (
            "unknown query parameter",
            json!({"call": "jobs.get", "name": "etl", "query": {"view": "full"}}),
            ErrorCode::InvalidArgument,
            "query.view",
        ),
        (
            "fieldSelector",
            json!({"call": "jobs.list", "query": {"fieldSelector": "metadata.name=etl"}}),
            ErrorCode::InvalidArgument,
            "not supported",
        ),
        (
            "name and latestOf",
            json!({"call": "executions.get", "name": "etl-x", "latestOf": "etl"}),
            ErrorCode::InvalidArgument,
            "latestOf",
        ),
        (
            "latestOf on a job method",
            json!({"call": "jobs.get", "latestOf": "etl"}),
            ErrorCode::InvalidArgument,
            "latestOf",
        ),
        ("no name", json!({"call": "jobs.get"}), ErrorCode::InvalidArgument, "name"),
        ("empty name", json!({"call": "jobs.delete", "name": ""}), ErrorCode::InvalidArgument, "name"),
        (
            "selector syntax",
            json!({"call": "jobs.list", "query": {"labelSelector": "team in (a"}}),
            ErrorCode::InvalidArgument,
            "labelSelector",
        ),
    ]);
    // An unknown method, called directly…
    let mut sim = busy_world().into_simulator();
    let (version, before) = (sim.version(), sim.snapshot());
    for params in [json!({"name": "etl"}), json!({"name": "etl", "extra": 1})] {
        let e = sim.call("jobs.patch", &params).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidArgument);
        assert!(e.message.contains("jobs.patch") || e.message.contains("extra"), "{}", e.message);
    }
    assert_eq!((sim.version(), sim.snapshot()), (version, before));
    // …or in a scenario step, which is refused before anything runs.
    let e = Scenario::parse("steps:\n  - {call: jobs.patch, name: etl}\n").map(|_| ()).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidScenario);
    assert!(e.message.contains("steps[0].call") && e.message.contains("jobs.patch"), "{}", e.message);
    let e = Scenario::parse("steps:\n  - {call: jobs.get, nmae: etl}\n").map(|_| ()).unwrap_err();
    assert!(e.message.contains("steps[0].nmae"), "{}", e.message);
}

#[test]
fn invalid_names_and_out_of_range_numbers_are_400() {
    let long = "x".repeat(64);
    let cases: Vec<Case> = vec![
        (
            "uppercase name",
            json!({"call": "jobs.create", "body": job("ETL", IMAGE)}),
            ErrorCode::InvalidArgument,
            "metadata.name",
        ),
        (
            "64-character name",
            json!({"call": "jobs.create", "body": job(&long, IMAGE)}),
            ErrorCode::InvalidArgument,
            "metadata.name",
        ),
        (
            "trailing dash",
            json!({"call": "jobs.create", "body": job("etl-", IMAGE)}),
            ErrorCode::InvalidArgument,
            "metadata.name",
        ),
        (
            "taskCount 10001",
            json!({"call": "jobs.create", "body": {"metadata": {"name": "x"}, "spec": {"template": {"spec": {"taskCount": 10001, "template": {"spec": {"containers": [{"image": IMAGE}]}}}}}}}),
            ErrorCode::InvalidArgument,
            "taskCount",
        ),
        (
            "taskCount beyond int32",
            json!({"call": "jobs.create", "body": {"metadata": {"name": "x"}, "spec": {"template": {"spec": {"taskCount": 4_294_967_296_u64}}}}}),
            ErrorCode::InvalidArgument,
            "taskCount",
        ),
        (
            "maxRetries 11",
            json!({"call": "jobs.create", "body": with_task_spec("maxRetries", json!(11))}),
            ErrorCode::InvalidArgument,
            "maxRetries",
        ),
        (
            "timeout of 8 days",
            json!({"call": "jobs.create", "body": with_task_spec("timeoutSeconds", json!("691200"))}),
            ErrorCode::InvalidArgument,
            "timeoutSeconds",
        ),
        (
            "negative limit",
            json!({"call": "jobs.list", "query": {"limit": -1}}),
            ErrorCode::InvalidArgument,
            "query.limit",
        ),
        (
            "limit beyond int32",
            json!({"call": "jobs.list", "query": {"limit": 2_147_483_648_u64}}),
            ErrorCode::InvalidArgument,
            "query.limit",
        ),
        (
            "override taskCount -1",
            json!({"call": "jobs.run", "name": "etl", "body": {"overrides": {"taskCount": -1}}}),
            ErrorCode::InvalidArgument,
            "overrides.taskCount",
        ),
        (
            "override timeout of 8 days",
            json!({"call": "jobs.run", "name": "etl", "body": {"overrides": {"timeoutSeconds": 691200}}}),
            ErrorCode::InvalidArgument,
            "overrides.timeoutSeconds",
        ),
    ];
    check(cases);
}

#[test]
fn conflicts_unknown_resources_and_bad_tokens_are_refused() {
    let mut current = busy_world().into_simulator();
    let job_now = current.call("jobs.get", &json!({"name": "etl"})).unwrap();
    let mut stale = job_now.clone();
    stale["metadata"]["resourceVersion"] = json!("AAZHSEYgQAA");
    let mut renamed = job_now.clone();
    renamed["metadata"]["name"] = json!("etl2");
    check(vec![
        (
            "stale resourceVersion",
            json!({"call": "jobs.replaceJob", "name": "etl", "body": stale}),
            ErrorCode::Aborted,
            "resourceVersion",
        ),
        (
            "body name differs from the path",
            json!({"call": "jobs.replaceJob", "name": "etl", "body": renamed}),
            ErrorCode::InvalidArgument,
            "metadata.name",
        ),
        (
            "create an existing job",
            json!({"call": "jobs.create", "body": job("report", IMAGE)}),
            ErrorCode::AlreadyExists,
            "report",
        ),
        ("get a missing job", json!({"call": "jobs.get", "name": "nope"}), ErrorCode::NotFound, "'nope' of kind 'JOB'"),
        (
            "replace a missing job",
            json!({"call": "jobs.replaceJob", "name": "nope", "body": job("nope", IMAGE)}),
            ErrorCode::NotFound,
            "'nope'",
        ),
        ("delete a missing job", json!({"call": "jobs.delete", "name": "nope"}), ErrorCode::NotFound, "'nope'"),
        ("run a missing job", json!({"call": "jobs.run", "name": "nope"}), ErrorCode::NotFound, "'nope'"),
        (
            "a missing execution",
            json!({"call": "executions.get", "name": "etl-zzzzz"}),
            ErrorCode::NotFound,
            "EXECUTION",
        ),
        (
            "cancel a missing execution",
            json!({"call": "executions.cancel", "name": "etl-zzzzz"}),
            ErrorCode::NotFound,
            "EXECUTION",
        ),
        (
            "delete a missing execution",
            json!({"call": "executions.delete", "name": "etl-zzzzz"}),
            ErrorCode::NotFound,
            "EXECUTION",
        ),
        ("a missing task", json!({"call": "tasks.get", "name": "etl-zzzzz-task0"}), ErrorCode::NotFound, "TASK"),
        (
            "a task index with a leading zero",
            json!({"call": "tasks.get", "name": "etl-zzzzz-task00"}),
            ErrorCode::NotFound,
            "TASK",
        ),
        (
            "latestOf a job without executions",
            json!({"call": "executions.get", "latestOf": "report"}),
            ErrorCode::NotFound,
            "report",
        ),
        (
            "another project's namespace",
            json!({"call": "jobs.list", "namespace": "other-project"}),
            ErrorCode::NotFound,
            "other-project",
        ),
        (
            "delete while an execution runs",
            json!({"call": "jobs.delete", "name": "etl"}),
            ErrorCode::FailedPrecondition,
            "force",
        ),
        (
            "a made-up continue token",
            json!({"call": "jobs.list", "query": {"continue": "abc"}}),
            ErrorCode::InvalidArgument,
            "query.continue",
        ),
        (
            "a made-up tasks continue token",
            json!({"call": "tasks.list", "query": {"continue": "6a6f6273.0"}}),
            ErrorCode::InvalidArgument,
            "query.continue",
        ),
    ]);
}

#[test]
fn bad_clock_moves_are_refused() {
    // A scenario refuses them before anything runs…
    for (step, mention) in [
        ("{advance: soon}", "invalid duration"),
        ("{advanceTo: yesterday}", "invalid timestamp"),
        ("{runUntilIdle: false}", "must be true"),
    ] {
        let e = Scenario::parse(&format!("steps:\n  - {step}\n")).map(|_| ()).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidScenario);
        assert!(e.message.contains("steps[0]") && e.message.contains(mention), "{step}: {}", e.message);
    }
    // …and the simulator refuses them without moving.
    let mut sim = busy_world().into_simulator();
    let (version, before) = (sim.version(), sim.snapshot());
    let errors = [
        sim.advance(&json!("-1s")).unwrap_err(),
        sim.advance(&json!("soon")).unwrap_err(),
        sim.advance(&json!({"seconds": 1})).unwrap_err(),
        sim.advance_to("2025-12-31T00:00:00Z").unwrap_err(),
        sim.advance_to("tomorrow").unwrap_err(),
    ];
    for e in &errors {
        assert_eq!(e.code, ErrorCode::InvalidArgument, "{}", e.message);
    }
    assert!(errors[3].message.contains("time never goes back"), "{}", errors[3].message);
    assert!(errors[0].message.contains("time never goes back"), "{}", errors[0].message);
    assert_eq!((sim.version(), sim.snapshot()), (version, before));
}

/// Item 13 of issue #9: `advance: -5s` made the scenario unusable (exit 2) while `advanceTo` a
/// past time was a step outcome; both are now the same kind: a 400 step outcome, the run goes on.
#[test]
fn a_clock_step_going_back_is_a_step_outcome_whether_advance_or_advance_to() {
    let text = "start: \"2026-01-01T00:00:00Z\"\nsteps:\n  - {advance: -5s}\n  - {advance: -1.5}\n  - {advanceTo: \"2025-12-31T00:00:00Z\"}\n  - {advance: 1s}\n";
    let run = Scenario::parse(text).unwrap().run().unwrap();
    let outcomes = run.outcome_values();
    for outcome in &outcomes[..3] {
        assert_eq!(outcome["status"], 400, "{outcome}");
        assert_eq!(outcome["body"]["error"]["status"], "INVALID_ARGUMENT", "{outcome}");
        let message = outcome["body"]["error"]["message"].as_str().unwrap_or("");
        assert!(message.contains("time never goes back"), "{outcome}");
    }
    assert_eq!(outcomes[3]["now"], "2026-01-01T00:00:01.000000Z");
}

// ---------------------------------------------------------------------------------------------
// Event logs and snapshots

fn small_log() -> Vec<Value> {
    let mut sim = Simulator::new(&json!({"profile": "instant"})).unwrap();
    sim.call("jobs.create", &json!({"body": job("etl", IMAGE)})).unwrap();
    sim.call("jobs.run", &json!({"name": "etl"})).unwrap();
    sim.run_until_idle().unwrap();
    sim.events(1)
}

#[track_caller]
fn refused(events: &[Value], mention: &str) {
    match Simulator::replay(events) {
        Ok(_) => panic!("a log that should be refused ({mention}) replayed"),
        Err(e) => {
            assert_eq!(e.code, ErrorCode::InvalidEventLog, "{}", e.message);
            assert!(e.message.contains(mention), "the error should mention {mention:?}: {}", e.message);
        }
    }
}

#[test]
fn an_event_log_with_a_gap_or_a_duplicate_sequence_is_refused() {
    let log = small_log();
    assert!(Simulator::replay(&log).is_ok());
    let mut gap = log.clone();
    gap.remove(3);
    refused(&gap, "gap before sequence 5");
    let mut duplicate = log.clone();
    duplicate.insert(3, log[2].clone());
    refused(&duplicate, "duplicate sequence 3");
    let mut renumbered = log.clone();
    renumbered[4]["sequence"] = json!(4);
    refused(&renumbered, "duplicate sequence 4");
}

#[test]
fn an_unknown_event_type_or_schema_is_refused() {
    let log = small_log();
    let mut unknown_type = log.clone();
    unknown_type[2]["type"] = json!("JobTeleported");
    refused(&unknown_type, "JobTeleported");
    let mut future_schema = log.clone();
    future_schema[2]["schema"] = json!(2);
    refused(&future_schema, "unknown event schema 2");
    let mut bad_payload = log.clone();
    bad_payload[1]["payload"] = json!({"job": "not a job"});
    refused(&bad_payload, "event 2");
}

#[test]
fn a_malformed_event_log_is_refused() {
    let log = small_log();
    refused(&[], "empty");
    refused(&log[1..], "WorldStarted");
    let mut second_world = log.clone();
    second_world.insert(2, log[0].clone());
    refused(&second_world, "WorldStarted may only be the first event");
    refused(&[json!("not an object")], "JSON object");
    let mut missing = log.clone();
    missing[1].as_object_mut().map(|m| m.remove("time"));
    refused(&missing, "time");
    let mut back_in_time = log.clone();
    let last = back_in_time.len() - 1;
    back_in_time[last]["time"] = json!("2025-01-01T00:00:00Z");
    refused(&back_in_time, "goes back in time");
}

#[test]
fn a_snapshot_that_does_not_fit_its_tail_is_refused() {
    let log = small_log();
    let at = Simulator::replay(&log[..3]).unwrap().snapshot();
    assert!(Simulator::from_snapshot(&at, &log[3..]).is_ok());
    for (tail, mention) in [(&log[4..], "gap"), (&log[2..], "duplicate")] {
        let e = Simulator::from_snapshot(&at, tail).map(|_| ()).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidEventLog);
        assert!(e.message.contains(mention), "{}", e.message);
    }
    let mut wrong_version = at.clone();
    wrong_version["version"] = json!(7);
    let e = Simulator::from_snapshot(&wrong_version, &[]).map(|_| ()).unwrap_err();
    assert!(e.message.contains("does not match"), "{}", e.message);
    let e = Simulator::from_snapshot(&json!({"version": 1}), &[]).map(|_| ()).unwrap_err();
    assert!(e.message.contains("snapshot.state"), "{}", e.message);
}
