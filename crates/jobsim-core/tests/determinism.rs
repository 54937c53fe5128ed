//! Property tests of issue #6 (RELIABILITY.md), over random worlds and random calls:
//!
//! - **determinism**: the same scenario (same seed) gives the same bytes — outcomes, event log
//!   and state — run twice, through the text entry point, and when a clone taken halfway
//!   carries on with the remaining steps;
//! - **a rejected call changes nothing**: on a random world, a random and mostly hostile call
//!   (a valid request with one field broken, or arbitrary JSON), or a bad clock move, that is
//!   refused leaves the log version, the event log bytes and the state snapshot as they were.
//!
//! The runner is fixed (case counts, RNG seed, no failure files): set `PROPTEST_CASES` /
//! `PROPTEST_RNG_SEED` to explore further. A failure prints the minimal scenario as JSON.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jobsim_core::api::METHODS;
use jobsim_core::scenario::{run_step, Scenario};
use jobsim_core::{run_scenario, Simulator};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use serde_json::{json, Map, Value};
use std::cell::Cell;

/// Cases unless `PROPTEST_CASES` says otherwise; a fixed seed unless `PROPTEST_RNG_SEED` does.
fn config(cases: u32, salt: u64) -> Config {
    let mut c = Config { cases, failure_persistence: None, max_shrink_iters: 1_000, ..Config::default() };
    if let Some(n) = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()) {
        c.cases = n;
    }
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        c.rng_seed = RngSeed::Fixed(0x0006_5eed ^ salt);
    }
    c
}

const IMAGE: &str = "us-docker.pkg.dev/demo/app:1";
const JOBS: [&str; 3] = ["etl", "report", "ml"];

fn job_body(name: &str, tasks: u32, parallelism: u32, retries: u32, timeout: u32) -> Value {
    json!({"metadata": {"name": name, "labels": {"team": if name == "ml" { "ml" } else { "data" }}},
        "spec": {"template": {"spec": {"taskCount": tasks, "parallelism": parallelism,
            "template": {"spec": {"maxRetries": retries, "timeoutSeconds": timeout.to_string(),
                "containers": [{"image": IMAGE}]}}}}}})
}

/// A random world: seed, profile, 1–3 jobs with workloads, and valid-looking steps on them.
fn scenario() -> impl Strategy<Value = Value> {
    let job = (1u32..40, 0u32..8, 0u32..3, 20u32..200, 0.0f64..0.6, 0u64..40, 0u64..8);
    let step = prop_oneof![
        3 => (0usize..3, proptest::option::of(1u32..6)).prop_map(|(j, tasks)| match tasks {
            Some(n) => json!({"call": "jobs.run", "name": JOBS[j], "body": {"overrides": {"taskCount": n}}}),
            None => json!({"call": "jobs.run", "name": JOBS[j]}),
        }),
        3 => (0u64..90).prop_map(|s| json!({"advance": format!("{s}s")})),
        1 => (0usize..3).prop_map(|j| json!({"call": "executions.cancel", "latestOf": JOBS[j]})),
        1 => (0usize..3).prop_map(|j| json!({"call": "executions.delete", "latestOf": JOBS[j]})),
        1 => (0usize..3).prop_map(|j| json!({"call": "jobs.get", "name": JOBS[j]})),
        1 => (0usize..3).prop_map(|j| json!({"call": "tasks.list", "query": {
            "labelSelector": format!("run.googleapis.com/job={},run.googleapis.com/runningState!=Pending", JOBS[j]), "limit": 3}})),
        1 => (0usize..3, 1u32..6).prop_map(|(j, n)| json!({"call": "jobs.replaceJob", "name": JOBS[j],
            "body": job_body(JOBS[j], n, 0, 1, 60)})),
        1 => (0usize..3, any::<bool>()).prop_map(|(j, force)| json!({"call": "jobs.delete", "name": JOBS[j],
            "query": {"force": force}})),
        1 => Just(json!({"runUntilIdle": true})),
    ];
    (
        any::<u64>(),
        prop_oneof![Just("instant"), Just("realistic")],
        proptest::collection::vec(job, 1..=3),
        proptest::collection::vec(step, 1..30),
    )
        .prop_map(|(seed, profile, jobs, steps)| {
            let mut all = Vec::new();
            let mut workloads = Vec::new();
            for (i, (tasks, par, retries, timeout, rate, secs, jitter)) in jobs.iter().enumerate() {
                let name = JOBS[i];
                all.push(json!({"call": "jobs.create", "body": job_body(name, *tasks, (*par).min(*tasks), *retries, *timeout)}));
                workloads.push(json!({"job": name, "failureRate": rate, "duration": format!("{secs}s"), "jitter": format!("{jitter}s")}));
            }
            all.push(json!({"advance": "2s"}));
            // Steps on a job the world does not have are kept: their 404s are outcomes too.
            all.extend(steps);
            // Seeds as decimal strings: a u64 above 2^53 - 1 is refused as a number (D27).
            json!({"seed": seed.to_string(), "profile": profile, "workloads": workloads, "steps": all})
        })
}

