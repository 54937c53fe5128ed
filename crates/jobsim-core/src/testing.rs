//! Given/when/then helpers for tests, usable from any crate that embeds jobsim.
//!
//! A test reads like the rule it pins: a world and the steps that already happened, one step
//! under test, and what must follow. Steps use the scenario format (`{"call": "jobs.create",
//! "body": …}`, `{"advance": "1s"}`, `{"runUntilIdle": true}`, …), so a test and a scenario
//! file say things the same way.
//!
//! ```
//! use jobsim_core::testing::{job, Given};
//! use jobsim_core::ErrorCode;
//! use serde_json::json;
//!
//! // R9: a second create of the same name is refused and changes nothing.
//! Given::scenario(&json!({"profile": "instant"}))
//!     .given(&[json!({"call": "jobs.create", "body": job("etl", "us-docker.pkg.dev/demo/etl:1")})])
//!     .when(json!({"call": "jobs.create", "body": job("etl", "us-docker.pkg.dev/demo/etl:2")}))
//!     .then_err(ErrorCode::AlreadyExists);
//! ```
//!
//! [`Then::then_err`] also checks that the rejected step left the state and the event log
//! exactly as they were. Values that depend on the world (timestamps, uids, operation ids, …)
//! can be blanked out with [`normalize`] before comparing, and a whole scenario can be turned
//! into one snapshot-friendly value with [`scenario_outcome`].
//!
//! Everything here fails by panicking with a message that names the step, as test helpers do;
//! the functions carry `#[track_caller]`, so the failure points at the test's line.

// This module exists to fail tests with a clear message.
#![allow(clippy::panic)]

use crate::error::{Error, ErrorCode};
use crate::scenario::{Scenario, Step};
use crate::simulator::Simulator;
use serde_json::{json, Value};

/// The body of a minimal job: one task, one container running `image` (everything else
/// defaulted by the server, R10).
pub fn job(name: &str, image: &str) -> Value {
    json!({
        "apiVersion": "run.googleapis.com/v1",
        "kind": "Job",
        "metadata": {"name": name},
        "spec": {"template": {"spec": {"template": {"spec": {"containers": [{"image": image}]}}}}}
    })
}

/// A simulator that some steps already happened to; see the [module docs](self).
#[derive(Debug, Clone)]
pub struct Given {
    sim: Simulator,
}

/// A world with the default options (realistic profile, seed 0) and these steps done.
#[track_caller]
pub fn given(steps: &[Value]) -> Given {
    Given::scenario(&Value::Null).given(steps)
}

impl Given {
    /// A world from a scenario value: its options (`seed`, `profile`, `settings`, …) and, if it
    /// has them, its `steps`, run as givens (each must succeed).
    #[track_caller]
    pub fn scenario(scenario: &Value) -> Given {
        let mut options = scenario.clone();
        let steps = match options.as_object_mut().and_then(|m| m.remove("steps")) {
            Some(Value::Array(steps)) => steps,
            Some(other) => panic!("given: `steps` must be an array, got {other}"),
            None => Vec::new(),
        };
        let sim = match Simulator::new(&options) {
            Ok(sim) => sim,
            Err(e) => panic!("given: the options do not make a world: {e}"),
        };
        Given { sim }.given(&steps)
    }

    /// A world from scenario text (JSON or YAML, e.g. an `include_str!` of a scenario file).
    #[track_caller]
    pub fn scenario_text(text: &str) -> Given {
        match crate::resources::document_value(text) {
            Ok(value) => Given::scenario(&value),
            Err(e) => panic!("given: the scenario text cannot be read: {e}"),
        }
    }

    /// Runs more steps as givens. A given that fails stops the test: it is a mistake in the
    /// test's setup, not the behaviour under test.
    #[track_caller]
    pub fn given(mut self, steps: &[Value]) -> Given {
        for (i, step) in steps.iter().enumerate() {
            let parsed = parse_step(step);
            if let Err(e) = perform(&mut self.sim, &parsed) {
                panic!("given step {i} {step} failed: {}", e.body());
            }
        }
        self
    }

    /// Runs the step under test; nothing is asserted yet.
    #[track_caller]
    pub fn when(mut self, step: Value) -> Then {
        let parsed = parse_step(&step);
        let version = self.sim.version();
        let before = self.sim.snapshot();
        let result = perform(&mut self.sim, &parsed);
        Then { sim: self.sim, step, result, version, before }
    }

    /// The simulator so far.
    pub fn simulator(&self) -> &Simulator {
        &self.sim
    }

    /// The simulator so far, to drive it directly.
    pub fn simulator_mut(&mut self) -> &mut Simulator {
        &mut self.sim
    }

