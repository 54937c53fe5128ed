//! API calls with arbitrary params on a world with something in it (two jobs, one running
//! execution). The first byte picks the method (one value past the list: an unknown method),
//! the rest is the params as JSON (or, when it is not JSON, as a string). A call either answers
//! or is refused; a refused call changes nothing (log version and state snapshot compared).
#![no_main]

use jobsim_core::api::METHODS;
use jobsim_core::Simulator;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};
use std::sync::OnceLock;

fn world() -> &'static Simulator {
    static WORLD: OnceLock<Simulator> = OnceLock::new();
    WORLD.get_or_init(|| {
        let mut sim = Simulator::new(&json!({"seed": 11})).expect("options");
        for name in ["etl", "report"] {
            let body = json!({"metadata": {"name": name, "labels": {"team": "data"}},
                "spec": {"template": {"spec": {"taskCount": 3, "parallelism": 2, "template": {"spec": {
                    "maxRetries": 1, "containers": [{"image": "us-docker.pkg.dev/demo/etl:1"}]}}}}}});
            sim.call("jobs.create", &json!({ "body": body })).expect("create");
        }
        sim.advance(&json!("2s")).expect("advance");
        sim.call("jobs.run", &json!({"name": "etl"})).expect("run");
        sim.advance(&json!("5s")).expect("advance");
        sim
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let method = METHODS.get(usize::from(pick) % (METHODS.len() + 1)).copied().unwrap_or("jobs.nope");
    let params: Value =
        serde_json::from_slice(rest).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(rest).into_owned()));
    let mut sim = world().clone();
    let (version, snapshot) = (sim.version(), sim.snapshot());
    match sim.call(method, &params) {
        Err(e) => {
            assert_eq!(sim.version(), version, "{method} refused ({e}) but recorded events");
            assert_eq!(sim.snapshot(), snapshot, "{method} refused ({e}) but changed the state");
            assert!(!e.message.is_empty(), "an error without a message");
        }
        Ok(_) => {
            // The world goes on from whatever the call did, and its log still replays.
            sim.advance(&json!("1h")).expect("the clock moves on");
            let replayed = Simulator::replay(&sim.events(0)).expect("the log replays");
            assert_eq!(replayed.state(), sim.state(), "replay differs from the live state");
        }
    }
});
