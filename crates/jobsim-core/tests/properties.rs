//! Property tests over random scenarios: random job shapes, workloads, faults, runs with
//! overrides, cancels, deletes and clock moves, on the `instant` and `realistic` profiles.
//!
//! After every event the engine invariants hold (`jobsim_core::invariants`), and replaying the
//! log — whole, or from a snapshot taken halfway — gives the live state. Exact faults win over
//! the workload's draws; splitting a clock move anywhere changes nothing but `ClockMoved` events.
//!
//! The runner is fixed (cases, RNG seed, no failure files): set `PROPTEST_RNG_SEED` or
//! `PROPTEST_CASES` to explore further; a failure prints the minimal scenario as JSON.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod engine_support;

use engine_support::{job_body, verify};
use jobsim_core::event::{Event, Outcome};
use jobsim_core::scenario::{Run, Scenario};
use jobsim_core::time::Micros;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// A fixed runner: `cases` unless `PROPTEST_CASES` says otherwise, a fixed seed unless
/// `PROPTEST_RNG_SEED` says otherwise, and no regression files written into the repository.
fn config(cases: u32) -> Config {
    let mut c = Config { cases, failure_persistence: None, max_shrink_iters: 2_000, ..Config::default() };
    if std::env::var_os("PROPTEST_CASES").is_some() {
        c.cases = Config::default().cases;
    }
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        c.rng_seed = RngSeed::Fixed(0x5eed_0003_u64 ^ u64::from(cases));
    }
    c
}

