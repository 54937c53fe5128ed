//! One scenario step as every face runs it: what a call step may carry, whether a step writes,
//! how it runs on a [`Simulator`] and its typed [`Outcome`].
//!
//! The CLI (`jobsim run`), the wasm package (`Simulator.runStep`, `optionKeys`, `callParams`)
//! and through it the web demo all use this module, so a step means the same everywhere.

use crate::api::{kind_of, METHODS, READ_METHODS};
use crate::error::{Error, Result};
use crate::request::Response;
use crate::simulator::Simulator;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

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

pub use crate::options::OPTION_KEYS;

/// The parameters a call step may carry besides `call` (the union over the methods).
pub const CALL_PARAMS: &[&str] = &["name", "latestOf", "namespace", "body", "query"];

/// The keys a call step may have: `call` and the call parameters.
const CALL_KEYS: [&str; 6] = ["call", CALL_PARAMS[0], CALL_PARAMS[1], CALL_PARAMS[2], CALL_PARAMS[3], CALL_PARAMS[4]];

/// The parameters each method takes, by method id: what wasm's `callParams()` returns. Derived
/// from the one table the API enforces ([`crate::api::takes_param`], D24), so it cannot drift.
pub fn call_params() -> BTreeMap<&'static str, Vec<&'static str>> {
    crate::api::METHODS
        .iter()
        .map(|m| (*m, CALL_PARAMS.iter().copied().filter(|p| crate::api::takes_param(m, p)).collect()))
        .collect()
}

impl Step {
    /// Whether the step may change the state: clock moves and writes do; gets, lists and dry
    /// runs (`query.dryRun`) do not (the web demo records a read only when a file has it).
    pub fn is_mutation(&self) -> bool {
        match self {
            Step::Call { method, params } => {
                let dry_run = params
                    .pointer("/query/dryRun")
                    .is_some_and(|v| !matches!(v, Value::Null | Value::Bool(false)) && v != "");
                !READ_METHODS.contains(&method.as_str()) && !dry_run
            }
            Step::Advance(_) | Step::AdvanceTo(_) | Step::RunUntilIdle => true,
        }
    }
}

/// Which clock move a clock step made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ClockMove {
    /// `advance`.
    Advance,
    /// `advanceTo`.
    AdvanceTo,
    /// `runUntilIdle`.
    RunUntilIdle,
}

impl ClockMove {
    /// The step key of the move (`advance`, `advanceTo`, `runUntilIdle`).
    pub fn as_str(self) -> &'static str {
        match self {
            ClockMove::Advance => "advance",
            ClockMove::AdvanceTo => "advanceTo",
            ClockMove::RunUntilIdle => "runUntilIdle",
        }
    }
}

/// A clock move that went through: the virtual now after it and how many events it recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    /// RFC 3339 now after the move.
    pub now: String,
    /// Events recorded by the move.
    pub events: usize,
}

/// The outcome of one step. API and clock errors are outcomes (their status and Google error
/// body), not failures of the scenario; the error stays typed here for faces that throw it.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// An API call.
    Call {
        /// Step index.
        step: usize,
        /// Method id.
        method: String,
        /// The typed response, or the API error.
        result: Result<Response>,
    },
    /// A clock move.
    Clock {
        /// Step index.
        step: usize,
        /// Which move.
        clock: ClockMove,
        /// Now and events, or the error.
        result: Result<Moved>,
    },
}

impl Outcome {
    /// The error of a step that failed.
    pub fn error(&self) -> Option<&Error> {
        match self {
            Outcome::Call { result: Err(e), .. } | Outcome::Clock { result: Err(e), .. } => Some(e),
            _ => None,
        }
    }

    /// The outcome line as a `Value` (for Rust callers and tests), from its `Serialize`.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// The outcome line as compact JSON text, byte for byte `self.to_json().to_string()`,
    /// written straight from the typed outcome (`jobsim run --format json`, wasm `runStep`).
    pub fn to_json_text(&self) -> String {
        crate::json_text::to_text(self)
    }

    /// Appends the outcome line's JSON text to `out` (no newline).
    pub fn write_json_text(&self, out: &mut Vec<u8>) {
        crate::json_text::append(self, out);
    }
}

/// The outcome line of `jobsim run --format json` — the one definition of it: `{step, call,
/// status, body}` or `{step, clock, now, events}` (`{step, clock, status, body}` for a refused
/// move), written with sorted keys as the lines have always been.
impl Serialize for Outcome {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = serializer.serialize_map(Some(4))?;
        match self {
            Outcome::Call { step, method, result } => {
                match result {
                    Ok(body) => m.serialize_entry("body", &Body(body))?,
                    Err(e) => m.serialize_entry("body", e)?,
                }
                m.serialize_entry("call", method)?;
                m.serialize_entry("status", &result.as_ref().map_or_else(Error::http_status, |_| 200))?;
                m.serialize_entry("step", step)?;
            }
            Outcome::Clock { step, clock, result: Ok(moved) } => {
                m.serialize_entry("clock", clock.as_str())?;
                m.serialize_entry("events", &moved.events)?;
                m.serialize_entry("now", &moved.now)?;
                m.serialize_entry("step", step)?;
            }
            Outcome::Clock { step, clock, result: Err(e) } => {
                m.serialize_entry("body", e)?;
                m.serialize_entry("clock", clock.as_str())?;
                m.serialize_entry("status", &e.http_status())?;
                m.serialize_entry("step", step)?;
            }
        }
        m.end()
    }
}

