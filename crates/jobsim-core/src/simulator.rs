//! The facade every face uses: one simulated project with its jobs, executions, tasks, virtual
//! clock and event log. API calls and clock moves go through `decide` → log → `evolve`.

use crate::api;
use crate::command::Command;
use crate::command::Context;
use crate::decide::decide;
use crate::error::{Error, ErrorCode, Result};
use crate::event::{Envelope, Event};
use crate::evolve::evolve;
use crate::log::EventLog;
use crate::options::world_from_options;
use crate::request::{Read, Request, Response, Write};
use crate::resources::{to_json_text, Status, StatusDetails};
use crate::settings::World;
use crate::state::State;
use crate::time::{duration_from_json, format_timestamp, parse_timestamp, Micros, MAX_TIME};
use crate::view::{explain, lists, render};
use crate::{bounds, random, value_decoder};
use serde_json::Value;

/// The runaway guard (D26): one clock move (`advance`, `advanceTo`, `runUntilIdle`, or the
/// timers a call fires) stops with RESOURCE_EXHAUSTED once it has recorded this many events or
/// bytes ([`Envelope::held_bytes`]). The move stops after the firing that reached a bound, so
/// the world stays consistent (every event recorded so far is kept; `now` is that firing's
/// time) and the next move goes on from there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MoveLimits {
    /// Most events per move. Default 3,000,000: 13 times the 220,006 events of the largest
    /// legitimate execution (10,000 tasks, every attempt failing, maxRetries 10), and about
    /// 480 MB held / 1 GB of JSON Lines at the measured ~159 B held / ~348 B of JSON per event.
    pub events: usize,
    /// Most bytes of log growth per move ([`Envelope::held_bytes`]). Default 1 GiB; it binds
    /// before the event bound when events are large (long names, big conditions).
    pub bytes: usize,
}

impl Default for MoveLimits {
    fn default() -> Self {
        MoveLimits { events: 3_000_000, bytes: 1 << 30 }
    }
}

/// One simulated Cloud Run project: state, clock and event log.
#[derive(Debug, Clone)]
pub struct Simulator {
    state: State,
    log: EventLog,
    /// The runaway guard of one clock move (not part of the world: a replay gets the default).
    move_limits: MoveLimits,
}

impl Simulator {
    /// A new simulator from the scenario's top-level keys (seed, start, profile, project,
    /// settings, workloads, faults); `{}` or `null` gives the defaults (D16).
    pub fn new(options: &Value) -> Result<Simulator> {
        Ok(Simulator::with_world(world_from_options(options)?))
    }

    /// A new simulator for a world already built in Rust.
    pub fn with_world(world: World) -> Simulator {
        let mut sim =
            Simulator { state: State::default(), log: EventLog::default(), move_limits: MoveLimits::default() };
        let start = world.start;
        // Starting cannot fail: decide accepts any world.
        let _ = execute(&mut sim.state, &mut sim.log, &Command::Start(Box::new(world)), start);
        sim
    }

    /// The current state (read-only; change it through calls and the clock).
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Sets the runaway guard of one clock move (D26); [`MoveLimits::default`] otherwise.
    pub fn set_move_limits(&mut self, limits: MoveLimits) {
        self.move_limits = limits;
    }

    /// The runaway guard in force.
    pub fn move_limits(&self) -> MoveLimits {
        self.move_limits
    }

    /// Fires every timer due at or before `until`, in order; returns events recorded.
    fn fire_due(&mut self, until: Micros) -> Result<usize> {
        let (mut recorded, mut bytes) = (0usize, 0usize);
        let limits = self.move_limits;
        // The events of each firing, in one buffer for the whole move.
        let mut buffer = Vec::new();
        while let Some(((due, _), timer)) = self.state.timers.first() {
            if *due > until {
                break;
            }
            // The timer is read where it waits, not cloned into a `Command::Fire` (as `decide`
            // would do with it): its events are decided while the state is only borrowed.
            let at = (*due).max(self.state.now);
            let ctx = Context::new(at, self.state.world.seed, self.state.version);
            buffer.clear();
            crate::decide::scheduler::fire_into(&self.state, timer, &ctx, &mut buffer);
            let appended = record(&mut self.state, &mut self.log, &mut buffer, at)?;
            let (n, b) = (appended.len(), appended.iter().map(Envelope::held_bytes).sum::<usize>());
            if n == 0 {
                return Err(Error::new(ErrorCode::FailedPrecondition, "internal: a timer fired without effect"));
            }
            recorded += n;
            bytes = bytes.saturating_add(b);
            if recorded >= limits.events || bytes >= limits.bytes {
                let (count, unit, limit) = if recorded >= limits.events {
                    (recorded, "events", limits.events)
                } else {
                    (bytes, "bytes", limits.bytes)
                };
                return Err(Error::new(
                    ErrorCode::ResourceExhausted,
                    format!(
                        "one clock move reached its bound of {limit} {unit} ({count} recorded) and stopped at {} \
                         (runaway guard, D26); what was recorded is kept: move the clock again to go on",
                        self.now()
                    ),
                ));
            }
        }
        Ok(recorded)
    }

