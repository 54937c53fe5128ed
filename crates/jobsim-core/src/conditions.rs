//! The typed conditions the engine writes (R12, R15, R25, D7, D11, D19): one builder per
//! condition, used by the scheduler that decides them, `evolve` that records them and the views
//! that show them, so none of those has to import another for a condition.

use crate::event::Outcome;
use crate::resources::Condition;

/// A condition of `type_` with no time yet (`evolve` stamps `lastTransitionTime`).
pub fn condition(type_: &str, status: &str, reason: &str, message: &str) -> Condition {
    Condition {
        type_: type_.into(),
        status: status.into(),
        reason: reason.into(),
        message: message.into(),
        ..Condition::default()
    }
}

/// `Ready=True`.
pub fn ready_true() -> Condition {
    condition("Ready", "True", "", "")
}

/// The `Ready` a token execution decides when it ends (R15, D7, D19): True when it succeeded,
/// else False with its `Completed` reason and message; `None` = it was cancelled.
pub fn ready_after_end(execution: &str, completed: Option<&Condition>) -> Condition {
    match completed {
        Some(c) if c.status == "True" => ready_true(),
        Some(c) => condition("Ready", "False", &c.reason, &c.message),
        None => condition("Ready", "False", "Cancelled", &format!("Execution {execution} was cancelled.")),
    }
}

/// The final `Completed` condition (R25): True, or False naming the lowest failed task.
pub fn completed_condition(execution: &str, first_failure: Option<(u32, Outcome)>) -> Condition {
    match first_failure {
        None => condition("Completed", "True", "", ""),
        Some((task, Outcome::TimedOut)) => condition(
            "Completed",
            "False",
            "",
            &format!("Task {execution}-task{task} failed with message: The configured timeout was reached."),
        ),
        Some((task, _)) => condition(
            "Completed",
            "False",
            "NonZeroExitCode",
            &format!("Task {execution}-task{task} failed with message: The container exited with an error."),
        ),
    }
}

/// The `Retry` condition shown while a job reconciles (R12) and after a failed execution (D11).
pub fn retry_condition() -> Condition {
    Condition {
        type_: "Retry".into(),
        status: "True".into(),
        reason: "ImmediateRetry".into(),
        severity: "Info".into(),
        message: "System will retry after 0:00:00 from lastTransitionTime for attempt 0.".into(),
        ..Condition::default()
    }
}
