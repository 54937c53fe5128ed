//! Events: the facts jobsim records, and the envelopes they are stored in.
//!
//! Every event has an explicit type name and `schema: 1`. Old schemas are upgraded as JSON by
//! [`upcast`] before the typed decode, so a log written today replays in later versions.

use crate::error::{Error, Result};
use crate::random::ULID_LEN;
use crate::resources::{Condition, Execution, Job};
use crate::settings::limits::MAX_SEQUENCE;
use crate::settings::World;
use crate::time::{format_timestamp, parse_timestamp, Micros};
use crate::value_decoder::Decoder;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The schema every event is written with today.
pub const SCHEMA: u32 = 1;

/// How one task attempt ends; drawn (or taken from a fault) when the attempt starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Outcome {
    /// Exit code 0.
    Succeeded,
    /// Non-zero exit code.
    Exited {
        /// The exit code.
        code: i32,
    },
    /// Ran until `timeoutSeconds` and was killed (D5).
    TimedOut,
}

impl Outcome {
    /// Whether the attempt succeeded.
    pub fn is_success(self) -> bool {
        matches!(self, Outcome::Succeeded)
    }
}

/// Which token made an execution (R15).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TokenKind {
    /// `startExecutionToken`: the job is Ready when it starts.
    Start,
    /// `runExecutionToken`: the job is Ready when it completes.
    Run,
}

/// The `CLOUD_RUN_*` environment of one attempt (`AttemptStarted.env`), written as the JSON
/// object of its variables, sorted by name. Kept compact in memory: the five variables jobsim
/// sets come from three numbers and one string holding both names (one allocation instead of
/// eleven per attempt; BENCHMARKS.md, "Issue 10 — engine speed, third pass"), shared by every
/// attempt of an execution ([`EnvNames`]: no allocation per attempt, fifth pass).
#[derive(Debug, Clone)]
pub enum AttemptEnv {
    /// `CLOUD_RUN_EXECUTION`, `CLOUD_RUN_JOB`, `CLOUD_RUN_TASK_ATTEMPT`, `CLOUD_RUN_TASK_COUNT`
    /// and `CLOUD_RUN_TASK_INDEX`, as the scheduler sets them ([`AttemptEnv::standard`]).
    Standard {
        /// `CLOUD_RUN_EXECUTION` followed by `CLOUD_RUN_JOB` ([`AttemptEnv::names`] splits them),
        /// shared by the attempts of one execution.
        names: Arc<str>,
        /// Where `CLOUD_RUN_JOB` starts in `names`.
        job_at: u32,
        /// `CLOUD_RUN_TASK_ATTEMPT`.
        attempt: u32,
        /// `CLOUD_RUN_TASK_COUNT`.
        task_count: u32,
        /// `CLOUD_RUN_TASK_INDEX`.
        task_index: u32,
    },
    /// Any other set of variables (read from a log), kept as it was.
    Vars(BTreeMap<String, String>),
}

/// `CLOUD_RUN_EXECUTION` and `CLOUD_RUN_JOB` of one execution in one shared string: made once
/// per execution (the state keeps it), then every attempt's [`AttemptEnv::shared`] only counts a
/// reference where it allocated a string (a retained `malloc` per attempt, ~190 instructions in
/// glibc: BENCHMARKS.md, "Issue 10 — engine speed, fifth pass").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvNames {
    names: Arc<str>,
    job_at: u32,
}

impl EnvNames {
    /// The names of `execution` of `job`; `None` when they do not fit the compact form (names are
    /// bounded far below 4 GiB, R1, D26), and [`AttemptEnv::standard`] keeps them as variables.
    pub fn new(execution: &str, job: &str) -> Option<EnvNames> {
        let job_at = u32::try_from(execution.len()).ok()?;
        let mut names = String::with_capacity(execution.len() + job.len());
        names.push_str(execution);
        names.push_str(job);
        Some(EnvNames { names: Arc::from(names), job_at })
    }

    /// Whether these are the names of `execution` of `job`.
    pub fn are(&self, execution: &str, job: &str) -> bool {
        AttemptEnv::names(&self.names, self.job_at) == (execution, job)
    }
}

