//! The HTTP face of the simulator as pure code: `(method, url, body text)` → `(status, body
//! text)`. `jobsim serve` and the wasm `sim.handle` share it, so a real client (gcloud,
//! googleapis, google-api-python-client) and an in-process one get the same bytes.
//!
//! The 12 v1 paths (`/apis/run.googleapis.com/v1/namespaces/{ns}/jobs[/{name}[:run]]`, …) map
//! onto the same `(method id, params)` every other face passes to [`Simulator::call`], so the
//! one parser (`api.rs`) validates them and errors keep their one Google shape (R33, D2). Only
//! what HTTP adds is read here: the route, percent-decoding, the query string, the JSON text.
//! jobsim's own control routes (`/jobsim/v1/clock…`, `/events`, `/explain`, `/healthz`) call
//! the simulator's clock and log the same way.

use crate::api;
use crate::error::{Error, ErrorCode, FieldViolation};
use crate::simulator::Simulator;
use serde_json::{json, Map, Value};

/// The largest request body accepted (8 MiB, the scenario input limit): larger ones get 413.
pub const MAX_BODY_BYTES: usize = crate::settings::limits::MAX_INPUT_BYTES;

/// What every JSON answer is sent as (Google's APIs write the charset).
pub const JSON: &str = "application/json; charset=UTF-8";

/// What `GET /jobsim/v1/events` is sent as: one event envelope per line.
pub const JSON_LINES: &str = "application/jsonl; charset=UTF-8";

/// The prefix of the v1 REST paths.
const V1: &str = "/apis/run.googleapis.com/v1/namespaces/";

/// Google's system query parameters: every client may send them, none changes the answer
/// (`alt=json` is the only format served). The discovery document's `parameters` plus `$alt`
/// of the newer clients.
const IGNORED_QUERY: &[&str] = &[
    "$.xgafv",
    "$alt",
    "access_token",
    "alt",
    "callback",
    "fields",
    "key",
    "oauth_token",
    "prettyPrint",
    "quotaUser",
    "uploadType",
    "upload_protocol",
];

/// One HTTP answer: status, content type and body text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpAnswer {
    /// The HTTP status.
    pub status: u16,
    /// [`JSON`], or [`JSON_LINES`] for the event stream.
    pub content_type: &'static str,
    /// The body text.
    pub body: String,
}

impl HttpAnswer {
    fn json(status: u16, body: &Value) -> HttpAnswer {
        HttpAnswer { status, content_type: JSON, body: body.to_string() }
    }

    /// The Google error body of `error` with its HTTP status (R33).
    pub fn error(error: &Error) -> HttpAnswer {
        HttpAnswer { status: error.http_status(), content_type: JSON, body: error.body_text() }
    }

    /// A Google-shaped error for a status no [`ErrorCode`] carries (404 route, 405, 413), so a
    /// client reads every failure the same way.
    pub fn status(status: u16, canonical: &str, message: &str) -> HttpAnswer {
        HttpAnswer::json(status, &json!({"error": {"code": status, "message": message, "status": canonical}}))
    }

    /// 413 for a body over [`MAX_BODY_BYTES`].
    pub fn too_large(bytes: Option<usize>) -> HttpAnswer {
        let size = bytes.map_or_else(|| "larger".into(), |b| format!("{b} bytes"));
        HttpAnswer::status(
            413,
            "INVALID_ARGUMENT",
            &format!("The request body is {size}; at most {MAX_BODY_BYTES} bytes are accepted."),
        )
    }
}

/// How the serving process moves the clock: shown by `GET /jobsim/v1/clock`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ClockMode {
    /// Time moves only by the control routes (the wasm `handle`, `--clock manual`).
    Manual,
    /// Virtual time follows the wall clock × `speed` (`--clock wall`, the server only).
    Wall {
        /// Virtual seconds per wall second.
        speed: f64,
    },
}

/// Answers one HTTP request in manual clock mode (what the wasm `handle` serves).
pub fn handle(sim: &mut Simulator, method: &str, url: &str, body: Option<&str>) -> HttpAnswer {
    handle_in(sim, ClockMode::Manual, method, url, body)
}

