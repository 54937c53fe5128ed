//! API benches (BENCHMARKS.md):
//!
//! - `api/mix_100k`: 100,000 mixed calls (get, list with selectors, run, cancel, create and
//!   delete) on a world of 1,000 jobs; throughput = calls.
//! - `api/executions_list_page`: one page of 10 of a job's 1,000 executions (selector on the job);
//! - `api/tasks_list_page`: one page of 10 of the 10,000 tasks of the big execution (selector on
//!   the execution and the running state) — only the page is rendered, whatever the list's length.
//!
//! `cargo bench -p jobsim-core --bench api_mix`

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/workloads.rs"]
mod workloads;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
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

criterion_group! { name = benches; config = config(); targets = api_mix, list_pages }
criterion_main!(benches);
