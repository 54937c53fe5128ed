//! The one error type of jobsim: a stable code, an HTTP status and the Google error body (R33, D2).
//!
//! API failures are *outcomes* a user wants to see (404, 409, 429 …), so they carry exactly what
//! Cloud Run would answer. Bad scenario files and bad event logs use the same type with their own
//! codes, so every face (Rust, CLI, JS) tells failures apart by one `code` string.

use serde::Serialize;
use serde_json::Value;
use std::fmt;

/// Stable error codes; the string forms are what JS sees as `error.code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    /// The named job, execution or task does not exist (404).
    NotFound,
    /// A job with that name exists, or is still being deleted (409).
    AlreadyExists,
    /// A field value is invalid; `field_violations` says which (400).
    InvalidArgument,
    /// Optimistic concurrency failed: stale `resourceVersion` or log version (409).
    Aborted,
    /// The request is valid but the resource is not in a state that allows it (400).
    FailedPrecondition,
    /// A quota is used up, e.g. too many running executions (429).
    ResourceExhausted,
    /// A scenario (file or options object) cannot be parsed or names something invalid.
    InvalidScenario,
    /// An event log or snapshot cannot be replayed (gap, duplicate, unknown type or schema).
    InvalidEventLog,
}

impl ErrorCode {
    /// The canonical string (`NOT_FOUND`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::AlreadyExists => "ALREADY_EXISTS",
            ErrorCode::InvalidArgument => "INVALID_ARGUMENT",
            ErrorCode::Aborted => "ABORTED",
            ErrorCode::FailedPrecondition => "FAILED_PRECONDITION",
            ErrorCode::ResourceExhausted => "RESOURCE_EXHAUSTED",
            ErrorCode::InvalidScenario => "INVALID_SCENARIO",
            ErrorCode::InvalidEventLog => "INVALID_EVENT_LOG",
        }
    }

    /// The HTTP status Cloud Run answers with (scenario and log errors map to 400).
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::NotFound => 404,
            ErrorCode::AlreadyExists | ErrorCode::Aborted => 409,
            ErrorCode::ResourceExhausted => 429,
            ErrorCode::InvalidArgument
            | ErrorCode::FailedPrecondition
            | ErrorCode::InvalidScenario
            | ErrorCode::InvalidEventLog => 400,
        }
    }

    /// The Google canonical status written in the error body (`error.status`).
    fn google_status(self) -> &'static str {
        match self {
            ErrorCode::InvalidScenario | ErrorCode::InvalidEventLog => "INVALID_ARGUMENT",
            other => other.as_str(),
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One bad field of a request, as in `google.rpc.BadRequest.fieldViolations`. Fields in key
/// order, so any serializer writes the body's sorted form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldViolation {
    /// What is wrong with it.
    pub description: String,
    /// Dotted path of the field, e.g. `spec.template.spec.taskCount`; empty (and omitted, as
    /// Google's front end does) for the top level of a body.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub field: String,
}

/// Where a scenario error is, as data (so a face marks the field or jumps to the line without
/// reading the message): the option or step field, the step index, the line and column of text.
/// Not part of the Google error body, which stays what the API answers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The field, e.g. `workloads[0].failureRate` or `steps[3].call`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The 0-based index of the step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<usize>,
    /// The 1-based line in the document's text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The 1-based column in the document's text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

/// A failure of any jobsim call: the code, a message, and the offending fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Stable machine-readable code.
    pub code: ErrorCode,
    /// Human-readable message, as Cloud Run words it where known.
    pub message: String,
    /// Every invalid field at once (D2); empty for other errors.
    pub field_violations: Vec<FieldViolation>,
    /// Conflict details for ABORTED on an event-log append: `(expected, actual)` version.
    pub conflict: Option<(u64, u64)>,
    /// Where a scenario error is (field, step, line, column), when it is known.
    pub location: Option<Box<Location>>,
}