#[derive(Debug, Clone)]
struct JobShape {
    task_count: u32,
    parallelism: u32,
    max_retries: u32,
    timeout: u32,
    /// (start token?, token) set at creation.
    token: Option<(bool, &'static str)>,
}

#[derive(Debug, Clone)]
enum FaultKind {
    Exit(i32),
    Hang,
    Duration(u64),
}

#[derive(Debug, Clone)]
struct FaultGen {
    job: usize,
    execution: Option<u32>,
    task: Option<u32>,
    attempt: Option<u32>,
    kind: FaultKind,
}

#[derive(Debug, Clone)]
struct WorkloadGen {
    job: usize,
    duration_ms: Option<u64>,
    jitter_ms: u64,
    failure_rate: f64,
    exit_code: i32,
}

#[derive(Debug, Clone)]
enum Action {
    Run { job: usize, task_count: Option<i32>, timeout: Option<i32>, delay: bool },
    Cancel { job: usize },
    DeleteExecution { job: usize },
    DeleteJob { job: usize, force: bool },
    Replace { job: usize, token: Option<&'static str> },
    Get { job: usize },
    Advance { ms: u64 },
    Idle,
}

#[derive(Debug, Clone)]
struct Gen {
    seed: u64,
    instant: bool,
    max_parallelism: Option<u32>,
    jobs: Vec<JobShape>,
    workloads: Vec<WorkloadGen>,
    faults: Vec<FaultGen>,
    actions: Vec<Action>,
}

fn job_shape() -> impl Strategy<Value = JobShape> {
    (
        1u32..=6,
        0u32..=6,
        0u32..=3,
        prop_oneof![Just(1u32), 5u32..=120],
        prop::option::weighted(0.15, (any::<bool>(), prop_oneof![Just("t1"), Just("t2")])),
    )
        .prop_map(|(task_count, p, max_retries, timeout, token)| JobShape {
            task_count,
            parallelism: p.min(task_count),
            max_retries,
            timeout,
            token,
        })
}

fn workload(jobs: usize) -> impl Strategy<Value = WorkloadGen> {
    (
        0..jobs,
        prop::option::of(0u64..90_000),
        prop_oneof![Just(0u64), 0u64..10_000],
        prop_oneof![Just(0.0), Just(1.0), 0.0f64..=1.0],
        1i32..=255,
    )
        .prop_map(|(job, duration_ms, jitter_ms, failure_rate, exit_code)| WorkloadGen {
            job,
            duration_ms,
            jitter_ms,
            failure_rate,
            exit_code,
        })
}

fn fault(jobs: usize) -> impl Strategy<Value = FaultGen> {
    let kind = prop_oneof![
        (0i32..=255).prop_map(FaultKind::Exit),
        Just(FaultKind::Hang),
        (0u64..200).prop_map(FaultKind::Duration)
    ];
    (0..jobs, prop::option::of(1u32..=3), prop::option::of(0u32..6), prop::option::of(0u32..4), kind)
        .prop_map(|(job, execution, task, attempt, kind)| FaultGen { job, execution, task, attempt, kind })
}

fn action(jobs: usize) -> impl Strategy<Value = Action> {
    prop_oneof![
        5 => (0..jobs, prop::option::weighted(0.3, 0i32..=8), prop::option::weighted(0.2, 1i32..=90), prop::bool::weighted(0.1))
            .prop_map(|(job, task_count, timeout, delay)| Action::Run { job, task_count, timeout, delay }),
        1 => (0..jobs).prop_map(|job| Action::Cancel { job }),
        1 => (0..jobs).prop_map(|job| Action::DeleteExecution { job }),
        1 => (0..jobs, prop::bool::weighted(0.2)).prop_map(|(job, force)| Action::DeleteJob { job, force }),
        1 => (0..jobs, prop::option::of(prop_oneof![Just("t1"), Just("t2"), Just("t3")]))
            .prop_map(|(job, token)| Action::Replace { job, token }),
        1 => (0..jobs).prop_map(|job| Action::Get { job }),
        4 => prop_oneof![0u64..3_000, 0u64..120_000].prop_map(|ms| Action::Advance { ms }),
        1 => Just(Action::Idle),
    ]
}

fn world(max_actions: usize) -> impl Strategy<Value = Gen> {
    (any::<u64>(), any::<bool>(), prop::option::weighted(0.2, 1u32..=4), prop::collection::vec(job_shape(), 1..=2))
        .prop_flat_map(move |(seed, instant, max_parallelism, jobs)| {
            let n = jobs.len();
            (
                Just((seed, instant, max_parallelism, jobs)),
                prop::collection::vec(workload(n), 0..=2),
                prop::collection::vec(fault(n), 0..=4),
                prop::collection::vec(action(n), 1..=max_actions),
            )
        })
        .prop_map(|((seed, instant, max_parallelism, jobs), workloads, faults, actions)| Gen {
            seed,
            instant,
            max_parallelism,
            jobs,
            workloads,
            faults,
            actions,
        })
}

fn job_name(i: usize) -> String {
    format!("j{i}")
}

fn body(i: usize, shape: &JobShape, token: Option<(bool, &str)>) -> Value {
    let mut b = job_body(&job_name(i), shape.task_count, shape.parallelism, shape.max_retries, shape.timeout);
    if let Some((start, token)) = token {
        let key = if start { "startExecutionToken" } else { "runExecutionToken" };
        b["spec"][key] = json!(token);
    }
    b
}

/// The scenario of a generated world (with a last `runUntilIdle`).
fn scenario(g: &Gen) -> Value {
    let mut steps: Vec<Value> =
        g.jobs.iter().enumerate().map(|(i, s)| json!({"call": "jobs.create", "body": body(i, s, s.token)})).collect();
    for a in &g.actions {
        steps.push(match a {
            Action::Run { job, task_count, timeout, delay } => {
                let mut overrides = json!({});
                if let Some(t) = task_count {
                    overrides["taskCount"] = json!(t);
                }
                if let Some(t) = timeout {
                    overrides["timeoutSeconds"] = json!(t);
                }
                if *delay {
                    overrides["delayExecution"] = json!(true);
                }
                json!({"call": "jobs.run", "name": job_name(*job), "body": {"overrides": overrides}})
            }
            Action::Cancel { job } => json!({"call": "executions.cancel", "latestOf": job_name(*job)}),
            Action::DeleteExecution { job } => json!({"call": "executions.delete", "latestOf": job_name(*job)}),
            Action::DeleteJob { job, force } => {
                json!({"call": "jobs.delete", "name": job_name(*job), "query": {"force": force}})
            }
            Action::Replace { job, token } => {
                let shape = &g.jobs[*job];
                json!({"call": "jobs.replaceJob", "name": job_name(*job),
                       "body": body(*job, shape, token.map(|t| (false, t)))})
            }
            Action::Get { job } => json!({"call": "executions.get", "latestOf": job_name(*job)}),
            Action::Advance { ms } => json!({"advance": format!("{ms}ms")}),
            Action::Idle => json!({"runUntilIdle": true}),
        });
    }
    steps.push(json!({"runUntilIdle": true}));
    let workloads: Vec<Value> = g
        .workloads
        .iter()
        .map(|w| {
            let mut v = json!({"job": job_name(w.job), "jitter": format!("{}ms", w.jitter_ms),
                               "failureRate": w.failure_rate, "exitCode": w.exit_code});
            if let Some(d) = w.duration_ms {
                v["duration"] = json!(format!("{d}ms"));
            }
            v
        })
        .collect();
    let faults: Vec<Value> = g
        .faults
        .iter()
        .map(|f| {
            let mut v = json!({"job": job_name(f.job)});
            if let Some(e) = f.execution {
                v["execution"] = json!(e);
            }
            // Faults address tasks and attempts that can exist: a scenario refuses others.
            let shape = &g.jobs[f.job];
            let most_tasks = g
                .actions
                .iter()
                .filter_map(|a| match a {
                    Action::Run { job, task_count: Some(t), .. } if *job == f.job => u32::try_from(*t).ok(),
                    _ => None,
                })
                .fold(shape.task_count, u32::max)
                .max(1);
            if let Some(t) = f.task {
                v["task"] = json!(t % most_tasks);
            }
            if let Some(a) = f.attempt {
                v["attempt"] = json!(a % (shape.max_retries + 1));
            }
            match f.kind {
                FaultKind::Exit(c) => v["exitCode"] = json!(c),
                FaultKind::Hang => v["hang"] = json!(true),
                FaultKind::Duration(s) => v["duration"] = json!(format!("{s}s")),
            }
            v
        })
        .collect();
    let mut settings = json!({});
    if let Some(m) = g.max_parallelism {
        settings["maxParallelism"] = json!(m);
    }
    json!({
        "seed": g.seed.to_string(), // a u64 as a decimal string (D27)
        "profile": if g.instant { "instant" } else { "realistic" },
        "settings": settings,
        "workloads": workloads,
        "faults": faults,
        "steps": steps,
    })
}

fn run(s: &Value) -> Result<Run, TestCaseError> {
    let scenario = Scenario::from_value(s).map_err(|e| TestCaseError::fail(format!("scenario: {}", e.message)))?;
    scenario.run().map_err(|e| TestCaseError::fail(format!("run: {}", e.message)))
}

/// Every attempt's fixed outcome agrees with the exact fault addressed to it, if any.
fn faults_win(run: &Run) -> Result<(), String> {
    let world = &run.simulator.state().world;
    let mut executions: BTreeMap<String, (String, u32, Micros)> = BTreeMap::new();
    for env in run.simulator.envelopes(1) {
        match &env.event {
            Event::ExecutionCreated { execution, ordinal, .. } => {
                let job = execution.metadata.labels.get("run.googleapis.com/job").cloned().unwrap_or_default();
                let timeout = execution.spec.task_spec().and_then(|t| t.timeout_seconds).unwrap_or(600) * 1_000_000;
                executions.insert(execution.metadata.name.clone(), (job, *ordinal, timeout));
            }
            Event::AttemptStarted { execution, task, attempt, ends_at, outcome, env: vars } => {
                let vars = vars.to_map();
                let (job, ordinal, timeout) = executions.get(execution).ok_or("attempt of an unknown execution")?;
                if vars.get("CLOUD_RUN_TASK_INDEX") != Some(&task.to_string())
                    || vars.get("CLOUD_RUN_TASK_ATTEMPT") != Some(&attempt.to_string())
                    || vars.get("CLOUD_RUN_EXECUTION") != Some(execution)
                    || vars.get("CLOUD_RUN_JOB") != Some(job)
                {
                    return Err(format!("{execution} task {task} attempt {attempt}: environment {vars:?}"));
                }
                let took = ends_at - env.time;
                if took > *timeout || (took == *timeout) != (*outcome == Outcome::TimedOut) {
                    return Err(format!(
                        "{execution} task {task}: ends after {took}µs, timeout {timeout}, {outcome:?}"
                    ));
                }
                let Some(f) = world.fault(job, *ordinal, *task, *attempt) else { continue };
                // A fault's exit happens at the end of the attempt's duration (the fault's, else
                // the workload's); when that reaches the timeout, the timeout comes first.
                let want_duration = if f.hang { Some(*timeout) } else { f.duration.map(|d| d.min(*timeout)) };
                let want = if f.hang || took == *timeout {
                    Some(Outcome::TimedOut)
                } else {
                    match f.exit_code {
                        Some(0) => Some(Outcome::Succeeded),
                        Some(code) => Some(Outcome::Exited { code }),
                        None => None,
                    }
                };
                if want.is_some_and(|w| w != *outcome) || want_duration.is_some_and(|d| d != took) {
                    return Err(format!(
                        "{execution} task {task} attempt {attempt}: fault {f:?} but {outcome:?} after {took}µs"
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn check_world(g: &Gen) -> Result<(), TestCaseError> {
    let s = scenario(g);
    let r = run(&s)?;
    for o in &r.outcome_values() {
        let status = o["status"].as_u64().unwrap_or(200);
        prop_assert!(matches!(status, 200 | 400 | 404 | 409 | 429), "unexpected status in {o}\nscenario: {s}");
    }
    verify(&r.simulator).map_err(|v| TestCaseError::fail(format!("{v}\nscenario: {s}")))?;
    faults_win(&r).map_err(|v| TestCaseError::fail(format!("{v}\nscenario: {s}")))?;
    // After the last runUntilIdle nothing is pending and every execution is terminal (R25).
    let state = r.simulator.state();
    prop_assert!(state.timers.is_empty(), "timers left after runUntilIdle\nscenario: {s}");
    // No job is left Ready=Unknown once its token execution ended (D19).
    for js in state.jobs.values() {
        jobsim_core::invariants::check_token_ready(state, js)
            .map_err(|v| TestCaseError::fail(format!("{v}\nscenario: {s}")))?;
    }
    for e in state.executions.values() {
        prop_assert!(e.is_terminal(), "{} not terminal after runUntilIdle\nscenario: {s}", e.execution.metadata.name);
        let c = e.counters;
        prop_assert_eq!(c.succeeded + c.failed + c.cancelled, e.task_count());
        // Every execution can be explained.
        let why = r.simulator.explain(&e.execution.metadata.name).map_err(|e| TestCaseError::fail(e.message))?;
        prop_assert!(why.starts_with(&e.execution.metadata.name), "{why}");
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(2000))]

    /// Random job shapes, workloads, faults, runs, cancels, deletes and clock moves: the
    /// invariants hold after every event and replay(events) == live state.
    #[test]
    fn random_scenarios_keep_the_invariants_and_replay_to_the_live_state(g in world(10)) {
        check_world(&g)?;
    }
}

proptest! {
    #![proptest_config(config(500))]

    /// Longer scenarios, fewer cases.
    #[test]
    fn long_random_scenarios_keep_the_invariants(g in world(30)) {
        check_world(&g)?;
    }
}

/// The history without clock bookkeeping: (time, type, payload) of every other event.
fn history(r: &Run) -> Vec<(String, String, String)> {
    r.simulator
        .events(1)
        .into_iter()
        .filter(|e| e["type"] != "ClockMoved")
        .map(|e| (e["time"].to_string(), e["type"].to_string(), e["payload"].to_string()))
        .collect()
}

proptest! {
    #![proptest_config(config(800))]

    /// Timers fire at their own deadlines however the clock is moved: one big move and the
    /// same distance in random pieces give the same events.
    #[test]
    fn splitting_a_clock_move_changes_nothing_but_clock_events(
        g in world(1),
        pieces in prop::collection::vec(0u64..40_000, 1..12),
    ) {
        let mut g = g;
        g.actions = vec![Action::Run { job: 0, task_count: None, timeout: None, delay: false }];
        let total: u64 = pieces.iter().sum();
        let mut whole = scenario(&g);
        let mut split = whole.clone();
        let steps = whole["steps"].as_array_mut().unwrap();
        steps.pop();
        steps.push(json!({"advance": format!("{total}ms")}));
        let steps = split["steps"].as_array_mut().unwrap();
        steps.pop();
        for p in &pieces {
            steps.push(json!({"advance": format!("{p}ms")}));
        }
        let (a, b) = (run(&whole)?, run(&split)?);
        prop_assert_eq!(a.simulator.now(), b.simulator.now());
        prop_assert_eq!(history(&a), history(&b), "scenario: {}", split);
        verify(&b.simulator).map_err(TestCaseError::fail)?;
    }
}
