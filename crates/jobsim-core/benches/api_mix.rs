//! The API-mix bench (BENCHMARKS.md): 100,000 mixed calls (get, list with selectors, run,
//! cancel, create) on a world of 1,000 jobs; throughput = calls.
//!
//! `cargo bench -p jobsim-core --bench api_mix`

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "workloads.rs"]
mod workloads;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::time::Duration;

fn config() -> Criterion {
    Criterion::default().sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(10))
}

fn api_mix(c: &mut Criterion) {
    let ops = workloads::api_calls();
    let prepared = workloads::api_prepared();
    let (calls, ok) = workloads::api_run(&mut prepared.clone(), &ops);
    eprintln!("api_mix: {calls} calls, {ok} answered 2xx, {} ticks", ops.len() - calls);
    let mut g = c.benchmark_group("api");
    g.throughput(Throughput::Elements(calls as u64));
    g.bench_function("mix_100k", |b| {
        b.iter_batched(|| prepared.clone(), |mut sim| workloads::api_run(&mut sim, &ops), BatchSize::PerIteration)
    });
    g.finish();
}

criterion_group! { name = benches; config = config(); targets = api_mix }
criterion_main!(benches);