impl AttemptEnv {
    /// The five variables jobsim sets.
    pub fn standard(execution: &str, job: &str, attempt: u32, task_count: u32, task_index: u32) -> AttemptEnv {
        match EnvNames::new(execution, job) {
            Some(names) => AttemptEnv::shared(&names, attempt, task_count, task_index),
            None => AttemptEnv::Vars(BTreeMap::from([
                ("CLOUD_RUN_EXECUTION".to_string(), execution.to_string()),
                ("CLOUD_RUN_JOB".to_string(), job.to_string()),
                ("CLOUD_RUN_TASK_ATTEMPT".to_string(), attempt.to_string()),
                ("CLOUD_RUN_TASK_COUNT".to_string(), task_count.to_string()),
                ("CLOUD_RUN_TASK_INDEX".to_string(), task_index.to_string()),
            ])),
        }
    }

    /// [`AttemptEnv::standard`] with the execution's names made once (no allocation).
    pub fn shared(names: &EnvNames, attempt: u32, task_count: u32, task_index: u32) -> AttemptEnv {
        AttemptEnv::Standard { names: Arc::clone(&names.names), job_at: names.job_at, attempt, task_count, task_index }
    }

    /// `(CLOUD_RUN_EXECUTION, CLOUD_RUN_JOB)` of a standard environment.
    fn names(names: &str, job_at: u32) -> (&str, &str) {
        names.split_at_checked(job_at as usize).unwrap_or((names, ""))
    }

    /// The variables by name.
    pub fn to_map(&self) -> BTreeMap<String, String> {
        match self {
            AttemptEnv::Standard { names, job_at, attempt, task_count, task_index } => {
                let (execution, job) = AttemptEnv::names(names, *job_at);
                BTreeMap::from([
                    ("CLOUD_RUN_EXECUTION".to_string(), execution.to_string()),
                    ("CLOUD_RUN_JOB".to_string(), job.to_string()),
                    ("CLOUD_RUN_TASK_ATTEMPT".to_string(), attempt.to_string()),
                    ("CLOUD_RUN_TASK_COUNT".to_string(), task_count.to_string()),
                    ("CLOUD_RUN_TASK_INDEX".to_string(), task_index.to_string()),
                ])
            }
            AttemptEnv::Vars(vars) => vars.clone(),
        }
    }

    /// Compact when the variables are exactly the five jobsim sets (numbers in canonical form).
    pub fn from_map(vars: BTreeMap<String, String>) -> AttemptEnv {
        let number = |key: &str| vars.get(key).and_then(|v| v.parse::<u32>().ok().filter(|n| n.to_string() == *v));
        let text = |key: &str| vars.get(key);
        match (
            vars.len(),
            text("CLOUD_RUN_EXECUTION"),
            text("CLOUD_RUN_JOB"),
            number("CLOUD_RUN_TASK_ATTEMPT"),
            number("CLOUD_RUN_TASK_COUNT"),
            number("CLOUD_RUN_TASK_INDEX"),
        ) {
            (5, Some(execution), Some(job), Some(attempt), Some(task_count), Some(task_index)) => {
                AttemptEnv::standard(execution, job, attempt, task_count, task_index)
            }
            _ => AttemptEnv::Vars(vars),
        }
    }

    /// Bytes of the strings it owns (for [`Envelope::held_bytes`]).
    fn string_bytes(&self) -> usize {
        match self {
            AttemptEnv::Standard { names, .. } => names.len(),
            AttemptEnv::Vars(vars) => vars.iter().map(|(k, v)| k.len() + v.len()).sum(),
        }
    }
}

/// Equal when the variables are (whatever the representation).
impl PartialEq for AttemptEnv {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (
                AttemptEnv::Standard { names, job_at, attempt, task_count, task_index },
                AttemptEnv::Standard {
                    names: names2,
                    job_at: job_at2,
                    attempt: attempt2,
                    task_count: task_count2,
                    task_index: task_index2,
                },
            ) => {
                AttemptEnv::names(names, *job_at) == AttemptEnv::names(names2, *job_at2)
                    && attempt == attempt2
                    && task_count == task_count2
                    && task_index == task_index2
            }
            (AttemptEnv::Vars(a), AttemptEnv::Vars(b)) => a == b,
            (a, b) => a.to_map() == b.to_map(),
        }
    }
}

impl Eq for AttemptEnv {}

