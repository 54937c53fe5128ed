//! Workloads shared by the benches, generated in code from fixed seeds (BENCHMARKS.md).
//!
//! - [`big_execution`]: one job, taskCount 10,000, parallelism 1,000, maxRetries 3, 10 % of
//!   attempts failing (a seeded workload draw), instant profile, run to completion.
//! - [`api_prepared`] + [`api_calls`]: a world of 1,000 jobs and 100,000 mixed API calls.
//! - [`many_executions`]: one job with up to 1,000 retained executions (list pages).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::manual_is_multiple_of)]

use jobsim_core::{random, Simulator};
use serde_json::{json, Value};

/// Seed of every bench workload.
pub const SEED: u64 = 20_260_101;
/// Tasks of the big execution.
pub const TASKS: u32 = 10_000;

/// The scenario options of the big execution.
pub fn big_options() -> Value {
    json!({
        "seed": SEED,
        "profile": "instant",
        "workloads": [{"job": "big", "failureRate": 0.1, "exitCode": 1}],
    })
}

/// The `jobs.create` params of the big job.
pub fn big_job() -> Value {
    json!({"body": {"metadata": {"name": "big", "labels": {"team": "bench"}},
        "spec": {"template": {"spec": {"taskCount": TASKS, "parallelism": 1000,
            "template": {"spec": {"maxRetries": 3, "timeoutSeconds": "600",
                "containers": [{"image": "us-docker.pkg.dev/demo/big:1"}]}}}}}}})
}

/// A simulator with the big job created (reconciled) and not yet run.
pub fn big_prepared() -> Simulator {
    let mut sim = Simulator::new(&big_options()).unwrap();
    sim.call("jobs.create", &big_job()).unwrap();
    sim.run_until_idle().unwrap();
    sim
}

/// Runs the big execution to completion on a prepared simulator; returns the events recorded
/// (with the instant profile nearly all of them fire within the `jobs.run` call itself).
pub fn big_run(sim: &mut Simulator) -> usize {
    let before = sim.version();
    sim.call("jobs.run", &json!({"name": "big"})).unwrap();
    sim.run_until_idle().unwrap();
    (sim.version() - before) as usize
}

/// The whole big execution: a simulator after it completed.
pub fn big_execution() -> Simulator {
    let mut sim = big_prepared();
    big_run(&mut sim);
    sim
}

/// The event log of the big execution as JSON Lines.
pub fn big_jsonl() -> String {
    big_execution().events_jsonl()
}

/// A simulator with one job (`many`, 2 tasks) that ran `runs` times to completion (instant
/// profile), for the list benches: its executions are retained up to 1,000.
pub fn many_executions(runs: usize) -> Simulator {
    let mut sim = Simulator::new(&json!({"seed": SEED, "profile": "instant"})).unwrap();
    sim.call("jobs.create", &json!({"body": job_body("many", 0)})).unwrap();
    for _ in 0..runs {
        sim.call("jobs.run", &json!({"name": "many"})).unwrap();
    }
    sim
}

/// Jobs in the API-mix world (the per-project quota).
pub const JOBS: usize = 1000;
/// Calls in the API mix.
pub const CALLS: usize = 100_000;
/// Calls between two one-second clock moves in the API mix.
pub const CALLS_PER_SECOND: usize = 100;

/// The options of the API-mix world: the default (realistic) profile — jobs reconcile and
/// delete in 1 s, executions provision in 2.7 s and attempts run 10 s — so a clock move of 1 s
/// every 100 calls keeps a few hundred executions running for cancel to act on.
pub fn api_options() -> Value {
    json!({"seed": SEED})
}

fn job_body(name: &str, i: u64) -> Value {
    let tier = ["gold", "silver", "bronze"][(i % 3) as usize];
    json!({"metadata": {"name": name, "labels": {"team": format!("t{}", i % 20), "tier": tier}},
        "spec": {"template": {"spec": {"taskCount": 2 + i % 3, "parallelism": 2,
            "template": {"spec": {"maxRetries": 1, "containers": [{"image": "us-docker.pkg.dev/demo/app:1"}]}}}}}})
}

/// What the benchmark's client remembers: each job's last execution, from `jobs.run` answers.
pub type Latest = std::collections::BTreeMap<String, String>;

/// A simulator holding 1,000 jobs (`job-0` … `job-999`, labels `team=t0..t19`,
/// `tier=gold|silver|bronze`, 2–4 tasks), each run once, and the client's memory of the runs.
pub fn api_prepared() -> (Simulator, Latest) {
    let mut sim = Simulator::new(&api_options()).unwrap();
    let mut latest = Latest::new();
    for i in 0..JOBS as u64 {
        let name = format!("job-{i}");
        sim.call("jobs.create", &json!({"body": job_body(&name, i)})).unwrap();
        let run = sim.call("jobs.run", &json!({"name": name})).unwrap();
        latest.insert(name, run["metadata"]["name"].as_str().unwrap().to_string());
    }
    sim.advance_micros(2_000_000).unwrap();
    (sim, latest)
}

