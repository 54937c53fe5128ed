//! Serde types of the Cloud Run Admin API v1 resources: Job, Execution, Task, their specs and
//! statuses, metadata, conditions, lists, the delete `Status` and the run request.
//!
//! Every field of the v1 schema (`schema.rs`) is a field of these structs, so a document read
//! and written again only loses what R8 says the server drops anyway. Fields outside the schema
//! are refused in request bodies (D24, `decode.rs`) and dropped elsewhere (e.g. the audit log's
//! `@type`): the structs have no catch-all `#[serde(flatten)]` map, which made every struct
//! serialize as a map (so no field order could be kept) and buffer unknown keys. Fields are
//! declared in the alphabetical order of their JSON names: [`write_json`] relies on it.
//! Encoding rules (spec §2.3, R8):
//! - zero ints, `false`, empty strings, maps and lists are omitted on output and default on input;
//!   the exceptions are `TaskSpec.maxRetries` (an explicit `0` is kept) and optional
//!   sub-objects (`Option<T>`: `None` is omitted, `Some(default)` is written as `{}`);
//! - int64 fields (`timeoutSeconds`, `terminationGracePeriodSeconds`) are JSON strings, read from
//!   a string or a number; int32 fields are numbers;
//! - timestamps are kept as the exact strings given (no parsing here, see `time.rs`).
//!
//! This module has no behaviour: defaults, validation and rendering live elsewhere.

use serde::de::DeserializeOwned;
use serde_json::Value;

mod condition;
mod container;
mod execution;
mod job;
mod list;
mod meta;
mod request;
mod status;
mod task;
mod text;

pub use condition::Condition;
pub use container::{Container, ContainerPort, EnvVar, ResourceRequirements, Volume, VolumeMount};
pub use execution::{Execution, ExecutionSpec, ExecutionStatus, TaskTemplateSpec};
pub use job::{ExecutionReference, ExecutionTemplateSpec, Job, JobSpec, JobStatus};
pub use list::{List, ListExecutionsResponse, ListJobsResponse, ListTasksResponse};
pub use meta::{ListMeta, ObjectMeta, OwnerReference};
pub use request::{ContainerOverride, Overrides, RunJobRequest};
pub use status::{Status, StatusCause, StatusDetails};
pub use task::{GoogleRpcStatus, Task, TaskAttemptResult, TaskSpec, TaskStatus};

/// Skip helper (R8): an `i32` of 0 is omitted.
pub fn is_zero_i32(v: &i32) -> bool {
    *v == 0
}

/// Skip helper (R8): a `false` bool is omitted.
pub fn is_false(v: &bool) -> bool {
    !*v
}

/// Skip helper: an optional sub-object is omitted when absent **or** empty (used where the
/// input may carry `{}` that the server drops, e.g. `status.latestCreatedExecution: {}`).
pub fn is_none_or_default<T: Default + PartialEq>(v: &Option<T>) -> bool {
    match v {
        None => true,
        Some(inner) => *inner == T::default(),
    }
}

/// Skip helper (R8): a plain sub-object equal to its default (all fields empty) is omitted.
pub fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// Serde adapter for optional int64 fields, which proto JSON writes as strings (`"600"`).
///
/// Writes `Some(n)` as a decimal string; reads a decimal string (`"600"`, YAML `'3600'`) or an
/// integer (`600`); `null` reads as `None`. Anything else is an error naming what was found.
pub mod int64_string {
    use serde::de::{self, Deserializer, Unexpected, Visitor};
    use serde::Serializer;
    use std::fmt;

    /// Writes `Some(n)` as `"n"`, `None` as `null` (pair it with `skip_serializing_if`).
    pub fn serialize<S: Serializer>(value: &Option<i64>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(n) => serializer.serialize_str(&n.to_string()),
            None => serializer.serialize_none(),
        }
    }

    /// Reads a decimal string or an integer; `null` gives `None`.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
        deserializer.deserialize_any(Int64Visitor)
    }

    struct Int64Visitor;

    impl<'de> Visitor<'de> for Int64Visitor {
        type Value = Option<i64>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an int64 as a decimal string such as \"600\" or an integer")
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(Int64Visitor)
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            i64::try_from(v).map(Some).map_err(|_| E::invalid_value(Unexpected::Unsigned(v), &self))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            // Integral floats (YAML `600.0`, JSON `6e2`) are accepted; fractions are not.
            if v.fract() == 0.0 && v >= i64::MIN as f64 && v < i64::MAX as f64 {
                Ok(Some(v as i64))
            } else {
                Err(E::invalid_value(Unexpected::Float(v), &self))
            }
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            v.parse::<i64>().map(Some).map_err(|_| E::invalid_value(Unexpected::Str(v), &self))
        }
    }
}

