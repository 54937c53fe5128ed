//! Bookkeeping shared by the streams' folds: a write's `resourceVersion` (D17), conditions,
//! timer slots, the provisioning clock, and removing an execution with its timers.

use crate::clock::{Timer, TimerKey, Timers};
use crate::resources::Condition;
use crate::state::{ExecutionState, JobState, State};
use crate::time::{format_timestamp, next_write, parse_resource_version, resource_version, Micros};

/// Sets (or replaces) a condition of that type; `lastTransitionTime` moves only when the
/// status changes.
pub(super) fn set_condition(conditions: &mut Vec<Condition>, mut c: Condition, now: Micros) {
    match conditions.iter_mut().find(|x| x.type_ == c.type_) {
        Some(old) => {
            c.last_transition_time =
                if old.status == c.status { old.last_transition_time.clone() } else { format_timestamp(now) };
            *old = c;
        }
        None => {
            c.last_transition_time = format_timestamp(now);
            conditions.push(c);
        }
    }
}

/// When provisioning starts: creation, or creation + the delayed-start time (D13).
pub(super) fn provisioning_base(e: &ExecutionState, delayed_start: Micros) -> Micros {
    if e.delayed {
        e.created + delayed_start
    } else {
        e.created
    }
}

/// Replaces the timer in `slot` by a new one.
pub(super) fn reschedule(timers: &mut Timers, slot: &mut Option<TimerKey>, due: Micros, timer: Timer) {
    timers.cancel(slot.take());
    *slot = Some(timers.schedule(due, timer));
}

/// Records a write of the execution at `now` (R7, D17).
pub(super) fn touch(e: &mut ExecutionState, now: Micros) {
    e.updated = next_write(e.updated, now);
}

/// Records a write of the job's status at `now`: its `resourceVersion` moves to the next
/// instant after the current one (D17).
pub(super) fn bump_job(js: &mut JobState, now: Micros) {
    let last = parse_resource_version(&js.job.metadata.resource_version).unwrap_or(Micros::MIN);
    js.job.metadata.resource_version = resource_version(next_write(last, now));
}

/// Removes an execution and every timer it or its tasks hold.
pub(super) fn remove_execution(state: &mut State, name: &str) {
    if let Some(e) = state.executions.remove(name) {
        state.timers.cancel(e.timer);
        for t in &e.tasks {
            state.timers.cancel(t.timer);
        }
    }
}
