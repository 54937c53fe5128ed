//! Executions and tasks on virtual time, table-driven (one named row per case, in the style of
//! the Kubernetes Job controller tests): job shape, workload, faults and steps in; counters,
//! conditions, timestamps and task states out. Every row also checks the engine invariants after
//! every event and that replaying the log gives the live state (`engine_support::verify`).
//!
//! Rules: R18–R31, D3–D5, D7, D9–D15 of `shared/spec/cloud-run-jobs-v1.md`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod engine_support;

use engine_support::{job_body, verify};
use jobsim_core::scenario::Scenario;
use jobsim_core::time::{parse_duration, parse_timestamp};
use jobsim_core::Simulator;
use serde_json::{json, Value};

/// What the first execution of a case should look like at the end.
#[derive(Default)]
struct Exec {
    /// The execution was deleted (404).
    gone: bool,
    /// One letter per task, by index: P(ending) R(unning) S(ucceeded) F(ailed) C(ancelled) A(bandoned).
    tasks: &'static str,
    /// `retried` per task, one digit per task ("" = not checked).
    retried: &'static str,
    /// runningCount, succeededCount, failedCount, cancelledCount, retriedCount.
    counters: [i64; 5],
    /// Conditions in order: `Type=Status` or `Type=Status:Reason`.
    conditions: &'static [&'static str],
    /// A substring of the `Completed` message ("" = not checked).
    message: &'static str,
    /// Offsets from `creationTimestamp`: ContainerReady, ResourcesAvailable, Started (= startTime),
    /// Completed (= completionTime), Retry.
    times: &'static [(&'static str, &'static str)],
    /// `status.startTime` offset of each task, by index ("-" = no startTime).
    task_starts: &'static [&'static str],
    /// The largest number of tasks running at once over the whole log.
    max_running: Option<u32>,
    /// JSON pointers into the execution → expected values (`null` = absent).
    json: Vec<(&'static str, Value)>,
    /// (task index, JSON pointer into the task, expected value).
    task_json: Vec<(u32, &'static str, Value)>,
}

/// What the job should look like at the end.
#[derive(Default)]
struct JobWant {
    /// The job is gone (404).
    gone: bool,
    /// `status.executionCount`.
    execution_count: Option<i64>,
    /// How many executions `executions.list` returns.
    listed: Option<usize>,
    /// `latestCreatedExecution.completionStatus`.
    latest: &'static str,
    /// `Ready` as `Status` or `Status:Reason` ("" = not checked).
    ready: &'static str,
}

struct Case {
    name: &'static str,
    /// Options: seed, profile, settings, workloads, faults.
    options: Value,
    /// The job created first (name `etl`).
    job: Value,
    /// Steps after `jobs.create`.
    steps: Vec<Value>,
    /// Steps expected to fail: (index in `steps`, HTTP status, substring of the message).
    errors: &'static [(usize, u16, &'static str)],
    /// The first execution created; `None` = no execution may exist.
    exec: Option<Exec>,
    job_want: JobWant,
}

fn run() -> Value {
    json!({"call": "jobs.run", "name": "etl"})
}
fn run_with(overrides: Value) -> Value {
    json!({"call": "jobs.run", "name": "etl", "body": {"overrides": overrides}})
}
fn adv(by: &str) -> Value {
    json!({"advance": by})
}
fn idle() -> Value {
    json!({"runUntilIdle": true})
}
fn cancel() -> Value {
    json!({"call": "executions.cancel", "latestOf": "etl"})
}
fn delete() -> Value {
    json!({"call": "executions.delete", "latestOf": "etl"})
}
fn call(method: &str, name: &str) -> Value {
    json!({"call": method, "name": name})
}
fn delete_job(force: bool) -> Value {
    json!({"call": "jobs.delete", "name": "etl", "query": {"force": force}})
}
fn replace(body: Value) -> Value {
    json!({"call": "jobs.replaceJob", "name": "etl", "body": body})
}
fn instant(extra: Value) -> Value {
    let mut o = json!({"seed": 3, "profile": "instant"});
    merge(&mut o, extra);
    o
}
fn realistic(extra: Value) -> Value {
    let mut o = json!({"seed": 3, "profile": "realistic"});
    merge(&mut o, extra);
    o
}
fn merge(into: &mut Value, extra: Value) {
    if let (Some(a), Value::Object(b)) = (into.as_object_mut(), extra) {
        a.extend(b);
    }
}
fn with_token(mut body: Value, key: &str, token: &str) -> Value {
    body["spec"][key] = json!(token);
    body
}
fn dur(job: &str, d: &str) -> Value {
    json!([{"job": job, "duration": d}])
}
fn repeat(step: Value, n: usize) -> Vec<Value> {
    vec![step; n]
}

const DONE_OK: &[&str] = &["Completed=True", "ResourcesAvailable=True", "Started=True", "ContainerReady=True"];
const DONE_EXIT: &[&str] = &[
    "Completed=False:NonZeroExitCode",
    "ResourcesAvailable=True",
    "Started=True",
    "ContainerReady=True",
    "Retry=True:ImmediateRetry",
];
const DONE_TIMEOUT: &[&str] =
    &["Completed=False", "ResourcesAvailable=True", "Started=True", "ContainerReady=True", "Retry=True:ImmediateRetry"];
const RUNNING: &[&str] = &["Completed=Unknown", "ResourcesAvailable=True", "Started=True", "ContainerReady=True"];
const CANCELLED: &[&str] =
    &["Completed=False:Cancelled", "ResourcesAvailable=True", "Started=True", "ContainerReady=True"];

