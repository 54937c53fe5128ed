//! `Simulator.sweep(scenario, options)` and `Simulator.sweepMerge(records, format)`: the what-if
//! sweeps of `jobsim sweep` (issue #12) in the npm package, through the same core functions, so
//! the same inputs give the CLI's numbers (and, with `format: "json"`, its bytes).
//!
//! Single-threaded (wasm has no threads here): a page runs it in a Web Worker, one shard at a
//! time for progress, and merges the shards' records — the same bytes as one unsplit call.

use crate::convert::{checked_string, js_error, json_from_js, json_text_from_js, text_to_js, CoreError};
use crate::{JsResult, Simulator};
use jobsim_core::scenario::Scenario;
use jobsim_core::sweep::{records_from_jsonl, records_jsonl, summarize, Record, Request};
use jobsim_core::ErrorCode;
use serde_json::Value;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_SWEEP: &str = r#"
/** Options of {@link Simulator.sweep}: the flags of `jobsim sweep` as an object. */
export interface SweepOptions {
  /** Runs per configuration, seeds `seed`, `seed + 1`, … */
  runs: number;
  /** Seed of run 0 (default: the scenario's); a decimal string for values above 2^53 − 1. */
  seed?: number | string;
  /** Grid axes, `"[JOB.]KNOB=V1,V2,…"`; knobs: taskCount, parallelism, maxRetries, timeoutSeconds, failureRate, duration, jitter. */
  vary?: string[];
  /** Run only shard `"I/N"` (work items k with k % N == I). */
  shard?: string;
  /** `"object"` (default): the summary as an object; `"json"`: the exact text of `jobsim sweep --format json`; `"jsonl"`: one record per run and execution (for {@link Simulator.sweepMerge}). */
  format?: "object" | "json" | "jsonl";
}

/** One job under one configuration of a sweep. Durations in seconds, cost in USD. */
export interface SweepConfiguration {
  vary: Record<string, number | string>;
  job: string;
  executions: number;
  succeeded: number;
  successRate: number;
  /** 95 % Wilson score interval of `successRate`. */
  successInterval: [number, number];
  /** Creation → completion; absent when no execution ended. */
  duration?: { p50: number; p90: number; p99: number; max: number };
  attempts: { mean: number; max: number };
  retries: { mean: number; max: number };
  cost: { p50: number; p99: number; mean: number };
}

/** The summary of a sweep: what `jobsim sweep --format json` prints. */
export interface SweepSummary {
  runs: number;
  configurations: SweepConfiguration[];
}
"#;

/// The output a format asks for: the summary (object or JSON text) or the records' JSON Lines.
fn output(records: Vec<Record>, format: &str) -> JsResult<JsValue> {
    match format {
        "jsonl" => Ok(JsValue::from_str(&records_jsonl(records))),
        "json" => Ok(JsValue::from_str(&summarize(records).to_json())),
        // Sorted keys, as the object has always had them (it used to cross as a `Value`).
        _ => text_to_js(&jobsim_core::json_text::to_text(&summarize(records))),
    }
}

fn format_of(format: Option<&Value>) -> JsResult<String> {
    match format {
        None | Some(Value::Null) => Ok("object".into()),
        Some(Value::String(f)) if ["object", "json", "jsonl"].contains(&f.as_str()) => Ok(f.clone()),
        Some(v) => Err(js_error(CoreError::new(
            ErrorCode::InvalidScenario,
            format!("sweep options: format must be \"object\", \"json\" or \"jsonl\", got {v}"),
        ))),
    }
}

#[wasm_bindgen]
impl Simulator {
    /// Runs a what-if sweep of a scenario (an object, or its JSON or YAML text): `runs` runs per
    /// configuration of the `vary` grid; returns the summary (or, by `format`, the CLI's JSON
    /// text or the records' JSON Lines). Throws `INVALID_SCENARIO` for a scenario or options
    /// that cannot be used.
    #[wasm_bindgen(unchecked_return_type = "SweepSummary | string")]
    pub fn sweep(
        #[wasm_bindgen(unchecked_param_type = "Scenario | string")] scenario: JsValue,
        #[wasm_bindgen(unchecked_param_type = "SweepOptions")] options: JsValue,
    ) -> JsResult<JsValue> {
        let text = match checked_string(&scenario, ErrorCode::InvalidScenario, "scenario")? {
            Some(text) => text,
            None => json_text_from_js(&scenario, ErrorCode::InvalidScenario, "scenario")?,
        };
        let scenario = Scenario::parse(&text).map_err(js_error)?;
        let options = json_from_js(&options, ErrorCode::InvalidScenario, "options")?;
        let format = format_of(options.get("format"))?;
        let request = Request::from_options(&scenario, &options).map_err(js_error)?;
        output(request.records(), &format)
    }

    /// Merges the `format: "jsonl"` outputs of sweep shards (one string each) into the summary
    /// of the unsplit sweep (the same bytes with `"json"`). Throws `INVALID_SCENARIO` for a line
    /// that is not a record.
    #[wasm_bindgen(js_name = sweepMerge, unchecked_return_type = "SweepSummary | string")]
    pub fn sweep_merge(
        #[wasm_bindgen(unchecked_param_type = "string[]")] shards: JsValue,
        #[wasm_bindgen(unchecked_param_type = "\"object\" | \"json\" | \"jsonl\" | undefined")] format: JsValue,
    ) -> JsResult<JsValue> {
        let shards = json_from_js(&shards, ErrorCode::InvalidScenario, "shards")?;
        let list = shards.as_array().ok_or_else(|| {
            js_error(CoreError::new(ErrorCode::InvalidScenario, "`shards` must be an array of JSON Lines strings"))
        })?;
        let mut records = Vec::new();
        for (i, s) in list.iter().enumerate() {
            let text = s.as_str().ok_or_else(|| {
                js_error(CoreError::new(ErrorCode::InvalidScenario, format!("shards[{i}] must be a string")))
            })?;
            records.extend(records_from_jsonl(text).map_err(|e| {
                js_error(CoreError::new(ErrorCode::InvalidScenario, format!("shards[{i}]: {}", e.message)))
            })?);
        }
        let format = format_of(format.as_string().map(Value::String).as_ref())?;
        output(records, &format)
    }
}