/// Answers one HTTP request: `url` is the request target (path and query), `body` the body
/// text (`None` or blank: no body). Nothing here panics; every failure is an answer.
pub fn handle_in(sim: &mut Simulator, mode: ClockMode, method: &str, url: &str, body: Option<&str>) -> HttpAnswer {
    if body.is_some_and(|b| b.len() > MAX_BODY_BYTES) {
        return HttpAnswer::too_large(body.map(str::len));
    }
    let (path, query) = match url.split_once('?') {
        Some((p, q)) => (p, q),
        None => (url, ""),
    };
    let query = query.split('#').next().unwrap_or_default();
    let result = match route(method, path) {
        Ok(Route::Api { method_id, namespace, name }) => api_call(sim, method_id, namespace, name, query, body)
            .map(|body| HttpAnswer { status: 200, content_type: JSON, body }),
        Ok(Route::Control(control)) => control_call(sim, mode, control, query, body),
        Err(answer) => return answer,
    };
    result.unwrap_or_else(|e| HttpAnswer::error(&e))
}

/// A request target resolved to what answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Route {
    /// One of the 12 v1 methods, with the path's namespace and (decoded) name.
    Api { method_id: &'static str, namespace: String, name: Option<String> },
    /// jobsim's own routes.
    Control(Control),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Control {
    Health,
    Clock,
    Advance,
    AdvanceTo,
    RunUntilIdle,
    Events,
    Explain(String),
}

/// The route of `(method, path)`: 404 for a path nothing serves, 405 for a served path asked
/// with another verb, 400 for a name that is not one path segment.
fn route(method: &str, path: &str) -> Result<Route, HttpAnswer> {
    if let Some(rest) = path.strip_prefix(V1) {
        return api_route(method, path, rest);
    }
    let (control, allowed) = match path {
        "/healthz" => (Control::Health, "GET"),
        "/jobsim/v1/clock" => (Control::Clock, "GET"),
        "/jobsim/v1/clock:advance" => (Control::Advance, "POST"),
        "/jobsim/v1/clock:advanceTo" => (Control::AdvanceTo, "POST"),
        "/jobsim/v1/clock:runUntilIdle" => (Control::RunUntilIdle, "POST"),
        "/jobsim/v1/events" => (Control::Events, "GET"),
        _ => match path.strip_prefix("/jobsim/v1/explain/") {
            Some(raw) => (Control::Explain(segment(raw, "execution")?), "GET"),
            None => return Err(not_found(path)),
        },
    };
    if method != allowed {
        return Err(not_allowed(method, path, &[allowed]));
    }
    Ok(Route::Control(control))
}

/// `{ns}/jobs[/{name}[:run]]`, `{ns}/executions[/{name}[:cancel]]`, `{ns}/tasks[/{name}]`.
fn api_route(method: &str, path: &str, rest: &str) -> Result<Route, HttpAnswer> {
    let parts: Vec<&str> = rest.split('/').collect();
    let (ns, collection, raw_name) = match parts.as_slice() {
        [ns, c] => (*ns, *c, None),
        [ns, c, n] => (*ns, *c, Some(*n)),
        _ => return Err(not_found(path)),
    };
    if ns.is_empty() || raw_name == Some("") {
        return Err(not_found(path));
    }
    // The custom verb follows the last ':' of the raw segment (names never hold a ':').
    let (raw_name, verb) = match raw_name.map(|n| n.rsplit_once(':')) {
        Some(Some((n, v))) => (Some(n), Some(v)),
        Some(None) => (raw_name, None),
        None => (None, None),
    };
    // (method id, HTTP method) pairs served at this path shape.
    let served: &[(&'static str, &str)] = match (collection, raw_name.is_some(), verb) {
        ("jobs", false, None) => &[("jobs.list", "GET"), ("jobs.create", "POST")],
        ("jobs", true, None) => &[("jobs.get", "GET"), ("jobs.replaceJob", "PUT"), ("jobs.delete", "DELETE")],
        ("jobs", true, Some("run")) => &[("jobs.run", "POST")],
        ("executions", false, None) => &[("executions.list", "GET")],
        ("executions", true, None) => &[("executions.get", "GET"), ("executions.delete", "DELETE")],
        ("executions", true, Some("cancel")) => &[("executions.cancel", "POST")],
        ("tasks", false, None) => &[("tasks.list", "GET")],
        ("tasks", true, None) => &[("tasks.get", "GET")],
        _ => return Err(not_found(path)),
    };
    let Some((method_id, _)) = served.iter().find(|(_, m)| *m == method) else {
        return Err(not_allowed(method, path, &served.iter().map(|(_, m)| *m).collect::<Vec<_>>()));
    };
    let namespace = segment(ns, "namespace")?;
    let name = raw_name.map(|n| segment(n, "name")).transpose()?;
    Ok(Route::Api { method_id, namespace, name })
}

/// One decoded path segment: valid UTF-8, no `/` (an encoded `%2F` does not reach another
/// resource), not `.` or `..`, not empty.
fn segment(raw: &str, field: &str) -> Result<String, HttpAnswer> {
    let bad = |why: &str| {
        HttpAnswer::error(&Error::invalid_field(field, format!("{why} in the request path segment {raw:?}")))
    };
    let decoded = percent_decode(raw, false).map_err(|e| bad(&e))?;
    if decoded.contains('/') {
        return Err(bad("a '/' (%2F) is not allowed"));
    }
    if decoded.is_empty() || decoded == "." || decoded == ".." {
        return Err(bad("an empty, '.' or '..' name is not allowed"));
    }
    Ok(decoded)
}

/// Percent-decodes `text` (and `+` as a space in a query value); the bytes must be UTF-8.
fn percent_decode(text: &str, plus_is_space: bool) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => out.push(b),
                    None => return Err(format!("a '%' not followed by two hex digits at byte {i}")),
                }
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| "percent-encoded bytes that are not UTF-8".into())
}

