//! Explanations: why an execution ended as it did, in one sentence built from its events, e.g.
//! `etl-x7k2p failed: task 3 exhausted maxRetries=1 (attempt 0 exited 137 at 00:00:42,
//! attempt 1 timed out after 600s); 9 of 10 tasks succeeded`.

use crate::event::{Envelope, Outcome};
use crate::state::{ExecutionState, Phase, State};
use crate::time::{format_clock, format_duration_short, Micros};
use crate::view::cost::{self, Cost};
use crate::view::timeline::{Attempt, Timeline};
use std::collections::BTreeMap;

/// Attempts per task of the live execution named `execution`, from the event log (through the
/// one fold of the log into attempts, [`Timeline`]).
pub fn attempts(envelopes: &[Envelope], execution: &str) -> BTreeMap<u32, Vec<Attempt>> {
    Timeline::of_execution(envelopes, execution).execution(execution).map(|x| x.tasks.clone()).unwrap_or_default()
}

/// A timeout in whole seconds when it is one (`600s`, as `timeoutSeconds` says), else Go style.
fn timeout_text(d: Micros) -> String {
    if d % 1_000_000 == 0 {
        format!("{}s", d / 1_000_000)
    } else {
        format_duration_short(d)
    }
}

/// How one attempt went, e.g. `attempt 0 exited 137 at 00:00:42`.
/// An attempt stopped by a cancel reads as running since its start, as it was when stopped.
pub fn describe_attempt(a: &Attempt, start: Micros) -> String {
    match a.ended() {
        Some((at, Outcome::Succeeded)) => format!("attempt {} succeeded at {}", a.attempt, format_clock(at, start)),
        Some((at, Outcome::Exited { code })) => {
            format!("attempt {} exited {code} at {}", a.attempt, format_clock(at, start))
        }
        Some((at, Outcome::TimedOut)) => {
            format!("attempt {} timed out after {}", a.attempt, timeout_text(at - a.start))
        }
        None => format!("attempt {} running since {}", a.attempt, format_clock(a.start, start)),
    }
}

/// The live executions of a state in creation order (ties by name), each with its explanation
/// and what it cost (issue #12), from one [`Timeline`] of the log.
pub fn all(state: &State, envelopes: &[Envelope]) -> Vec<(String, Cost)> {
    let mut execs: Vec<_> = state.executions.values().collect();
    execs.sort_by(|a, b| (a.created, &a.execution.metadata.name).cmp(&(b.created, &b.execution.metadata.name)));
    let timeline = Timeline::of(envelopes);
    execs
        .into_iter()
        .map(|e| {
            let cost = timeline.execution(&e.execution.metadata.name).map(|x| cost::execution(state, x));
            (execution_in(state, e, &timeline), cost.unwrap_or_default())
        })
        .collect()
}

/// The cost line printed under an explanation: `  cost $0.000540 (30.0 vCPU-s, 15.0 GiB-s)`.
pub fn cost_line(cost: &Cost) -> String {
    format!("  cost {}", cost.text())
}

/// The explanation of one execution.
pub fn execution(state: &State, e: &ExecutionState, envelopes: &[Envelope]) -> String {
    execution_in(state, e, &Timeline::of_execution(envelopes, &e.execution.metadata.name))
}

/// The explanation of one execution, its attempts taken from a timeline of the log (fold once
/// and explain many).
pub fn execution_in(state: &State, e: &ExecutionState, timeline: &Timeline) -> String {
    let empty = BTreeMap::new();
    let history = timeline.execution(&e.execution.metadata.name).map_or(&empty, |x| &x.tasks);
    execution_from(state, e, history)
}

/// The explanation of one execution, given its attempts per task (from [`attempts`], or from
/// one [`Timeline`] of the log for many executions, as the CLI's timeline does).
pub fn execution_from(state: &State, e: &ExecutionState, history: &BTreeMap<u32, Vec<Attempt>>) -> String {
    let name = &e.execution.metadata.name;
    let start = state.world.start;
    let n = e.task_count();
    let c = &e.counters;
    let succeeded = format!("{} of {n} tasks succeeded", c.succeeded);
    if e.cancelled {
        let at = e.completion_time.map(|t| format_clock(t, start)).unwrap_or_default();
        let abandoned = e.tasks.iter().filter(|t| t.phase == Phase::Abandoned).count();
        let cancelled = e.tasks.iter().filter(|t| t.phase == Phase::Cancelled).count();
        let failed = if c.failed > 0 { format!(", {} failed", c.failed) } else { String::new() };
        return format!(
            "{name} was cancelled at {at}: {cancelled} running task(s) cancelled, {abandoned} never started; {succeeded}{failed}"
        );
    }
    if let Some(message) = &e.container_missing {
        let at = e.completion_time.map(|t| format_clock(t, start)).unwrap_or_default();
        return format!(
            "{name} failed at {at} before any task started: {message} (ContainerMissing); {n} task(s) never started"
        );
    }
    match &e.completed {
        Some(done) if done.status == "True" => {
            let took = e.completion_time.unwrap_or(e.created) - e.created;
            let retried = if c.retried > 0 { format!(" ({} after retries)", c.retried) } else { String::new() };
            format!("{name} succeeded: all {n} tasks succeeded{retried} in {}", format_duration_short(took))
        }
        Some(_) => {
            let failed: Vec<u32> =
                e.tasks.iter().enumerate().filter(|(_, t)| t.phase == Phase::Failed).map(|(i, _)| i as u32).collect();
            let first = failed.first().copied().unwrap_or(0);
            let tries = history
                .get(&first)
                .map(|v| v.iter().map(|a| describe_attempt(a, start)).collect::<Vec<_>>().join(", "))
                .unwrap_or_default();
            let others = if failed.len() > 1 {
                let list: Vec<String> = failed.iter().skip(1).take(10).map(u32::to_string).collect();
                let more = if failed.len() > 11 { format!(" and {} more", failed.len() - 11) } else { String::new() };
                format!("; {} other task(s) failed too: {}{more}", failed.len() - 1, list.join(", "))
            } else {
                String::new()
            };
            format!("{name} failed: task {first} exhausted maxRetries={} ({tries}); {succeeded}{others}", e.max_retries)
        }
        None if e.started.is_none() => {
            let why = if e.delayed && e.container_ready.is_none() {
                "its start is delayed (delayExecution)"
            } else {
                "it is provisioning"
            };
            format!("{name} has not started: {why}; {n} task(s) pending")
        }
        None => {
            let pending = e.tasks.iter().filter(|t| t.phase == Phase::Pending).count();
            format!(
                "{name} is running: {} running, {pending} pending, {succeeded}, {} failed so far",
                c.running, c.failed
            )
        }
    }
}
