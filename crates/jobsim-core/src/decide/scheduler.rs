//! The data plane on virtual time: what happens when a timer fires (R12, R18–R27, R31, D11).
//!
//! Each timer firing decides one step: reconcile a job, provision an execution, start tasks in
//! index order up to the effective parallelism, end an attempt (retry or finish the task), and
//! complete the execution when every task is terminal. An attempt's outcome is fixed when it
//! starts: an exact fault wins, else the job's workload draws from the seed.

use crate::clock::Timer;
use crate::command::Context;
use crate::conditions::{completed_condition, condition, ready_after_end, ready_true};
use crate::event::{AttemptEnv, Event, Outcome, TokenKind};
use crate::names::current_token_execution;
use crate::random;
use crate::resources::{Condition, Job};
use crate::settings::World;
use crate::state::{phase_after, AttemptShared, ExecutionState, Phase, State};
use crate::time::Micros;

/// Events caused by a due timer. Every timer yields at least one event, so the timer queue
/// in a replayed log matches the live one.
pub fn fire(state: &State, timer: &Timer, ctx: &Context) -> Vec<Event> {
    let mut events = Vec::new();
    fire_into(state, timer, ctx, &mut events);
    events
}

/// [`fire`], appending to `events`: the simulator fires timers into one buffer, so a firing
/// allocates no `Vec` of its own (BENCHMARKS.md, "Issue 10 — engine speed, third pass").
pub fn fire_into(state: &State, timer: &Timer, ctx: &Context, events: &mut Vec<Event>) {
    match timer {
        Timer::JobReconcileStart { job } => events.push(Event::JobReconcileStarted { name: job.clone() }),
        Timer::JobReconcile { job } => {
            events.push(Event::JobReconciled { name: job.clone(), ready: Box::new(ready_condition(state, job)) })
        }
        Timer::JobDeletion { job } => events.push(Event::JobDeleted { name: job.clone() }),
        Timer::ContainerReady { execution } => events.extend(container_ready(state, execution)),
        Timer::ResourcesAvailable { execution } => {
            events.push(Event::ResourcesAvailable { execution: execution.clone() })
        }
        Timer::StartTasks { execution } => events.extend(start_tasks(state, execution, ctx)),
        Timer::AttemptEnd { execution, task } => end_attempt(state, execution, *task, ctx, events),
        Timer::RetryAttempt { execution, task } => {
            if let Some(e) = state.execution(execution) {
                let attempt = e.tasks.get(*task as usize).map_or(0, |t| t.attempt + 1);
                events.push(attempt_started(state, e, *task, attempt, ctx.now));
            }
        }
        Timer::RetryCondition { execution } => events.push(Event::ExecutionRetryNoted { execution: execution.clone() }),
    }
}

/// The image of `containers` that the world says is missing (R12, D18), if any.
fn missing_image<'c>(state: &State, containers: &'c [crate::resources::Container]) -> Option<&'c str> {
    let missing = &state.world.settings.missing_images;
    containers.iter().find(|c| missing.contains(&c.image)).map(|c| c.image.as_str())
}

/// The containers of a job's task template.
fn job_containers(job: &Job) -> &[crate::resources::Container] {
    job.spec
        .template
        .as_ref()
        .and_then(|t| t.spec.template.as_ref())
        .map(|t| t.spec.containers.as_slice())
        .unwrap_or_default()
}

/// The job's message for a missing image (R12).
fn missing_message(image: &str) -> String {
    format!("Image '{image}' not found.")
}

/// `ContainerReady=True`, or — when the execution's image is missing (D18) — the execution
/// fails there: no task starts, `Completed=False ContainerMissing`, and a token execution
/// decides its job's `Ready` like any other ending (D19).
fn container_ready(state: &State, name: &str) -> Vec<Event> {
    let Some(e) = state.execution(name) else { return Vec::new() };
    let containers = e.execution.spec.template.as_ref().map(|t| t.spec.containers.as_slice()).unwrap_or_default();
    let Some(image) = missing_image(state, containers) else {
        return vec![Event::ContainerReady { execution: name.to_string() }];
    };
    let message = missing_message(image);
    let completed = condition("Completed", "False", "ContainerMissing", &message);
    let mut events = retention(state, &e.job, name);
    let ready = token_readiness_after_end(state, e, Some(&completed));
    events.push(Event::ContainerMissing { execution: name.to_string(), message });
    events.extend(ready);
    events
}

