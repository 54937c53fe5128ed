//! Request input fidelity (issue 9, items 5, 9, 10, 11): what a body may carry (D24), the value
//! rules of its fields, all reported at once (D2, D23), and which container an override
//! targets (R17). The maximal Job is generated from the newest discovery document.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jobsim_core::testing::{job, Given};
use jobsim_core::{Error, ErrorCode, Simulator};
use serde_json::{json, Map, Value};

const IMAGE: &str = "us-docker.pkg.dev/demo/etl:1";
const DISCOVERY: &str = include_str!("fixtures/discovery/run-v1-discovery-20261031.json");

fn sim() -> Simulator {
    Simulator::new(&json!({"seed": 9, "profile": "instant"})).unwrap()
}

/// Calls and asserts a 400 INVALID_ARGUMENT that changed nothing; returns the error.
#[track_caller]
fn refused(sim: &mut Simulator, method: &str, params: Value) -> Error {
    let (version, before) = (sim.version(), sim.snapshot());
    let e = sim.call(method, &params).expect_err("refused");
    assert_eq!(e.code, ErrorCode::InvalidArgument, "{}", e.body());
    assert_eq!(sim.version(), version, "a refused call appended events");
    assert!(sim.snapshot() == before, "a refused call changed the state");
    e
}

fn fields(e: &Error) -> Vec<&str> {
    e.field_violations.iter().map(|v| v.field.as_str()).collect()
}

fn unknown(name: &str, path: &str) -> String {
    if path.is_empty() {
        format!("Invalid JSON payload received. Unknown name \"{name}\": Cannot find field.")
    } else {
        format!("Invalid JSON payload received. Unknown name \"{name}\" at '{path}': Cannot find field.")
    }
}

// ---------------------------------------------------------------------------------------------
// The maximal Job: every field of the schema, generated from the discovery document.

/// Fields of spec §2.2 the newest document lacks, with a valid value.
const LATER_FIELDS: &[(&str, &str, &str)] = &[("TaskSpec", "terminationGracePeriodSeconds", "\"30\"")];

/// Values a field must have to be valid (D1, R11, R15, D23, D16); `null` = leave the field out.
fn special(path: &str, token: &str) -> Option<Value> {
    let tc = "spec.template.spec.template.spec.containers[]";
    Some(match path {
        "apiVersion" => json!("run.googleapis.com/v1"),
        "kind" => json!("Job"),
        "metadata.name" => json!(format!("max-{token}")),
        "metadata.namespace" => json!("demo-project"),
        "spec.startExecutionToken" if token == "start" => json!("t1"),
        "spec.runExecutionToken" if token == "run" => json!("t1"),
        "spec.startExecutionToken" | "spec.runExecutionToken" => Value::Null, // R15: one of them
        "spec.template.metadata.name" => Value::Null,                         // D23: refused
        "spec.template.spec.taskCount" => json!(2),
        "spec.template.spec.parallelism" => json!(1),
        "spec.template.spec.template.spec.maxRetries" => json!(2),
        "spec.template.spec.template.spec.timeoutSeconds" => json!("300"),
        p if p == format!("{tc}.image") => json!("us-docker.pkg.dev/demo/max:1"),
        p if p == format!("{tc}.env[].name") => json!("MAX_VAR"),
        p if p == format!("{tc}.resources.limits") || p == format!("{tc}.resources.requests") => {
            json!({"cpu": "2", "memory": "1Gi"})
        }
        p if p == format!("{tc}.ports[].containerPort") => json!(8080),
        p if p == format!("{tc}.ports[].name") => json!("http1"),
        p if p == format!("{tc}.ports[].protocol") => json!("TCP"),
        _ => return None,
    })
}

struct Generator {
    schemas: Map<String, Value>,
    token: &'static str,
    /// JSON pointer and front-end (proto) path of every message object generated.
    messages: Vec<(String, String)>,
}

fn snake(json: &str) -> String {
    json.chars().fold(String::new(), |mut s, c| {
        if c.is_ascii_uppercase() {
            s.push('_');
        }
        s.push(c.to_ascii_lowercase());
        s
    })
}