    /// One API call by method id (`jobs.create`, …); params `{name?, latestOf?, namespace?, body?, query?}`.
    /// Returns the response body; API errors are `Err` and change nothing.
    pub fn call(&mut self, method: &str, params: &Value) -> Result<Value> {
        self.call_response(method, params).map(Response::into_json)
    }

    /// [`Simulator::call`] answering JSON text (what `call(..)?.to_string()` gives), written
    /// straight from the typed response: the wasm `call` path.
    pub fn call_text(&mut self, method: &str, params: &Value) -> Result<String> {
        let text = match api::parse(&self.state, method, params)? {
            Request::Read(read) => self.answer_text(&read)?,
            Request::Write(write) => self.write(write)?.to_json_text(),
        };
        self.fire_due_after_call().map(|()| text)
    }

    /// [`Simulator::call`] answering the typed [`Response`], for faces that write it themselves
    /// (scenario outcomes, written straight to text).
    pub fn call_response(&mut self, method: &str, params: &Value) -> Result<Response> {
        let request = api::parse(&self.state, method, params)?;
        self.request(request)
    }

    /// One typed request, as [`api::parse`] makes them: for Rust embedders that build requests
    /// themselves (no JSON read), and the one path every JSON call takes after parsing.
    pub fn request(&mut self, request: Request) -> Result<Response> {
        let response = match request {
            Request::Read(read) => self.answer(&read)?,
            Request::Write(write) => self.write(write)?,
        };
        self.fire_due_after_call().map(|()| response)
    }

    /// Timers already due at this instant fire after the response is taken (R12 / D3). The
    /// call itself happened: a follow-up step refused at the end of time (D25) stays pending
    /// and the next clock move reports it.
    fn fire_due_after_call(&mut self) -> Result<()> {
        match self.fire_due(self.state.now) {
            Err(e) if !is_end_of_time(&e) => Err(e),
            _ => Ok(()),
        }
    }

    /// A read-only call (`*.get`, `*.list`) that fires no timer: reads the state exactly as it
    /// is, e.g. a state rebuilt at some event for time travel. Mutating methods are refused.
    pub fn read(&self, method: &str, params: &Value) -> Result<Value> {
        let read = api::parse_read(&self.state, method, params)?;
        self.answer(&read).map(Response::into_json)
    }

    /// [`Simulator::read`] answering JSON text, written straight from the typed response.
    pub fn read_text(&self, method: &str, params: &Value) -> Result<String> {
        let read = api::parse_read(&self.state, method, params)?;
        self.answer_text(&read)
    }

    /// [`Simulator::answer`] as JSON text: jobs are written from the state where they are
    /// stored instead of cloned into a [`Response`] first (the wasm `call` path; BENCHMARKS.md,
    /// "Issue 10 — API mix in wasm").
    fn answer_text(&self, read: &Read) -> Result<String> {
        match read {
            Read::GetJob { name } => {
                render::job_ref(&self.state, name).map(to_json_text).ok_or_else(|| self.not_found(name, "JOB"))
            }
            Read::ListJobs(q) => lists::job_refs(&self.state, q).map(|page| to_json_text(&page)),
            _ => self.answer(read).map(|r| r.to_json_text()),
        }
    }

    /// [`Simulator::read`] answering the typed [`Response`], for faces that write it themselves.
    pub fn read_response(&self, method: &str, params: &Value) -> Result<Response> {
        let read = api::parse_read(&self.state, method, params)?;
        self.answer(&read)
    }

