//! Timers of the virtual clock: what is due when, and the fixed order ties fire in.
//!
//! Timers are part of the state (they are created and removed by `evolve`), so a replayed log
//! has exactly the timers the live simulator had. Due timers fire in deadline order; timers due
//! at the same instant fire in the order they were scheduled (their sequence number).

use crate::time::Micros;
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::hash_map::Entry;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};

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

impl Timer {
    /// The job or execution name it holds, taken out.
    fn into_name(self) -> String {
        match self {
            Timer::JobReconcileStart { job } | Timer::JobReconcile { job } | Timer::JobDeletion { job } => job,
            Timer::ContainerReady { execution }
            | Timer::ResourcesAvailable { execution }
            | Timer::StartTasks { execution }
            | Timer::AttemptEnd { execution, .. }
            | Timer::RetryAttempt { execution, .. }
            | Timer::RetryCondition { execution } => execution,
        }
    }
}

/// The ordered set of pending timers.
///
/// Timers wait in two queues: `front`, a FIFO of the timers that share one deadline, which owns
/// them, and `order`, a min-heap of the keys of the others, which wait in a map by sequence
/// number. A timer scheduled at the front's deadline (or into an empty front) joins the FIFO in
/// O(1) — its sequence number is the largest yet, so the FIFO stays sorted — and every other one
/// goes to the heap and the map. The next timer is the smaller of the two heads. The FIFO is what
/// makes the common case cheap: a step that schedules work due at the same instant as other
/// pending work (every timer of the `instant` profile, a wave of tasks started together) costs no
/// heap sift and no hashing: a timer of the FIFO is found by its sequence number (at the head
/// when it is the one that just fired, else by binary search), and cancelling it leaves a hole
/// (`None`) there. The heap alone spent 40 % of a fold, and the map 13 % of a big execution
/// (BENCHMARKS.md, "Issue 10 — engine speed, third pass" and "fifth pass").
///
/// Holes in the FIFO and keys of cancelled timers in the heap stay until they reach the head,
/// where they are dropped; both heads are therefore always pending. The map is never iterated
/// unsorted: whatever leaves this type (`iter`, serialization, `Debug`, equality) is in firing
/// order, so nothing depends on hash order or on which queue a timer waits in.
#[derive(Clone, Default)]
pub struct Timers {
    /// Timers sharing one deadline, in sequence order; `None` is a cancelled one (a hole), never
    /// at the head.
    front: VecDeque<(TimerKey, Option<Timer>)>,
    /// How many timers of `front` are pending (not holes).
    front_pending: usize,
    /// The timers of `order` by sequence number.
    pending: HashMap<u64, (TimerKey, Timer), BuildHasherDefault<SeqHasher>>,
    /// The keys of `pending` in firing order; may also hold keys of cancelled timers, never at
    /// the top.
    order: BinaryHeap<Reverse<TimerKey>>,
    next_seq: u64,
    /// Name buffers of removed timers, reused by [`Timers::name`]: a big execution removes and
    /// schedules one attempt timer per event, and a fresh allocation each time cost more than the
    /// queue itself. Not part of the timers (never compared, written or shown).
    spare: Vec<String>,
}

/// How many name buffers [`Timers`] keeps for reuse.
const SPARE_NAMES: usize = 16;

/// Hashes sequence numbers (distinct, mostly consecutive) with one multiplication: fixed, so the
/// map behaves the same on every run and platform, and cheap.
#[derive(Default)]
struct SeqHasher(u64);

impl Hasher for SeqHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

impl Timers {
    /// Schedules a timer; returns its key so the owner can remove it later.
    pub fn schedule(&mut self, due: Micros, timer: Timer) -> TimerKey {
        let key = (due, self.next_seq);
        self.next_seq += 1;
        match self.front.front() {
            Some((head, _)) if head.0 != due => {
                self.pending.insert(key.1, (key, timer));
                self.order.push(Reverse(key));
            }
            _ => {
                self.front.push_back((key, Some(timer)));
                self.front_pending += 1;
            }
        }
        key
    }