impl Serialize for AttemptEnv {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        /// A number written as a JSON string (env values are strings).
        struct Text(u32);
        impl Serialize for Text {
            fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.collect_str(&self.0)
            }
        }
        match self {
            // Already in name order, as a sorted map writes them.
            AttemptEnv::Standard { names, job_at, attempt, task_count, task_index } => {
                let (execution, job) = AttemptEnv::names(names, *job_at);
                let mut m = s.serialize_map(Some(5))?;
                m.serialize_entry("CLOUD_RUN_EXECUTION", execution)?;
                m.serialize_entry("CLOUD_RUN_JOB", job)?;
                m.serialize_entry("CLOUD_RUN_TASK_ATTEMPT", &Text(*attempt))?;
                m.serialize_entry("CLOUD_RUN_TASK_COUNT", &Text(*task_count))?;
                m.serialize_entry("CLOUD_RUN_TASK_INDEX", &Text(*task_index))?;
                m.end()
            }
            AttemptEnv::Vars(vars) => vars.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for AttemptEnv {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        BTreeMap::<String, String>::deserialize(d).map(AttemptEnv::from_map)
    }
}

/// `{prefix}{name}` without the formatting machinery (one allocation of the exact size).
fn prefixed(prefix: &str, name: &str) -> String {
    let mut s = String::with_capacity(prefix.len() + name.len());
    s.push_str(prefix);
    s.push_str(name);
    s
}

/// Everything that can happen in the simulated world.
///
/// serde sees it externally tagged (`{"JobCreated": {…}}`); the envelope writes that as `type`
/// and `payload` and reads it back through [`Tagged`], which picks the variant by `type` before
/// decoding the payload: no adjacently tagged enum, so serde never buffers a payload
/// (BENCHMARKS.md, "Issue 10").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Event {
    /// The simulator started with this world (always the first event).
    WorldStarted {
        /// Seed, start, profile, project, settings, workloads, faults.
        world: Box<World>,
    },
    /// Virtual time moved with nothing else happening.
    ClockMoved {},
    /// `jobs.create` stored a job (defaults and server metadata applied).
    #[serde(rename_all = "camelCase")]
    JobCreated {
        /// The stored job, `status: {}`.
        job: Box<Job>,
    },
    /// `jobs.replaceJob` stored a new spec/labels/annotations; status is kept.
    #[serde(rename_all = "camelCase")]
    JobReplaced {
        /// The stored job (its status is ignored).
        job: Box<Job>,
    },
    /// Reconciliation began: `Ready=Unknown` plus the `Retry` condition (R12).
    #[serde(rename_all = "camelCase")]
    JobReconcileStarted {
        /// Job name.
        name: String,
    },
    /// Reconciliation (or a token execution) decided the job's `Ready` condition.
    #[serde(rename_all = "camelCase")]
    JobReconciled {
        /// Job name.
        name: String,
        /// The new `Ready` condition (its time is the event's time). Boxed, like the other large
        /// payloads, so that every event stays small (BENCHMARKS.md, "memory").
        ready: Box<Condition>,
    },
    /// `jobs.delete` started the asynchronous deletion (R30).
    #[serde(rename_all = "camelCase")]
    JobDeletionStarted {
        /// Job name.
        name: String,
    },
    /// The job, its executions and tasks are gone.
    #[serde(rename_all = "camelCase")]
    JobDeleted {
        /// Job name.
        name: String,
    },
    /// `jobs.run` or a token created an execution with all its tasks `Pending`.
    #[serde(rename_all = "camelCase")]
    ExecutionCreated {
        /// Metadata and spec as stored (effective parallelism filled in).
        execution: Box<Execution>,
        /// 1-based ordinal among the job's executions (faults address it).
        ordinal: u32,
        /// The token that made it, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        token: Option<TokenKind>,
    },
    /// The image was imported: `ContainerReady=True`.
    #[serde(rename_all = "camelCase")]
    ContainerReady {
        /// Execution name.
        execution: String,
    },
    /// The image could not be imported (D18): `ContainerReady=False` and `Completed=False`, both
    /// reason `ContainerMissing`; no task ever starts (all `Abandoned`); the execution failed.
    #[serde(rename_all = "camelCase")]
    ContainerMissing {
        /// Execution name.
        execution: String,
        /// The job's message, `Image '…' not found.` (R12).
        message: String,
    },
    /// Resources were provisioned: `ResourcesAvailable=True`.
    #[serde(rename_all = "camelCase")]
    ResourcesAvailable {
        /// Execution name.
        execution: String,
    },
    /// The first task is about to start: `Started=True`, `startTime`.
    #[serde(rename_all = "camelCase")]
    ExecutionStarted {
        /// Execution name.
        execution: String,
    },
    /// A task attempt started; its outcome and end are fixed now (seeded draw or fault).
    #[serde(rename_all = "camelCase")]
    AttemptStarted {
        /// Execution name.
        execution: String,
        /// Task index.
        task: u32,
        /// 0-based attempt.
        attempt: u32,
        /// When the attempt ends.
        ends_at: Micros,
        /// How it ends.
        outcome: Outcome,
        /// The container's `CLOUD_RUN_*` environment.
        env: AttemptEnv,
    },
    /// A task attempt ended.
    #[serde(rename_all = "camelCase")]
    AttemptEnded {
        /// Execution name.
        execution: String,
        /// Task index.
        task: u32,
        /// 0-based attempt.
        attempt: u32,
        /// How it ended.
        outcome: Outcome,
    },
    /// Every task is terminal: `Completed` True or False (R25).
    #[serde(rename_all = "camelCase")]
    ExecutionCompleted {
        /// Execution name.
        execution: String,
        /// The final `Completed` condition (boxed: see `JobReconciled`).
        completed: Box<Condition>,
    },
    /// `executions.cancel`: running tasks Cancelled, pending Abandoned (R28).
    #[serde(rename_all = "camelCase")]
    ExecutionCancelled {
        /// Execution name.
        execution: String,
    },
    /// The `Retry` condition after a failed completion (D11).
    #[serde(rename_all = "camelCase")]
    ExecutionRetryNoted {
        /// Execution name.
        execution: String,
    },
    /// The execution and its tasks were removed (delete, or retention R31).
    #[serde(rename_all = "camelCase")]
    ExecutionDeleted {
        /// Execution name.
        execution: String,
    },
}

