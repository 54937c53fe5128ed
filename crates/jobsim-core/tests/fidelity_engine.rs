//! Engine fidelity, one test per class of defect of issue #9 (items 1–4, 8, 13) and the
//! decisions that settle them: D17 (versions), D18 (missing images), D19 (token readiness),
//! D20 (execution names), D21 (`latestOf`), D25 (end of time), D28 (delayed run answer).
//! Each test covers the class (every path), not only the repro.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jobsim_core::time::{parse_resource_version, MAX_TIME};
use jobsim_core::{Error, ErrorCode, Simulator};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const IMAGE: &str = "us-docker.pkg.dev/demo/etl:1";
const MISSING: &str = "img:missing";

fn sim(options: Value) -> Simulator {
    Simulator::new(&options).expect("options")
}

fn body(name: &str, image: &str) -> Value {
    json!({"metadata": {"name": name}, "spec": {"template": {"spec": {"taskCount": 3,
        "template": {"spec": {"maxRetries": 1, "containers": [{"image": image}]}}}}}})
}

fn with(mut b: Value, edit: impl FnOnce(&mut Value)) -> Value {
    edit(&mut b);
    b
}

fn ok(sim: &mut Simulator, method: &str, params: Value) -> Value {
    sim.call(method, &params).unwrap_or_else(|e| panic!("{method} {params}: {}", e.body()))
}

fn err(sim: &mut Simulator, method: &str, params: Value) -> Error {
    match sim.call(method, &params) {
        Ok(v) => panic!("{method} {params} was accepted: {v}"),
        Err(e) => e,
    }
}

fn create(sim: &mut Simulator, b: Value) -> Value {
    ok(sim, "jobs.create", json!({"body": b}))
}

fn get_job(sim: &Simulator, name: &str) -> Value {
    sim.read("jobs.get", &json!({"name": name})).expect("job")
}

fn condition<'v>(resource: &'v Value, type_: &str) -> &'v Value {
    resource["status"]["conditions"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["type"] == type_))
        .unwrap_or(&Value::Null)
}

/// `(status, reason)` of the job's `Ready`.
fn ready(sim: &Simulator, job: &str) -> (String, String) {
    let j = get_job(sim, job);
    let c = condition(&j, "Ready");
    (c["status"].as_str().unwrap_or("").to_string(), c["reason"].as_str().unwrap_or("").to_string())
}

fn rv(resource: &Value) -> i64 {
    parse_resource_version(resource["metadata"]["resourceVersion"].as_str().unwrap_or("")).expect("resourceVersion")
}

fn profiles() -> [&'static str; 2] {
    ["instant", "realistic"]
}

// ---------------------------------------------------------------------------------------------
// D17: resourceVersion strictly increasing per resource

#[test]
fn d17_same_instant_replaces_get_distinct_versions_and_the_stale_one_is_409_in_every_profile() {
    for profile in profiles() {
        let mut s = sim(json!({"profile": profile}));
        let created = create(&mut s, body("etl", IMAGE));
        // The repro: two replaces carrying the create's version at the create's instant.
        // Reconciliation wrote the job's status since (Ready=Unknown, at the same instant), so
        // the create's version is stale at once: both are refused, nothing is lost (D2, D17).
        let stale = with(body("etl", "us-docker.pkg.dev/demo/etl:2"), |b| {
            b["metadata"]["resourceVersion"] = created["metadata"]["resourceVersion"].clone()
        });
        for _ in 0..2 {
            let e = err(&mut s, "jobs.replaceJob", json!({"name": "etl", "body": stale.clone()}));
            assert_eq!((e.code, e.http_status()), (ErrorCode::Aborted, 409), "{profile}");
        }
        // Two replaces at one instant carrying the version just read: the first wins and gets a
        // strictly greater version, the second is stale (a lost update before D17).
        let current = get_job(&s, "etl");
        let carrying = |image: &str| {
            with(body("etl", image), |b| {
                b["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"].clone()
            })
        };
        let first = ok(&mut s, "jobs.replaceJob", json!({"name": "etl", "body": carrying("x/etl:2")}));
        assert!(rv(&first) > rv(&current), "{profile}: {} !> {}", rv(&first), rv(&current));
        let e = err(&mut s, "jobs.replaceJob", json!({"name": "etl", "body": carrying("x/etl:3")}));
        assert_eq!(e.code, ErrorCode::Aborted, "{profile}");
        let stored = get_job(&s, "etl");
        assert_eq!(stored["spec"]["template"]["spec"]["template"]["spec"]["containers"][0]["image"], "x/etl:2");
        assert!(rv(&stored) >= rv(&first), "{profile}");
        // jobs.delete takes no resourceVersion or precondition in v1 (discovery: apiVersion,
        // kind, name, propagationPolicy, dryRun), so there is no stale delete to refuse.
    }
}

