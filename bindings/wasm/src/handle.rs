//! `sim.handle(method, url, bodyText?)`: the HTTP face of the simulator in-process — the same
//! route table `jobsim serve` answers with (`jobsim_core::http`), so a client library with a
//! pluggable fetch (or a test) gets the server's bytes without a socket. Manual clock: time
//! moves by the control routes (`POST /jobsim/v1/clock:advance`, …) or the clock methods.

use crate::convert::{checked_string, js_error, CoreError};
use crate::{JsResult, Simulator};
use jobsim_core::ErrorCode;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_HTTP: &str = r#"
/** An HTTP answer of {@link Simulator.handle}: what `jobsim serve` would send. */
export interface HttpAnswer {
  /** The HTTP status: 200, or the error's (400, 404, 405, 409, 413, 429). */
  status: number;
  /** `application/json; charset=UTF-8`, or `application/jsonl; charset=UTF-8` for `GET /jobsim/v1/events`. */
  contentType: string;
  /** The body text: the v1 resource, list or `Status`, or the Google error body `{"error": {code, message, status, details?}}`. */
  body: string;
}
"#;

#[wasm_bindgen]
impl Simulator {
    /// Answers one HTTP request as `jobsim serve --clock manual` does: `method` (`GET`, `POST`,
    /// …), `url` the request target (`/apis/run.googleapis.com/v1/namespaces/{ns}/jobs?limit=5`,
    /// `/jobsim/v1/clock`, …), `bodyText` the request body, if any. API and route errors are
    /// answers (status and Google error body), never throws; only arguments that are not
    /// strings throw `INVALID_ARGUMENT`.
    #[allow(non_snake_case)] // parameter names are the JS names in the generated `.d.ts`
    #[wasm_bindgen(unchecked_return_type = "HttpAnswer")]
    pub fn handle(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] method: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] url: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] bodyText: JsValue,
    ) -> JsResult<JsValue> {
        let method = string(&method, "method")?;
        let url = string(&url, "url")?;
        let body =
            if bodyText.is_undefined() || bodyText.is_null() { None } else { Some(string(&bodyText, "bodyText")?) };
        let answer = jobsim_core::http::handle(&mut self.inner, &method, &url, body.as_deref());
        let out = js_sys::Object::new();
        js_sys::Reflect::set(&out, &"status".into(), &answer.status.into())?;
        js_sys::Reflect::set(&out, &"contentType".into(), &answer.content_type.into())?;
        js_sys::Reflect::set(&out, &"body".into(), &answer.body.into())?;
        Ok(out.into())
    }
}

fn string(value: &JsValue, name: &str) -> JsResult<String> {
    checked_string(value, ErrorCode::InvalidArgument, name)?
        .ok_or_else(|| js_error(CoreError::new(ErrorCode::InvalidArgument, format!("`{name}` must be a string"))))
}
