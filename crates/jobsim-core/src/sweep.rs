//! What-if sweeps (issue #12): run one scenario many times — seeds S, S+1, … — over a grid of
//! job and workload knobs, and summarize how its executions end, how long they take and what
//! they cost.
//!
//! The core part is pure and single-threaded: a [`Plan`] numbers its work items (configuration
//! × run), [`Plan::run`] turns one item into typed [`Record`]s, and [`summarize`] turns records
//! into a [`Summary`]. Faces spread items over threads or machines (`--shard`) as they like: a
//! summary is computed from the records **sorted**, never from partial summaries, so any split,
//! merged, gives byte-for-byte the summary of the unsplit sweep. Integers are kept wherever a
//! sum is taken (µs, nano-USD), so no float sum depends on an order.
//!
//! A run's outcome is read from the core's projections: the attempts from the [`Timeline`] (the
//! one fold of the log into attempts), the instance size from the execution resource (`cost`).

use crate::cost;
use crate::error::{Error, Result};
use crate::scenario::Scenario;
use crate::settings::{limits, Workload};
use crate::simulator::Simulator;
use crate::step::Step;
use crate::time::{parse_duration, Micros};
use crate::timeline::{ExecutionTimeline, Timeline};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

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

fn bad_vary(text: &str, why: impl std::fmt::Display) -> Error {
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

/// One point of the grid: a value per axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Configuration {
    /// `key → value` per axis (empty without `--vary`).
    pub vary: BTreeMap<String, Value>,
    /// The scenario with the values applied (the seed is set per run).
    scenario: Scenario,
}

/// A sweep: the configurations of the grid and the runs of each.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Runs per configuration.
    pub runs: u64,
    /// Seed of run 0 (run i uses `seed + i`, wrapping).
    pub seed: u64,
    /// The grid, first axis slowest.
    pub configurations: Vec<Configuration>,
}

/// Most work items (configurations × runs) one sweep may have.
pub const MAX_ITEMS: u64 = 100_000_000;

impl Plan {
    /// The plan of `runs` runs per configuration of the grid of `axes` over `scenario`, from
    /// `seed` (default: the scenario's own seed).
    pub fn new(scenario: &Scenario, runs: u64, seed: Option<u64>, axes: &[Axis]) -> Result<Plan> {
        if runs == 0 {
            return Err(Error::scenario("--runs must be at least 1"));
        }
        let jobs = created_jobs(scenario);
        for a in axes {
            if let Some(job) = a.job.as_ref().filter(|j| !jobs.contains(j)) {
                return Err(bad_vary(&a.key, format!("no jobs.create step creates a job named {job:?}")));
            }
        }
        let mut configurations = vec![Configuration { vary: BTreeMap::new(), scenario: scenario.clone() }];
        for a in axes {
            let mut next = Vec::with_capacity(configurations.len() * a.values.len());
            for c in &configurations {
                for v in &a.values {
                    let mut c = c.clone();
                    c.vary.insert(a.key.clone(), v.clone());
                    let targets: Vec<String> = a.job.clone().map_or_else(|| jobs.clone(), |j| vec![j]);
                    for job in &targets {
                        apply(&mut c.scenario, job, a.knob, v)?;
                    }
                    next.push(c);
                }
            }
            configurations = next;
            if (configurations.len() as u64).saturating_mul(runs) > MAX_ITEMS {
                return Err(Error::scenario(format!("the sweep has more than {MAX_ITEMS} runs in all")));
            }
        }
        if (configurations.len() as u64).saturating_mul(runs) > MAX_ITEMS {
            return Err(Error::scenario(format!("the sweep has more than {MAX_ITEMS} runs in all")));
        }
        if axes.iter().any(|a| matches!(a.knob, Knob::TaskCount | Knob::Parallelism)) {
            for c in &mut configurations {
                fit_parallelism(c)?;
            }
        }
        Ok(Plan { runs, seed: seed.unwrap_or(scenario.world.seed), configurations })
    }

    /// Number of work items: configurations × runs. Item `k` is run `k % runs` of
    /// configuration `k / runs`.
    pub fn items(&self) -> u64 {
        self.configurations.len() as u64 * self.runs
    }

    /// Runs item `k`: the configuration's scenario with seed `seed + run`, its steps, then the
    /// clock until idle (so every execution has an outcome); one record per execution.
    pub fn run(&self, k: u64) -> Vec<Record> {
        let (config, run) = ((k / self.runs) as usize, k % self.runs);
        let Some(c) = self.configurations.get(config) else { return Vec::new() };
        let mut world = c.scenario.world.clone();
        world.seed = self.seed.wrapping_add(run);
        let seed = world.seed;
        let mut sim = Simulator::with_world(world);
        for (i, s) in c.scenario.steps.iter().enumerate() {
            crate::step::run_step(&mut sim, i, s);
        }
        // An execution that cannot finish before the end of simulated time stays `running`.
        let _ = sim.run_until_idle();
        let timeline = Timeline::of(sim.envelopes(1));
        timeline
            .executions
            .iter()
            .map(|x| {
                Record::of(sim.state(), x, RunId { runs: self.runs, configuration: config, vary: &c.vary, run, seed })
            })
            .collect()
    }
}