    /// Removes a timer (no-op when it already fired or was removed).
    pub fn cancel(&mut self, key: Option<TimerKey>) {
        let Some(key) = key else { return };
        let removed = match self.front_index(key) {
            Some(i) => {
                let Some(timer) = self.front.get_mut(i).and_then(|(_, t)| t.take()) else { return };
                self.front_pending -= 1;
                // Keep the head pending: drop the holes that reach it.
                if i == 0 {
                    while self.front.front().is_some_and(|(_, t)| t.is_none()) {
                        self.front.pop_front();
                    }
                }
                timer
            }
            None => {
                let removed = match self.pending.entry(key.1) {
                    Entry::Occupied(o) if o.get().0 == key => o.remove().1,
                    _ => return,
                };
                if self.order.peek() == Some(&Reverse(key)) {
                    while self.order.peek().is_some_and(|Reverse(top)| !self.in_map(top)) {
                        self.order.pop();
                    }
                }
                removed
            }
        };
        if self.spare.len() < SPARE_NAMES {
            self.spare.push(removed.into_name());
        }
        // Many cancelled timers behind the heads (far-future timers cancelled early): compact.
        if self.front.len() + self.order.len() > 2 * self.len() + 64 {
            self.front.retain(|(_, t)| t.is_some());
            self.order = self.pending.values().map(|(k, _)| Reverse(*k)).collect();
        }
    }

    /// `name` as an owned string for a new timer, in the buffer of a removed one when there is
    /// one (no allocation on the hot path; the text is the same either way).
    pub fn name(&mut self, name: &str) -> String {
        match self.spare.pop() {
            Some(mut buffer) => {
                buffer.clear();
                buffer.push_str(name);
                buffer
            }
            None => name.to_string(),
        }
    }

    /// Where in `front` the timer with that key waits (pending or a hole), if it is there: the
    /// front holds one deadline in sequence order, and the timer just fired is its head.
    fn front_index(&self, key: TimerKey) -> Option<usize> {
        let (head, _) = self.front.front()?;
        if key.0 != head.0 || key.1 < head.1 {
            return None;
        }
        if key.1 == head.1 {
            return Some(0);
        }
        self.front.binary_search_by_key(&key.1, |(k, _)| k.1).ok()
    }

    fn in_map(&self, key: &TimerKey) -> bool {
        self.pending.get(&key.1).is_some_and(|(k, _)| k == key)
    }

    /// The timer with that key, if it is still pending.
    pub fn get(&self, key: Option<TimerKey>) -> Option<&Timer> {
        let key = key?;
        match self.front_index(key) {
            Some(i) => self.front.get(i).and_then(|(_, t)| t.as_ref()),
            None => self.pending.get(&key.1).filter(|(k, _)| *k == key).map(|(_, t)| t),
        }
    }

    /// The next timer to fire, if any.
    pub fn first(&self) -> Option<(&TimerKey, &Timer)> {
        let top = self.order.peek().map(|Reverse(k)| k);
        match self.front.front() {
            Some((head, Some(timer))) if top.is_none_or(|top| head < top) => Some((head, timer)),
            _ => self.pending.get(&top?.1).map(|(k, t)| (k, t)),
        }
    }

    /// The sequence number the next scheduled timer gets (snapshots are checked against it, D26).
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// How many timers are pending.
    pub fn len(&self) -> usize {
        self.front_pending + self.pending.len()
    }

    /// Whether no timer is pending (the simulator is idle).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// All pending timers in firing order.
    pub fn iter(&self) -> impl Iterator<Item = (&TimerKey, &Timer)> {
        let mut all: Vec<(&TimerKey, &Timer)> = self.pending.values().map(|(k, t)| (k, t)).collect();
        all.extend(self.front.iter().filter_map(|(k, t)| Some((k, t.as_ref()?))));
        all.sort_unstable_by_key(|(k, _)| **k);
        all.into_iter()
    }

