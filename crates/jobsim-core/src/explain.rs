//! Explanations: why an execution ended as it did, in one sentence built from its events, e.g.
//! `etl-x7k2p failed: task 3 exhausted maxRetries=1 (attempt 0 exited 137 at 00:00:42,
//! attempt 1 timed out after 600s); 9 of 10 tasks succeeded`.

use crate::event::{Envelope, Event, Outcome};
use crate::state::{ExecutionState, Phase, State};
use crate::time::{format_clock, format_duration_short, Micros};
use std::collections::BTreeMap;

/// One attempt as the log tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptRecord {
    /// 0-based attempt.
    pub attempt: u32,
    /// Start time.
    pub start: Micros,
    /// End time and outcome, once ended.
    pub end: Option<(Micros, Outcome)>,
}

/// Attempts per task of one execution, from the event log.
pub fn attempts(envelopes: &[Envelope], execution: &str) -> BTreeMap<u32, Vec<AttemptRecord>> {
    let mut out: BTreeMap<u32, Vec<AttemptRecord>> = BTreeMap::new();
    for env in envelopes {
        match &env.event {
            // A name can be used again (a token after its job was deleted and re-created):
            // only the attempts of the latest execution of that name count.
            Event::ExecutionCreated { execution: e, .. } if e.metadata.name == execution => out.clear(),
            Event::AttemptStarted { execution: e, task, attempt, .. } if e == execution => {
                out.entry(*task).or_default().push(AttemptRecord { attempt: *attempt, start: env.time, end: None });
            }
            Event::AttemptEnded { execution: e, task, attempt, outcome } if e == execution => {
                if let Some(a) = out.get_mut(task).and_then(|v| v.iter_mut().rev().find(|a| a.attempt == *attempt)) {
                    a.end = Some((env.time, *outcome));
                }
            }
            _ => {}
        }
    }
    out
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
pub fn describe_attempt(a: &AttemptRecord, start: Micros) -> String {
    match a.end {
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

/// The explanation of one execution.
pub fn execution(state: &State, e: &ExecutionState, envelopes: &[Envelope]) -> String {
    execution_from(state, e, &attempts(envelopes, &e.execution.metadata.name))
}

/// The explanation of one execution, given its attempts per task (from [`attempts`], or
/// collected in one pass over the log for many executions, as the CLI's timeline does).
pub fn execution_from(state: &State, e: &ExecutionState, history: &BTreeMap<u32, Vec<AttemptRecord>>) -> String {
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