/// One step of the API mix.
#[derive(Debug, Clone)]
pub enum Op {
    /// An API call.
    Call(&'static str, Value),
    /// `tasks.get` of task 0 of the job's last execution the client knows of.
    TaskGet(String),
    /// `tasks.list` of the Running or Failed tasks of that execution.
    TaskList(String),
    /// Move the clock one second (timed, not counted as a call).
    Tick,
}

/// The 100,000 calls of the API mix, drawn from the seed. Each draw is one call — 20 %
/// `jobs.get`, 5 % `executions.get`, 5 % `tasks.get`, 7 % `jobs.list` (team and tier
/// selector, limit 20), 7 % `executions.list` (one job's, limit 10), 6 % `tasks.list` (Running
/// or Failed tasks of one execution), 20 % `jobs.run`, 15 % `executions.cancel` — except 15 %
/// that are two: a forced `jobs.delete` now and, after the next clock move (when the deletion
/// is done), a `jobs.create` of a new job; so the world keeps 1,000 jobs, less those being
/// deleted. Calls on deleted jobs, or on new ones not yet run, answer 404: outcomes too.
pub fn api_calls() -> Vec<Op> {
    let mut ops = Vec::with_capacity(CALLS + CALLS / CALLS_PER_SECOND + 1);
    let mut live: Vec<String> = (0..JOBS).map(|i| format!("job-{i}")).collect();
    let mut creates = Vec::new();
    let mut next_job = JOBS as u64;
    let mut calls = 0usize;
    let mut n = 0u64;
    while calls < CALLS {
        n += 1;
        let r = random::draw(SEED, "api-mix", &[n]);
        let pick = (r >> 8) as usize % live.len();
        let job = live[pick].clone();
        match r % 100 {
            0..=19 => ops.push(Op::Call("jobs.get", json!({"name": job}))),
            20..=24 => ops.push(Op::Call("executions.get", json!({"latestOf": job}))),
            25..=29 => ops.push(Op::TaskGet(job)),
            30..=36 => ops.push(Op::Call(
                "jobs.list",
                json!({"query": {"labelSelector": format!("team=t{},tier in (gold,silver)", (r >> 20) % 20), "limit": 20}}),
            )),
            37..=43 => ops.push(Op::Call(
                "executions.list",
                json!({"query": {"labelSelector": format!("run.googleapis.com/job={job}"), "limit": 10}}),
            )),
            44..=49 => ops.push(Op::TaskList(job)),
            50..=69 => ops.push(Op::Call("jobs.run", json!({"name": job}))),
            70..=84 => ops.push(Op::Call("executions.cancel", json!({"latestOf": job}))),
            _ => {
                let fresh = format!("job-{next_job}");
                ops.push(Op::Call("jobs.delete", json!({"name": job, "query": {"force": true}})));
                creates.push(Op::Call("jobs.create", json!({"body": job_body(&fresh, next_job)})));
                live[pick] = fresh;
                next_job += 1;
            }
        }
        calls += 1;
        if calls % CALLS_PER_SECOND == 0 {
            ops.push(Op::Tick);
            for create in creates.drain(..) {
                if calls < CALLS {
                    ops.push(create);
                    calls += 1;
                }
            }
        }
    }
    ops
}

/// Runs the API mix. Returns (calls, calls answered 2xx).
pub fn api_run(sim: &mut Simulator, latest: &mut Latest, ops: &[Op]) -> (usize, usize) {
    let (mut calls, mut ok) = (0, 0);
    let none = String::from("none");
    for op in ops {
        let result = match op {
            Op::Tick => {
                sim.advance_micros(1_000_000).unwrap();
                continue;
            }
            Op::Call(method, params) => {
                let result = sim.call(method, params);
                if let (Ok(run), "jobs.run") = (&result, *method) {
                    let job = params["name"].as_str().unwrap().to_string();
                    latest.insert(job, run["metadata"]["name"].as_str().unwrap().to_string());
                }
                result
            }
            Op::TaskGet(job) => {
                let name = format!("{}-task0", latest.get(job).unwrap_or(&none));
                sim.call("tasks.get", &json!({"name": name}))
            }
            Op::TaskList(job) => {
                let selector = format!(
                    "run.googleapis.com/execution={},run.googleapis.com/runningState in (Running,Failed)",
                    latest.get(job).unwrap_or(&none)
                );
                sim.call("tasks.list", &json!({"query": {"labelSelector": selector}}))
            }
        };
        calls += 1;
        ok += usize::from(result.is_ok());
    }
    (calls, ok)
}

/// The ops as JSON, for the Node benchmark (bench/node-bench.mjs) to replay the same mix:
/// `["call", method, params]`, `["taskGet", job]`, `["taskList", job]`, `["tick"]`.
pub fn ops_json(ops: &[Op]) -> Value {
    Value::Array(
        ops.iter()
            .map(|op| match op {
                Op::Call(m, p) => json!(["call", m, p]),
                Op::TaskGet(j) => json!(["taskGet", j]),
                Op::TaskList(j) => json!(["taskList", j]),
                Op::Tick => json!(["tick"]),
            })
            .collect(),
    )
}

/// `<target>/jobsim-bench/`: where the native benches leave what the Node benchmark reads
/// (`CARGO_TARGET_DIR`, else the workspace's `target/`).
pub fn out_dir() -> std::path::PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("jobsim-bench");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
