//! Scenarios: the one way every face (CLI, wasm, web demo, tests) drives the simulator.
//!
//! A scenario is JSON or YAML: the simulator's options (seed, start, profile, project,
//! settings, workloads, faults) plus `steps` — API calls and clock moves. Running it gives one
//! outcome per step; API errors are outcomes too (their status and Google error body).

use crate::api::{check_depth, int_value, job_step, kind_of, JobStep};
use crate::error::{Error, Result};
use crate::options::world_from_options;
use crate::resources::document_value;
use crate::settings::{limits, Fault, World};
use crate::simulator::Simulator;
pub use crate::step::{Outcome, Step};
use serde_json::{Map, Value};

/// A parsed scenario: the world it starts (typed, checked once) and its steps.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// The top-level keys other than `steps` (the simulator's options), as written.
    pub options: Value,
    /// The world those options give (what [`Scenario::run`] starts).
    pub world: World,
    /// The steps, in order.
    pub steps: Vec<Step>,
}

/// The result of running a scenario: the simulator at the end and one outcome per step.
#[derive(Debug, Clone)]
pub struct Run {
    /// The simulator after the last step.
    pub simulator: Simulator,
    /// One typed outcome per step (each a line of `jobsim run --format json`).
    pub outcomes: Vec<Outcome>,
}

impl Run {
    /// The outcomes as JSON Lines, each ending in a newline, written straight from the typed
    /// outcomes (no `Value`).
    pub fn jsonl(&self) -> String {
        let mut out = Vec::with_capacity(256 * self.outcomes.len());
        for o in &self.outcomes {
            o.write_json_text(&mut out);
            out.push(b'\n');
        }
        // JSON text of Rust strings is UTF-8.
        String::from_utf8(out).unwrap_or_default()
    }

    /// The outcome lines as `Value`s (for Rust callers and tests), derived from the typed ones.
    pub fn outcome_values(&self) -> Vec<Value> {
        self.outcomes.iter().map(Outcome::to_json).collect()
    }
}

impl Scenario {
    /// Parses scenario text (JSON or YAML).
    pub fn parse(text: &str) -> Result<Scenario> {
        if text.len() > limits::MAX_INPUT_BYTES {
            return Err(Error::scenario(format!(
                "the scenario is {} bytes; at most {} are accepted",
                text.len(),
                limits::MAX_INPUT_BYTES
            )));
        }
        Scenario::from_value(&parse_document(text)?)
    }

