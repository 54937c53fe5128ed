//! `jobsim-wasm`: the JavaScript face of jobsim (Node and browsers).
//!
//! A thin newtype over [`jobsim_core::Simulator`]: every method converts its arguments from JS,
//! calls the core once and converts the answer back. No behaviour lives here.
//!
//! * Data crosses as JSON-compatible values: JS value → `JSON.stringify` → `serde_json::Value`
//!   and back through `JSON.parse` (chosen over serde-wasm-bindgen by measurement; see
//!   `BENCHMARKS.md`, "WASM boundary cost"). `call` and `read`, the hot path, are JS (`call.js`,
//!   appended to the glue by `scripts/build-wasm.sh`): they stringify in JS and cross once each
//!   way as JSON text through `callJson` / `readJson`.
//! * Every failure is a real JS `Error` (see [`convert::js_error`]) with `code`, `httpStatus` and
//!   `details`; nothing an argument from JS can contain reaches a panic.
//! * The TypeScript types live in [`types`] as `typescript_custom_section`s beside the code, and
//!   the signatures below name them with `unchecked_param_type` / `unchecked_return_type`.

mod convert;
mod handle;
mod sweep;
mod types;

#[cfg(feature = "bench")]
mod bench;

use convert::{
    checked_string, js_error, json_from_js, json_from_text, json_text_from_js, json_to_js, text_to_js, CoreError,
};
use jobsim_core::ErrorCode;
use wasm_bindgen::prelude::*;

/// Result of every exported function: the error is always a JS `Error` built by [`js_error`].
pub(crate) type JsResult<T> = Result<T, JsValue>;

/// One simulated Cloud Run project: jobs, executions, tasks, a virtual clock and an event log.
///
/// Call `free()` (or rely on `--weak-refs` finalization) when done; a freed instance throws.
#[wasm_bindgen]
pub struct Simulator {
    inner: jobsim_core::Simulator,
    /// The timeline projection of `inner`'s log, folded on demand (only the new events each time).
    timeline: jobsim_core::timeline::Timeline,
}

