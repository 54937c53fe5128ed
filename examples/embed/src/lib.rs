//! An example of a crate that embeds `jobsim-core`: "your" application defines the Cloud Run
//! job it deploys, and its tests run that job in the simulator and snapshot what Cloud Run
//! would answer (see `tests/nightly_export.rs`).
//!
//! Nothing here talks to Google Cloud: the simulator is in-process, deterministic and fast, so
//! the tests are ordinary `cargo test` tests with insta snapshots.

use serde_json::{json, Value};

/// The image of the export job.
pub const IMAGE: &str = "us-docker.pkg.dev/acme/export:2026.06";

/// The v1 Job your application deploys: one task per shard, a few in parallel, two retries,
/// a 15-minute timeout per attempt.
pub fn nightly_export_job(shards: u32) -> Value {
    json!({
        "apiVersion": "run.googleapis.com/v1",
        "kind": "Job",
        "metadata": {"name": "nightly-export", "labels": {"app": "export", "team": "data"}},
        "spec": {"template": {"spec": {
            "taskCount": shards,
            "parallelism": shards.min(4),
            "template": {"spec": {
                "containers": [{
                    "image": IMAGE,
                    "args": ["--since", "24h"],
                    "env": [{"name": "BUCKET", "value": "gs://acme-exports"}]
                }],
                "maxRetries": 2,
                "timeoutSeconds": "900"
            }}
        }}}
    })
}

/// The simulated world the tests use: a fixed seed and start, the real-looking delays, and
/// export attempts that take about two minutes.
pub fn world() -> Value {
    json!({
        "seed": 2026,
        "start": "2026-06-01T02:00:00Z",
        "profile": "realistic",
        "project": {"id": "acme-prod", "number": "271828182845", "region": "us-east1"},
        "workloads": [{"job": "nightly-export", "duration": "2m", "jitter": "20s"}]
    })
}