/// The job's `Ready` after reconciliation (R12, R15): missing image, token progress, or True.
fn ready_condition(state: &State, job: &str) -> Condition {
    let Some(j) = state.job(job) else { return condition("Ready", "Unknown", "", "") };
    if let Some(image) = missing_image(state, job_containers(&j.job)) {
        return condition("Ready", "False", "ContainerMissing", &missing_message(image));
    }
    let spec = &j.job.spec;
    let kind = if spec.start_execution_token.is_empty() { TokenKind::Run } else { TokenKind::Start };
    if let Some(name) = current_token_execution(&j.job, job) {
        let decided = match state.execution(&name).filter(|e| e.job == job) {
            Some(e) => token_ready(e, kind),
            // Deleted after it ended (D10 cancels first): what its end decided (D19).
            None => j.token_end.as_ref().filter(|t| t.execution == name).map(|t| t.ready.clone()),
        };
        return decided.unwrap_or_else(|| condition("Ready", "Unknown", "", ""));
    }
    ready_true()
}

/// `Ready` as a token execution decides it, once it has (R15, D7).
fn token_ready(e: &ExecutionState, kind: TokenKind) -> Option<Condition> {
    match &e.completed {
        Some(c) => Some(ready_after_end(&e.execution.metadata.name, Some(c))),
        None if e.cancelled => Some(ready_after_end(&e.execution.metadata.name, None)),
        None if kind == TokenKind::Start && e.started.is_some() => Some(ready_true()),
        None => None,
    }
}

/// Whether the job's reconciliation is under way: then its `JobReconcile` step decides `Ready`
/// (image check first, then the token execution), and a token execution must not decide it
/// meanwhile — that would drop a `ContainerMissing` of the spec being reconciled (R12, R15).
fn reconciling(state: &State, job: &str) -> bool {
    let timer = state.job(job).and_then(|j| state.timers.get(j.timer));
    matches!(timer, Some(Timer::JobReconcileStart { .. } | Timer::JobReconcile { .. }))
}

/// The `JobReconciled` a token execution causes when it decides `ready` (R15, D7, D19): only
/// for the job's current token, not during reconciliation (which decides it then), never over
/// a missing image (only a replace fixing the image lifts `ContainerMissing`, D18), and only
/// when `Ready` changes.
fn token_decides(state: &State, e: &ExecutionState, ready: Condition) -> Option<Event> {
    e.token?;
    if reconciling(state, &e.job) {
        return None;
    }
    let job = state.job(&e.job)?;
    if current_token_execution(&job.job, &e.job).as_deref() != Some(e.execution.metadata.name.as_str()) {
        return None;
    }
    if missing_image(state, job_containers(&job.job)).is_some() {
        return None;
    }
    let already = job.job.status.as_ref().and_then(|s| s.conditions.iter().find(|c| c.type_ == "Ready"));
    if already.is_some_and(|r| r.status == ready.status && r.reason == ready.reason && r.message == ready.message) {
        return None;
    }
    Some(Event::JobReconciled { name: e.job.clone(), ready: Box::new(ready) })
}

/// `Ready` changes caused by a token execution reaching its end (`completed`, or a cancel).
pub fn token_readiness_after_end(state: &State, e: &ExecutionState, completed: Option<&Condition>) -> Option<Event> {
    token_decides(state, e, ready_after_end(&e.execution.metadata.name, completed))
}

/// `Started`, then the first attempts in index order up to the effective parallelism (R20, R21).
fn start_tasks(state: &State, name: &str, ctx: &Context) -> Vec<Event> {
    let Some(e) = state.execution(name) else { return Vec::new() };
    let mut events = vec![Event::ExecutionStarted { execution: name.to_string() }];
    if e.token == Some(TokenKind::Start) {
        // The job's current start token made this execution: the job is Ready now (R15).
        events.extend(token_decides(state, e, ready_true()));
    }
    let slots = e.parallelism.saturating_sub(e.counters.running);
    let first = e.next_pending;
    let last = (first + slots).min(e.task_count());
    for task in first..last {
        events.push(attempt_started(state, e, task, 0, ctx.now));
    }
    events
}