/// Every resource (`jobs`, `executions`, `tasks`) as the API reads it, by kind and name.
fn all_resources(s: &Simulator) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for (kind, method) in [("job", "jobs.list"), ("execution", "executions.list"), ("task", "tasks.list")] {
        let list = s.read(method, &json!({})).expect("list");
        for item in list["items"].as_array().cloned().unwrap_or_default() {
            out.insert(format!("{kind}/{}", item["metadata"]["name"].as_str().unwrap_or("")), item);
        }
    }
    out
}

fn without_version(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(m) = v["metadata"].as_object_mut() {
        m.remove("resourceVersion");
    }
    v
}

#[test]
fn d17_every_write_of_a_job_execution_or_task_gives_it_a_strictly_greater_version() {
    // Writes at one instant everywhere: the instant profile, retries, a token, a cancel, a
    // delete, replaces; the realistic profile for writes at distinct instants.
    for profile in profiles() {
        let mut s = sim(json!({"profile": profile, "seed": 4,
            "faults": [{"job": "etl", "execution": 1, "task": 1, "attempt": 0, "exitCode": 3},
                       {"job": "etl", "execution": 2, "task": 0, "hang": true}]}));
        create(&mut s, with(body("etl", IMAGE), |b| b["spec"]["runExecutionToken"] = json!("t1")));
        ok(&mut s, "jobs.run", json!({"name": "etl"}));
        ok(
            &mut s,
            "jobs.replaceJob",
            json!({"name": "etl", "body": with(body("etl", IMAGE), |b| b["metadata"]["labels"] = json!({"a": "b"}))}),
        );
        s.advance(&json!("5s")).expect("advance");
        ok(&mut s, "executions.cancel", json!({"latestOf": "etl"}));
        let run = ok(&mut s, "jobs.run", json!({"name": "etl"}));
        ok(&mut s, "executions.delete", json!({"name": run["metadata"]["name"]}));
        s.run_until_idle().expect("idle");
        let events = s.events(0);
        let mut before: BTreeMap<String, Value> = BTreeMap::new();
        let mut writes = 0;
        for k in 1..=events.len() {
            let at = Simulator::replay(&events[..k]).expect("prefix replays");
            let now = all_resources(&at);
            for (name, r) in &now {
                if let Some(old) = before.get(name) {
                    if without_version(old) != without_version(r) {
                        writes += 1;
                        assert!(
                            rv(r) > rv(old),
                            "{profile}: event {k} ({}) changed {name} but its version went {} -> {}",
                            events[k - 1]["type"],
                            rv(old),
                            rv(r)
                        );
                    } else {
                        assert!(rv(r) >= rv(old), "{profile}: {name} version went back at event {k}");
                    }
                }
            }
            before = now;
        }
        assert!(writes > 20, "{profile}: only {writes} writes observed");
    }
}

// ---------------------------------------------------------------------------------------------
// D18: missing images

fn missing_world(profile: &str) -> Value {
    json!({"profile": profile, "settings": {"missingImages": [MISSING]}})
}

