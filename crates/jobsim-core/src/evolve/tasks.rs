//! The attempt events of the `executions/{name}` stream: each writes one task (its phase,
//! attempt, outcome and timer) and the execution's counters (R20–R26). The hot path of a
//! big execution: nothing here allocates (a new attempt's or retry's timer takes the name buffer
//! of a removed one, `Timers::name`).

use super::writes::touch;
use crate::clock::Timer;
use crate::event::Outcome;
use crate::state::{phase_after, Phase, State, TaskState};
use crate::time::{next_write, Micros};

/// `AttemptStarted`: the task runs (its first attempt makes it `Running`) until `ends_at`.
pub(super) fn attempt_started(
    state: &mut State,
    execution: &str,
    task: u32,
    attempt: u32,
    ends_at: Micros,
    outcome: Outcome,
    now: Micros,
) {
    let Some(e) = state.executions.get_mut(execution) else { return };
    let Some(t) = e.tasks.get_mut(task as usize) else { return };
    if t.phase == Phase::Pending {
        t.phase = Phase::Running;
        t.start_time = Some(now);
        e.counters.running += 1;
    }
    t.attempt = attempt;
    t.attempt_start = Some(now);
    t.version = next_write(t.version, now);
    t.pending_outcome = Some(outcome);
    state.timers.cancel(t.timer);
    let execution = state.timers.name(execution);
    t.timer = Some(state.timers.schedule(ends_at.max(now), Timer::AttemptEnd { execution, task }));
    if task == e.next_pending {
        e.next_pending = next_pending_from(&e.tasks, task + 1);
    }
    touch(e, now);
}

/// `AttemptEnded`: a retry is scheduled (R22), or the task ends `Succeeded` or `Failed`.
pub(super) fn attempt_ended(state: &mut State, execution: &str, task: u32, outcome: Outcome, now: Micros) {
    let retry_delay = state.world.profile.retry_delay;
    let Some(e) = state.executions.get_mut(execution) else { return };
    let max_retries = e.max_retries;
    let Some(t) = e.tasks.get_mut(task as usize) else { return };
    state.timers.cancel(t.timer.take());
    t.version = next_write(t.version, now);
    t.last_outcome = Some(outcome);
    t.pending_outcome = None;
    match phase_after(outcome, t.retried, max_retries) {
        Phase::Running => {
            t.retried += 1;
            if t.retried == 1 {
                e.counters.retried += 1;
            }
            let execution = state.timers.name(execution);
            t.timer = Some(state.timers.schedule(now + retry_delay, Timer::RetryAttempt { execution, task }));
        }
        phase => {
            t.phase = phase;
            t.completion_time = Some(now);
            e.counters.running = e.counters.running.saturating_sub(1);
            if phase == Phase::Succeeded {
                e.counters.succeeded += 1;
            } else {
                e.counters.failed += 1;
                if e.first_failure.is_none_or(|(i, _)| task < i) {
                    e.first_failure = Some((task, outcome));
                }
            }
        }
    }
    touch(e, now);
}

/// The lowest index from `from` on whose task is still `Pending` (the task count when none is).
fn next_pending_from(tasks: &[TaskState], from: u32) -> u32 {
    let mut i = from as usize;
    while i < tasks.len() && tasks[i].phase != Phase::Pending {
        i += 1;
    }
    i as u32
}
