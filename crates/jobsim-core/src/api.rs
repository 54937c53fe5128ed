//! The v1 methods by their method ids (`jobs.create`, …): parameters in, a typed [`Request`] out.
//!
//! Every face passes `(method, params)` with params `{name?, latestOf?, namespace?, body?, query?}`;
//! this module is the one place that reads them, so every face gets the same errors.

use crate::decode;
/// JSON input guards, shared with `options` and `scenario` (they live in `decode`, below both).
pub use crate::decode::{check_depth, kind_of};
use crate::error::{Error, ErrorCode, Result};
pub use crate::request::{ListQuery, Read, Request, Write};
use crate::resources::{Job, RunJobRequest};
use crate::selector::{self, Selector};
use crate::settings::limits;
use crate::state::State;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// The methods that only read: the one place a method id says whether it changes the world.
pub const READ_METHODS: &[&str] =
    &["jobs.get", "jobs.list", "executions.get", "executions.list", "tasks.get", "tasks.list"];

/// Every method jobsim serves, by its v1 method id (without the `run.namespaces.` prefix).
pub const METHODS: &[&str] = &[
    "jobs.create",
    "jobs.get",
    "jobs.list",
    "jobs.replaceJob",
    "jobs.delete",
    "jobs.run",
    "executions.get",
    "executions.list",
    "executions.cancel",
    "executions.delete",
    "tasks.get",
    "tasks.list",
];

fn invalid(field: &str, description: impl Into<String>) -> Error {
    Error::invalid_field(field, description)
}

/// Reads a request body through the schema (D24 unknown fields, D23 types). When the body has
/// such violations, the service's own checks run on the rest (`also`) and every violation is
/// answered at once (D2); otherwise the typed body goes on to `decide`.
fn decode_body<T: DeserializeOwned>(
    body: &Value,
    root: &str,
    body_field: Option<&str>,
    also: impl FnOnce(&T) -> Vec<crate::error::FieldViolation>,
) -> Result<T> {
    let decoded = decode::decode::<T>(body, root, body_field)?;
    if decoded.violations.is_empty() {
        return Ok(decoded.value);
    }
    let mut violations = decoded.violations;
    violations.extend(also(&decoded.value));
    Err(decode::invalid(violations))
}

/// The params each method takes besides `namespace` and `query` (D24: others are refused).
fn params_of(method: &str) -> &'static [&'static str] {
    match method {
        "jobs.create" => &["body"],
        "jobs.list" | "executions.list" | "tasks.list" => &[],
        "jobs.replaceJob" => &["name", "latestOf", "body"],
        "jobs.run" => &["name", "latestOf", "body"],
        "jobs.get" | "jobs.delete" | "tasks.get" => &["name", "latestOf"],
        "executions.cancel" => &["name", "latestOf", "body"],
        _ => &["name", "latestOf"],
    }
}

/// What a call step does to a job, for the checks and rewrites that read a scenario's steps
/// before they run (its workloads and faults, sweeps): the one place besides the parser that
/// knows which method names a job where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobStep {
    /// `jobs.create`: the job is named in its body (`metadata.name`).
    Create,
    /// `jobs.replaceJob`, by `name`.
    Replace,
    /// `jobs.run`, by `name` (its body may carry `overrides`).
    Run,
}

/// The job a call names and what the call does to it; `None` for other methods and for a call
/// that names no job.
pub fn job_step<'a>(method: &str, params: &'a Value) -> Option<(JobStep, &'a str)> {
    let (step, name) = match method {
        "jobs.create" => (JobStep::Create, params.pointer("/body/metadata/name")),
        "jobs.replaceJob" => (JobStep::Replace, params.get("name")),
        "jobs.run" => (JobStep::Run, params.get("name")),
        _ => return None,
    };
    name.and_then(Value::as_str).map(|name| (step, name))
}

