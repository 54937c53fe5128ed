//! Records: one execution of one run of a sweep, read from the timeline and the cost model —
//! the `--format jsonl` line that `jobsim sweep merge` reads — and their one order.

use crate::error::{Error, Result};
use crate::state::State;
use crate::view::cost;
use crate::view::timeline::ExecutionTimeline;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// How an execution of a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RunOutcome {
    /// `Completed=True`.
    Succeeded,
    /// `Completed=False` (a task exhausted its retries, or the image is missing).
    Failed,
    /// Cancelled or deleted before it completed.
    Cancelled,
    /// Still running when the clock could move no further.
    Running,
}

/// Which run a record belongs to.
pub(super) struct RunId<'c> {
    pub(super) runs: u64,
    pub(super) configuration: usize,
    pub(super) vary: &'c BTreeMap<String, Value>,
    pub(super) run: u64,
    pub(super) seed: u64,
}

/// One execution of one run: the line `--format jsonl` prints and `sweep merge` reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Record {
    /// Runs per configuration of the sweep it came from.
    pub runs: u64,
    /// Index of its configuration in the grid.
    pub configuration: usize,
    /// The configuration's values.
    pub vary: BTreeMap<String, Value>,
    /// Index of the run (0 … runs − 1).
    pub run: u64,
    /// The run's seed (a decimal string, D27).
    #[serde(with = "seed_text")]
    pub seed: u64,
    /// The job.
    pub job: String,
    /// 1-based ordinal among the job's executions in the run.
    pub execution: u32,
    /// How it ended.
    pub outcome: RunOutcome,
    /// Creation → completion (or cancellation) in µs; `None` while running.
    pub duration_micros: Option<i64>,
    /// Attempts over all tasks.
    pub attempts: u64,
    /// Attempts that were retries (attempt ≥ 1).
    pub retries: u64,
    /// Cost in nano-USD (an integer, so sums do not depend on their order).
    pub cost_nano_usd: u64,
}

mod seed_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(seed: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(seed)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        let t = String::deserialize(d)?;
        crate::settings::parse_seed(&t).map_err(serde::de::Error::custom)
    }
}

impl Record {
    pub(super) fn of(state: &State, x: &ExecutionTimeline, id: RunId<'_>) -> Record {
        let outcome = match (x.succeeded, x.cancelled_at.or(x.deleted_at)) {
            (Some(true), _) => RunOutcome::Succeeded,
            (Some(false), _) => RunOutcome::Failed,
            (None, Some(_)) => RunOutcome::Cancelled,
            (None, None) => RunOutcome::Running,
        };
        let end = x.completed_at.or(x.cancelled_at).or(x.deleted_at);
        let attempts = x.attempt_count() as u64;
        let retries = x.tasks.values().flatten().filter(|a| a.attempt > 0).count() as u64;
        let usd = cost::execution(state, x).usd;
        Record {
            runs: id.runs,
            configuration: id.configuration,
            vary: id.vary.clone(),
            run: id.run,
            seed: id.seed,
            job: x.job.clone(),
            execution: x.ordinal,
            outcome,
            duration_micros: end.map(|e| e - x.created),
            attempts,
            retries,
            cost_nano_usd: (usd * 1e9).round() as u64,
        }
    }

    /// The record as one JSON line (no newline).
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a line `--format jsonl` wrote.
    pub fn from_line(line: &str) -> Result<Record> {
        serde_json::from_str(line).map_err(|e| Error::scenario(format!("not a sweep record: {e}")))
    }

    fn order(&self) -> (usize, u64, &str, u32) {
        (self.configuration, self.run, &self.job, self.execution)
    }
}

/// Records as JSON Lines, sorted (the `jsonl` output, what `merge` reads).
pub fn records_jsonl(mut records: Vec<Record>) -> String {
    sort_records(&mut records);
    let mut out = String::new();
    for r in &records {
        out.push_str(&r.to_line());
        out.push('\n');
    }
    out
}

/// Reads JSON Lines of records (blank lines skipped); errors name the line.
pub fn records_from_jsonl(text: &str) -> Result<Vec<Record>> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| Record::from_line(l).map_err(|e| Error::scenario(format!("line {}: {}", i + 1, e.message))))
        .collect()
}

/// Sorts records by (configuration, run, job, execution) and drops repeats of one (a shard
/// merged twice counts once): the one order every summary and `jsonl` output uses.
pub fn sort_records(records: &mut Vec<Record>) {
    records.sort_by(|a, b| a.order().cmp(&b.order()));
    records.dedup_by(|a, b| a.order() == b.order());
}