impl Generator {
    fn new(token: &'static str) -> Generator {
        let doc: Value = serde_json::from_str(DISCOVERY).unwrap();
        let mut schemas = doc["schemas"].as_object().unwrap().clone();
        for (schema, field, value) in LATER_FIELDS {
            let kind = if value.starts_with('"') { json!({"type": "string", "format": "int64"}) } else { json!({}) };
            schemas[*schema]["properties"].as_object_mut().unwrap().insert(field.to_string(), kind);
        }
        Generator { schemas, token, messages: Vec::new() }
    }

    /// `path`: dotted JSON path with `[]` for list items; `pointer` / `proto`: where it is.
    fn message(&mut self, name: &str, path: &str, pointer: &str, proto: &str) -> Value {
        self.messages.push((pointer.to_string(), proto.to_string()));
        let props = self.schemas[name]["properties"].as_object().unwrap().clone();
        let mut out = Map::new();
        for (field, p) in props {
            let path = if path.is_empty() { field.clone() } else { format!("{path}.{field}") };
            let value = match special(&path, self.token) {
                Some(v) => v,
                None => self.value(&p, &path, &format!("{pointer}/{field}"), &format!("{proto}.{}", snake(&field))),
            };
            if !value.is_null() {
                out.insert(field, value);
            }
        }
        Value::Object(out)
    }

    fn value(&mut self, p: &Value, path: &str, pointer: &str, proto: &str) -> Value {
        if let Some(r) = p["$ref"].as_str() {
            return self.message(r, path, pointer, proto);
        }
        match (p["type"].as_str(), p["format"].as_str()) {
            (Some("string"), Some("int64")) => json!("30"),
            (Some("integer"), _) => json!(1),
            (Some("boolean"), _) => json!(true),
            (Some("string"), _) => match p["enum"].as_array() {
                Some(values) => values.iter().find(|v| !v.as_str().unwrap().ends_with("UNSPECIFIED")).unwrap().clone(),
                None => json!("v"),
            },
            (Some("array"), _) => {
                json!([self.value(&p["items"], &format!("{path}[]"), &format!("{pointer}/0"), &format!("{proto}[0]"))])
            }
            (Some("object"), _) if p["additionalProperties"]["type"] == "any" => {
                json!({"@type": "type.googleapis.com/google.rpc.ErrorInfo"})
            }
            (Some("object"), _) => json!({"k": "v"}),
            other => panic!("unhandled {other:?} at {path}"),
        }
    }
}

/// The maximal Job and the (JSON pointer, front-end path) of each of its messages.
fn maximal_job(token: &'static str) -> (Value, Vec<(String, String)>) {
    let mut g = Generator::new(token);
    let body = g.message("Job", "", "", "job");
    (body, g.messages)
}

/// The maximal Job is accepted and round-trips: what was sent comes back, plus server fields.
fn maximal_job_round_trips() {
    for token in ["run", "start"] {
        let (body, _) = maximal_job(token);
        // The generator really filled the deep and the late fields.
        let ts = &body["spec"]["template"]["spec"]["template"]["spec"];
        for f in ["sandboxes", "nodeSelector", "terminationGracePeriodSeconds", "volumes"] {
            assert!(ts.get(f).is_some(), "{f} missing from the maximal job");
        }
        assert!(ts["volumes"][0]["filestore"].is_object() && ts["containers"][0]["livenessProbe"]["grpc"].is_object());
        assert!(body["status"]["latestCreatedExecution"]["completionStatus"].is_string());
        let mut sim = sim();
        let created_text = sim.clone().call_text("jobs.create", &json!({"body": body.clone()})).unwrap();
        let created = sim.call("jobs.create", &json!({"body": body})).unwrap_or_else(|e| panic!("{}", e.body()));
        let got = sim.call("jobs.get", &json!({"name": format!("max-{token}")})).unwrap();
        // Issue 10: answers written straight to text are byte for byte the value's text, with
        // every field of the schema present (the structs declare fields alphabetically).
        assert_eq!(created_text, created.to_string());
        assert_eq!(sim.read_text("jobs.get", &json!({"name": format!("max-{token}")})).unwrap(), got.to_string());
        for answer in [&created, &got] {
            // The spec comes back as sent, plus the one template default (R10).
            let mut spec = answer["spec"].clone();
            let annotations = spec["template"]["metadata"]["annotations"].as_object_mut().unwrap();
            assert_eq!(annotations.remove("run.googleapis.com/execution-environment"), Some(json!("gen2")));
            assert_eq!(spec, body["spec"], "the spec round-trips ({token})");
            // Client metadata is kept; server-set fields are added (R9); status is the server's.
            let meta = &answer["metadata"];
            for map in ["labels", "annotations"] {
                for (k, v) in body["metadata"][map].as_object().unwrap() {
                    assert_eq!(&meta[map][k], v, "metadata.{map}.{k}");
                }
            }
            assert_eq!(meta["namespace"], "123456789012");
            assert!(meta["uid"].as_str().unwrap() != "v", "uid is the server's");
        }
        assert_eq!(created["status"], json!({}));
    }
}