/// An int field of a step's request body as proto3 JSON writes it: a number or a decimal string.
pub fn int_value(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// Whether `method` takes the call parameter `param` (`name`, `latestOf`, `namespace`, `body`,
/// `query`); scenario steps are checked with it too.
pub fn takes_param(method: &str, param: &str) -> bool {
    param == "namespace" || param == "query" || params_of(method).contains(&param)
}

fn string_param(params: &Map<String, Value>, key: &str) -> Result<Option<String>> {
    match params.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(invalid(key, format!("must be a string, got {other}"))),
    }
}

/// Resolves the target name: `name`, or `latestOf: job` → that job's latest execution.
fn target(state: &State, method: &str, params: &Map<String, Value>) -> Result<String> {
    let name = string_param(params, "name")?;
    let latest_of = string_param(params, "latestOf")?;
    match (name, latest_of) {
        (Some(_), Some(_)) => Err(invalid("latestOf", "give either name or latestOf, not both")),
        (Some(n), None) if n.is_empty() => Err(invalid("name", "must not be empty")),
        (Some(n), None) => Ok(n),
        (None, Some(job)) => {
            if !method.starts_with("executions.") {
                return Err(invalid("latestOf", format!("is only accepted by executions.* methods, not {method}")));
            }
            let p = &state.world.project;
            let j = state.job(&job).ok_or_else(|| Error::not_found(&job, "JOB", &p.region, &p.id))?;
            // The job's latestCreatedExecution, also when it is gone: then 404 as a get by its
            // name answers, never an older execution (D21).
            let latest = j.job.status.as_ref().and_then(|s| s.latest_created_execution.as_ref());
            match latest {
                Some(l) if state.execution(&l.name).is_some() => Ok(l.name.clone()),
                Some(l) => Err(Error::not_found(&l.name, "EXECUTION", &p.region, &p.id)),
                None => Err(Error::new(ErrorCode::NotFound, format!("Job '{job}' has no executions (latestOf)."))),
            }
        }
        (None, None) => Err(invalid("name", format!("{method} needs a name"))),
    }
}

fn query_map<'v>(params: &'v Map<String, Value>, allowed: &[&str]) -> Result<Option<&'v Map<String, Value>>> {
    match params.get("query") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(q)) => {
            // A query parameter the method does not take: D24, as Google's front end says it.
            let unknown: Vec<_> = q
                .keys()
                .filter(|k| !allowed.contains(&k.as_str()))
                .map(|k| crate::error::FieldViolation { field: format!("query.{k}"), ..decode::unknown_name(k, "") })
                .collect();
            if !unknown.is_empty() {
                return Err(decode::invalid(unknown));
            }
            Ok(Some(q))
        }
        Some(other) => Err(invalid("query", format!("must be an object, got {other}"))),
    }
}

fn bool_query(q: Option<&Map<String, Value>>, key: &str) -> Result<bool> {
    match q.and_then(|q| q.get(key)) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::String(s)) if s == "true" => Ok(true),
        Some(Value::String(s)) if s == "false" || s.is_empty() => Ok(false),
        Some(other) => Err(invalid(&format!("query.{key}"), format!("must be true or false, got {other}"))),
    }
}

fn dry_run(q: Option<&Map<String, Value>>) -> Result<bool> {
    match q.and_then(|q| q.get("dryRun")) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::String(s)) if s == "all" => Ok(true),
        Some(Value::String(s)) if s.is_empty() => Ok(false),
        Some(other) => Err(invalid("query.dryRun", format!("the only accepted value is \"all\", got {other}"))),
    }
}

const LIST_QUERY: &[&str] =
    &["labelSelector", "limit", "continue", "fieldSelector", "includeUninitialized", "resourceVersion", "watch"];

