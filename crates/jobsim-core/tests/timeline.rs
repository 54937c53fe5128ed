//! The timeline projection (`jobsim_core::timeline`), the one fold of the log into attempts that
//! the CLI, `explain` and the wasm package read: checked against a brute-force reading of the
//! log on every shipped scenario and on random ones, folded whole and incrementally.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod engine_support;

use engine_support::job_body;
use jobsim_core::event::{Envelope, Event, Outcome};
use jobsim_core::scenario::Scenario;
use jobsim_core::timeline::{AttemptOutcome, Timeline};
use jobsim_core::Simulator;
use serde_json::{json, Value};

/// `(task, attempt, start, end, outcome, code)` of one attempt.
type Row = (u32, u32, i64, Option<i64>, AttemptOutcome, Option<i32>);

/// What the log says of one execution, read the slow way: for the `n`-th `ExecutionCreated`,
/// every event from it up to its removal (its own delete, its job's delete, or the next
/// creation of the same name), scanned again from the start for each question.
struct Brute {
    name: String,
    created: i64,
    deleted: Option<i64>,
    cancelled: Option<i64>,
    completed: Option<i64>,
    version: u64,
    attempts: Vec<Row>,
}

fn brute(log: &[Envelope]) -> Vec<Brute> {
    let created: Vec<usize> = log
        .iter()
        .enumerate()
        .filter(|(_, e)| matches!(e.event, Event::ExecutionCreated { .. }))
        .map(|(i, _)| i)
        .collect();
    created
        .iter()
        .map(|&c| {
            let Event::ExecutionCreated { execution, .. } = &log[c].event else { unreachable!() };
            let name = execution.metadata.name.clone();
            let job = execution.metadata.labels["run.googleapis.com/job"].clone();
            // Its life: up to (and including) its removal, or up to (excluding) the next creation of its name.
            let mut end = log.len();
            let mut deleted = None;
            for (i, e) in log.iter().enumerate().skip(c + 1) {
                match &e.event {
                    Event::ExecutionCreated { execution, .. } if execution.metadata.name == name => {
                        end = i;
                        break;
                    }
                    Event::ExecutionDeleted { execution } if *execution == name => {
                        deleted = Some(e.time);
                        end = i + 1;
                        break;
                    }
                    Event::JobDeleted { name: j } if *j == job => {
                        deleted = Some(e.time);
                        end = i + 1;
                        break;
                    }
                    _ => {}
                }
            }
            let life = &log[c..end];
            // Its own stream's events (every event about it, whatever new kinds come), and its
            // job's deletion.
            let stream = format!("executions/{name}");
            let mine = |e: &Envelope| match &e.event {
                Event::JobDeletionStarted { name: j } | Event::JobDeleted { name: j } => *j == job,
                other => other.in_stream(&stream),
            };
            // Events of its job after its removal still count for `version` (the job's deletion).
            let version = log[c..]
                .iter()
                .filter(|e| match &e.event {
                    Event::JobDeletionStarted { name: j } | Event::JobDeleted { name: j } => *j == job,
                    _ => false,
                })
                .chain(life.iter().filter(|e| mine(e)))
                .map(|e| e.sequence)
                .max()
                .unwrap_or(0);
            let cancelled = life
                .iter()
                .find(|e| matches!(&e.event, Event::ExecutionCancelled { execution } if *execution == name))
                .map(|e| e.time);
            let completed = life
                .iter()
                .find(|e| {
                    matches!(&e.event, Event::ExecutionCompleted { execution, .. }
                        | Event::ContainerMissing { execution, .. } if *execution == name)
                })
                .map(|e| e.time);
            let stop = cancelled.or(deleted);
            let mut attempts = Vec::new();
            for (k, e) in life.iter().enumerate() {
                let Event::AttemptStarted { execution, task, attempt, .. } = &e.event else { continue };
                if *execution != name {
                    continue;
                }
                let ended = life[k + 1..].iter().find_map(|f| match &f.event {
                    Event::AttemptEnded { execution, task: t, attempt: a, outcome }
                        if *execution == name && t == task && a == attempt =>
                    {
                        Some((f.time, *outcome))
                    }
                    _ => None,
                });
                let row = match (ended, stop) {
                    (Some((at, Outcome::Succeeded)), _) => (Some(at), AttemptOutcome::Succeeded, None),
                    (Some((at, Outcome::Exited { code })), _) => (Some(at), AttemptOutcome::Exited, Some(code)),
                    (Some((at, Outcome::TimedOut)), _) => (Some(at), AttemptOutcome::TimedOut, None),
                    (None, Some(at)) => (Some(at), AttemptOutcome::Cancelled, None),
                    (None, None) => (None, AttemptOutcome::Running, None),
                };
                attempts.push((*task, *attempt, e.time, row.0, row.1, row.2));
            }
            attempts.sort_by_key(|a| (a.0, a.2, a.1));
            Brute { name, created: log[c].time, deleted, cancelled, completed, version, attempts }
        })
        .collect()
}

