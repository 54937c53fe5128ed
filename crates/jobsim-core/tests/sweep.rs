//! Issue #12 sweeps: the statistics agree with the closed form, summaries do not depend on how
//! the runs were split, the cost model bills attempts as Cloud Run does.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jobsim_core::scenario::Scenario;
use jobsim_core::sweep::{summarize, Axis, JobSummary, Plan, Record, RunOutcome, Shard};
use serde_json::json;

/// One job of `tasks` tasks (all in parallel), `retries` retries, a `timeout`, and a workload.
fn scenario(tasks: u32, retries: u32, timeout: u32, workload: serde_json::Value) -> Scenario {
    let mut w = json!({"job": "j"});
    if let (Some(w), Some(extra)) = (w.as_object_mut(), workload.as_object()) {
        w.extend(extra.clone());
    }
    Scenario::from_value(&json!({
        "seed": 1000,
        "profile": "realistic",
        "workloads": [w],
        "steps": [
            {"call": "jobs.create", "body": {"metadata": {"name": "j"}, "spec": {"template": {"spec": {
                "taskCount": tasks, "parallelism": tasks,
                "template": {"spec": {"containers": [{"image": "us-docker.pkg.dev/demo/j:1"}],
                    "maxRetries": retries, "timeoutSeconds": timeout.to_string()}}}}}}},
            {"advance": "2s"},
            {"call": "jobs.run", "name": "j"},
            {"runUntilIdle": true}
        ]
    }))
    .unwrap_or_else(|e| panic!("{e}"))
}

fn all_records(plan: &Plan) -> Vec<Record> {
    (0..plan.items()).flat_map(|k| plan.run(k)).collect()
}

fn only(summary: &jobsim_core::sweep::Summary) -> &JobSummary {
    assert_eq!(summary.configurations.len(), 1);
    &summary.configurations[0]
}

/// Issue #12 statistics: with independent failures (p per attempt, R retries, T tasks) an
/// execution succeeds with probability (1 − p^(R+1))^T; that value lies in the 95 % Wilson
/// interval of the success rate of N seeded runs. Several (p, R, T).
#[test]
fn success_rate_interval_contains_the_closed_form_for_independent_failures() {
    for (p, r, t) in [(0.5, 0u32, 1u32), (0.3, 1, 3), (0.5, 2, 4), (0.2, 0, 5), (0.6, 3, 2)] {
        let s = scenario(t, r, 600, json!({"duration": "10s", "failureRate": p}));
        let plan = Plan::new(&s, 300, None, &[]).unwrap_or_else(|e| panic!("{e}"));
        let summary = summarize(all_records(&plan));
        let j = only(&summary);
        let expected = (1.0 - f64::powi(p, r as i32 + 1)).powi(t as i32);
        let [lo, hi] = j.success_interval;
        assert_eq!(j.executions, 300);
        assert!(
            lo <= expected && expected <= hi,
            "p={p} R={r} T={t}: closed form {expected} outside [{lo}, {hi}] (rate {})",
            j.success_rate
        );
        // The interval is tight enough to mean something.
        assert!(hi - lo < 0.15, "p={p} R={r} T={t}: interval [{lo}, {hi}] too wide");
        // Every attempt but a task's first is a retry, and no task retries more than R times.
        assert!(j.retries.max <= u64::from(r * t));
    }
}

/// Issue #12 statistics where timeouts decide (D5): attempts last 10 s ± 10 s (uniform), the
/// timeout is 15 s, so an attempt times out with probability 1/4 and never exits non-zero;
/// success per execution is (1 − (1/4)^(R+1))^T.
#[test]
fn success_rate_follows_the_timeout_probability_when_timeouts_decide() {
    let (r, t) = (1u32, 4u32);
    let s = scenario(t, r, 15, json!({"duration": "10s", "jitter": "10s"}));
    let plan = Plan::new(&s, 400, None, &[]).unwrap_or_else(|e| panic!("{e}"));
    let summary = summarize(all_records(&plan));
    let j = only(&summary);
    let expected = (1.0 - 0.25f64.powi(r as i32 + 1)).powi(t as i32);
    let [lo, hi] = j.success_interval;
    assert!(lo <= expected && expected <= hi, "closed form {expected} outside [{lo}, {hi}]");
    // No attempt runs past its timeout: the longest execution is bounded by (R+1) timeouts
    // plus provisioning and the retry delay.
    let max = j.duration.as_ref().map_or(0.0, |d| d.max);
    assert!(max <= f64::from((r + 1) * 15) + 2.7 + 1.0 + 0.001, "max duration {max}");
}

