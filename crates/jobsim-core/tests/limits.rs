//! Limits of one simulator (issue #9 items 6, 7, 12, 14): D26 (replayed logs and snapshots are
//! range-checked before anything is built from them; arithmetic never wraps; the runaway guard
//! bounds one clock move), D22 (lists are bounded), D27 (seeds are u64, written as strings) and
//! the expected version of `Simulator::append`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jobsim_core::simulator::MoveLimits;
use jobsim_core::{Error, ErrorCode, Simulator};
use serde_json::{json, Value};

const IMAGE: &str = "us-docker.pkg.dev/demo/etl:1";

fn job(name: &str, tasks: u32, retries: u32) -> Value {
    json!({"metadata": {"name": name}, "spec": {"template": {"spec": {"taskCount": tasks, "parallelism": tasks.min(2),
        "template": {"spec": {"maxRetries": retries, "timeoutSeconds": 60, "containers": [{"image": IMAGE}]}}}}}})
}

/// A finished world whose log holds every event type that carries a count: WorldStarted (with a
/// workload and a fault), JobCreated, JobReplaced, ExecutionCreated, AttemptStarted, AttemptEnded.
fn world() -> Simulator {
    let mut sim = Simulator::new(&json!({"seed": 5, "profile": "instant",
        "workloads": [{"job": "etl", "duration": "10s", "jitter": "1s", "failureRate": 0.5}],
        "faults": [{"job": "etl", "task": 0, "attempt": 0, "exitCode": 3, "duration": "5s"}]}))
    .unwrap();
    sim.call("jobs.create", &json!({"body": job("etl", 3, 1)})).unwrap();
    sim.call("jobs.replaceJob", &json!({"name": "etl", "body": job("etl", 4, 1)})).unwrap();
    sim.call("jobs.run", &json!({"name": "etl"})).unwrap();
    sim.run_until_idle().unwrap();
    sim
}

/// `world()`'s log with the first event of `type_name` changed at `pointer` (under `payload`).
fn edited(type_name: &str, pointer: &str, value: Value) -> Vec<Value> {
    let mut events = world().events(1);
    let e = events.iter_mut().find(|e| e["type"] == type_name).unwrap_or_else(|| panic!("no {type_name}"));
    *e.pointer_mut(&format!("/payload{pointer}")).unwrap_or_else(|| panic!("{type_name} has no {pointer}")) = value;
    events
}

fn refused(result: Result<Simulator, Error>) -> Error {
    match result {
        Ok(_) => panic!("accepted"),
        Err(e) => e,
    }
}

#[test]
fn d26_replayed_task_count_is_checked_before_allocating() {
    // Finding 6: 2 × 10⁹ tasks made `jobsim replay` allocate 208 GB and abort.
    let events = edited("ExecutionCreated", "/execution/spec/taskCount", json!(2_000_000_000));
    let e = refused(Simulator::replay(&events));
    assert_eq!(e.code, ErrorCode::InvalidEventLog);
    assert!(e.message.contains("(ExecutionCreated)") && e.message.contains("taskCount 2000000000"), "{}", e.message);
    // The JSON Lines path (`jobsim replay`) too.
    let text: String = events.iter().map(|v| format!("{v}\n")).collect();
    let e = refused(Simulator::replay_jsonl(&text));
    assert!(e.message.contains("taskCount 2000000000"), "{}", e.message);
}

