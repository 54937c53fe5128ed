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
//! Files: `axis.rs` (the `--vary` axes, shards), `record.rs` (one execution of one run),
//! `summary.rs` (the statistics); this one holds the grid, the runs and the JS-face request.
//!
//! A run's outcome is read from the core's projections: the attempts from the [`Timeline`] (the
//! one fold of the log into attempts), the instance size from the execution resource (`cost`).

mod axis;
mod record;
mod summary;

pub use axis::{Axis, Knob, Shard, KNOBS};
pub use record::{records_from_jsonl, records_jsonl, sort_records, Record, RunOutcome};
pub use summary::{summarize, wilson, Costs, Counts, Durations, JobSummary, Summary};

use crate::api::{int_value, job_step, JobStep};
use crate::error::{Error, Result};
use crate::scenario::Scenario;
use crate::settings::Workload;
use crate::simulator::Simulator;
use crate::step::Step;
use crate::time::{parse_duration, Micros};
use crate::view::timeline::Timeline;
use axis::bad_vary;
use record::RunId;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

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

/// The jobs a scenario's `jobs.create` steps create, in order, once each.
fn created_jobs(scenario: &Scenario) -> Vec<String> {
    let mut jobs: Vec<String> = Vec::new();
    for s in &scenario.steps {
        if let Step::Call { method, params } = s {
            if let Some((JobStep::Create, name)) = job_step(method, params) {
                if !jobs.iter().any(|j| j == name) {
                    jobs.push(name.to_string());
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

/// R11 refuses `parallelism > taskCount`. A `taskCount` below the job's own parallelism lowers
/// the parallelism to it (what the user means by fewer tasks); a varied `parallelism` above the
/// task count is refused, naming the configuration.
fn fit_parallelism(c: &mut Configuration) -> Result<()> {
    let varied = |job: &str| c.vary.keys().any(|k| k == "parallelism" || *k == format!("{job}.parallelism"));
    let mut refused = None;
    for s in &mut c.scenario.steps {
        let Step::Call { method, params } = s else { continue };
        let job = match job_step(method, params) {
            Some((JobStep::Create | JobStep::Replace, job)) => job.to_string(),
            _ => continue,
        };
        let Some(spec) = params.pointer_mut("/body/spec/template/spec").and_then(Value::as_object_mut) else {
            continue;
        };
        let (tasks, parallelism) = (int_value(spec.get("taskCount")).unwrap_or(1), int_value(spec.get("parallelism")));
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
                let step = match job_step(method, params) {
                    Some((step, named)) if named == job => step,
                    _ => continue,
                };
                match step {
                    JobStep::Create | JobStep::Replace => {
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
                    JobStep::Run => {
                        let overrides = params.pointer_mut("/body/overrides").and_then(Value::as_object_mut);
                        match (knob, overrides) {
                            (Knob::TaskCount, Some(o)) if o.contains_key("taskCount") => {
                                o.insert("taskCount".into(), v.clone());
                            }
                            (Knob::TimeoutSeconds, Some(o)) if o.contains_key("timeout") => {
                                o.insert("timeout".into(), Value::String(format!("{}s", v)));
                            }
                            _ => {}
                        }
                    }
                }
            }
        }
    }
    Ok(())
}