impl Event {
    /// The type name written in the envelope.
    pub fn type_name(&self) -> &'static str {
        match self {
            Event::WorldStarted { .. } => "WorldStarted",
            Event::ClockMoved { .. } => "ClockMoved",
            Event::JobCreated { .. } => "JobCreated",
            Event::JobReplaced { .. } => "JobReplaced",
            Event::JobReconcileStarted { .. } => "JobReconcileStarted",
            Event::JobReconciled { .. } => "JobReconciled",
            Event::JobDeletionStarted { .. } => "JobDeletionStarted",
            Event::JobDeleted { .. } => "JobDeleted",
            Event::ExecutionCreated { .. } => "ExecutionCreated",
            Event::ContainerReady { .. } => "ContainerReady",
            Event::ContainerMissing { .. } => "ContainerMissing",
            Event::ResourcesAvailable { .. } => "ResourcesAvailable",
            Event::ExecutionStarted { .. } => "ExecutionStarted",
            Event::AttemptStarted { .. } => "AttemptStarted",
            Event::AttemptEnded { .. } => "AttemptEnded",
            Event::ExecutionCompleted { .. } => "ExecutionCompleted",
            Event::ExecutionCancelled { .. } => "ExecutionCancelled",
            Event::ExecutionRetryNoted { .. } => "ExecutionRetryNoted",
            Event::ExecutionDeleted { .. } => "ExecutionDeleted",
        }
    }

    /// The stream (aggregate) the event belongs to: `world`, `jobs/{name}`, `executions/{name}`.
    pub fn stream(&self) -> String {
        let (prefix, name) = self.stream_parts();
        prefixed(prefix, name)
    }

    /// Whether `stream` is the one this event belongs to (no allocation).
    pub fn in_stream(&self, stream: &str) -> bool {
        let (prefix, name) = self.stream_parts();
        stream.strip_prefix(prefix) == Some(name)
    }

    /// The stream name as a prefix and a resource name: derived, never stored (the envelope
    /// does not keep a copy; BENCHMARKS.md, "Issue 10").
    fn stream_parts(&self) -> (&'static str, &str) {
        match self {
            Event::WorldStarted { .. } | Event::ClockMoved { .. } => ("world", ""),
            Event::JobCreated { job } | Event::JobReplaced { job } => ("jobs/", &job.metadata.name),
            Event::JobReconcileStarted { name }
            | Event::JobReconciled { name, .. }
            | Event::JobDeletionStarted { name }
            | Event::JobDeleted { name } => ("jobs/", name),
            Event::ExecutionCreated { execution, .. } => ("executions/", &execution.metadata.name),
            Event::ContainerReady { execution }
            | Event::ContainerMissing { execution, .. }
            | Event::ResourcesAvailable { execution }
            | Event::ExecutionStarted { execution }
            | Event::AttemptStarted { execution, .. }
            | Event::AttemptEnded { execution, .. }
            | Event::ExecutionCompleted { execution, .. }
            | Event::ExecutionCancelled { execution }
            | Event::ExecutionRetryNoted { execution }
            | Event::ExecutionDeleted { execution } => ("executions/", execution),
        }
    }
}

