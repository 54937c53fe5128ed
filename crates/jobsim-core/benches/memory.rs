//! Memory of the big execution (BENCHMARKS.md), counted with a counting global allocator:
//! live bytes of the `State` (rebuilt by folding the log into a fresh state) per task, and live
//! bytes of the event log per event; plus the peak while the execution runs.
//!
//! `cargo bench -p jobsim-core --bench memory`
//!
//! It is also the harness for repeatable instruction counts (one run, one fold, nothing else):
//! `valgrind --tool=callgrind --toggle-collect='memory::run_big' <binary>` (or `memory::fold`),
//! with the binary that `cargo bench -p jobsim-core --bench memory --no-run` names.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::disallowed_methods)]

#[path = "support/workloads.rs"]
mod workloads;

use jobsim_core::event::Envelope;
use jobsim_core::evolve::evolve;
use jobsim_core::state::State;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering::Relaxed};

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size() as isize, Relaxed) + layout.size() as isize;
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        LIVE.fetch_sub(layout.size() as isize, Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            let now = LIVE.fetch_add(new_size as isize - layout.size() as isize, Relaxed) + new_size as isize
                - layout.size() as isize;
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn live() -> isize {
    LIVE.load(Relaxed)
}

/// The big execution from `jobs.run` to completion (a callgrind toggle point).
#[inline(never)]
fn run_big(sim: &mut jobsim_core::Simulator) -> usize {
    workloads::big_run(sim)
}

/// `evolve` over a whole log into a fresh state (a callgrind toggle point).
#[inline(never)]
fn fold(envelopes: &[Envelope]) -> State {
    let mut state = State::default();
    for e in envelopes {
        evolve(&mut state, e);
    }
    state
}

/// Minor page faults of this process so far (Linux `/proc/self/stat`, field 10), if readable.
fn minor_faults() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')')?.1;
    rest.split_whitespace().nth(7)?.parse().ok()
}

/// Runs the big execution `runs` times, each on a fresh simulator, in this process; prints the
/// mean time and page faults per run (setup and teardown not counted). How many pages are new
/// to the process each run depends on the allocator (BENCHMARKS.md, "Cold memory").
fn repeated(runs: u32) {
    let (mut time, mut faults, mut events) = (std::time::Duration::ZERO, 0u64, 0usize);
    for _ in 0..runs {
        let mut sim = workloads::big_prepared();
        let (f0, t0) = (minor_faults(), std::time::Instant::now());
        events += run_big(&mut sim);
        time += t0.elapsed();
        faults += minor_faults().zip(f0).map_or(0, |(a, b)| a - b);
        drop(sim);
    }
    let per_run = time / runs;
    println!(
        "  repeated: {runs} runs, {:.2} ms and {} page faults per run = {:.2} M events/s",
        per_run.as_secs_f64() * 1e3,
        faults / u64::from(runs),
        events as f64 / time.as_secs_f64() / 1e6
    );
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: both run this.
    let mut sim = workloads::big_prepared();
    let before_run = live();
    PEAK.store(before_run, Relaxed);
    let events = run_big(&mut sim);
    let peak_run = PEAK.load(Relaxed) - before_run;
    let after_run = live() - before_run;

    // The log alone: a copy of its envelopes.
    let base = live();
    let envelopes: Vec<Envelope> = sim.envelopes(0).to_vec();
    let log_bytes = live() - base;

    // The state alone: fold the whole log into a fresh state.
    let base = live();
    let state = fold(&envelopes);
    let state_bytes = live() - base;
    assert_eq!(&state, sim.state());
    let total_events = envelopes.len();
    let tasks = workloads::TASKS as isize;

    println!("memory of the big execution ({tasks} tasks, {events} events in the run, {total_events} in the log):");
    println!("  state:  {state_bytes} bytes = {} bytes per task (target <= 600)", state_bytes / tasks);
    println!("  log:    {log_bytes} bytes = {} bytes per event", log_bytes / total_events as isize);
    println!(
        "  run:    +{after_run} bytes live after jobs.run..completion (state + log growth), peak +{peak_run} bytes"
    );
    println!(
        "  sizes:  TaskState {} B, Envelope {} B, Event {} B",
        std::mem::size_of::<jobsim_core::state::TaskState>(),
        std::mem::size_of::<Envelope>(),
        std::mem::size_of::<jobsim_core::event::Event>()
    );
    drop(state);
    drop(sim);
    repeated(50);
}