#[wasm_bindgen]
impl Simulator {
    /// A new simulator. `options` are a scenario's top-level keys (`seed`, `start`, `profile`,
    /// `project`, `settings`, `workloads`, `faults`); omitted or `{}` gives the defaults.
    /// Throws `INVALID_SCENARIO` for options that cannot be used.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "SimulatorOptions")] options: JsValue,
    ) -> JsResult<Simulator> {
        let options = json_from_js(&options, ErrorCode::InvalidScenario, "options")?;
        wrap(jobsim_core::Simulator::new(&options))
    }

    // `call` (JS, `call.js`) is typed per method in `types.rs` (`interface Simulator`); this
    // entry is internal, hence `skip_typescript`.
    /// The text path of `call`, one API call by method id: `paramsJson` is `JSON.stringify` of the
    /// params, the answer is the response body as JSON text; throws the API error. `params` (the
    /// value itself) is read only when `paramsJson` is not a string, i.e. when `JSON.stringify`
    /// threw or dropped the value, so the errors are those of the value path.
    #[allow(non_snake_case)] // parameter names are the JS names
    #[wasm_bindgen(js_name = callJson, skip_typescript)]
    pub fn call_json(&mut self, method: JsValue, paramsJson: JsValue, params: JsValue) -> JsResult<String> {
        let method = string_arg(&method, "method", "a method id such as \"jobs.create\"")?;
        let params = json_from_text(&paramsJson, &params, ErrorCode::InvalidArgument, "params")?;
        self.inner.call_text(&method, &params).map_err(js_error)
    }

    // `read` (JS, `call.js`) is typed per method in `types.rs` (`interface Simulator`); this
    // entry is internal, hence `skip_typescript`.
    /// The text path of `read` (see `callJson`): a get or list call that fires no timer, so it
    /// reads the state exactly as it is (e.g. a state rebuilt at a past event); mutating
    /// methods throw `INVALID_ARGUMENT`.
    #[allow(non_snake_case)] // parameter names are the JS names
    #[wasm_bindgen(js_name = readJson, skip_typescript)]
    pub fn read_json(&self, method: JsValue, paramsJson: JsValue, params: JsValue) -> JsResult<String> {
        let method = string_arg(&method, "method", "a method id such as \"jobs.get\"")?;
        let params = json_from_text(&paramsJson, &params, ErrorCode::InvalidArgument, "params")?;
        self.inner.read_text(&method, &params).map_err(js_error)
    }

    /// When the next timer fires (RFC 3339), or `undefined` when the simulator is idle.
    #[wasm_bindgen(js_name = nextTimerAt, unchecked_return_type = "Timestamp | undefined")]
    pub fn next_timer_at(&self) -> Option<String> {
        self.inner.next_timer_at()
    }

    /// Moves the virtual clock by a duration (`"90s"`, `"1m30s"` or a number of seconds) and
    /// fires the timers that fall due; returns the number of events recorded.
    pub fn advance(&mut self, #[wasm_bindgen(unchecked_param_type = "Duration")] duration: JsValue) -> JsResult<usize> {
        let by = json_from_js(&duration, ErrorCode::InvalidArgument, "duration")?;
        self.inner.advance(&by).map_err(js_error)
    }

    /// Moves the virtual clock to an RFC 3339 time; returns the number of events recorded.
    #[wasm_bindgen(js_name = advanceTo)]
    pub fn advance_to(&mut self, #[wasm_bindgen(unchecked_param_type = "Timestamp")] time: JsValue) -> JsResult<usize> {
        let time = string_arg(&time, "time", "an RFC 3339 timestamp")?;
        self.inner.advance_to(&time).map_err(js_error)
    }

    /// Fires every pending timer until none is left; returns the number of events recorded.
    #[wasm_bindgen(js_name = runUntilIdle)]
    pub fn run_until_idle(&mut self) -> JsResult<usize> {
        self.inner.run_until_idle().map_err(js_error)
    }

    /// The virtual now, RFC 3339 with 6 fractional digits.
    #[wasm_bindgen(unchecked_return_type = "Timestamp")]
    pub fn now(&self) -> String {
        self.inner.now()
    }

    /// The event envelopes with `sequence >= fromSequence` (default: all).
    #[allow(non_snake_case)] // parameter names are the JS names in the generated `.d.ts`
    #[wasm_bindgen(unchecked_return_type = "EventEnvelope[]")]
    pub fn events(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] fromSequence: JsValue,
    ) -> JsResult<JsValue> {
        let from = sequence_arg(&fromSequence, "fromSequence")?;
        text_to_js(&self.inner.events_text(from))
    }

    /// The whole state as `{version, state}`; feed it to `Simulator.fromSnapshot`.
    #[wasm_bindgen(unchecked_return_type = "Snapshot")]
    pub fn snapshot(&self) -> JsResult<JsValue> {
        text_to_js(&self.inner.snapshot_text())
    }

    /// Rebuilds a simulator from a whole event log (as returned by `events()`).
    /// Throws `INVALID_EVENT_LOG` for a log that cannot be replayed.
    pub fn replay(#[wasm_bindgen(unchecked_param_type = "EventEnvelope[]")] events: JsValue) -> JsResult<Simulator> {
        let events = event_list(&events, true)?;
        wrap(jobsim_core::Simulator::replay(&events))
    }

    /// Rebuilds a simulator from a snapshot plus the events recorded after it.
    /// Throws `INVALID_EVENT_LOG` for a snapshot or log that does not fit.
    #[wasm_bindgen(js_name = fromSnapshot)]
    pub fn from_snapshot(
        #[wasm_bindgen(unchecked_param_type = "Snapshot")] snapshot: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "EventEnvelope[]")] events: JsValue,
    ) -> JsResult<Simulator> {
        let snapshot = json_from_js(&snapshot, ErrorCode::InvalidEventLog, "snapshot")?;
        let events = event_list(&events, false)?;
        wrap(jobsim_core::Simulator::from_snapshot(&snapshot, &events))
    }

    /// The event log's version: the sequence of its last event.
    #[wasm_bindgen(js_name = logVersion)]
    pub fn log_version(&self) -> f64 {
        // At most 2^53 - 1 (D26), so exact as a JS number.
        self.inner.version() as f64
    }

    /// Continues this simulator with events recorded elsewhere (an externally stored log that
    /// another simulator of the same world extended), if it is still at `expectedVersion`;
    /// returns the number of events appended. Throws `ABORTED` (409, with `expectedVersion` and
    /// `actualVersion`) when it moved on since, `INVALID_EVENT_LOG` for events that do not
    /// continue it; either way nothing changes.
    #[allow(non_snake_case)] // parameter names are the JS names in the generated `.d.ts`
    pub fn append(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] expectedVersion: JsValue,
        #[wasm_bindgen(unchecked_param_type = "EventEnvelope[]")] events: JsValue,
    ) -> JsResult<usize> {
        let expected = version_arg(&expectedVersion)?;
        let events = event_list(&events, true)?;
        self.inner.append(expected, &events).map_err(js_error)
    }

    /// Why an execution ended as it did, as text. Throws `NOT_FOUND` for an unknown execution.
    #[allow(non_snake_case)] // parameter names are the JS names in the generated `.d.ts`
    pub fn explain(&self, #[wasm_bindgen(unchecked_param_type = "string")] executionName: JsValue) -> JsResult<String> {
        let name = string_arg(&executionName, "executionName", "an execution name")?;
        self.inner.explain(&name).map_err(js_error)
    }

    /// Runs one scenario step (`{call, name?, latestOf?, namespace?, body?, query?}`, `{advance}`,
    /// `{advanceTo}` or `{runUntilIdle: true}`) as `jobsim run` does, and returns its outcome line.
    /// A step that cannot be read throws `INVALID_SCENARIO` with `field` and `step`; a step the
    /// simulator refuses throws its API error, with the outcome line in `outcome`.
    #[wasm_bindgen(js_name = runStep, unchecked_return_type = "ScenarioOutcome")]
    pub fn run_step(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "ScenarioStep")] step: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] index: JsValue,
    ) -> JsResult<JsValue> {
        let index = sequence_arg(&index, "index")? as usize;
        let value = json_from_js(&step, ErrorCode::InvalidScenario, "step")?;
        let step = jobsim_core::scenario::Step::from_value(index, &value).map_err(js_error)?;
        let outcome = jobsim_core::step::run_step(&mut self.inner, index, &step);
        let line = text_to_js(&outcome.to_json_text())?;
        match outcome.error() {
            Some(e) => {
                let js = js_error(e.clone());
                // Setting a data property on a fresh Error cannot fail; a failure would only lose it.
                let _ = js_sys::Reflect::set(&js, &JsValue::from_str("outcome"), &line);
                Err(js)
            }
            None => Ok(line),
        }
    }

    /// The timeline projection (executions and their attempts per task, from the event log):
    /// the executions changed after `sinceSequence` (default 0: all), with their index in
    /// creation order. Only the events appended since the previous call are folded.
    #[allow(non_snake_case)] // parameter names are the JS names in the generated `.d.ts`
    #[wasm_bindgen(unchecked_return_type = "TimelineUpdate")]
    pub fn timeline(
        &mut self,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] sinceSequence: JsValue,
    ) -> JsResult<JsValue> {
        let since = sequence_arg(&sinceSequence, "sinceSequence")?;
        self.timeline.fold(self.inner.envelopes(1));
        text_to_js(&jobsim_core::json_text::to_text(&self.timeline.changed_since(since)))
    }

    /// The top-level keys of a scenario besides `steps` (the simulator's options), in the order
    /// they are written. A static, so a face holding the class has the core's list.
    #[wasm_bindgen(js_name = optionKeys, unchecked_return_type = "Array<keyof SimulatorOptions>")]
    pub fn option_keys() -> JsResult<JsValue> {
        text_to_js(&jobsim_core::json_text::to_text(jobsim_core::step::OPTION_KEYS))
    }

    /// The parameters each API method reads, by method id (a call step carries them besides `call`).
    #[wasm_bindgen(js_name = callParams, unchecked_return_type = "Record<Method, CallParam[]>")]
    pub fn call_params() -> JsResult<JsValue> {
        text_to_js(&jobsim_core::json_text::to_text(&jobsim_core::step::call_params()))
    }

    /// Whether a step may change the state: clock moves and writes do; gets, lists and dry runs
    /// do not. Throws `INVALID_SCENARIO` (with `field`) for a step that cannot be read.
    #[wasm_bindgen(js_name = isMutation)]
    pub fn is_mutation(#[wasm_bindgen(unchecked_param_type = "ScenarioStep")] step: JsValue) -> JsResult<bool> {
        let value = json_from_js(&step, ErrorCode::InvalidScenario, "step")?;
        let step = jobsim_core::scenario::Step::from_value(0, &value).map_err(js_error)?;
        Ok(step.is_mutation())
    }

    /// Runs a whole scenario (an object, or its JSON or YAML text) and returns exactly the JSON
    /// Lines that `jobsim run --format json` prints for it. Throws `INVALID_SCENARIO`.
    #[wasm_bindgen(js_name = runScenario)]
    pub fn run_scenario(
        #[wasm_bindgen(unchecked_param_type = "Scenario | string")] scenario: JsValue,
    ) -> JsResult<String> {
        let text = match checked_string(&scenario, ErrorCode::InvalidScenario, "scenario")? {
            Some(text) => text,
            None => json_text_from_js(&scenario, ErrorCode::InvalidScenario, "scenario")?,
        };
        jobsim_core::run_scenario(&text).map_err(js_error)
    }
}