    /// The simulator, for the rest of the test.
    pub fn into_simulator(self) -> Simulator {
        self.sim
    }
}

/// The result of the step under test, and the world after it.
#[derive(Debug, Clone)]
pub struct Then {
    sim: Simulator,
    step: Value,
    result: Result<Value, Error>,
    version: u64,
    before: Value,
}

impl Then {
    /// Asserts the step succeeded and hands its response body (for a clock step: the outcome
    /// `{clock, now, events}`) to `check`.
    #[track_caller]
    pub fn then_ok(self, check: impl FnOnce(&Value)) -> Then {
        match &self.result {
            Ok(body) => check(body),
            Err(e) => panic!("when {}: expected success, got {}", self.step, e.body()),
        }
        self
    }

    /// Asserts the step failed with `code`, and that it left the state and the event log
    /// exactly as they were (a rejected command records nothing).
    #[track_caller]
    pub fn then_err(self, code: ErrorCode) -> Then {
        match &self.result {
            Ok(body) => panic!("when {}: expected {code}, got success: {body}", self.step),
            Err(e) => assert_eq!(e.code, code, "when {}: wrong error: {}", self.step, e.body()),
        }
        assert_eq!(self.sim.version(), self.version, "when {}: the rejected step changed the log version", self.step);
        assert!(self.sim.snapshot() == self.before, "when {}: the rejected step changed the state", self.step);
        self
    }

    /// Hands the error of a failed step to `check` (after [`then_err`](Self::then_err)).
    #[track_caller]
    pub fn with_error(self, check: impl FnOnce(&Error)) -> Then {
        match &self.result {
            Ok(body) => panic!("when {}: expected an error, got success: {body}", self.step),
            Err(e) => check(e),
        }
        self
    }

    /// Asserts the step recorded exactly these event types, in order.
    #[track_caller]
    pub fn then_events(self, types: &[&str]) -> Then {
        let recorded = self.recorded();
        let got: Vec<&str> = recorded.iter().map(|e| e["type"].as_str().unwrap_or("?")).collect();
        assert_eq!(got, types, "when {}: recorded events", self.step);
        self
    }

    /// Inspects or drives the world after the step (e.g. a GET after moving the clock).
    pub fn then(mut self, check: impl FnOnce(&mut Simulator)) -> Then {
        check(&mut self.sim);
        self
    }

    /// The step's result: the response body, or the error.
    pub fn result(&self) -> &Result<Value, Error> {
        &self.result
    }

    /// The step's result as a scenario outcome: `{"status": 200, "body": …}` or the HTTP
    /// status and Google error body — a good thing to snapshot.
    pub fn outcome(&self) -> Value {
        match &self.result {
            Ok(body) => json!({"status": 200, "body": body}),
            Err(e) => json!({"status": e.http_status(), "body": e.body()}),
        }
    }

    /// The events the step recorded, as JSON envelopes.
    pub fn recorded(&self) -> Vec<Value> {
        self.sim.events(self.version + 1)
    }

    /// The simulator after the step.
    pub fn simulator(&self) -> &Simulator {
        &self.sim
    }

    /// The simulator, for the rest of the test.
    pub fn into_simulator(self) -> Simulator {
        self.sim
    }
}

#[track_caller]
fn parse_step(step: &Value) -> Step {
    match Scenario::from_value(&json!({ "steps": [step] })) {
        Ok(s) if s.steps.len() == 1 => s.steps.into_iter().next().unwrap_or(Step::RunUntilIdle),
        Ok(_) => panic!("step {step}: expected exactly one step"),
        Err(e) => panic!("step {step} is not a scenario step: {}", e.message),
    }
}

/// Runs one step; a call answers its body, a clock move its outcome line.
fn perform(sim: &mut Simulator, step: &Step) -> Result<Value, Error> {
    let clock = |name: &str, events: usize, sim: &Simulator| json!({"clock": name, "now": sim.now(), "events": events});
    match step {
        Step::Call { method, params } => sim.call(method, params),
        Step::Advance(by) => sim.advance(by).map(|n| clock("advance", n, sim)),
        Step::AdvanceTo(t) => sim.advance_to(t).map(|n| clock("advanceTo", n, sim)),
        Step::RunUntilIdle => sim.run_until_idle().map(|n| clock("runUntilIdle", n, sim)),
    }
}

// ---------------------------------------------------------------------------------------------
// Comparing values that depend on the world

/// The text that [`normalize`] puts in place of a world-dependent value.
pub const NORMALIZED: &str = "[normalized]";

