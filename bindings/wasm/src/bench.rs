//! Boundary-cost probes, compiled only with `--features bench` (bench/boundary.mjs).
//!
//! Each probe crosses the same `serde_json::Value` either as JSON text (what the package uses)
//! or through serde-wasm-bindgen (the alternative), so the two can be timed side by side.

use crate::convert::{js_error, json_from_js, json_to_js};
use crate::{JsResult, Simulator};
use jobsim_core::ErrorCode;
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

fn swb_from_js(value: &JsValue) -> JsResult<Value> {
    if value.is_undefined() {
        return Ok(Value::Null);
    }
    serde_wasm_bindgen::from_value(value.clone()).map_err(JsValue::from)
}

fn swb_to_js(value: &Value) -> JsResult<JsValue> {
    // Plain objects (not `Map`s), like JSON.parse would give.
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(JsValue::from)
}

fn json_in(value: &JsValue) -> JsResult<Value> {
    json_from_js(value, ErrorCode::InvalidArgument, "value")
}

/// JS → Rust only, JSON text; returns the number of top-level keys (so the work is not elided).
#[wasm_bindgen(js_name = benchJsonIn)]
pub fn bench_json_in(value: JsValue) -> JsResult<usize> {
    Ok(json_in(&value)?.as_object().map_or(0, |o| o.len()))
}

/// JS → Rust only, serde-wasm-bindgen.
#[wasm_bindgen(js_name = benchSwbIn)]
pub fn bench_swb_in(value: JsValue) -> JsResult<usize> {
    Ok(swb_from_js(&value)?.as_object().map_or(0, |o| o.len()))
}

/// JS → Rust → JS, JSON text both ways.
#[wasm_bindgen(js_name = benchJsonRoundTrip)]
pub fn bench_json_round_trip(value: JsValue) -> JsResult<JsValue> {
    json_to_js(&json_in(&value)?)
}

/// JS → Rust → JS, serde-wasm-bindgen both ways.
#[wasm_bindgen(js_name = benchSwbRoundTrip)]
pub fn bench_swb_round_trip(value: JsValue) -> JsResult<JsValue> {
    swb_to_js(&swb_from_js(&value)?)
}

#[wasm_bindgen]
impl Simulator {
    /// `call` as it was before the text path (issue 10 item 3): the params stringified and the
    /// answer parsed from inside wasm, through `js_sys::JSON`, one JS value each way.
    #[wasm_bindgen(js_name = callValue, skip_typescript)]
    pub fn call_value(&mut self, method: String, params: JsValue) -> JsResult<JsValue> {
        let params = json_in(&params)?;
        let response = self.inner.call(&method, &params).map_err(js_error)?;
        json_to_js(&response)
    }

    /// `call` with serde-wasm-bindgen instead of JSON text at the boundary.
    #[wasm_bindgen(js_name = callSwb, skip_typescript)]
    pub fn call_swb(&mut self, method: String, params: JsValue) -> JsResult<JsValue> {
        let params = swb_from_js(&params)?;
        let response = self.inner.call(&method, &params).map_err(js_error)?;
        swb_to_js(&response)
    }
}