/// An event's id: a ULID kept as its 128 bits and written as its 26 characters of Crockford
/// base32 (16 inline bytes instead of a 24-byte `String` plus a 26-byte allocation per event).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventId(pub u128);

impl EventId {
    /// The id of the event at `sequence`, appended at `time` by a simulator with `seed`.
    pub fn new(time: Micros, seed: u64, sequence: u64) -> EventId {
        EventId::with(crate::random::UlidSeed::new(seed), time, sequence)
    }

    /// [`EventId::new`] from the seed's precomputed share (the log keeps it).
    pub fn with(seed: crate::random::UlidSeed, time: Micros, sequence: u64) -> EventId {
        EventId(crate::random::ulid_bits_from(seed, u64::try_from(time / 1000).unwrap_or(0), sequence))
    }

    /// Reads the text form; only the canonical one (uppercase, 26 characters), so that every id
    /// read from a log is written back byte for byte.
    pub fn parse(text: &str) -> Option<EventId> {
        crate::random::decode_ulid(text).map(EventId)
    }

    /// The text form, written into `buf` (no allocation).
    fn encode<'b>(&self, buf: &'b mut [u8; ULID_LEN]) -> &'b str {
        crate::random::encode_ulid(self.0, buf)
    }
}

impl std::fmt::Display for EventId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut buf = [0u8; ULID_LEN];
        f.write_str(self.encode(&mut buf))
    }
}

impl Serialize for EventId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut buf = [0u8; ULID_LEN];
        s.serialize_str(self.encode(&mut buf))
    }
}

/// One stored event: when and in which order it happened. Its stream is derived from the event
/// ([`Envelope::stream`]) and its id kept inline, so an envelope owns no memory beyond the
/// event's own (BENCHMARKS.md, "Issue 10").
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    /// 1-based position in the log, without gaps.
    pub sequence: u64,
    /// ULID built from the virtual time and the seed.
    pub event_id: EventId,
    /// Virtual time of the event.
    pub time: Micros,
    /// The event.
    pub event: Event,
}

impl Envelope {
    /// The aggregate the event belongs to: `world`, `jobs/{name}` or `executions/{name}`.
    pub fn stream(&self) -> String {
        self.event.stream()
    }

    /// The JSON form stored in logs as a `Value` (for Rust callers and tests), from the one
    /// definition of it, [`Stored`].
    pub fn to_json(&self) -> Value {
        serde_json::to_value(Stored(self)).unwrap_or(Value::Null)
    }

    /// The JSON form stored in logs as compact text, byte for byte `self.to_json().to_string()`,
    /// appended to `out` without building a `Value` (`jobsim events`, wasm `events()`).
    pub fn write_json_text(&self, out: &mut Vec<u8>) {
        crate::json_text::append(&Stored(self), out);
    }

    /// Reads one envelope from JSON, upcasting old schemas first.
    pub fn from_json(value: &Value) -> Result<Envelope> {
        let obj = value.as_object().ok_or_else(|| Error::event_log("an event must be a JSON object"))?;
        let field =
            |name: &str| obj.get(name).ok_or_else(|| Error::event_log(format!("event is missing field `{name}`")));
        let sequence = field("sequence")?
            .as_u64()
            .filter(|s| (1..=MAX_SEQUENCE).contains(s))
            .ok_or_else(|| Error::event_log(format!("`sequence` must be an integer from 1 to {}", MAX_SEQUENCE)))?;
        let at = |what: &str| format!("event {sequence}: {what}");
        let stream = field("stream")?.as_str().ok_or_else(|| Error::event_log(at("`stream` must be a string")))?;
        let event_id = field("eventId")?
            .as_str()
            .ok_or_else(|| Error::event_log(at("`eventId` must be a string")))
            .and_then(|id| {
                EventId::parse(id).ok_or_else(|| {
                    Error::event_log(at(&format!(
                        "`eventId` must be a ULID (26 uppercase base32 characters), not `{id}`"
                    )))
                })
            })?;
        let time = field("time")?
            .as_str()
            .ok_or_else(|| Error::event_log(at("`time` must be an RFC 3339 string")))
            .and_then(|t| parse_timestamp(t).map_err(|e| Error::event_log(at(&e))))?;
        let type_name = field("type")?.as_str().ok_or_else(|| Error::event_log(at("`type` must be a string")))?;
        let schema = field("schema")?.as_u64().ok_or_else(|| Error::event_log(at("`schema` must be an integer")))?;
        // Decoded from an owned value like every other type of the core: decoding in place from
        // `&Value` is faster but compiles every event type's `Deserialize` a second time
        // (+105 KB of wasm, BENCHMARKS.md).
        let payload = upcast(type_name, schema, field("payload")?.clone()).map_err(|e| Error::event_log(at(&e)))?;
        let event = Event::deserialize(Tagged { type_name, payload })
            .map_err(|e| Error::event_log(at(&format!("invalid `{type_name}` event: {e}"))))?;
        // The stream is derived from the event, so a log whose `stream` disagrees with its
        // event could not be written back as it was read.
        if !event.in_stream(stream) {
            return Err(Error::event_log(at(&format!(
                "`stream` is `{stream}`, but this `{type_name}` event belongs to `{}`",
                event.stream()
            ))));
        }
        Ok(Envelope { sequence, event_id, time, event })
    }
}

