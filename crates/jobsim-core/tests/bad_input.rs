//! The bad-input table (issue #6, RELIABILITY.md): malformed and hostile inputs on every native
//! face — scenario files, simulator options, API params and bodies, query strings, label
//! selectors, continue tokens, durations and times, event logs and snapshots. Each row must give
//! the expected error code and a message (or field violation) naming the offending field or
//! event, and must leave the simulator untouched: same log version, same event log bytes, same
//! state snapshot. Very large and deeply nested inputs are among the rows: they are refused with
//! a clear error, without building anything large.
//!
//! The JS rows (values crossing the wasm boundary) live with the wasm package; RELIABILITY.md
//! lists them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jobsim_core::scenario::Scenario;
use jobsim_core::{Error, ErrorCode, Simulator};
use serde_json::{json, Value};
use std::sync::OnceLock;

const IMAGE: &str = "us-docker.pkg.dev/demo/etl:1";

/// What a row feeds in.
enum Input {
    /// Scenario text (JSON or YAML), parsed and run.
    Scenario(String),
    /// One API call on the busy world.
    Call(&'static str, Value),
    /// `advance` by a duration on the busy world.
    Advance(Value),
    /// `advanceTo` a time on the busy world.
    AdvanceTo(&'static str),
    /// An event log as JSON Lines, replayed.
    Replay(String),
    /// A snapshot plus the events after it.
    Snapshot(Value, Vec<Value>),
}

struct Row {
    face: &'static str,
    what: &'static str,
    input: Input,
    code: ErrorCode,
    /// Text the error's message or field violations must contain (the field, event or limit).
    mention: &'static str,
}

fn row(face: &'static str, what: &'static str, input: Input, code: ErrorCode, mention: &'static str) -> Row {
    Row { face, what, input, code, mention }
}

fn job(name: &str) -> Value {
    json!({"metadata": {"name": name, "labels": {"team": "data"}},
        "spec": {"template": {"spec": {"taskCount": 3, "parallelism": 2,
            "template": {"spec": {"maxRetries": 1, "containers": [{"image": IMAGE}]}}}}}})
}

/// `body` with the value at a JSON pointer set (objects on the way created).
fn with(mut body: Value, pointer: &str, value: Value) -> Value {
    let mut node = &mut body;
    for part in pointer.split('/').skip(1) {
        node = match part.parse::<usize>() {
            Ok(i) if node.is_array() => &mut node[i],
            _ => &mut node[part],
        };
    }
    *node = value;
    body
}

/// `job("x")` with one field of the task template set.
fn task_spec(key: &str, value: Value) -> Value {
    let mut body = job("x");
    body["spec"]["template"]["spec"]["template"]["spec"][key] = value;
    body
}

/// `job("x")` with one field of the execution template set.
fn exec_spec(key: &str, value: Value) -> Value {
    let mut body = job("x");
    body["spec"]["template"]["spec"][key] = value;
    body
}

/// A world with something in it: Ready jobs `etl` (a running execution) and `report`.
fn busy_world() -> &'static Simulator {
    static WORLD: OnceLock<Simulator> = OnceLock::new();
    WORLD.get_or_init(|| {
        let mut sim = Simulator::new(&json!({"seed": 3})).unwrap();
        sim.call("jobs.create", &json!({"body": job("etl")})).unwrap();
        sim.call("jobs.create", &json!({"body": job("report")})).unwrap();
        sim.advance(&json!("1s")).unwrap();
        sim.call("jobs.run", &json!({"name": "etl"})).unwrap();
        sim.advance(&json!("3s")).unwrap();
        sim
    })
}

/// A continue token of a `jobs.list` page in the busy world.
fn jobs_token() -> String {
    let page = busy_world().clone().call("jobs.list", &json!({"query": {"limit": 1}})).unwrap();
    page["metadata"]["continue"].as_str().unwrap().to_string()
}

/// The busy world's event log, one JSON value per event.
fn log() -> Vec<Value> {
    busy_world().events(1)
}

fn jsonl(events: &[Value]) -> String {
    events.iter().map(|e| format!("{e}\n")).collect()
}

/// The log with one event changed.
fn log_with(index: usize, change: impl FnOnce(&mut Value)) -> String {
    let mut events = log();
    change(&mut events[index]);
    jsonl(&events)
}

/// `depth` nested arrays around a number, built without recursion.
fn nested(depth: usize) -> Value {
    let mut v = json!(0);
    for _ in 0..depth {
        v = Value::Array(vec![v]);
    }
    v
}

/// Runs one row: the error it gives, and a panic if it changed the simulator.
fn run(input: &Input) -> Result<(), Error> {
    match input {
        Input::Scenario(text) => Scenario::parse(text)?.run().map(|_| ()),
        Input::Replay(text) => {
            let mut values = Vec::new();
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                values.push(serde_json::from_str(line).map_err(|e| Error::event_log(format!("not JSON: {e}")))?);
            }
            Simulator::replay(&values).map(|_| ())
        }
        Input::Snapshot(snapshot, events) => Simulator::from_snapshot(snapshot, events).map(|_| ()),
        Input::Call(..) | Input::Advance(_) | Input::AdvanceTo(_) => {
            let mut sim = busy_world().clone();
            let (version, log, snapshot) = (sim.version(), sim.events_jsonl(), sim.snapshot());
            let result = match input {
                Input::Call(method, params) => sim.call(method, params).map(|_| ()),
                Input::Advance(by) => sim.advance(by).map(|_| ()),
                Input::AdvanceTo(t) => sim.advance_to(t).map(|_| ()),
                _ => unreachable!(),
            };
            if result.is_err() {
                assert_eq!(sim.version(), version, "a refused input recorded events");
                assert!(sim.events_jsonl() == log, "a refused input changed the event log");
                assert!(sim.snapshot() == snapshot, "a refused input changed the state");
            }
            result
        }
    }
}