/// Issue #12 determinism: records split over shards in any way, then merged, give the bytes of
/// the unsplit summary (summaries come from the sorted records only).
#[test]
fn sharded_summary_is_byte_identical_to_the_unsplit_one() {
    let s = scenario(3, 1, 600, json!({"duration": "10s", "jitter": "3s", "failureRate": 0.3}));
    let axes = [
        Axis::parse("maxRetries=0,2").unwrap_or_else(|e| panic!("{e}")),
        Axis::parse("j.duration=5s,20s").unwrap_or_else(|e| panic!("{e}")),
    ];
    let plan = Plan::new(&s, 25, Some(7), &axes).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(plan.configurations.len(), 4);
    let whole = summarize(all_records(&plan)).to_json();
    for n in [2u64, 3, 7] {
        let mut shards: Vec<String> = Vec::new();
        for i in 0..n {
            let shard = Shard::new(i, n).unwrap_or_else(|| panic!("shard"));
            let lines: Vec<String> =
                (0..plan.items()).filter(|k| shard.owns(*k)).flat_map(|k| plan.run(k)).map(|r| r.to_line()).collect();
            shards.push(lines.join("\n"));
        }
        // Merge reads the lines back, in reverse shard order.
        let merged: Vec<Record> = shards
            .iter()
            .rev()
            .flat_map(|s| s.lines().map(|l| Record::from_line(l).unwrap_or_else(|e| panic!("{e}"))).collect::<Vec<_>>())
            .collect();
        assert_eq!(summarize(merged).to_json(), whole, "{n} shards");
    }
    // The grid really changes the runs: more retries, more success.
    let summary = summarize(all_records(&plan));
    let rate = |retries: i64, d: &str| {
        summary
            .configurations
            .iter()
            .find(|c| c.vary["maxRetries"] == json!(retries) && c.vary["j.duration"] == json!(d))
            .map_or(-1.0, |c| c.success_rate)
    };
    assert!(rate(2, "5s") > rate(0, "5s"), "{} vs {}", rate(2, "5s"), rate(0, "5s"));
}

/// Issue #12 knobs: `taskCount`, `parallelism`, `timeoutSeconds` and `failureRate` reach the
/// execution (its attempts and duration show them).
#[test]
fn vary_knobs_reach_the_execution() {
    let s = scenario(2, 0, 600, json!({"duration": "10s"}));
    let axes = [
        Axis::parse("taskCount=4").unwrap_or_else(|e| panic!("{e}")),
        Axis::parse("parallelism=1").unwrap_or_else(|e| panic!("{e}")),
        Axis::parse("failureRate=0").unwrap_or_else(|e| panic!("{e}")),
    ];
    let plan = Plan::new(&s, 1, None, &axes).unwrap_or_else(|e| panic!("{e}"));
    let records = plan.run(0);
    assert_eq!(records.len(), 1);
    let r = &records[0];
    assert_eq!((r.outcome, r.attempts, r.retries), (RunOutcome::Succeeded, 4, 0));
    // Four 10 s attempts one after another (parallelism 1), after 2.7 s of provisioning.
    assert_eq!(r.duration_micros, Some(42_700_000));
    // Cost: 4 attempts × 10 s × (1 vCPU, 0.5 GiB) at the default prices, in nano-USD.
    assert_eq!(r.cost_nano_usd, ((40.0 * 0.000018 + 20.0 * 0.000002) * 1e9f64).round() as u64);

    let hang = scenario(1, 0, 5, json!({"duration": "10s"}));
    let plan = Plan::new(&hang, 1, None, &[Axis::parse("timeoutSeconds=3").unwrap_or_else(|e| panic!("{e}"))])
        .unwrap_or_else(|e| panic!("{e}"));
    let r = &plan.run(0)[0];
    assert_eq!((r.outcome, r.duration_micros), (RunOutcome::Failed, Some(5_700_000)));
}