/// A response body as the API writes it (the resource or page itself).
struct Body<'a>(&'a Response);

impl Serialize for Body<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        match self.0 {
            Response::Job(job) => job.serialize(serializer),
            Response::Execution(execution) => execution.serialize(serializer),
            Response::Task(task) => task.serialize(serializer),
            Response::Status(status) => status.serialize(serializer),
            Response::Jobs(page) => page.serialize(serializer),
            Response::Executions(page) => page.serialize(serializer),
            Response::Tasks(page) => page.serialize(serializer),
        }
    }
}

/// Applies one step (index `index` of its scenario) to a simulator. A refused step leaves the
/// simulator as it was (every command is all or nothing).
pub fn run_step(sim: &mut Simulator, index: usize, step: &Step) -> Outcome {
    let clock = |clock: ClockMove, result: Result<usize>, sim: &Simulator| Outcome::Clock {
        step: index,
        clock,
        result: result.map(|events| Moved { now: sim.now(), events }),
    };
    match step {
        Step::Call { method, params } => {
            Outcome::Call { step: index, method: method.clone(), result: sim.call_response(method, params) }
        }
        Step::Advance(by) => {
            let r = sim.advance(by);
            clock(ClockMove::Advance, r, sim)
        }
        Step::AdvanceTo(t) => {
            let r = sim.advance_to(t);
            clock(ClockMove::AdvanceTo, r, sim)
        }
        Step::RunUntilIdle => {
            let r = sim.run_until_idle();
            clock(ClockMove::RunUntilIdle, r, sim)
        }
    }
}

