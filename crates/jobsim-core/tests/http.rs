//! The HTTP route table (`http.rs`): every v1 path on its verb, the query and body edges real
//! clients send (real-clients.md), and the answers being the same bytes `Simulator::call` gives
//! (one request path, R33/D2 errors).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jobsim_core::http::{handle, HttpAnswer, JSON, JSON_LINES, MAX_BODY_BYTES};
use jobsim_core::Simulator;
use serde_json::{json, Value};

const NS: &str = "/apis/run.googleapis.com/v1/namespaces/demo-project";

fn sim() -> Simulator {
    Simulator::new(&json!({"seed": 7, "profile": "instant"})).unwrap()
}

fn job(name: &str) -> Value {
    json!({"apiVersion": "run.googleapis.com/v1", "kind": "Job", "metadata": {"name": name},
        "spec": {"template": {"spec": {"taskCount": 2, "template": {"spec": {
            "containers": [{"image": "us-docker.pkg.dev/demo/x:1"}]}}}}}})
}

fn req(sim: &mut Simulator, method: &str, url: &str, body: Option<&str>) -> (u16, Value) {
    let a = handle(sim, method, url, body);
    assert_eq!(a.content_type, JSON, "{url}");
    (a.status, serde_json::from_str(&a.body).unwrap())
}

fn ok(sim: &mut Simulator, method: &str, url: &str, body: Option<&str>) -> Value {
    let (status, v) = req(sim, method, url, body);
    assert_eq!(status, 200, "{method} {url}: {v}");
    v
}

/// Creates job `a`, runs it to the end; returns the execution name.
fn with_run(sim: &mut Simulator) -> String {
    ok(sim, "POST", &format!("{NS}/jobs"), Some(&job("a").to_string()));
    let e = ok(sim, "POST", &format!("{NS}/jobs/a:run"), None);
    sim.run_until_idle().unwrap();
    e["metadata"]["name"].as_str().unwrap().to_string()
}

/// All 12 methods at their real paths answer exactly what `Simulator::call` answers for the
/// same seed and steps.
#[test]
fn r33_every_v1_route_answers_as_call_does() {
    let (mut h, mut c) = (sim(), sim());
    let body = job("a").to_string();
    let steps: Vec<(&str, String, Option<String>, &str, Value)> = vec![
        ("POST", format!("{NS}/jobs"), Some(body.clone()), "jobs.create", json!({"body": job("a")})),
        ("GET", format!("{NS}/jobs/a"), None, "jobs.get", json!({"name": "a"})),
        ("GET", format!("{NS}/jobs"), None, "jobs.list", json!({})),
        ("POST", format!("{NS}/jobs/a:run"), None, "jobs.run", json!({"name": "a"})),
        ("GET", format!("{NS}/executions"), None, "executions.list", json!({})),
        ("GET", format!("{NS}/tasks"), None, "tasks.list", json!({})),
    ];
    for (m, url, b, id, params) in &steps {
        let got = ok(&mut h, m, url, b.as_deref());
        assert_eq!(got, c.call(id, params).unwrap(), "{id}");
    }
    let ex = h.state().executions.keys().next().unwrap().clone();
    let task = format!("{ex}-task0");
    let replaced = {
        let mut j = ok(&mut h, "GET", &format!("{NS}/jobs/a"), None);
        j["spec"]["template"]["spec"]["taskCount"] = json!(3);
        j
    };
    let more: Vec<(&str, String, Option<String>, &str, Value)> = vec![
        ("GET", format!("{NS}/executions/{ex}"), None, "executions.get", json!({"name": ex})),
        ("GET", format!("{NS}/tasks/{task}"), None, "tasks.get", json!({"name": task})),
        ("POST", format!("{NS}/executions/{ex}:cancel"), None, "executions.cancel", json!({"name": ex})),
        (
            "PUT",
            format!("{NS}/jobs/a"),
            Some(replaced.to_string()),
            "jobs.replaceJob",
            json!({"name": "a", "body": replaced}),
        ),
        ("DELETE", format!("{NS}/executions/{ex}"), None, "executions.delete", json!({"name": ex})),
        ("DELETE", format!("{NS}/jobs/a"), None, "jobs.delete", json!({"name": "a"})),
    ];
    c.call("jobs.get", &json!({"name": "a"})).unwrap();
    for (m, url, b, id, params) in &more {
        let got = ok(&mut h, m, url, b.as_deref());
        assert_eq!(got, c.call(id, params).unwrap(), "{id}");
    }
    assert_eq!(h.events_jsonl(), c.events_jsonl(), "same event log byte for byte");
}

