
// `Simulator.call` and `Simulator.read` (issue 10 item 3), appended to the wasm-bindgen glue by
// scripts/build-wasm.sh: the params are stringified here and the answer parsed here, so a call
// crosses the JS ↔ wasm boundary once each way, as JSON text (`callJson` / `readJson` in
// src/lib.rs). When `JSON.stringify` throws or drops the value (BigInt, a cycle, a function),
// the value itself is passed, and the wasm side reports it exactly as before.
function jobsimParamsText(params) {
  try {
    return JSON.stringify(params);
  } catch {
    return undefined;
  }
}
Simulator.prototype.call = function call(method, params) {
  const text = jobsimParamsText(params);
  return JSON.parse(this.callJson(method, text, text === undefined ? params : undefined));
};
Simulator.prototype.read = function read(method, params) {
  const text = jobsimParamsText(params);
  return JSON.parse(this.readJson(method, text, text === undefined ? params : undefined));
};