    /// Answers a get or list from the state as it is.
    fn answer(&self, read: &Read) -> Result<Response> {
        let state = &self.state;
        match read {
            Read::GetJob { name } => {
                render::job(state, name).map(|j| Response::Job(Box::new(j))).ok_or_else(|| self.not_found(name, "JOB"))
            }
            Read::ListJobs(q) => lists::jobs(state, q).map(|p| Response::Jobs(Box::new(p))),
            Read::GetExecution { name } => state
                .execution(name)
                .map(|e| Response::Execution(Box::new(render::execution(state, e))))
                .ok_or_else(|| self.not_found(name, "EXECUTION")),
            Read::ListExecutions(q) => lists::executions(state, q).map(|p| Response::Executions(Box::new(p))),
            Read::GetTask { name } => render::find_task(state, name)
                .and_then(|(e, i)| render::task(state, e, i))
                .map(|t| Response::Task(Box::new(t)))
                .ok_or_else(|| self.not_found(name, "TASK")),
            Read::ListTasks(q) => lists::tasks(state, q).map(|p| Response::Tasks(Box::new(p))),
        }
    }

    /// Decides a write; records its events, or drops them for a dry run (`dryRun=all`, whose
    /// ids come from their own space); the answer is built from those events.
    fn write(&mut self, write: Write) -> Result<Response> {
        let now = self.state.now;
        let answer = match &write {
            Write::CreateJob { body, .. } => Answer::Job { name: body.metadata.name.clone() },
            Write::ReplaceJob { name, .. } => Answer::Job { name: name.clone() },
            Write::RunJob { name, .. } => Answer::NewExecution { job: name.clone() },
            Write::CancelExecution { name } => Answer::Execution { name: name.clone() },
            // A delete answers with the resource's uid as it was before the write (R29, R30).
            Write::DeleteJob { name, .. } => Answer::Deleted(self.deleted_status("job", name)),
            Write::DeleteExecution { name } => Answer::Deleted(self.deleted_status("execution", name)),
        };
        let dry_run = write.dry_run();
        let command = Command::Write(write);
        if dry_run {
            let dry = Context::dry_run(now, self.state.world.seed, self.state.version);
            let events = decide(&self.state, &command, &dry)?;
            return respond(&self.state, answer, events.iter());
        }
        let appended = execute(&mut self.state, &mut self.log, &command, now)?;
        respond(&self.state, answer, appended.iter().map(|e| &e.event))
    }

    fn not_found(&self, name: &str, kind: &str) -> Error {
        not_found(&self.state, name, kind)
    }

    /// The v1 `Status` a delete answers with (R29, R30): `reason` is a fresh UUID.
    fn deleted_status(&self, kind: &str, name: &str) -> Box<Status> {
        let uid = match kind {
            "job" => self.state.job(name).map(|j| j.job.metadata.uid.clone()),
            _ => self.state.execution(name).map(|e| e.execution.metadata.uid.clone()),
        };
        let status = Status {
            status: "Success".into(),
            reason: random::uuid4(self.state.world.seed, "status-reason", self.state.version),
            details: Some(StatusDetails {
                group: "v1".into(),
                kind: kind.into(),
                name: name.into(),
                uid: uid.unwrap_or_default(),
                ..StatusDetails::default()
            }),
            ..Status::default()
        };
        Box::new(status)
    }

    /// Moves the clock to `to`, firing every timer due on the way; returns events recorded.
    fn move_to(&mut self, to: Micros) -> Result<usize> {
        if to > MAX_TIME {
            return Err(Error::invalid_field(
                "time",
                format!("the clock cannot move past {} (it is at {})", format_timestamp(MAX_TIME), self.now()),
            ));
        }
        let mut recorded = self.fire_due(to)?;
        if self.state.now < to {
            recorded += execute(&mut self.state, &mut self.log, &Command::MoveClock, to)?.len();
        }
        Ok(recorded)
    }

    /// Moves the clock by a duration (`"90s"`, `"1m30s"` or a number of seconds).
    pub fn advance(&mut self, by: &Value) -> Result<usize> {
        if let Some(back) = crate::time::negative_duration_from_json(by) {
            return Err(Error::invalid_field(
                "duration",
                format!(
                    "{by} would move the clock back by {} (it is at {}); time never goes back",
                    crate::time::format_duration_short(back),
                    self.now()
                ),
            ));
        }
        let d = duration_from_json(by).map_err(|e| Error::invalid_field("duration", e))?;
        self.advance_micros(d)
    }

