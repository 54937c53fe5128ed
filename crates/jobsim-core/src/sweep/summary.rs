//! Summaries of a sweep's records: per configuration and job, the success rate with its 95 %
//! Wilson interval, nearest-rank duration percentiles, attempts, retries and cost — computed
//! from the records sorted, with integer sums, so any split merged gives the same bytes.

use super::record::{sort_records, Record, RunOutcome};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Percentiles of execution durations, in seconds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Durations {
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Longest.
    pub max: f64,
}

/// Mean and max of a count.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Counts {
    /// Mean per execution.
    pub mean: f64,
    /// Most in one execution.
    pub max: u64,
}

/// Cost per execution in USD.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Costs {
    /// Median.
    pub p50: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Mean.
    pub mean: f64,
}

/// The summary of one job under one configuration.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobSummary {
    /// The configuration's values.
    pub vary: BTreeMap<String, Value>,
    /// The job.
    pub job: String,
    /// Executions over all runs.
    pub executions: u64,
    /// Executions that succeeded.
    pub succeeded: u64,
    /// `succeeded / executions`.
    pub success_rate: f64,
    /// 95 % Wilson score interval of the success rate.
    pub success_interval: [f64; 2],
    /// Creation → completion of the executions that ended (left out if none did).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<Durations>,
    /// Attempts per execution.
    pub attempts: Counts,
    /// Retries per execution.
    pub retries: Counts,
    /// Cost per execution.
    pub cost: Costs,
}

/// A sweep's summary: `--format json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Runs per configuration.
    pub runs: u64,
    /// One entry per configuration and job, in grid order then by job name.
    pub configurations: Vec<JobSummary>,
}

impl Summary {
    /// The summary as pretty JSON text, ending in a newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// The 95 % Wilson score interval of `k` successes in `n` trials (`[0, 1]` when n = 0).
pub fn wilson(k: u64, n: u64) -> [f64; 2] {
    if n == 0 {
        return [0.0, 1.0];
    }
    const Z: f64 = 1.959_963_984_540_054;
    let (k, n) = (k as f64, n as f64);
    let z2 = Z * Z;
    let center = (k + z2 / 2.0) / (n + z2);
    let half = Z / (n + z2) * (k * (n - k) / n + z2 / 4.0).sqrt();
    // At 0 or n successes the bound is exactly 0 or 1 (the float formula leaves ~1e-17).
    let lo = if k == 0.0 { 0.0 } else { (center - half).max(0.0) };
    let hi = if k == n { 1.0 } else { (center + half).min(1.0) };
    [lo, hi]
}

/// The nearest-rank percentile `p` (0 < p ≤ 100) of sorted values.
fn percentile<T: Copy + Default>(sorted: &[T], p: u64) -> T {
    let n = sorted.len() as u64;
    let rank = (p * n).div_ceil(100).max(1);
    sorted.get(rank as usize - 1).copied().unwrap_or_default()
}

fn seconds(micros: i64) -> f64 {
    micros as f64 / 1e6
}

fn usd(nano: u64) -> f64 {
    nano as f64 / 1e9
}

fn counts(values: impl Iterator<Item = u64>, n: u64) -> Counts {
    let (sum, max) = values.fold((0u128, 0u64), |(s, m), v| (s + u128::from(v), m.max(v)));
    Counts { mean: if n == 0 { 0.0 } else { sum as f64 / n as f64 }, max }
}

/// Summarizes records (in any order, from any number of shards): they are sorted first and
/// every figure is computed from the sorted list, so the bytes do not depend on the split.
pub fn summarize(mut records: Vec<Record>) -> Summary {
    sort_records(&mut records);
    let runs = records.iter().map(|r| r.runs).max().unwrap_or(0);
    let mut groups: BTreeMap<(usize, &str), Vec<&Record>> = BTreeMap::new();
    for r in &records {
        groups.entry((r.configuration, r.job.as_str())).or_default().push(r);
    }
    let configurations = groups
        .into_iter()
        .map(|((_, job), rs)| {
            let n = rs.len() as u64;
            let succeeded = rs.iter().filter(|r| r.outcome == RunOutcome::Succeeded).count() as u64;
            let mut durations: Vec<i64> = rs.iter().filter_map(|r| r.duration_micros).collect();
            durations.sort_unstable();
            let duration = (!durations.is_empty()).then(|| Durations {
                p50: seconds(percentile(&durations, 50)),
                p90: seconds(percentile(&durations, 90)),
                p99: seconds(percentile(&durations, 99)),
                max: seconds(durations.last().copied().unwrap_or_default()),
            });
            let mut costs: Vec<u64> = rs.iter().map(|r| r.cost_nano_usd).collect();
            costs.sort_unstable();
            let cost_sum: u128 = costs.iter().map(|c| u128::from(*c)).sum();
            JobSummary {
                vary: rs.first().map(|r| r.vary.clone()).unwrap_or_default(),
                job: job.to_string(),
                executions: n,
                succeeded,
                success_rate: if n == 0 { 0.0 } else { succeeded as f64 / n as f64 },
                success_interval: wilson(succeeded, n),
                duration,
                attempts: counts(rs.iter().map(|r| r.attempts), n),
                retries: counts(rs.iter().map(|r| r.retries), n),
                cost: Costs {
                    p50: usd(percentile(&costs, 50)),
                    p99: usd(percentile(&costs, 99)),
                    mean: if n == 0 { 0.0 } else { cost_sum as f64 / n as f64 / 1e9 },
                },
            }
        })
        .collect();
    Summary { runs, configurations }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_interval_matches_the_textbook_values() {
        // 8 of 10: Wilson 95 % ≈ [0.4902, 0.9433].
        let [lo, hi] = wilson(8, 10);
        assert!((lo - 0.4902).abs() < 1e-4 && (hi - 0.9433).abs() < 1e-4, "{lo} {hi}");
        assert_eq!(wilson(0, 0), [0.0, 1.0]);
        assert_eq!(wilson(5, 5)[1], 1.0);
        assert_eq!(wilson(0, 3)[0], 0.0);
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let v: Vec<i64> = (1..=100).collect();
        assert_eq!((percentile(&v, 50), percentile(&v, 90), percentile(&v, 99)), (50, 90, 99));
        assert_eq!(percentile(&[7i64], 99), 7);
        assert_eq!(percentile::<i64>(&[], 50), 0);
    }
}
