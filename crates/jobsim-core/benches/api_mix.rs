//! API benches (BENCHMARKS.md):
//!
//! - `api/mix_100k`: 100,000 mixed calls (get, list with selectors, run, cancel, create and
//!   delete) on a world of 1,000 jobs; throughput = calls.
//! - `api/executions_list_page`: one page of 10 of a job's 1,000 executions (selector on the job);
//! - `api/tasks_list_page`: one page of 10 of the 10,000 tasks of the big execution (selector on
//!   the execution and the running state) — only the page is rendered, whatever the list's length.
//!
//! `cargo bench -p jobsim-core --bench api_mix`
//!
//! It is also the native half of the load-independent API-mix harness (`bash
//! bench/wasm-callgrind.sh api-mix`): with `JOBSIM_API_MIX_OPS=N` set, the binary runs only the
//! N ops of the mix once, on the prepared world, after its first `JOBSIM_API_MIX_SKIP` ops
//! (uncounted), and exits; under `valgrind
//! --tool=callgrind --toggle-collect='api_mix::harness::mix'` only the mix is counted, and each
//! method's calls are the inclusive cost of its own function (`api_mix::harness::jobs_get`, …,
//! `clock_move`). `JOBSIM_API_MIX_PATH=text` runs each call as the wasm `call` does (params
//! as JSON text → `Value` → `call_text` → answer text); `value` (default) as the criterion
//! bench does (`call` → `Value`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/workloads.rs"]
mod workloads;

use criterion::{criterion_group, BatchSize, Criterion, Throughput};
use serde_json::json;
use std::time::Duration;

fn config() -> Criterion {
    Criterion::default().sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(8))
}