/// Reads a document as JSON (when the trimmed text starts with `{` or `[`) or else as YAML
/// (through a `serde_json::Value`, so both formats decode identically).
///
/// Errors say what went wrong and where: the line and column when the parser knows them, and the
/// field path (`spec.template.spec.containers[0].image`) of the offending value.
pub fn from_json_or_yaml<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let trimmed = text.trim_start();
    let what = short_type_name::<T>();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        match serde_json::from_str::<T>(text) {
            Ok(v) => Ok(v),
            Err(e) => {
                let message = strip_location(&e);
                let place =
                    if e.line() > 0 { format!(" at line {} column {}", e.line(), e.column()) } else { String::new() };
                if e.is_data() {
                    let field = serde_json::from_str::<Value>(text)
                        .ok()
                        .map(|v| locate_error::<T>(&v))
                        .filter(|p| !p.is_empty())
                        .map(|p| format!(", field {p}"))
                        .unwrap_or_default();
                    Err(format!("cannot read JSON as {what}{place}{field}: {message}"))
                } else {
                    Err(format!("invalid JSON{place}: {message}"))
                }
            }
        }
    } else {
        if let Some(line) = yaml_flow_too_deep(text, MAX_YAML_FLOW_DEPTH) {
            return Err(format!(
                "invalid YAML: at line {line}, [ ] and {{ }} are nested deeper than {MAX_YAML_FLOW_DEPTH} levels"
            ));
        }
        let value: Value = serde_yaml_ng::from_str(text).map_err(|e| format!("invalid YAML: {e}"))?;
        match serde_json::from_value::<T>(value.clone()) {
            Ok(v) => Ok(v),
            Err(e) => {
                let message = e.to_string();
                let place = yaml_location::<T>(text, &message);
                let path = locate_error::<T>(&value);
                let field = if path.is_empty() { String::new() } else { format!(", field {path}") };
                Err(format!("cannot read YAML as {what}{place}{field}: {message}"))
            }
        }
    }
}

/// Reads a document (a scenario, a job as `gcloud run jobs describe --format export` prints it)
/// as JSON or YAML into a JSON value, refusing a key given twice in one object — JSON and YAML
/// parsers keep the last one silently, so `{call: jobs.get, call: jobs.delete}` would run a
/// delete. Errors name the line: `invalid YAML: duplicate key "call" at line 3 column 5`.
pub fn document_value(text: &str) -> Result<Value, String> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        serde_json::from_str::<Document>(text).map(|d| d.0).map_err(|e| {
            let place =
                if e.line() > 0 { format!(" at line {} column {}", e.line(), e.column()) } else { String::new() };
            format!("invalid JSON{place}: {}", strip_location(&e))
        })
    } else {
        if let Some(line) = yaml_flow_too_deep(text, MAX_YAML_FLOW_DEPTH) {
            return Err(format!(
                "invalid YAML: at line {line}, [ ] and {{ }} are nested deeper than {MAX_YAML_FLOW_DEPTH} levels"
            ));
        }
        serde_yaml_ng::from_str::<Document>(text).map(|d| d.0).map_err(|e| {
            let message = e.to_string();
            match e.location() {
                // The parser reports where the mapping starts, not the repeated key.
                Some(l) if message.contains("duplicate key") => {
                    let suffix = format!(" at line {} column {}", l.line(), l.column());
                    let message = message.strip_suffix(&suffix).unwrap_or(&message);
                    format!(
                        "invalid YAML: {message} in the mapping that starts at line {} column {}",
                        l.line(),
                        l.column()
                    )
                }
                _ => format!("invalid YAML: {message}"),
            }
        })
    }
}

/// A JSON value read straight from text by a visitor that refuses duplicate keys.
struct Document(Value);