/// A sweep as a JS face asks for it: `{runs, seed?, vary?: ["KEY=V1,V2"], shard?: "I/N"}`.
#[derive(Debug, Clone)]
pub struct Request {
    /// The plan.
    pub plan: Plan,
    /// The part of it to run.
    pub shard: Shard,
}

impl Request {
    /// Reads the options of `Simulator.sweep(scenario, options)` (the CLI's flags as an object).
    pub fn from_options(scenario: &Scenario, options: &Value) -> Result<Request> {
        let bad = |field: &str, why: String| Error::scenario(format!("sweep options: {field} {why}"));
        let m = options.as_object().ok_or_else(|| bad("options", "must be an object".into()))?;
        if let Some(k) = m.keys().find(|k| !["runs", "seed", "vary", "shard", "format"].contains(&k.as_str())) {
            return Err(bad(k, "is not an option (runs, seed, vary, shard, format)".into()));
        }
        let runs = m.get("runs").and_then(Value::as_u64).ok_or_else(|| {
            bad("runs", format!("must be a positive integer, got {}", m.get("runs").unwrap_or(&Value::Null)))
        })?;
        let seed = match m.get("seed") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(crate::settings::parse_seed(s).map_err(|e| bad("seed", e))?),
            Some(v) => Some(v.as_u64().ok_or_else(|| bad("seed", format!("must be a non-negative integer, got {v}")))?),
        };
        let vary = match m.get("vary") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| {
                    v.as_str().ok_or_else(|| bad("vary", format!("entries must be \"KEY=V1,V2\" strings, got {v}")))
                })
                .map(|v| v.and_then(Axis::parse))
                .collect::<Result<Vec<_>>>()?,
            Some(v) => return Err(bad("vary", format!("must be an array of \"KEY=V1,V2\" strings, got {v}"))),
        };
        let shard = match m.get("shard") {
            None | Some(Value::Null) => Shard::ALL,
            Some(Value::String(s)) => Shard::parse(s)?,
            Some(v) => return Err(bad("shard", format!("must be \"I/N\", got {v}"))),
        };
        Ok(Request { plan: Plan::new(scenario, runs, seed, &vary)?, shard })
    }

    /// Every record of the shard, one item after the other (a face with threads spreads
    /// [`Plan::run`] instead).
    pub fn records(&self) -> Vec<Record> {
        (0..self.plan.items()).filter(|k| self.shard.owns(*k)).flat_map(|k| self.plan.run(k)).collect()
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

/// The jobs a scenario's `jobs.create` steps create, in order, once each.
fn created_jobs(scenario: &Scenario) -> Vec<String> {
    let mut jobs: Vec<String> = Vec::new();
    for s in &scenario.steps {
        if let Step::Call { method, params } = s {
            if method == "jobs.create" {
                if let Some(name) = params.pointer("/body/metadata/name").and_then(Value::as_str) {
                    if !jobs.iter().any(|j| j == name) {
                        jobs.push(name.to_string());
                    }
                }
            }
        }
    }
    jobs
}

/// Sets `field` of the object at `path` under `v`, making objects where they are missing.
fn set_at(v: &mut Value, path: &[&str], field: &str, value: Value) {
    if !v.is_object() {
        *v = Value::Object(Map::new());
    }
    if let Value::Object(m) = v {
        match path.split_first() {
            Some((key, rest)) => set_at(m.entry(key.to_string()).or_insert(Value::Null), rest, field, value),
            None => {
                m.insert(field.to_string(), value);
            }
        }
    }
}

/// An int field of a body as a number (proto3 JSON: a number or a decimal string).
fn int_of(v: Option<&Value>) -> Option<i64> {
    v.and_then(|v| v.as_i64().or_else(|| v.as_str().and_then(|s| s.parse().ok())))
}

/// R11 refuses `parallelism > taskCount`. A `taskCount` below the job's own parallelism lowers
/// the parallelism to it (what the user means by fewer tasks); a varied `parallelism` above the
/// task count is refused, naming the configuration.
fn fit_parallelism(c: &mut Configuration) -> Result<()> {
    let varied = |job: &str| c.vary.keys().any(|k| k == "parallelism" || *k == format!("{job}.parallelism"));
    let mut refused = None;
    for s in &mut c.scenario.steps {
        let Step::Call { method, params } = s else { continue };
        if method != "jobs.create" && method != "jobs.replaceJob" {
            continue;
        }
        let job = match method.as_str() {
            "jobs.create" => params.pointer("/body/metadata/name"),
            _ => params.get("name"),
        }
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
        let Some(spec) = params.pointer_mut("/body/spec/template/spec").and_then(Value::as_object_mut) else {
            continue;
        };
        let (tasks, parallelism) = (int_of(spec.get("taskCount")).unwrap_or(1), int_of(spec.get("parallelism")));
        match parallelism {
            Some(p) if p > tasks && varied(&job) => refused = Some((job, p, tasks)),
            Some(p) if p > tasks => {
                spec.insert("parallelism".into(), Value::from(tasks));
            }
            _ => {}
        }
    }
    match refused {
        Some((job, p, t)) => Err(Error::scenario(format!(
            "--vary: configuration {} gives job {job:?} parallelism {p} above its taskCount {t} (the API refuses it, R11)",
            serde_json::to_string(&c.vary).unwrap_or_default()
        ))),
        None => Ok(()),
    }
}

/// Sets one knob of `job` in a scenario: its `jobs.create` / `jobs.replaceJob` bodies and
/// `jobs.run` overrides, or its workload (added when it has none).
fn apply(scenario: &mut Scenario, job: &str, knob: Knob, v: &Value) -> Result<()> {
    let workload = |s: &mut Scenario| -> usize {
        match s.world.workloads.iter().position(|w| w.job == job) {
            Some(i) => i,
            None => {
                s.world.workloads.push(Workload {
                    job: job.to_string(),
                    duration: None,
                    jitter: 0,
                    failure_rate: 0.0,
                    exit_code: 1,
                });
                s.world.workloads.len() - 1
            }
        }
    };
    let duration =
        |v: &Value| -> Result<Micros> { parse_duration(v.as_str().unwrap_or_default()).map_err(Error::scenario) };
    match knob {
        Knob::FailureRate => {
            let i = workload(scenario);
            if let Some(w) = scenario.world.workloads.get_mut(i) {
                w.failure_rate = v.as_f64().unwrap_or_default();
            }
        }
        Knob::Duration => {
            let d = duration(v)?;
            let i = workload(scenario);
            if let Some(w) = scenario.world.workloads.get_mut(i) {
                w.duration = Some(d);
            }
        }
        Knob::Jitter => {
            let d = duration(v)?;
            let i = workload(scenario);
            if let Some(w) = scenario.world.workloads.get_mut(i) {
                w.jitter = d;
            }
        }
        Knob::TaskCount | Knob::Parallelism | Knob::MaxRetries | Knob::TimeoutSeconds => {
            for s in &mut scenario.steps {
                let Step::Call { method, params } = s else { continue };
                let named = match method.as_str() {
                    "jobs.create" => params.pointer("/body/metadata/name"),
                    _ => params.get("name"),
                }
                .and_then(Value::as_str)
                    == Some(job);
                if !named {
                    continue;
                }
                match method.as_str() {
                    "jobs.create" | "jobs.replaceJob" => {
                        let (path, field): (&[&str], &str) = match knob {
                            Knob::TaskCount => (&["body", "spec", "template", "spec"], "taskCount"),
                            Knob::Parallelism => (&["body", "spec", "template", "spec"], "parallelism"),
                            Knob::MaxRetries => {
                                (&["body", "spec", "template", "spec", "template", "spec"], "maxRetries")
                            }
                            _ => (&["body", "spec", "template", "spec", "template", "spec"], "timeoutSeconds"),
                        };
                        set_at(params, path, field, v.clone());
                    }
                    // An override the scenario gives is replaced by the knob's value.
                    "jobs.run" => {
                        let overrides = params.pointer_mut("/body/overrides").and_then(Value::as_object_mut);
                        match (knob, overrides) {
                            (Knob::TaskCount, Some(o)) if o.contains_key("taskCount") => {
                                o.insert("taskCount".into(), v.clone());
                            }
                            (Knob::TimeoutSeconds, Some(o)) if o.contains_key("timeout") => {
                                o.insert("timeout".into(), json!(format!("{}s", v)));
                            }
                            _ => {}
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(())
}

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
struct RunId<'c> {
    runs: u64,
    configuration: usize,
    vary: &'c BTreeMap<String, Value>,
    run: u64,
    seed: u64,
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
    fn of(state: &crate::state::State, x: &ExecutionTimeline, id: RunId<'_>) -> Record {
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
    /// Creation → completion of the executions that ended (`None` if none did).
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

/// Sorts records by (configuration, run, job, execution) and drops repeats of one (a shard
/// merged twice counts once): the one order every summary and `jsonl` output uses.
pub fn sort_records(records: &mut Vec<Record>) {
    records.sort_by(|a, b| a.order().cmp(&b.order()));
    records.dedup_by(|a, b| a.order() == b.order());
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
