//! Text output: a readable timeline of a scenario run, and resource dumps for `replay`.
//!
//! `jobsim run --format text` prints one line per step, then each execution as a per-task
//! timeline of attempts (start → end, outcome), its counters and why it ended as it did:
//!
//! ```text
//! etl-mmvt6  job etl · 10 tasks · parallelism 4 · maxRetries 1 · timeout 120s
//!   created 00:00:02 · started 00:00:06 · completed 00:02:33 · failed (NonZeroExitCode)
//!   task 0  [00:00:06 → 00:00:35 ok]
//!   task 3  [00:00:06 → 00:00:31 exit 137] [00:00:32 → 00:02:32 timeout]
//!   running 0 · succeeded 9 · failed 1 · cancelled 0 · retried 2
//!   etl-mmvt6 failed: task 3 exhausted maxRetries=1 (…); 9 of 10 tasks succeeded
//!   cost $0.008493 (447.0 vCPU-s, 223.5 GiB-s)
//! ```
//!
//! Times are offsets from the scenario's start (`HH:MM:SS`). Executions with more than
//! [`MAX_TASK_ROWS`] tasks show only the tasks worth a look (retried, failed, cancelled, …).

use jobsim_core::event::Outcome;
use jobsim_core::explain;
use jobsim_core::request::Response;
use jobsim_core::scenario::{Outcome as StepOutcome, Run, Scenario};
use jobsim_core::state::{ExecutionState, Phase, State};
use jobsim_core::time::{format_clock, Micros};
use jobsim_core::timeline::{Attempt, ExecutionTimeline, Timeline};
use jobsim_core::Simulator;
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Most task rows printed for one execution; larger executions show the notable tasks only.
pub const MAX_TASK_ROWS: usize = 50;

/// The readable timeline of `jobsim run --format text`.
pub fn render(_scenario: &Scenario, run: &Run) -> String {
    let mut out = String::new();
    for o in &run.outcomes {
        match o {
            StepOutcome::Call { step, method, result } => {
                let status = result.as_ref().map_or_else(|e| e.http_status(), |_| 200);
                let what = match result {
                    Ok(body) => answered(body),
                    Err(e) => e.message.clone(),
                };
                let _ = writeln!(out, "[{step:>3}] {method:<18} {status}  {what}");
            }
            StepOutcome::Clock { step, clock, result: Ok(moved) } => {
                let (clock, now, events) = (clock.as_str(), &moved.now, moved.events);
                let _ = writeln!(out, "[{step:>3}] {clock:<18} now {now} ({events} events)");
            }
            StepOutcome::Clock { step, clock, result: Err(e) } => {
                let (clock, status, message) = (clock.as_str(), e.http_status(), &e.message);
                let _ = writeln!(out, "[{step:>3}] {clock:<18} {status}  {message}");
            }
        }
    }
    out.push_str(&timelines(&run.simulator));
    out
}

/// What a step's line names of its answer: the resource's name, the deleted one's, or a page's
/// item count (nothing for an empty page, whose `items` the API omits, R8).
fn answered(body: &Response) -> String {
    let page = |n: usize| if n == 0 { String::new() } else { format!("{n} item(s)") };
    match body {
        Response::Job(j) => j.metadata.name.clone(),
        Response::Execution(e) => e.metadata.name.clone(),
        Response::Task(t) => t.metadata.name.clone(),
        Response::Status(s) => s.details.as_ref().map(|d| d.name.clone()).unwrap_or_default(),
        Response::Jobs(p) => page(p.items.len()),
        Response::Executions(p) => page(p.items.len()),
        Response::Tasks(p) => page(p.items.len()),
    }
}

/// The per-execution timelines (empty when the run created no execution), from the core's one
/// fold of the log into attempts ([`Timeline`]).
pub fn timelines(sim: &Simulator) -> String {
    let state = sim.state();
    let timeline = Timeline::of(sim.envelopes(1));
    let mut out = String::new();
    for b in &timeline.executions {
        out.push('\n');
        let live = if b.deleted_at.is_none() { state.execution(&b.name) } else { None };
        execution(&mut out, state, live, b);
    }
    out
}