/// A `--vary` naming a job the scenario does not create, or zero runs, is refused.
#[test]
fn a_sweep_of_an_unknown_job_or_no_runs_is_refused() {
    let s = scenario(1, 0, 600, json!({}));
    assert!(Plan::new(&s, 1, None, &[Axis::parse("nope.maxRetries=1").unwrap_or_else(|e| panic!("{e}"))]).is_err());
    assert!(Plan::new(&s, 0, None, &[]).is_err());
}

/// Issue #12 cost model: the containers' limits (summed) and `settings.prices` price every
/// attempt, rounded up to 100 ms; `explain::all` gives each execution's cost.
#[test]
fn explain_prices_attempts_from_limits_and_price_settings() {
    let s = Scenario::from_value(&json!({
        "seed": 3, "profile": "instant",
        "settings": {"prices": {"vcpuSecond": 0.5, "gibSecond": 0.25}},
        "workloads": [{"job": "j", "duration": "1.25s"}],
        "steps": [
            {"call": "jobs.create", "body": {"metadata": {"name": "j"}, "spec": {"template": {"spec": {
                "taskCount": 2, "template": {"spec": {"containers": [
                    {"image": "us-docker.pkg.dev/demo/j:1", "resources": {"limits": {"cpu": "2", "memory": "1Gi"}}},
                    {"image": "us-docker.pkg.dev/demo/side:1", "resources": {"limits": {"cpu": "500m", "memory": "512Mi"}}}
                ]}}}}}}},
            {"call": "jobs.run", "name": "j"},
            {"runUntilIdle": true}
        ]
    }))
    .unwrap_or_else(|e| panic!("{e}"));
    let run = s.run().unwrap_or_else(|e| panic!("{e}"));
    let sim = &run.simulator;
    let all = jobsim_core::explain::all(sim.state(), sim.envelopes(1));
    assert_eq!(all.len(), 1);
    let cost = all[0].1;
    // 2 attempts × 1.3 s billed (1.25 s rounded up) × 2.5 vCPU / 1.5 GiB.
    assert!((cost.vcpu_seconds - 6.5).abs() < 1e-9 && (cost.gib_seconds - 3.9).abs() < 1e-9, "{cost:?}");
    assert!((cost.usd - (6.5 * 0.5 + 3.9 * 0.25)).abs() < 1e-9, "{cost:?}");
    assert_eq!(jobsim_core::explain::cost_line(&cost), "  cost $4.225000 (6.5 vCPU-s, 3.9 GiB-s)");
}

/// Bad prices make the scenario unusable, naming the field.
#[test]
fn bad_prices_are_refused_naming_the_field() {
    for (prices, field) in [
        (json!({"vcpuSecond": -1}), "settings.prices.vcpuSecond"),
        (json!({"gibSecond": "cheap"}), "settings.prices.gibSecond"),
        (json!({"perRequest": 1}), "settings.prices"),
    ] {
        let e = Scenario::from_value(&json!({"settings": {"prices": prices}, "steps": []}))
            .err()
            .unwrap_or_else(|| panic!("{prices} accepted"));
        assert!(e.message.contains(field), "{}", e.message);
    }
}

/// R11: a varied `taskCount` below the job's parallelism lowers the parallelism to it (the run
/// happens); a varied `parallelism` above the task count is refused before anything runs.
#[test]
fn task_count_below_parallelism_lowers_it_and_a_varied_parallelism_above_is_refused() {
    let s = scenario(4, 0, 600, json!({"duration": "10s"}));
    let plan = Plan::new(&s, 1, None, &[Axis::parse("taskCount=2").unwrap()]).unwrap();
    let r = &plan.run(0)[0];
    assert_eq!((r.outcome, r.attempts), (RunOutcome::Succeeded, 2));
    let e = Plan::new(&s, 1, None, &[Axis::parse("parallelism=3").unwrap(), Axis::parse("taskCount=2").unwrap()])
        .err()
        .unwrap();
    assert!(e.message.contains("parallelism 3 above its taskCount 2"), "{}", e.message);
}