impl Error {
    /// An error with a code and message and nothing else.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error { code, message: message.into(), field_violations: Vec::new(), conflict: None, location: None }
    }

    /// 404 in Cloud Run's words (R33): kind is `JOB`, `EXECUTION` or `TASK`.
    pub fn not_found(name: &str, kind: &str, region: &str, project_id: &str) -> Self {
        Error::new(
            ErrorCode::NotFound,
            format!(
                "Resource '{name}' of kind '{kind}' in region '{region}' in project '{project_id}' does not exist."
            ),
        )
    }

    /// 400 INVALID_ARGUMENT with one violation per bad field, reported all at once (D2).
    pub fn invalid(violations: Vec<FieldViolation>) -> Self {
        let message = match violations.as_slice() {
            [one] => format!("{}: {}", one.field, one.description),
            many => format!(
                "{} invalid fields: {}",
                many.len(),
                many.iter().map(|v| v.field.as_str()).collect::<Vec<_>>().join(", ")
            ),
        };
        Error {
            code: ErrorCode::InvalidArgument,
            message,
            field_violations: violations,
            conflict: None,
            location: None,
        }
    }

    /// 400 INVALID_ARGUMENT with the violations and a message of the caller's (the JSON front
    /// end's wording, D24).
    pub fn invalid_with_message(message: impl Into<String>, violations: Vec<FieldViolation>) -> Self {
        Error {
            code: ErrorCode::InvalidArgument,
            message: message.into(),
            field_violations: violations,
            conflict: None,
            location: None,
        }
    }

    /// 400 INVALID_ARGUMENT for a single field.
    pub fn invalid_field(field: impl Into<String>, description: impl Into<String>) -> Self {
        Error::invalid(vec![FieldViolation { field: field.into(), description: description.into() }])
    }

    /// A scenario that cannot be used; the message names the file part, step and field.
    pub fn scenario(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::InvalidScenario, message)
    }

    /// A scenario error naming its field, in the message and as data (`location.field`), so every
    /// face can point at it without parsing the message.
    pub fn scenario_field(field: &str, message: impl std::fmt::Display) -> Self {
        Error::scenario(format!("{field}: {message}")).with_field(field)
    }

    /// An event log or snapshot that cannot be replayed.
    pub fn event_log(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::InvalidEventLog, message)
    }

    /// Optimistic-concurrency failure of an append: the log was at `actual`, not `expected`.
    pub fn conflict(expected: u64, actual: u64) -> Self {
        Error {
            code: ErrorCode::Aborted,
            message: format!("expected event log version {expected}, but it is at {actual}"),
            field_violations: Vec::new(),
            conflict: Some((expected, actual)),
            location: None,
        }
    }

    /// The same error, located at `field` (the message already names it).
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.location.get_or_insert_with(Default::default).field = Some(field.into());
        self
    }

    /// The same error, located in step `index` of a scenario.
    pub fn in_step(mut self, index: usize) -> Self {
        self.location.get_or_insert_with(Default::default).step = Some(index);
        self
    }

    /// The same error, located at a line (and column) of the document's text.
    pub fn at_line(mut self, line: usize, column: Option<usize>) -> Self {
        let location = self.location.get_or_insert_with(Default::default);
        location.line = Some(line);
        location.column = column;
        self
    }

    /// The HTTP status of this error.
    pub fn http_status(&self) -> u16 {
        self.code.http_status()
    }

    /// The Google JSON error body as a `Value` (for Rust callers and tests), from the one
    /// definition of the body, [`Error`]'s `Serialize`.
    pub fn body(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// The Google JSON error body as compact JSON text, byte for byte `self.body().to_string()`,
    /// written without building a `Value` (what the wasm `details` and outcome lines carry).
    pub fn body_text(&self) -> String {
        crate::json_text::to_text(self)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.http_status(), self.message)
    }
}

impl std::error::Error for Error {}

/// Serializes as the Google error body, what the API answers (R33, D2):
/// `{"error": {"code", "details"?, "message", "status"}}`, keys in sorted order (as the
/// stored JSON has always had them), `details` a `BadRequest` with every violation or a
/// `VersionConflict`.
impl Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = serializer.serialize_map(Some(1))?;
        m.serialize_entry("error", &Body(self))?;
        m.end()
    }
}

/// The `error` object of the body.
struct Body<'a>(&'a Error);

impl Serialize for Body<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let e = self.0;
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry("code", &e.http_status())?;
        // A version conflict's details replace the violations (an append has none).
        if let Some((expected, actual)) = e.conflict {
            m.serialize_entry("details", &[Conflict { expected, actual }])?;
        } else if !e.field_violations.is_empty() {
            m.serialize_entry("details", &[BadRequest(&e.field_violations)])?;
        }
        m.serialize_entry("message", &e.message)?;
        m.serialize_entry("status", e.code.google_status())?;
        m.end()
    }
}

/// `google.rpc.BadRequest`: `{"@type", "fieldViolations": [{"description", "field"?}]}`.
struct BadRequest<'a>(&'a [FieldViolation]);

impl Serialize for BadRequest<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = serializer.serialize_map(Some(2))?;
        m.serialize_entry("@type", "type.googleapis.com/google.rpc.BadRequest")?;
        m.serialize_entry("fieldViolations", self.0)?;
        m.end()
    }
}

/// jobsim's `VersionConflict` detail: `{"@type", "actualVersion", "expectedVersion"}`.
struct Conflict {
    expected: u64,
    actual: u64,
}

impl Serialize for Conflict {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = serializer.serialize_map(Some(3))?;
        m.serialize_entry("@type", "type.googleapis.com/jobsim.VersionConflict")?;
        m.serialize_entry("actualVersion", &self.actual)?;
        m.serialize_entry("expectedVersion", &self.expected)?;
        m.end()
    }
}

/// Shorthand used across the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn r33_not_found_body_matches_the_real_404() {
        let e = Error::not_found("test-x", "JOB", "us-central1", "p");
        assert_eq!(
            e.body(),
            json!({"error": {"code": 404, "status": "NOT_FOUND",
                "message": "Resource 'test-x' of kind 'JOB' in region 'us-central1' in project 'p' does not exist."}})
        );
    }

    #[test]
    fn d2_invalid_argument_lists_every_field() {
        let e = Error::invalid(vec![
            FieldViolation { field: "a".into(), description: "bad".into() },
            FieldViolation { field: "b".into(), description: "worse".into() },
        ]);
        assert_eq!(e.http_status(), 400);
        assert_eq!(e.body()["error"]["details"][0]["fieldViolations"][1]["field"], "b");
        assert_eq!(e.body()["error"]["status"], "INVALID_ARGUMENT");
    }
}
