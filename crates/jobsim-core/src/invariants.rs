//! Engine invariants (issue #3): what must hold after every event, whatever the commands, the
//! workload, the faults or the clock moves were.
//!
//! - at most the effective parallelism of tasks run at once (R21, D9);
//! - no task attempts more than `maxRetries + 1` times (R22);
//! - the counters match the task phases and add up to at most `taskCount` (R26);
//! - timestamps never go back (events, and each execution's and task's own timeline);
//! - an execution is terminal only when every task is (R25, R28);
//! - `executionCount` equals the number of executions the job ever created (R19), and
//!   `latestCreatedExecution` tells the truth about the newest one;
//! - every timer the state points at is pending, and none is overdue.
//!
//! [`check`] walks the whole state (tests call it after every event of small scenarios).
//! [`check_event`] is the cheap, incremental form the simulator runs after every event in debug
//! builds: it looks only at what the event touched — one task for attempt events (O(1)), the
//! whole execution only for the few execution-level events (O(tasks) once per execution step).
//! Release and wasm builds never run either and never panic.

use crate::clock::{Timer, TimerKey};
use crate::event::{Envelope, Event};
use crate::settings::limits;
use crate::state::{Counters, ExecutionState, JobState, Phase, State, TaskState};
use crate::time::Micros;

/// Checks every invariant on the whole state; the first violation, described.
pub fn check(state: &State) -> Result<(), String> {
    check_timers(state)?;
    for (name, e) in &state.executions {
        if &e.execution.metadata.name != name {
            return Err(format!("execution stored as {name} is named {}", e.execution.metadata.name));
        }
        match state.job(&e.job) {
            Some(js) if js.executions.iter().any(|n| n == name) => {}
            Some(_) => return Err(format!("{name}: not listed among the executions of job {}", e.job)),
            None => return Err(format!("{name}: its job {} does not exist", e.job)),
        }
        check_execution(state, e)?;
    }
    for js in state.jobs.values() {
        check_job(state, js)?;
    }
    Ok(())
}

/// Checks what one event may have broken; `before` is the state's `now` before the event.
/// Cheap: O(1) for attempt events, O(tasks of that execution) for execution-level events.
pub fn check_event(before: Micros, state: &State, envelope: &Envelope) -> Result<(), String> {
    let at = |what: String| format!("after event {} ({}): {what}", envelope.sequence, envelope.event.type_name());
    if !matches!(envelope.event, Event::WorldStarted { .. }) && envelope.time < before {
        return Err(at(format!("time went back from {before} to {}", envelope.time)));
    }
    if state.now < envelope.time {
        return Err(at(format!("now {} is before the event's time {}", state.now, envelope.time)));
    }
    if let Some(((due, _), _)) = state.timers.first() {
        if *due < state.now {
            return Err(at(format!("a timer due at {due} is overdue (now {})", state.now)));
        }
    }
    let execution_of = |name: &str| state.execution(name);
    let job_of = |name: &str| state.job(name);
    match &envelope.event {
        Event::AttemptStarted { execution, task, .. } | Event::AttemptEnded { execution, task, .. } => {
            if let Some(e) = execution_of(execution) {
                let t = e.tasks.get(*task as usize).ok_or_else(|| at(format!("{execution}: no task {task}")))?;
                check_task(state, e, *task, t).map_err(at)?;
                check_counters_bounds(e).map_err(at)?;
            }
        }
        Event::ExecutionCreated { execution, .. } => {
            let name = &execution.metadata.name;
            let e = execution_of(name).ok_or_else(|| at(format!("{name} was not stored")))?;
            check_execution(state, e).map_err(at)?;
            if let Some(js) = job_of(&e.job) {
                check_job_summary(state, js).map_err(at)?;
            }
        }
        Event::ContainerReady { execution }
        | Event::ContainerMissing { execution, .. }
        | Event::ResourcesAvailable { execution }
        | Event::ExecutionStarted { execution }
        | Event::ExecutionCompleted { execution, .. }
        | Event::ExecutionCancelled { execution }
        | Event::ExecutionRetryNoted { execution } => {
            if let Some(e) = execution_of(execution) {
                check_execution(state, e).map_err(at)?;
                if let Some(js) = job_of(&e.job) {
                    check_job_summary(state, js).map_err(at)?;
                    // Retention can only be exceeded when the job holds more than the limit.
                    if js.executions.len() > limits::RETAINED_EXECUTIONS {
                        check_retention(state, js).map_err(at)?;
                    }
                }
            }
        }
        Event::ExecutionDeleted { execution } => {
            if execution_of(execution).is_some() {
                return Err(at(format!("{execution} is still there after its deletion")));
            }
        }
        Event::JobCreated { job } | Event::JobReplaced { job } => {
            if let Some(js) = job_of(&job.metadata.name) {
                check_job_summary(state, js).map_err(at)?;
            }
        }
        Event::JobReconcileStarted { name }
        | Event::JobReconciled { name, .. }
        | Event::JobDeletionStarted { name } => {
            if let Some(js) = job_of(name) {
                check_job_summary(state, js).map_err(at)?;
            }
        }
        Event::JobDeleted { name } => {
            if job_of(name).is_some() {
                return Err(at(format!("job {name} is still there after its deletion")));
            }
        }
        Event::WorldStarted { .. } | Event::ClockMoved {} => {}
    }
    Ok(())
}