/// A 3-task `etl` job body with maxRetries 1, as flow YAML.
fn three_tasks() -> String {
    let mut b = job("etl");
    b["spec"]["template"]["spec"]["taskCount"] = json!(3);
    b.to_string()
}

fn table() -> Vec<Row> {
    use ErrorCode::*;
    use Input::*;
    let s = |text: &str| Scenario(text.to_string());
    let huge = "x".repeat(1 << 20);
    let rows = vec![
        // ── scenario files ──────────────────────────────────────────────────────────────────
        row("scenario", "neither JSON nor YAML", s("{\"steps\": ["), InvalidScenario, "line 1"),
        row("scenario", "an array, not an object", s("[1, 2]"), InvalidScenario, "must be an object"),
        row("scenario", "no steps", s("seed: 1\n"), InvalidScenario, "steps"),
        row("scenario", "steps not a list", s("steps: 5\n"), InvalidScenario, "steps"),
        row("scenario", "misspelt top-level key", s("sed: 1\nsteps: []\n"), InvalidScenario, "sed"),
        row("scenario", "negative seed", s("seed: -1\nsteps: []\n"), InvalidScenario, "seed"),
        row("scenario", "seed as a word", s("seed: seven\nsteps: []\n"), InvalidScenario, "seed"),
        row("scenario", "start not RFC 3339", s("start: yesterday\nsteps: []\n"), InvalidScenario, "start"),
        row("scenario", "unknown profile", s("profile: fast\nsteps: []\n"), InvalidScenario, "profile"),
        row(
            "scenario",
            "a step doing two things",
            s("steps:\n  - {call: jobs.get, advance: 1s}\n"),
            InvalidScenario,
            "steps[0]",
        ),
        row("scenario", "unknown method", s("steps:\n  - {call: jobs.frobnicate}\n"), InvalidScenario, "steps[0].call"),
        row(
            "scenario",
            "misspelt step key",
            s("steps:\n  - {call: jobs.get, nmae: etl}\n"),
            InvalidScenario,
            "steps[0].nmae",
        ),
        row(
            "scenario",
            "a step with two call keys (YAML)",
            s("steps:\n  - call: jobs.get\n    name: etl\n    call: jobs.delete\n"),
            InvalidScenario,
            "duplicate key \"call\" in the mapping that starts at line 2",
        ),
        row(
            "scenario",
            "a step with two call keys (JSON)",
            s("{\"steps\": [\n {\"call\": \"jobs.get\", \"call\": \"jobs.delete\"}]}"),
            InvalidScenario,
            "line 2 column 28: duplicate key \"call\"",
        ),
        row(
            "scenario",
            "a top-level key twice",
            s("seed: 1\nseed: 2\nsteps: []\n"),
            InvalidScenario,
            "duplicate key \"seed\"",
        ),
        row(
            "scenario",
            "a step parameter the method does not take",
            s("steps:\n  - {call: jobs.create, name: etl, body: {}}\n"),
            InvalidScenario,
            "steps[0].name: jobs.create does not take",
        ),
        row(
            "scenario",
            "runUntilIdle: false",
            s("steps:\n  - {runUntilIdle: false}\n"),
            InvalidScenario,
            "steps[0].runUntilIdle",
        ),
        row(
            "scenario",
            "advance by a bad duration",
            s("steps:\n  - {advance: 1 fortnight}\n"),
            InvalidScenario,
            "steps[0].advance",
        ),
        row(
            "scenario",
            "advanceTo a non-time",
            s("steps:\n  - {advanceTo: soon}\n"),
            InvalidScenario,
            "steps[0].advanceTo",
        ),
        row(
            "scenario",
            "failureRate above 1",
            s("workloads: [{job: etl, failureRate: 1.5}]\nsteps: []\n"),
            InvalidScenario,
            "workloads[0].failureRate",
        ),
        row(
            "scenario",
            "workload for a job never created",
            s("workloads: [{job: ghost, duration: 1s}]\nsteps: []\n"),
            InvalidScenario,
            "workloads[0].job",
        ),
        row(
            "scenario",
            "fault that hangs and exits",
            s("faults: [{job: etl, hang: true, exitCode: 1}]\nsteps: []\n"),
            InvalidScenario,
            "faults[0]",
        ),
        row(
            "scenario",
            "fault on execution 0",
            s("faults: [{job: etl, execution: 0, exitCode: 1}]\nsteps: []\n"),
            InvalidScenario,
            "faults[0].execution",
        ),
        row(
            "scenario",
            "exit code 300",
            s("faults: [{job: etl, exitCode: 300}]\nsteps: []\n"),
            InvalidScenario,
            "faults[0].exitCode",
        ),
        row(
            "scenario",
            "fault on task 99999 (beyond any taskCount)",
            s("faults: [{job: etl, task: 99999, exitCode: 1}]\nsteps: []\n"),
            InvalidScenario,
            "faults[0].task",
        ),
        row(
            "scenario",
            "fault on attempt 11 (beyond any maxRetries)",
            s("faults: [{job: etl, attempt: 11, exitCode: 1}]\nsteps: []\n"),
            InvalidScenario,
            "faults[0].attempt",
        ),
        row(
            "scenario",
            "fault on task 5 of a 3-task job",
            s(&format!(
                "faults: [{{job: etl, task: 5, exitCode: 1}}]\nsteps:\n  - {{call: jobs.create, body: {}}}\n",
                three_tasks()
            )),
            InvalidScenario,
            "task 5 cannot exist",
        ),
        row(
            "scenario",
            "fault on attempt 2 with maxRetries 1",
            s(&format!(
                "faults: [{{job: etl, attempt: 2, exitCode: 1}}]\nsteps:\n  - {{call: jobs.create, body: {}}}\n",
                three_tasks()
            )),
            InvalidScenario,
            "attempt 2 cannot exist",
        ),
        row(
            "scenario",
            "maxParallelism 0",
            s("settings: {maxParallelism: 0}\nsteps: []\n"),
            InvalidScenario,
            "settings.maxParallelism",
        ),
        row(
            "scenario",
            "unknown settings key",
            s("settings: {turbo: true}\nsteps: []\n"),
            InvalidScenario,
            "settings.turbo",
        ),
        row(
            "scenario",
            "project number with letters",
            s("project: {number: abc}\nsteps: []\n"),
            InvalidScenario,
            "project.number",
        ),
        row("scenario", "project id with a slash", s("project: {id: a/b}\nsteps: []\n"), InvalidScenario, "project.id"),
        row(
            "scenario",
            "larger than 8 MiB",
            Scenario(format!("steps: []\n#{}\n", "x".repeat(9 << 20))),
            InvalidScenario,
            "at most",
        ),
        row(
            "scenario",
            "JSON nested 100,000 deep",
            Scenario(format!("{}{}", "[".repeat(100_000), "]".repeat(100_000))),
            InvalidScenario,
            "recursion limit",
        ),
        row(
            "scenario",
            "YAML nested 100,000 deep",
            Scenario(format!("steps: {}{}", "[".repeat(100_000), "]".repeat(100_000))),
            InvalidScenario,
            "nested deeper than 128",
        ),
        row(
            "scenario",
            "YAML flow maps nested 200 deep",
            Scenario(format!("steps:\n  - {}{}\n", "{a: ".repeat(200), "}".repeat(200))),
            InvalidScenario,
            "line 2",
        ),
        row(
            "scenario",
            "a step body nested 100 deep",
            Scenario(json!({"steps": [{"call": "jobs.create", "body": nested(100)}]}).to_string()),
            InvalidScenario,
            "nested deeper",
        ),
        row("scenario", "YAML alias bomb", Scenario(alias_bomb()), InvalidScenario, "YAML"),
        row(
            "scenario",
            "100,001 steps",
            Scenario(format!("steps:\n{}", "  - {runUntilIdle: true}\n".repeat(100_001))),
            InvalidScenario,
            "100000",
        ),
        // ── API params and bodies ───────────────────────────────────────────────────────────
        row("api", "params not an object", Call("jobs.get", json!("etl")), InvalidArgument, "params"),
        row("api", "unknown parameter", Call("jobs.get", json!({"name": "etl", "bogus": 1})), InvalidArgument, "bogus"),
        row("api", "unknown method", Call("jobs.frobnicate", json!({})), InvalidArgument, "method"),
        row(
            "api",
            "name and latestOf both",
            Call("executions.get", json!({"name": "a", "latestOf": "etl"})),
            InvalidArgument,
            "latestOf",
        ),
        row(
            "api",
            "latestOf on a job method",
            Call("jobs.get", json!({"latestOf": "etl"})),
            InvalidArgument,
            "latestOf",
        ),
        row("api", "empty name", Call("jobs.get", json!({"name": ""})), InvalidArgument, "name"),
        row("api", "name as a number", Call("jobs.get", json!({"name": 7})), InvalidArgument, "name"),
        row(
            "api",
            "another project's namespace",
            Call("jobs.get", json!({"name": "etl", "namespace": "other"})),
            NotFound,
            "Namespace 'other'",
        ),
        // ── D24 / D23 / R17 (issue 9, items 5, 9, 10) ────────────────────────────────────────
        row(
            "api",
            "D24 an unknown field in the body",
            Call("jobs.create", json!({"body": with(job("u1"), "/spec/bogus", json!(1))})),
            InvalidArgument,
            "Unknown name \"bogus\" at 'job.spec'",
        ),
        row(
            "api",
            "D24 name on jobs.create",
            Call("jobs.create", json!({"name": "u2", "body": job("u2")})),
            InvalidArgument,
            "Unknown name \"name\"",
        ),
        row(
            "api",
            "D24 overrides.bogus",
            Call("jobs.run", json!({"name": "etl", "body": {"overrides": {"bogus": 1}}})),
            InvalidArgument,
            "at 'overrides'",
        ),
        row(
            "api",
            "D24 a field in the cancel body",
            Call("executions.cancel", json!({"latestOf": "etl", "body": {"now": true}})),
            InvalidArgument,
            "Unknown name \"now\"",
        ),
        row(
            "api",
            "D23 env var without a name",
            Call(
                "jobs.create",
                json!({"body": with(job("u3"), "/spec/template/spec/template/spec/containers/0/env", json!([{"value": "1"}]))}),
            ),
            InvalidArgument,
            "env[0].name",
        ),
        row(
            "api",
            "D23 cpu banana, memory -5Gi",
            Call(
                "jobs.create",
                json!({"body": with(job("u4"), "/spec/template/spec/template/spec/containers/0/resources", json!({"limits": {"cpu": "banana", "memory": "-5Gi"}}))}),
            ),
            InvalidArgument,
            "2 invalid fields",
        ),
        row(
            "api",
            "D23 containerPort 99999",
            Call(
                "jobs.create",
                json!({"body": with(job("u5"), "/spec/template/spec/template/spec/containers/0/ports", json!([{"containerPort": 99999}]))}),
            ),
            InvalidArgument,
            "ports[0].containerPort",
        ),
        row(
            "api",
            "D23 label key with a space",
            Call("jobs.create", json!({"body": with(job("u6"), "/metadata/labels", json!({"BAD KEY!": "x"}))})),
            InvalidArgument,
            "BAD KEY!",
        ),
        row(
            "api",
            "D23 annotations over 256 KiB",
            Call(
                "jobs.create",
                json!({"body": with(job("u7"), "/metadata/annotations", json!({"a": "x".repeat(300_000)}))}),
            ),
            InvalidArgument,
            "256 KiB",
        ),
        row(
            "api",
            "D23 spec.template.metadata.name set",
            Call("jobs.create", json!({"body": with(job("u8"), "/spec/template/metadata", json!({"name": "t"}))})),
            InvalidArgument,
            "Template name must be unspecified.",
        ),
        row(
            "api",
            "D23 taskCount and parallelism as words hide nothing",
            Call(
                "jobs.create",
                json!({"body": with(with(job("Bad_Name"), "/spec/template/spec/taskCount", json!("x")), "/spec/template/spec/parallelism", json!("y"))}),
            ),
            InvalidArgument,
            "3 invalid fields",
        ),
        row(
            "api",
            "D23 env override without a name",
            Call(
                "jobs.run",
                json!({"name": "etl", "body": {"overrides": {"containerOverrides": [{"env": [{"value": "1"}]}]}}}),
            ),
            InvalidArgument,
            "containerOverrides[0].env[0].name",
        ),
        row("api", "create without a body", Call("jobs.create", json!({})), InvalidArgument, "body"),
        row("api", "create with an array body", Call("jobs.create", json!({"body": [1]})), InvalidArgument, "body"),
        row(
            "api",
            "create with JSON text as body",
            Call("jobs.create", json!({"body": "{\"metadata\": {}}"})),
            InvalidArgument,
            "body",
        ),
        row(
            "api",
            "job name with capitals",
            Call("jobs.create", json!({"body": job("Bad_Name")})),
            InvalidArgument,
            "metadata.name",
        ),
        row(
            "api",
            "job name of 64 characters",
            Call("jobs.create", json!({"body": job(&"a".repeat(64))})),
            InvalidArgument,
            "metadata.name",
        ),
        row(
            "api",
            "taskCount -1",
            Call("jobs.create", json!({"body": exec_spec("taskCount", json!(-1))})),
            InvalidArgument,
            "taskCount",
        ),
        row(
            "api",
            "taskCount 10,001",
            Call("jobs.create", json!({"body": exec_spec("taskCount", json!(10_001))})),
            InvalidArgument,
            "taskCount",
        ),
        row(
            "api",
            "taskCount as a word",
            Call("jobs.create", json!({"body": exec_spec("taskCount", json!("three"))})),
            InvalidArgument,
            "taskCount",
        ),
        row(
            "api",
            "parallelism above taskCount",
            Call("jobs.create", json!({"body": exec_spec("parallelism", json!(9))})),
            InvalidArgument,
            "parallelism",
        ),
        row(
            "api",
            "maxRetries 11",
            Call("jobs.create", json!({"body": task_spec("maxRetries", json!(11))})),
            InvalidArgument,
            "maxRetries",
        ),
        row(
            "api",
            "timeoutSeconds 0",
            Call("jobs.create", json!({"body": task_spec("timeoutSeconds", json!("0"))})),
            InvalidArgument,
            "timeoutSeconds",
        ),
        row(
            "api",
            "timeoutSeconds beyond 168 h",
            Call("jobs.create", json!({"body": task_spec("timeoutSeconds", json!("604801"))})),
            InvalidArgument,
            "timeoutSeconds",
        ),
        row(
            "api",
            "no containers",
            Call("jobs.create", json!({"body": task_spec("containers", json!([]))})),
            InvalidArgument,
            "containers",
        ),
        row(
            "api",
            "empty image",
            Call("jobs.create", json!({"body": task_spec("containers", json!([{"image": ""}]))})),
            InvalidArgument,
            "image",
        ),
        row(
            "api",
            "both execution tokens",
            Call(
                "jobs.create",
                json!({"body": {"metadata": {"name": "x"}, "spec": {"startExecutionToken": "a", "runExecutionToken": "b", "template": job("x")["spec"]["template"]}}}),
            ),
            InvalidArgument,
            "ExecutionToken",
        ),
        row(
            "api",
            "a label value as a number",
            Call("jobs.create", json!({"body": {"metadata": {"name": "x", "labels": {"team": 7}}}})),
            InvalidArgument,
            "labels",
        ),
        row(
            "api",
            "100,000 containers",
            Call(
                "jobs.create",
                json!({"body": task_spec("containers", json!(vec![json!({"image": IMAGE}); 100_000]))}),
            ),
            InvalidArgument,
            "containers",
        ),
        row(
            "api",
            "a 1 MiB job name",
            Call("jobs.create", json!({"body": job(&huge)})),
            InvalidArgument,
            "metadata.name",
        ),
        row(
            "api",
            "a 1 MiB execution token",
            Call(
                "jobs.create",
                json!({"body": {"metadata": {"name": "x"}, "spec": {"runExecutionToken": huge, "template": job("x")["spec"]["template"]}}}),
            ),
            InvalidArgument,
            "spec.runExecutionToken",
        ),
        row(
            "api",
            "body nested 100 deep",
            Call("jobs.create", json!({"body": {"metadata": {"name": "x"}, "extra": nested(100)}})),
            InvalidArgument,
            "nested deeper",
        ),
        row(
            "api",
            "create an existing job",
            Call("jobs.create", json!({"body": job("etl")})),
            AlreadyExists,
            "'etl' already exists",
        ),
        row(
            "api",
            "replace under another name",
            Call("jobs.replaceJob", json!({"name": "etl", "body": job("report")})),
            InvalidArgument,
            "metadata.name",
        ),
        row(
            "api",
            "replace with a stale resourceVersion",
            Call(
                "jobs.replaceJob",
                json!({"name": "etl", "body": {"metadata": {"name": "etl", "resourceVersion": "AAAAAAAAAAA"}, "spec": job("etl")["spec"]}}),
            ),
            Aborted,
            "resourceVersion",
        ),
        row(
            "api",
            "replace a missing job",
            Call("jobs.replaceJob", json!({"name": "ghost", "body": job("ghost")})),
            NotFound,
            "'ghost'",
        ),
        row("api", "run a missing job", Call("jobs.run", json!({"name": "ghost"})), NotFound, "'ghost'"),
        row(
            "api",
            "run with clearArgs and args",
            Call(
                "jobs.run",
                json!({"name": "etl", "body": {"overrides": {"containerOverrides": [{"args": ["a"], "clearArgs": true}]}}}),
            ),
            InvalidArgument,
            "clearArgs",
        ),
        row(
            "api",
            "run with taskCount as a word (D23: decimal strings are read)",
            Call("jobs.run", json!({"name": "etl", "body": {"overrides": {"taskCount": "two"}}})),
            InvalidArgument,
            "overrides.taskCount",
        ),
        row(
            "api",
            "run with a body that is a string",
            Call("jobs.run", json!({"name": "etl", "body": "go"})),
            InvalidArgument,
            "body",
        ),
        row(
            "api",
            "delete a job with a running execution",
            Call("jobs.delete", json!({"name": "etl"})),
            FailedPrecondition,
            "force",
        ),
        row(
            "api",
            "force as a word",
            Call("jobs.delete", json!({"name": "etl", "query": {"force": "maybe"}})),
            InvalidArgument,
            "query.force",
        ),
        row(
            "api",
            "dryRun other than all",
            Call("jobs.create", json!({"body": job("x"), "query": {"dryRun": "yes"}})),
            InvalidArgument,
            "query.dryRun",
        ),
        row(
            "api",
            "cancel a missing execution",
            Call("executions.cancel", json!({"name": "etl-zzzzz"})),
            NotFound,
            "'etl-zzzzz'",
        ),
        row(
            "api",
            "latestOf a job without executions",
            Call("executions.get", json!({"latestOf": "report"})),
            NotFound,
            "report",
        ),
        row(
            "api",
            "task name with a padded index",
            Call("tasks.get", json!({"name": format!("{}-task01", latest())})),
            NotFound,
            "task01",
        ),
        // ── query strings ───────────────────────────────────────────────────────────────────
        row("query", "query not an object", Call("jobs.list", json!({"query": "limit=1"})), InvalidArgument, "query"),
        row(
            "query",
            "unknown query parameter",
            Call("jobs.list", json!({"query": {"orderBy": "name"}})),
            InvalidArgument,
            "query.orderBy",
        ),
        row(
            "query",
            "query on a get",
            Call("jobs.get", json!({"name": "etl", "query": {"limit": 1}})),
            InvalidArgument,
            "query.limit",
        ),
        row(
            "query",
            "negative limit",
            Call("jobs.list", json!({"query": {"limit": -1}})),
            InvalidArgument,
            "query.limit",
        ),
        row(
            "query",
            "limit as a word",
            Call("jobs.list", json!({"query": {"limit": "ten"}})),
            InvalidArgument,
            "query.limit",
        ),
        row(
            "query",
            "limit beyond int32",
            Call("jobs.list", json!({"query": {"limit": 2_147_483_648_u64}})),
            InvalidArgument,
            "query.limit",
        ),
        row(
            "query",
            "limit as a fraction",
            Call("jobs.list", json!({"query": {"limit": 1.5}})),
            InvalidArgument,
            "query.limit",
        ),
        row(
            "query",
            "fieldSelector",
            Call("executions.list", json!({"query": {"fieldSelector": "a=b"}})),
            InvalidArgument,
            "query.fieldSelector",
        ),
        row("query", "watch", Call("tasks.list", json!({"query": {"watch": true}})), InvalidArgument, "query.watch"),
        row(
            "query",
            "labelSelector as a list",
            Call("jobs.list", json!({"query": {"labelSelector": ["team=data"]}})),
            InvalidArgument,
            "query.labelSelector",
        ),
        // ── label selectors ─────────────────────────────────────────────────────────────────
        row(
            "selector",
            "unclosed set",
            Call("jobs.list", json!({"query": {"labelSelector": "team in (a,b"}})),
            InvalidArgument,
            "query.labelSelector",
        ),
        row(
            "selector",
            "no key",
            Call("jobs.list", json!({"query": {"labelSelector": "=data"}})),
            InvalidArgument,
            "query.labelSelector",
        ),
        row(
            "selector",
            "empty requirement",
            Call("jobs.list", json!({"query": {"labelSelector": "a=b,,c=d"}})),
            InvalidArgument,
            "query.labelSelector",
        ),
        row(
            "selector",
            "trailing comma",
            Call("executions.list", json!({"query": {"labelSelector": "a=b,"}})),
            InvalidArgument,
            "query.labelSelector",
        ),
        row(
            "selector",
            "space inside a key",
            Call("tasks.list", json!({"query": {"labelSelector": "te am=x"}})),
            InvalidArgument,
            "query.labelSelector",
        ),
        row(
            "selector",
            "longer than 4096 bytes",
            Call("jobs.list", json!({"query": {"labelSelector": format!("a={}", "b".repeat(5000))}})),
            InvalidArgument,
            "query.labelSelector",
        ),
        row(
            "selector",
            "101 requirements",
            Call(
                "jobs.list",
                json!({"query": {"labelSelector": (0..101).map(|i| format!("k{i}=v")).collect::<Vec<_>>().join(",")}}),
            ),
            InvalidArgument,
            "query.labelSelector",
        ),
        row(
            "selector",
            "operator without a value set",
            Call("jobs.list", json!({"query": {"labelSelector": "team notin"}})),
            InvalidArgument,
            "query.labelSelector",
        ),
        // ── continue tokens ─────────────────────────────────────────────────────────────────
        row(
            "continue",
            "not a token",
            Call("jobs.list", json!({"query": {"continue": "garbage"}})),
            InvalidArgument,
            "query.continue",
        ),
        row(
            "continue",
            "odd hex",
            Call("jobs.list", json!({"query": {"continue": "abc.0000000000000000"}})),
            InvalidArgument,
            "query.continue",
        ),
        row(
            "continue",
            "a jobs token on executions",
            Call("executions.list", json!({"query": {"continue": jobs_token()}})),
            InvalidArgument,
            "query.continue",
        ),
        row(
            "continue",
            "tampered checksum",
            Call("jobs.list", json!({"query": {"continue": tampered(&jobs_token())}})),
            InvalidArgument,
            "query.continue",
        ),
        row(
            "continue",
            "a 10,000-character token",
            Call("jobs.list", json!({"query": {"continue": format!("{}.00", "ab".repeat(5000))}})),
            InvalidArgument,
            "query.continue",
        ),
        row(
            "continue",
            "a number",
            Call("jobs.list", json!({"query": {"continue": 5}})),
            InvalidArgument,
            "query.continue",
        ),
        // ── durations and times ─────────────────────────────────────────────────────────────
        row("duration", "unknown unit", Advance(json!("1 fortnight")), InvalidArgument, "duration"),
        row("duration", "negative", Advance(json!("-5s")), InvalidArgument, "duration"),
        row("duration", "empty", Advance(json!("")), InvalidArgument, "duration"),
        row("duration", "negative seconds", Advance(json!(-1)), InvalidArgument, "duration"),
        row("duration", "1e30 seconds", Advance(json!(1e30)), InvalidArgument, "duration"),
        row("duration", "99999999999h", Advance(json!("99999999999h")), InvalidArgument, "duration"),
        row("duration", "a list", Advance(json!(["1s"])), InvalidArgument, "duration"),
        row("time", "back in time", AdvanceTo("2025-01-01T00:00:00Z"), InvalidArgument, "time"),
        row("time", "not a time", AdvanceTo("tomorrow"), InvalidArgument, "time"),
        row("time", "beyond year 9999", AdvanceTo("+275760-09-13T00:00:00Z"), InvalidArgument, "time"),
        // ── event logs and snapshots ────────────────────────────────────────────────────────
        row("log", "empty", Replay(String::new()), InvalidEventLog, "empty"),
        row("log", "not starting with WorldStarted", Replay(jsonl(&log()[1..])), InvalidEventLog, "WorldStarted"),
        row("log", "a second WorldStarted", Replay(jsonl(&[log(), log()].concat())), InvalidEventLog, "WorldStarted"),
        row("log", "a gap", Replay(log_with(3, |e| e["sequence"] = json!(40))), InvalidEventLog, "gap"),
        row("log", "a duplicate", Replay(log_with(3, |e| e["sequence"] = json!(3))), InvalidEventLog, "duplicate"),
        row(
            "log",
            "time going back",
            Replay(log_with(4, |e| e["time"] = json!("2025-01-01T00:00:00Z"))),
            InvalidEventLog,
            "back in time",
        ),
        row(
            "log",
            "unknown event type",
            Replay(log_with(2, |e| e["type"] = json!("JobExploded"))),
            InvalidEventLog,
            "JobExploded",
        ),
        row("log", "unknown schema", Replay(log_with(2, |e| e["schema"] = json!(9))), InvalidEventLog, "schema 9"),
        row(
            "log",
            "payload missing a field",
            Replay(log_with(2, |e| e["payload"] = json!({}))),
            InvalidEventLog,
            "missing field",
        ),
        row(
            "log",
            "an event that is not an object",
            Replay(format!("{}\n[1]\n", log()[0])),
            InvalidEventLog,
            "JSON object",
        ),
        row(
            "log",
            "sequence as text",
            Replay(log_with(1, |e| e["sequence"] = json!("2"))),
            InvalidEventLog,
            "sequence",
        ),
        row("log", "an attempt of another task (edited)", Replay(edited_attempt()), InvalidEventLog, "after event"),
        row(
            "snapshot",
            "version not matching its state",
            snapshot_with(|s| s["version"] = json!(1)),
            InvalidEventLog,
            "snapshot.version",
        ),
        row(
            "snapshot",
            "state missing",
            snapshot_with(|s| s["state"] = Value::Null),
            InvalidEventLog,
            "snapshot.state",
        ),
        row("snapshot", "a repeated timer seq", snapshot_with(repeat_timer), InvalidEventLog, "timer seq"),
    ];
    rows
}