#[test]
fn d24_unknown_field_at_every_level_is_refused() {
    maximal_job_round_trips();
    let (body, messages) = maximal_job("run");
    assert!(messages.len() > 40, "only {} message levels generated", messages.len());
    let mut sim = sim();
    for (pointer, proto) in &messages {
        let mut bad = body.clone();
        let node = bad.pointer_mut(pointer).unwrap_or_else(|| panic!("{pointer}"));
        node.as_object_mut().unwrap().insert("bogusField".into(), json!(1));
        let e = refused(&mut sim, "jobs.create", json!({"body": bad}));
        let message = unknown("bogusField", proto);
        assert_eq!(e.message, message, "at {pointer}");
        assert_eq!(fields(&e), vec![proto.as_str()], "at {pointer}");
        assert_eq!(e.field_violations[0].description, message);
        assert_eq!(e.body()["error"]["details"][0]["fieldViolations"][0]["field"], json!(proto));
    }
    // replaceJob reads the same schema.
    sim.call("jobs.create", &json!({"body": body})).unwrap();
    let mut bad = body.clone();
    bad["spec"]["template"]["spec"]["template"]["spec"]["containers"][0]["env"][0]["valueFrom"]["secretKeyRef"]
        ["extra"] = json!("x");
    let e = refused(&mut sim, "jobs.replaceJob", json!({"name": "max-run", "body": bad}));
    assert_eq!(
        e.message,
        unknown("extra", "job.spec.template.spec.template.spec.containers[0].env[0].value_from.secret_key_ref")
    );
}

#[test]
fn d24_unknown_fields_are_all_reported_one_per_line() {
    let mut body = job("etl", IMAGE);
    body["futureTopLevel"] = json!(1);
    body["metadata"]["futureMeta"] = json!(2);
    let e = refused(&mut sim(), "jobs.create", json!({"body": body}));
    assert_eq!(fields(&e), vec!["job", "job.metadata"]);
    assert_eq!(e.message, format!("{}\n{}", unknown("futureTopLevel", "job"), unknown("futureMeta", "job.metadata")));
    // Every field the schema defines is kept, `status` included: gcloud sends it; it is ignored.
    let mut body = job("etl", IMAGE);
    body["status"] = json!({"latestCreatedExecution": {}, "observedGeneration": 7, "conditions": [{"type": "Ready"}]});
    let mut sim = sim();
    let created = sim.call("jobs.create", &json!({"body": body})).unwrap();
    assert_eq!(created["status"], json!({}));
}