fn cases() -> Vec<Case> {
    let etl = |tasks, par, retries, timeout| job_body("etl", tasks, par, retries, timeout);
    vec![
        // ---- provisioning and timing (R20, R25, D11, D15) ----
        Case {
            name: "realistic single task: provisioning delays of the profile, attempt 10s",
            options: realistic(json!({})),
            job: etl(1, 0, 3, 600),
            steps: vec![run(), idle()],
            errors: &[],
            exec: Some(Exec {
                tasks: "S",
                retried: "0",
                counters: [0, 1, 0, 0, 0],
                conditions: DONE_OK,
                times: &[
                    ("ContainerReady", "1.3s"),
                    ("ResourcesAvailable", "1.4s"),
                    ("Started", "2.7s"),
                    ("Completed", "12.7s"),
                ],
                task_starts: &["2.7s"],
                max_running: Some(1),
                json: vec![
                    ("/spec/parallelism", json!(1)),
                    ("/status/conditions/2/message", json!("Started deployed execution in 1.3s.")),
                    ("/status/conditions/1/message", json!("Provisioned imported containers.")),
                    ("/status/conditions/0/message", Value::Null),
                ],
                task_json: vec![
                    (0, "/status/conditions/0/type", json!("Completed")),
                    (0, "/status/conditions/0/status", json!("True")),
                    (0, "/status/conditions/1/type", json!("Started")),
                    (0, "/status/lastAttemptResult", Value::Null),
                    (0, "/status/index", Value::Null),
                    (0, "/metadata/labels/run.googleapis.com~1runningState", json!("Succeeded")),
                ],
                ..Exec::default()
            }),
            job_want: JobWant { execution_count: Some(1), latest: "EXECUTION_SUCCEEDED", ready: "True", ..JobWant::default() },
        },
        Case {
            name: "realistic failure: Retry condition one second after the failed completion (D11)",
            options: realistic(json!({"faults": [{"job": "etl", "exitCode": 1}]})),
            job: etl(1, 0, 0, 600),
            steps: vec![run(), idle()],
            errors: &[],
            exec: Some(Exec {
                tasks: "F",
                retried: "0",
                counters: [0, 0, 1, 0, 0],
                conditions: DONE_EXIT,
                message: "-task0 failed with message: The container exited with an error.",
                times: &[("Started", "2.7s"), ("Completed", "12.7s"), ("Retry", "13.7s")],
                task_json: vec![
                    (0, "/status/lastAttemptResult/exitCode", json!(1)),
                    (0, "/status/lastAttemptResult/status/code", json!(10)),
                    (0, "/status/conditions/0/reason", json!("NonZeroExitCode")),
                ],
                ..Exec::default()
            }),
            job_want: JobWant { latest: "EXECUTION_FAILED", ..JobWant::default() },
        },
        Case {
            name: "realistic retry starts one second after the failed attempt, with a fresh timeout",
            options: realistic(json!({"faults": [{"job": "etl", "attempt": 0, "exitCode": 2}]})),
            job: etl(1, 0, 1, 600),
            steps: vec![run(), idle()],
            errors: &[],
            exec: Some(Exec {
                tasks: "S",
                retried: "1",
                counters: [0, 1, 0, 0, 1],
                conditions: DONE_OK,
                times: &[("Started", "2.7s"), ("Completed", "23.7s")],
                task_starts: &["2.7s"],
                task_json: vec![(0, "/status/retried", json!(1)), (0, "/status/lastAttemptResult", Value::Null)],
                ..Exec::default()
            }),
            job_want: JobWant { latest: "EXECUTION_SUCCEEDED", ..JobWant::default() },
        },
        Case {
            name: "while running: Completed=Unknown, runningCount, latest EXECUTION_RUNNING (R19)",
            options: realistic(json!({"workloads": dur("etl", "1m")})),
            job: etl(3, 2, 3, 600),
            steps: vec![run(), adv("30s")],
            errors: &[],
            exec: Some(Exec {
                tasks: "RRP",
                retried: "000",
                counters: [2, 0, 0, 0, 0],
                conditions: RUNNING,
                times: &[("Started", "2.7s")],
                task_starts: &["2.7s", "2.7s", "-"],
                json: vec![
                    ("/status/completionTime", Value::Null),
                    ("/status/conditions/0/message", json!("Waiting for execution to complete.")),
                ],
                task_json: vec![(2, "/metadata/labels/run.googleapis.com~1runningState", json!("Pending"))],
                ..Exec::default()
            }),
            job_want: JobWant { latest: "EXECUTION_RUNNING", ..JobWant::default() },
        },
        Case {
            name: "before provisioning: status has only observedGeneration; latest EXECUTION_PENDING (D3)",
            options: realistic(json!({})),
            job: etl(2, 0, 3, 600),
            steps: vec![run(), adv("1s")],
            errors: &[],
            exec: Some(Exec {
                tasks: "PP",
                counters: [0, 0, 0, 0, 0],
                conditions: &[],
                json: vec![("/status", json!({"observedGeneration": 1}))],
                ..Exec::default()
            }),
            job_want: JobWant { latest: "EXECUTION_PENDING", ..JobWant::default() },
        },
        // ---- parallelism (R21, D9) ----
        Case {
            name: "parallelism 2 of 5 fills free slots in index order",
            options: instant(json!({"workloads": dur("etl", "10s")})),
            job: etl(5, 2, 3, 600),
            steps: vec![run(), idle()],
            errors: &[],
            exec: Some(Exec {
                tasks: "SSSSS",
                counters: [0, 5, 0, 0, 0],
                conditions: DONE_OK,
                times: &[("Started", "0s"), ("Completed", "30s")],
                task_starts: &["0s", "0s", "10s", "10s", "20s"],
                max_running: Some(2),
                json: vec![("/spec/parallelism", json!(2))],
                ..Exec::default()
            }),
            job_want: JobWant::default(),
        },
        Case {
            name: "parallelism 1 runs tasks one after another",
            options: instant(json!({"workloads": dur("etl", "10s")})),
            job: etl(3, 1, 3, 600),
            steps: vec![run(), idle()],
            errors: &[],
            exec: Some(Exec {
                tasks: "SSS",
                counters: [0, 3, 0, 0, 0],
                conditions: DONE_OK,
                times: &[("Completed", "30s")],
                task_starts: &["0s", "10s", "20s"],
                max_running: Some(1),
                ..Exec::default()
            }),
            job_want: JobWant::default(),
        },
        Case {
            name: "parallelism unset: every task at once; the execution stores the effective value",
            options: instant(json!({"workloads": dur("etl", "10s")})),
            job: etl(5, 0, 3, 600),
            steps: vec![run(), idle()],
            errors: &[],
            exec: Some(Exec {
                tasks: "SSSSS",
                counters: [0, 5, 0, 0, 0],
                conditions: DONE_OK,
                times: &[("Completed", "10s")],
                max_running: Some(5),
                json: vec![("/spec/parallelism", json!(5)), ("/spec/taskCount", json!(5))],
                ..Exec::default()
            }),
            job_want: JobWant::default(),
        },
        Case {
            name: "parallelism unset with settings.maxParallelism 3 (D9)",
            options: instant(json!({"workloads": dur("etl", "10s"), "settings": {"maxParallelism": 3}})),
            job: etl(7, 0, 3, 600),
            steps: vec![run(), idle()],
            errors: &[],
            exec: Some(Exec {
                tasks: "SSSSSSS",
                counters: [0, 7, 0, 0, 0],
                conditions: DONE_OK,
                times: &[("Completed", "30s")],
                task_starts: &["0s", "0s", "0s", "10s", "10s", "10s", "20s"],
                max_running: Some(3),
                json: vec![("/spec/parallelism", json!(3))],
                ..Exec::default()
            }),
            job_want: JobWant::default(),
        },
        Case {
            name: "a retrying task keeps its slot (R22: it stays Running)",
            options: instant(json!({"workloads": dur("etl", "10s"),
                "faults": [{"job": "etl", "task": 0, "attempt": 0, "exitCode": 1}]})),
            job: etl(2, 1, 1, 600),
            steps: vec![run(), idle()],
            errors: &[],
            exec: Some(Exec {
                tasks: "SS",
                retried: "10",
                counters: [0, 2, 0, 0, 1],
                conditions: DONE_OK,
                times: &[("Completed", "30s")],
                task_starts: &["0s", "20s"],
                max_running: Some(1),
                ..Exec::default()
            }),
            job_want: JobWant::default(),
        },
        // ---- retries (R22, R23, R26) ----
        Case {
            name: "maxRetries 0: one failed attempt fails the task",
            options: instant(json!({"faults": [{"job": "etl", "exitCode": 3}]})),
            job: etl(1, 0, 0, 600),
            steps: vec![run(), idle()],
            errors: &[],
            exec: Some(Exec {
                tasks: "F",
                retried: "0",
                counters: [0, 0, 1, 0, 0],
                conditions: DONE_EXIT,
                message: "-task0 failed with message: The container exited with an error.",
                task_json: vec![
                    (0, "/status/retried", Value::Null),
                    (0, "/status/lastAttemptResult/exitCode", json!(3)),
                    (0, "/spec/maxRetries", json!(0)),
                ],
                ..Exec::default()
            }),
            job_want: JobWant { latest: "EXECUTION_FAILED", ..JobWant::default() },
        },
        Case {
            name: "maxRetries 3, every attempt fails: four attempts, retried 3, retriedCount 1",
            options: instant(json!({"workloads": dur("etl", "10s"), "faults": [{"job": "etl", "exitCode": 1}]})),
            job: etl(1, 0, 3, 600),
            steps: vec![run(), idle()],
            errors: &[],
            exec: Some(Exec {
                tasks: "F",
                retried: "3",
                counters: [0, 0, 1, 0, 1],
                conditions: DONE_EXIT,
                times: &[("Completed", "40s")],
                task_starts: &["0s"],
                ..Exec::default()
            }),
            job_want: JobWant::default(),
        },
        Case {
            name: "fails once then succeeds: Succeeded with retried 1",
            options: instant(json!({"faults": [{"job": "etl", "task": 1, "attempt": 0, "exitCode": 1}]})),
            job: etl(3, 0, 2, 600),
            steps: vec![run(), idle()],
            errors: &[],
            exec: Some(Exec {
                tasks: "SSS",
                retried: "010",
                counters: [0, 3, 0, 0, 1],
                conditions: DONE_OK,
                ..Exec::default()
            }),
            job_want: JobWant::default(),
        },
        Case {
            name: "workload failureRate 1 with exitCode 3 fails every attempt of every task",
            options: instant(json!({"workloads": [{"job": "etl", "duration": "5s", "failureRate": 1.0, "exitCode": 3}]})),
            job: etl(2, 0, 1, 600),
            steps: vec![run(), idle()],
            errors: &[],
            exec: Some(Exec {
                tasks: "FF",
                retried: "11",
                counters: [0, 0, 2, 0, 2],
                conditions: DONE_EXIT,
                message: "-task0 failed",
                times: &[("Completed", "10s")],
                task_json: vec![(1, "/status/lastAttemptResult/exitCode", json!(3))],
                ..Exec::default()
            }),
            job_want: JobWant::default(),
        },
        Case {
            name: "an exact fault wins over the workload's draw (exitCode 0 on a failureRate 1 workload)",
            options: instant(json!({"workloads": [{"job": "etl", "failureRate": 1.0}],
                "faults": [{"job": "etl", "task": 0, "exitCode": 0}]})),
            job: etl(2, 0, 0, 600),
            steps: vec![run(), idle()],
            errors: &[],
            exec: Some(Exec {
                tasks: "SF",
                counters: [0, 1, 1, 0, 0],
                conditions: DONE_EXIT,
                message: "-task1 failed",
                ..Exec::default()
            }),
            job_want: JobWant::default(),
        },
        Case {
            name: "faults address the execution ordinal: only the second execution fails",
            options: instant(json!({"faults": [{"job": "etl", "execution": 2, "exitCode": 9}]})),
            job: etl(1, 0, 0, 600),
            steps: vec![run(), run(), idle()],
            errors: &[],
            exec: Some(Exec { tasks: "S", counters: [0, 1, 0, 0, 0], conditions: DONE_OK, ..Exec::default() }),
            job_want: JobWant { execution_count: Some(2), listed: Some(2), latest: "EXECUTION_FAILED", ..JobWant::default() },
        },
        // ---- timeouts (R22, R23, D5) ----
        Case {
            name: "hang: the attempt times out after timeoutSeconds, no exitCode, Completed has no reason (D5)",
            options: instant(json!({"faults": [{"job": "etl", "hang": true}]})),
            job: etl(1, 0, 0, 60),
            steps: vec![run(), idle()],
            errors: &[],
            exec: Some(Exec {
                tasks: "F",
                counters: [0, 0, 1, 0, 0],
                conditions: DONE_TIMEOUT,
                message: "-task0 failed with message: The configured timeout was reached.",
                times: &[("Completed", "60s")],
                task_json: vec![
                    (0, "/status/lastAttemptResult", json!({"status": {"code": 4, "message": "The configured timeout was reached."}})),
                    (0, "/status/conditions/0/reason", Value::Null),
                    (0, "/status/conditions/0/message", json!("The configured timeout was reached.")),
                ],
                ..Exec::default()
            }),
            job_want: JobWant::default(),
        },
        Case {
            name: "an attempt longer than the timeout is killed at the timeout (default 600s)",
            options: instant(json!({"faults": [{"job": "etl", "task": 2, "duration": "2h"}]})),
            job: job_body_default_timeout(),
            steps: vec![run(), idle()],
            errors: &[],
            exec: Some(Exec {
                tasks: "SSF",
                counters: [0, 2, 1, 0, 0],
                conditions: DONE_TIMEOUT,
                message: "-task2 failed with message: The configured timeout was reached.",
                times: &[("Completed", "600s")],
                ..Exec::default()
            }),
            job_want: JobWant::default(),
        },
        Case {
            name: "each retry runs for the full timeout again",
            options: instant(json!({"faults": [{"job": "etl", "hang": true}]})),
            job: etl(1, 0, 2, 60),
            steps: vec![run(), idle()],
            errors: &[],
            exec: Some(Exec {
                tasks: "F",
                retried: "2",
                counters: [0, 0, 1, 0, 1],
                conditions: DONE_TIMEOUT,
                times: &[("Completed", "180s")],
                ..Exec::default()
            }),
            job_want: JobWant::default(),
        },
        Case {
            name: "a timeout then a successful retry",
            options: instant(json!({"workloads": dur("etl", "10s"),
                "faults": [{"job": "etl", "attempt": 0, "hang": true}]})),
            job: etl(1, 0, 1, 60),
            steps: vec![run(), idle()],
            errors: &[],
            exec: Some(Exec {
                tasks: "S",
                retried: "1",
                counters: [0, 1, 0, 0, 1],
                conditions: DONE_OK,
                times: &[("Completed", "70s")],
                ..Exec::default()
            }),
            job_want: JobWant::default(),
        },
        Case {
            name: "an attempt lasting exactly timeoutSeconds is a timeout",
            options: instant(json!({"workloads": dur("etl", "60s")})),
            job: etl(1, 0, 0, 60),
            steps: vec![run(), idle()],
            errors: &[],
            exec: Some(Exec { tasks: "F", counters: [0, 0, 1, 0, 0], conditions: DONE_TIMEOUT, ..Exec::default() }),
            job_want: JobWant::default(),
        },
        // ---- mixed failures (R24, R25) ----
        Case {
            name: "the lowest failed index names the Completed message, whatever failed first (R25)",
            options: instant(json!({"workloads": dur("etl", "5s"), "faults": [
                {"job": "etl", "task": 3, "exitCode": 137},
                {"job": "etl", "task": 1, "hang": true}]})),
            job: etl(4, 0, 0, 60),
            steps: vec![run(), idle()],
            errors: &[],
            exec: Some(Exec {
                tasks: "SFSF",
                counters: [0, 2, 2, 0, 0],
                conditions: DONE_TIMEOUT,
                message: "-task1 failed with message: The configured timeout was reached.",
                times: &[("Completed", "60s")],
                ..Exec::default()
            }),
            job_want: JobWant::default(),
        },
        Case {
            name: "a failed task never stops the others: pending tasks still start (R24, D14)",
            options: instant(json!({"workloads": dur("etl", "10s"),
                "faults": [{"job": "etl", "task": 0, "exitCode": 1}]})),
            job: etl(6, 2, 0, 600),
            steps: vec![run(), idle()],
            errors: &[],
            exec: Some(Exec {
                tasks: "FSSSSS",
                counters: [0, 5, 1, 0, 0],
                conditions: DONE_EXIT,
                message: "-task0 failed",
                times: &[("Completed", "30s")],
                task_starts: &["0s", "0s", "10s", "10s", "20s", "20s"],
                max_running: Some(2),
                ..Exec::default()
            }),
            job_want: JobWant::default(),
        },
        Case {
            name: "mixed: exit, timeout, retry-then-success and success in one execution",
            options: instant(json!({"workloads": dur("etl", "10s"), "faults": [
                {"job": "etl", "task": 0, "exitCode": 2},
                {"job": "etl", "task": 1, "attempt": 0, "hang": true},
                {"job": "etl", "task": 2, "hang": true}]})),
            job: etl(4, 2, 1, 30),
            steps: vec![run(), idle()],
            errors: &[],
            exec: Some(Exec {
                tasks: "FSFS",
                retried: "1110",
                counters: [0, 2, 2, 0, 3],
                conditions: DONE_EXIT,
                message: "-task0 failed with message: The container exited with an error.",
                ..Exec::default()
            }),
            job_want: JobWant::default(),
        },
        // ---- cancel (R28, D4) ----
        Case {
            name: "cancel before provisioning: every task Abandoned, no startTime",
            options: realistic(json!({})),
            job: etl(3, 0, 3, 600),
            steps: vec![run(), cancel()],
            errors: &[],
            exec: Some(Exec {
                tasks: "AAA",
                counters: [0, 0, 0, 3, 0],
                conditions: &["Completed=False:Cancelled"],
                times: &[("Completed", "0s")],
                task_starts: &["-", "-", "-"],
                json: vec![("/status/startTime", Value::Null)],
                task_json: vec![
                    (0, "/status/conditions/0/reason", json!("Abandoned")),
                    (0, "/metadata/labels/run.googleapis.com~1runningState", json!("Abandoned")),
                ],
                ..Exec::default()
            }),
            job_want: JobWant { latest: "EXECUTION_CANCELLED", ..JobWant::default() },
        },
        Case {
            name: "cancel while running: running tasks Cancelled, pending Abandoned, finished ones kept",
            options: instant(json!({"workloads": dur("etl", "10s")})),
            job: etl(5, 2, 3, 600),
            steps: vec![run(), adv("15s"), cancel(), idle()],
            errors: &[],
            exec: Some(Exec {
                tasks: "SSCCA",
                counters: [0, 2, 0, 3, 0],
                conditions: CANCELLED,
                times: &[("Completed", "15s")],
                task_starts: &["0s", "0s", "10s", "10s", "-"],
                task_json: vec![
                    (2, "/status/completionTime", json!("2026-01-01T00:00:15.000000Z")),
                    (2, "/status/conditions/0/reason", json!("Cancelled")),
                ],
                ..Exec::default()
            }),
            job_want: JobWant { latest: "EXECUTION_CANCELLED", ..JobWant::default() },
        },
        Case {
            name: "cancel during a retry wait cancels the task; its retry never starts",
            options: realistic(json!({"faults": [{"job": "etl", "attempt": 0, "exitCode": 1}]})),
            job: etl(1, 0, 3, 600),
            steps: vec![run(), adv("13s"), cancel(), idle()],
            errors: &[],
            exec: Some(Exec {
                tasks: "C",
                retried: "1",
                counters: [0, 0, 0, 1, 1],
                conditions: CANCELLED,
                times: &[("Completed", "13s")],
                ..Exec::default()
            }),
            job_want: JobWant { latest: "EXECUTION_CANCELLED", ..JobWant::default() },
        },
        Case {
            name: "cancel after completion returns it unchanged (D4)",
            options: instant(json!({})),
            job: etl(2, 0, 3, 600),
            steps: vec![run(), idle(), cancel(), cancel()],
            errors: &[],
            exec: Some(Exec { tasks: "SS", counters: [0, 2, 0, 0, 0], conditions: DONE_OK, ..Exec::default() }),
            job_want: JobWant { latest: "EXECUTION_SUCCEEDED", ..JobWant::default() },
        },
        Case {
            name: "cancelling twice is the same as once",
            options: instant(json!({"workloads": dur("etl", "10s")})),
            job: etl(2, 1, 3, 600),
            steps: vec![run(), adv("5s"), cancel(), adv("5s"), cancel()],
            errors: &[],
            exec: Some(Exec {
                tasks: "CA",
                counters: [0, 0, 0, 2, 0],
                conditions: CANCELLED,
                times: &[("Completed", "5s")],
                ..Exec::default()
            }),
            job_want: JobWant::default(),
        },
        // ---- delete (R29, R30, D2, D10) ----
        Case {
            name: "delete a running execution: it is cancelled, then gone (D10)",
            options: instant(json!({"workloads": dur("etl", "10s")})),
            job: etl(2, 0, 3, 600),
            steps: vec![run(), adv("5s"), delete(), idle()],
            errors: &[],
            exec: Some(Exec { gone: true, ..Exec::default() }),
            job_want: JobWant {
                execution_count: Some(1),
                listed: Some(0),
                latest: "EXECUTION_CANCELLED",
                ..JobWant::default()
            },
        },
        Case {
            name: "delete a finished execution",
            options: instant(json!({})),
            job: etl(2, 0, 3, 600),
            steps: vec![run(), idle(), delete()],
            errors: &[],
            exec: Some(Exec { gone: true, ..Exec::default() }),
            job_want: JobWant { execution_count: Some(1), listed: Some(0), latest: "EXECUTION_SUCCEEDED", ..JobWant::default() },
        },
        Case {
            name: "cancel, delete and read a deleted execution or its tasks: 404, nothing else changes",
            options: instant(json!({})),
            job: with_token(etl(2, 0, 3, 600), "runExecutionToken", "t1"),
            steps: vec![
                idle(),
                call("executions.delete", "etl-t1"),
                call("executions.delete", "etl-t1"),
                call("executions.cancel", "etl-t1"),
                call("executions.get", "etl-t1"),
                call("tasks.get", "etl-t1-task0"),
            ],
            errors: &[(2, 404, "etl-t1"), (3, 404, "etl-t1"), (4, 404, "EXECUTION"), (5, 404, "TASK")],
            exec: Some(Exec { gone: true, ..Exec::default() }),
            job_want: JobWant { execution_count: Some(1), listed: Some(0), ..JobWant::default() },
        },
        Case {
            name: "unknown execution and task names: 404",
            options: instant(json!({})),
            job: with_token(etl(2, 0, 3, 600), "runExecutionToken", "t1"),
            steps: vec![
                idle(),
                call("executions.get", "etl-nope"),
                call("executions.cancel", "etl-nope"),
                call("tasks.get", "etl-t1-task2"),
                call("tasks.get", "etl-t1-task01"),
                call("tasks.get", "etl-t1-task-1"),
                call("tasks.get", "etl-t1"),
            ],
            errors: &[(1, 404, ""), (2, 404, ""), (3, 404, ""), (4, 404, ""), (5, 404, ""), (6, 404, "")],
            exec: Some(Exec { tasks: "SS", counters: [0, 2, 0, 0, 0], conditions: DONE_OK, ..Exec::default() }),
            job_want: JobWant::default(),
        },
        Case {
            name: "jobs.delete without force while an execution runs: 400 FAILED_PRECONDITION, nothing lost",
            options: instant(json!({"workloads": dur("etl", "10s")})),
            job: etl(2, 0, 3, 600),
            steps: vec![run(), adv("5s"), delete_job(false), idle()],
            errors: &[(2, 400, "running execution")],
            exec: Some(Exec {
                tasks: "SS",
                counters: [0, 2, 0, 0, 0],
                conditions: DONE_OK,
                times: &[("Completed", "10s")],
                ..Exec::default()
            }),
            job_want: JobWant { execution_count: Some(1), latest: "EXECUTION_SUCCEEDED", ..JobWant::default() },
        },
        Case {
            name: "jobs.delete with force cancels running executions at once (R30)",
            options: realistic(json!({"workloads": dur("etl", "10s")})),
            job: etl(3, 2, 3, 600),
            steps: vec![run(), adv("5s"), delete_job(true)],
            errors: &[],
            exec: Some(Exec {
                tasks: "CCA",
                counters: [0, 0, 0, 3, 0],
                conditions: CANCELLED,
                times: &[("Completed", "5s")],
                ..Exec::default()
            }),
            job_want: JobWant { latest: "EXECUTION_CANCELLED", ..JobWant::default() },
        },
        Case {
            name: "jobs.delete with force: after the deletion delay the job and its executions are gone",
            options: realistic(json!({"workloads": dur("etl", "10s")})),
            job: etl(3, 2, 3, 600),
            steps: vec![run(), adv("5s"), delete_job(true), idle(), call("jobs.run", "etl")],
            errors: &[(4, 404, "etl")],
            exec: Some(Exec { gone: true, ..Exec::default() }),
            job_want: JobWant { gone: true, ..JobWant::default() },
        },
        Case {
            name: "jobs.delete of a job whose executions all finished needs no force",
            options: instant(json!({})),
            job: etl(1, 0, 3, 600),
            steps: vec![run(), idle(), delete_job(false), idle()],
            errors: &[],
            exec: Some(Exec { gone: true, ..Exec::default() }),
            job_want: JobWant { gone: true, ..JobWant::default() },
        },
        // ---- tokens (R15, D7) ----
        Case {
            name: "runExecutionToken: execution {job}-{token}, Ready Unknown while it runs",
            options: realistic(json!({"workloads": dur("etl", "30s")})),
            job: with_token(etl(1, 0, 3, 600), "runExecutionToken", "t1"),
            steps: vec![adv("10s"), call("executions.get", "etl-t1")],
            errors: &[],
            exec: Some(Exec { tasks: "R", counters: [1, 0, 0, 0, 0], conditions: RUNNING, ..Exec::default() }),
            job_want: JobWant { execution_count: Some(1), latest: "EXECUTION_RUNNING", ready: "Unknown", ..JobWant::default() },
        },
        Case {
            name: "runExecutionToken: Ready True once the execution completed",
            options: realistic(json!({})),
            job: with_token(etl(1, 0, 3, 600), "runExecutionToken", "t1"),
            steps: vec![idle()],
            errors: &[],
            exec: Some(Exec { tasks: "S", counters: [0, 1, 0, 0, 0], conditions: DONE_OK, ..Exec::default() }),
            job_want: JobWant { execution_count: Some(1), latest: "EXECUTION_SUCCEEDED", ready: "True", ..JobWant::default() },
        },
        Case {
            name: "startExecutionToken: Ready True once the execution started",
            options: realistic(json!({"workloads": dur("etl", "1m")})),
            job: with_token(etl(1, 0, 3, 600), "startExecutionToken", "s1"),
            steps: vec![adv("5s")],
            errors: &[],
            exec: Some(Exec { tasks: "R", counters: [1, 0, 0, 0, 0], conditions: RUNNING, ..Exec::default() }),
            job_want: JobWant { ready: "True", latest: "EXECUTION_RUNNING", ..JobWant::default() },
        },
        Case {
            name: "a failed run-token execution makes the job Ready=False with its reason (D7)",
            options: realistic(json!({"faults": [{"job": "etl", "exitCode": 1}]})),
            job: with_token(etl(1, 0, 0, 600), "runExecutionToken", "t1"),
            steps: vec![idle()],
            errors: &[],
            exec: Some(Exec { tasks: "F", counters: [0, 0, 1, 0, 0], conditions: DONE_EXIT, ..Exec::default() }),
            job_want: JobWant { ready: "False:NonZeroExitCode", latest: "EXECUTION_FAILED", ..JobWant::default() },
        },
        Case {
            name: "re-sending the same token creates nothing; a new token and jobs.run both create (D7)",
            options: instant(json!({})),
            job: with_token(etl(1, 0, 3, 600), "runExecutionToken", "t1"),
            steps: vec![
                idle(),
                replace(with_token(etl(1, 0, 3, 600), "runExecutionToken", "t1")),
                idle(),
                replace(with_token(etl(1, 0, 3, 600), "runExecutionToken", "t2")),
                idle(),
                run(),
                idle(),
                call("executions.get", "etl-t2"),
            ],
            errors: &[],
            exec: Some(Exec { tasks: "S", counters: [0, 1, 0, 0, 0], conditions: DONE_OK, ..Exec::default() }),
            job_want: JobWant { execution_count: Some(3), listed: Some(3), latest: "EXECUTION_SUCCEEDED", ..JobWant::default() },
        },
        Case {
            name: "a reconcile under way decides Ready even if the token execution ends meanwhile (R12)",
            options: realistic(json!({"workloads": dur("etl", "7.5s"),
                "settings": {"missingImages": ["us-docker.pkg.dev/demo/app:missing"]}})),
            job: with_token(etl(1, 0, 3, 600), "runExecutionToken", "t1"),
            steps: vec![adv("10s"), replace(missing_image(with_token(etl(1, 0, 3, 600), "runExecutionToken", "t1"))), idle()],
            errors: &[],
            exec: Some(Exec { tasks: "S", counters: [0, 1, 0, 0, 0], conditions: DONE_OK, ..Exec::default() }),
            job_want: JobWant { ready: "False:ContainerMissing", latest: "EXECUTION_SUCCEEDED", ..JobWant::default() },
        },
        // ---- overrides (R17, R11) ----
        Case {
            name: "taskCount override: more tasks, effective parallelism follows",
            options: instant(json!({})),
            job: etl(1, 0, 3, 600),
            steps: vec![run_with(json!({"taskCount": 3})), idle()],
            errors: &[],
            exec: Some(Exec {
                tasks: "SSS",
                counters: [0, 3, 0, 0, 0],
                conditions: DONE_OK,
                json: vec![("/spec/taskCount", json!(3)), ("/spec/parallelism", json!(3))],
                ..Exec::default()
            }),
            job_want: JobWant::default(),
        },
        Case {
            name: "taskCount override below the job's parallelism clamps parallelism",
            options: instant(json!({})),
            job: etl(5, 4, 3, 600),
            steps: vec![run_with(json!({"taskCount": 2})), idle()],
            errors: &[],
            exec: Some(Exec {
                tasks: "SS",
                counters: [0, 2, 0, 0, 0],
                conditions: DONE_OK,
                json: vec![("/spec/taskCount", json!(2)), ("/spec/parallelism", json!(2))],
                ..Exec::default()
            }),
            job_want: JobWant::default(),
        },
        Case {
            name: "container override by name: args replaced, env merged by name; timeout override",
            options: instant(json!({"faults": [{"job": "etl", "hang": true}]})),
            job: etl(1, 0, 0, 600),
            steps: vec![
                run_with(json!({"timeoutSeconds": 30, "containerOverrides": [
                    {"name": "main", "args": ["b", "c"], "env": [{"name": "X", "value": "2"}, {"name": "Y", "value": "3"}]}]})),
                idle(),
                call("jobs.get", "etl"),
            ],
            errors: &[],
            exec: Some(Exec {
                tasks: "F",
                counters: [0, 0, 1, 0, 0],
                conditions: DONE_TIMEOUT,
                times: &[("Completed", "30s")],
                json: vec![
                    ("/spec/template/spec/containers/0/args", json!(["b", "c"])),
                    (
                        "/spec/template/spec/containers/0/env",
                        json!([{"name": "X", "value": "2"}, {"name": "Y", "value": "3"}]),
                    ),
                    ("/spec/template/spec/timeoutSeconds", json!("30")),
                ],
                ..Exec::default()
            }),
            job_want: JobWant::default(),
        },
        Case {
            name: "clearArgs empties the container's args; the job keeps its own",
            options: instant(json!({})),
            job: etl(1, 0, 3, 600),
            steps: vec![run_with(json!({"containerOverrides": [{"name": "main", "clearArgs": true}]})), idle()],
            errors: &[],
            exec: Some(Exec {
                tasks: "S",
                counters: [0, 1, 0, 0, 0],
                conditions: DONE_OK,
                json: vec![("/spec/template/spec/containers/0/args", Value::Null)],
                ..Exec::default()
            }),
            job_want: JobWant::default(),
        },
        Case {
            name: "bad overrides: env without a name (D23), clearArgs with args, taskCount and timeout out of range → 400, nothing created",
            options: instant(json!({})),
            job: etl(1, 0, 3, 600),
            steps: vec![
                run_with(json!({"containerOverrides": [{"name": "sidecar", "env": [{"value": "x"}]}]})),
                run_with(json!({"containerOverrides": [{"name": "main", "clearArgs": true, "args": ["x"]}]})),
                run_with(json!({"taskCount": 10001})),
                run_with(json!({"taskCount": -1})),
                run_with(json!({"timeoutSeconds": -5})),
                run_with(json!({"timeoutSeconds": 604801})),
            ],
            errors: &[
                (0, 400, "overrides.containerOverrides[0].env[0].name"),
                (1, 400, "overrides.containerOverrides[0].args"),
                (2, 400, "overrides.taskCount"),
                (3, 400, "overrides.taskCount"),
                (4, 400, "overrides.timeoutSeconds"),
                (5, 400, "overrides.timeoutSeconds"),
            ],
            exec: None,
            job_want: JobWant { execution_count: Some(0), listed: Some(0), ..JobWant::default() },
        },
        Case {
            name: "jobs.run of an unknown job: 404",
            options: instant(json!({})),
            job: etl(1, 0, 3, 600),
            steps: vec![call("jobs.run", "nope")],
            errors: &[(0, 404, "nope")],
            exec: None,
            job_want: JobWant { execution_count: Some(0), ..JobWant::default() },
        },
        // ---- delayExecution (D13) ----
        Case {
            name: "delayExecution: pending with DelayedStartPending for the delayed-start time",
            options: realistic(json!({})),
            job: etl(1, 0, 3, 600),
            steps: vec![run_with(json!({"delayExecution": true})), adv("30m")],
            errors: &[],
            exec: Some(Exec {
                tasks: "P",
                counters: [0, 0, 0, 0, 0],
                conditions: &["Completed=Unknown:DelayedStartPending"],
                json: vec![("/spec/delayExecution", json!(true))],
                ..Exec::default()
            }),
            job_want: JobWant { latest: "EXECUTION_PENDING", ..JobWant::default() },
        },
        Case {
            name: "delayExecution: then it starts as usual, an hour later",
            options: realistic(json!({})),
            job: etl(1, 0, 3, 600),
            steps: vec![run_with(json!({"delayExecution": true})), idle()],
            errors: &[],
            exec: Some(Exec {
                tasks: "S",
                counters: [0, 1, 0, 0, 0],
                conditions: DONE_OK,
                times: &[("ContainerReady", "1h1.3s"), ("Started", "1h2.7s"), ("Completed", "1h12.7s")],
                ..Exec::default()
            }),
            job_want: JobWant::default(),
        },
        // ---- retention (R31) ----
        Case {
            name: "retention: the 1001st terminal execution deletes the oldest; executionCount 1001",
            options: instant(json!({})),
            job: etl(1, 0, 0, 600),
            steps: repeat(run(), 1001),
            errors: &[],
            exec: Some(Exec { gone: true, ..Exec::default() }),
            job_want: JobWant { execution_count: Some(1001), listed: Some(1000), latest: "EXECUTION_SUCCEEDED", ..JobWant::default() },
        },
        Case {
            name: "retention counts terminal executions only: a long first one survives 1000 newer",
            options: instant(json!({"faults": [{"job": "etl", "execution": 1, "duration": "1h"}]})),
            job: etl(1, 0, 0, 7200),
            steps: repeat(run(), 1001),
            errors: &[],
            exec: Some(Exec { tasks: "R", counters: [1, 0, 0, 0, 0], conditions: RUNNING, ..Exec::default() }),
            job_want: JobWant { execution_count: Some(1001), listed: Some(1001), ..JobWant::default() },
        },
        Case {
            name: "retention: when the long first one completes, the oldest other one goes (it is kept)",
            options: instant(json!({"faults": [{"job": "etl", "execution": 1, "duration": "1h"}]})),
            job: etl(1, 0, 0, 7200),
            steps: [repeat(run(), 1001), vec![idle()]].concat(),
            errors: &[],
            exec: Some(Exec { tasks: "S", counters: [0, 1, 0, 0, 0], conditions: DONE_OK, ..Exec::default() }),
            job_want: JobWant { execution_count: Some(1001), listed: Some(1000), ..JobWant::default() },
        },
        Case {
            name: "retention: cancelling the long first one deletes the oldest other; the response keeps it",
            options: instant(json!({"faults": [{"job": "etl", "execution": 1, "duration": "1h"}]})),
            job: etl(1, 0, 0, 7200),
            steps: [repeat(run(), 1001), vec![json!({"call": "executions.cancel", "name": "etl-FIRST"})]].concat(),
            errors: &[],
            exec: Some(Exec { tasks: "C", counters: [0, 0, 0, 1, 0], conditions: CANCELLED, ..Exec::default() }),
            job_want: JobWant { execution_count: Some(1001), listed: Some(1000), ..JobWant::default() },
        },
    ]
}