/// Ends the running attempt of a task; starts the next pending task or completes the execution.
fn end_attempt(state: &State, name: &str, task: u32, ctx: &Context, events: &mut Vec<Event>) {
    let Some(e) = state.execution(name) else { return };
    let Some(t) = e.tasks.get(task as usize) else { return };
    let outcome = t.pending_outcome.unwrap_or(Outcome::Succeeded);
    events.push(Event::AttemptEnded { execution: name.to_string(), task, attempt: t.attempt, outcome });
    if phase_after(outcome, t.retried, e.max_retries) == Phase::Running {
        return; // a retry follows (R22)
    }
    // The task is terminal: its slot frees up for the next pending task (R21, R24).
    if e.next_pending < e.task_count() {
        events.push(attempt_started(state, e, e.next_pending, 0, ctx.now));
        return;
    }
    let c = &e.counters;
    let terminal_after = c.terminal() + 1;
    if terminal_after < e.task_count() {
        return;
    }
    let first_failure = match (outcome.is_success(), e.first_failure) {
        (true, f) => f,
        (false, Some((i, o))) if i < task => Some((i, o)),
        (false, _) => Some((task, outcome)),
    };
    let completed = completed_condition(name, first_failure);
    // Retention first (R31), so the job never holds more than the limit, even between events.
    events.extend(retention(state, &e.job, name));
    let ready = token_readiness_after_end(state, e, Some(&completed));
    events.push(Event::ExecutionCompleted { execution: name.to_string(), completed: Box::new(completed) });
    events.extend(ready);
}

/// Deletes the oldest terminal executions beyond the retention limit (R31) when `completing`
/// becomes terminal (completion or cancel). These events come before `completing`'s own, so the
/// limit holds after every event; `completing` itself is kept (it is the one just finished, and
/// a cancel answers with it), so when it is the oldest the next oldest goes instead.
pub fn retention(state: &State, job: &str, completing: &str) -> Vec<Event> {
    let Some(j) = state.job(job) else { return Vec::new() };
    if j.executions.len() <= crate::settings::limits::RETAINED_EXECUTIONS {
        return Vec::new(); // nothing to count: the job holds no more than the limit at all
    }
    let others: Vec<&String> = j
        .executions
        .iter()
        .filter(|n| n.as_str() != completing && state.execution(n).is_some_and(|e| e.is_terminal()))
        .collect();
    let excess = (others.len() + 1).saturating_sub(crate::settings::limits::RETAINED_EXECUTIONS);
    others.into_iter().take(excess).map(|n| Event::ExecutionDeleted { execution: n.clone() }).collect()
}

/// An attempt starting now, with its outcome and end fixed (fault, else seeded workload draw).
fn attempt_started(state: &State, e: &ExecutionState, task: u32, attempt: u32, now: Micros) -> Event {
    let (duration, outcome) = draw_attempt(&state.world, e, task, attempt);
    let (ends_at, outcome) = if duration >= e.timeout || outcome == Outcome::TimedOut {
        (now.saturating_add(e.timeout), Outcome::TimedOut)
    } else {
        (now.saturating_add(duration), outcome)
    };
    let name = &e.execution.metadata.name;
    let env = match e.shared.0.as_ref().and_then(|s| s.names.as_ref()) {
        Some(names) => AttemptEnv::shared(names, attempt, e.task_count(), task),
        None => AttemptEnv::standard(name, &e.job, attempt, e.task_count(), task),
    };
    Event::AttemptStarted { execution: name.clone(), task, attempt, ends_at, outcome, env }
}

/// The stream of an attempt's jitter draw (hashed at compile time).
const ATTEMPT_JITTER: random::Stream = random::Stream::named("attempt-jitter");
/// The stream of an attempt's failure draw (hashed at compile time).
const ATTEMPT_FAILURE: random::Stream = random::Stream::named("attempt-failure");

/// The draws of every attempt of the execution `ordinal` of `job` up to their task and attempt
/// keys, kept by the execution ([`AttemptShared`]); its names are left for the caller.
pub fn attempt_draws(seed: u64, job: &str, ordinal: u32) -> AttemptShared {
    let job_key = random::draw(seed, job, &[]);
    let start = |stream| random::Partial::start(seed, stream).key(job_key).key(u64::from(ordinal));
    AttemptShared { names: None, jitter: start(ATTEMPT_JITTER), failure: start(ATTEMPT_FAILURE) }
}