fn list_query(params: &Map<String, Value>) -> Result<ListQuery> {
    let Some(q) = query_map(params, LIST_QUERY)? else { return Ok(ListQuery::default()) };
    for unsupported in ["fieldSelector", "resourceVersion"] {
        if q.get(unsupported).is_some_and(|v| !v.is_null() && v != "") {
            return Err(invalid(&format!("query.{unsupported}"), "is not supported by Cloud Run"));
        }
    }
    if bool_query(Some(q), "watch")? {
        return Err(invalid("query.watch", "is not supported by Cloud Run"));
    }
    let selector = match q.get("labelSelector") {
        None | Some(Value::Null) => Selector::default(),
        Some(Value::String(s)) => selector::parse(s).map_err(|e| invalid("query.labelSelector", e))?,
        Some(other) => return Err(invalid("query.labelSelector", format!("must be a string, got {other}"))),
    };
    let limit = match q.get("limit") {
        None | Some(Value::Null) => 0,
        Some(Value::Number(n)) => match n.as_u64() {
            Some(l) if l <= i32::MAX as u64 => l as usize,
            _ => return Err(invalid("query.limit", format!("must be an integer from 0 to 2147483647, got {n}"))),
        },
        Some(Value::String(s)) => s
            .parse::<u32>()
            .ok()
            .filter(|l| *l <= i32::MAX as u32)
            .ok_or_else(|| invalid("query.limit", format!("must be an integer from 0 to 2147483647, got {s:?}")))?
            as usize,
        Some(other) => return Err(invalid("query.limit", format!("must be an integer, got {other}"))),
    };
    let continue_token = match q.get("continue") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => return Err(invalid("query.continue", format!("must be a string, got {other}"))),
    };
    Ok(ListQuery { selector, limit: limit.min(limits::MAX_PAGE), continue_token })
}

fn body<'v>(params: &'v Map<String, Value>, method: &str) -> Result<&'v Value> {
    match params.get("body") {
        Some(b @ Value::Object(_)) => {
            check_depth(b, limits::MAX_NESTING, "body")?;
            Ok(b)
        }
        None | Some(Value::Null) => Err(invalid("body", format!("{method} needs a request body"))),
        Some(other) => Err(invalid("body", format!("must be a JSON object, got {}", kind_of(other)))),
    }
}

/// Parses `(method, params)` into a request, checking the namespace (R2).
pub fn parse(state: &State, method: &str, params: &Value) -> Result<Request> {
    let empty = Map::new();
    let params = checked_params(state, method, params, &empty)?;
    match read(state, method, params)? {
        Some(read) => Ok(Request::Read(read)),
        None => write(state, method, params).map(Request::Write),
    }
}

/// Parses a read (`*.get`, `*.list`), refusing a method that changes the world before its
/// params are looked at.
pub fn parse_read(state: &State, method: &str, params: &Value) -> Result<Read> {
    if METHODS.contains(&method) && !READ_METHODS.contains(&method) {
        return Err(invalid("method", format!("{method} changes the world; read accepts only get and list methods")));
    }
    let empty = Map::new();
    let params = checked_params(state, method, params, &empty)?;
    read(state, method, params)?.ok_or_else(|| unknown_method(method))
}

/// The params as an object: no param the method does not take (D24), the namespace this
/// simulator holds (R2).
fn checked_params<'v>(
    state: &State,
    method: &str,
    params: &'v Value,
    empty: &'v Map<String, Value>,
) -> Result<&'v Map<String, Value>> {
    let params = match params {
        Value::Null => empty,
        Value::Object(m) => m,
        other => return Err(invalid("params", format!("must be an object, got {}", kind_of(other)))),
    };
    if METHODS.contains(&method) {
        let unknown: Vec<_> = params
            .keys()
            .filter(|k| !takes_param(method, k))
            .map(|k| crate::error::FieldViolation { field: k.clone(), ..decode::unknown_name(k, "") })
            .collect();
        if !unknown.is_empty() {
            return Err(decode::invalid(unknown));
        }
    }
    if let Some(ns) = string_param(params, "namespace")? {
        let p = &state.world.project;
        if ns != p.id && ns != p.number {
            return Err(Error::new(
                ErrorCode::NotFound,
                format!("Namespace '{ns}' not found: this simulator holds project '{}' ({}).", p.id, p.number),
            ));
        }
    }
    Ok(params)
}

