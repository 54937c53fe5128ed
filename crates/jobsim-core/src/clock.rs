//! Timers of the virtual clock: what is due when, and the fixed order ties fire in.
//!
//! Timers are part of the state (they are created and removed by `evolve`), so a replayed log
//! has exactly the timers the live simulator had. Due timers fire in deadline order; timers due
//! at the same instant fire in the order they were scheduled (their sequence number).

use crate::time::Micros;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Deadline and scheduling sequence: the total order timers fire in.
pub type TimerKey = (Micros, u64);

/// Something the simulated control or data plane will do at a deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Timer {
    /// Job reconciliation starts (`Ready=Unknown`, `Retry`).
    JobReconcileStart {
        /// Job name.
        job: String,
    },
    /// Job reconciliation decides `Ready`.
    JobReconcile {
        /// Job name.
        job: String,
    },
    /// A deleting job disappears.
    JobDeletion {
        /// Job name.
        job: String,
    },
    /// The execution's image is imported.
    ContainerReady {
        /// Execution name.
        execution: String,
    },
    /// The execution's resources are provisioned.
    ResourcesAvailable {
        /// Execution name.
        execution: String,
    },
    /// The execution starts its first tasks.
    StartTasks {
        /// Execution name.
        execution: String,
    },
    /// A running attempt ends.
    AttemptEnd {
        /// Execution name.
        execution: String,
        /// Task index.
        task: u32,
    },
    /// A failed task starts its next attempt.
    RetryAttempt {
        /// Execution name.
        execution: String,
        /// Task index.
        task: u32,
    },
    /// The `Retry` condition appears on a failed execution.
    RetryCondition {
        /// Execution name.
        execution: String,
    },
}

/// The ordered set of pending timers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timers {
    queue: BTreeMap<TimerKey, Timer>,
    next_seq: u64,
}

impl Timers {
    /// Schedules a timer; returns its key so the owner can remove it later.
    pub fn schedule(&mut self, due: Micros, timer: Timer) -> TimerKey {
        let key = (due, self.next_seq);
        self.next_seq += 1;
        self.queue.insert(key, timer);
        key
    }

    /// Removes a timer (no-op when it already fired or was removed).
    pub fn cancel(&mut self, key: Option<TimerKey>) {
        if let Some(key) = key {
            self.queue.remove(&key);
        }
    }

    /// The timer with that key, if it is still pending.
    pub fn get(&self, key: Option<TimerKey>) -> Option<&Timer> {
        key.and_then(|k| self.queue.get(&k))
    }

    /// The next timer to fire, if any.
    pub fn first(&self) -> Option<(&TimerKey, &Timer)> {
        self.queue.first_key_value()
    }

    /// How many timers are pending.
    pub fn len(&self) -> usize {
        self.queue.len()
    }

    /// Whether no timer is pending (the simulator is idle).
    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    /// All pending timers in firing order.
    pub fn iter(&self) -> impl Iterator<Item = (&TimerKey, &Timer)> {
        self.queue.iter()
    }
}

/// Timers serialize as `{"nextSeq": n, "pending": [{"due", "seq", "timer"}]}` (JSON maps need string keys).
impl Serialize for Timers {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Entry<'a> {
            due: Micros,
            seq: u64,
            timer: &'a Timer,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Repr<'a> {
            next_seq: u64,
            pending: Vec<Entry<'a>>,
        }
        Repr {
            next_seq: self.next_seq,
            pending: self.queue.iter().map(|(k, t)| Entry { due: k.0, seq: k.1, timer: t }).collect(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Timers {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Entry {
            due: Micros,
            seq: u64,
            timer: Timer,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Repr {
            next_seq: u64,
            pending: Vec<Entry>,
        }
        let r = Repr::deserialize(d)?;
        Ok(Timers { next_seq: r.next_seq, queue: r.pending.into_iter().map(|e| ((e.due, e.seq), e.timer)).collect() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_fire_in_scheduling_order_and_deadlines_first() {
        let mut t = Timers::default();
        t.schedule(10, Timer::JobReconcile { job: "b".into() });
        t.schedule(5, Timer::JobReconcile { job: "c".into() });
        t.schedule(10, Timer::JobReconcile { job: "a".into() });
        let order: Vec<_> = t.iter().map(|(_, t)| t.clone()).collect();
        assert_eq!(
            order,
            vec![
                Timer::JobReconcile { job: "c".into() },
                Timer::JobReconcile { job: "b".into() },
                Timer::JobReconcile { job: "a".into() },
            ]
        );
    }

    #[test]
    fn timers_round_trip_through_json() {
        let mut t = Timers::default();
        let k = t.schedule(7, Timer::AttemptEnd { execution: "e".into(), task: 3 });
        t.schedule(9, Timer::StartTasks { execution: "e".into() });
        t.cancel(Some(k));
        let back: Timers = serde_json::from_value(serde_json::to_value(&t).unwrap()).unwrap();
        assert_eq!(back, t);
    }
}