/// The project number names the namespace too (R2); another namespace is a 404.
#[test]
fn r2_namespace_by_id_or_number_else_404() {
    let mut s = sim();
    let number = s.state().world.project.number.clone();
    ok(&mut s, "GET", &format!("/apis/run.googleapis.com/v1/namespaces/{number}/jobs"), None);
    let (status, v) = req(&mut s, "GET", "/apis/run.googleapis.com/v1/namespaces/other/jobs", None);
    assert_eq!((status, v["error"]["status"].as_str()), (404, Some("NOT_FOUND")));
}

/// R32 over the wire: `labelSelector` with `+` or `%20` spaces, `limit` and `continue` as
/// query strings; Google's system parameters (`alt`, `$.xgafv`, …) are ignored.
#[test]
fn r32_list_query_from_the_url() {
    let mut s = sim();
    with_run(&mut s);
    ok(&mut s, "POST", &format!("{NS}/jobs/a:run"), Some(""));
    for q in ["run.googleapis.com/job+=+a", "run.googleapis.com%2Fjob%20%3D%20a", "run.googleapis.com/job=a"] {
        let page = ok(
            &mut s,
            "GET",
            &format!("{NS}/executions?labelSelector={q}&limit=1&alt=json&%24.xgafv=2&prettyPrint=false"),
            None,
        );
        assert_eq!(page["items"].as_array().unwrap().len(), 1, "{q}");
        let token = page["metadata"]["continue"].as_str().unwrap();
        let next = ok(&mut s, "GET", &format!("{NS}/executions?labelSelector={q}&limit=1&continue={token}"), None);
        assert_eq!(next["items"].as_array().unwrap().len(), 1);
        assert_ne!(next["items"][0]["metadata"]["name"], page["items"][0]["metadata"]["name"]);
    }
    let none = ok(&mut s, "GET", &format!("{NS}/executions?labelSelector=run.googleapis.com/job%3Dzz"), None);
    assert_eq!(none["items"], Value::Null, "R8: an empty list omits items");
    // gcloud's pager reads `metadata.continue` of every page: a list always has `metadata`.
    assert_eq!(none["metadata"], json!({}), "a last page carries `metadata: {{}}`");
    let (status, v) = req(&mut s, "GET", &format!("{NS}/jobs?limit=x"), None);
    assert_eq!(status, 400, "{v}");
    assert!(v["error"]["message"].as_str().unwrap().contains("query.limit"));
}

/// D24 through the URL: a query parameter the method does not take is the core's 400, and a
/// parameter given twice is refused.
#[test]
fn d24_unknown_or_repeated_query_parameter_is_400() {
    let mut s = sim();
    let (status, v) = req(&mut s, "GET", &format!("{NS}/jobs?bogus=1"), None);
    assert_eq!(status, 400, "{v}");
    assert!(v["error"]["message"].as_str().unwrap().contains("bogus"), "{v}");
    let (status, v) = req(&mut s, "GET", &format!("{NS}/jobs?limit=1&limit=2"), None);
    assert_eq!(status, 400);
    assert!(v["error"]["message"].as_str().unwrap().contains("more than once"), "{v}");
}

/// D13 / R30: `dryRun=all` records nothing; deletes take `propagationPolicy`, `kind`,
/// `apiVersion` in the query (as googleapis and gcloud send them).
#[test]
fn d13_dry_run_and_delete_query_parameters() {
    let mut s = sim();
    let version = s.version();
    ok(&mut s, "POST", &format!("{NS}/jobs?dryRun=all"), Some(&job("d").to_string()));
    assert_eq!(s.version(), version);
    with_run(&mut s);
    let status =
        ok(&mut s, "DELETE", &format!("{NS}/jobs/a?propagationPolicy=Background&kind=Job&apiVersion=v1"), None);
    assert_eq!(status["status"], "Success");
}

/// Empty bodies on `:run` and `:cancel` (Content-Length 0, no Content-Type) and `{}` are the
/// same request; a create without a body is the core's 400.
#[test]
fn r16_empty_body_on_run_and_cancel() {
    let mut s = sim();
    let ex = with_run(&mut s);
    for b in [None, Some(""), Some("{}"), Some("  \n")] {
        ok(&mut s, "POST", &format!("{NS}/jobs/a:run"), b);
        ok(&mut s, "POST", &format!("{NS}/executions/{ex}:cancel"), b);
    }
    let (status, v) = req(&mut s, "POST", &format!("{NS}/jobs"), None);
    assert_eq!(status, 400);
    assert!(v["error"]["message"].as_str().unwrap().contains("needs a request body"), "{v}");
}