fn execution(out: &mut String, state: &State, live: Option<&ExecutionState>, b: &ExecutionTimeline) {
    let start = state.world.start;
    let clock = |t: Micros| format_clock(t, start);
    let _ = writeln!(
        out,
        "{}  job {} · {} task{} · parallelism {} · maxRetries {} · timeout {}s",
        b.name,
        b.job,
        b.task_count,
        if b.task_count == 1 { "" } else { "s" },
        b.parallelism,
        b.max_retries,
        b.timeout_seconds
    );
    let mut head = format!("  created {}", clock(b.created));
    if let Some(t) = b.started_at {
        let _ = write!(head, " · started {}", clock(t));
    }
    match (b.cancelled_at, b.completed_at) {
        (Some(t), _) => {
            let _ = write!(head, " · cancelled {}", clock(t));
        }
        (None, Some(t)) => {
            let _ = write!(head, " · completed {}", clock(t));
        }
        _ => {}
    }
    if let Some(t) = b.deleted_at {
        let _ = write!(head, " · deleted {}", clock(t));
    }
    match live {
        Some(e) => {
            let _ = writeln!(out, "{head} · {}", outcome(e));
        }
        None => {
            let _ = writeln!(out, "{head}");
        }
    }
    let show_all = b.task_count as usize <= MAX_TASK_ROWS;
    let width = b.task_count.saturating_sub(1).to_string().len();
    let mut shown = 0usize;
    let mut hidden: BTreeMap<&'static str, usize> = BTreeMap::new();
    for i in 0..b.task_count {
        let attempts = b.attempts(i);
        let phase = live.and_then(|e| e.tasks.get(i as usize)).map(|t| t.phase);
        let first_try_ok = attempts.len() == 1 && attempts[0].ended().is_some_and(|(_, o)| o == Outcome::Succeeded);
        if shown < MAX_TASK_ROWS && (show_all || !first_try_ok) {
            shown += 1;
            let _ = writeln!(out, "  task {i:<width$}  {}", task_row(start, b, phase, attempts));
        } else {
            let what = match phase {
                _ if first_try_ok => "succeeded at the first attempt",
                Some(p) => phase_word(p),
                None => "not shown",
            };
            *hidden.entry(what).or_default() += 1;
        }
    }
    if !hidden.is_empty() {
        let total: usize = hidden.values().sum();
        let parts: Vec<String> = hidden.iter().map(|(what, n)| format!("{n} {what}")).collect();
        let _ = writeln!(out, "  … {total} more task(s) not shown: {}", parts.join(", "));
    }
    if let Some(e) = live {
        let c = &e.counters;
        let _ = writeln!(
            out,
            "  running {} · succeeded {} · failed {} · cancelled {} · retried {}",
            c.running, c.succeeded, c.failed, c.cancelled, c.retried
        );
        let _ = writeln!(out, "  {}", explain::execution_from(state, e, &b.tasks));
    }
    // What it cost (issue #12), from the same attempts; deleted executions at the default size.
    let _ = writeln!(out, "{}", explain::cost_line(&jobsim_core::cost::execution(state, b)));
}

fn phase_word(phase: Phase) -> &'static str {
    match phase {
        Phase::Pending => "pending",
        Phase::Running => "running",
        Phase::Succeeded => "succeeded",
        Phase::Failed => "failed",
        Phase::Cancelled => "cancelled",
        Phase::Abandoned => "abandoned",
    }
}

/// How the execution stands: `succeeded`, `failed (NonZeroExitCode)`, `cancelled`, `running`, …
fn outcome(e: &ExecutionState) -> String {
    match &e.completed {
        Some(_) if e.cancelled => "cancelled".into(),
        Some(c) if c.status == "True" => "succeeded".into(),
        Some(c) if c.reason.is_empty() => "failed (timeout)".into(),
        Some(c) => format!("failed ({})", c.reason),
        None if e.started.is_some() => "running".into(),
        None if e.delayed && e.container_ready.is_none() => "pending (delayed start)".into(),
        None => "pending (provisioning)".into(),
    }
}