/// Adds the line and column of a document's parse error as data. They are read from the
/// parser's own error (the text is parsed again on this error path only), never from the message;
/// YAML nested too deep is located by the same linear pre-scan that refused it. (Parsing into
/// `Value`, as the first parse did, reuses its code: a second deserializer would cost wasm bytes.)
pub fn locate_in_text(text: &str, error: Error) -> Error {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        match serde_json::from_str::<Value>(text) {
            Err(e) if e.line() > 0 => error.at_line(e.line(), Some(e.column())),
            _ => error,
        }
    } else if let Some(line) = crate::resources::yaml_flow_too_deep(text, crate::resources::MAX_YAML_FLOW_DEPTH) {
        error.at_line(line, None)
    } else {
        match serde_yaml_ng::from_str::<Value>(text) {
            Err(e) => match e.location() {
                Some(at) => error.at_line(at.line(), Some(at.column())),
                None => error,
            },
            Ok(_) => error,
        }
    }
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
    let m =
        v.as_object().ok_or_else(|| Error::scenario_field(&at, format!("must be an object, got {}", kind_of(v))))?;
    let kinds: Vec<&str> =
        ["call", "advance", "advanceTo", "runUntilIdle"].into_iter().filter(|k| m.contains_key(*k)).collect();
    let only = |allowed: &[&str]| match m.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(Error::scenario_field(
            &format!("{at}.{k}"),
            format!("unknown key; a step like this accepts {}", allowed.join(", ")),
        )),
        None => Ok(()),
    };
    match kinds.as_slice() {
        ["call"] => {
            only(&CALL_KEYS)?;
            let method = m
                .get("call")
                .and_then(Value::as_str)
                .ok_or_else(|| Error::scenario_field(&format!("{at}.call"), "must be a method name string"))?;
            if !METHODS.contains(&method) {
                return Err(Error::scenario_field(
                    &format!("{at}.call"),
                    format!("unknown method {method:?}; expected one of {}", METHODS.join(", ")),
                ));
            }
            // A parameter the method does not take would be refused at run time (D24); a
            // scenario that says it is a mistake in the file, caught before anything runs.
            if let Some(k) = m.keys().find(|k| k.as_str() != "call" && !crate::api::takes_param(method, k)) {
                let takes: Vec<&str> =
                    CALL_PARAMS.iter().copied().filter(|p| crate::api::takes_param(method, p)).collect();
                return Err(Error::scenario_field(
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
                crate::time::duration_from_json(&by).map_err(|e| Error::scenario_field(&format!("{at}.advance"), e))?;
            }
            Ok(Step::Advance(by))
        }
        ["advanceTo"] => {
            only(&["advanceTo"])?;
            let t = m
                .get("advanceTo")
                .and_then(Value::as_str)
                .ok_or_else(|| Error::scenario_field(&format!("{at}.advanceTo"), "must be an RFC 3339 time string"))?;
            crate::time::parse_timestamp(t).map_err(|e| Error::scenario_field(&format!("{at}.advanceTo"), e))?;
            Ok(Step::AdvanceTo(t.to_string()))
        }
        ["runUntilIdle"] => {
            only(&["runUntilIdle"])?;
            match m.get("runUntilIdle") {
                Some(Value::Bool(true)) => Ok(Step::RunUntilIdle),
                _ => Err(Error::scenario_field(&format!("{at}.runUntilIdle"), "must be true")),
            }
        }
        [] => Err(Error::scenario_field(&at, "needs one of call, advance, advanceTo, runUntilIdle")),
        many => {
            Err(Error::scenario_field(&at, format!("has {} but a step does exactly one thing", many.join(" and "))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{parse_document, Scenario};
    use serde_json::json;

    /// The place the message names, the way the wasm package used to read it (for comparison).
    fn named_in_message(message: &str) -> Option<(usize, usize)> {
        let at = message.find("line ")?;
        let rest = &message[at + 5..];
        let end = rest.find(|c: char| !c.is_ascii_digit())?;
        let line = rest[..end].parse().ok()?;
        let rest = rest[end..].strip_prefix(" column ")?;
        let end = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        Some((line, rest[..end].parse().ok()?))
    }

    #[test]
    fn parse_errors_carry_line_and_column_as_data_matching_the_message() {
        for text in
            ["a: 1\n  b: : :\n", "{\"a\": 1,\n \"b\": }", "[1, 2,\n\n 3", "a: [1, 2\nb: 3\n", "x: 'unterminated\n"]
        {
            let e = parse_document(text).unwrap_err();
            let l = e.location.as_deref().unwrap_or_else(|| panic!("{text:?}: no location: {}", e.message));
            assert_eq!(
                Some((l.line.unwrap(), l.column.unwrap())),
                named_in_message(&e.message),
                "{text:?}: {}",
                e.message
            );
            // The Google body is what it was: no location in it.
            assert!(!e.body().to_string().contains("\"line\""));
        }
    }

    #[test]
    fn option_and_step_errors_carry_field_and_step_as_data() {
        let e =
            Scenario::parse("{\"workloads\": [{\"job\": \"a\", \"failureRate\": 1.5}], \"steps\": []}").unwrap_err();
        let l = e.location.as_deref().unwrap();
        assert_eq!((l.field.as_deref(), l.step), (Some("workloads[0].failureRate"), None), "{}", e.message);
        let e = Scenario::parse("steps:\n  - {runUntilIdle: true}\n  - {call: jobs.nope}\n").unwrap_err();
        let l = e.location.as_deref().unwrap();
        assert_eq!((l.field.as_deref(), l.step), (Some("steps[1].call"), Some(1)), "{}", e.message);
        let e = Step::from_value(4, &json!({"advance": "soon"})).unwrap_err();
        let l = e.location.as_deref().unwrap();
        assert_eq!((l.field.as_deref(), l.step), (Some("steps[4].advance"), Some(4)), "{}", e.message);
    }

    #[test]
    fn run_step_outcomes_are_the_json_lines_of_jobsim_run() {
        let mut sim = Simulator::new(&json!({"profile": "instant"})).unwrap();
        let get = Step::from_value(0, &json!({"call": "jobs.get", "name": "nope"})).unwrap();
        let o = run_step(&mut sim, 0, &get);
        assert_eq!(o.error().map(|e| e.code), Some(crate::ErrorCode::NotFound));
        assert_eq!(o.to_json()["status"], 404);
        assert_eq!(serde_json::to_value(&o).unwrap(), o.to_json());
        let o = run_step(&mut sim, 1, &Step::Advance(json!("90s")));
        assert_eq!(
            o.to_json(),
            json!({"step": 1, "clock": "advance", "now": "2026-01-01T00:01:30.000000Z", "events": 1})
        );
        assert!(!get.is_mutation());
        assert!(Step::RunUntilIdle.is_mutation());
        let dry = Step::from_value(0, &json!({"call": "jobs.create", "body": {}, "query": {"dryRun": "all"}})).unwrap();
        assert!(!dry.is_mutation());
        let run = Step::from_value(0, &json!({"call": "jobs.run", "name": "a"})).unwrap();
        assert!(run.is_mutation());
        assert_eq!(call_params().len(), crate::api::METHODS.len());
        let all = call_params();
        assert_eq!(all.len(), crate::api::METHODS.len());
        assert_eq!(all["jobs.create"], ["namespace", "body", "query"]);
        assert!(!all["jobs.create"].contains(&"name"), "D24: jobs.create takes no name");
        for params in all.values() {
            assert!(params.iter().all(|p| CALL_PARAMS.contains(p)));
        }
    }
}