impl<'de> serde::Deserialize<'de> for Document {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DocumentVisitor).map(Document)
    }
}

struct DocumentVisitor;

impl<'de> serde::de::Visitor<'de> for DocumentVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON or YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(DocumentVisitor)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Document(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format_args!("duplicate key {}", Value::String(key))));
            }
            let Document(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

/// Deepest nesting of YAML flow collections (`[ ]`, `{ }`) read; deeper text is refused before
/// parsing (serde_json stops JSON at 128 levels by itself).
pub(crate) const MAX_YAML_FLOW_DEPTH: usize = 128;

/// The line where flow collections first nest deeper than `max`, if they do. A linear pre-scan:
/// the YAML parser takes time quadratic in that depth (100,000 levels: tens of seconds) before
/// its own recursion limit applies, so hostile text is stopped here first. Quoted scalars and
/// comments are skipped; unbalanced brackets are left for the parser to report.
pub(crate) fn yaml_flow_too_deep(text: &str, max: usize) -> Option<usize> {
    let (mut depth, mut line) = (0usize, 1usize);
    let mut chars = text.chars().peekable();
    let mut previous = '\n';
    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            '#' if previous.is_whitespace() => {
                while chars.peek().is_some_and(|&n| n != '\n') {
                    chars.next();
                }
            }
            '"' => {
                while let Some(n) = chars.next() {
                    match n {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        '\n' => line += 1,
                        _ => {}
                    }
                }
            }
            '\'' if !previous.is_alphanumeric() => {
                while let Some(n) = chars.next() {
                    match n {
                        '\'' if chars.peek() == Some(&'\'') => {
                            chars.next();
                        }
                        '\'' => break,
                        '\n' => line += 1,
                        _ => {}
                    }
                }
            }
            '[' | '{' => {
                depth += 1;
                if depth > max {
                    return Some(line);
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        previous = c;
    }
    None
}

/// Line and column of a YAML decoding error: decoding the text directly with serde_yaml_ng
/// knows the position; it is used only when that decoder reports the same error.
fn yaml_location<T: DeserializeOwned>(text: &str, message: &str) -> String {
    match serde_yaml_ng::from_str::<T>(text) {
        Err(e) if e.to_string().contains(message) => match e.location() {
            Some(l) => format!(" at line {} column {}", l.line(), l.column()),
            None => String::new(),
        },
        _ => String::new(),
    }
}

/// serde_json appends " at line L column C" to its messages; the caller formats that itself.
fn strip_location(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    match full.strip_suffix(&suffix) {
        Some(s) => s.to_string(),
        None => full,
    }
}

/// `jobsim_core::resources::list::List<jobsim_core::resources::job::Job>` → `List<Job>`.
fn short_type_name<T>() -> String {
    let full = std::any::type_name::<T>();
    let mut out = String::with_capacity(full.len());
    let mut segment = String::new();
    for c in full.chars() {
        if c.is_alphanumeric() || c == '_' || c == ':' {
            segment.push(c);
        } else {
            out.push_str(segment.rsplit("::").next().unwrap_or(""));
            segment.clear();
            out.push(c);
        }
    }
    out.push_str(segment.rsplit("::").next().unwrap_or(""));
    out
}

/// One step of a field path: an object key or an array index.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// Finds the path of the value that makes `T` fail to decode, by removing one child at a time
/// and descending into the child whose removal makes the error go away or change. Every field of
/// the resource types has a default, so a removed field never creates a new error; a "missing
/// field" error (from other types) is not taken as progress. Only runs on the error path.
fn locate_error<T: DeserializeOwned>(root: &Value) -> String {
    let target = match serde_json::from_value::<T>(root.clone()) {
        Ok(_) => return String::new(),
        Err(e) => e.to_string(),
    };
    let mut path: Vec<Step> = Vec::new();
    while let Some(node) = node_at(root, &path) {
        let children: Vec<Step> = match node {
            Value::Object(map) => map.keys().cloned().map(Step::Key).collect(),
            Value::Array(items) => (0..items.len()).map(Step::Index).collect(),
            _ => break,
        };
        let culprit = children.into_iter().find(|child| {
            let mut trial = root.clone();
            remove_child(&mut trial, &path, child);
            match serde_json::from_value::<T>(trial) {
                Ok(_) => true,
                Err(e) => {
                    let msg = e.to_string();
                    msg != target && !msg.starts_with("missing field")
                }
            }
        });
        match culprit {
            Some(step) => path.push(step),
            None => break,
        }
    }
    render_path(&path)
}

fn node_at<'a>(root: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter().try_fold(root, |node, step| match step {
        Step::Key(k) => node.get(k.as_str()),
        Step::Index(i) => node.get(*i),
    })
}

