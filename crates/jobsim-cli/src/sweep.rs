//! `jobsim sweep`: what-if sweeps over one scenario (issue #12), on every core or sharded over
//! an existing engine (Cloud Run Jobs, a Kubernetes Indexed Job), and `jobsim sweep merge`.
//!
//! The core (`jobsim_core::sweep`) numbers the work items and runs one at a time; this face
//! spreads them over a rayon pool (each item is pure, and records are sorted before anything is
//! summed, so the bytes do not depend on the thread count), shows an indicatif progress bar on
//! stderr when it is a terminal, and stops between runs on Ctrl-C with a partial summary.

use clap::{Args, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jobsim_core::scenario::Scenario;
use jobsim_core::sweep::{summarize, Axis, Plan, Record, Shard, Summary};
use rayon::prelude::*;
use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Output of `sweep` and `sweep merge`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SweepFormat {
    /// A table: one row per configuration and job.
    Text,
    /// One JSON object: `{"runs": N, "configurations": [...]}`.
    Json,
    /// One record per run and execution, for `jobsim sweep merge`.
    Jsonl,
}

/// `jobsim sweep SCENARIO --runs N …` or `jobsim sweep merge FILE…`.
#[derive(Args)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    after_help = "KEY of --vary is [JOB.]KNOB; without JOB it applies to every job the scenario creates.\n\
Knobs: taskCount, parallelism, maxRetries, timeoutSeconds (integers), failureRate (0 to 1),\n\
duration, jitter (durations: 30s, 1m30s, 2.5).\n\n\
Examples:\n  jobsim sweep job.yaml --runs 1000 --vary maxRetries=0,1,3 --vary etl.failureRate=0.01,0.05\n  \
jobsim sweep job.yaml --runs 1000 --shard auto --format jsonl > shard.jsonl   # one shard per task\n  \
jobsim sweep merge shard-*.jsonl --format text\n\n\
--shard auto reads CLOUD_RUN_TASK_INDEX and CLOUD_RUN_TASK_COUNT (Cloud Run Jobs), or\n\
JOB_COMPLETION_INDEX and JOBSIM_SHARD_COUNT (Kubernetes Indexed Jobs: set it to .spec.completions)."
)]
pub struct SweepArgs {
    #[command(subcommand)]
    merge: Option<SweepCommand>,
    /// The scenario file (JSON or YAML).
    #[arg(required = true)]
    scenario: Option<PathBuf>,
    /// Runs per configuration (seeds S, S+1, …).
    #[arg(long, required = true)]
    runs: Option<u64>,
    /// Seed of the first run; default: the scenario's seed.
    #[arg(long)]
    seed: Option<u64>,
    /// A grid axis: KEY=V1,V2,… (repeat for more axes; the grid is their product).
    #[arg(long, value_name = "[JOB.]KNOB=V1,V2,…")]
    vary: Vec<String>,
    /// Run only shard I of N (items k with k % N == I), or `auto` from the environment.
    #[arg(long, value_name = "I/N|auto")]
    shard: Option<String>,
    /// Worker threads; default: every core. The output is the same for any number.
    #[arg(long)]
    threads: Option<usize>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: SweepFormat,
}

#[derive(Subcommand)]
enum SweepCommand {
    /// Merge the `--format jsonl` records of shards into one summary (the unsplit one's bytes).
    Merge {
        /// Record files (JSON Lines).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: SweepFormat,
    },
}

/// Runs `jobsim sweep …`: prints its output, returns the exit code (2: unusable input,
/// 130: interrupted, after printing the partial output).
pub fn main(args: SweepArgs) -> ExitCode {
    let result = match args.merge {
        Some(SweepCommand::Merge { ref files, format }) => merge(files, format).map(|out| (out, false)),
        None => sweep(&args),
    };
    match result {
        Ok((out, interrupted)) => {
            let mut stdout = std::io::stdout().lock();
            if stdout.write_all(out.as_bytes()).and_then(|_| stdout.flush()).is_err() {
                return ExitCode::from(1);
            }
            if interrupted {
                ExitCode::from(130)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(message) => {
            eprintln!("jobsim: {message}");
            ExitCode::from(2)
        }
    }
}

/// The shard `--shard` names: `I/N`, or `auto` from the Cloud Run / Kubernetes variables.
pub fn shard(text: Option<&str>, env: impl Fn(&str) -> Option<String>) -> Result<Shard, String> {
    let Some(text) = text else { return Ok(Shard::ALL) };
    if text != "auto" {
        return Shard::parse(text).map_err(|e| e.message);
    }
    let number = |name: &str| -> Result<Option<u64>, String> {
        env(name).map(|v| v.trim().parse::<u64>().map_err(|_| format!("{name}={v:?} is not a number"))).transpose()
    };
    let (index, count) = match (number("CLOUD_RUN_TASK_INDEX")?, number("CLOUD_RUN_TASK_COUNT")?) {
        (Some(i), Some(n)) => (i, n),
        _ => match (number("JOB_COMPLETION_INDEX")?, number("JOBSIM_SHARD_COUNT")?) {
            (Some(i), Some(n)) => (i, n),
            (Some(_), None) => return Err("--shard auto: JOB_COMPLETION_INDEX is set but JOBSIM_SHARD_COUNT is not (set it to the Job's completions)".into()),
            _ => return Err("--shard auto: neither CLOUD_RUN_TASK_INDEX/CLOUD_RUN_TASK_COUNT nor JOB_COMPLETION_INDEX/JOBSIM_SHARD_COUNT is set".into()),
        },
    };
    Shard::new(index, count).ok_or_else(|| format!("--shard auto: shard {index} of {count} does not exist"))
}

fn sweep(args: &SweepArgs) -> Result<(String, bool), String> {
    let (Some(path), Some(runs)) = (&args.scenario, args.runs) else {
        return Err("sweep needs a SCENARIO and --runs N".into());
    };
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let scenario = Scenario::parse(&text).map_err(|e| format!("{}: {} ({})", path.display(), e.message, e.code))?;
    let axes = args.vary.iter().map(|v| Axis::parse(v).map_err(|e| e.message)).collect::<Result<Vec<_>, _>>()?;
    let plan = Plan::new(&scenario, runs, args.seed, &axes).map_err(|e| e.message)?;
    let shard = shard(args.shard.as_deref(), |name| std::env::var(name).ok())?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .map_err(|e| format!("cannot start threads: {e}"))?;
    let items: Vec<u64> = (0..plan.items()).filter(|k| shard.owns(*k)).collect();

    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    // A second handler cannot be installed (tests call this twice in one process): then
    // Ctrl-C keeps its default and ends the process.
    let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
    let progress = progress_bar(items.len() as u64);
    let done: Vec<Option<Vec<Record>>> = pool.install(|| {
        items
            .par_iter()
            .map(|k| {
                if stop.load(Ordering::SeqCst) {
                    return None;
                }
                let records = plan.run(*k);
                progress.inc(1);
                Some(records)
            })
            .collect()
    });
    progress.finish_and_clear();
    let finished = done.iter().filter(|d| d.is_some()).count();
    let interrupted = finished < items.len();
    if interrupted {
        eprintln!("jobsim: interrupted: {finished} of {} runs done; the output covers those", items.len());
    }
    let records: Vec<Record> = done.into_iter().flatten().flatten().collect();
    Ok((output(records, args.format), interrupted))
}

fn progress_bar(len: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} runs · {per_sec} · eta {eta}") {
        bar.set_style(style);
    }
    bar
}