    fn from_entries(next_seq: u64, entries: impl IntoIterator<Item = (TimerKey, Timer)>) -> Timers {
        let mut t = Timers { next_seq, ..Timers::default() };
        for (key, timer) in entries {
            t.pending.insert(key.1, (key, timer));
            t.order.push(Reverse(key));
        }
        t
    }
}

/// Equal when the same timers are pending and the next sequence number is the same, whichever
/// queue each waits in (holes and cancelled keys do not count).
impl PartialEq for Timers {
    fn eq(&self, other: &Self) -> bool {
        self.next_seq == other.next_seq && self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Timers {}

impl std::fmt::Debug for Timers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Timers")
            .field("queue", &self.iter().collect::<Vec<_>>())
            .field("next_seq", &self.next_seq)
            .finish()
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
            pending: self.iter().map(|(k, t)| Entry { due: k.0, seq: k.1, timer: t }).collect(),
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
        // Sequence numbers identify timers: each unique and below `nextSeq`, as `schedule` makes them.
        let mut seen = std::collections::BTreeSet::new();
        if let Some(e) = r.pending.iter().find(|e| e.seq >= r.next_seq || !seen.insert(e.seq)) {
            return Err(serde::de::Error::custom(format!(
                "timer seq {} is repeated or not below nextSeq {}",
                e.seq, r.next_seq
            )));
        }
        Ok(Timers::from_entries(r.next_seq, r.pending.into_iter().map(|e| ((e.due, e.seq), e.timer))))
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

    /// The two queues (FIFO at one deadline, heap for the rest) give exactly the order of one
    /// sorted map of (deadline, sequence), under schedules at the head's deadline, earlier and
    /// later ones, cancels anywhere and firings (BENCHMARKS.md, "Issue 10 — engine speed, third
    /// pass"): ties fire in scheduling order, deadlines first. Since the fifth pass the FIFO owns
    /// its timers and a cancel leaves a hole there: `get` and the count see through the holes.
    #[test]
    fn two_queues_fire_in_the_order_of_one_sorted_map() {
        let mut t = Timers::default();
        let mut reference = std::collections::BTreeMap::new();
        let mut keys: Vec<TimerKey> = Vec::new();
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        for step in 0..20_000u32 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            match x % 10 {
                // Schedule, mostly at a few deadlines so that ties and the FIFO are common.
                0..=4 => {
                    let due = ((x >> 8) % 4) as Micros * 10 + reference.keys().next().map_or(0, |k: &TimerKey| k.0);
                    let timer = Timer::AttemptEnd { execution: "e".into(), task: step };
                    let key = t.schedule(due, timer.clone());
                    reference.insert(key, timer);
                    keys.push(key);
                }
                // Cancel any key, pending or not.
                5..=6 if !keys.is_empty() => {
                    let key = keys[((x >> 8) as usize) % keys.len()];
                    t.cancel(Some(key));
                    reference.remove(&key);
                }
                // Fire the first.
                _ => {
                    let first = t.first().map(|(k, _)| *k);
                    assert_eq!(first, reference.keys().next().copied(), "step {step}");
                    t.cancel(first);
                    if let Some(k) = first {
                        reference.remove(&k);
                    }
                }
            }
            assert_eq!(t.first().map(|(k, v)| (*k, v.clone())), reference.iter().next().map(|(k, v)| (*k, v.clone())));
            assert_eq!(t.len(), reference.len());
            // Any key, pending, fired or cancelled, in either queue: `get` agrees with the map.
            if let Some(key) = keys.get(((x >> 20) as usize) % keys.len().max(1)) {
                assert_eq!(t.get(Some(*key)), reference.get(key), "step {step}");
            }
        }
        let all: Vec<TimerKey> = t.iter().map(|(k, _)| *k).collect();
        assert_eq!(all, reference.keys().copied().collect::<Vec<_>>());
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