/// Everything observable about a run: outcomes, event log and state, as bytes.
fn observe(sim: &Simulator, outcomes: &[Value]) -> (String, String, String) {
    let lines: String = outcomes.iter().map(|o| format!("{o}\n")).collect();
    (lines, sim.events_jsonl(), sim.snapshot().to_string())
}

#[test]
fn same_seed_same_bytes() {
    let mut runner = TestRunner::new(config(64, 1));
    runner
        .run(&(scenario(), 0.0f64..1.0), |(value, cut)| {
            let s = Scenario::from_value(&value).map_err(|e| TestCaseError::fail(format!("{e}: {value}")))?;
            let (a, b) = (s.run().unwrap(), s.run().unwrap());
            let first = observe(&a.simulator, &a.outcome_values());
            prop_assert_eq!(&first, &observe(&b.simulator, &b.outcome_values()), "two runs differ: {}", value);
            // The text entry point (CLI, wasm) gives the same bytes.
            prop_assert_eq!(
                &run_scenario(&value.to_string()).unwrap(),
                &first.0,
                "text entry point differs: {}",
                value
            );
            // A clone taken halfway carries on exactly as the original.
            let k = ((s.steps.len() as f64) * cut) as usize;
            let mut original = Simulator::new(&s.options).unwrap();
            let mut outcomes: Vec<Value> =
                s.steps[..k].iter().enumerate().map(|(i, st)| run_step(&mut original, i, st)).collect();
            let mut clone = original.clone();
            let mut clone_outcomes = outcomes.clone();
            for (i, st) in s.steps.iter().enumerate().skip(k) {
                outcomes.push(run_step(&mut original, i, st));
                clone_outcomes.push(run_step(&mut clone, i, st));
            }
            prop_assert_eq!(&observe(&original, &outcomes), &first, "step-by-step run differs: {}", value);
            prop_assert_eq!(&observe(&clone, &clone_outcomes), &first, "clone at step {} differs: {}", k, value);
            Ok(())
        })
        .unwrap();
}

/// A random JSON value: scalars of every kind (including wrong-typed and out-of-range ones),
/// and small arrays and objects of them.
fn junk() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        prop_oneof![Just(-1i64), Just(0), Just(1), Just(3), Just(10_001), Just(i64::MAX), Just(i64::MIN)]
            .prop_map(|n| json!(n)),
        prop_oneof![Just(1.5f64), Just(-0.5), Just(1e300)].prop_map(|f| json!(f)),
        prop_oneof![
            Just(""),
            Just("etl"),
            Just("x"),
            Just("all"),
            Just("true"),
            Just("-5s"),
            Just("Bad_Name"),
            Just("team in (a,"),
            Just("run.googleapis.com/job=etl"),
            Just("6162.0000000000000000"),
            Just("1h"),
            Just("\u{0}"),
        ]
        .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec(("[a-z]{1,8}", inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<String, Value>>())),
        ]
    })
}

/// Every path (object keys and array indexes) inside a value, the root included.
fn paths(v: &Value) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new()];
    let mut stack = vec![(Vec::new(), v)];
    while let Some((path, v)) = stack.pop() {
        let children: Vec<(String, &Value)> = match v {
            Value::Object(m) => m.iter().map(|(k, v)| (k.clone(), v)).collect(),
            Value::Array(a) => a.iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect(),
            _ => Vec::new(),
        };
        for (k, child) in children {
            let mut p: Vec<String> = path.clone();
            p.push(k);
            out.push(p.clone());
            stack.push((p, child));
        }
    }
    out
}

fn set_path(v: &mut Value, path: &[String], new: Value) {
    let Some((last, parents)) = path.split_last() else {
        *v = new;
        return;
    };
    match node_mut(v, parents) {
        Value::Object(m) => {
            m.insert(last.clone(), new);
        }
        Value::Array(a) => a[last.parse::<usize>().unwrap()] = new,
        _ => unreachable!(),
    }
}