#[test]
fn d24_run_request_overrides_fields_are_known_and_unknown_ones_refused() {
    let mut sim = sim();
    sim.call("jobs.create", &json!({"body": job("etl", IMAGE)})).unwrap();
    let overrides = json!({
        "containerOverrides": [{"name": "any", "args": ["a"], "clearArgs": false,
            "env": [{"name": "A", "value": "1", "valueFrom": {"secretKeyRef": {"name": "s", "key": "latest"}}}]}],
        "taskCount": 2, "timeoutSeconds": 30, "delayExecution": true});
    sim.call("jobs.run", &json!({"name": "etl", "body": {"overrides": overrides}})).unwrap();
    let cases = [
        (json!({"bogus": 1}), "bogus", ""),
        (json!({"overrides": {"bogus": 1}}), "bogus", "overrides"),
        (json!({"overrides": {"containerOverrides": [{"bogus": 1}]}}), "bogus", "overrides.container_overrides[0]"),
        (
            json!({"overrides": {"containerOverrides": [{"env": [{"name": "A", "bogus": 1}]}]}}),
            "bogus",
            "overrides.container_overrides[0].env[0]",
        ),
    ];
    for (body, name, path) in cases {
        let e = refused(&mut sim, "jobs.run", json!({"name": "etl", "body": body}));
        assert_eq!(e.message, unknown(name, path));
        assert_eq!(e.field_violations.len(), 1);
        // The whole-request body has no path: Google's front end omits `field` (D24).
        let field = &e.body()["error"]["details"][0]["fieldViolations"][0]["field"];
        assert_eq!(field, &if path.is_empty() { Value::Null } else { json!(path) });
    }
}

#[test]
fn d24_parameters_a_method_does_not_take_are_refused() {
    let mut sim = sim();
    sim.call("jobs.create", &json!({"body": job("etl", IMAGE)})).unwrap();
    let cases = [
        ("jobs.create", json!({"name": "etl", "body": job("etl2", IMAGE)}), "name"),
        ("jobs.create", json!({"latestOf": "etl", "body": job("etl2", IMAGE)}), "latestOf"),
        ("jobs.get", json!({"name": "etl", "body": {}}), "body"),
        ("jobs.list", json!({"name": "etl"}), "name"),
        ("jobs.delete", json!({"name": "etl", "body": {}}), "body"),
        ("tasks.list", json!({"latestOf": "etl"}), "latestOf"),
        ("executions.get", json!({"latestOf": "etl", "extra": 1}), "extra"),
    ];
    for (method, params, param) in cases {
        let e = refused(&mut sim, method, params);
        assert_eq!(e.message, unknown(param, ""), "{method}");
        assert_eq!(fields(&e), vec![param], "{method}");
    }
    // Query parameters too.
    let e = refused(&mut sim, "jobs.get", json!({"name": "etl", "query": {"view": "full"}}));
    assert_eq!((e.message.as_str(), fields(&e)), (unknown("view", "").as_str(), vec!["query.view"]));
    // CancelExecutionRequest has no fields.
    let run = sim.call("jobs.run", &json!({"name": "etl"})).unwrap();
    let name = run["metadata"]["name"].as_str().unwrap();
    let e = refused(&mut sim, "executions.cancel", json!({"name": name, "body": {"force": true}}));
    assert_eq!(e.message, unknown("force", ""));
    sim.call("executions.cancel", &json!({"name": name, "body": {}})).unwrap();
}

// ---------------------------------------------------------------------------------------------
// D23: field values, all at once.