/// Paths of a Job that depend on the world rather than on the request: timestamps, the caller's
/// email and the operation id. Use with [`normalize`].
pub const JOB_WORLD_PATHS: &[&str] = &[
    "metadata.annotations[\"run.googleapis.com/creator\"]",
    "metadata.annotations[\"run.googleapis.com/lastModifier\"]",
    "metadata.annotations[\"run.googleapis.com/operation-id\"]",
    "metadata.labels[\"run.googleapis.com/lastUpdatedTime\"]",
    "metadata.deletionTimestamp",
    "status.conditions[*].lastTransitionTime",
    "status.latestCreatedExecution.creationTimestamp",
    "status.latestCreatedExecution.completionTimestamp",
];

/// Metadata fields Config Connector strips when it records real traffic (so the real fixtures
/// lack them). Use with [`strip`].
pub const RECORDER_STRIPPED_PATHS: &[&str] =
    &["metadata.uid", "metadata.resourceVersion", "metadata.creationTimestamp"];

/// One parsed step of a path.
#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
    /// `*` or `[*]`: every child.
    Any,
    /// `**`: this node and every descendant.
    AnyDepth,
}

/// Parses `a.b["c.d/e"][0][*].**.f`.
#[track_caller]
fn parse_path(path: &str) -> Vec<Seg> {
    let mut segs = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            rest = after;
        } else if let Some(after) = rest.strip_prefix('[') {
            let (inner, tail) = if let Some(quoted) = after.strip_prefix('"') {
                match quoted.find("\"]") {
                    Some(end) => (Seg::Key(quoted[..end].to_string()), &quoted[end + 2..]),
                    None => panic!("path {path:?}: unterminated [\"…\"]"),
                }
            } else {
                match after.find(']') {
                    Some(end) => {
                        let inner = &after[..end];
                        let seg = if inner == "*" {
                            Seg::Any
                        } else {
                            match inner.parse() {
                                Ok(i) => Seg::Index(i),
                                Err(_) => panic!("path {path:?}: [{inner}] is not an index, * or a quoted key"),
                            }
                        };
                        (seg, &after[end + 1..])
                    }
                    None => panic!("path {path:?}: unterminated ["),
                }
            };
            segs.push(inner);
            rest = tail;
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            let word = &rest[..end];
            segs.push(match word {
                "*" => Seg::Any,
                "**" => Seg::AnyDepth,
                _ => Seg::Key(word.to_string()),
            });
            rest = &rest[end..];
        }
    }
    segs
}

/// Applies `f` to every value the path reaches (paths that reach nothing do nothing).
fn visit(node: &mut Value, segs: &[Seg], f: &mut dyn FnMut(&mut Value)) {
    match segs {
        [] => f(node),
        [Seg::AnyDepth, rest @ ..] => {
            visit(node, rest, f);
            for child in children(node) {
                visit(child, segs, f);
            }
        }
        [first, rest @ ..] => {
            let next: Vec<&mut Value> = match first {
                Seg::Key(k) => node.get_mut(k.as_str()).into_iter().collect(),
                Seg::Index(i) => node.get_mut(*i).into_iter().collect(),
                _ => children(node),
            };
            for child in next {
                visit(child, rest, f);
            }
        }
    }
}

fn children(node: &mut Value) -> Vec<&mut Value> {
    match node {
        Value::Object(m) => m.values_mut().collect(),
        Value::Array(a) => a.iter_mut().collect(),
        _ => Vec::new(),
    }
}

/// A copy of `value` with the value at each path replaced by [`NORMALIZED`]. Paths read like
/// `metadata.uid`, `metadata.annotations["run.googleapis.com/creator"]`,
/// `status.conditions[*].lastTransitionTime`, `items[0].metadata.name` or
/// `**.lastTransitionTime` (at any depth); paths that reach nothing are ignored.
#[track_caller]
pub fn normalize(value: &Value, paths: &[&str]) -> Value {
    let mut out = value.clone();
    for path in paths {
        visit(&mut out, &parse_path(path), &mut |v| *v = Value::String(NORMALIZED.to_string()));
    }
    out
}

/// A copy of `value` without the fields at these paths (same syntax as [`normalize`]; the last
/// step must be a key).
#[track_caller]
pub fn strip(value: &Value, paths: &[&str]) -> Value {
    let mut out = value.clone();
    for path in paths {
        let mut segs = parse_path(path);
        let Some(Seg::Key(last)) = segs.pop() else { panic!("strip: path {path:?} must end with a key") };
        visit(&mut out, &segs, &mut |v| {
            if let Some(m) = v.as_object_mut() {
                m.remove(&last);
            }
        });
    }
    out
}