/// Counts the bytes written to it (the JSON size of a large payload, without building it).
struct ByteCount(usize);

impl std::io::Write for ByteCount {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn json_size<T: Serialize>(value: &T) -> usize {
    let mut count = ByteCount(0);
    // Through the one `dyn` writer answers are written with (wasm bytes, `resources::write_json`).
    let _ = crate::resources::write_json(value, &mut count);
    count.0
}

/// What one envelope takes itself, counted by [`Envelope::held_bytes`]: at least its size on
/// 64-bit targets, a constant rather than `size_of` so that the runaway guard stops a move at the
/// same event natively and in wasm (32-bit), keeping logs byte-identical on every face. It was
/// the exact size until issue 10's fifth pass shared the attempt environment's names (128 → 112
/// bytes); it stays 128 so that every move bounded by bytes stops at the event it stopped at.
const ENVELOPE_BYTES: usize = 128;

impl Envelope {
    /// About how many bytes this envelope holds in memory: its own size plus the strings its
    /// event owns; for the large boxed payloads (world, job, execution, condition) their JSON size.
    /// What the runaway guard counts (D26); exact enough to bound, cheap for the frequent
    /// attempt events.
    pub fn held_bytes(&self) -> usize {
        let strings = match &self.event {
            Event::WorldStarted { world } => json_size(world),
            Event::ClockMoved {} => 0,
            Event::JobCreated { job } | Event::JobReplaced { job } => json_size(job),
            Event::ExecutionCreated { execution, .. } => json_size(execution),
            Event::JobReconciled { name, ready: condition } => name.len() + json_size(condition),
            Event::ExecutionCompleted { execution: name, completed: condition } => name.len() + json_size(condition),
            Event::ContainerMissing { execution, message } => execution.len() + message.len(),
            Event::JobReconcileStarted { name }
            | Event::JobDeletionStarted { name }
            | Event::JobDeleted { name }
            | Event::ContainerReady { execution: name }
            | Event::ResourcesAvailable { execution: name }
            | Event::ExecutionStarted { execution: name }
            | Event::AttemptEnded { execution: name, .. }
            | Event::ExecutionCancelled { execution: name }
            | Event::ExecutionRetryNoted { execution: name }
            | Event::ExecutionDeleted { execution: name } => name.len(),
            Event::AttemptStarted { execution, env, .. } => execution.len() + env.string_bytes(),
        };
        ENVELOPE_BYTES + strings
    }
}

/// Serializes as the stored JSON form ([`Envelope::to_json`], keys sorted for any serializer),
/// so logs can be snapshotted.
impl Serialize for Envelope {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

/// The stored JSON form, `{eventId, payload, schema, sequence, stream, time, type}`: the payload
/// is the event's variant content, written by the event's derived `Serialize`, whose fields a
/// sorting writer (`json_text`, or `to_value`) puts in key order, as logs have always had them.
struct Stored<'a>(&'a Envelope);

impl Serialize for Stored<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let e = self.0;
        let mut m = serializer.serialize_map(Some(7))?;
        m.serialize_entry("eventId", &e.event_id)?;
        m.serialize_entry("payload", &crate::json_text::VariantContent(&e.event))?;
        m.serialize_entry("schema", &SCHEMA)?;
        m.serialize_entry("sequence", &e.sequence)?;
        m.serialize_entry("stream", &e.stream())?;
        m.serialize_entry("time", &format_timestamp(e.time))?;
        m.serialize_entry("type", e.event.type_name())?;
        m.end()
    }
}