fn missing_image(mut body: Value) -> Value {
    body["spec"]["template"]["spec"]["template"]["spec"]["containers"][0]["image"] =
        json!("us-docker.pkg.dev/demo/app:missing");
    body
}

fn job_body_default_timeout() -> Value {
    let mut b = job_body("etl", 3, 0, 0, 600);
    b["spec"]["template"]["spec"]["template"]["spec"].as_object_mut().unwrap().remove("timeoutSeconds");
    b
}

fn offset(from: &str, at: &str) -> i64 {
    parse_timestamp(at).unwrap() - parse_timestamp(from).unwrap()
}

fn condition_text(c: &Value) -> String {
    let mut s = format!("{}={}", c["type"].as_str().unwrap_or(""), c["status"].as_str().unwrap_or(""));
    if let Some(r) = c["reason"].as_str() {
        s.push(':');
        s.push_str(r);
    }
    s
}

fn letter(state: &str) -> char {
    match state {
        "Pending" => 'P',
        "Running" => 'R',
        "Succeeded" => 'S',
        "Failed" => 'F',
        "Cancelled" => 'C',
        "Abandoned" => 'A',
        _ => '?',
    }
}

/// Runs the scenario of a case; `etl-FIRST` in a step's name stands for the first execution.
fn run_case(case: &Case) -> (Simulator, Vec<Value>, Option<String>) {
    let mut sim = Simulator::new(&case.options).unwrap_or_else(|e| panic!("{}: options: {}", case.name, e.message));
    let create = json!({"call": "jobs.create", "body": case.job});
    let mut outcomes = Vec::new();
    let mut first: Option<String> = None;
    for (i, raw) in std::iter::once(&create).chain(case.steps.iter()).enumerate() {
        let mut raw = raw.clone();
        if raw["name"] == "etl-FIRST" {
            raw["name"] = json!(first.clone().unwrap_or_default());
        }
        let step = Scenario::from_value(&json!({"steps": [raw]}))
            .unwrap_or_else(|e| panic!("{}: step {i}: {}", case.name, e.message))
            .steps
            .remove(0);
        let mut outcome = jobsim_core::scenario::run_step(&mut sim, i, &step);
        outcome["step"] = json!(i);
        outcomes.push(outcome);
        if first.is_none() {
            first = sim.envelopes(1).iter().find_map(|e| match &e.event {
                jobsim_core::event::Event::ExecutionCreated { execution, .. } => Some(execution.metadata.name.clone()),
                _ => None,
            });
        }
    }
    (sim, outcomes, first)
}

