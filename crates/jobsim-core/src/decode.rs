//! Request bodies, JSON → typed resources, through the v1 schema (`schema.rs`): one walk that
//! collects every violation with its path (D2) instead of stopping at the first.
//!
//! A field the schema does not define is refused as Google's JSON front end words it (D24):
//! `Invalid JSON payload received. Unknown name "bogus" at 'job.spec': Cannot find field.`, with
//! the front end's path: proto field names (`task_count`) under the HTTP body field (`job` for
//! `jobs.create` / `jobs.replaceJob`; none for `jobs.run`, whose body is the whole request).
//! A wrongly typed value (D23) is a violation of its field named like the service's other
//! violations (`spec.template.spec.taskCount`). Either way the bad value is dropped and the walk
//! goes on, so the service's own checks (`jobs::validate`) still run on the rest: a type error
//! never hides them.
//! int32 / int64 fields accept a JSON number or a decimal string (proto3 JSON); `null` is the
//! field's default.

use crate::error::{Error, FieldViolation, Result};
use crate::schema::{self, Type};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// A body read against the schema: the typed value (bad fields dropped) and what was wrong.
#[derive(Debug, Clone)]
pub struct Decoded<T> {
    /// The body with unknown and wrongly typed fields left out, decoded.
    pub value: T,
    /// Every unknown field (D24) and wrongly typed value (D23), in key order (objects are sorted maps).
    pub violations: Vec<FieldViolation>,
}

/// Reads `body` as the schema `root` (`Job`, `RunJobRequest`). `body_field` is the HTTP body
/// field the front end names paths from (`Some("job")`), or `None` when the body is the request.
pub fn decode<T: DeserializeOwned>(body: &Value, root: &str, body_field: Option<&str>) -> Result<Decoded<T>> {
    let mut violations = Vec::new();
    let mut path = Path { body_field: body_field.unwrap_or_default(), segments: Vec::new() };
    let clean = walk(body, &Type::Message(root_name(root)), &mut path, &mut violations).unwrap_or(Value::Null);
    let clean = if clean.is_null() { Value::Object(Map::new()) } else { clean };
    match crate::value_decoder::from_value(clean) {
        Ok(value) => Ok(Decoded { value, violations }),
        // Unreachable for the schema's types (every value was checked); kept as a clear error.
        Err(e) => {
            violations.push(FieldViolation { field: "body".into(), description: e.to_string() });
            Err(invalid(violations))
        }
    }
}

/// The one 400 for a body's violations (D2). When all are unknown names (D24), the message is
/// the front end's, one per line as it writes them; otherwise the usual D2 summary.
pub fn invalid(violations: Vec<FieldViolation>) -> Error {
    if !violations.is_empty() && violations.iter().all(|v| is_front_end(&v.description)) {
        let message = violations.iter().map(|v| v.description.as_str()).collect::<Vec<_>>().join("\n");
        Error::invalid_with_message(message, violations)
    } else {
        Error::invalid(violations)
    }
}

fn is_front_end(description: &str) -> bool {
    description.starts_with("Invalid JSON payload received.")
}

/// D24's violation for a key `name` the message at `path` does not define.
pub fn unknown_name(name: &str, path: &str) -> FieldViolation {
    let description = if path.is_empty() {
        format!("Invalid JSON payload received. Unknown name {}: Cannot find field.", quoted(name))
    } else {
        format!("Invalid JSON payload received. Unknown name {} at '{path}': Cannot find field.", quoted(name))
    };
    FieldViolation { field: path.to_string(), description }
}

fn root_name(root: &str) -> &'static str {
    schema::schema(root).map_or("", |s| s.name)
}

/// `"name"` with JSON escapes, so a hostile key cannot break the message apart.
fn quoted(name: &str) -> String {
    Value::String(name.to_string()).to_string()
}

/// `taskCount` → `task_count` (the proto field name the front end writes in paths).
fn proto_name(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 4);
    for c in json.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The value as the message shows it: its JSON, cut at 64 characters.
fn shown(v: &Value) -> String {
    let text = v.to_string();
    match text.char_indices().nth(64) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

fn expected(ty: &Type) -> String {
    match ty {
        Type::String => "a string".into(),
        Type::Bool => "true or false".into(),
        Type::Int32 => "an int32 (a JSON number or a decimal string)".into(),
        Type::Int64 => "an int64 (a decimal string or a JSON number)".into(),
        Type::Enum(values) => format!("one of {}", values.join(", ")),
        Type::Message(_) | Type::Object => "an object".into(),
        Type::Array(_) => "a list".into(),
        Type::Map(_) => "a map of strings".into(),
    }
}

fn wrong_type(path: &Path, ty: &Type, v: &Value) -> FieldViolation {
    FieldViolation {
        field: path.json(),
        description: format!("Invalid value: expected {}, got {}", expected(ty), shown(v)),
    }
}

/// Where the walk is, as segments; rendered only for a violation (the walk allocates no path
/// for a valid body): the front end's proto path (D24) and the service's JSON path (D23).
struct Path<'v> {
    body_field: &'v str,
    segments: Vec<Segment<'v>>,
}

#[derive(Clone, Copy)]
enum Segment<'v> {
    Field(&'v str),
    Index(usize),
    Key(&'v str),
}

impl Path<'_> {
    fn render(&self, proto: bool) -> String {
        let mut out = if proto { self.body_field.to_string() } else { String::new() };
        for segment in &self.segments {
            match segment {
                Segment::Field(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(&if proto { proto_name(name) } else { name.to_string() });
                }
                Segment::Index(i) => out.push_str(&format!("[{i}]")),
                Segment::Key(k) => out.push_str(&format!("[{}]", quoted(k))),
            }
        }
        out
    }

    fn proto(&self) -> String {
        self.render(true)
    }

    fn json(&self) -> String {
        self.render(false)
    }
}