/// The envelope's `type` and `payload` shown to the derived `Deserialize` of [`Event`] as an
/// externally tagged enum: the variant is chosen from `type` first, then the payload decodes
/// straight into that variant's fields.
struct Tagged<'a> {
    type_name: &'a str,
    payload: Value,
}

impl<'de> serde::Deserializer<'de> for Tagged<'_> {
    type Error = serde_json::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, visitor: V) -> std::result::Result<V::Value, Self::Error> {
        visitor.visit_enum(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

impl<'de> serde::de::EnumAccess<'de> for Tagged<'_> {
    type Error = serde_json::Error;
    type Variant = Payload;

    fn variant_seed<V: serde::de::DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> std::result::Result<(V::Value, Payload), Self::Error> {
        let variant = seed.deserialize(serde::de::value::StrDeserializer::<serde_json::Error>::new(self.type_name))?;
        Ok((variant, Payload(self.payload)))
    }
}

/// The payload of [`Tagged`]: every event is a struct variant, decoded from the payload object
/// (through [`Decoder`]: structs from objects only, see `value_decoder.rs`).
struct Payload(Value);

impl<'de> serde::de::VariantAccess<'de> for Payload {
    type Error = serde_json::Error;

    fn unit_variant(self) -> std::result::Result<(), Self::Error> {
        Err(serde::de::Error::invalid_type(serde::de::Unexpected::StructVariant, &"a unit variant"))
    }

    fn newtype_variant_seed<T: serde::de::DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> std::result::Result<T::Value, Self::Error> {
        seed.deserialize(Decoder(self.0))
    }

    fn tuple_variant<V: serde::de::Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> std::result::Result<V::Value, Self::Error> {
        serde::Deserializer::deserialize_seq(Decoder(self.0), visitor)
    }

    fn struct_variant<V: serde::de::Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> std::result::Result<V::Value, Self::Error> {
        serde::Deserializer::deserialize_struct(Decoder(self.0), "", fields, visitor)
    }
}

/// Upgrades an event payload of an older schema to the current one (as JSON, before decoding).
///
/// Schema 0 (jobsim's pre-release logs) named the attempt end time `endsAtMicros`; it is the
/// only change so far, and the test fixture `tests/fixtures/events/schema0.jsonl` keeps it tested.
pub fn upcast(type_name: &str, schema: u64, mut payload: Value) -> std::result::Result<Value, String> {
    match schema {
        0 => {
            if type_name == "AttemptStarted" {
                if let Some(obj) = payload.as_object_mut() {
                    if let Some(v) = obj.remove("endsAtMicros") {
                        obj.insert("endsAt".into(), v);
                    }
                }
            }
            Ok(payload)
        }
        1 => Ok(payload),
        other => Err(format!("unknown event schema {other} (this jobsim reads schemas 0 to {SCHEMA})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn attempt_ended() -> Value {
        json!({
            "stream": "executions/etl-x7k2p",
            "sequence": 7,
            "eventId": "01KDVDNA00J500TN2PK63FAKFC",
            "time": "2026-01-01T00:00:00.000000Z",
            "type": "AttemptEnded",
            "schema": 1,
            "payload": {"execution": "etl-x7k2p", "task": 3, "attempt": 1, "outcome": {"kind": "exited", "code": 2}},
        })
    }

    fn refused(value: &Value) -> String {
        match Envelope::from_json(value) {
            Ok(e) => panic!("accepted: {e:?}"),
            Err(e) => e.message,
        }
    }

    /// Issue 10 item 7: the envelope keeps no stream and an inline id, and still reads and
    /// writes the same JSON byte for byte.
    #[test]
    fn item7_envelopes_derive_the_stream_and_write_back_what_they_read() {
        let read = Envelope::from_json(&attempt_ended()).unwrap();
        assert_eq!(read.stream(), "executions/etl-x7k2p");
        assert_eq!(read.event_id.to_string(), "01KDVDNA00J500TN2PK63FAKFC");
        assert_eq!(serde_json::to_string(&read.to_json()).unwrap(), serde_json::to_string(&attempt_ended()).unwrap());
        // The id of an appended event is the seeded ULID the log has always written.
        assert_eq!(
            EventId::new(1_767_225_600_000_123, 42, 0).to_string(),
            crate::random::ulid(1_767_225_600_000, 42, 0)
        );
        let world = Event::ClockMoved {};
        assert_eq!(world.stream(), "world");
        assert!(world.in_stream("world") && !world.in_stream("worlds") && !world.in_stream("jobs/"));
    }

    /// Item 7: what could not be written back as it was read is refused, naming the field.
    #[test]
    fn item7_a_stream_or_event_id_the_envelope_cannot_keep_is_refused() {
        let mut v = attempt_ended();
        v["stream"] = json!("jobs/etl");
        assert_eq!(
            refused(&v),
            "event 7: `stream` is `jobs/etl`, but this `AttemptEnded` event belongs to `executions/etl-x7k2p`"
        );
        for id in ["01kdvdna00j500tn2pk63fakfc", "01KDVDNA00J500TN2PK63FAKF", "evt-1", ""] {
            let mut v = attempt_ended();
            v["eventId"] = json!(id);
            assert_eq!(
                refused(&v),
                format!("event 7: `eventId` must be a ULID (26 uppercase base32 characters), not `{id}`")
            );
        }
    }

    /// Issue 10 item 3: the envelope's `type` picks the variant, then the payload decodes into
    /// it; errors keep naming the event and the field.
    #[test]
    fn item3_envelopes_decode_by_type_first_with_the_same_errors() {
        let mut v = attempt_ended();
        v["type"] = json!("AttemptFinished");
        let message = refused(&v);
        assert!(message.starts_with("event 7: invalid `AttemptFinished` event: unknown variant `AttemptFinished`, expected one of `WorldStarted`,"), "{message}");
        let mut v = attempt_ended();
        v["payload"].as_object_mut().unwrap().remove("task");
        assert_eq!(refused(&v), "event 7: invalid `AttemptEnded` event: missing field `task`");
        let mut v = attempt_ended();
        v["payload"]["attempt"] = json!("one");
        assert_eq!(refused(&v), "event 7: invalid `AttemptEnded` event: invalid type: string \"one\", expected u32");
        let mut v = attempt_ended();
        // A payload must be an object: since issue 10's third pass events decode through
        // `value_decoder`, which reads structs from objects only (serde_json also read them from
        // arrays, by position, and said "invalid length 0" here).
        v["payload"] = json!([]);
        assert_eq!(
            refused(&v),
            "event 7: invalid `AttemptEnded` event: invalid type: sequence, expected struct variant Event::AttemptEnded"
        );
        // The event's own serde form is externally tagged; the envelope writes it as type + payload.
        let e = Envelope::from_json(&attempt_ended()).unwrap();
        assert_eq!(serde_json::to_value(&e.event).unwrap(), json!({"AttemptEnded": attempt_ended()["payload"]}));
    }

    /// Issue 10, fifth pass: an environment sharing its execution's names is the environment
    /// made from the names, in memory and in JSON, and counts the same bytes (D26).
    #[test]
    fn shared_env_names_are_the_standard_env() {
        let names = EnvNames::new("etl-x7k2p", "etl").unwrap();
        assert!(names.are("etl-x7k2p", "etl") && !names.are("etl-x7k2", "petl"));
        let shared = AttemptEnv::shared(&names, 2, 10, 7);
        let standard = AttemptEnv::standard("etl-x7k2p", "etl", 2, 10, 7);
        assert_eq!(shared, standard);
        assert_eq!(serde_json::to_string(&shared).unwrap(), serde_json::to_string(&standard).unwrap());
        assert_eq!(shared.string_bytes(), "etl-x7k2p".len() + "etl".len());
        assert_eq!(
            serde_json::to_value(&shared).unwrap(),
            json!({"CLOUD_RUN_EXECUTION": "etl-x7k2p", "CLOUD_RUN_JOB": "etl", "CLOUD_RUN_TASK_ATTEMPT": "2",
                "CLOUD_RUN_TASK_COUNT": "10", "CLOUD_RUN_TASK_INDEX": "7"})
        );
    }

    /// The constant the runaway guard counts per envelope is at least the real size on 64-bit
    /// targets (on 32-bit targets, wasm, the real size is smaller), and stays 128 so that a move
    /// bounded by bytes stops where it always did (D26); the real size is pinned so that a change
    /// of `Envelope` is seen here.
    #[test]
    fn d26_envelope_bytes_is_at_least_the_envelope_size_on_64_bit() {
        assert_eq!(ENVELOPE_BYTES, 128);
        if cfg!(target_pointer_width = "64") {
            assert_eq!(std::mem::size_of::<Envelope>(), 112, "Envelope changed size: check ENVELOPE_BYTES (event.rs)");
        }
    }
}