/// Duration and outcome of one attempt. Each draw has its own named stream keyed by
/// (job, execution ordinal, task, attempt), so draws never shift one another.
pub fn draw_attempt(world: &World, e: &ExecutionState, task: u32, attempt: u32) -> (Micros, Outcome) {
    let derived;
    let shared = match &e.shared.0 {
        Some(shared) => shared,
        None => {
            derived = attempt_draws(world.seed, &e.job, e.ordinal);
            &derived
        }
    };
    let draw = |partial: random::Partial| partial.key(u64::from(task)).key(u64::from(attempt)).unit();
    let workload = world.workload(&e.job);
    let fault = world.fault(&e.job, e.ordinal, task, attempt);
    let base = fault
        .and_then(|f| f.duration)
        .or_else(|| workload.and_then(|w| w.duration))
        .unwrap_or(world.profile.attempt_duration);
    let jitter = match workload {
        Some(w) if w.jitter > 0 && fault.and_then(|f| f.duration).is_none() => {
            let u = draw(shared.jitter);
            ((u * 2.0 - 1.0) * w.jitter as f64) as Micros
        }
        _ => 0,
    };
    let duration = base.saturating_add(jitter).max(0);
    let outcome = match fault {
        Some(f) if f.hang => Outcome::TimedOut,
        Some(f) if f.exit_code.is_some() => match f.exit_code {
            Some(0) | None => Outcome::Succeeded,
            Some(code) => Outcome::Exited { code },
        },
        _ => match workload {
            Some(w) if w.failure_rate > 0.0 && draw(shared.failure) < w.failure_rate => {
                Outcome::Exited { code: if w.exit_code == 0 { 1 } else { w.exit_code } }
            }
            _ => Outcome::Succeeded,
        },
    };
    (duration, outcome)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::AttemptCache;
    use crate::Simulator;
    use serde_json::json;

    /// Issue 10, fifth pass: an execution read from a snapshot has no [`AttemptCache`]; its
    /// attempts draw (jitter, failure) and name (`CLOUD_RUN_*`) exactly what the live
    /// execution's do, so a simulator continued from a snapshot writes the same events.
    #[test]
    fn attempts_without_the_cache_draw_and_name_the_same() {
        let mut sim = Simulator::new(&json!({"seed": 7, "profile": "instant",
            "workloads": [{"job": "j", "duration": "30s", "jitter": "5s", "failureRate": 0.4, "exitCode": 3}]}))
        .unwrap();
        let job = json!({"metadata": {"name": "j"}, "spec": {"template": {"spec": {"taskCount": 20,
            "template": {"spec": {"containers": [{"image": "us-docker.pkg.dev/demo/j:1"}]}}}}}});
        sim.call("jobs.create", &json!({"body": job})).unwrap();
        sim.run_until_idle().unwrap();
        sim.call("jobs.run", &json!({"name": "j"})).unwrap();
        let state = sim.state();
        let live = state.executions.values().next().unwrap();
        assert!(live.shared.0.as_ref().is_some_and(|s| s.names.is_some()));
        let mut read = live.clone();
        read.shared = AttemptCache(None);
        let (mut failed, mut lengths) = (0, std::collections::BTreeSet::new());
        for task in 0..20 {
            for attempt in 0..4 {
                let drawn = draw_attempt(&state.world, live, task, attempt);
                assert_eq!(drawn, draw_attempt(&state.world, &read, task, attempt), "task {task} attempt {attempt}");
                failed += usize::from(drawn.1 != Outcome::Succeeded);
                lengths.insert(drawn.0);
                let event = attempt_started(state, live, task, attempt, 0);
                assert_eq!(event, attempt_started(state, &read, task, attempt, 0));
                assert_eq!(
                    serde_json::to_value(&event).unwrap(),
                    serde_json::to_value(attempt_started(state, &read, task, attempt, 0)).unwrap()
                );
            }
        }
        // The draws were exercised: some attempts fail, durations vary.
        assert!(failed > 0 && failed < 80 && lengths.len() > 40, "{failed} failed, {} lengths", lengths.len());
    }
}