/// A copy of `value` with every `(from, to)` substring replaced in every string, e.g. to fill
/// the `${projectNumber}` placeholders of a recorded fixture with the simulated world's values.
pub fn substitute(value: &Value, replacements: &[(&str, &str)]) -> Value {
    match value {
        Value::String(s) => Value::String(replacements.iter().fold(s.clone(), |acc, (from, to)| acc.replace(from, to))),
        Value::Array(a) => Value::Array(a.iter().map(|v| substitute(v, replacements)).collect()),
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), substitute(v, replacements))).collect()),
        other => other.clone(),
    }
}

// ---------------------------------------------------------------------------------------------
// Whole scenarios, for snapshots

/// One line per event: `sequence time stream type details`, where details are the small facts
/// of the payload (task, attempt, outcome, condition). Full payloads stay in the log.
pub fn event_summary(events: &[Value]) -> Vec<String> {
    events.iter().map(summary_line).collect()
}

fn summary_line(e: &Value) -> String {
    let p = &e["payload"];
    let mut line = format!(
        "{} {} {} {}",
        e["sequence"],
        e["time"].as_str().unwrap_or("?"),
        e["stream"].as_str().unwrap_or("?"),
        e["type"].as_str().unwrap_or("?")
    );
    for key in ["task", "attempt", "ordinal"] {
        if let Some(n) = p.get(key).and_then(Value::as_u64) {
            line.push_str(&format!(" {key}={n}"));
        }
    }
    if let Some(t) = p.get("token").and_then(Value::as_str) {
        line.push_str(&format!(" token={t}"));
    }
    if let Some(o) = p.get("outcome") {
        line.push_str(&format!(" outcome={}", o["kind"].as_str().unwrap_or("?")));
        if let Some(code) = o.get("code") {
            line.push_str(&format!("({code})"));
        }
    }
    for key in ["ready", "completed"] {
        if let Some(c) = p.get(key) {
            line.push_str(&format!(" {}={}", c["type"].as_str().unwrap_or(key), c["status"].as_str().unwrap_or("?")));
            if let Some(r) = c.get("reason").and_then(Value::as_str) {
                line.push_str(&format!(" ({r})"));
            }
        }
    }
    line
}

/// Runs a scenario (JSON or YAML text) and returns what a snapshot should hold:
/// `{"outcomes": [one per step], "events": [event_summary lines], "explain": [one per execution]}`.
/// Deterministic: the same text always gives the same value.
pub fn scenario_outcome(text: &str) -> Result<Value, Error> {
    let run = Scenario::parse(text)?.run()?;
    let events = run.simulator.events(1);
    Ok(json!({
        "outcomes": run.outcomes,
        "events": event_summary(&events),
        "explain": run.simulator.explain_all(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_parse() {
        assert_eq!(
            parse_path("a.b[\"c.d/e\"][0][*].**.f"),
            vec![
                Seg::Key("a".into()),
                Seg::Key("b".into()),
                Seg::Key("c.d/e".into()),
                Seg::Index(0),
                Seg::Any,
                Seg::AnyDepth,
                Seg::Key("f".into())
            ]
        );
    }

    #[test]
    fn normalize_replaces_only_what_the_paths_reach() {
        let v = json!({"metadata": {"uid": "u", "annotations": {"x.io/a": "1", "b": "2"}},
                       "status": {"conditions": [{"t": 1, "k": "a"}, {"t": 2}]}, "items": [{"n": {"t": 3}}]});
        let n =
            normalize(&v, &["metadata.uid", "metadata.annotations[\"x.io/a\"]", "status.conditions[*].t", "nope.x"]);
        assert_eq!(
            n,
            json!({"metadata": {"uid": NORMALIZED, "annotations": {"x.io/a": NORMALIZED, "b": "2"}},
                   "status": {"conditions": [{"t": NORMALIZED, "k": "a"}, {"t": NORMALIZED}]}, "items": [{"n": {"t": 3}}]})
        );
        let deep = normalize(&v, &["**.t"]);
        assert_eq!(deep["items"][0]["n"]["t"], NORMALIZED);
        assert_eq!(deep["status"]["conditions"][1]["t"], NORMALIZED);
        assert_eq!(strip(&v, &["metadata.uid", "items[0].n"]), {
            let mut w = v.clone();
            w["metadata"].as_object_mut().map(|m| m.remove("uid"));
            w["items"][0].as_object_mut().map(|m| m.remove("n"));
            w
        });
    }

    #[test]
    fn substitute_fills_placeholders() {
        let v = json!({"a": "x-${id}", "b": ["${id}"], "c": 1});
        assert_eq!(substitute(&v, &[("${id}", "7")]), json!({"a": "x-7", "b": ["7"], "c": 1}));
    }
}
