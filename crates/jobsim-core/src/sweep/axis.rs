//! The grid's axes (`--vary [JOB.]KNOB=V1,V2,…`) and shards (`--shard I/N`) of a sweep.

use crate::error::{Error, Result};
use crate::settings::limits;
use crate::time::parse_duration;
use serde_json::Value;

/// A knob a sweep can vary: four of the job's spec, three of its workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Knob {
    /// `spec.template.spec.taskCount` (and a `jobs.run` override of it).
    TaskCount,
    /// `spec.template.spec.parallelism`.
    Parallelism,
    /// `spec.template.spec.template.spec.maxRetries`.
    MaxRetries,
    /// `spec.template.spec.template.spec.timeoutSeconds` (and a `jobs.run` `timeout` override).
    TimeoutSeconds,
    /// The workload's chance that an attempt fails.
    FailureRate,
    /// The workload's attempt duration.
    Duration,
    /// The workload's ± jitter.
    Jitter,
}

/// Every knob by the name `--vary` takes.
pub const KNOBS: &[(&str, Knob)] = &[
    ("taskCount", Knob::TaskCount),
    ("parallelism", Knob::Parallelism),
    ("maxRetries", Knob::MaxRetries),
    ("timeoutSeconds", Knob::TimeoutSeconds),
    ("failureRate", Knob::FailureRate),
    ("duration", Knob::Duration),
    ("jitter", Knob::Jitter),
];

/// One `--vary` axis: `[JOB.]KNOB=V1,V2,…` (no JOB: every job the scenario creates).
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// The key as written (`maxRetries`, `etl.failureRate`): the key of `vary` in the output.
    pub key: String,
    /// The job it applies to; `None` = every job.
    pub job: Option<String>,
    /// The knob.
    pub knob: Knob,
    /// The values, as the output shows them (numbers; durations as written).
    pub values: Vec<Value>,
}

pub(super) fn bad_vary(text: &str, why: impl std::fmt::Display) -> Error {
    Error::scenario(format!("--vary {text:?}: {why}"))
}

impl Axis {
    /// Reads `[JOB.]KNOB=V1,V2,…`, checking every value against the knob's range.
    pub fn parse(text: &str) -> Result<Axis> {
        let (key, values) = text.split_once('=').ok_or_else(|| bad_vary(text, "expected KEY=V1,V2,…"))?;
        let key = key.trim();
        let (job, name) = match key.rsplit_once('.') {
            Some((job, name)) => (Some(job.to_string()), name),
            None => (None, key),
        };
        let knob = KNOBS.iter().find(|(n, _)| *n == name).map(|(_, k)| *k).ok_or_else(|| {
            let names: Vec<&str> = KNOBS.iter().map(|(n, _)| *n).collect();
            bad_vary(text, format!("unknown knob {name:?}; one of {}", names.join(", ")))
        })?;
        let values = values
            .split(',')
            .map(|v| knob_value(knob, v.trim()).map_err(|why| bad_vary(text, why)))
            .collect::<Result<Vec<_>>>()?;
        if values.is_empty() {
            return Err(bad_vary(text, "no values"));
        }
        Ok(Axis { key: key.to_string(), job, knob, values })
    }
}

/// A value of a knob, checked: integers within the API's ranges (R11), a rate in [0, 1], a
/// duration as `parse_duration` reads it.
fn knob_value(knob: Knob, v: &str) -> std::result::Result<Value, String> {
    let int = |lo: i64, hi: i64| {
        v.parse::<i64>()
            .ok()
            .filter(|n| (lo..=hi).contains(n))
            .map(Value::from)
            .ok_or_else(|| format!("{v:?} is not an integer from {lo} to {hi}"))
    };
    match knob {
        Knob::TaskCount => int(1, i64::from(limits::MAX_TASK_COUNT)),
        Knob::Parallelism => int(0, i64::from(limits::MAX_TASK_COUNT)),
        Knob::MaxRetries => int(0, i64::from(limits::MAX_RETRIES)),
        Knob::TimeoutSeconds => int(1, limits::MAX_TIMEOUT_SECONDS),
        Knob::FailureRate => v
            .parse::<f64>()
            .ok()
            .filter(|r| (0.0..=1.0).contains(r))
            .map(Value::from)
            .ok_or_else(|| format!("{v:?} is not a number from 0 to 1")),
        Knob::Duration | Knob::Jitter => parse_duration(v).map(|_| Value::from(v)),
    }
}

/// Which of its shards a process runs: items `k` with `k % count == index`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 0-based shard index.
    pub index: u64,
    /// Number of shards (≥ 1).
    pub count: u64,
}

impl Shard {
    /// The whole sweep.
    pub const ALL: Shard = Shard { index: 0, count: 1 };

    /// Reads `I/N` (0 ≤ I < N).
    pub fn parse(text: &str) -> Result<Shard> {
        let bad = || Error::scenario(format!("--shard {text:?}: expected I/N with 0 <= I < N, e.g. 0/4"));
        let (i, n) = text.split_once('/').ok_or_else(bad)?;
        let (index, count) = (i.trim().parse::<u64>().map_err(|_| bad())?, n.trim().parse::<u64>().map_err(|_| bad())?);
        Shard::new(index, count).ok_or_else(bad)
    }

    /// A shard when `index < count`.
    pub fn new(index: u64, count: u64) -> Option<Shard> {
        (index < count).then_some(Shard { index, count })
    }

    /// Whether item `k` is this shard's.
    pub fn owns(&self, k: u64) -> bool {
        k % self.count == self.index
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn vary_keys_name_a_knob_and_optionally_a_job() {
        let a = Axis::parse("etl.maxRetries=0,1,3").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((a.job.as_deref(), a.knob, a.values.len()), (Some("etl"), Knob::MaxRetries, 3));
        let a = Axis::parse("duration=30s,1m").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((a.job, a.values), (None, vec![json!("30s"), json!("1m")]));
        for bad in ["maxRetries=11", "taskCount=0", "failureRate=1.5", "speed=1", "maxRetries", "jitter=soon"] {
            assert!(Axis::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn shards_split_items_round_robin() {
        let s = Shard::parse("1/3").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((0..7).filter(|k| s.owns(*k)).collect::<Vec<_>>(), vec![1, 4]);
        assert!(Shard::parse("3/3").is_err() && Shard::parse("x").is_err() && Shard::parse("0/0").is_err());
    }
}