/// The execution of a missing image, after it ended: failed at `ContainerReady`, no task ran.
fn assert_failed_at_container_ready(s: &Simulator, execution: &str, what: &str) {
    let x = s.read("executions.get", &json!({"name": execution})).expect("execution");
    let message = format!("Image '{MISSING}' not found.");
    for type_ in ["ContainerReady", "Completed"] {
        let c = condition(&x, type_);
        assert_eq!(
            (&c["status"], &c["reason"], &c["message"]),
            (&json!("False"), &json!("ContainerMissing"), &json!(message)),
            "{what}: {type_} of {x}"
        );
    }
    assert_eq!(x["status"].get("startTime"), None, "{what}: no task started");
    assert_eq!(condition(&x, "Started"), &Value::Null, "{what}");
    assert_eq!(x["status"]["cancelledCount"], 3, "{what}: every task Abandoned counts as cancelled (D4)");
    let tasks =
        s.read("tasks.list", &json!({"query": {"labelSelector": format!("run.googleapis.com/execution={execution}")}}));
    let tasks = tasks.expect("tasks");
    let states: Vec<&Value> = tasks["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|t| &t["metadata"]["labels"]["run.googleapis.com/runningState"])
        .collect();
    assert_eq!(states, [&json!("Abandoned"); 3], "{what}");
    let job = x["metadata"]["labels"]["run.googleapis.com/job"].as_str().unwrap_or("");
    let latest = &get_job(s, job)["status"]["latestCreatedExecution"];
    assert_eq!(latest["name"], execution, "{what}");
    assert_eq!(latest["completionStatus"], "EXECUTION_FAILED", "{what}");
}

#[test]
fn d18_an_execution_of_a_missing_image_never_starts_a_task_token_or_run() {
    for profile in profiles() {
        for token in ["runExecutionToken", "startExecutionToken"] {
            let what = format!("{profile} {token}");
            let mut s = sim(missing_world(profile));
            create(&mut s, with(body("etl", MISSING), |b| b["spec"][token] = json!("t1")));
            s.run_until_idle().expect("idle");
            assert_failed_at_container_ready(&s, "etl-t1", &what);
            assert_eq!(ready(&s, "etl"), ("False".into(), "ContainerMissing".into()), "{what}");
            let e = err(&mut s, "jobs.run", json!({"name": "etl"}));
            assert_eq!(e.code, ErrorCode::FailedPrecondition, "{what}");
        }
    }
    // jobs.run accepted while Ready is still Unknown (before the reconcile step, realistic).
    let mut s = sim(missing_world("realistic"));
    create(&mut s, body("etl", MISSING));
    assert_eq!(ready(&s, "etl").0, "Unknown");
    let run = ok(&mut s, "jobs.run", json!({"name": "etl"}));
    s.run_until_idle().expect("idle");
    assert_failed_at_container_ready(&s, run["metadata"]["name"].as_str().unwrap_or(""), "run while Unknown");
    assert_eq!(ready(&s, "etl"), ("False".into(), "ContainerMissing".into()));
    let why = s.explain(run["metadata"]["name"].as_str().unwrap_or("")).expect("explain");
    assert!(why.contains("before any task started: Image 'img:missing' not found."), "{why}");
}

#[test]
fn d18_only_a_replace_that_fixes_the_image_lifts_container_missing() {
    let mut s = sim(missing_world("realistic"));
    let token = |t: &str| with(body("etl", MISSING), |b| b["spec"]["runExecutionToken"] = json!(t));
    create(&mut s, token("t1"));
    s.advance(&json!("1.1s")).expect("reconciled, the token execution not yet at ContainerReady");
    assert_eq!(ready(&s, "etl"), ("False".into(), "ContainerMissing".into()));
    // Cancelling the token execution does not make it Cancelled (nor Unknown).
    ok(&mut s, "executions.cancel", json!({"name": "etl-t1"}));
    s.run_until_idle().expect("idle");
    assert_eq!(ready(&s, "etl"), ("False".into(), "ContainerMissing".into()), "after cancel");
    // A labels-only replace, and a new token, keep it.
    ok(
        &mut s,
        "jobs.replaceJob",
        json!({"name": "etl", "body": with(token("t1"), |b| b["metadata"]["labels"] = json!({"a": "b"}))}),
    );
    s.run_until_idle().expect("idle");
    assert_eq!(ready(&s, "etl"), ("False".into(), "ContainerMissing".into()), "after a labels-only replace");
    ok(&mut s, "jobs.replaceJob", json!({"name": "etl", "body": token("t2")}));
    s.run_until_idle().expect("idle");
    assert_eq!(ready(&s, "etl"), ("False".into(), "ContainerMissing".into()), "after a new token");
    assert_failed_at_container_ready(&s, "etl-t2", "new token");
    // The image fixed: Ready=True (the new token's execution runs and succeeds).
    let fixed = with(body("etl", IMAGE), |b| b["spec"]["runExecutionToken"] = json!("t3"));
    ok(&mut s, "jobs.replaceJob", json!({"name": "etl", "body": fixed}));
    s.run_until_idle().expect("idle");
    assert_eq!(ready(&s, "etl"), ("True".into(), "".into()), "after fixing the image");
}

// ---------------------------------------------------------------------------------------------
// D19: every end of a token execution decides Ready

#[test]
fn d19_every_way_a_token_execution_ends_sets_ready_never_unknown() {
    // (ending, the job's Ready afterwards)
    let endings = [
        ("success", ("True", "")),
        ("failure", ("False", "NonZeroExitCode")),
        ("cancel", ("False", "Cancelled")),
        ("delete while running", ("False", "Cancelled")),
        ("delete while the job reconciles", ("False", "Cancelled")),
    ];
    for token in ["runExecutionToken", "startExecutionToken"] {
        for (ending, (status, reason)) in endings {
            let what = format!("{token} {ending}");
            let faults = if ending == "failure" {
                json!([{"job": "etl", "task": 0, "exitCode": 2}])
            } else {
                json!([{"job": "etl", "task": 0, "duration": "60s"}])
            };
            let mut s = sim(json!({"profile": "realistic", "faults": faults}));
            create(&mut s, with(body("etl", IMAGE), |b| b["spec"][token] = json!("t1")));
            match ending {
                "cancel" | "delete while running" => {
                    s.advance(&json!("10s")).expect("running");
                    let x = s.read("executions.get", &json!({"name": "etl-t1"})).expect("x");
                    assert_eq!(x["status"]["runningCount"], 3, "{what}: running");
                    let method = if ending == "cancel" { "executions.cancel" } else { "executions.delete" };
                    ok(&mut s, method, json!({"name": "etl-t1"}));
                }
                "delete while the job reconciles" => {
                    ok(&mut s, "executions.delete", json!({"name": "etl-t1"}));
                }
                _ => {}
            }
            s.run_until_idle().expect("idle");
            assert_eq!(ready(&s, "etl"), (status.to_string(), reason.to_string()), "{what}");
            // Reconciling again after the token execution is gone keeps what its end decided.
            if ending != "success" && ending != "failure" {
                let relabel = with(body("etl", IMAGE), |b| {
                    b["spec"][token] = json!("t1");
                    b["metadata"]["labels"] = json!({"again": "yes"});
                });
                ok(&mut s, "jobs.replaceJob", json!({"name": "etl", "body": relabel}));
                s.run_until_idle().expect("idle");
                assert_ne!(ready(&s, "etl").0, "Unknown", "{what}: after a later reconcile");
            }
        }
    }
    // A succeeded token execution deleted afterwards: a later reconcile keeps Ready=True.
    let mut s = sim(json!({"profile": "instant"}));
    create(&mut s, with(body("etl", IMAGE), |b| b["spec"]["runExecutionToken"] = json!("t1")));
    ok(&mut s, "executions.delete", json!({"name": "etl-t1"}));
    let relabel = with(body("etl", IMAGE), |b| {
        b["spec"]["runExecutionToken"] = json!("t1");
        b["metadata"]["labels"] = json!({"again": "yes"});
    });
    ok(&mut s, "jobs.replaceJob", json!({"name": "etl", "body": relabel}));
    s.run_until_idle().expect("idle");
    assert_eq!(ready(&s, "etl").0, "True");
}

// ---------------------------------------------------------------------------------------------
// D20: execution names are unique per namespace

#[test]
fn d20_a_token_execution_name_taken_by_another_job_is_409_and_nothing_is_stored() {
    for (first, first_token, second, second_token) in [("a", "b-c", "a-b", "c"), ("a-b", "c", "a", "b-c")] {
        for dry_run in [false, true] {
            let what = format!("{first}+{first_token} then {second}+{second_token} dryRun={dry_run}");
            let mut s = sim(json!({"profile": "instant"}));
            create(&mut s, with(body(first, IMAGE), |b| b["spec"]["runExecutionToken"] = json!(first_token)));
            s.run_until_idle().expect("idle");
            let version = s.version();
            let snapshot = s.snapshot();
            let b = with(body(second, IMAGE), |b| b["spec"]["runExecutionToken"] = json!(second_token));
            let query = if dry_run { json!({"dryRun": "all"}) } else { json!({}) };
            let e = err(&mut s, "jobs.create", json!({"body": b, "query": query}));
            assert_eq!((e.code, e.http_status()), (ErrorCode::AlreadyExists, 409), "{what}");
            assert!(e.message.contains("'a-b-c'"), "{what}: names the execution: {}", e.message);
            assert_eq!((s.version(), s.snapshot()), (version, snapshot.clone()), "{what}: nothing stored");
            // The same through a replace that introduces the token.
            create(&mut s, body(second, IMAGE));
            s.run_until_idle().expect("idle");
            let version = s.version();
            let e = err(&mut s, "jobs.replaceJob", json!({"name": second, "body": b, "query": query}));
            assert_eq!(e.code, ErrorCode::AlreadyExists, "{what}: replace");
            assert_eq!(s.version(), version, "{what}: replace stored nothing");
            // The job's own execution of that name is not a conflict (D7: nothing new).
            let own = with(body(first, IMAGE), |b| b["spec"]["runExecutionToken"] = json!(first_token));
            ok(&mut s, "jobs.replaceJob", json!({"name": first, "body": own}));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// D21: latestOf

#[test]
fn d21_latest_of_resolves_to_the_latest_created_execution_and_404s_when_it_is_gone() {
    let mut s = sim(json!({"profile": "instant"}));
    create(&mut s, body("etl", IMAGE));
    let older = ok(&mut s, "jobs.run", json!({"name": "etl"}));
    let newer = ok(&mut s, "jobs.run", json!({"name": "etl"}));
    s.run_until_idle().expect("idle");
    let got = ok(&mut s, "executions.get", json!({"latestOf": "etl"}));
    assert_eq!(got["metadata"]["name"], newer["metadata"]["name"]);
    ok(&mut s, "executions.delete", json!({"name": newer["metadata"]["name"]}));
    for method in ["executions.get", "executions.cancel", "executions.delete"] {
        let e = err(&mut s, method, json!({"latestOf": "etl"}));
        assert_eq!(e.code, ErrorCode::NotFound, "{method}");
        let name = newer["metadata"]["name"].as_str().unwrap_or("");
        assert!(e.message.contains(name), "{method}: {}", e.message);
        assert!(!e.message.contains(older["metadata"]["name"].as_str().unwrap_or("?")), "{method}");
    }
}

// ---------------------------------------------------------------------------------------------
// D25: the end of time

fn end_minus(seconds: f64) -> String {
    jobsim_core::time::format_timestamp(MAX_TIME - (seconds * 1e6) as i64)
}

fn is_end_of_time(e: &Error) -> bool {
    e.message.contains("after the end of simulated time")
}

/// The timer a D25 refusal names: the second word before " would be due".
fn timer_kind(e: &Error) -> String {
    e.message.split(" would be due").next().unwrap_or("").split(' ').nth(1).unwrap_or("").to_string()
}

#[test]
fn d25_finding_8_a_hang_past_the_end_of_time_fails_run_until_idle_saying_why() {
    let mut s = sim(json!({"start": "9999-12-25T00:00:00Z", "profile": "realistic",
        "faults": [{"job": "etl", "task": 0, "hang": true}]}));
    create(
        &mut s,
        with(body("etl", IMAGE), |b| {
            b["spec"]["template"]["spec"]["template"]["spec"]["timeoutSeconds"] = json!(604800)
        }),
    );
    ok(&mut s, "jobs.run", json!({"name": "etl"}));
    let e = s.run_until_idle().expect_err("cannot reach idle");
    assert!(is_end_of_time(&e), "{}", e.message);
    assert!(e.message.contains("attempt 0 of task"), "names the step: {}", e.message);
    assert!(s.next_timer_at().is_some(), "the work is still pending, and said so");
}

#[test]
fn d25_every_timer_path_near_the_end_of_time_either_reaches_idle_or_fails_saying_why() {
    // Starts from 2 h to 1 µs before the end; each path: reconcile, provisioning, delayed
    // start, attempts, retries, the Retry condition, job deletion.
    let offsets = [7200.0, 3601.0, 3000.0, 20.0, 12.5, 6.2, 5.2, 3.0, 2.5, 1.2, 0.5, 0.000001];
    let mut refused = 0;
    let mut seen = std::collections::BTreeSet::new();
    for profile in profiles() {
        for offset in offsets {
            for (delayed, max_retries) in [(false, 1), (true, 1), (false, 0)] {
                let what = format!("{profile} start={} delayed={delayed} maxRetries={max_retries}", end_minus(offset));
                let mut s = sim(json!({"profile": profile, "start": end_minus(offset),
                    "workloads": [{"job": "etl", "duration": "2s", "failureRate": 0.5}]}));
                let steps: Vec<(&str, Value)> = vec![
                    (
                        "jobs.create",
                        json!({"body": with(body("etl", IMAGE), |b| b["spec"]["template"]["spec"]["template"]["spec"]["maxRetries"] = json!(max_retries))}),
                    ),
                    ("jobs.run", json!({"name": "etl", "body": {"overrides": {"delayExecution": delayed}}})),
                    ("jobs.delete", json!({"name": "etl", "query": {"force": true}})),
                ];
                for (method, params) in steps {
                    let version = s.version();
                    if let Err(e) = s.call(method, &params) {
                        if is_end_of_time(&e) {
                            refused += 1;
                            seen.insert(timer_kind(&e));
                            assert_eq!(s.version(), version, "{what}: {method} refused but recorded");
                        }
                    }
                    match s.run_until_idle() {
                        Ok(_) => assert_eq!(s.next_timer_at(), None, "{what}: {method}: idle means idle"),
                        Err(e) => {
                            assert!(is_end_of_time(&e), "{what}: {method}: {}", e.message);
                            refused += 1;
                            seen.insert(timer_kind(&e));
                        }
                    }
                }
                let snapshot = s.snapshot();
                for timer in snapshot["state"]["timers"]["pending"].as_array().cloned().unwrap_or_default() {
                    assert!(timer["due"].as_i64().unwrap_or(0) <= MAX_TIME, "{what}: a timer past the end: {timer}");
                }
            }
        }
    }
    assert!(refused > 10, "the end of time was reached on several paths ({refused})");
    // Every kind of timer met the end: reconcile, deletion, provisioning (and delayed start),
    // start, attempt end, retry ("attempt 1 of …"), the Retry condition.
    let kinds: Vec<&str> = seen.iter().map(String::as_str).collect();
    assert_eq!(kinds, ["1", "Retry", "deletion", "end", "provisioning", "reconciliation", "start"]);
}

// ---------------------------------------------------------------------------------------------
// Item 13: 0 is the Unix epoch, not "absent"

#[test]
fn item13_a_start_at_the_unix_epoch_keeps_every_last_transition_time() {
    let mut s = sim(json!({"profile": "instant", "start": "1970-01-01T00:00:00Z"}));
    create(&mut s, body("etl", IMAGE));
    ok(&mut s, "jobs.run", json!({"name": "etl"}));
    s.run_until_idle().expect("idle");
    let resources = all_resources(&s);
    for (name, r) in &resources {
        for c in r["status"]["conditions"].as_array().cloned().unwrap_or_default() {
            assert_eq!(c["lastTransitionTime"], "1970-01-01T00:00:00.000000Z", "{name}: {c}");
        }
    }
    assert!(resources.keys().any(|k| k.starts_with("task/")));
}

// ---------------------------------------------------------------------------------------------
// D28: the run answer with delayExecution

#[test]
fn d28_the_run_answer_with_delay_execution_carries_completed_unknown_delayed_start_pending() {
    for profile in profiles() {
        let mut s = sim(json!({"profile": profile}));
        create(&mut s, body("etl", IMAGE));
        let x = ok(&mut s, "jobs.run", json!({"name": "etl", "body": {"overrides": {"delayExecution": true}}}));
        let c = condition(&x, "Completed");
        assert_eq!((&c["status"], &c["reason"]), (&json!("Unknown"), &json!("DelayedStartPending")), "{profile}: {x}");
        assert_eq!(x["status"]["observedGeneration"], 1, "{profile}");
        assert_eq!(x["status"]["conditions"].as_array().map(Vec::len), Some(1), "{profile}: only Completed");
    }
}

/// A log written elsewhere may hold a timer past the end (here an attempt's `endsAt` edited):
/// `runUntilIdle` on the replayed world fails saying so instead of "succeeding" (D25).
#[test]
fn d25_a_replayed_timer_past_the_end_of_time_fails_run_until_idle() {
    let mut s = sim(json!({"start": "9999-12-25T00:00:00Z", "profile": "instant",
        "faults": [{"job": "etl", "task": 0, "hang": true}]}));
    create(
        &mut s,
        with(body("etl", IMAGE), |b| b["spec"]["template"]["spec"]["template"]["spec"]["timeoutSeconds"] = json!(3600)),
    );
    ok(&mut s, "jobs.run", json!({"name": "etl"}));
    let mut events = s.events(0);
    let edited =
        events.iter_mut().find(|e| e["type"] == "AttemptStarted" && e["payload"]["task"] == 0).expect("task 0 started");
    // Past a timeout's reach from the event's time, D26's replay bounds refuse the log outright.
    edited["payload"]["endsAt"] = json!(MAX_TIME + 10_000_000);
    let refused = Simulator::replay(&events).expect_err("endsAt beyond the longest timeout");
    assert!(refused.message.contains("endsAt"), "{}", refused.message);
    // Within that reach (9999-12-25 + 7 days is one microsecond past the end), the log replays
    // and the timer past the end of time makes runUntilIdle fail instead of "succeeding".
    let edited =
        events.iter_mut().find(|e| e["type"] == "AttemptStarted" && e["payload"]["task"] == 0).expect("task 0 started");
    edited["payload"]["endsAt"] = json!(MAX_TIME + 1);
    let mut replayed = Simulator::replay(&events).expect("the edited log replays");
    let e = replayed.run_until_idle().expect_err("work past the end of time");
    assert!(is_end_of_time(&e), "{}", e.message);
}