    /// Moves the clock by a number of microseconds.
    pub fn advance_micros(&mut self, by: Micros) -> Result<usize> {
        let to = self.state.now.checked_add(by.max(0)).ok_or_else(|| Error::invalid_field("duration", "too large"))?;
        self.move_to(to)
    }

    /// Moves the clock to an RFC 3339 time (not before now).
    pub fn advance_to(&mut self, time: &str) -> Result<usize> {
        let to = parse_timestamp(time).map_err(|e| Error::invalid_field("time", e))?;
        if to < self.state.now {
            return Err(Error::invalid_field(
                "time",
                format!("{time} is before the simulator's now ({}); time never goes back", self.now()),
            ));
        }
        self.move_to(to)
    }

    /// Fires every timer until none is left; returns events recorded. Time ends at the last event.
    /// Fails, saying why, when work is left that cannot happen before the end of time (D25).
    pub fn run_until_idle(&mut self) -> Result<usize> {
        let recorded = self.fire_due(MAX_TIME)?;
        match self.state.timers.first() {
            None => Ok(recorded),
            // Only a log written elsewhere can hold such a timer: steps never schedule one.
            Some(((due, _), timer)) => Err(end_of_time(format!("{timer:?}"), *due)),
        }
    }

    /// The virtual now, RFC 3339 with 6 digits.
    pub fn now(&self) -> String {
        format_timestamp(self.state.now)
    }

    /// When the next timer fires (RFC 3339), or `None` when the simulator is idle: what
    /// "step to the next event" moves the clock to.
    pub fn next_timer_at(&self) -> Option<String> {
        self.state.timers.first().map(|((due, _), _)| format_timestamp((*due).max(self.state.now)))
    }

    /// The virtual now in microseconds since the epoch.
    pub fn now_micros(&self) -> Micros {
        self.state.now
    }

    /// The log's version (sequence of the last event).
    pub fn version(&self) -> u64 {
        self.log.version()
    }

    /// The stored envelopes with sequence ≥ `from_sequence`.
    pub fn envelopes(&self, from_sequence: u64) -> &[Envelope] {
        self.log.since(from_sequence)
    }

    /// Event envelopes with sequence ≥ `from_sequence`, as `Value`s (for Rust callers and
    /// tests; faces write them as text: [`Simulator::events_text`]).
    pub fn events(&self, from_sequence: u64) -> Vec<Value> {
        self.log.since(from_sequence).iter().map(Envelope::to_json).collect()
    }