/// The latest execution of `etl` in the busy world.
fn latest() -> String {
    busy_world().state().job("etl").and_then(|j| j.executions.last()).cloned().unwrap()
}

/// A token whose checksum no longer matches its payload.
fn tampered(token: &str) -> String {
    let (payload, check) = token.split_once('.').unwrap();
    let flipped = if check.starts_with('0') { "1" } else { "0" };
    format!("{payload}.{flipped}{}", &check[1..])
}

/// YAML whose aliases would expand to 9^9 entries.
fn alias_bomb() -> String {
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(", ");
        text.push_str(&format!("{}: &{} [{refs}]\n", w[1], w[1]));
    }
    text.push_str("steps: *i\n");
    text
}

/// The busy world's log with its first attempt renumbered past `maxRetries`, as a hand edit
/// might: each event is well formed, but the world it folds into is one the engine never
/// reaches (an edit that keeps every invariant cannot be told from a real log, and replays).
fn edited_attempt() -> String {
    let mut events = log();
    let i = events.iter().position(|e| e["type"] == "AttemptStarted").unwrap();
    events[i]["payload"]["attempt"] = json!(7);
    jsonl(&events)
}

fn snapshot_with(change: impl FnOnce(&mut Value)) -> Input {
    let mut snapshot = busy_world().snapshot();
    change(&mut snapshot);
    Input::Snapshot(snapshot, Vec::new())
}

