//! The append-only event log: envelopes with 1-based sequences, appended under an expected
//! version (optimistic concurrency, as in eventually-rs), and checked when read back.

use crate::error::{Error, ErrorCode, Result};
use crate::event::{Envelope, Event, EventId};
use crate::random::UlidSeed;
use crate::settings::limits::MAX_SEQUENCE;
use crate::time::Micros;

/// The simulator's event log.
#[derive(Clone, Default)]
pub struct EventLog {
    /// Events before this version live in a snapshot, not here.
    base: u64,
    envelopes: Vec<Envelope>,
    /// The share of the event ids that depends on the seed only, computed once for the seed of
    /// the last append instead of once per event. Not part of the log (never compared or shown).
    ids: Option<UlidSeed>,
}

/// Equal when the same envelopes follow the same base (the id cache does not count).
impl PartialEq for EventLog {
    fn eq(&self, other: &Self) -> bool {
        self.base == other.base && self.envelopes == other.envelopes
    }
}

impl std::fmt::Debug for EventLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventLog").field("base", &self.base).field("envelopes", &self.envelopes).finish()
    }
}

impl EventLog {
    /// An empty log continuing after a snapshot taken at `version`.
    pub fn after_snapshot(version: u64) -> EventLog {
        EventLog { base: version, ..EventLog::default() }
    }

    /// The log's version: the sequence of its last event (0 when empty).
    pub fn version(&self) -> u64 {
        self.base + self.envelopes.len() as u64
    }

    /// Appends events at `time` if the log is still at `expected`; returns the new envelopes.
    pub fn append<I>(&mut self, expected: u64, time: Micros, seed: u64, events: I) -> Result<&[Envelope]>
    where
        I: IntoIterator<Item = Event>,
        I::IntoIter: ExactSizeIterator,
    {
        let events = events.into_iter();
        let actual = self.version();
        if expected != actual {
            return Err(Error::conflict(expected, actual));
        }
        if actual.saturating_add(events.len() as u64) > MAX_SEQUENCE {
            return Err(Error::new(
                ErrorCode::ResourceExhausted,
                format!("the event log is full: sequences end at {MAX_SEQUENCE} (D26)"),
            ));
        }
        let ids = match self.ids {
            Some(ids) if ids.seed() == seed => ids,
            _ => *self.ids.insert(UlidSeed::new(seed)),
        };
        let start = self.envelopes.len();
        for (i, event) in events.enumerate() {
            // Bounded by the check above: no overflow.
            let sequence = actual + 1 + i as u64;
            self.envelopes.push(Envelope { sequence, event_id: EventId::with(ids, time, sequence), time, event });
        }
        Ok(&self.envelopes[start..])
    }

    /// All envelopes, oldest first.
    pub fn envelopes(&self) -> &[Envelope] {
        &self.envelopes
    }

    /// Envelopes with `sequence >= from`.
    pub fn since(&self, from: u64) -> &[Envelope] {
        let skip = from.saturating_sub(1).saturating_sub(self.base).min(self.envelopes.len() as u64) as usize;
        &self.envelopes[skip..]
    }

    /// Checks that envelopes read back from storage continue this log: no gap, no duplicate,
    /// no step back in time from `last_time`. Changes nothing.
    pub fn check_continuation(&self, envelopes: &[Envelope], mut last_time: Micros) -> Result<()> {
        let mut expected = self.version();
        for e in envelopes {
            expected = expected.saturating_add(1);
            if e.sequence != expected {
                let what = if e.sequence < expected { "duplicate" } else { "gap before" };
                return Err(Error::event_log(format!(
                    "event log has a {what} sequence {}: expected {expected}",
                    e.sequence
                )));
            }
            if e.time < last_time {
                return Err(Error::event_log(format!("event {} goes back in time", e.sequence)));
            }
            last_time = e.time;
        }
        Ok(())
    }

    /// Adopts envelopes read back from storage after checking them ([`EventLog::check_continuation`]);
    /// on error nothing is adopted.
    pub fn extend_checked(&mut self, envelopes: Vec<Envelope>, last_time: Micros) -> Result<()> {
        self.check_continuation(&envelopes, last_time)?;
        self.envelopes.extend(envelopes);
        Ok(())
    }
}
