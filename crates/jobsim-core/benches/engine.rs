//! Engine benches (BENCHMARKS.md, "Native benchmarks"):
//!
//! - `big_execution`: one job, 10,000 tasks, parallelism 1,000, maxRetries 3, 10 % failing
//!   attempts, instant profile, from `jobs.run` to completion (throughput = events recorded).
//! - `fold`: `evolve` over that run's event log held in memory.
//! - `replay_jsonl` vs `deserialize_jsonl`: parse + fold of the log's JSON Lines beside a
//!   baseline that only deserializes the same lines into envelopes (the ratio is the fold's
//!   cost); `replay_values` is the same replay through `Simulator::replay(&[Value])`, which holds
//!   every parsed line at once (what the CLI and the wasm `replay` do).
//!
//! `cargo bench -p jobsim-core --bench engine`

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/workloads.rs"]
mod workloads;

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use jobsim_core::event::Envelope;
use jobsim_core::evolve::evolve;
use jobsim_core::state::State;
use jobsim_core::Simulator;
use serde_json::Value;
use std::time::Duration;

fn config() -> Criterion {
    Criterion::default().sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3))
}

fn big_execution(c: &mut Criterion) {
    let events = workloads::big_run(&mut workloads::big_prepared()) as u64;
    // For bench/node-bench.mjs: what the same run must give through wasm.
    let summary =
        serde_json::json!({"events": events, "options": workloads::big_options(), "job": workloads::big_job()});
    std::fs::write(workloads::out_dir().join("big-execution.json"), summary.to_string()).unwrap();
    let mut g = c.benchmark_group("engine");
    g.throughput(Throughput::Elements(events));
    g.bench_function("big_execution", |b| {
        b.iter_batched(
            workloads::big_prepared,
            |mut sim| {
                let n = workloads::big_run(&mut sim);
                assert_eq!(n as u64, events);
                sim
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

fn fold(c: &mut Criterion) {
    let sim = workloads::big_execution();
    let envelopes: Vec<Envelope> = sim.envelopes(0).to_vec();
    let mut g = c.benchmark_group("engine");
    g.throughput(Throughput::Elements(envelopes.len() as u64));
    g.bench_function("fold", |b| {
        b.iter(|| {
            let mut state = State::default();
            for e in &envelopes {
                evolve(&mut state, e);
            }
            state
        })
    });
    g.finish();
}

fn replay(c: &mut Criterion) {
    let jsonl = workloads::big_jsonl();
    let lines: Vec<&str> = jsonl.lines().collect();
    let envelopes = |lines: &[&str]| -> Vec<Envelope> {
        lines.iter().map(|l| Envelope::from_json(&serde_json::from_str::<Value>(l).unwrap()).unwrap()).collect()
    };
    let mut g = c.benchmark_group("engine");
    g.throughput(Throughput::Elements(lines.len() as u64));
    // Baseline: each line into the event type (through a JSON value, as every face reads JSON).
    g.bench_function("deserialize_jsonl", |b| b.iter(|| envelopes(&lines)));
    // Replay: the same, then the checked fold (gaps, time, engine invariants) into a simulator.
    g.bench_function("replay_jsonl", |b| {
        b.iter(|| {
            let sim = Simulator::replay_envelopes(envelopes(&lines)).unwrap();
            black_box(sim.version())
        })
    });
    // As `jobsim replay` and the wasm `Simulator.replay` do today: every line parsed into a
    // JSON value first, all held until `Simulator::replay(&[Value])` decodes them.
    g.bench_function("replay_values", |b| {
        b.iter(|| {
            let values: Vec<Value> = lines.iter().map(|l| serde_json::from_str(l).unwrap()).collect();
            let sim = Simulator::replay(&values).unwrap();
            black_box(sim.version())
        })
    });
    g.finish();
}

criterion_group! { name = benches; config = config(); targets = big_execution, fold, replay }
criterion_main!(benches);