fn repeat_timer(snapshot: &mut Value) {
    let pending = snapshot["state"]["timers"]["pending"].as_array_mut().unwrap();
    let first = pending[0].clone();
    pending.push(first);
}

#[test]
fn every_bad_input_is_refused_with_its_code_naming_the_field_and_changes_nothing() {
    let rows = table();
    let mut failures = Vec::new();
    for r in &rows {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&r.input)));
        match outcome {
            Err(_) => failures.push(format!("[{}] {}: panicked (or changed the simulator)", r.face, r.what)),
            Ok(Ok(())) => failures.push(format!("[{}] {}: accepted, expected {}", r.face, r.what, r.code)),
            Ok(Err(e)) => {
                let text = format!("{} {:?}", e.message, e.field_violations);
                if e.code != r.code || !text.contains(r.mention) {
                    failures.push(format!(
                        "[{}] {}: expected {} mentioning {:?}, got {} {:?}",
                        r.face,
                        r.what,
                        r.code,
                        r.mention,
                        e.code,
                        truncate(&text)
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {} rows failed:\n{}", failures.len(), rows.len(), failures.join("\n"));
}

#[test]
fn the_table_covers_every_face_with_at_least_60_rows() {
    let rows = table();
    assert!(rows.len() >= 60, "{} rows", rows.len());
    for face in ["scenario", "api", "query", "selector", "continue", "duration", "time", "log", "snapshot"] {
        assert!(rows.iter().any(|r| r.face == face), "no row for {face}");
    }
}

/// The YAML depth guard counts brackets, not text: brackets in quoted strings and comments are
/// not nesting, and 100 real levels (within the limit) reach the parser, which refuses them by
/// the scenario's own depth rule.
#[test]
fn the_yaml_depth_guard_counts_only_real_nesting() {
    let quoted = format!(
        "steps:\n  - {{call: jobs.get, name: \"{0}\"}}  # {0}\n  - {{call: jobs.get, name: '{0}'}}\n",
        "[{".repeat(300)
    );
    Scenario::parse(&quoted).unwrap();
    let deep = format!("steps:\n  - {{call: jobs.create, body: {}{}}}\n", "[".repeat(100), "]".repeat(100));
    let e = Scenario::parse(&deep).unwrap_err();
    assert!(e.message.contains("nested deeper than 72"), "{}", e.message);
}

fn truncate(s: &str) -> String {
    s.chars().take(300).collect()
}
