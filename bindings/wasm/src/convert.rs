//! Crossing the boundary: JS values → `serde_json::Value` or JSON text, the core's JSON text
//! (written straight from typed values) → JS values, and core errors → JS `Error`s.
//!
//! Values cross as JSON text: `JSON.stringify` on the way in, `JSON.parse` on the way out. Every
//! JS-side failure (a BigInt, a cycle, a throwing getter, a too-deep object) and every bad JSON
//! becomes a JS error with the caller's code (see [`js_error`]), so no input reaches a panic.

pub use jobsim_core::Error as CoreError;
use jobsim_core::ErrorCode;
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};

/// Longest string or JSON text (in UTF-16 units) accepted from JS, checked before it is copied
/// into wasm memory, so a huge input is an error rather than an out-of-memory abort. It is above
/// the core's 8 MiB scenario limit because event logs and snapshots are legitimately larger.
const MAX_INPUT_UNITS: u32 = 64 * 1024 * 1024;

/// A JS value as JSON. `undefined` is `null`; anything `JSON.stringify` refuses or drops
/// (BigInt, cycles, functions, symbols) and anything too large or too deep is an error with `code`.
pub fn json_from_js(value: &JsValue, code: ErrorCode, what: &str) -> Result<Value, JsValue> {
    if value.is_undefined() {
        return Ok(Value::Null);
    }
    let text = json_text_from_js(value, code, what)?;
    serde_json::from_str(&text).map_err(|e| js_error(CoreError::new(code, format!("`{what}`: {e}"))))
}

/// A JS value as JSON text (`JSON.stringify`; `undefined` is `null`), with [`json_from_js`]'s errors: for inputs the
/// core reads as text anyway (a scenario object), so no `Value` is built on the way.
pub fn json_text_from_js(value: &JsValue, code: ErrorCode, what: &str) -> Result<String, JsValue> {
    if value.is_undefined() {
        return Ok("null".into());
    }
    let fail = |message: String| js_error(CoreError::new(code, message));
    let text = js_sys::JSON::stringify(value)
        .map_err(|e| fail(format!("`{what}` is not JSON-compatible: {}", describe(&e))))?;
    checked_string(&text, code, what)?
        .ok_or_else(|| fail(format!("`{what}` is not JSON-compatible (a function or symbol)")))
}

/// JSON text made by `JSON.stringify` in JS (the text path of `call`, see `call.js`); when it is
/// not a string (stringify threw or dropped the value), `value` itself goes through
/// [`json_from_js`], which gives the same errors as before.
pub fn json_from_text(text: &JsValue, value: &JsValue, code: ErrorCode, what: &str) -> Result<Value, JsValue> {
    match checked_string(text, code, what)? {
        Some(text) => serde_json::from_str(&text).map_err(|e| js_error(CoreError::new(code, format!("`{what}`: {e}")))),
        None => json_from_js(value, code, what),
    }
}

/// A JS string as a Rust `String` (`None` if it is not a string), refusing oversized ones.
pub fn checked_string(value: &JsValue, code: ErrorCode, what: &str) -> Result<Option<String>, JsValue> {
    match value.dyn_ref::<js_sys::JsString>() {
        Some(s) if s.length() > MAX_INPUT_UNITS => Err(js_error(CoreError::new(
            code,
            format!("`{what}` is too large ({} characters, at most {MAX_INPUT_UNITS})", s.length()),
        ))),
        Some(s) => Ok(Some(String::from(s))),
        None => Ok(None),
    }
}

/// A JSON value as a plain JS value (objects, arrays, strings, numbers, booleans, null).
pub fn json_to_js(value: &Value) -> Result<JsValue, JsValue> {
    text_to_js(&value.to_string())
}

/// JSON text written by the core (straight from typed values) as a plain JS value.
pub fn text_to_js(text: &str) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(text)
}

/// The JS `Error` for a core error: `name` "JobsimError", `message` "CODE: text", and the
/// properties `code`, `httpStatus`, `details` (the Google error body), for a version conflict
/// `expectedVersion` / `actualVersion`, and where the core located a scenario error, `field`,
/// `step`, `line` and `column` (data from the core's error, never read back from the message).
pub fn js_error(error: CoreError) -> JsValue {
    let js = js_sys::Error::new(&format!("{}: {}", error.code.as_str(), error.message));
    js.set_name("JobsimError");
    let target: &JsValue = js.as_ref();
    let set = |key: &str, value: JsValue| {
        // Setting a data property on a fresh Error cannot fail; a failure would only lose it.
        let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), &value);
    };
    set("code", JsValue::from_str(error.code.as_str()));
    set("httpStatus", JsValue::from(error.http_status()));
    set("details", text_to_js(&error.body_text()).unwrap_or(JsValue::NULL));
    if let Some((expected, actual)) = error.conflict {
        set("expectedVersion", JsValue::from(expected as f64));
        set("actualVersion", JsValue::from(actual as f64));
    }
    if let Some(at) = &error.location {
        if let Some(field) = &at.field {
            set("field", JsValue::from_str(field));
        }
        for (key, n) in [("step", at.step), ("line", at.line), ("column", at.column)] {
            if let Some(n) = n {
                set(key, JsValue::from(n as f64));
            }
        }
    }
    js.into()
}

/// The message of a JS exception, for wrapping it in a [`CoreError`].
fn describe(exception: &JsValue) -> String {
    match exception.dyn_ref::<js_sys::Error>() {
        Some(e) => String::from(e.message()),
        None => exception.as_string().unwrap_or_else(|| "unknown JavaScript exception".into()),
    }
}