    /// Event envelopes with sequence ≥ `from_sequence` as one JSON array text, byte for byte
    /// `Value::Array(self.events(from))`'s text, written straight from the envelopes (wasm `events()`).
    pub fn events_text(&self, from_sequence: u64) -> String {
        let envelopes = self.log.since(from_sequence);
        let mut out = Vec::with_capacity(2 + 256 * envelopes.len());
        out.push(b'[');
        for (i, e) in envelopes.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            e.write_json_text(&mut out);
        }
        out.push(b']');
        // JSON text of Rust strings is UTF-8.
        String::from_utf8(out).unwrap_or_default()
    }

    /// The event log as JSON Lines (one envelope a line), written straight from the envelopes.
    pub fn events_jsonl(&self) -> String {
        let envelopes = self.log.envelopes();
        let mut out = Vec::with_capacity(256 * envelopes.len());
        for e in envelopes {
            e.write_json_text(&mut out);
            out.push(b'\n');
        }
        String::from_utf8(out).unwrap_or_default()
    }

    /// `{version, state}` as a `Value` (for Rust callers and tests): with the events after it,
    /// rebuilds this simulator.
    pub fn snapshot(&self) -> Value {
        serde_json::to_value(Snapshot::of(&self.state)).unwrap_or(Value::Null)
    }

    /// [`Simulator::snapshot`] as compact JSON text, byte for byte its `Value`'s text, written
    /// straight from the state (wasm `snapshot()`).
    pub fn snapshot_text(&self) -> String {
        crate::json_text::to_text(&Snapshot::of(&self.state))
    }

    /// Rebuilds a simulator from a whole event log (JSON envelopes).
    pub fn replay(events: &[Value]) -> Result<Simulator> {
        let envelopes = events.iter().map(Envelope::from_json).collect::<Result<Vec<_>>>()?;
        Simulator::replay_envelopes(envelopes)
    }

    /// Rebuilds a simulator from an event log in JSON Lines (as `jobsim events` writes it),
    /// decoding each line straight into its envelope; errors name the line.
    pub fn replay_jsonl(text: &str) -> Result<Simulator> {
        let mut envelopes = Vec::new();
        for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let value: Value =
                serde_json::from_str(line).map_err(|e| Error::event_log(format!("line {}: not JSON: {e}", i + 1)))?;
            let envelope =
                Envelope::from_json(&value).map_err(|e| Error::event_log(format!("line {}: {}", i + 1, e.message)))?;
            envelopes.push(envelope);
        }
        Simulator::replay_envelopes(envelopes)
    }

    /// Rebuilds a simulator from typed envelopes; the first must be `WorldStarted`.
    pub fn replay_envelopes(envelopes: Vec<Envelope>) -> Result<Simulator> {
        match envelopes.first().map(|e| &e.event) {
            Some(Event::WorldStarted { .. }) => {}
            Some(_) => return Err(Error::event_log("the first event must be WorldStarted")),
            None => return Err(Error::event_log("the event log is empty")),
        }
        if envelopes.iter().skip(1).any(|e| matches!(e.event, Event::WorldStarted { .. })) {
            return Err(Error::event_log("WorldStarted may only be the first event"));
        }
        let mut sim =
            Simulator { state: State::default(), log: EventLog::default(), move_limits: MoveLimits::default() };
        sim.log.extend_checked(envelopes, Micros::MIN)?;
        fold_checked(&mut sim.state, sim.log.envelopes())?;
        Ok(sim)
    }

    /// Rebuilds from a snapshot `{version, state}` plus the events after it.
    pub fn from_snapshot(snapshot: &Value, events: &[Value]) -> Result<Simulator> {
        let version = snapshot
            .get("version")
            .and_then(Value::as_u64)
            .ok_or_else(|| Error::event_log("snapshot.version must be a non-negative integer"))?;
        let state: State =
            snapshot.get("state").ok_or_else(|| Error::event_log("snapshot.state is missing")).and_then(|s| {
                value_decoder::from_value(s.clone()).map_err(|e| Error::event_log(format!("snapshot.state: {e}")))
            })?;
        if state.version != version {
            return Err(Error::event_log(format!(
                "snapshot.version {version} does not match its state (at {})",
                state.version
            )));
        }
        // Numbers in range first (D26), then the engine invariants, before anything is built on it.
        bounds::check_state(&state).map_err(|v| Error::event_log(format!("snapshot.state: {v}")))?;
        crate::invariants::check(&state).map_err(|v| Error::event_log(format!("snapshot.state: {v}")))?;
        let envelopes = events.iter().map(Envelope::from_json).collect::<Result<Vec<_>>>()?;
        if envelopes.iter().any(|e| matches!(e.event, Event::WorldStarted { .. })) {
            return Err(Error::event_log("WorldStarted may only be the first event of a whole log"));
        }
        let now = state.now;
        let mut sim = Simulator { state, log: EventLog::after_snapshot(version), move_limits: MoveLimits::default() };
        sim.log.extend_checked(envelopes, now)?;
        fold_checked(&mut sim.state, sim.log.envelopes())?;
        Ok(sim)
    }

    /// Continues this simulator with events recorded elsewhere: an externally stored log that
    /// another simulator of the same world (a leader, an earlier session) has extended. The
    /// caller says which version it last saw: if this simulator moved on since (its own calls
    /// or clock moves appended events), the batch would interleave with them, so it is refused
    /// with 409 ABORTED carrying both versions (optimistic concurrency; `Error::conflict`).
    /// Otherwise the events are checked as a replay checks them (sequence and time continue,
    /// D26 ranges, engine invariants) and adopted all or none. Returns the number appended.
    pub fn append(&mut self, expected_version: u64, events: &[Value]) -> Result<usize> {
        let actual = self.version();
        if expected_version != actual {
            return Err(Error::conflict(expected_version, actual));
        }
        let envelopes = events.iter().map(Envelope::from_json).collect::<Result<Vec<_>>>()?;
        if envelopes.iter().any(|e| matches!(e.event, Event::WorldStarted { .. })) {
            return Err(Error::event_log("WorldStarted may only be the first event of a whole log"));
        }
        self.log.check_continuation(&envelopes, self.state.now)?;
        // Folded into a copy, so that a batch refused half-way changes nothing.
        let mut state = self.state.clone();
        fold_checked(&mut state, &envelopes)?;
        let appended = envelopes.len();
        self.log.extend_checked(envelopes, self.state.now)?;
        self.state = state;
        Ok(appended)
    }

    /// Why an execution ended as it did (or how it stands, if it has not ended).
    pub fn explain(&self, execution: &str) -> Result<String> {
        let e = self.state.execution(execution).ok_or_else(|| self.not_found(execution, "EXECUTION"))?;
        Ok(explain::execution(&self.state, e, self.log.envelopes()))
    }

    /// One explanation line per execution, oldest first.
    pub fn explain_all(&self) -> Vec<String> {
        explain::all(&self.state, self.log.envelopes()).into_iter().map(|(text, _)| text).collect()
    }
}