/// Parses JSON or YAML text (a scenario, a Job as `gcloud run jobs describe --format export`
/// prints it) into plain JS values with the core's own parser. Throws `INVALID_SCENARIO`, with
/// numeric `line` and `column` when the parser knows the place (data from the core's error).
#[wasm_bindgen(js_name = parseDocument, unchecked_return_type = "unknown")]
pub fn parse_document(#[wasm_bindgen(unchecked_param_type = "string")] text: JsValue) -> JsResult<JsValue> {
    let text = checked_string(&text, ErrorCode::InvalidScenario, "text")?.ok_or_else(|| {
        js_error(CoreError::new(ErrorCode::InvalidScenario, "`text` must be JSON or YAML text (a string)"))
    })?;
    let value = jobsim_core::scenario::parse_document(&text).map_err(js_error)?;
    json_to_js(&value)
}

/// The version of jobsim (same as `jobsim --version`).
#[wasm_bindgen]
pub fn version() -> String {
    jobsim_core::VERSION.to_string()
}

/// The size of this module's WebAssembly memory in bytes. It grows and never shrinks, so a
/// steady value over many `new Simulator()` / `free()` cycles shows nothing leaks; for diagnostics.
#[wasm_bindgen(js_name = memoryBytes)]
pub fn memory_bytes() -> f64 {
    memory_pages() as f64 * 65_536.0
}