fn no_query(params: &Map<String, Value>) -> Result<()> {
    query_map(params, &[]).map(|_| ())
}

fn unknown_method(method: &str) -> Error {
    invalid("method", format!("unknown method {method:?}; jobsim serves {}", METHODS.join(", ")))
}

/// A read's params, or `None` when the method is no read.
fn read(state: &State, method: &str, params: &Map<String, Value>) -> Result<Option<Read>> {
    Ok(Some(match method {
        "jobs.get" => {
            no_query(params)?;
            Read::GetJob { name: target(state, method, params)? }
        }
        "jobs.list" => Read::ListJobs(list_query(params)?),
        "executions.get" => {
            no_query(params)?;
            Read::GetExecution { name: target(state, method, params)? }
        }
        "executions.list" => Read::ListExecutions(list_query(params)?),
        "tasks.get" => {
            no_query(params)?;
            Read::GetTask { name: target(state, method, params)? }
        }
        "tasks.list" => Read::ListTasks(list_query(params)?),
        _ => return Ok(None),
    }))
}

/// A write's params (its body decoded and checked); an unknown method ends here.
fn write(state: &State, method: &str, params: &Map<String, Value>) -> Result<Write> {
    Ok(match method {
        "jobs.create" => {
            let q = query_map(params, &["dryRun"])?;
            let body: Job = decode_body(body(params, method)?, "Job", Some("job"), |job: &Job| {
                crate::decide::jobs::validate(state, job, &job.metadata.name)
            })?;
            Write::CreateJob { body: Box::new(body), dry_run: dry_run(q)? }
        }
        "jobs.replaceJob" => {
            let q = query_map(params, &["dryRun"])?;
            let name = target(state, method, params)?;
            let body: Job = decode_body(body(params, method)?, "Job", Some("job"), |job: &Job| {
                crate::decide::jobs::validate(state, job, &name)
            })?;
            Write::ReplaceJob { name, body: Box::new(body), dry_run: dry_run(q)? }
        }
        "jobs.delete" => {
            let q = query_map(params, &["force", "dryRun", "propagationPolicy", "kind", "apiVersion"])?;
            Write::DeleteJob {
                name: target(state, method, params)?,
                force: bool_query(q, "force")?,
                dry_run: dry_run(q)?,
            }
        }
        "jobs.run" => {
            no_query(params)?;
            let name = target(state, method, params)?;
            let request = match params.get("body") {
                None | Some(Value::Null) => RunJobRequest::default(),
                Some(_) => decode_body(body(params, method)?, "RunJobRequest", None, |r: &RunJobRequest| {
                    match (state.job(&name), &r.overrides) {
                        (Some(j), Some(o)) => {
                            crate::decide::executions::check_overrides(
                                &j.job.spec.template.clone().unwrap_or_default().spec,
                                o,
                            )
                            .1
                        }
                        _ => Vec::new(),
                    }
                })?,
            };
            Write::RunJob { name, request }
        }
        "executions.cancel" => {
            no_query(params)?;
            // CancelExecutionRequest has no fields: `{}` (or no body) only.
            if let Some(Value::Object(b)) = params.get("body") {
                if let Some(k) = b.keys().next() {
                    return Err(decode::invalid(vec![decode::unknown_name(k, "")]));
                }
            } else if params.get("body").is_some_and(|b| !b.is_null()) {
                body(params, method)?;
            }
            Write::CancelExecution { name: target(state, method, params)? }
        }
        "executions.delete" => {
            query_map(params, &["propagationPolicy", "kind", "apiVersion"])?;
            Write::DeleteExecution { name: target(state, method, params)? }
        }
        other => return Err(unknown_method(other)),
    })
}