/// An integer in `[min, max]` from a JSON number (integral) or a decimal string.
fn integer(v: &Value, min: i64, max: i64) -> Option<i64> {
    let n = match v {
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Some(i),
            (None, Some(f)) if f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64 => Some(f as i64),
            _ => None,
        },
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    }?;
    (min..=max).contains(&n).then_some(n)
}

/// Checks `v` against `ty` at `path`; returns the value to keep (`None` = drop it).
fn walk<'v>(v: &'v Value, ty: &Type, path: &mut Path<'v>, out: &mut Vec<FieldViolation>) -> Option<Value> {
    if v.is_null() {
        return None;
    }
    let kept = match (ty, v) {
        (Type::String, Value::String(_)) | (Type::Bool, Value::Bool(_)) | (Type::Object, Value::Object(_)) => {
            Some(v.clone())
        }
        (Type::Int32, _) => integer(v, i64::from(i32::MIN), i64::from(i32::MAX)).map(Value::from),
        // int64 stays as given (a string or a number): `int64_string` reads both.
        (Type::Int64, _) => integer(v, i64::MIN, i64::MAX).map(|_| v.clone()),
        (Type::Enum(values), Value::String(s)) if values.contains(&s.as_str()) => Some(v.clone()),
        (Type::Array(item), Value::Array(items)) => {
            let mut kept = Vec::with_capacity(items.len());
            for (i, x) in items.iter().enumerate() {
                path.segments.push(Segment::Index(i));
                kept.extend(walk(x, item, path, out));
                path.segments.pop();
            }
            return Some(Value::Array(kept));
        }
        (Type::Map(item), Value::Object(map)) => {
            let mut kept = Map::new();
            for (k, x) in map {
                path.segments.push(Segment::Key(k));
                if let Some(x) = walk(x, item, path, out) {
                    kept.insert(k.clone(), x);
                }
                path.segments.pop();
            }
            return Some(Value::Object(kept));
        }
        (Type::Message(name), Value::Object(map)) => {
            let Some(schema) = schema::schema(name) else { return Some(v.clone()) };
            let mut kept = Map::new();
            for (k, x) in map {
                match schema.field(k) {
                    None => out.push(unknown_name(k, &path.proto())),
                    Some(field) => {
                        path.segments.push(Segment::Field(k));
                        if let Some(x) = walk(x, &field.ty, path, out) {
                            kept.insert(k.clone(), x);
                        }
                        path.segments.pop();
                    }
                }
            }
            return Some(Value::Object(kept));
        }
        _ => None,
    };
    if kept.is_none() {
        out.push(wrong_type(path, ty, v));
    }
    kept
}

/// Rejects a JSON value nested deeper than `max` (hostile input guard), without recursion.
pub fn check_depth(value: &Value, max: usize, what: &str) -> Result<()> {
    let mut stack = vec![(value, 1usize)];
    while let Some((v, depth)) = stack.pop() {
        if depth > max {
            return Err(Error::invalid_field(what, format!("is nested deeper than {max} levels")));
        }
        match v {
            Value::Array(items) => stack.extend(items.iter().map(|i| (i, depth + 1))),
            Value::Object(map) => stack.extend(map.values().map(|i| (i, depth + 1))),
            _ => {}
        }
    }
    Ok(())
}

/// A short name of a JSON value's type, for error messages.
pub fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::{Job, RunJobRequest};
    use serde_json::json;

    #[test]
    fn d24_unknown_name_message_has_the_front_end_shape() {
        let d = decode::<Job>(&json!({"spec": {"bogus": 1}}), "Job", Some("job")).unwrap();
        assert_eq!(
            d.violations,
            vec![FieldViolation {
                field: "job.spec".into(),
                description: "Invalid JSON payload received. Unknown name \"bogus\" at 'job.spec': Cannot find field."
                    .into()
            }]
        );
        let e = invalid(d.violations);
        assert_eq!(
            e.message,
            "Invalid JSON payload received. Unknown name \"bogus\" at 'job.spec': Cannot find field."
        );
    }

    #[test]
    fn d24_top_level_unknown_name_of_a_whole_request_body_has_no_path() {
        let d = decode::<RunJobRequest>(&json!({"bogus": 1}), "RunJobRequest", None).unwrap();
        assert_eq!(
            d.violations[0].description,
            "Invalid JSON payload received. Unknown name \"bogus\": Cannot find field."
        );
        assert_eq!(d.violations[0].field, "");
    }

    #[test]
    fn d23_int32_reads_numbers_and_decimal_strings_and_drops_the_rest() {
        let body = json!({"spec": {"template": {"spec": {"taskCount": "3", "parallelism": "y"}}}});
        let d = decode::<Job>(&body, "Job", Some("job")).unwrap();
        assert_eq!(d.value.execution_spec().map(|s| s.task_count), Some(3));
        assert_eq!(d.violations.len(), 1);
        assert_eq!(d.violations[0].field, "spec.template.spec.parallelism");
        assert_eq!(
            d.violations[0].description,
            "Invalid value: expected an int32 (a JSON number or a decimal string), got \"y\""
        );
    }

    #[test]
    fn proto_names_are_snake_case() {
        assert_eq!(proto_name("terminationGracePeriodSeconds"), "termination_grace_period_seconds");
        assert_eq!(proto_name("name"), "name");
    }
}