fn check_case(case: &Case) {
    let name = case.name;
    let (mut sim, outcomes, first) = run_case(case);
    // Step statuses: every step is 200 unless the case expects an error there.
    for (i, o) in outcomes.iter().enumerate().skip(1) {
        let status = o["status"].as_u64().unwrap_or(200);
        match case.errors.iter().find(|(at, _, _)| *at + 1 == i) {
            Some((_, want, text)) => {
                assert_eq!(status, u64::from(*want), "{name}: step {} status; outcome {o}", i - 1);
                let message = o["body"]["error"]["message"].as_str().unwrap_or_default().to_string()
                    + &o["body"]["error"]["details"].to_string();
                assert!(message.contains(text), "{name}: step {} error should mention {text:?}: {o}", i - 1);
            }
            None => assert_eq!(status, 200, "{name}: step {} should succeed: {o}", i - 1),
        }
    }
    assert_eq!(outcomes[0]["status"], 200, "{name}: jobs.create failed: {}", outcomes[0]);
    verify(&sim).unwrap_or_else(|v| panic!("{name}: {v}"));

    match (&case.exec, &first) {
        (None, None) => {}
        (None, Some(e)) => panic!("{name}: no execution expected, got {e}"),
        (Some(_), None) => panic!("{name}: no execution was created"),
        (Some(want), Some(exec_name)) => check_execution(name, &mut sim, exec_name, want),
    }
    check_job(name, &mut sim, &case.job_want);
}