    /// Reads a scenario from a JSON value, checking every step and option.
    pub fn from_value(value: &Value) -> Result<Scenario> {
        let m = value
            .as_object()
            .ok_or_else(|| Error::scenario(format!("a scenario must be an object, got {}", kind_of(value))))?;
        check_depth(value, limits::MAX_NESTING + 8, "scenario").map_err(|e| Error::scenario(e.message))?;
        let options: Map<String, Value> =
            m.iter().filter(|(k, _)| k.as_str() != "steps").map(|(k, v)| (k.clone(), v.clone())).collect();
        let options = Value::Object(options);
        let world = world_from_options(&options)?;
        let steps_value = m
            .get("steps")
            .ok_or_else(|| Error::scenario_field("steps", "is required (a list of calls and clock moves)"))?;
        let raw = steps_value
            .as_array()
            .ok_or_else(|| Error::scenario_field("steps", format!("must be an array, got {}", kind_of(steps_value))))?;
        if raw.len() > limits::MAX_SCENARIO_ENTRIES {
            return Err(Error::scenario_field(
                "steps",
                format!("has {} steps; at most {} are accepted", raw.len(), limits::MAX_SCENARIO_ENTRIES),
            ));
        }
        let steps = raw.iter().enumerate().map(|(i, s)| Step::from_value(i, s)).collect::<Result<Vec<_>>>()?;
        // Workloads and faults must name jobs the scenario creates.
        let created: Vec<&str> = steps
            .iter()
            .filter_map(|s| match s {
                Step::Call { method, params } => match job_step(method, params) {
                    Some((JobStep::Create, job)) => Some(job),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        for (field, jobs) in [
            ("workloads", world.workloads.iter().map(|w| w.job.as_str()).collect::<Vec<_>>()),
            ("faults", world.faults.iter().map(|f| f.job.as_str()).collect::<Vec<_>>()),
        ] {
            if let Some((i, job)) = jobs.iter().enumerate().find(|(_, j)| !created.contains(j)) {
                return Err(Error::scenario_field(
                    &format!("{field}[{i}].job"),
                    format!("no jobs.create step creates a job named {job:?}"),
                ));
            }
        }
        let calls: Vec<(&str, &Value)> = steps
            .iter()
            .filter_map(|s| match s {
                Step::Call { method, params } => Some((method.as_str(), params)),
                _ => None,
            })
            .collect();
        check_faults_reach(&world.faults, &calls)?;
        Ok(Scenario { options, world, steps })
    }

    /// Runs every step on a fresh simulator.
    pub fn run(&self) -> Result<Run> {
        let mut simulator = Simulator::with_world(self.world.clone());
        let mut outcomes = Vec::with_capacity(self.steps.len());
        for (i, s) in self.steps.iter().enumerate() {
            outcomes.push(crate::step::run_step(&mut simulator, i, s));
        }
        Ok(Run { simulator, outcomes })
    }
}

/// Runs one step and returns its outcome line (the typed [`Outcome`](crate::step::Outcome) as JSON).
pub fn run_step(sim: &mut Simulator, index: usize, step: &Step) -> Value {
    crate::step::run_step(sim, index, step).to_json()
}

/// Parses a JSON or YAML document (a scenario, a job as `gcloud run jobs describe --format
/// export` prints it) into JSON, with the same parser every face uses; errors name the line.
pub fn parse_document(text: &str) -> Result<Value> {
    if text.len() > limits::MAX_INPUT_BYTES {
        return Err(Error::scenario(format!(
            "the document is {} bytes; at most {} are accepted",
            text.len(),
            limits::MAX_INPUT_BYTES
        )));
    }
    let value = document_value(text).map_err(|e| crate::step::locate_in_text(text, Error::scenario(e)))?;
    check_depth(&value, limits::MAX_NESTING + 8, "document").map_err(|e| Error::scenario(e.message))?;
    Ok(value)
}

/// Refuses faults that name a task or an attempt no execution of their job can have, given every
/// job body and run override the scenario's `calls` (method, params) send: a task index at or
/// above the largest `taskCount`, an attempt above the largest `maxRetries` (R10 defaults 1 and
/// 3). A fault that can never match would silently change nothing (issue #9, item 13).
fn check_faults_reach(faults: &[Fault], calls: &[(&str, &Value)]) -> Result<()> {
    for (i, f) in faults.iter().enumerate() {
        let (mut tasks, mut retries) = (None::<i64>, None::<i64>);
        for (method, params) in calls {
            let Some((step, job)) = job_step(method, params) else { continue };
            if job != f.job {
                continue;
            }
            if step == JobStep::Run {
                let count = int_value(params.pointer("/body/overrides/taskCount")).unwrap_or(0);
                tasks = tasks.max(Some(count));
                continue;
            }
            let es = params.pointer("/body/spec/template/spec");
            let count = match es.and_then(|s| s.get("taskCount")) {
                None | Some(Value::Null) => Some(1),
                v => int_value(v).or(Some(i64::from(limits::MAX_TASK_COUNT))),
            };
            let max_retries = match es.and_then(|s| s.pointer("/template/spec/maxRetries")) {
                None | Some(Value::Null) => Some(i64::from(limits::DEFAULT_MAX_RETRIES)),
                v => int_value(v).or(Some(i64::from(limits::MAX_RETRIES))),
            };
            tasks = tasks.max(count);
            retries = retries.max(max_retries);
        }
        let field = format!("faults[{i}]");
        if let (Some(task), Some(tasks)) = (f.task, tasks) {
            if i64::from(task) >= tasks.max(1) {
                return Err(Error::scenario_field(
                    &format!("{field}.task"),
                    format!(
                        "task {task} cannot exist: job {:?} has at most {} task(s) in this scenario (indexes 0 to {})",
                        f.job,
                        tasks.max(1),
                        tasks.max(1) - 1
                    ),
                ));
            }
        }
        if let (Some(attempt), Some(retries)) = (f.attempt, retries) {
            if i64::from(attempt) > retries.max(0) {
                return Err(Error::scenario_field(
                    &format!("{field}.attempt"),
                    format!(
                        "attempt {attempt} cannot exist: job {:?} allows at most maxRetries={} in this scenario (attempts 0 to {})",
                        f.job,
                        retries.max(0),
                        retries.max(0)
                    ),
                ));
            }
        }
    }
    Ok(())
}