/// The value at `path` (object keys, or array indexes as decimal strings).
fn node_mut<'v>(v: &'v mut Value, path: &[String]) -> &'v mut Value {
    path.iter().fold(v, |cur, k| match cur {
        Value::Object(m) => m.get_mut(k).unwrap(),
        Value::Array(a) => &mut a[k.parse::<usize>().unwrap()],
        _ => unreachable!(),
    })
}

/// A well-formed request for each method, on the world's jobs.
fn template(method: &str, job: &str) -> Value {
    match method {
        "jobs.create" => json!({"body": job_body("fresh", 2, 1, 1, 30)}),
        "jobs.replaceJob" => json!({"name": job, "body": job_body(job, 3, 2, 0, 60)}),
        "jobs.run" => json!({"name": job, "body": {"overrides": {"taskCount": 2, "timeoutSeconds": "30",
            "containerOverrides": [{"args": ["a"], "env": [{"name": "A", "value": "1"}]}]}}}),
        "jobs.delete" => json!({"name": job, "query": {"force": true}}),
        "jobs.list" | "executions.list" | "tasks.list" => {
            json!({"query": {"labelSelector": format!("run.googleapis.com/job={job}"), "limit": 2, "continue": ""}})
        }
        "tasks.get" => json!({"name": format!("{job}-abcde-task0")}),
        m if m.starts_with("executions.") => json!({"latestOf": job}),
        _ => json!({"name": job}),
    }
}

/// One hostile operation on the world.
#[derive(Debug, Clone)]
enum Poke {
    /// A call: method and params.
    Call(String, Value),
    /// `advance` by a value.
    Advance(Value),
    /// `advanceTo` a time.
    AdvanceTo(String),
}

fn poke() -> impl Strategy<Value = Poke> {
    let method = prop_oneof![
        10 => proptest::sample::select(METHODS.to_vec()).prop_map(str::to_string),
        1 => Just("jobs.nope".to_string()),
    ];
    let mutated = (method.clone(), 0usize..3, any::<proptest::sample::Index>(), junk(), any::<bool>()).prop_map(
        |(m, j, at, new, drop)| {
            let mut params = template(&m, JOBS[j]);
            let all = paths(&params);
            let path = at.get(&all).clone();
            if drop && !path.is_empty() {
                // Remove the field instead of replacing it.
                let (last, parents) = path.split_last().unwrap();
                match node_mut(&mut params, parents) {
                    Value::Object(m) => {
                        m.remove(last);
                    }
                    Value::Array(a) => {
                        a.remove(last.parse::<usize>().unwrap());
                    }
                    _ => {}
                }
            } else {
                set_path(&mut params, &path, new);
            }
            Poke::Call(m, params)
        },
    );
    prop_oneof![
        8 => mutated,
        2 => (method, junk()).prop_map(|(m, p)| Poke::Call(m, p)),
        1 => junk().prop_map(Poke::Advance),
        1 => prop_oneof![Just("2025-12-31T23:59:59Z"), Just("not a time"), Just("2026-01-01T00:00:00+25:00")]
            .prop_map(|t| Poke::AdvanceTo(t.to_string())),
    ]
}

#[test]
fn a_rejected_call_changes_nothing() {
    let mut runner = TestRunner::new(config(256, 2));
    let (total, rejected) = (Cell::new(0u32), Cell::new(0u32));
    runner
        .run(&(scenario(), poke()), |(value, poke)| {
            let s = Scenario::from_value(&value).map_err(|e| TestCaseError::fail(format!("{e}: {value}")))?;
            let mut sim = s.run().unwrap().simulator;
            let before = (sim.version(), sim.events_jsonl(), sim.snapshot().to_string(), sim.now());
            let result = match &poke {
                Poke::Call(method, params) => sim.call(method, params).map(|_| ()),
                Poke::Advance(by) => sim.advance(by).map(|_| ()),
                Poke::AdvanceTo(t) => sim.advance_to(t).map(|_| ()),
            };
            total.set(total.get() + 1);
            if let Err(e) = result {
                rejected.set(rejected.get() + 1);
                prop_assert!(!e.message.is_empty(), "an error without a message: {:?}", poke);
                let after = (sim.version(), sim.events_jsonl(), sim.snapshot().to_string(), sim.now());
                prop_assert!(
                    after == before,
                    "{:?} was refused ({}) but changed the simulator\nworld: {}",
                    poke,
                    e,
                    value
                );
            }
            Ok(())
        })
        .unwrap();
    // The generator is hostile enough to test something: most pokes are refused.
    assert!(rejected.get() * 2 >= total.get(), "only {} of {} pokes were refused", rejected.get(), total.get());
}