fn api_mix(c: &mut Criterion) {
    let ops = workloads::api_calls();
    let prepared = workloads::api_prepared();
    let (mut sim, mut latest) = prepared.clone();
    let (calls, ok) = workloads::api_run(&mut sim, &mut latest, &ops);
    let ticks = ops.len() - calls;
    eprintln!("api_mix: {calls} calls, {ok} answered 2xx, {ticks} clock moves, {} events", sim.version());
    // For bench/node-bench.mjs: the same ops, and what they must give.
    let dir = workloads::out_dir();
    std::fs::write(dir.join("api-mix-ops.json"), workloads::ops_json(&ops).to_string()).unwrap();
    let summary = json!({"calls": calls, "ok": ok, "ticks": ticks, "events": sim.version()});
    std::fs::write(dir.join("api-mix.json"), summary.to_string()).unwrap();
    let mut g = c.benchmark_group("api");
    g.throughput(Throughput::Elements(calls as u64));
    g.bench_function("mix_100k", |b| {
        b.iter_batched(
            || prepared.clone(),
            |(mut sim, mut latest)| workloads::api_run(&mut sim, &mut latest, &ops),
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

fn list_pages(c: &mut Criterion) {
    let mut g = c.benchmark_group("api");
    g.measurement_time(Duration::from_secs(3));
    let mut many = workloads::many_executions(1000);
    let q = json!({"query": {"labelSelector": "run.googleapis.com/job=many", "limit": 10}});
    assert_eq!(many.call("executions.list", &q).unwrap()["items"].as_array().unwrap().len(), 10);
    g.bench_function("executions_list_page", |b| b.iter(|| many.call("executions.list", &q).unwrap()));
    let mut big = workloads::big_execution();
    let exec = big.state().job("big").unwrap().executions[0].clone();
    let q = json!({"query": {"labelSelector": format!("run.googleapis.com/execution={exec},run.googleapis.com/runningState in (Succeeded,Failed)"), "limit": 10}});
    assert_eq!(big.call("tasks.list", &q).unwrap()["items"].as_array().unwrap().len(), 10);
    g.bench_function("tasks_list_page", |b| b.iter(|| big.call("tasks.list", &q).unwrap()));
    g.finish();
}

/// The instruction-count harness: the mix's first ops, one call per function per method.
mod harness {
    use super::workloads::{self, Latest, Op};
    use jobsim_core::Simulator;
    use serde_json::{json, Value};

    /// One call through the path being measured (`Err` for an error answer).
    fn call(sim: &mut Simulator, method: &str, params: &Value, text: bool) -> Result<Value, ()> {
        if text {
            // What the wasm `call` does in Rust: params text → `Value` → answer text.
            let params: Value = serde_json::from_str(&params.to_string()).map_err(|_| ())?;
            let answer = sim.call_text(method, &params).map_err(|_| ())?;
            // Only `jobs.run` answers are read back (the client remembers the execution).
            Ok(if method == "jobs.run" { serde_json::from_str(&answer).map_err(|_| ())? } else { Value::Null })
        } else {
            sim.call(method, params).map_err(|_| ())
        }
    }

    macro_rules! per_method {
        ($($f:ident = $m:literal),* $(,)?) => {
            $(
                #[inline(never)]
                pub fn $f(sim: &mut Simulator, params: &Value, text: bool) -> Result<Value, ()> {
                    call(sim, $m, params, text)
                }
            )*
            fn dispatch(sim: &mut Simulator, method: &str, params: &Value, text: bool) -> Result<Value, ()> {
                match method {
                    $($m => $f(sim, params, text),)*
                    other => panic!("api_mix harness: no function for {other}"),
                }
            }
        };
    }
    per_method! {
        jobs_get = "jobs.get", jobs_list = "jobs.list", jobs_run = "jobs.run", jobs_create = "jobs.create",
        jobs_delete = "jobs.delete", executions_get = "executions.get", executions_list = "executions.list",
        executions_cancel = "executions.cancel", tasks_get = "tasks.get", tasks_list = "tasks.list",
    }

    #[inline(never)]
    pub fn clock_move(sim: &mut Simulator) {
        sim.advance_micros(1_000_000).unwrap();
    }

    /// The counted part: the ops in order (as `workloads::api_run`, params built outside the
    /// per-method functions, as JS builds them before `call`). Returns (calls, 2xx).
    #[inline(never)]
    pub fn mix(sim: &mut Simulator, latest: &mut Latest, ops: &[Op], text: bool) -> (usize, usize) {
        let (mut calls, mut ok) = (0, 0);
        for op in ops {
            let result = match op {
                Op::Tick => {
                    clock_move(sim);
                    continue;
                }
                Op::Call(method, params) => {
                    let result = dispatch(sim, method, params, text);
                    if let (Ok(run), "jobs.run") = (&result, *method) {
                        let job = params["name"].as_str().unwrap().to_string();
                        latest.insert(job, run["metadata"]["name"].as_str().unwrap().to_string());
                    }
                    result
                }
                Op::TaskGet(job) => {
                    let params = json!({"name": format!("{}-task0", latest.get(job).map_or("none", String::as_str))});
                    tasks_get(sim, &params, text)
                }
                Op::TaskList(job) => {
                    let exec = latest.get(job).map_or("none", String::as_str);
                    let selector = format!(
                        "run.googleapis.com/execution={exec},run.googleapis.com/runningState in (Running,Failed)"
                    );
                    tasks_list(sim, &json!({"query": {"labelSelector": selector}}), text)
                }
            };
            calls += 1;
            ok += usize::from(result.is_ok());
        }
        (calls, ok)
    }

    /// On the prepared world, runs the mix's first `skip` ops uncounted (the same warm-up the
    /// wasm half needs for its JIT), then the next `n` through [`mix`]; prints what they gave.
    pub fn run(skip: usize, n: usize, text: bool) {
        let ops = workloads::api_calls();
        let skip = skip.min(ops.len());
        let (mut sim, mut latest) = workloads::api_prepared();
        workloads::api_run(&mut sim, &mut latest, &ops[..skip]);
        let ops = &ops[skip..(skip + n).min(ops.len())];
        let (calls, ok) = mix(&mut sim, &mut latest, ops, text);
        let ticks = ops.len() - calls;
        println!(
            "api_mix harness: ops {skip}..{}: {calls} calls, {ok} answered 2xx, {ticks} clock moves",
            skip + ops.len()
        );
    }
}

criterion_group! { name = benches; config = config(); targets = api_mix, list_pages }

fn main() {
    if let Some(n) = std::env::var("JOBSIM_API_MIX_OPS").ok().and_then(|n| n.parse().ok()) {
        let text = std::env::var("JOBSIM_API_MIX_PATH").is_ok_and(|p| p == "text");
        let skip = std::env::var("JOBSIM_API_MIX_SKIP").ok().and_then(|n| n.parse().ok()).unwrap_or(0);
        harness::run(skip, n, text);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