fn rows(t: &Timeline, i: usize) -> Vec<Row> {
    let x = &t.executions[i];
    let mut out: Vec<Row> =
        x.tasks.values().flatten().map(|a| (a.task, a.attempt, a.start, a.end, a.outcome, a.code)).collect();
    out.sort_by_key(|a| (a.0, a.2, a.1));
    out
}

/// The projection equals the brute-force reading, whole and folded in pieces of every size.
fn check(what: &str, sim: &Simulator) {
    let log = sim.envelopes(1);
    let whole = Timeline::of(log);
    let expected = brute(log);
    assert_eq!(whole.executions.len(), expected.len(), "{what}: executions");
    assert_eq!(whole.folded, sim.version(), "{what}: folded");
    for (i, b) in expected.iter().enumerate() {
        let x = &whole.executions[i];
        let at = format!("{what}: execution {i} ({})", b.name);
        assert_eq!(x.name, b.name, "{at}");
        assert_eq!(x.created, b.created, "{at}: created");
        assert_eq!(x.deleted_at, b.deleted, "{at}: deleted");
        assert_eq!(x.cancelled_at, b.cancelled, "{at}: cancelled");
        assert_eq!(x.completed_at, b.completed, "{at}: completed");
        assert_eq!(x.version, b.version, "{at}: version");
        assert_eq!(rows(&whole, i), b.attempts, "{at}: attempts");
        // A live execution's attempts are the ones `explain` reads, and it is the state's.
        if b.deleted.is_none() && expected[i + 1..].iter().all(|later| later.name != b.name) {
            assert_eq!(whole.execution(&b.name).map(|x| x.created), Some(b.created), "{at}: live");
            // One execution's own timeline (what `explain` folds) is its part of the whole.
            let one = Timeline::of_execution(log, &b.name);
            assert_eq!(one.execution(&b.name), whole.execution(&b.name), "{at}: of_execution");
            assert!(sim.state().execution(&b.name).is_some(), "{at}: in the state");
            let state = &sim.state().executions[&b.name];
            for (index, task) in state.tasks.iter().enumerate() {
                let n = x.attempts(index as u32).len() as u32;
                let started = if task.start_time.is_some() { task.attempt + 1 } else { 0 };
                assert_eq!(n, started, "{at}: task {index} attempts vs the state");
            }
        }
    }
    let membership = log
        .iter()
        .filter(|e| {
            matches!(
                e.event,
                Event::ExecutionCreated { .. } | Event::ExecutionDeleted { .. } | Event::JobDeleted { .. }
            )
        })
        .map(|e| e.sequence)
        .max()
        .unwrap_or(0);
    assert_eq!(whole.membership, membership, "{what}: membership");
    // Incremental: any chunking gives the same timeline, and `changed_since` returns exactly
    // the executions whose version moved.
    for chunk in [1usize, 2, 3, 7, 50] {
        let mut t = Timeline::default();
        let mut previous = 0;
        for end in (chunk..log.len() + chunk).step_by(chunk) {
            let end = end.min(log.len());
            t.fold(&log[..end]); // the whole prefix again: only the new events are folded
            let update = t.changed_since(previous);
            let moved = t.executions.iter().filter(|x| x.version > previous).count();
            assert_eq!(update.changed.len(), moved, "{what}: chunk {chunk}");
            assert_eq!(update.count, t.executions.len());
            previous = t.folded;
        }
        assert_eq!(t, whole, "{what}: folded by {chunk}");
    }
}

/// R20–R29, D4, D10: every shipped scenario.
#[test]
fn the_projection_equals_a_brute_force_fold_on_every_shipped_scenario() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let run = Scenario::parse(&std::fs::read_to_string(&path).unwrap()).unwrap().run().unwrap();
        check(&path.display().to_string(), &run.simulator);
        n += 1;
    }
    assert!(n >= 10, "{n} scenarios");
}

