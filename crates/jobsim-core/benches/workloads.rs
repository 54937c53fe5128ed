//! Workloads shared by the benches, generated in code from fixed seeds (BENCHMARKS.md).
//!
//! - [`big_execution`]: one job, taskCount 10,000, parallelism 1,000, maxRetries 3, 10 % of
//!   attempts failing (a seeded workload draw), instant profile, run to completion.
//! - [`api_world`] + [`api_calls`]: a world of 1,000 jobs and 100,000 mixed API calls.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jobsim_core::settings::{Profile, ProfileName, World};
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

/// Jobs in the API-mix world (the per-project quota).
pub const JOBS: usize = 1000;
/// Calls in the API mix.
pub const CALLS: usize = 100_000;
/// Calls between two one-second clock moves in the API mix.
pub const CALLS_PER_SECOND: usize = 100;

/// The API-mix world: the instant profile except that attempts run 5 s, so executions are
/// running for ~500 calls (cancel has work to do) and finish as the clock moves.
pub fn api_world() -> World {
    let mut profile = Profile::named(ProfileName::Instant);
    profile.attempt_duration = 5_000_000;
    World { seed: SEED, profile, ..World::default() }
}

fn job_body(name: &str, i: u64) -> Value {
    let tier = ["gold", "silver", "bronze"][(i % 3) as usize];
    json!({"metadata": {"name": name, "labels": {"team": format!("t{}", i % 20), "tier": tier}},
        "spec": {"template": {"spec": {"taskCount": 2 + i % 3, "parallelism": 2,
            "template": {"spec": {"maxRetries": 1, "containers": [{"image": "us-docker.pkg.dev/demo/app:1"}]}}}}}})
}

/// A simulator holding 1,000 reconciled jobs (`job-0` … `job-999`, labels `team=t0..t19`,
/// `tier=gold|silver|bronze`), each run once.
pub fn api_prepared() -> Simulator {
    let mut sim = Simulator::with_world(api_world());
    for i in 0..JOBS as u64 {
        sim.call("jobs.create", &json!({"body": job_body(&format!("job-{i}"), i)})).unwrap();
        sim.call("jobs.run", &json!({"name": format!("job-{i}")})).unwrap();
    }
    sim
}

/// One step of the API mix.
#[derive(Debug, Clone)]
pub enum Op {
    /// An API call.
    Call(&'static str, Value),
    /// `tasks.get` of task 0 of the job's latest execution (the name a client would take from
    /// its last `executions.get`; resolved from the state when the call is made).
    LatestTaskGet(String),
    /// `tasks.list` of the Running or Failed tasks of the job's latest execution.
    LatestTaskList(String),
    /// Move the clock one second (timed, not counted as a call).
    Tick,
}

/// The 100,000 calls of the API mix, drawn from the seed. Shares: get 30 % (jobs 20, executions
/// 5, tasks 5), list with a selector 20 % (jobs by team+tier with limit 20, executions of one
/// job, failed/running tasks of one execution), run 20 %, cancel 15 %, create 15 % (each create
/// is a forced delete of one job plus a create of a new one, so the world stays at 1,000 jobs).
pub fn api_calls() -> Vec<Op> {
    let mut ops = Vec::with_capacity(CALLS + CALLS / CALLS_PER_SECOND + 1);
    let mut live: Vec<String> = (0..JOBS).map(|i| format!("job-{i}")).collect();
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
            25..=29 => ops.push(Op::LatestTaskGet(job)),
            30..=36 => ops.push(Op::Call(
                "jobs.list",
                json!({"query": {"labelSelector": format!("team=t{},tier in (gold,silver)", (r >> 20) % 20), "limit": 20}}),
            )),
            37..=43 => ops.push(Op::Call(
                "executions.list",
                json!({"query": {"labelSelector": format!("run.googleapis.com/job={job}"), "limit": 10}}),
            )),
            44..=49 => ops.push(Op::LatestTaskList(job)),
            50..=69 => ops.push(Op::Call("jobs.run", json!({"name": job}))),
            70..=84 => ops.push(Op::Call("executions.cancel", json!({"latestOf": job}))),
            _ => {
                let fresh = format!("job-{next_job}");
                ops.push(Op::Call("jobs.delete", json!({"name": job, "query": {"force": true}})));
                ops.push(Op::Call("jobs.create", json!({"body": job_body(&fresh, next_job)})));
                live[pick] = fresh;
                next_job += 1;
                calls += 1;
            }
        }
        calls += 1;
        if calls % CALLS_PER_SECOND == 0 {
            ops.push(Op::Tick);
        }
    }
    ops
}

/// Runs the API mix. Returns (calls, calls answered 2xx).
pub fn api_run(sim: &mut Simulator, ops: &[Op]) -> (usize, usize) {
    let (mut calls, mut ok) = (0, 0);
    for op in ops {
        let result = match op {
            Op::Tick => {
                sim.advance_micros(1_000_000).unwrap();
                continue;
            }
            Op::Call(method, params) => sim.call(method, params),
            Op::LatestTaskGet(job) => {
                let name = format!("{}-task0", latest(sim, job));
                sim.call("tasks.get", &json!({"name": name}))
            }
            Op::LatestTaskList(job) => {
                let selector = format!(
                    "run.googleapis.com/execution={},run.googleapis.com/runningState in (Running,Failed)",
                    latest(sim, job)
                );
                sim.call("tasks.list", &json!({"query": {"labelSelector": selector}}))
            }
        };
        calls += 1;
        ok += usize::from(result.is_ok());
    }
    (calls, ok)
}

fn latest(sim: &Simulator, job: &str) -> String {
    sim.state().job(job).and_then(|j| j.executions.last()).cloned().unwrap_or_else(|| format!("{job}-none"))
}