/// A snapshot as written: `{"state": …, "version": n}`; the one definition of its form.
#[derive(serde::Serialize)]
struct Snapshot<'a> {
    state: &'a State,
    version: u64,
}

impl<'a> Snapshot<'a> {
    fn of(state: &'a State) -> Self {
        Snapshot { state, version: state.version }
    }
}

/// What a write answers with, known before it is decided.
enum Answer {
    /// The job its `JobCreated` / `JobReplaced` holds.
    Job { name: String },
    /// The execution its `ExecutionCreated` names (`jobs.run`).
    NewExecution { job: String },
    /// That execution as it stands after the write (`executions.cancel`).
    Execution { name: String },
    /// The `Status` of a delete.
    Deleted(Box<Status>),
}

/// The typed answer to a write, from the events it caused and the state after them.
fn respond<'e>(state: &State, answer: Answer, mut events: impl Iterator<Item = &'e Event>) -> Result<Response> {
    match answer {
        // The job as this write decided it: `status: {}` for a create (R9), the previous
        // status for a replace (R13) — also when a token's execution (R15), recorded by the
        // same call, has already updated the stored status.
        Answer::Job { name } => events
            .find_map(|e| match e {
                Event::JobCreated { job } | Event::JobReplaced { job } => Some(Response::Job(job.clone())),
                _ => None,
            })
            .ok_or_else(|| not_found(state, &name, "JOB")),
        Answer::NewExecution { job } => events
            .find_map(|e| match e {
                Event::ExecutionCreated { execution, .. } => state.execution(&execution.metadata.name),
                _ => None,
            })
            .map(|e| Response::Execution(Box::new(render::execution(state, e))))
            .ok_or_else(|| not_found(state, &job, "JOB")),
        Answer::Execution { name } => state
            .execution(&name)
            .map(|e| Response::Execution(Box::new(render::execution(state, e))))
            .ok_or_else(|| not_found(state, &name, "EXECUTION")),
        Answer::Deleted(status) => Ok(Response::Status(status)),
    }
}

fn not_found(state: &State, name: &str, kind: &str) -> Error {
    let p = &state.world.project;
    Error::not_found(name, kind, &p.region, &p.id)
}

/// Runs one command at `now` through decide → log → evolve; returns the envelopes it appended.
/// Free of `Simulator` so that the caller can read the state while holding them.
fn execute<'l>(state: &mut State, log: &'l mut EventLog, command: &Command, now: Micros) -> Result<&'l [Envelope]> {
    let ctx = Context::new(now, state.world.seed, state.version);
    let mut events = decide(state, command, &ctx)?;
    record(state, log, &mut events, now)
}

/// Records decided events at `now` (after the end-of-time check, D25) and folds them in;
/// returns the envelopes appended. Takes the events out of `events` (a buffer the caller reuses).
fn record<'l>(
    state: &mut State,
    log: &'l mut EventLog,
    events: &mut Vec<Event>,
    now: Micros,
) -> Result<&'l [Envelope]> {
    check_end_of_time(state, events, now)?;
    let appended = log.append(state.version, now, state.world.seed, events.drain(..))?;
    for envelope in appended {
        #[cfg(debug_assertions)]
        let before = state.now;
        evolve(state, envelope);
        // Debug builds check the invariants of what the event touched (never in release/wasm).
        #[cfg(debug_assertions)]
        crate::invariants::debug_check_event(before, state, envelope);
    }
    Ok(appended)
}

/// What every end-of-time refusal says (D25), so that `call` can tell it from other errors.
const END_OF_TIME: &str = "after the end of simulated time";