/// D2 / D23: malformed JSON is a 400 in the front end's words; a wrongly typed field is the
/// core's own 400 with its field violation; neither records anything.
#[test]
fn d2_malformed_json_and_wrong_types_are_400_and_change_nothing() {
    let mut s = sim();
    let version = s.version();
    let (status, v) = req(&mut s, "POST", &format!("{NS}/jobs"), Some("{\"metadata\": "));
    assert_eq!((status, v["error"]["status"].as_str()), (400, Some("INVALID_ARGUMENT")));
    assert!(v["error"]["message"].as_str().unwrap().starts_with("Invalid JSON payload received."), "{v}");
    let mut bad = job("t");
    bad["spec"]["template"]["spec"]["taskCount"] = json!([1]);
    let (status, v) = req(&mut s, "POST", &format!("{NS}/jobs"), Some(&bad.to_string()));
    assert_eq!(status, 400);
    assert_eq!(v["error"]["details"][0]["fieldViolations"][0]["field"], "spec.template.spec.taskCount", "{v}");
    let (status, _) = req(&mut s, "POST", &format!("{NS}/jobs"), Some("[1, 2]"));
    assert_eq!(status, 400);
    assert_eq!(s.version(), version);
}

/// R33: a missing resource is Cloud Run's 404 body.
#[test]
fn r33_missing_resource_is_the_real_404_body() {
    let mut s = sim();
    let (status, v) = req(&mut s, "GET", &format!("{NS}/jobs/nope"), None);
    assert_eq!(status, 404);
    assert_eq!(
        v["error"]["message"],
        "Resource 'nope' of kind 'JOB' in region 'us-central1' in project 'demo-project' does not exist."
    );
}

/// Unknown routes 404 and wrong verbs 405, both in the R33 shape.
#[test]
fn r33_unknown_route_404_wrong_verb_405() {
    let mut s = sim();
    for url in [
        "/".to_string(),
        "/apis/run.googleapis.com/v2/projects/p/jobs".into(),
        format!("{NS}/services"),
        format!("{NS}/jobs/a:start"),
        format!("{NS}/jobs/a/b"),
        format!("{NS}/jobs/"),
        "/apis/run.googleapis.com/v1/namespaces//jobs".into(),
        "/jobsim/v1/nope".into(),
    ] {
        let (status, v) = req(&mut s, "GET", &url, None);
        assert_eq!((status, v["error"]["code"].as_u64()), (404, Some(404)), "{url}");
    }
    for (m, url) in [
        ("PATCH", format!("{NS}/jobs/a")),
        ("DELETE", format!("{NS}/jobs")),
        ("GET", format!("{NS}/jobs/a:run")),
        ("POST", format!("{NS}/tasks/x")),
        ("PUT", format!("{NS}/executions/x:cancel")),
        ("POST", "/jobsim/v1/clock".into()),
        ("GET", "/jobsim/v1/clock:advance".into()),
    ] {
        let (status, v) = req(&mut s, m, &url, None);
        assert_eq!(status, 405, "{m} {url}");
        assert_eq!(v["error"]["code"], 405);
        assert!(v["error"]["message"].as_str().unwrap().contains("is not allowed"), "{v}");
    }
}

/// Percent-encoded slashes, `.` / `..` and invalid UTF-8 in a name never reach another
/// resource: a clear 400; an encoded ordinary character is the name it spells.
#[test]
fn encoded_slashes_and_dot_segments_in_names_are_400() {
    let mut s = sim();
    with_run(&mut s);
    for name in ["a%2Fb", "a%2fexecutions", "..", ".", "%2E%2E", "a%FF", "a%2", "%C3%28"] {
        let (status, v) = req(&mut s, "GET", &format!("{NS}/jobs/{name}"), None);
        assert_eq!(status, 400, "{name}: {v}");
        assert_eq!(v["error"]["status"], "INVALID_ARGUMENT");
    }
    ok(&mut s, "GET", &format!("{NS}/jobs/%61"), None);
    let (status, _) = req(&mut s, "DELETE", &format!("{NS}/jobs/..%2Fjobs%2Fa"), None);
    assert_eq!(status, 400);
    assert!(s.state().job("a").is_some());
}

