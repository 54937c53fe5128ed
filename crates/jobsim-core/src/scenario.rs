//! Scenarios: the one way every face (CLI, wasm, web demo, tests) drives the simulator.
//!
//! A scenario is JSON or YAML: the simulator's options (seed, start, profile, project,
//! settings, workloads, faults) plus `steps` — API calls and clock moves. Running it gives one
//! outcome per step; API errors are outcomes too (their status and Google error body).

use crate::api::{check_depth, kind_of, METHODS};
use crate::error::{Error, Result};
use crate::options::world_from_options;
use crate::resources::document_value;
use crate::settings::{limits, World};
use crate::simulator::Simulator;
use serde_json::{Map, Value};

/// One step of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// An API call: method id and params `{name?, latestOf?, namespace?, body?, query?}`.
    Call {
        /// Method id, e.g. `jobs.create`.
        method: String,
        /// Parameters.
        params: Value,
    },
    /// Move the clock by a duration (`"90s"` or seconds).
    Advance(Value),
    /// Move the clock to an RFC 3339 time.
    AdvanceTo(String),
    /// Fire every timer until none is left.
    RunUntilIdle,
}

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
    /// One JSON outcome per step (the lines of `jobsim run --format json`).
    pub outcomes: Vec<Value>,
}

impl Run {
    /// The outcomes as JSON Lines, each ending in a newline.
    pub fn jsonl(&self) -> String {
        let mut out = String::new();
        for o in &self.outcomes {
            out.push_str(&o.to_string());
            out.push('\n');
        }
        out
    }
}

const CALL_KEYS: &[&str] = &["call", "name", "latestOf", "namespace", "body", "query"];

fn bad(field: &str, message: impl std::fmt::Display) -> Error {
    Error::scenario(format!("{field}: {message}")).with_field(field)
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
        let steps_value =
            m.get("steps").ok_or_else(|| bad("steps", "is required (a list of calls and clock moves)"))?;
        let raw = steps_value
            .as_array()
            .ok_or_else(|| bad("steps", format!("must be an array, got {}", kind_of(steps_value))))?;
        if raw.len() > limits::MAX_SCENARIO_ENTRIES {
            return Err(bad(
                "steps",
                format!("has {} steps; at most {} are accepted", raw.len(), limits::MAX_SCENARIO_ENTRIES),
            ));
        }
        let steps = raw.iter().enumerate().map(|(i, s)| Step::from_value(i, s)).collect::<Result<Vec<_>>>()?;
        // Workloads and faults must name jobs the scenario creates.
        let created: Vec<&str> = steps
            .iter()
            .filter_map(|s| match s {
                Step::Call { method, params } if method == "jobs.create" => {
                    params.pointer("/body/metadata/name").and_then(Value::as_str)
                }
                _ => None,
            })
            .collect();
        for (field, jobs) in [
            ("workloads", world.workloads.iter().map(|w| w.job.as_str()).collect::<Vec<_>>()),
            ("faults", world.faults.iter().map(|f| f.job.as_str()).collect::<Vec<_>>()),
        ] {
            if let Some((i, job)) = jobs.iter().enumerate().find(|(_, j)| !created.contains(j)) {
                return Err(bad(
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
        crate::options::check_faults_reach(&world.faults, &calls)?;
        Ok(Scenario { options, world, steps })
    }

    /// Runs every step on a fresh simulator.
    pub fn run(&self) -> Result<Run> {
        let mut simulator = Simulator::with_world(self.world.clone());
        let mut outcomes = Vec::with_capacity(self.steps.len());
        for (i, s) in self.steps.iter().enumerate() {
            outcomes.push(run_step(&mut simulator, i, s));
        }
        Ok(Run { simulator, outcomes })
    }
}

/// Runs one step and returns its outcome line (the typed [`Outcome`](crate::step::Outcome) as JSON).
pub fn run_step(sim: &mut Simulator, index: usize, step: &Step) -> Value {
    crate::step::run_step(sim, index, step).to_json()
}

impl Step {
    /// Reads step `index` of a scenario (what a face sends one step at a time); errors name the
    /// field and carry the step index as data.
    pub fn from_value(index: usize, value: &Value) -> Result<Step> {
        step(index, value).map_err(|e| e.in_step(index))
    }
}

fn step(i: usize, v: &Value) -> Result<Step> {
    let at = format!("steps[{i}]");
    let m = v.as_object().ok_or_else(|| bad(&at, format!("must be an object, got {}", kind_of(v))))?;
    let kinds: Vec<&str> =
        ["call", "advance", "advanceTo", "runUntilIdle"].into_iter().filter(|k| m.contains_key(*k)).collect();
    let only = |allowed: &[&str]| match m.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => {
            Err(bad(&format!("{at}.{k}"), format!("unknown key; a step like this accepts {}", allowed.join(", "))))
        }
        None => Ok(()),
    };
    match kinds.as_slice() {
        ["call"] => {
            only(CALL_KEYS)?;
            let method = m
                .get("call")
                .and_then(Value::as_str)
                .ok_or_else(|| bad(&format!("{at}.call"), "must be a method name string"))?;
            if !METHODS.contains(&method) {
                return Err(bad(
                    &format!("{at}.call"),
                    format!("unknown method {method:?}; expected one of {}", METHODS.join(", ")),
                ));
            }
            // A parameter the method does not take would be refused at run time (D24); a
            // scenario that says it is a mistake in the file, caught before anything runs.
            if let Some(k) = m.keys().find(|k| k.as_str() != "call" && !crate::api::takes_param(method, k)) {
                let takes: Vec<&str> =
                    CALL_KEYS.iter().copied().filter(|p| *p != "call" && crate::api::takes_param(method, p)).collect();
                return Err(bad(
                    &format!("{at}.{k}"),
                    format!("{method} does not take {k:?}; it takes {}", takes.join(", ")),
                ));
            }
            let params: Map<String, Value> =
                m.iter().filter(|(k, _)| k.as_str() != "call").map(|(k, v)| (k.clone(), v.clone())).collect();
            Ok(Step::Call { method: method.to_string(), params: Value::Object(params) })
        }
        ["advance"] => {
            only(&["advance"])?;
            let by = m.get("advance").cloned().unwrap_or(Value::Null);
            // A negative duration is well formed: running it is a step error outcome, like
            // `advanceTo` a past time (README, scenario format).
            if crate::time::negative_duration_from_json(&by).is_none() {
                crate::time::duration_from_json(&by).map_err(|e| bad(&format!("{at}.advance"), e))?;
            }
            Ok(Step::Advance(by))
        }
        ["advanceTo"] => {
            only(&["advanceTo"])?;
            let t = m
                .get("advanceTo")
                .and_then(Value::as_str)
                .ok_or_else(|| bad(&format!("{at}.advanceTo"), "must be an RFC 3339 time string"))?;
            crate::time::parse_timestamp(t).map_err(|e| bad(&format!("{at}.advanceTo"), e))?;
            Ok(Step::AdvanceTo(t.to_string()))
        }
        ["runUntilIdle"] => {
            only(&["runUntilIdle"])?;
            match m.get("runUntilIdle") {
                Some(Value::Bool(true)) => Ok(Step::RunUntilIdle),
                _ => Err(bad(&format!("{at}.runUntilIdle"), "must be true")),
            }
        }
        [] => Err(bad(&at, "needs one of call, advance, advanceTo, runUntilIdle")),
        many => Err(bad(&at, format!("has {} but a step does exactly one thing", many.join(" and ")))),
    }
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