/// D18: an execution of a missing image (a token execution, and a run accepted while Ready was
/// still Unknown) ends failed with no attempt; the projection says so as the log does.
#[test]
fn the_projection_equals_a_brute_force_fold_for_missing_images() {
    let mut body = job_body("gone", 3, 1, 1, 60);
    body["spec"]["template"]["spec"]["template"]["spec"]["containers"][0]["image"] = json!("img:missing");
    body["spec"]["runExecutionToken"] = json!("t1");
    let scenario = json!({"seed": 5, "profile": "realistic", "settings": {"missingImages": ["img:missing"]},
        "steps": [{"call": "jobs.create", "body": body}, {"call": "jobs.run", "name": "gone"}, {"runUntilIdle": true}]});
    let run = Scenario::from_value(&scenario).unwrap().run().unwrap();
    check("missing image", &run.simulator);
    let t = Timeline::of(run.simulator.envelopes(1));
    assert_eq!(t.executions.len(), 2, "the token execution and the run");
    for x in &t.executions {
        assert_eq!((x.succeeded, x.tasks.len()), (Some(false), 0), "{}", x.name);
    }
}

/// A small deterministic generator (xorshift): no proptest shrinking needed for a comparison.
struct Rng(u64);
impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn random_scenario(seed: u64) -> Value {
    let mut r = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let jobs = 1 + r.next(2) as usize;
    let mut steps = Vec::new();
    let mut workloads = Vec::new();
    for j in 0..jobs {
        let name = format!("job{j}");
        let (tasks, par, retries, timeout) =
            (1 + r.next(6) as u32, r.next(4) as u32, r.next(3) as u32, 5 + r.next(60) as u32);
        steps.push(json!({"call": "jobs.create", "body": job_body(&name, tasks, par, retries, timeout)}));
        workloads.push(json!({"job": name, "duration": format!("{}s", 1 + r.next(40)), "jitter": "3s", "failureRate": r.next(7) as f64 / 10.0}));
    }
    for _ in 0..(5 + r.next(20)) {
        let job = format!("job{}", r.next(jobs as u64));
        steps.push(match r.next(10) {
            0..=2 => json!({"call": "jobs.run", "name": job}),
            3 => json!({"call": "executions.cancel", "latestOf": job}),
            4 => json!({"call": "executions.delete", "latestOf": job}),
            5 => json!({"call": "jobs.delete", "name": job, "query": {"force": true}}),
            6 => json!({"runUntilIdle": true}),
            _ => json!({"advance": format!("{}s", r.next(30))}),
        });
    }
    let profile = if r.next(2) == 0 { "instant" } else { "realistic" };
    json!({"seed": seed, "profile": profile, "workloads": workloads, "steps": steps})
}

/// R20–R29, D4, D10, D14: random runs, cancels, deletes (of executions and whole jobs) and clock moves.
#[test]
fn the_projection_equals_a_brute_force_fold_on_random_scenarios() {
    let mut executions = 0;
    for seed in 0..150u64 {
        let scenario = random_scenario(seed);
        let run = Scenario::from_value(&scenario).unwrap().run().unwrap();
        check(&format!("seed {seed}: {scenario}"), &run.simulator);
        executions += Timeline::of(run.simulator.envelopes(1)).executions.len();
    }
    assert!(executions > 150, "the random scenarios ran only {executions} executions");
}

/// D15 defaults: an execution created from a job that leaves maxRetries and timeoutSeconds
/// unset shows the engine's defaults (3, 600), which the demo used to hard-code.
#[test]
fn defaults_come_from_the_core() {
    let mut sim = Simulator::new(&json!({"profile": "instant"})).unwrap();
    sim.call(
        "jobs.create",
        &json!({"body": {"metadata": {"name": "a"}, "spec": {"template": {"spec": {"template": {"spec": {
        "containers": [{"image": "img"}]}}}}}}}),
    )
    .unwrap();
    sim.call("jobs.run", &json!({"name": "a"})).unwrap();
    let t = Timeline::of(sim.envelopes(1));
    assert_eq!((t.executions[0].max_retries, t.executions[0].timeout_seconds), (3, 600));
    let json = serde_json::to_value(&t).unwrap();
    assert_eq!(json["executions"][0]["maxRetries"], 3);
    assert_eq!(json["executions"][0]["timeoutSeconds"], 600);
    assert!(json["executions"][0]["tasks"]["0"][0]["endsAt"].is_i64(), "{json}");
}