/// A body over 8 MiB is 413 in Google's shape, before it is parsed.
#[test]
fn body_over_the_limit_is_413() {
    let mut s = sim();
    let big = " ".repeat(MAX_BODY_BYTES + 1);
    let a = handle(&mut s, "POST", &format!("{NS}/jobs"), Some(&big));
    assert_eq!(a.status, 413);
    let v: Value = serde_json::from_str(&a.body).unwrap();
    assert_eq!(v["error"]["code"], 413);
}

/// The control routes move the clock as `Simulator::advance` / `advanceTo` / `runUntilIdle`
/// do, and show it; bad bodies are 400s that change nothing.
#[test]
fn control_routes_move_and_show_the_clock() {
    let mut s = Simulator::new(&json!({"seed": 7, "profile": "realistic"})).unwrap();
    let clock = ok(&mut s, "GET", "/jobsim/v1/clock", None);
    assert_eq!(
        clock,
        json!({"now": "2026-01-01T00:00:00.000000Z", "nextTimerAt": null, "mode": "manual", "speed": 1.0})
    );
    ok(&mut s, "POST", &format!("{NS}/jobs"), Some(&job("a").to_string()));
    let moved = ok(&mut s, "POST", "/jobsim/v1/clock:advance", Some(r#"{"duration": "90s"}"#));
    assert_eq!(moved["now"], "2026-01-01T00:01:30.000000Z");
    assert!(moved["recorded"].as_u64().unwrap() > 0);
    let moved = ok(&mut s, "POST", "/jobsim/v1/clock:advanceTo", Some(r#"{"time": "2026-01-01T00:02:00Z"}"#));
    assert_eq!(moved["now"], "2026-01-01T00:02:00.000000Z");
    ok(&mut s, "POST", &format!("{NS}/jobs/a:run"), None);
    let idle = ok(&mut s, "POST", "/jobsim/v1/clock:runUntilIdle", None);
    assert_eq!(idle["nextTimerAt"], Value::Null);
    let version = s.version();
    for (url, body) in [
        ("/jobsim/v1/clock:advance", Some("{}")),
        ("/jobsim/v1/clock:advance", Some(r#"{"duration": "-1s"}"#)),
        ("/jobsim/v1/clock:advance", Some(r#"{"duration": "1s", "x": 1}"#)),
        ("/jobsim/v1/clock:advanceTo", Some(r#"{"time": "2020-01-01T00:00:00Z"}"#)),
        ("/jobsim/v1/clock:advanceTo", Some(r#"{"time": 5}"#)),
        ("/jobsim/v1/clock:runUntilIdle", Some(r#"{"now": true}"#)),
        ("/jobsim/v1/clock:advance", Some("[")),
    ] {
        let (status, v) = req(&mut s, "POST", url, body);
        assert_eq!(status, 400, "{url} {body:?}: {v}");
    }
    assert_eq!(s.version(), version);
}

/// `GET /jobsim/v1/events?from=N` is the log as JSON Lines from sequence N; explain and
/// healthz answer JSON.
#[test]
fn events_explain_and_health() {
    let mut s = sim();
    let ex = with_run(&mut s);
    let a = handle(&mut s, "GET", "/jobsim/v1/events", None);
    assert_eq!((a.status, a.content_type), (200, JSON_LINES));
    assert_eq!(a.body, s.events_jsonl());
    let a = handle(&mut s, "GET", "/jobsim/v1/events?from=3", None);
    assert_eq!(a.body.lines().count() as u64, s.version() - 2);
    assert!(a.body.starts_with("{") && a.body.contains("\"sequence\":3"), "{}", a.body);
    let (status, _) = req(&mut s, "GET", "/jobsim/v1/events?from=-1", None);
    assert_eq!(status, 400);
    let explained = ok(&mut s, "GET", &format!("/jobsim/v1/explain/{ex}"), None);
    assert_eq!(explained["explanation"], s.explain(&ex).unwrap());
    let (status, _) = req(&mut s, "GET", "/jobsim/v1/explain/nope", None);
    assert_eq!(status, 404);
    assert_eq!(ok(&mut s, "GET", "/healthz", None), json!({"status": "ok"}));
}

/// Errors are the core's typed `Error` bodies, so the answer is the same as a `call` error.
#[test]
fn r33_error_answer_is_the_core_error_body() {
    let mut s = sim();
    let e = s.clone().call("jobs.get", &json!({"name": "x"})).unwrap_err();
    assert_eq!(handle(&mut s, "GET", &format!("{NS}/jobs/x"), None), HttpAnswer::error(&e));
}
