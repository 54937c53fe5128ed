//! Text output: a readable timeline of a scenario run, and resource dumps for `replay`.

use jobsim_core::scenario::{Run, Scenario};
use jobsim_core::Simulator;
use serde_json::{json, Value};

/// The readable timeline of `jobsim run --format text`.
pub fn render(_scenario: &Scenario, run: &Run) -> String {
    let mut out = String::new();
    for o in &run.outcomes {
        let step = o["step"].as_u64().unwrap_or(0);
        if let Some(call) = o["call"].as_str() {
            let status = o["status"].as_u64().unwrap_or(0);
            let what = o["body"]["metadata"]["name"]
                .as_str()
                .map(str::to_string)
                .or_else(|| o["body"]["error"]["message"].as_str().map(str::to_string))
                .unwrap_or_default();
            out.push_str(&format!("[{step:>3}] {call:<18} {status}  {what}\n"));
        } else if let Some(clock) = o["clock"].as_str() {
            let now = o["now"].as_str().unwrap_or("");
            let events = o["events"].as_u64().unwrap_or(0);
            out.push_str(&format!("[{step:>3}] {clock:<18} now {now} ({events} events)\n"));
        }
    }
    out.push('\n');
    for line in run.simulator.explain_all() {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Every job, execution and task of a simulator, as one JSON document.
pub fn resources(sim: &Simulator) -> String {
    let mut sim = sim.clone();
    let list = |sim: &mut Simulator, method: &str| {
        sim.call(method, &json!({})).map(|v| v["items"].clone()).unwrap_or(Value::Null)
    };
    let doc = json!({
        "now": sim.now(),
        "jobs": list(&mut sim, "jobs.list"),
        "executions": list(&mut sim, "executions.list"),
        "tasks": list(&mut sim, "tasks.list"),
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