/// Every count of every event type that sizes an allocation, or that later arithmetic adds to,
/// is refused out of its range (D26), with a message naming the event and the field.
#[test]
fn d26_every_count_in_every_event_type_is_checked() {
    let big = json!(2_000_000_000);
    let u32_max = json!(u32::MAX);
    let i64_max = json!(i64::MAX);
    let rows: Vec<(&str, &str, Value, &str)> = vec![
        ("ExecutionCreated", "/execution/spec/taskCount", big.clone(), "taskCount"),
        ("ExecutionCreated", "/execution/spec/taskCount", json!(0), "taskCount"),
        ("ExecutionCreated", "/execution/spec/taskCount", json!(10_001), "taskCount"),
        ("ExecutionCreated", "/execution/spec/parallelism", big.clone(), "parallelism"),
        ("ExecutionCreated", "/execution/spec/template/spec/maxRetries", big.clone(), "maxRetries"),
        ("ExecutionCreated", "/execution/spec/template/spec/timeoutSeconds", i64_max.clone(), "timeoutSeconds"),
        ("ExecutionCreated", "/ordinal", u32_max.clone(), "ordinal"),
        ("JobCreated", "/job/spec/template/spec/taskCount", big.clone(), "taskCount"),
        ("JobCreated", "/job/spec/template/spec/parallelism", big.clone(), "parallelism"),
        ("JobCreated", "/job/spec/template/spec/template/spec/maxRetries", big.clone(), "maxRetries"),
        ("JobCreated", "/job/spec/template/spec/template/spec/timeoutSeconds", i64_max.clone(), "timeoutSeconds"),
        ("JobCreated", "/job/metadata/generation", json!(-1), "generation"),
        ("JobReplaced", "/job/spec/template/spec/taskCount", big.clone(), "taskCount"),
        ("JobReplaced", "/job/spec/template/spec/template/spec/maxRetries", json!(11), "maxRetries"),
        ("AttemptStarted", "/task", u32_max.clone(), "task"),
        ("AttemptStarted", "/attempt", u32_max.clone(), "attempt"),
        ("AttemptStarted", "/endsAt", i64_max.clone(), "endsAt"),
        ("AttemptEnded", "/task", u32_max.clone(), "task"),
        ("AttemptEnded", "/attempt", u32_max.clone(), "attempt"),
        ("WorldStarted", "/world/start", i64_max.clone(), "world.start"),
        ("WorldStarted", "/world/profile/jobReconcile", i64_max.clone(), "jobReconcile"),
        ("WorldStarted", "/world/profile/delayedStart", json!(-1), "delayedStart"),
        ("WorldStarted", "/world/workloads/0/duration", i64_max.clone(), "duration"),
        ("WorldStarted", "/world/workloads/0/jitter", i64_max.clone(), "jitter"),
        ("WorldStarted", "/world/workloads/0/failureRate", json!(7.5), "failureRate"),
        ("WorldStarted", "/world/faults/0/duration", i64_max.clone(), "duration"),
        ("WorldStarted", "/world/settings/maxParallelism", json!(0), "maxParallelism"),
    ];
    let mut failures = Vec::new();
    for (type_name, pointer, value, mention) in rows {
        match Simulator::replay(&edited(type_name, pointer, value.clone())) {
            Ok(_) => failures.push(format!("{type_name}{pointer} = {value}: accepted")),
            Err(e) if e.code == ErrorCode::InvalidEventLog && e.message.contains(mention) => {}
            Err(e) => failures.push(format!("{type_name}{pointer} = {value}: {} {}", e.code, e.message)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The envelope's own sequence: at most 2^53 - 1 (exact in JavaScript).
    let mut events = world().events(1);
    events[1]["sequence"] = json!(1u64 << 60);
    let e = refused(Simulator::replay(&events));
    assert!(e.message.contains("sequence"), "{}", e.message);
}

/// `world()`'s snapshot with one value of the state changed.
fn snapshot_edited(pointer: &str, value: Value) -> Value {
    let sim = world();
    let mut snapshot = sim.snapshot();
    *snapshot.pointer_mut(&format!("/state{pointer}")).unwrap_or_else(|| panic!("no {pointer}")) = value;
    snapshot
}

#[test]
fn d26_every_count_in_a_snapshot_is_checked_before_use() {
    let sim = world();
    let execution = sim.state().executions.keys().next().unwrap().clone();
    let x = |field: &str| format!("/executions/{execution}/{field}");
    let u32_max = json!(u32::MAX);
    let rows: Vec<(String, Value, &str)> = vec![
        (x("parallelism"), u32_max.clone(), "parallelism"),
        (x("maxRetries"), u32_max.clone(), "maxRetries"),
        (x("timeout"), json!(i64::MAX), "timeout"),
        (x("ordinal"), u32_max.clone(), "ordinal"),
        (x("nextPending"), u32_max.clone(), "nextPending"),
        (x("counters/succeeded"), u32_max.clone(), "counters.succeeded"),
        (x("counters/cancelled"), u32_max.clone(), "counters.cancelled"),
        (x("created"), json!(i64::MAX), "time"),
        (x("tasks/0/attempt"), u32_max.clone(), "attempt"),
        (x("execution/spec/taskCount"), json!(2_000_000_000), "taskCount"),
        ("/jobs/etl/executionOrdinal".into(), u32_max.clone(), "executionOrdinal"),
        ("/jobs/etl/job/metadata/generation".into(), json!(-7), "generation"),
        ("/jobs/etl/job/spec/template/spec/taskCount".into(), json!(2_000_000_000), "taskCount"),
        ("/timers/nextSeq".into(), json!(u64::MAX), "nextSeq"),
        ("/now".into(), json!(i64::MAX), "now"),
        ("/world/profile/retryDelay".into(), json!(i64::MAX), "retryDelay"),
    ];
    let mut failures = Vec::new();
    for (pointer, value, mention) in rows {
        match Simulator::from_snapshot(&snapshot_edited(&pointer, value.clone()), &[]) {
            Ok(_) => failures.push(format!("{pointer} = {value}: accepted")),
            Err(e) if e.code == ErrorCode::InvalidEventLog && e.message.contains(mention) => {}
            Err(e) => failures.push(format!("{pointer} = {value}: {} {}", e.code, e.message)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // A version beyond 2^53 - 1, in both places it is written.
    let mut snapshot = sim.snapshot();
    snapshot["version"] = json!(1u64 << 60);
    snapshot["state"]["version"] = json!(1u64 << 60);
    let e = refused(Simulator::from_snapshot(&snapshot, &[]));
    assert!(e.message.contains("version"), "{}", e.message);
}

#[test]
fn d26_a_replayed_generation_at_int32_max_does_not_wrap() {
    // The last write of the job's metadata in `world()` is its replace.
    let mut events = edited("JobReplaced", "/job/metadata/generation", json!(i32::MAX));
    // A deletion that takes a second (the instant profile would finish it within the call).
    events[0]["payload"]["world"]["profile"]["jobDeletion"] = json!(1_000_000);
    let mut sim = Simulator::replay(&events).unwrap();
    // A replace that changes the spec would need generation + 1: refused, nothing recorded.
    let version = sim.version();
    let e = sim.call("jobs.replaceJob", &json!({"name": "etl", "body": job("etl", 9, 1)})).unwrap_err();
    assert_eq!(e.code, ErrorCode::ResourceExhausted, "{}", e.message);
    assert!(e.message.contains("2147483647"), "{}", e.message);
    assert_eq!(sim.version(), version);
    // The delete still works; its generation bump stays at the maximum instead of wrapping.
    sim.call("jobs.delete", &json!({"name": "etl"})).unwrap();
    assert_eq!(sim.state().job("etl").unwrap().job.metadata.generation, i32::MAX);
    sim.run_until_idle().unwrap();
    assert!(sim.state().job("etl").is_none());
}

#[test]
fn d26_execution_count_at_int32_max_refuses_a_run() {
    let mut sim = world();
    let execution = sim.state().executions.keys().next().unwrap().clone();
    sim.call("executions.delete", &json!({"name": execution})).unwrap();
    let mut snapshot = sim.snapshot();
    snapshot["state"]["jobs"]["etl"]["executionOrdinal"] = json!(i32::MAX);
    snapshot["state"]["jobs"]["etl"]["job"]["status"]["executionCount"] = json!(i32::MAX);
    let mut sim = Simulator::from_snapshot(&snapshot, &[]).unwrap();
    let version = sim.version();
    let e = sim.call("jobs.run", &json!({"name": "etl"})).unwrap_err();
    assert_eq!(e.code, ErrorCode::ResourceExhausted, "{}", e.message);
    assert_eq!(sim.version(), version);
}

/// D26 runaway guard: one clock move stops at the configured number of events, or bytes.
#[test]
fn d26_one_clock_move_stops_at_the_event_and_byte_bounds() {
    let defaults = MoveLimits::default();
    assert_eq!(defaults.events, 3_000_000);
    assert_eq!(defaults.bytes, 1 << 30);
    let busy = || {
        // Realistic profile: the execution runs during the clock move, not during the call.
        let mut sim = Simulator::new(&json!({"seed": 1})).unwrap();
        sim.call("jobs.create", &json!({"body": job("etl", 200, 0)})).unwrap();
        sim.call("jobs.run", &json!({"name": "etl"})).unwrap();
        sim
    };
    let mut sim = busy();
    sim.set_move_limits(MoveLimits { events: 100, ..MoveLimits::default() });
    let e = sim.run_until_idle().unwrap_err();
    assert_eq!(e.code, ErrorCode::ResourceExhausted);
    assert!(e.message.contains("100 events"), "{}", e.message);
    // What was recorded before the stop is a consistent world, and the next move goes on.
    sim.set_move_limits(MoveLimits::default());
    sim.run_until_idle().unwrap();
    let done = sim.call("executions.get", &json!({"latestOf": "etl"})).unwrap();
    assert_eq!(done["status"]["succeededCount"], 200);

    let mut sim = busy();
    sim.set_move_limits(MoveLimits { bytes: 20_000, ..MoveLimits::default() });
    let e = sim.run_until_idle().unwrap_err();
    assert_eq!(e.code, ErrorCode::ResourceExhausted);
    assert!(e.message.contains("20000 bytes"), "{}", e.message);
}

/// The default bounds leave room for the largest legitimate execution: 10,000 tasks whose every
/// attempt fails, with maxRetries 10 (220,000 attempt events in one move).
#[test]
fn d26_the_default_bounds_fit_a_10000_task_execution_with_10_retries() {
    let mut sim = Simulator::new(&json!({"seed": 1, "workloads": [{"job": "big", "failureRate": 1.0}]})).unwrap();
    let mut body = job("big", 10_000, 10);
    body["spec"]["template"]["spec"]["parallelism"] = json!(10_000);
    sim.call("jobs.create", &json!({ "body": body })).unwrap();
    sim.call("jobs.run", &json!({"name": "big"})).unwrap();
    let before = sim.version();
    sim.run_until_idle().unwrap();
    assert!(sim.version() - before > 220_000, "{}", sim.version() - before);
    let done = sim.call("executions.get", &json!({"latestOf": "big"})).unwrap();
    assert_eq!(done["status"]["failedCount"], 10_000);
}

fn page_sizes(sim: &mut Simulator, method: &str, query: Value) -> (Vec<usize>, usize) {
    let mut sizes = Vec::new();
    let mut names = std::collections::BTreeSet::new();
    let mut query = query;
    loop {
        let page = sim.call(method, &json!({ "query": query })).unwrap();
        let items = page["items"].as_array().unwrap();
        sizes.push(items.len());
        for i in items {
            assert!(names.insert(i["metadata"]["name"].as_str().unwrap().to_string()), "an item listed twice");
        }
        match page["metadata"]["continue"].as_str() {
            Some(token) if !token.is_empty() => query["continue"] = json!(token),
            _ => return (sizes, names.len()),
        }
    }
}

/// D22 (finding 7): a list without `limit`, or with a larger one, answers at most 500 items and
/// a continue token when more remain — jobs, executions and tasks.
#[test]
fn d22_lists_without_a_limit_return_at_most_500_items_and_a_continue_token() {
    let mut sim = Simulator::new(&json!({"seed": 2, "profile": "instant"})).unwrap();
    sim.call("jobs.create", &json!({"body": job("big", 1_234, 0)})).unwrap();
    sim.call("jobs.run", &json!({"name": "big"})).unwrap();
    sim.run_until_idle().unwrap();
    assert_eq!(page_sizes(&mut sim, "tasks.list", json!({})), (vec![500, 500, 234], 1_234));
    assert_eq!(page_sizes(&mut sim, "tasks.list", json!({"limit": 100_000})), (vec![500, 500, 234], 1_234));
    assert_eq!(page_sizes(&mut sim, "tasks.list", json!({"limit": 700})).0, vec![500, 500, 234]);
    assert_eq!(page_sizes(&mut sim, "tasks.list", json!({"limit": 300})).0, vec![300, 300, 300, 300, 34]);
    sim.call("jobs.create", &json!({"body": job("small", 1, 0)})).unwrap();
    sim.run_until_idle().unwrap();
    for _ in 0..520 {
        sim.call("jobs.run", &json!({"name": "small"})).unwrap();
    }
    sim.run_until_idle().unwrap();
    assert_eq!(page_sizes(&mut sim, "executions.list", json!({})), (vec![500, 21], 521));
    for i in 0..510 {
        sim.call("jobs.create", &json!({"body": job(&format!("j{i}"), 1, 0)})).unwrap();
    }
    assert_eq!(page_sizes(&mut sim, "jobs.list", json!({})), (vec![500, 12], 512));
}

const BIG_SEED: &str = "18446744073709551615";

/// D27: seeds are u64, written as decimal strings in logs and snapshots; a JSON number above
/// 2^53 - 1 is refused (it is not exact in JavaScript); old logs with numeric seeds replay.
#[test]
fn d27_seeds_are_written_as_strings_and_read_as_either() {
    let mut sim = Simulator::new(&json!({"seed": BIG_SEED, "profile": "instant"})).unwrap();
    sim.call("jobs.create", &json!({"body": job("etl", 3, 1)})).unwrap();
    sim.call("jobs.run", &json!({"name": "etl"})).unwrap();
    sim.run_until_idle().unwrap();
    let events = sim.events(1);
    assert_eq!(events[0]["payload"]["world"]["seed"], json!(BIG_SEED));
    assert_eq!(sim.snapshot()["state"]["world"]["seed"], json!(BIG_SEED));
    // Every number in the log and the snapshot survives a trip through a JavaScript number.
    let through_js = |v: &Value| -> Value { serde_json::from_str(&js_numbers(&v.to_string())).unwrap() };
    let replayed = Simulator::replay(&events.iter().map(through_js).collect::<Vec<_>>()).unwrap();
    assert_eq!(replayed.snapshot(), sim.snapshot());
    let restored = Simulator::from_snapshot(&through_js(&sim.snapshot()), &[]).unwrap();
    assert_eq!(restored.snapshot(), sim.snapshot());
    // Old logs wrote the seed as a number: still read.
    let mut old = events.clone();
    old[0]["payload"]["world"]["seed"] = json!(u64::MAX);
    assert_eq!(Simulator::replay(&old).unwrap().snapshot(), sim.snapshot());
    // Options: a number above 2^53 - 1 is refused, the same value as a string is accepted.
    for seed in [json!(1u64 << 53), json!((1u64 << 53) + 1), json!(u64::MAX), json!(1.8446744073709552e19)] {
        let e = Simulator::new(&json!({ "seed": seed })).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidScenario);
        assert!(e.message.contains("not exactly representable"), "{}", e.message);
    }
    Simulator::new(&json!({"seed": (1u64 << 53) - 1})).unwrap();
    Simulator::new(&json!({"seed": "9007199254740993"})).unwrap();
    for bad in ["-1", "1e3", "18446744073709551616", " 7", "+7", ""] {
        let e = Simulator::new(&json!({ "seed": bad })).unwrap_err();
        assert!(e.message.starts_with("seed:"), "{bad:?}: {}", e.message);
    }
}

/// Rewrites every JSON integer as JavaScript would read it (an f64, printed back).
fn js_numbers(text: &str) -> String {
    let v: Value = serde_json::from_str(text).unwrap();
    fn walk(v: &Value) -> Value {
        match v {
            Value::Number(n) => {
                let f = n.as_f64().unwrap();
                if f.fract() == 0.0 && f.abs() < 1e21 {
                    // JSON.stringify writes integral numbers without a fraction.
                    serde_json::from_str(&format!("{f:.0}")).unwrap()
                } else {
                    json!(f)
                }
            }
            Value::Array(a) => Value::Array(a.iter().map(walk).collect()),
            Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), walk(v))).collect()),
            other => other.clone(),
        }
    }
    walk(&v).to_string()
}

/// Item 14: a follower simulator continues an externally stored log with `append`, which
/// checks the expected version (optimistic concurrency) and adopts all the events or none.
#[test]
fn item14_append_continues_an_external_log_under_an_expected_version() {
    let mut leader = Simulator::new(&json!({"seed": 9, "profile": "instant"})).unwrap();
    leader.call("jobs.create", &json!({"body": job("etl", 3, 1)})).unwrap();
    let mut follower = Simulator::replay(&leader.events(1)).unwrap();
    let seen = follower.version();
    leader.call("jobs.run", &json!({"name": "etl"})).unwrap();
    leader.run_until_idle().unwrap();
    let batch = leader.events(seen + 1);
    assert_eq!(follower.append(seen, &batch).unwrap(), batch.len());
    assert_eq!(follower.snapshot(), leader.snapshot());
    assert_eq!(follower.events_jsonl(), leader.events_jsonl());

    // The same batch again: the follower is no longer at `seen`, so the conflict fires.
    let (version, log, snapshot) = (follower.version(), follower.events_jsonl(), follower.snapshot());
    let e = follower.append(seen, &batch).unwrap_err();
    assert_eq!(e.code, ErrorCode::Aborted);
    assert_eq!(e.http_status(), 409);
    assert_eq!(e.conflict, Some((seen, version)));
    assert_eq!((follower.version(), follower.events_jsonl(), follower.snapshot()), (version, log, snapshot));

    // A batch that breaks in the middle changes nothing (all or none).
    let mut other = follower.clone();
    leader.call("jobs.run", &json!({"name": "etl"})).unwrap();
    leader.run_until_idle().unwrap();
    let mut batch = leader.events(version + 1);
    let last = batch.iter().rposition(|e| e["type"] == "AttemptEnded").unwrap();
    batch[last]["payload"]["task"] = json!(9_999);
    let (v, log, snapshot) = (other.version(), other.events_jsonl(), other.snapshot());
    let e = other.append(v, &batch).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidEventLog, "{}", e.message);
    assert_eq!((other.version(), other.events_jsonl(), other.snapshot()), (v, log, snapshot));
    // A second WorldStarted is not a continuation.
    let e = other.append(v, &leader.events(1)[..1]).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidEventLog);
}