/// The error for a step that would schedule `what` at `due`, past [`MAX_TIME`] (D25).
fn end_of_time(what: String, due: Micros) -> Error {
    Error::new(
        ErrorCode::FailedPrecondition,
        format!(
            "{what} would be due {} {END_OF_TIME} ({}); the step is refused and nothing was recorded",
            match due.saturating_sub(MAX_TIME) {
                late if late < 1_000 => format!("{late}µs"),
                late => crate::time::format_duration_short(late),
            },
            format_timestamp(MAX_TIME)
        ),
    )
}

fn is_end_of_time(e: &Error) -> bool {
    e.code == ErrorCode::FailedPrecondition && e.message.contains(END_OF_TIME)
}

/// Refuses a step whose events would schedule a timer past the latest representable instant
/// (D25): such work could never happen, and a simulator never silently leaves work pending.
fn check_end_of_time(state: &State, events: &[Event], now: Micros) -> Result<()> {
    for event in events {
        if let Some(due) = crate::evolve::scheduled_due(state, event, now).filter(|due| *due > MAX_TIME) {
            return Err(end_of_time(crate::evolve::scheduled_work(event), due));
        }
    }
    Ok(())
}

/// Folds stored events into a state, refusing (INVALID_EVENT_LOG, naming the event) a log whose
/// events break an engine invariant — one that jobsim did not write, e.g. edited by hand — so
/// that it is not replayed into a state the engine never reaches (found by fuzzing, RELIABILITY.md).
///
/// Each event's numbers are checked first ([`bounds::check_event`], D26), so nothing is built
/// from an out-of-range count: a `taskCount` of 2 × 10⁹ is refused, not allocated.
fn fold_checked(state: &mut State, envelopes: &[Envelope]) -> Result<()> {
    for e in envelopes {
        bounds::check_event(e).map_err(Error::event_log)?;
        let before = state.now;
        evolve(state, e);
        crate::invariants::check_event(before, state, e).map_err(Error::event_log)?;
    }
    crate::invariants::check(state).map_err(|v| Error::event_log(format!("after the last event: {v}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn job(name: &str) -> Value {
        json!({"body": {"metadata": {"name": name}, "spec": {"template": {"spec": {"template": {"spec": {
            "containers": [{"image": "us-docker.pkg.dev/demo/x:1"}]}}}}}}})
    }

    /// A typed request answers what the same JSON call answers, and is checked as strictly:
    /// `decide` validates the body (D2), so building a request by hand skips nothing.
    #[test]
    fn typed_request_answers_as_the_json_call_and_is_validated() {
        let options = json!({"seed": 7, "profile": "instant"});
        let (mut by_json, mut typed) = (Simulator::new(&options).unwrap(), Simulator::new(&options).unwrap());
        let params = job("typed");
        let answer = by_json.call_text("jobs.create", &params).unwrap();
        let body: crate::resources::Job = serde_json::from_value(params["body"].clone()).unwrap();
        let request = Request::Write(Write::CreateJob { body: Box::new(body.clone()), dry_run: false });
        assert_eq!(typed.request(request).unwrap().to_json_text(), answer);
        assert_eq!(typed.events_jsonl(), by_json.events_jsonl());

        let mut no_image = body;
        no_image.metadata.name = "no-image".into();
        no_image.spec.template.as_mut().unwrap().spec.template.as_mut().unwrap().spec.containers[0].image.clear();
        let before = typed.events_jsonl();
        let e =
            typed.request(Request::Write(Write::CreateJob { body: Box::new(no_image), dry_run: false })).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidArgument, "{e}");
        assert_eq!(typed.events_jsonl(), before, "a refused typed request records nothing");
    }

    #[test]
    fn read_fires_no_timer_and_refuses_writes() {
        let mut sim = Simulator::new(&json!({"profile": "realistic"})).unwrap();
        sim.call("jobs.create", &job("a")).unwrap();
        // The reconcile started at the create instant; its end is due 1 s later.
        assert_eq!(sim.next_timer_at().as_deref(), Some("2026-01-01T00:00:01.000000Z"));
        let version = sim.version();
        let got = sim.read("jobs.get", &json!({"name": "a"})).unwrap();
        assert_eq!(got["status"]["conditions"][0]["status"], "Unknown");
        assert_eq!(sim.version(), version);
        let err = sim.read("jobs.run", &json!({"name": "a"})).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidArgument);
        // A write is refused by its method alone, before its params are read.
        let err = sim.read("jobs.create", &json!("not params")).unwrap_err();
        assert!(err.message.contains("changes the world"), "{}", err.message);
        let err = sim.read("jobs.nope", &json!({})).unwrap_err();
        assert!(err.message.contains("unknown method"), "{}", err.message);
        assert_eq!(sim.version(), version);
        sim.run_until_idle().unwrap();
        assert_eq!(sim.next_timer_at(), None);
    }

    /// D13 through `decide`: a dry run answers what the write would store, with the same
    /// refusals as the real write (here D20's token-name clash, which only `decide` sees), and
    /// records nothing; the real write that follows gets other ids.
    #[test]
    fn d13_dry_run_is_decide_with_its_events_dropped() {
        let mut sim = Simulator::new(&json!({"seed": 5, "profile": "instant"})).unwrap();
        let named = |name: &str, token: &str, dry: bool| {
            let mut p = job(name);
            p["body"]["spec"]["startExecutionToken"] = json!(token);
            if dry {
                p["query"] = json!({"dryRun": "all"});
            }
            p
        };
        // Job `a`'s token execution is `a-x-y`.
        sim.call("jobs.create", &named("a", "x-y", false)).unwrap();
        assert!(sim.state().execution("a-x-y").is_some());
        let version = sim.version();
        // Job `a-x` with token `y` would name `a-x-y` too (D20): refused, dry or not.
        let dry = sim.call("jobs.create", &named("a-x", "y", true)).unwrap_err();
        let real = sim.call("jobs.create", &named("a-x", "y", false)).unwrap_err();
        assert_eq!(dry.code, ErrorCode::AlreadyExists);
        assert_eq!((dry.code, dry.message), (real.code, real.message));
        let ok = sim.call("jobs.create", &named("b", "t", true)).unwrap();
        assert_eq!(ok["metadata"]["name"], "b");
        assert_eq!(ok["status"], json!({}), "R9: a create answers `status: {{}}`");
        assert_eq!(sim.version(), version, "D13: a dry run records no event");
        assert!(sim.state().job("b").is_none() && sim.state().execution("b-t").is_none());
        let stored = sim.call("jobs.create", &named("b", "t", false)).unwrap();
        assert_ne!(stored["metadata"]["uid"], ok["metadata"]["uid"]);
        assert_eq!(stored["status"], json!({}), "R9/R15: the answer is the job as created, before its token execution");
    }

    /// `jobs.run` answers with the execution its `ExecutionCreated` names (R16), as a get of it
    /// right after the call shows it.
    #[test]
    fn run_answers_with_the_execution_it_created() {
        let mut sim = Simulator::new(&json!({"seed": 2, "profile": "realistic"})).unwrap();
        sim.call("jobs.create", &job("a")).unwrap();
        sim.run_until_idle().unwrap();
        let first = sim.call("jobs.run", &json!({"name": "a"})).unwrap();
        let second = sim.call("jobs.run", &json!({"name": "a"})).unwrap();
        assert_ne!(first["metadata"]["name"], second["metadata"]["name"]);
        let name = second["metadata"]["name"].as_str().unwrap();
        assert_eq!(sim.read("executions.get", &json!({"name": name})).unwrap(), second);
    }

    #[test]
    fn parse_document_reads_yaml_and_names_the_line() {
        let v = crate::scenario::parse_document("a: 1\nb: [x, y]\n").unwrap();
        assert_eq!(v, json!({"a": 1, "b": ["x", "y"]}));
        let e = crate::scenario::parse_document("a: 1\n  b: : :\n").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidScenario);
        assert!(e.message.contains("line 2"), "{}", e.message);
    }

    #[test]
    fn replay_jsonl_rebuilds_the_live_state_and_names_bad_lines() {
        let mut sim = Simulator::new(&json!({"seed": 3, "profile": "instant"})).unwrap();
        sim.call("jobs.create", &job("a")).unwrap();
        sim.call("jobs.run", &json!({"name": "a"})).unwrap();
        sim.run_until_idle().unwrap();
        let replayed = Simulator::replay_jsonl(&sim.events_jsonl()).unwrap();
        assert_eq!(replayed.snapshot(), sim.snapshot());
        let mut lines: Vec<String> = sim.events_jsonl().lines().map(str::to_string).collect();
        lines[2] = "{not json".into();
        let e = Simulator::replay_jsonl(&lines.join("\n")).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidEventLog);
        assert!(e.message.starts_with("line 3:"), "{}", e.message);
    }
}