/// The query string as a map of decoded values; Google's system parameters are dropped, a
/// parameter given twice is refused (every parameter of these methods is single).
fn query_params(query: &str) -> Result<Map<String, Value>, Error> {
    let mut map = Map::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let bad = |e: String| Error::invalid_field("query", format!("{e} in the query parameter {k:?}"));
        let key = percent_decode(k, true).map_err(bad)?;
        let value = percent_decode(v, true).map_err(bad)?;
        if IGNORED_QUERY.contains(&key.as_str()) {
            continue;
        }
        if map.insert(key.clone(), Value::String(value)).is_some() {
            return Err(Error::invalid_field(format!("query.{key}"), "is given more than once"));
        }
    }
    Ok(map)
}

/// The body text as JSON: `None` when there is none (blank counts as none, as `:run` and
/// `:cancel` send it); malformed JSON is Google's front-end 400.
fn body_json(body: Option<&str>) -> Result<Option<Value>, Error> {
    match body.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => serde_json::from_str(text).map(Some).map_err(|e| {
            let description = format!("Invalid JSON payload received. {e}.");
            Error::invalid_with_message(description.clone(), vec![FieldViolation { field: String::new(), description }])
        }),
    }
}

/// A v1 method: the route and query become the params of [`Simulator::call_text`], whose answer
/// is written straight from the typed resource to text.
fn api_call(
    sim: &mut Simulator,
    method_id: &str,
    namespace: String,
    name: Option<String>,
    query: &str,
    body: Option<&str>,
) -> Result<String, Error> {
    let mut params = Map::new();
    params.insert("namespace".into(), Value::String(namespace));
    if let Some(name) = name {
        params.insert("name".into(), Value::String(name));
    }
    let query = query_params(query)?;
    if !query.is_empty() {
        params.insert("query".into(), Value::Object(query));
    }
    // Only the methods with a request body read one (api.rs's table says which); a body on a GET
    // or DELETE means nothing.
    if api::takes_param(method_id, "body") {
        if let Some(body) = body_json(body)? {
            params.insert("body".into(), body);
        }
    }
    sim.call_text(method_id, &Value::Object(params))
}