/// One task's attempts: `[00:00:04 → 00:00:31 exit 137] [00:00:32 → 00:02:32 timeout]`.
/// `phase` is the task's phase when the execution still exists.
fn task_row(start: Micros, b: &ExecutionTimeline, phase: Option<Phase>, attempts: &[Attempt]) -> String {
    let clock = |at: Micros| format_clock(at, start);
    if attempts.is_empty() {
        return match (phase, b.cancelled_at) {
            (Some(Phase::Abandoned), _) | (None, Some(_)) => "abandoned (never started)".into(),
            (Some(p), _) => phase_word(p).into(),
            (None, None) => "never started".into(),
        };
    }
    let mut row = String::new();
    for (k, a) in attempts.iter().enumerate() {
        if k > 0 {
            row.push(' ');
        }
        // An attempt stopped by a cancel or delete shows the cancel time, as the log tells it.
        let (end, what) = match (a.ended(), b.cancelled_at) {
            (Some((at, Outcome::Succeeded)), _) => (clock(at), "ok".to_string()),
            (Some((at, Outcome::Exited { code })), _) => (clock(at), format!("exit {code}")),
            (Some((at, Outcome::TimedOut)), _) => (clock(at), "timeout".to_string()),
            (None, Some(at)) => (clock(at), "cancelled".to_string()),
            (None, None) => ("…".to_string(), "running".to_string()),
        };
        let _ = write!(row, "[{} → {end} {what}]", clock(a.start));
    }
    let waiting = attempts.last().is_some_and(|a| a.ended().is_some_and(|(_, o)| o != Outcome::Succeeded));
    let failed_for_good = matches!(phase, Some(Phase::Failed)) || attempts.len() > b.max_retries.max(0) as usize;
    if waiting && !failed_for_good {
        match (b.cancelled_at, phase) {
            (Some(_), _) => row.push_str(" cancelled before its retry"),
            (None, Some(Phase::Running)) => row.push_str(" retrying"),
            _ => {}
        }
    }
    row
}