fn merge(files: &[PathBuf], format: SweepFormat) -> Result<String, String> {
    let mut records = Vec::new();
    for f in files {
        records.extend(read_records(f)?);
    }
    Ok(output(records, format))
}

fn read_records(path: &Path) -> Result<Vec<Record>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    jobsim_core::sweep::records_from_jsonl(&text).map_err(|e| format!("{}: {}", path.display(), e.message))
}

fn output(records: Vec<Record>, format: SweepFormat) -> String {
    match format {
        SweepFormat::Jsonl => jobsim_core::sweep::records_jsonl(records),
        SweepFormat::Json => summarize(records).to_json(),
        SweepFormat::Text => table(&summarize(records)),
    }
}

/// The summary as a table, one row per configuration and job.
pub fn table(summary: &Summary) -> String {
    let mut rows: Vec<[String; 8]> = vec![[
        "vary".into(),
        "job".into(),
        "executions".into(),
        "success (95% interval)".into(),
        "duration p50/p90/p99/max".into(),
        "attempts mean/max".into(),
        "retries mean/max".into(),
        "cost p50/p99/mean".into(),
    ]];
    for c in &summary.configurations {
        let vary: Vec<String> =
            c.vary.iter().map(|(k, v)| format!("{k}={}", v.as_str().map_or(v.to_string(), str::to_string))).collect();
        let duration = c
            .duration
            .as_ref()
            .map_or("-".to_string(), |d| format!("{}/{}/{}/{}", secs(d.p50), secs(d.p90), secs(d.p99), secs(d.max)));
        rows.push([
            if vary.is_empty() { "-".into() } else { vary.join(" ") },
            c.job.clone(),
            c.executions.to_string(),
            format!(
                "{:.1}% ({}/{}) [{:.1}%, {:.1}%]",
                c.success_rate * 100.0,
                c.succeeded,
                c.executions,
                c.success_interval[0] * 100.0,
                c.success_interval[1] * 100.0
            ),
            duration,
            format!("{:.2}/{}", c.attempts.mean, c.attempts.max),
            format!("{:.2}/{}", c.retries.mean, c.retries.max),
            format!("${:.6}/${:.6}/${:.6}", c.cost.p50, c.cost.p99, c.cost.mean),
        ]);
    }
    let mut widths = [0usize; 8];
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = format!("{} runs per configuration\n", summary.runs);
    for r in &rows {
        let mut line = String::new();
        for (i, (cell, w)) in r.iter().zip(widths).enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            let _ = write!(line, "{cell:<w$}");
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Seconds for a table: `42.7s`, `1h02m`.
fn secs(s: f64) -> String {
    if s < 3600.0 {
        format!("{s:.1}s")
    } else {
        let m = (s / 60.0).round() as u64;
        format!("{}h{:02}m", m / 60, m % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_auto_reads_cloud_run_then_kubernetes_variables() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
        };
        let cloud_run = env(&[("CLOUD_RUN_TASK_INDEX", "2"), ("CLOUD_RUN_TASK_COUNT", "5")]);
        assert_eq!(shard(Some("auto"), cloud_run), Ok(Shard { index: 2, count: 5 }));
        let k8s = env(&[("JOB_COMPLETION_INDEX", "1"), ("JOBSIM_SHARD_COUNT", "3")]);
        assert_eq!(shard(Some("auto"), k8s), Ok(Shard { index: 1, count: 3 }));
        assert!(shard(Some("auto"), env(&[("JOB_COMPLETION_INDEX", "1")])).is_err());
        assert!(shard(Some("auto"), env(&[])).is_err());
        assert!(shard(Some("auto"), env(&[("CLOUD_RUN_TASK_INDEX", "5"), ("CLOUD_RUN_TASK_COUNT", "5")])).is_err());
        assert_eq!(shard(None, env(&[])), Ok(Shard::ALL));
        assert_eq!(shard(Some("0/2"), env(&[])), Ok(Shard { index: 0, count: 2 }));
    }
}