/// jobsim's own routes: the clock, the log, explanations, health.
fn control_call(
    sim: &mut Simulator,
    mode: ClockMode,
    control: Control,
    query: &str,
    body: Option<&str>,
) -> Result<HttpAnswer, Error> {
    let mut query = query_params(query)?;
    if !matches!(control, Control::Events) {
        if let Some(k) = query.keys().next() {
            return Err(unknown_field(&format!("query.{k}")));
        }
    }
    let recorded = match control {
        Control::Health => return Ok(HttpAnswer::json(200, &json!({"status": "ok"}))),
        Control::Clock => return Ok(HttpAnswer::json(200, &clock(sim, mode, None))),
        Control::Events => {
            let from = match query.remove("from") {
                None => 1,
                Some(v) => v.as_str().and_then(|s| s.parse::<u64>().ok()).ok_or_else(|| {
                    Error::invalid_field("query.from", format!("must be a sequence number (0 or more), got {v}"))
                })?,
            };
            if let Some(k) = query.keys().next() {
                return Err(unknown_field(&format!("query.{k}")));
            }
            let mut out = Vec::new();
            for e in sim.envelopes(from) {
                e.write_json_text(&mut out);
                out.push(b'\n');
            }
            let out = String::from_utf8(out).unwrap_or_default();
            return Ok(HttpAnswer { status: 200, content_type: JSON_LINES, body: out });
        }
        Control::Explain(name) => {
            let text = sim.explain(&name)?;
            return Ok(HttpAnswer::json(200, &json!({"execution": name, "explanation": text})));
        }
        Control::Advance => sim.advance(&control_body(body, "duration")?)?,
        Control::AdvanceTo => {
            let time = control_body(body, "time")?;
            let time = time.as_str().ok_or_else(|| {
                Error::invalid_field("time", format!("must be an RFC 3339 timestamp string, got {time}"))
            })?;
            sim.advance_to(time)?
        }
        Control::RunUntilIdle => {
            control_body(body, "")?;
            sim.run_until_idle()?
        }
    };
    Ok(HttpAnswer::json(200, &clock(sim, mode, Some(recorded))))
}

/// `{"now", "nextTimerAt", "mode", "speed"}` (and `recorded`, the events a clock move recorded).
fn clock(sim: &Simulator, mode: ClockMode, recorded: Option<usize>) -> Value {
    let (mode, speed) = match mode {
        ClockMode::Manual => ("manual", 1.0),
        ClockMode::Wall { speed } => ("wall", speed),
    };
    let mut v = json!({"now": sim.now(), "nextTimerAt": sim.next_timer_at(), "mode": mode, "speed": speed});
    if let Some(n) = recorded {
        v["recorded"] = json!(n);
    }
    v
}

/// The one field of a control body (`{"duration": …}`, `{"time": …}`); `field` empty: the body
/// must be empty or `{}`. Any other key is refused as the v1 front end refuses it (D24).
fn control_body(body: Option<&str>, field: &str) -> Result<Value, Error> {
    let body = body_json(body)?.unwrap_or_else(|| json!({}));
    let Value::Object(mut map) = body else {
        return Err(Error::invalid_field(
            "body",
            format!("must be a JSON object, got {}", crate::decode::kind_of(&body)),
        ));
    };
    let value = map.remove(field);
    if let Some(k) = map.keys().next() {
        return Err(unknown_field(k));
    }
    match value {
        _ if field.is_empty() => Ok(Value::Null),
        Some(v) => Ok(v),
        None => Err(Error::invalid_field(field, "is required")),
    }
}

fn unknown_field(name: &str) -> Error {
    crate::decode::invalid(vec![crate::decode::unknown_name(name, "")])
}

fn not_found(path: &str) -> HttpAnswer {
    HttpAnswer::status(
        404,
        ErrorCode::NotFound.as_str(),
        &format!("The requested URL {path} was not found on this server."),
    )
}

fn not_allowed(method: &str, path: &str, allowed: &[&str]) -> HttpAnswer {
    HttpAnswer::status(
        405,
        "METHOD_NOT_ALLOWED",
        &format!("Method {method} is not allowed on {path}; it accepts {}.", allowed.join(", ")),
    )
}