/// Panics (debug builds only) when [`check_event`] finds a violation, naming it.
#[cfg(debug_assertions)]
#[track_caller]
pub fn debug_check_event(before: Micros, state: &State, envelope: &Envelope) {
    let result = check_event(before, state, envelope);
    debug_assert!(result.is_ok(), "jobsim invariant violated {}", result.err().unwrap_or_default());
}

fn check_timers(state: &State) -> Result<(), String> {
    if let Some(((due, _), _)) = state.timers.first() {
        if *due < state.now {
            return Err(format!("a timer due at {due} is overdue (now {})", state.now));
        }
    }
    Ok(())
}

fn pending_timer(state: &State, key: Option<TimerKey>) -> Result<Option<&Timer>, String> {
    match key {
        None => Ok(None),
        Some(k) => match state.timers.get(Some(k)) {
            Some(t) => Ok(Some(t)),
            None => Err(format!("points at timer {k:?}, which is not pending")),
        },
    }
}

/// A job: its executions listed oldest first and retained within the limit, plus
/// [`check_job_summary`] (R19, R31). O(executions of the job).
pub fn check_job(state: &State, js: &JobState) -> Result<(), String> {
    let name = &js.job.metadata.name;
    let mut last: Option<(Micros, u32)> = None;
    for n in &js.executions {
        let Some(e) = state.execution(n) else {
            return Err(format!("job {name}: lists execution {n}, which does not exist"));
        };
        if e.job != *name {
            return Err(format!("job {name}: lists execution {n} of job {}", e.job));
        }
        if last.is_some_and(|(created, ordinal)| (e.created, e.ordinal) <= (created, ordinal)) {
            return Err(format!("job {name}: executions are not listed oldest first at {n}"));
        }
        last = Some((e.created, e.ordinal));
    }
    check_retention(state, js)?;
    check_job_summary(state, js)
}

/// At most the retention limit of terminal executions per job (R31). O(executions of the job).
pub fn check_retention(state: &State, js: &JobState) -> Result<(), String> {
    let terminal = js.executions.iter().filter(|n| state.execution(n).is_some_and(|e| e.is_terminal())).count();
    if terminal > limits::RETAINED_EXECUTIONS {
        return Err(format!(
            "job {}: keeps {terminal} terminal executions, more than {}",
            js.job.metadata.name,
            limits::RETAINED_EXECUTIONS
        ));
    }
    Ok(())
}