fn check_execution(name: &str, sim: &mut Simulator, exec_name: &str, want: &Exec) {
    let got = sim.call("executions.get", &json!({"name": exec_name}));
    if want.gone {
        let e = got.expect_err(&format!("{name}: {exec_name} should be gone"));
        assert_eq!(e.http_status(), 404, "{name}");
        let tasks = sim
            .call(
                "tasks.list",
                &json!({"query": {"labelSelector": format!("run.googleapis.com/execution={exec_name}")}}),
            )
            .unwrap();
        assert_eq!(tasks["items"].as_array().map_or(0, Vec::len), 0, "{name}: tasks of a deleted execution remain");
        return;
    }
    let x = got.unwrap_or_else(|e| panic!("{name}: executions.get {exec_name}: {}", e.message));
    let st = &x["status"];
    let created = x["metadata"]["creationTimestamp"].as_str().unwrap().to_string();
    // Counters (R26): omitted when 0.
    let counters: Vec<i64> = ["runningCount", "succeededCount", "failedCount", "cancelledCount", "retriedCount"]
        .iter()
        .map(|k| st[*k].as_i64().unwrap_or(0))
        .collect();
    assert_eq!(counters, want.counters.to_vec(), "{name}: counters [running, succeeded, failed, cancelled, retried]");
    // Conditions in order (R27).
    let conditions: Vec<String> =
        st["conditions"].as_array().map(|cs| cs.iter().map(condition_text).collect()).unwrap_or_default();
    assert_eq!(conditions, want.conditions, "{name}: conditions");
    let completed = st["conditions"].as_array().and_then(|cs| cs.iter().find(|c| c["type"] == "Completed"));
    if !want.message.is_empty() {
        let message = completed.and_then(|c| c["message"].as_str()).unwrap_or_default();
        assert!(message.contains(want.message), "{name}: Completed message {message:?} lacks {:?}", want.message);
        assert!(message.starts_with(&format!("Task {exec_name}-task")), "{name}: message names the task: {message}");
    }
    // startTime == Started, completionTime == Completed (R20, R25).
    let ltt = |t: &str| {
        st["conditions"]
            .as_array()
            .and_then(|cs| cs.iter().find(|c| c["type"] == t))
            .and_then(|c| c["lastTransitionTime"].as_str())
            .map(str::to_string)
    };
    if let Some(started) = ltt("Started") {
        assert_eq!(st["startTime"].as_str(), Some(started.as_str()), "{name}: startTime == Started");
    }
    if st["completionTime"].is_string() {
        assert_eq!(st["completionTime"].as_str().map(str::to_string), ltt("Completed"), "{name}: completionTime");
    }
    for (what, want_offset) in want.times {
        let at = match *what {
            "Started" => st["startTime"].as_str().map(str::to_string),
            "Completed" => st["completionTime"].as_str().map(str::to_string),
            other => ltt(other),
        };
        let at = at.unwrap_or_else(|| panic!("{name}: no {what} time"));
        assert_eq!(offset(&created, &at), parse_duration(want_offset).unwrap(), "{name}: {what} at {at}");
    }
    for (pointer, value) in &want.json {
        assert_eq!(x.pointer(pointer).unwrap_or(&Value::Null), value, "{name}: execution{pointer}");
    }
    // Tasks (R5, R20–R23): states, retries, start times.
    let list = sim
        .call("tasks.list", &json!({"query": {"labelSelector": format!("run.googleapis.com/execution={exec_name}")}}))
        .unwrap();
    let mut tasks: Vec<Value> = list["items"].as_array().cloned().unwrap_or_default();
    tasks.sort_by_key(|t| t["status"]["index"].as_i64().unwrap_or(0));
    assert_eq!(tasks.len(), want.tasks.len(), "{name}: task count");
    let letters: String = tasks
        .iter()
        .map(|t| letter(t["metadata"]["labels"]["run.googleapis.com/runningState"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(letters, want.tasks, "{name}: task states");
    for (i, t) in tasks.iter().enumerate() {
        assert_eq!(t["metadata"]["name"], json!(format!("{exec_name}-task{i}")), "{name}: task name (R5)");
    }
    if !want.retried.is_empty() {
        let retried: String = tasks.iter().map(|t| t["status"]["retried"].as_i64().unwrap_or(0).to_string()).collect();
        assert_eq!(retried, want.retried, "{name}: retried per task");
    }
    for (i, want_start) in want.task_starts.iter().enumerate() {
        let start = tasks[i]["status"]["startTime"].as_str();
        match (*want_start, start) {
            ("-", None) => {}
            ("-", Some(s)) => panic!("{name}: task {i} should not have started, started {s}"),
            (w, Some(s)) => {
                assert_eq!(offset(&created, s), parse_duration(w).unwrap(), "{name}: task {i} startTime {s}")
            }
            (w, None) => panic!("{name}: task {i} should have started at +{w}"),
        }
    }
    for (i, pointer, value) in &want.task_json {
        let t = &tasks[*i as usize];
        assert_eq!(t.pointer(pointer).unwrap_or(&Value::Null), value, "{name}: task{i}{pointer}");
    }
    if let Some(max) = want.max_running {
        assert_eq!(max_running(sim, exec_name), max, "{name}: most tasks running at once");
    }
}

/// The most tasks of one execution running at once, over the whole log.
fn max_running(sim: &Simulator, exec_name: &str) -> u32 {
    let mut state = jobsim_core::state::State::default();
    let mut max = 0;
    for env in sim.envelopes(1) {
        jobsim_core::evolve::evolve(&mut state, env);
        if let Some(e) = state.execution(exec_name) {
            max = max.max(e.counters.running);
        }
    }
    max
}

fn check_job(name: &str, sim: &mut Simulator, want: &JobWant) {
    let got = sim.call("jobs.get", &json!({"name": "etl"}));
    if want.gone {
        assert_eq!(got.map(|_| ()).unwrap_err().http_status(), 404, "{name}: the job should be gone");
        return;
    }
    let job = got.unwrap_or_else(|e| panic!("{name}: jobs.get: {}", e.message));
    let st = &job["status"];
    if let Some(n) = want.execution_count {
        assert_eq!(st["executionCount"].as_i64().unwrap_or(0), n, "{name}: executionCount");
    }
    if let Some(n) = want.listed {
        // Pages of at most 500 (D22): follow the continue tokens.
        let mut listed = 0;
        let mut query = json!({"labelSelector": "run.googleapis.com/job=etl"});
        loop {
            let list = sim.call("executions.list", &json!({ "query": query })).unwrap();
            listed += list["items"].as_array().map_or(0, Vec::len);
            match list["metadata"]["continue"].as_str() {
                Some(token) if !token.is_empty() => query["continue"] = json!(token),
                _ => break,
            }
        }
        assert_eq!(listed, n, "{name}: executions listed");
    }
    if !want.latest.is_empty() {
        let latest = &st["latestCreatedExecution"];
        assert_eq!(latest["completionStatus"], json!(want.latest), "{name}: latestCreatedExecution {latest}");
        let terminal = matches!(want.latest, "EXECUTION_SUCCEEDED" | "EXECUTION_FAILED" | "EXECUTION_CANCELLED");
        assert_eq!(latest["completionTimestamp"].is_string(), terminal, "{name}: completionTimestamp {latest}");
        assert!(latest["creationTimestamp"].is_string(), "{name}: creationTimestamp {latest}");
    }
    if !want.ready.is_empty() {
        let ready = st["conditions"]
            .as_array()
            .and_then(|cs| cs.iter().find(|c| c["type"] == "Ready"))
            .map(|c| {
                let mut s = c["status"].as_str().unwrap_or("").to_string();
                if let Some(r) = c["reason"].as_str() {
                    s.push(':');
                    s.push_str(r);
                }
                s
            })
            .unwrap_or_default();
        assert_eq!(ready, want.ready, "{name}: Ready");
    }
}

#[test]
fn executions_and_tasks_table() {
    // `ENGINE_CASE=retention cargo test --test engine_table` runs only the rows whose name has that text.
    let only = std::env::var("ENGINE_CASE").unwrap_or_default();
    let cases = cases();
    let mut names = std::collections::BTreeSet::new();
    for case in &cases {
        assert!(names.insert(case.name), "duplicate case name {}", case.name);
        if case.name.contains(&only) {
            check_case(case);
        }
    }
}

/// Scenario-level bad input: each a clear error naming the field, nothing run.
#[test]
fn bad_workloads_and_faults_are_scenario_errors_naming_the_field() {
    let create = json!({"call": "jobs.create", "body": job_body("etl", 1, 0, 3, 600)});
    let rows: &[(&str, Value, &str)] = &[
        ("fault naming an unknown job", json!({"faults": [{"job": "nope", "exitCode": 1}]}), "faults[0].job"),
        (
            "fault with a negative task",
            json!({"faults": [{"job": "etl", "task": -1, "exitCode": 1}]}),
            "faults[0].task",
        ),
        (
            "fault with a negative attempt",
            json!({"faults": [{"job": "etl", "attempt": -2, "hang": true}]}),
            "faults[0].attempt",
        ),
        (
            "fault with execution 0",
            json!({"faults": [{"job": "etl", "execution": 0, "hang": true}]}),
            "faults[0].execution",
        ),
        ("fault that hangs and exits", json!({"faults": [{"job": "etl", "hang": true, "exitCode": 1}]}), "faults[0]"),
        ("fault that says nothing", json!({"faults": [{"job": "etl"}]}), "faults[0]"),
        ("failureRate above 1", json!({"workloads": [{"job": "etl", "failureRate": 1.5}]}), "workloads[0].failureRate"),
        (
            "failureRate below 0",
            json!({"workloads": [{"job": "etl", "failureRate": -0.1}]}),
            "workloads[0].failureRate",
        ),
        ("workload naming an unknown job", json!({"workloads": [{"job": "other"}]}), "workloads[0].job"),
        (
            "negative workload duration",
            json!({"workloads": [{"job": "etl", "duration": "-5s"}]}),
            "workloads[0].duration",
        ),
        ("exit code out of range", json!({"faults": [{"job": "etl", "exitCode": 256}]}), "faults[0].exitCode"),
    ];
    for (name, options, field) in rows {
        let mut scenario = options.clone();
        scenario["steps"] = json!([create.clone()]);
        let err = Scenario::from_value(&scenario).map(|_| ()).expect_err(name);
        assert!(err.message.starts_with(field), "{name}: {:?} should name {field}", err.message);
    }
    // A bad step names the step and the field.
    let scenario = json!({"steps": [create, {"advance": "soon"}]});
    let err = Scenario::from_value(&scenario).map(|_| ()).expect_err("bad advance");
    assert!(err.message.starts_with("steps[1].advance"), "{}", err.message);
}

/// Limits (R11): the largest execution runs; a larger one is refused before anything is stored.
#[test]
fn ten_thousand_tasks_with_parallelism_ten_thousand_run() {
    let mut sim = Simulator::new(&json!({"seed": 9, "profile": "instant"})).unwrap();
    sim.call("jobs.create", &json!({"body": job_body("big", 10_000, 10_000, 0, 600)})).unwrap();
    let run = sim.call("jobs.run", &json!({"name": "big"})).unwrap();
    sim.run_until_idle().unwrap();
    let name = run["metadata"]["name"].as_str().unwrap();
    let x = sim.call("executions.get", &json!({"name": name})).unwrap();
    assert_eq!(x["status"]["succeededCount"], 10_000);
    assert_eq!(x["spec"]["parallelism"], 10_000);
    let e = sim.state().execution(name).unwrap();
    assert!(jobsim_core::invariants::check_execution(sim.state(), e).is_ok());

    let before = sim.version();
    let too_big = sim.call("jobs.create", &json!({"body": job_body("bigger", 10_001, 0, 0, 600)}));
    assert_eq!(too_big.unwrap_err().http_status(), 400);
    let override_too_big = sim.call("jobs.run", &json!({"name": "big", "body": {"overrides": {"taskCount": 10_001}}}));
    assert_eq!(override_too_big.unwrap_err().http_status(), 400);
    assert_eq!(sim.version(), before, "rejected calls record nothing");
}

/// The environment of each attempt is recorded on its start event (issue #3 §4).
#[test]
fn attempt_start_events_carry_the_cloud_run_environment() {
    let mut sim = Simulator::new(&json!({"seed": 1, "profile": "instant",
        "faults": [{"job": "etl", "attempt": 0, "exitCode": 1}]}))
    .unwrap();
    sim.call("jobs.create", &json!({"body": job_body("etl", 2, 0, 1, 600)})).unwrap();
    let run = sim.call("jobs.run", &json!({"name": "etl"})).unwrap();
    sim.run_until_idle().unwrap();
    let name = run["metadata"]["name"].as_str().unwrap();
    let starts: Vec<Value> = sim
        .events(1)
        .into_iter()
        .filter(|e| e["type"] == "AttemptStarted")
        .map(|e| e["payload"]["env"].clone())
        .collect();
    assert_eq!(starts.len(), 4);
    assert!(starts
        .contains(&json!({"CLOUD_RUN_EXECUTION": name, "CLOUD_RUN_JOB": "etl", "CLOUD_RUN_TASK_ATTEMPT": "1",
        "CLOUD_RUN_TASK_COUNT": "2", "CLOUD_RUN_TASK_INDEX": "1"})));
    assert!(starts
        .contains(&json!({"CLOUD_RUN_EXECUTION": name, "CLOUD_RUN_JOB": "etl", "CLOUD_RUN_TASK_ATTEMPT": "0",
        "CLOUD_RUN_TASK_COUNT": "2", "CLOUD_RUN_TASK_INDEX": "0"})));
}

/// Seeds: the same seed gives the same bytes; another seed changes only what is drawn.
#[test]
fn workload_draws_depend_on_the_seed_only_where_randomness_is_used() {
    let attempts = |seed: u64, workload: Value| {
        let scenario = json!({"seed": seed, "profile": "instant", "workloads": [workload],
            "steps": [{"call": "jobs.create", "body": job_body("etl", 20, 5, 2, 600)},
                      {"call": "jobs.run", "name": "etl"}, {"runUntilIdle": true}]});
        let run = Scenario::from_value(&scenario).unwrap().run().unwrap();
        verify(&run.simulator).unwrap();
        let attempts: Vec<String> = run
            .simulator
            .events(1)
            .into_iter()
            .filter(|e| e["type"] == "AttemptStarted")
            .map(|e| {
                let p = &e["payload"];
                format!("{} {} {} {} {}", e["time"], p["task"], p["attempt"], p["endsAt"], p["outcome"])
            })
            .collect();
        (run.jsonl(), attempts)
    };
    let fixed = json!({"job": "etl", "duration": "30s"});
    let random = json!({"job": "etl", "duration": "30s", "jitter": "5s", "failureRate": 0.3});
    assert_eq!(attempts(5, random.clone()), attempts(5, random.clone()), "same seed, same bytes");
    let (out5, fixed5) = attempts(5, fixed.clone());
    let (out6, fixed6) = attempts(6, fixed);
    assert_eq!(fixed5, fixed6, "no jitter, no failure rate: the seed changes no attempt");
    assert_ne!(out5, out6, "ids (uid, execution suffix) come from the seed");
    let (_, random5) = attempts(5, random.clone());
    let (_, random6) = attempts(6, random);
    assert_ne!(random5, random6, "jitter and failures are drawn from the seed");
    assert!(random5.iter().any(|a| a.contains("exited")), "a 0.3 failure rate fails some attempt");
}

/// Every shipped scenario: invariants after every event, replay == live, byte-identical runs.
#[test]
fn shipped_scenarios_keep_the_invariants_and_are_deterministic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let mut ran = 0;
    for path in files.iter().filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "json")) {
        let text = std::fs::read_to_string(path).unwrap();
        let scenario = Scenario::parse(&text).unwrap_or_else(|e| panic!("{}: {}", path.display(), e.message));
        let a = scenario.run().unwrap();
        let b = scenario.run().unwrap();
        assert_eq!(a.jsonl(), b.jsonl(), "{}: not deterministic", path.display());
        verify(&a.simulator).unwrap_or_else(|v| panic!("{}: {v}", path.display()));
        ran += 1;
    }
    assert!(ran >= 1);
}