/// Every job, execution and task of a simulator, as one JSON document (pretty, keys sorted),
/// written straight from the typed list answers. Reads fire no timer (the world as the log left
/// it), and an empty list is `[]`: a list response omits empty `items` (R8), which is not "no list".
pub fn resources(sim: &Simulator) -> String {
    let list = |method: &str| Listed(sim.read_response(method, &json!({})));
    let doc = Resources {
        executions: list("executions.list"),
        jobs: list("jobs.list"),
        now: sim.now(),
        tasks: list("tasks.list"),
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// The document `replay` prints; fields in key order (the order its JSON has always had).
#[derive(Serialize)]
struct Resources {
    executions: Listed,
    jobs: Listed,
    now: String,
    tasks: Listed,
}

/// A list read: its page's items, or `{"error": <the Google error body>}` if it was refused.
struct Listed(Result<Response, jobsim_core::Error>);

impl Serialize for Listed {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match &self.0 {
            Ok(Response::Jobs(page)) => page.items.serialize(serializer),
            Ok(Response::Executions(page)) => page.items.serialize(serializer),
            Ok(Response::Tasks(page)) => page.items.serialize(serializer),
            // A list method answers a page; anything else would be no list.
            Ok(_) => serializer.collect_seq(std::iter::empty::<()>()),
            Err(e) => {
                let mut m = serializer.serialize_map(Some(1))?;
                m.serialize_entry("error", e)?;
                m.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn run(options: Value, steps: Value) -> String {
        let mut scenario = options;
        scenario["steps"] = steps;
        let parsed = Scenario::parse(&scenario.to_string());
        match parsed.and_then(|s| s.run().map(|r| render(&s, &r))) {
            Ok(out) => out,
            Err(e) => format!("error: {}", e.message),
        }
    }

    fn etl(task_count: u32) -> Value {
        json!({"call": "jobs.create", "body": {"metadata": {"name": "etl"}, "spec": {"template": {"spec": {
            "taskCount": task_count, "parallelism": 2, "template": {"spec": {
                "containers": [{"image": "img"}], "maxRetries": 1, "timeoutSeconds": "60"}}}}}}})
    }

    #[test]
    fn shows_each_attempt_with_start_end_and_outcome() {
        let faults = json!([
            {"job": "etl", "task": 1, "attempt": 0, "exitCode": 137},
            {"job": "etl", "task": 1, "attempt": 1, "hang": true},
        ]);
        let steps = json!([etl(3), {"call": "jobs.run", "name": "etl"}, {"runUntilIdle": true}]);
        let out = run(json!({"seed": 1, "faults": faults}), steps);
        assert!(out.contains("job etl · 3 tasks · parallelism 2 · maxRetries 1 · timeout 60s"), "{out}");
        assert!(out.contains("task 0  [00:00:02 → 00:00:12 ok]"), "{out}");
        assert!(out.contains("task 1  [00:00:02 → 00:00:12 exit 137] [00:00:13 → 00:01:13 timeout]"), "{out}");
        assert!(out.contains("task 2  [00:00:12 → 00:00:22 ok]"), "{out}");
        assert!(out.contains("running 0 · succeeded 2 · failed 1 · cancelled 0 · retried 1"), "{out}");
        assert!(out.contains("failed (timeout)"), "{out}");
        assert!(
            out.contains("exhausted maxRetries=1 (attempt 0 exited 137 at 00:00:12, attempt 1 timed out after 60s)"),
            "{out}"
        );
    }

    #[test]
    fn cancelled_attempts_and_abandoned_tasks_read_as_such() {
        let steps = json!([
            etl(3),
            {"call": "jobs.run", "name": "etl"},
            {"advance": "10s"},
            {"call": "executions.cancel", "latestOf": "etl"},
        ]);
        let out = run(json!({"seed": 1, "workloads": [{"job": "etl", "duration": "30s"}]}), steps.clone());
        assert!(out.contains("task 0  [00:00:02 → 00:00:10 cancelled]"), "{out}");
        assert!(out.contains("task 2  abandoned (never started)"), "{out}");
        assert!(out.contains("· cancelled\n"), "{out}");
        assert!(out.contains("was cancelled at 00:00:10: 2 running task(s) cancelled, 1 never started"), "{out}");
        // Deleted afterwards: the timeline still comes from the log.
        let mut steps = steps.as_array().cloned().unwrap_or_default();
        steps.push(json!({"call": "executions.delete", "latestOf": "etl"}));
        let out = run(json!({"seed": 1, "workloads": [{"job": "etl", "duration": "30s"}]}), Value::Array(steps));
        assert!(out.contains("started 00:00:02 · cancelled 00:00:10 · deleted 00:00:10\n"), "{out}");
        assert!(out.contains("task 1  [00:00:02 → 00:00:10 cancelled]"), "{out}");
        assert!(out.contains("task 2  abandoned (never started)"), "{out}");
    }

    #[test]
    fn large_executions_show_only_notable_tasks() {
        let faults = json!([{"job": "etl", "task": 70, "attempt": 0, "exitCode": 2}]);
        let steps = json!([etl(200), {"call": "jobs.run", "name": "etl"}, {"runUntilIdle": true}]);
        let out = run(json!({"seed": 1, "profile": "instant", "faults": faults}), steps);
        assert!(out.contains("task 70   [00:00:00 → 00:00:00 exit 2] [00:00:00 → 00:00:00 ok]"), "{out}");
        assert!(out.contains("… 199 more task(s) not shown: 199 succeeded at the first attempt"), "{out}");
        assert_eq!(out.lines().filter(|l| l.trim_start().starts_with("task ")).count(), 1, "{out}");
    }

    /// Item 13 of issue #9: `replay` printed `"executions": null` for a world without executions.
    #[test]
    fn resources_of_an_empty_world_are_empty_lists_not_null() {
        let sim = Simulator::new(&json!({})).unwrap();
        let doc: Value = serde_json::from_str(&resources(&sim)).unwrap();
        for key in ["jobs", "executions", "tasks"] {
            assert_eq!(doc[key], json!([]), "{key}");
        }
    }

    #[test]
    fn deleted_executions_are_one_line() {
        let steps = json!([
            etl(3),
            {"call": "jobs.run", "name": "etl"},
            {"call": "executions.delete", "latestOf": "etl"},
        ]);
        let out = run(json!({"seed": 1, "profile": "instant"}), steps);
        assert!(out.contains("created 00:00:00 · started 00:00:00 · completed 00:00:00 · deleted 00:00:00\n"), "{out}");
        assert!(out.contains("task 0  [00:00:00 → 00:00:00 ok]"), "{out}");
    }
}