fn node_at_mut<'a>(root: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(root, |node, step| match step {
        Step::Key(k) => node.get_mut(k.as_str()),
        Step::Index(i) => node.get_mut(*i),
    })
}

fn remove_child(root: &mut Value, path: &[Step], child: &Step) {
    match (node_at_mut(root, path), child) {
        (Some(Value::Object(map)), Step::Key(k)) => {
            map.remove(k);
        }
        (Some(Value::Array(items)), Step::Index(i)) if *i < items.len() => {
            items.remove(*i);
        }
        _ => {}
    }
}

/// `spec.template.containers[0].env[1]`, with odd keys quoted: `labels["run.googleapis.com/x"]`.
fn render_path(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(k) if !k.is_empty() && k.chars().all(|c| c.is_alphanumeric() || c == '_') => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Step::Key(k) => {
                out.push('[');
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(']');
            }
            Step::Index(i) => {
                out.push_str(&format!("[{i}]"));
            }
        }
    }
    out
}

/// Serializes a resource; keys come out sorted, as in real responses.
pub fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// Writes a resource as compact JSON text, byte for byte what [`to_json`]`(value).to_string()`
/// gives, without building the `Value`: every struct here declares its fields in the
/// alphabetical order of their JSON names (the order of serde_json's sorted `Map`), and maps
/// are `BTreeMap`s. Every typed value is written through the one serializer of `text.rs`
/// (what serde_json writes, with a cheaper string path), so every type's `Serialize` is
/// compiled for one text serializer only (wasm bytes; `event.rs` counts JSON sizes through it).
pub fn write_json<T: serde::Serialize + ?Sized>(value: &T, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    text::write(value, &mut text::Sink::Writer(out)).map_err(std::io::Error::from)
}

/// [`write_json`] into a `String` (`null` if the value cannot be written, as [`to_json`]).
pub fn to_json_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::with_capacity(1024);
    match text::write(value, &mut text::Sink::Buffer(&mut out)) {
        // Only UTF-8 is written (strings whole or escaped by serde_json, ASCII punctuation).
        Ok(()) => String::from_utf8(out).unwrap_or_else(|_| "null".into()),
        Err(_) => "null".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_type_name_drops_module_paths() {
        assert_eq!(short_type_name::<Job>(), "Job");
        assert_eq!(short_type_name::<List<Job>>(), "List<Job>");
    }

    #[test]
    fn yaml_error_names_the_field_path() {
        let text = "metadata:\n  name: x\nspec:\n  template:\n    spec:\n      taskCount: many\n";
        let err = from_json_or_yaml::<Job>(text).unwrap_err();
        assert!(err.contains("at line 6 column 18"), "{err}");
        assert!(err.contains("spec.template.spec.taskCount"), "{err}");
        assert!(err.contains("many"), "{err}");
    }

    #[test]
    fn json_error_has_line_column_and_path() {
        let text = "{\n  \"metadata\": {\"labels\": {\"a.b/c\": 3}}\n}";
        let err = from_json_or_yaml::<Job>(text).unwrap_err();
        assert!(err.contains("line 2"), "{err}");
        assert!(err.contains("metadata.labels[\"a.b/c\"]"), "{err}");
    }

    #[test]
    fn json_syntax_error_has_line_column() {
        let err = from_json_or_yaml::<Job>("{\n  \"kind\": \n}").unwrap_err();
        assert!(err.starts_with("invalid JSON at line 3"), "{err}");
    }

    #[test]
    fn yaml_syntax_error_has_line() {
        let err = from_json_or_yaml::<Job>("kind: Job\n  - broken: [").unwrap_err();
        assert!(err.starts_with("invalid YAML"), "{err}");
        assert!(err.contains("line"), "{err}");
    }
}