#[test]
fn d23_all_violations_reported_at_once() {
    // Finding 9: a type error used to hide every other violation.
    let body = json!({"metadata": {"name": "Bad_Name"}, "spec": {"template": {"spec": {
        "taskCount": "x", "parallelism": "y",
        "template": {"spec": {"maxRetries": 99, "containers": [{"image": ""}]}}}}}});
    let e = refused(&mut sim(), "jobs.create", json!({"body": body}));
    let mut got = fields(&e);
    got.sort_unstable();
    assert_eq!(
        got,
        vec![
            "metadata.name",
            "spec.template.spec.parallelism",
            "spec.template.spec.taskCount",
            "spec.template.spec.template.spec.containers[0].image",
            "spec.template.spec.template.spec.maxRetries",
        ],
        "{}",
        e.body()
    );
    assert!(e.message.starts_with("5 invalid fields"), "{}", e.message);
    // Unknown names, type errors and value rules together, on replace too.
    let mut sim = sim();
    sim.call("jobs.create", &json!({"body": job("etl", IMAGE)})).unwrap();
    let mut body = job("etl", IMAGE);
    body["bogus"] = json!(1);
    body["spec"]["template"]["spec"]["taskCount"] = json!([3]);
    body["metadata"]["labels"] = json!({"BAD KEY!": "x"});
    let e = refused(&mut sim, "jobs.replaceJob", json!({"name": "etl", "body": body}));
    assert_eq!(fields(&e), vec!["job", "spec.template.spec.taskCount", r#"metadata.labels["BAD KEY!"]"#]);
}

#[test]
fn d23_garbage_values_are_refused_each_naming_its_field() {
    let c = "spec.template.spec.template.spec.containers[0]";
    let mut body = job("etl", IMAGE);
    body["metadata"]["labels"] = json!({"BAD KEY!": "x", "team": "not ok!", "run.googleapis.com/lastUpdatedTime": "2026-01-01T00:00:00.000000Z"});
    body["metadata"]["annotations"] = json!({"bad key": "x", "big": "x".repeat(256 * 1024)});
    body["spec"]["template"]["metadata"] = json!({"name": "tmpl", "labels": {"ok": ""}});
    body["spec"]["template"]["spec"]["template"]["spec"]["containers"][0] = json!({
        "image": IMAGE,
        "env": [{"value": "no name"}, {"name": "A=B"}, {"name": "1X"}, {"name": "GOOD_1"}],
        "resources": {"limits": {"cpu": "banana", "memory": "-5Gi", "gpu": "1"}},
        "ports": [{"containerPort": 99999}],
    });
    let e = refused(&mut sim(), "jobs.create", json!({"body": body}));
    let got = fields(&e);
    let want = [
        r#"metadata.labels["BAD KEY!"]"#.to_string(),
        r#"metadata.labels["team"]"#.into(),
        r#"metadata.annotations["bad key"]"#.into(),
        "metadata.annotations".into(),
        "spec.template.metadata.name".into(),
        format!("{c}.env[0].name"),
        format!("{c}.env[1].name"),
        format!("{c}.env[2].name"),
        format!(r#"{c}.resources.limits["cpu"]"#),
        format!(r#"{c}.resources.limits["gpu"]"#),
        format!(r#"{c}.resources.limits["memory"]"#),
        format!("{c}.ports[0].containerPort"),
    ];
    assert_eq!(got, want.iter().map(String::as_str).collect::<Vec<_>>(), "{}", e.body());
    let template = e.field_violations.iter().find(|v| v.field == "spec.template.metadata.name").unwrap();
    assert_eq!(template.description, "Template name must be unspecified.");
    // The limits that are valid pass: D23's examples.
    let mut ok = job("ok", IMAGE);
    ok["spec"]["template"]["spec"]["template"]["spec"]["containers"][0]["resources"] =
        json!({"limits": {"cpu": "1000m", "memory": "32Gi", "nvidia.com/gpu": "1"}});
    sim().call("jobs.create", &json!({"body": ok})).unwrap();
    for (cpu, memory) in [("8.5", "512Mi"), ("0", "512Mi"), ("1", "33Gi"), ("1", "0")] {
        let mut bad = job("bad", IMAGE);
        bad["spec"]["template"]["spec"]["template"]["spec"]["containers"][0]["resources"] =
            json!({"limits": {"cpu": cpu, "memory": memory}});
        refused(&mut sim(), "jobs.create", json!({"body": bad}));
    }
}

#[test]
fn d23_env_overrides_need_a_name() {
    let mut sim = sim();
    sim.call("jobs.create", &json!({"body": job("etl", IMAGE)})).unwrap();
    let body =
        json!({"overrides": {"containerOverrides": [{"env": [{"value": "1"}, {"name": "OK"}]}], "taskCount": "x"}});
    let e = refused(&mut sim, "jobs.run", json!({"name": "etl", "body": body}));
    assert_eq!(fields(&e), vec!["overrides.taskCount", "overrides.containerOverrides[0].env[0].name"], "{}", e.body());
}

#[test]
fn d23_int_fields_accept_decimal_strings() {
    let mut body = job("etl", IMAGE);
    let es = &mut body["spec"]["template"]["spec"];
    es["taskCount"] = json!("3");
    es["parallelism"] = json!("2");
    es["template"]["spec"]["maxRetries"] = json!("1");
    es["template"]["spec"]["timeoutSeconds"] = json!(120);
    es["template"]["spec"]["containers"][0]["ports"] = json!([{"containerPort": "8080"}]);
    let mut sim = sim();
    let created = sim.call("jobs.create", &json!({"body": body})).unwrap_or_else(|e| panic!("{}", e.body()));
    let es = &created["spec"]["template"]["spec"];
    assert_eq!((&es["taskCount"], &es["parallelism"]), (&json!(3), &json!(2)));
    assert_eq!(
        (&es["template"]["spec"]["maxRetries"], &es["template"]["spec"]["timeoutSeconds"]),
        (&json!(1), &json!("120"))
    );
    assert_eq!(es["template"]["spec"]["containers"][0]["ports"][0]["containerPort"], 8080);
    let run = sim
        .call("jobs.run", &json!({"name": "etl", "body": {"overrides": {"taskCount": "2", "timeoutSeconds": "30"}}}))
        .unwrap();
    assert_eq!(run["spec"]["taskCount"], 2);
    assert_eq!(run["spec"]["template"]["spec"]["timeoutSeconds"], "30");
    // Not integers, or beyond int32: refused, naming the field.
    for bad in [json!("3.5"), json!("three"), json!(2147483648i64), json!(1.5), json!(true)] {
        let mut body = job("x", IMAGE);
        body["spec"]["template"]["spec"]["taskCount"] = bad.clone();
        let e = refused(&mut sim, "jobs.create", json!({"body": body}));
        assert_eq!(fields(&e), vec!["spec.template.spec.taskCount"], "{bad}");
    }
}

// ---------------------------------------------------------------------------------------------
// R17: which container an override targets.

fn two_containers() -> Value {
    let mut body = job("duo", IMAGE);
    body["spec"]["template"]["spec"]["template"]["spec"]["containers"] =
        json!([{"name": "main", "image": IMAGE, "args": ["m"]}, {"name": "side", "image": IMAGE, "args": ["s"]}]);
    body
}

#[test]
fn r17_single_container_override_ignores_name() {
    // Finding 5: one container named `main`, an override named `other`.
    let mut body = job("etl", IMAGE);
    body["spec"]["template"]["spec"]["template"]["spec"]["containers"][0]["name"] = json!("main");
    Given::scenario(&json!({"profile": "instant"}))
        .given(&[json!({"call": "jobs.create", "body": body})])
        .when(json!({"call": "jobs.run", "name": "etl",
            "body": {"overrides": {"containerOverrides": [{"name": "other", "args": ["z"]}]}}}))
        .then_ok(|execution| {
            let c = &execution["spec"]["template"]["spec"]["containers"][0];
            assert_eq!((&c["name"], &c["args"]), (&json!("main"), &json!(["z"])));
        });
    // With several containers the name picks one; an unmatched or empty name is a 400.
    let mut sim = sim();
    sim.call("jobs.create", &json!({"body": two_containers()})).unwrap();
    let run = sim
        .call(
            "jobs.run",
            &json!({"name": "duo", "body": {"overrides": {"containerOverrides": [{"name": "side", "args": ["z"]}]}}}),
        )
        .unwrap();
    let cs = &run["spec"]["template"]["spec"]["containers"];
    assert_eq!((&cs[0]["args"], &cs[1]["args"]), (&json!(["m"]), &json!(["z"])));
    for name in ["other", ""] {
        let body = json!({"overrides": {"containerOverrides": [{"name": name, "args": ["z"]}]}});
        let e = refused(&mut sim, "jobs.run", json!({"name": "duo", "body": body}));
        assert_eq!(fields(&e), vec!["overrides.containerOverrides[0].name"]);
    }
}