/// Once its current token execution has ended, a job outside reconciliation is never
/// `Ready=Unknown` (D19). Holds after each step, not after each event (the `JobReconciled` a
/// token execution's end causes is the next event of the same step), and not for logs written
/// before D19, so it is not part of [`check`]: tests call it on settled states. O(1).
pub fn check_token_ready(state: &State, js: &JobState) -> Result<(), String> {
    let name = &js.job.metadata.name;
    let reconciling = state.timers.get(js.timer).is_some();
    let ready = js.job.status.as_ref().and_then(|s| s.conditions.iter().find(|c| c.type_ == "Ready"));
    let (Some(ready), false, false) = (ready, reconciling, js.deleting) else { return Ok(()) };
    let Some(token) = crate::names::current_token_execution(&js.job, name) else { return Ok(()) };
    let ended = match state.execution(&token) {
        Some(e) => e.is_terminal(),
        None => js.token_end.as_ref().is_some_and(|t| t.execution == token),
    };
    if ended && ready.status == "Unknown" {
        return Err(format!("job {name}: Ready=Unknown though its token execution {token} has ended (D19)"));
    }
    Ok(())
}

/// A job's `executionCount` and `latestCreatedExecution` (R19). O(1).
pub fn check_job_summary(state: &State, js: &JobState) -> Result<(), String> {
    let name = &js.job.metadata.name;
    pending_timer(state, js.timer).map_err(|v| format!("job {name}: {v}"))?;
    let status = js.job.status.as_ref();
    let count = status.map_or(0, |s| s.execution_count);
    if i64::from(count) != i64::from(js.execution_ordinal) {
        return Err(format!("job {name}: executionCount {count} but {} executions were created", js.execution_ordinal));
    }
    if js.executions.len() > js.execution_ordinal as usize {
        return Err(format!(
            "job {name}: holds {} executions but only {} were created",
            js.executions.len(),
            js.execution_ordinal
        ));
    }
    let latest = status.and_then(|s| s.latest_created_execution.as_ref());
    match (latest, js.execution_ordinal) {
        (None, 0) => {}
        (None, n) => return Err(format!("job {name}: {n} executions created but no latestCreatedExecution")),
        (Some(l), 0) => return Err(format!("job {name}: latestCreatedExecution {} but none created", l.name)),
        (Some(l), _) => {
            if let Some(e) = state.execution(&l.name) {
                if e.ordinal != js.execution_ordinal {
                    return Err(format!(
                        "job {name}: latestCreatedExecution {} has ordinal {}, the newest is {}",
                        l.name, e.ordinal, js.execution_ordinal
                    ));
                }
                let want = match (&e.completed, e.started) {
                    (Some(_), _) if e.cancelled => "EXECUTION_CANCELLED",
                    (Some(c), _) if c.status == "True" => "EXECUTION_SUCCEEDED",
                    (Some(_), _) => "EXECUTION_FAILED",
                    (None, Some(_)) => "EXECUTION_RUNNING",
                    (None, None) => "EXECUTION_PENDING",
                };
                if l.completion_status != want {
                    return Err(format!(
                        "job {name}: latestCreatedExecution {} says {} but the execution is {want}",
                        l.name, l.completion_status
                    ));
                }
                if e.is_terminal() == l.completion_timestamp.is_empty() {
                    return Err(format!(
                        "job {name}: latestCreatedExecution {} completionTimestamp {:?} disagrees with the execution",
                        l.name, l.completion_timestamp
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Counter bounds that need no walk over the tasks (R21, R26).
fn check_counters_bounds(e: &ExecutionState) -> Result<(), String> {
    let name = &e.execution.metadata.name;
    let c = &e.counters;
    let n = e.task_count();
    if c.running > e.parallelism {
        return Err(format!("{name}: {} tasks running, more than the parallelism {}", c.running, e.parallelism));
    }
    let sum = u64::from(c.running) + u64::from(c.succeeded) + u64::from(c.failed) + u64::from(c.cancelled);
    if sum > u64::from(n) {
        return Err(format!("{name}: counters {c:?} add up to {sum}, more than taskCount {n}"));
    }
    if c.retried > n {
        return Err(format!("{name}: retriedCount {} is more than taskCount {n}", c.retried));
    }
    Ok(())
}

/// One task against its execution: phase, attempts, timestamps, timer (R20–R23, R28).
pub fn check_task(state: &State, e: &ExecutionState, index: u32, t: &TaskState) -> Result<(), String> {
    task_violation(state, e, index, t).map_err(|v| format!("{}-task{index}: {v}", e.execution.metadata.name))
}

/// What is wrong with one task, if anything (allocates only to describe a violation).
fn task_violation(state: &State, e: &ExecutionState, index: u32, t: &TaskState) -> Result<(), String> {
    let name = &e.execution.metadata.name;
    if t.retried > e.max_retries || t.attempt > e.max_retries {
        return Err(format!(
            "attempt {} / retried {} beyond maxRetries {} (at most {} attempts)",
            t.attempt,
            t.retried,
            e.max_retries,
            e.max_retries.saturating_add(1)
        ));
    }
    if t.attempt != t.retried && t.attempt + 1 != t.retried {
        return Err(format!("attempt {} does not follow retried {}", t.attempt, t.retried));
    }
    if index < e.next_pending && t.phase == Phase::Pending {
        return Err(format!("Pending below nextPending {}", e.next_pending));
    }
    let timer = pending_timer(state, t.timer)?;
    match timer {
        None => {}
        Some(Timer::AttemptEnd { execution, task } | Timer::RetryAttempt { execution, task })
            if execution == name && *task == index => {}
        Some(other) => return Err(format!("owns a timer of someone else: {other:?}")),
    }
    let running_timer = matches!(timer, Some(Timer::AttemptEnd { .. }));
    match t.phase {
        Phase::Pending | Phase::Abandoned => {
            if t.start_time.is_some() || t.attempt_start.is_some() || t.retried > 0 || timer.is_some() {
                return Err(format!("{:?} but it has started or holds a timer", t.phase));
            }
            if t.phase == Phase::Pending && t.completion_time.is_some() {
                return Err("Pending with a completionTime".to_string());
            }
        }
        Phase::Running => {
            if t.start_time.is_none() || t.attempt_start.is_none() || t.completion_time.is_some() {
                return Err("Running without a start, or with a completionTime".to_string());
            }
            if timer.is_none() {
                return Err("Running with no attempt-end or retry timer".to_string());
            }
            if running_timer != t.pending_outcome.is_some() {
                return Err("an attempt runs iff its outcome is fixed".to_string());
            }
        }
        Phase::Succeeded | Phase::Failed | Phase::Cancelled => {
            if t.start_time.is_none() || t.completion_time.is_none() || timer.is_some() {
                return Err(format!("{:?} without start/completion, or with a timer", t.phase));
            }
            if t.pending_outcome.is_some() {
                return Err(format!("{:?} but an attempt outcome is still pending", t.phase));
            }
        }
    }
    match (t.phase, t.last_outcome) {
        (Phase::Succeeded, Some(o)) if o.is_success() => {}
        (Phase::Succeeded, o) => return Err(format!("Succeeded but its last attempt was {o:?}")),
        (Phase::Failed, Some(o)) if !o.is_success() && t.retried == e.max_retries => {}
        (Phase::Failed, o) => {
            return Err(format!("Failed with last attempt {o:?} after {} of {} retries", t.retried, e.max_retries))
        }
        _ => {}
    }
    // Each task's own timeline moves forward.
    let times = [e.started, t.start_time, t.attempt_start, t.completion_time];
    let mut prev: Option<Micros> = None;
    for at in times.into_iter().flatten() {
        if prev.is_some_and(|p| at < p) {
            return Err(format!("timestamps go back ({times:?})"));
        }
        prev = Some(at);
    }
    if prev.is_some_and(|p| p > state.now) {
        return Err(format!("a timestamp is in the future ({times:?}, now {})", state.now));
    }
    // Its version is its last write: not before any of its own timestamps (R7, D17).
    if t.version < e.created || prev.is_some_and(|p| t.version < p) {
        return Err(format!("version {} is before its own timeline ({times:?})", t.version));
    }
    if t.start_time.is_some() && e.started.is_none() {
        return Err("started before its execution did".to_string());
    }
    Ok(())
}

/// One whole execution: its tasks, counters recounted, conditions and timeline (R18–R28).
pub fn check_execution(state: &State, e: &ExecutionState) -> Result<(), String> {
    let name = &e.execution.metadata.name;
    let n = e.task_count();
    if n == 0 || n > limits::MAX_TASK_COUNT as u32 {
        return Err(format!("{name}: taskCount {n} out of range"));
    }
    if i64::from(n) != i64::from(e.execution.spec.task_count) {
        return Err(format!("{name}: {n} tasks but spec.taskCount {}", e.execution.spec.task_count));
    }
    if e.parallelism == 0 || e.parallelism > n || i64::from(e.parallelism) != i64::from(e.execution.spec.parallelism) {
        return Err(format!(
            "{name}: effective parallelism {} (spec {}) must be in 1..={n} (D9)",
            e.parallelism, e.execution.spec.parallelism
        ));
    }
    pending_timer(state, e.timer).map_err(|v| format!("{name}: {v}"))?;
    let mut counted = Counters::default();
    let mut first_failure = None;
    let mut first_pending = n;
    for (i, t) in e.tasks.iter().enumerate() {
        let i = i as u32;
        check_task(state, e, i, t)?;
        match t.phase {
            Phase::Pending => first_pending = first_pending.min(i),
            Phase::Running => counted.running += 1,
            Phase::Succeeded => counted.succeeded += 1,
            Phase::Failed => {
                counted.failed += 1;
                if first_failure.is_none() {
                    first_failure = t.last_outcome.map(|o| (i, o));
                }
            }
            Phase::Cancelled | Phase::Abandoned => counted.cancelled += 1,
        }
        counted.retried += u32::from(t.retried > 0);
    }
    if counted != e.counters {
        return Err(format!("{name}: counters {:?} but the tasks say {counted:?}", e.counters));
    }
    check_counters_bounds(e)?;
    if e.next_pending != first_pending {
        return Err(format!("{name}: nextPending {} but the first Pending task is {first_pending}", e.next_pending));
    }
    if e.first_failure != first_failure {
        return Err(format!("{name}: first failure {:?} but the tasks say {first_failure:?}", e.first_failure));
    }
    // Provisioning and completion move forward in time (R20, R25).
    let steps = [
        ("created", Some(e.created)),
        ("ContainerReady", e.container_ready),
        ("ResourcesAvailable", e.resources_available),
        ("Started", e.started),
        ("completionTime", e.completion_time),
        ("Retry", e.retry_noted),
    ];
    let mut prev: Option<(&str, Micros)> = None;
    for (what, at) in steps {
        let Some(at) = at else { continue };
        if let Some((p, before)) = prev {
            if at < before {
                return Err(format!("{name}: {what} at {at} is before {p} at {before}"));
            }
        }
        prev = Some((what, at));
    }
    // The version instant runs ahead of now by at most 1 µs per event at one instant (D17).
    if e.updated < prev.map_or(e.created, |p| p.1) || e.updated > state.now.saturating_add(state.version as Micros) {
        return Err(format!("{name}: last write {} outside its timeline (now {})", e.updated, state.now));
    }
    let cancelled_early = e.cancelled && e.started.is_none();
    if !cancelled_early {
        if e.resources_available.is_some() && e.container_ready.is_none() {
            return Err(format!("{name}: ResourcesAvailable before ContainerReady"));
        }
        if e.started.is_some() && e.resources_available.is_none() {
            return Err(format!("{name}: Started before ResourcesAvailable"));
        }
    }
    if e.started.is_none() && (counted.running + counted.succeeded + counted.failed) > 0 {
        return Err(format!("{name}: tasks ran before the execution started"));
    }
    match &e.completed {
        None => {
            if e.completion_time.is_some() || e.cancelled || e.retry_noted.is_some() {
                return Err(format!("{name}: not Completed but has a completionTime, a cancel or a Retry"));
            }
        }
        Some(c) => {
            if counted.terminal() != n {
                return Err(format!(
                    "{name}: terminal ({}={}) while {} of {n} tasks are not",
                    c.type_,
                    c.status,
                    n - counted.terminal()
                ));
            }
            if e.completion_time.is_none() || counted.running != 0 {
                return Err(format!("{name}: terminal without completionTime, or with running tasks"));
            }
            let want = if e.cancelled || e.container_missing.is_some() {
                "False"
            } else if counted.failed == 0 {
                "True"
            } else {
                "False"
            };
            if c.type_ != "Completed" || c.status != want {
                return Err(format!("{name}: final condition {}={} but expected Completed={want}", c.type_, c.status));
            }
            if e.container_missing.is_some() != (c.reason == "ContainerMissing") {
                return Err(format!("{name}: image missing but Completed reason {:?} (D18)", c.reason));
            }
            if e.cancelled != (c.reason == "Cancelled") {
                return Err(format!("{name}: cancelled={} but Completed reason {:?}", e.cancelled, c.reason));
            }
            if e.retry_noted.is_some() && c.status != "False" {
                return Err(format!("{name}: Retry condition on an execution that did not fail (D11)"));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Simulator;
    use serde_json::json;

    /// A finished 3-task execution and a running one, in the instant profile.
    fn sim() -> (Simulator, String, String) {
        let mut sim = Simulator::new(&json!({"seed": 1, "profile": "instant",
            "workloads": [{"job": "etl", "duration": "10s"}]}))
        .unwrap();
        let body = json!({"metadata": {"name": "etl"}, "spec": {"template": {"spec": {"taskCount": 3, "parallelism": 2,
            "template": {"spec": {"containers": [{"image": "img"}], "maxRetries": 1}}}}}});
        sim.call("jobs.create", &json!({ "body": body })).unwrap();
        let done = sim.call("jobs.run", &json!({"name": "etl"})).unwrap();
        sim.run_until_idle().unwrap();
        let running = sim.call("jobs.run", &json!({"name": "etl"})).unwrap();
        sim.advance(&json!("5s")).unwrap();
        let name = |v: &serde_json::Value| v["metadata"]["name"].as_str().unwrap().to_string();
        (sim.clone(), name(&done), name(&running))
    }

    fn violation(state: &State) -> String {
        check(state).expect_err("the tampered state must be refused")
    }

    #[test]
    fn a_simulated_state_keeps_every_invariant() {
        let (sim, _, _) = sim();
        assert_eq!(check(sim.state()), Ok(()));
    }

    #[test]
    fn tampered_states_are_refused_with_a_reason() {
        let (sim, done, running) = sim();
        let tamper = |execution: &str, f: &dyn Fn(&mut ExecutionState)| {
            let mut s = sim.state().clone();
            f(s.executions.get_mut(execution).unwrap());
            violation(&s)
        };
        // Counters that disagree with the tasks (R26).
        let v = tamper(&done, &|x| x.counters.succeeded -= 1);
        assert!(v.contains("counters"), "{v}");
        // More running than the parallelism (R21).
        let v = tamper(&running, &|x| x.parallelism = 1);
        assert!(v.contains("parallelism"), "{v}");
        // An attempt beyond maxRetries + 1 (R22).
        let v = tamper(&done, &|x| {
            x.tasks[0].attempt = 2;
            x.tasks[0].retried = 2;
        });
        assert!(v.contains("beyond maxRetries"), "{v}");
        // Terminal while a task is not (R25).
        let v = tamper(&running, &|x| {
            x.completed = Some(crate::conditions::completed_condition("x", None));
            x.completion_time = Some(x.updated);
        });
        assert!(v.contains("terminal"), "{v}");
        // A timeline that goes back.
        let v = tamper(&done, &|x| x.started = Some(x.created - 1));
        assert!(v.contains("before"), "{v}");
        // executionCount that is not the number created (R19).
        let mut s = sim.state().clone();
        s.jobs.get_mut("etl").unwrap().job.status.as_mut().unwrap().execution_count = 5;
        let v = violation(&s);
        assert!(v.contains("executionCount"), "{v}");
    }

    #[test]
    fn an_event_earlier_than_now_is_refused() {
        let (sim, _, _) = sim();
        let mut envelope = sim.envelopes(1).last().unwrap().clone();
        let state = sim.state();
        envelope.time = state.now - 1;
        let v = check_event(state.now, state, &envelope).unwrap_err();
        assert!(v.contains("time went back"), "{v}");
    }
}