#[cfg(target_arch = "wasm32")]
fn memory_pages() -> usize {
    core::arch::wasm32::memory_size(0)
}

#[cfg(not(target_arch = "wasm32"))]
fn memory_pages() -> usize {
    0
}

fn wrap(result: Result<jobsim_core::Simulator, CoreError>) -> JsResult<Simulator> {
    result.map(|inner| Simulator { inner, timeline: Default::default() }).map_err(js_error)
}

/// A string argument, or `INVALID_ARGUMENT` naming it.
fn string_arg(value: &JsValue, name: &str, what: &str) -> JsResult<String> {
    checked_string(value, ErrorCode::InvalidArgument, name)?.ok_or_else(|| {
        js_error(CoreError::new(ErrorCode::InvalidArgument, format!("`{name}` must be {what} (a string)")))
    })
}

/// A sequence or index argument named `name`: absent → 0, else a non-negative safe integer.
fn sequence_arg(value: &JsValue, name: &str) -> JsResult<u64> {
    if value.is_undefined() || value.is_null() {
        return Ok(0);
    }
    const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && (0.0..=MAX_SAFE_INTEGER).contains(&n) => Ok(n as u64),
        _ => Err(js_error(CoreError::new(
            ErrorCode::InvalidArgument,
            format!("`{name}` must be a non-negative integer"),
        ))),
    }
}

/// `expectedVersion`: a non-negative safe integer, else `INVALID_ARGUMENT`.
fn version_arg(value: &JsValue) -> JsResult<u64> {
    const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && (0.0..=MAX_SAFE_INTEGER).contains(&n) => Ok(n as u64),
        _ => Err(js_error(CoreError::new(
            ErrorCode::InvalidArgument,
            "`expectedVersion` must be a non-negative integer",
        ))),
    }
}

/// An event list: a JSON array, or absent (→ empty) where `required` is false; anything else is
/// `INVALID_EVENT_LOG`.
fn event_list(value: &JsValue, required: bool) -> JsResult<Vec<serde_json::Value>> {
    match json_from_js(value, ErrorCode::InvalidEventLog, "events")? {
        serde_json::Value::Null if !required => Ok(Vec::new()),
        serde_json::Value::Array(events) => Ok(events),
        _ => Err(js_error(CoreError::event_log("`events` must be an array of event envelopes"))),
    }
}
