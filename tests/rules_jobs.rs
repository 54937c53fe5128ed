//! The jobs control plane, one test per rule of the spec (`§6 Simulator rules` and
//! `Decisions`): R1–R15, R30, R32, R33, D1–D3, D6, D8, D13, D15, D16. Each test is named after
//! the rule it pins and reads given → when → then (`jobsim_core::testing`).

use jobsim_core::testing::{given, job, Given};
use jobsim_core::time::{parse_resource_version, parse_timestamp};
use jobsim_core::{Error, ErrorCode, Simulator};
use serde_json::{json, Value};

const IMAGE: &str = "us-docker.pkg.dev/demo/etl:1";

fn instant() -> Given {
    Given::scenario(&json!({"profile": "instant"}))
}

fn create(body: Value) -> Value {
    json!({"call": "jobs.create", "body": body})
}

fn create_job(name: &str) -> Value {
    create(job(name, IMAGE))
}

fn get(name: &str) -> Value {
    json!({"call": "jobs.get", "name": name})
}

/// A job body changed by `edit`.
fn job_with(name: &str, edit: impl FnOnce(&mut Value)) -> Value {
    let mut body = job(name, IMAGE);
    edit(&mut body);
    body
}

fn task_spec(body: &mut Value) -> &mut Value {
    &mut body["spec"]["template"]["spec"]["template"]["spec"]
}

fn fields(e: &Error) -> Vec<&str> {
    e.field_violations.iter().map(|v| v.field.as_str()).collect()
}

fn call(sim: &mut Simulator, method: &str, params: Value) -> Value {
    match sim.call(method, &params) {
        Ok(v) => v,
        Err(e) => panic!("{method} {params}: {}", e.body()),
    }
}

fn names(list: &Value) -> Vec<&str> {
    list["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|i| i["metadata"]["name"].as_str()).collect())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Names, encoding, metadata

#[test]
fn r1_d1_invalid_job_names_are_400_with_a_metadata_name_violation() {
    let long = "a".repeat(64);
    for name in ["Etl", "etl_1", "-etl", "etl-", "et.l", "ét", long.as_str()] {
        given(&[]).when(create_job(name)).then_err(ErrorCode::InvalidArgument).with_error(|e| {
            assert_eq!(fields(e), ["metadata.name"], "{name}");
            assert!(e.field_violations[0].description.contains(&format!("[{name}]")), "{name}: {}", e.message);
            assert_eq!(e.body()["error"]["details"][0]["@type"], "type.googleapis.com/google.rpc.BadRequest");
        });
    }
    given(&[])
        .when(create_job(""))
        .then_err(ErrorCode::InvalidArgument)
        .with_error(|e| assert_eq!(fields(e), ["metadata.name"]));
}

#[test]
fn r1_names_of_1_to_63_lowercase_alphanumerics_and_inner_dashes_are_valid() {
    let longest = "a".repeat(63);
    for name in ["a", "0", "a-b-1", "9lives", longest.as_str()] {
        given(&[]).when(create_job(name)).then_ok(|job| assert_eq!(job["metadata"]["name"], name));
    }
}

#[test]
fn r1_replace_body_name_must_match_the_path_name() {
    given(&[create_job("etl")])
        .when(json!({"call": "jobs.replaceJob", "name": "etl", "body": job("other", IMAGE)}))
        .then_err(ErrorCode::InvalidArgument)
        .with_error(|e| assert_eq!(fields(e), ["metadata.name"]));
    // An empty body name takes the path's.
    given(&[create_job("etl")])
        .when(json!({"call": "jobs.replaceJob", "name": "etl", "body": job("", "us-docker.pkg.dev/demo/etl:2")}))
        .then_ok(|job| assert_eq!(job["metadata"]["name"], "etl"));
}

#[test]
fn r2_d16_namespace_by_id_or_number_and_responses_carry_the_number() {
    let world = json!({"project": {"id": "acme-prod", "number": "555000111222", "region": "europe-west1"}});
    Given::scenario(&world)
        .given(&[json!({"call": "jobs.create", "namespace": "acme-prod", "body": job("etl", IMAGE)})])
        .when(json!({"call": "jobs.get", "name": "etl", "namespace": "555000111222"}))
        .then_ok(|job| {
            assert_eq!(job["metadata"]["namespace"], "555000111222");
            assert_eq!(job["metadata"]["selfLink"], "/apis/run.googleapis.com/v1/namespaces/555000111222/jobs/etl");
            assert_eq!(job["metadata"]["labels"]["cloud.googleapis.com/location"], "europe-west1");
        })
        .then(|sim| {
            let e = call(sim, "jobs.run", json!({"name": "etl", "namespace": "acme-prod"}));
            let name = e["metadata"]["name"].as_str().unwrap_or_default();
            assert_eq!(e["metadata"]["namespace"], "555000111222");
            assert_eq!(
                e["metadata"]["selfLink"],
                format!("/apis/run.googleapis.com/v1/namespaces/555000111222/executions/{name}")
            );
        });
}

#[test]
fn d16_another_namespace_is_404_and_a_body_namespace_must_be_the_project() {
    given(&[])
        .when(json!({"call": "jobs.create", "namespace": "someone-else", "body": job("etl", IMAGE)}))
        .then_err(ErrorCode::NotFound);
    given(&[])
        .when(create(job_with("etl", |b| b["metadata"]["namespace"] = json!("someone-else"))))
        .then_err(ErrorCode::InvalidArgument)
        .with_error(|e| assert_eq!(fields(e), ["metadata.namespace"]));
    // The defaults of the simulated world (D16).
    given(&[create_job("etl")]).when(get("etl")).then_ok(|job| {
        assert_eq!(job["metadata"]["namespace"], "123456789012");
        assert_eq!(job["metadata"]["annotations"]["run.googleapis.com/creator"], "simulator@example.com");
        assert_eq!(job["metadata"]["labels"]["cloud.googleapis.com/location"], "us-central1");
    });
    given(&[]).when(get("nope")).then_err(ErrorCode::NotFound).with_error(|e| {
        assert_eq!(
            e.message,
            "Resource 'nope' of kind 'JOB' in region 'us-central1' in project 'demo-project' does not exist."
        )
    });
}

#[test]
fn r3_execution_names_are_the_job_and_5_characters_of_the_utilrand_alphabet() {
    let mut sim = instant().given(&[create_job("etl")]).into_simulator();
    let mut seen = Vec::new();
    for _ in 0..20 {
        let e = call(&mut sim, "jobs.run", json!({"name": "etl"}));
        let name = e["metadata"]["name"].as_str().unwrap_or_default().to_string();
        let suffix = name.strip_prefix("etl-").unwrap_or_default();
        assert_eq!(suffix.len(), 5, "{name}");
        assert!(suffix.chars().all(|c| "bcdfghjklmnpqrstvwxz2456789".contains(c)), "{name}");
        assert!(!seen.contains(&name), "{name} drawn twice");
        seen.push(name);
    }
}

#[test]
fn r4_token_execution_names_are_job_dash_token_and_must_stay_under_63() {
    instant()
        .when(create(job_with("etl", |b| b["spec"]["startExecutionToken"] = json!("nightly-1"))))
        .then_ok(|_| {})
        .then(|sim| {
            let e = call(sim, "executions.get", json!({"name": "etl-nightly-1"}));
            assert_eq!(e["metadata"]["labels"]["run.googleapis.com/job"], "etl");
        });
    let job_name = "j".repeat(30);
    let token = "t".repeat(32); // 30 + 32 = 62 < 63: fine
    given(&[]).when(create(job_with(&job_name, |b| b["spec"]["runExecutionToken"] = json!(token)))).then_ok(|_| {});
    let token = "t".repeat(33); // 63: too long
    given(&[])
        .when(create(job_with(&job_name, |b| b["spec"]["runExecutionToken"] = json!(token))))
        .then_err(ErrorCode::InvalidArgument)
        .with_error(|e| assert_eq!(fields(e), ["spec.runExecutionToken"]));
}

#[test]
fn r5_task_names_are_the_execution_then_task_and_the_index() {
    let mut sim = instant()
        .given(&[create(job_with("etl", |b| b["spec"]["template"]["spec"]["taskCount"] = json!(3)))])
        .into_simulator();
    let e = call(&mut sim, "jobs.run", json!({"name": "etl"}));
    let exec = e["metadata"]["name"].as_str().unwrap_or_default().to_string();
    let tasks = call(
        &mut sim,
        "tasks.list",
        json!({"query": {"labelSelector": format!("run.googleapis.com/execution={exec}")}}),
    );
    assert_eq!(names(&tasks), [format!("{exec}-task0"), format!("{exec}-task1"), format!("{exec}-task2")]);
    let t = call(&mut sim, "tasks.get", json!({"name": format!("{exec}-task2")}));
    assert_eq!(t["status"]["index"], 2);
}

fn is_six_digit_utc(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 27
        && s.ends_with('Z')
        && b[19] == b'.'
        && b[20..26].iter().all(u8::is_ascii_digit)
        && parse_timestamp(s).is_ok()
}

#[test]
fn r6_timestamps_are_rfc3339_utc_with_6_digits_and_offsets_are_accepted_on_input() {
    Given::scenario(&json!({"start": "2026-03-01T09:30:00+02:00", "profile": "instant"}))
        .given(&[create_job("etl")])
        .when(get("etl"))
        .then_ok(|job| {
            assert_eq!(job["metadata"]["creationTimestamp"], "2026-03-01T07:30:00.000000Z");
            for ts in [
                &job["metadata"]["creationTimestamp"],
                &job["metadata"]["labels"]["run.googleapis.com/lastUpdatedTime"],
                &job["status"]["conditions"][0]["lastTransitionTime"],
            ] {
                assert!(ts.as_str().is_some_and(is_six_digit_utc), "{ts}");
            }
        });
    given(&[create_job("etl")])
        .when(json!({"advanceTo": "2026-01-01T00:00:01.5+00:00"}))
        .then_ok(|outcome| assert_eq!(outcome["now"], "2026-01-01T00:00:01.500000Z"));
}

#[test]
fn r7_resource_version_encodes_the_last_write_and_uid_is_a_uuid4() {
    given(&[create_job("etl"), json!({"advance": "1.25s"})])
        .when(json!({"call": "jobs.replaceJob", "name": "etl", "body": job("etl", "us-docker.pkg.dev/demo/etl:2")}))
        .then_ok(|job| {
            let meta = &job["metadata"];
            let rv = meta["resourceVersion"].as_str().unwrap_or_default();
            assert_eq!(rv.len(), 11);
            assert_eq!(parse_resource_version(rv), parse_timestamp("2026-01-01T00:00:01.250000Z").ok());
            assert_eq!(meta["labels"]["run.googleapis.com/lastUpdatedTime"], "2026-01-01T00:00:01.250000Z");
            let uid = meta["uid"].as_str().unwrap_or_default();
            let parts: Vec<&str> = uid.split('-').collect();
            assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), [8, 4, 4, 4, 12], "{uid}");
            assert!(parts[2].starts_with('4'), "version 4: {uid}");
            assert!(matches!(&parts[3][..1], "8" | "9" | "a" | "b"), "variant: {uid}");
        });
}

#[test]
fn r8_zero_values_are_omitted_int64s_are_strings_and_an_explicit_max_retries_0_stays() {
    given(&[])
        .when(create(job_with("etl", |b| {
            task_spec(b)["maxRetries"] = json!(0);
            task_spec(b)["containers"][0]["name"] = json!("");
            task_spec(b)["nodeSelector"] = json!({});
            b["metadata"]["labels"] = json!({});
        })))
        .then_ok(|job| {
            let ts = &job["spec"]["template"]["spec"]["template"]["spec"];
            assert_eq!(ts["maxRetries"], 0);
            assert_eq!(ts["timeoutSeconds"], "600");
            assert_eq!(job["spec"]["template"]["spec"]["taskCount"], 1);
            assert!(ts.get("nodeSelector").is_none());
            assert!(ts["containers"][0].get("name").is_none());
            assert!(job["spec"]["template"]["spec"].get("parallelism").is_none());
            assert_eq!(job["status"], json!({}));
        });
}

// ---------------------------------------------------------------------------------------------
// Job lifecycle

#[test]
fn r9_create_stores_generation_1_with_server_labels_and_annotations_and_status_empty() {
    given(&[]).when(create(job_with("etl", |b| b["metadata"]["labels"] = json!({"team": "data"})))).then_ok(|job| {
        let meta = &job["metadata"];
        assert_eq!(meta["generation"], 1);
        assert_eq!(meta["labels"]["team"], "data");
        assert_eq!(meta["labels"]["cloud.googleapis.com/location"], "us-central1");
        assert_eq!(meta["labels"]["run.googleapis.com/lastUpdatedTime"], "2026-01-01T00:00:00.000000Z");
        for key in ["run.googleapis.com/creator", "run.googleapis.com/lastModifier"] {
            assert_eq!(meta["annotations"][key], "simulator@example.com");
        }
        assert!(meta["annotations"]["run.googleapis.com/operation-id"].is_string());
        assert_eq!(job["status"], json!({}));
    });
}

#[test]
fn r9_create_existing_name_is_409_already_exists() {
    given(&[create_job("etl")])
        .when(create(job("etl", "us-docker.pkg.dev/demo/other:1")))
        .then_err(ErrorCode::AlreadyExists)
        .with_error(|e| assert_eq!(e.message, "Resource 'etl' already exists."));
}

#[test]
fn r9_create_while_the_same_name_is_being_deleted_is_409() {
    given(&[create_job("etl"), json!({"advance": "2s"}), json!({"call": "jobs.delete", "name": "etl"})])
        .when(create_job("etl"))
        .then_err(ErrorCode::AlreadyExists)
        .then(|sim| {
            sim.advance(&json!("1s")).unwrap();
            call(sim, "jobs.create", json!({"body": job("etl", IMAGE)}));
        });
}

#[test]
fn r10_defaults_are_filled_in() {
    given(&[]).when(create_job("etl")).then_ok(|job| {
        assert_eq!(
            job["spec"],
            json!({"template": {
                "metadata": {"annotations": {"run.googleapis.com/execution-environment": "gen2"}},
                "spec": {"taskCount": 1, "template": {"spec": {
                    "containers": [{"image": IMAGE, "resources": {"limits": {"cpu": "1000m", "memory": "512Mi"}}}],
                    "maxRetries": 3,
                    "serviceAccountName": "123456789012-compute@developer.gserviceaccount.com",
                    "timeoutSeconds": "600"}}}}})
        );
    });
}

#[test]
fn r10_given_values_are_kept_and_only_missing_ones_defaulted() {
    given(&[])
        .when(create(job_with("etl", |b| {
            b["spec"]["template"]["spec"]["taskCount"] = json!(0);
            b["spec"]["template"]["metadata"] =
                json!({"annotations": {"run.googleapis.com/execution-environment": "gen1"}});
            let ts = task_spec(b);
            ts["maxRetries"] = json!(0);
            ts["timeoutSeconds"] = json!(3600);
            ts["serviceAccountName"] = json!("etl@demo-project.iam.gserviceaccount.com");
            ts["containers"][0]["resources"] = json!({"limits": {"cpu": "2"}});
        })))
        .then_ok(|job| {
            let es = &job["spec"]["template"]["spec"];
            assert_eq!(es["taskCount"], 1, "0 means absent");
            assert_eq!(
                job["spec"]["template"]["metadata"]["annotations"]["run.googleapis.com/execution-environment"],
                "gen1"
            );
            let ts = &es["template"]["spec"];
            assert_eq!(ts["maxRetries"], 0);
            assert_eq!(ts["timeoutSeconds"], "3600");
            assert_eq!(ts["serviceAccountName"], "etl@demo-project.iam.gserviceaccount.com");
            assert_eq!(ts["containers"][0]["resources"]["limits"], json!({"cpu": "2", "memory": "512Mi"}));
        });
}

#[test]
fn r11_out_of_range_values_are_400_naming_the_field() {
    let es = "spec.template.spec";
    let ts = "spec.template.spec.template.spec";
    let cases: Vec<(&str, Value, String)> = vec![
        ("taskCount", json!({"taskCount": 10001}), format!("{es}.taskCount")),
        ("taskCount", json!({"taskCount": -1}), format!("{es}.taskCount")),
        ("parallelism", json!({"parallelism": -1}), format!("{es}.parallelism")),
        ("parallelism", json!({"taskCount": 2, "parallelism": 3}), format!("{es}.parallelism")),
        ("maxRetries", json!({"maxRetries": -1}), format!("{ts}.maxRetries")),
        ("maxRetries", json!({"maxRetries": 11}), format!("{ts}.maxRetries")),
        ("timeoutSeconds", json!({"timeoutSeconds": "0"}), format!("{ts}.timeoutSeconds")),
        ("timeoutSeconds", json!({"timeoutSeconds": "604801"}), format!("{ts}.timeoutSeconds")),
        ("containers", json!({"containers": []}), format!("{ts}.containers")),
        ("image", json!({"containers": [{"image": ""}]}), format!("{ts}.containers[0].image")),
    ];
    for (what, change, field) in cases {
        let body = job_with("etl", |b| {
            for (k, v) in change.as_object().into_iter().flatten() {
                if matches!(k.as_str(), "taskCount" | "parallelism") {
                    b["spec"]["template"]["spec"][k] = v.clone();
                } else {
                    task_spec(b)[k] = v.clone();
                }
            }
        });
        given(&[])
            .when(create(body))
            .then_err(ErrorCode::InvalidArgument)
            .with_error(|e| assert_eq!(fields(e), [field.as_str()], "{what} {change}"));
    }
}

#[test]
fn r11_values_at_the_edges_of_the_ranges_are_accepted() {
    given(&[])
        .when(create(job_with("etl", |b| {
            b["spec"]["template"]["spec"]["taskCount"] = json!(10000);
            b["spec"]["template"]["spec"]["parallelism"] = json!(10000);
            task_spec(b)["maxRetries"] = json!(10);
            task_spec(b)["timeoutSeconds"] = json!("604800");
        })))
        .then_ok(|_| {});
    given(&[]).when(create(job_with("etl", |b| task_spec(b)["timeoutSeconds"] = json!(1)))).then_ok(|_| {});
}

#[test]
fn r11_clear_args_with_args_in_a_run_override_is_400() {
    instant()
        .given(&[create_job("etl")])
        .when(json!({"call": "jobs.run", "name": "etl",
            "body": {"overrides": {"containerOverrides": [{"args": ["--full"], "clearArgs": true}]}}}))
        .then_err(ErrorCode::InvalidArgument)
        .with_error(|e| assert_eq!(fields(e), ["overrides.containerOverrides[0].args"]));
}

#[test]
fn r12_after_create_ready_is_unknown_with_retry_then_true_one_reconcile_later() {
    given(&[create_job("etl")])
        .when(get("etl"))
        .then_ok(|job| {
            assert_eq!(job["status"]["observedGeneration"], 1);
            let c = &job["status"]["conditions"];
            assert_eq!(
                c[0],
                json!({"type": "Ready", "status": "Unknown", "lastTransitionTime": "2026-01-01T00:00:00.000000Z"})
            );
            assert_eq!(
                c[1],
                json!({"type": "Retry", "status": "True", "reason": "ImmediateRetry", "severity": "Info",
                    "message": "System will retry after 0:00:00 from lastTransitionTime for attempt 0.",
                    "lastTransitionTime": "2026-01-01T00:00:00.000000Z"})
            );
        })
        .then(|sim| {
            sim.advance(&json!("1s")).unwrap();
            let job = call(sim, "jobs.get", json!({"name": "etl"}));
            assert_eq!(
                job["status"]["conditions"],
                json!([{"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:00:01.000000Z"}])
            );
        });
}

#[test]
fn r12_a_missing_image_makes_ready_false_container_missing() {
    let image = "us-docker.pkg.dev/demo/etl:does-not-exist";
    Given::scenario(&json!({"profile": "instant", "settings": {"missingImages": [image]}}))
        .given(&[create(job("etl", image))])
        .when(get("etl"))
        .then_ok(|job| {
            let ready = &job["status"]["conditions"][0];
            assert_eq!(ready["status"], "False");
            assert_eq!(ready["reason"], "ContainerMissing");
            assert_eq!(ready["message"], format!("Image '{image}' not found."));
            assert_eq!(job["status"]["conditions"].as_array().map(Vec::len), Some(1), "no Retry once decided");
        });
}

#[test]
fn r13_replace_of_a_missing_job_is_404() {
    given(&[])
        .when(json!({"call": "jobs.replaceJob", "name": "etl", "body": job("etl", IMAGE)}))
        .then_err(ErrorCode::NotFound);
}

#[test]
fn r13_replace_bumps_generation_renews_operation_id_and_answers_the_previous_status() {
    let mut before = Value::Null;
    given(&[create_job("etl"), json!({"advance": "2s"})])
        .then_capture(&mut before)
        .when(json!({"call": "jobs.replaceJob", "name": "etl", "body": job_with("etl", |b| {
            task_spec(b)["containers"][0]["image"] = json!("us-docker.pkg.dev/demo/etl:2");
            b["metadata"]["labels"] = json!({"team": "data"});
            b["metadata"]["annotations"] = json!({"note": "v2", "run.googleapis.com/creator": "mallory@example.com"});
            // Output-only parts a client echoes back are ignored.
            b["metadata"]["generation"] = json!(41);
            b["metadata"]["uid"] = json!("00000000-0000-4000-8000-000000000000");
            b["status"] = json!({"observedGeneration": 41});
        })}))
        .then_ok(|job| {
            let meta = &job["metadata"];
            assert_eq!(meta["generation"], 2);
            assert_eq!(meta["uid"], before["metadata"]["uid"]);
            assert_eq!(meta["labels"]["team"], "data");
            assert_eq!(meta["labels"]["cloud.googleapis.com/location"], "us-central1");
            assert_eq!(meta["labels"]["run.googleapis.com/lastUpdatedTime"], "2026-01-01T00:00:02.000000Z");
            assert_eq!(meta["annotations"]["note"], "v2");
            assert_eq!(meta["annotations"]["run.googleapis.com/creator"], "simulator@example.com");
            assert_ne!(
                meta["annotations"]["run.googleapis.com/operation-id"],
                before["metadata"]["annotations"]["run.googleapis.com/operation-id"]
            );
            assert_eq!(job["status"], before["status"], "the response keeps the previous status");
            assert_eq!(job["status"]["observedGeneration"], 1);
        })
        .then(|sim| {
            sim.advance(&json!("1s")).unwrap();
            let job = call(sim, "jobs.get", json!({"name": "etl"}));
            assert_eq!(job["status"]["observedGeneration"], 2);
            assert_eq!(job["status"]["conditions"][0]["status"], "True");
        });
}

/// Reads the job `etl` into `slot` (for tests that compare before and after).
trait Capture {
    fn then_capture(self, slot: &mut Value) -> Self;
}

impl Capture for Given {
    fn then_capture(mut self, slot: &mut Value) -> Self {
        *slot = call(self.simulator_mut(), "jobs.get", json!({"name": "etl"}));
        self
    }
}

#[test]
fn r14_a_stale_resource_version_is_409_aborted_and_the_current_one_is_accepted() {
    let mut current = Value::Null;
    given(&[create_job("etl"), json!({"advance": "2s"})])
        .then_capture(&mut current)
        .when(json!({"call": "jobs.replaceJob", "name": "etl",
            "body": job_with("etl", |b| b["metadata"]["resourceVersion"] = json!("AAZHSEYgQAA"))}))
        .then_err(ErrorCode::Aborted)
        .with_error(|e| assert_eq!(e.http_status(), 409))
        .then(|sim| {
            let rv = current["metadata"]["resourceVersion"].clone();
            let body = job_with("etl", |b| b["metadata"]["resourceVersion"] = rv);
            call(sim, "jobs.replaceJob", json!({"name": "etl", "body": body}));
            // Absent or empty disables the check.
            let body = job_with("etl", |b| b["metadata"]["resourceVersion"] = json!(""));
            call(sim, "jobs.replaceJob", json!({"name": "etl", "body": body}));
        });
}

#[test]
fn r15_a_job_may_hold_at_most_one_token() {
    given(&[])
        .when(create(job_with("etl", |b| {
            b["spec"]["startExecutionToken"] = json!("a");
            b["spec"]["runExecutionToken"] = json!("b");
        })))
        .then_err(ErrorCode::InvalidArgument)
        .with_error(|e| assert_eq!(fields(e), ["spec"]));
}

#[test]
fn r9_r15_create_with_a_token_answers_status_empty_though_the_execution_exists() {
    given(&[])
        .when(create(job_with("etl", |b| b["spec"]["startExecutionToken"] = json!("s1"))))
        .then_ok(|job| assert_eq!(job["status"], json!({})))
        .then_events(&["JobCreated", "ExecutionCreated", "JobReconcileStarted"])
        .then(|sim| {
            let job = call(sim, "jobs.get", json!({"name": "etl"}));
            assert_eq!(job["status"]["executionCount"], 1);
        });
}

#[test]
fn r13_r15_replace_with_a_new_token_answers_the_previous_status() {
    let mut before = Value::Null;
    given(&[create_job("etl"), json!({"advance": "2s"})])
        .then_capture(&mut before)
        .when(json!({"call": "jobs.replaceJob", "name": "etl",
            "body": job_with("etl", |b| b["spec"]["runExecutionToken"] = json!("r1"))}))
        .then_ok(|job| {
            assert_eq!(job["status"], before["status"]);
            assert!(job["status"].get("executionCount").is_none());
        })
        .then(|sim| {
            let job = call(sim, "jobs.get", json!({"name": "etl"}));
            assert_eq!(job["status"]["latestCreatedExecution"]["name"], "etl-r1");
        });
}

#[test]
fn r15_a_start_token_runs_an_execution_and_ready_waits_for_its_start() {
    given(&[create(job_with("etl", |b| b["spec"]["startExecutionToken"] = json!("s1"))), json!({"advance": "1s"})])
        .when(get("etl"))
        .then_ok(|job| {
            assert_eq!(job["status"]["conditions"][0]["status"], "Unknown", "execution not started yet");
            assert_eq!(job["status"]["latestCreatedExecution"]["name"], "etl-s1");
        })
        .then(|sim| {
            sim.advance(&json!("2s")).unwrap(); // Started at 2.7 s (D15)
            let job = call(sim, "jobs.get", json!({"name": "etl"}));
            assert_eq!(job["status"]["conditions"][0]["status"], "True");
            let e = call(sim, "executions.get", json!({"name": "etl-s1"}));
            assert!(e["status"]["startTime"].is_string());
        });
}

#[test]
fn r15_a_run_token_makes_ready_true_when_its_execution_completes() {
    given(&[create(job_with("etl", |b| b["spec"]["runExecutionToken"] = json!("r1"))), json!({"advance": "5s"})])
        .when(get("etl"))
        .then_ok(|job| assert_eq!(job["status"]["conditions"][0]["status"], "Unknown", "started, not completed"))
        .then(|sim| {
            sim.run_until_idle().unwrap();
            let job = call(sim, "jobs.get", json!({"name": "etl"}));
            assert_eq!(job["status"]["conditions"][0]["status"], "True");
            assert_eq!(job["status"]["latestCreatedExecution"]["completionStatus"], "EXECUTION_SUCCEEDED");
        });
}

#[test]
fn r15_d7_re_sending_the_same_token_creates_nothing_and_a_new_one_runs_again() {
    let with_token = |t: &str| job_with("etl", |b| b["spec"]["runExecutionToken"] = json!(t));
    instant()
        .given(&[create(with_token("r1")), json!({"runUntilIdle": true})])
        .when(json!({"call": "jobs.replaceJob", "name": "etl", "body": with_token("r1")}))
        .then_events(&["JobReplaced", "JobReconcileStarted", "JobReconciled"])
        .then(|sim| {
            let list = call(sim, "executions.list", json!({}));
            assert_eq!(names(&list), ["etl-r1"]);
            call(sim, "jobs.replaceJob", json!({"name": "etl", "body": with_token("r2")}));
            sim.run_until_idle().unwrap();
            let list = call(sim, "executions.list", json!({}));
            assert_eq!(names(&list), ["etl-r1", "etl-r2"], "same instant (instant profile): ties by name (D8)");
            let job = call(sim, "jobs.get", json!({"name": "etl"}));
            assert_eq!(job["status"]["executionCount"], 2);
        });
}

#[test]
fn r15_d7_a_failed_token_execution_makes_ready_false_with_its_reason() {
    Given::scenario(&json!({"profile": "instant", "faults": [{"job": "etl", "exitCode": 3}]}))
        .given(&[
            create(job_with("etl", |b| {
                b["spec"]["runExecutionToken"] = json!("r1");
                task_spec(b)["maxRetries"] = json!(0);
            })),
            json!({"runUntilIdle": true}),
        ])
        .when(get("etl"))
        .then_ok(|job| {
            let ready = &job["status"]["conditions"][0];
            assert_eq!(ready["status"], "False");
            assert_eq!(ready["reason"], "NonZeroExitCode");
            assert_eq!(ready["message"], "Task etl-r1-task0 failed with message: The container exited with an error.");
        });
}

// ---------------------------------------------------------------------------------------------
// Delete

#[test]
fn r30_delete_of_a_missing_job_is_404() {
    given(&[]).when(json!({"call": "jobs.delete", "name": "etl"})).then_err(ErrorCode::NotFound);
}

#[test]
fn r30_delete_answers_a_status_marks_the_job_then_removes_it_and_frees_the_name() {
    let mut before = Value::Null;
    given(&[create_job("etl"), json!({"advance": "2s"})])
        .then_capture(&mut before)
        .when(json!({"call": "jobs.delete", "name": "etl"}))
        .then_ok(|status| {
            assert_eq!(status["status"], "Success");
            assert_eq!(
                status["details"],
                json!({"group": "v1", "kind": "job", "name": "etl", "uid": before["metadata"]["uid"]})
            );
            let reason = status["reason"].as_str().unwrap_or_default();
            assert_eq!(reason.len(), 36, "a UUID: {reason}");
            assert!(status.get("code").is_none());
        })
        .then(|sim| {
            let deleting = call(sim, "jobs.get", json!({"name": "etl"}));
            assert_eq!(deleting["metadata"]["deletionTimestamp"], "2026-01-01T00:00:02.000000Z");
            assert_eq!(deleting["metadata"]["finalizers"], json!(["JobFinalizer"]));
            assert_eq!(deleting["metadata"]["generation"], 2);
            sim.advance(&json!("1s")).unwrap();
            assert_eq!(sim.call("jobs.get", &json!({"name": "etl"})).map_err(|e| e.code), Err(ErrorCode::NotFound));
            call(sim, "jobs.create", json!({"body": job("etl", IMAGE)}));
        });
}

#[test]
fn r30_d2_delete_with_a_running_execution_needs_force() {
    let running = given(&[create_job("etl"), json!({"advance": "1s"}), json!({"call": "jobs.run", "name": "etl"})]);
    running
        .clone()
        .when(json!({"call": "jobs.delete", "name": "etl"}))
        .then_err(ErrorCode::FailedPrecondition)
        .with_error(|e| assert_eq!(e.http_status(), 400));
    running
        .when(json!({"call": "jobs.delete", "name": "etl", "query": {"force": true}}))
        .then_ok(|status| assert_eq!(status["status"], "Success"))
        .then(|sim| {
            let e = call(sim, "executions.get", json!({"latestOf": "etl"}));
            assert_eq!(e["status"]["conditions"][0]["reason"], "Cancelled");
            let exec = e["metadata"]["name"].as_str().unwrap_or_default().to_string();
            sim.advance(&json!("1s")).unwrap();
            for (method, name) in [("executions.get", exec.clone()), ("tasks.get", format!("{exec}-task0"))] {
                assert_eq!(sim.call(method, &json!({"name": name})).map_err(|e| e.code), Err(ErrorCode::NotFound));
            }
            assert_eq!(names(&call(sim, "executions.list", json!({}))), Vec::<&str>::new());
        });
}

// ---------------------------------------------------------------------------------------------
// Reads and errors

/// Four jobs created a second apart, with labels to select on.
fn labelled_jobs() -> Given {
    let with_labels = |name: &str, labels: Value| create(job_with(name, |b| b["metadata"]["labels"] = labels));
    given(&[
        with_labels("a", json!({"team": "data", "env": "prod"})),
        json!({"advance": "1s"}),
        with_labels("b", json!({"team": "ml", "env": "staging"})),
        json!({"advance": "1s"}),
        with_labels("c", json!({"team": "data"})),
        json!({"advance": "1s"}),
        with_labels("d", json!({"team": "web", "env": "prod", "legacy": "true"})),
    ])
}

#[test]
fn r32_label_selectors_filter_lists() {
    let cases: &[(&str, &[&str])] = &[
        ("", &["d", "c", "b", "a"]),
        ("team=data", &["c", "a"]),
        ("team==data", &["c", "a"]),
        ("team!=data", &["d", "b"]),
        ("env in (prod,staging)", &["d", "b", "a"]),
        ("env notin (prod)", &["c", "b"]),
        ("env notIn (prod)", &["c", "b"]),
        ("env", &["d", "b", "a"]),
        ("!env", &["c"]),
        ("team=data,env=prod", &["a"]),
        ("cloud.googleapis.com/location=us-central1,!legacy", &["c", "b", "a"]),
        ("team=nobody", &[]),
    ];
    for (selector, expected) in cases {
        labelled_jobs().when(json!({"call": "jobs.list", "query": {"labelSelector": selector}})).then_ok(|list| {
            assert_eq!(list["kind"], "JobsList");
            assert_eq!(list["apiVersion"], "run.googleapis.com/v1");
            assert_eq!(names(list), *expected, "{selector:?}");
        });
    }
}

#[test]
fn r32_d8_limit_pages_and_continue_tokens_walk_the_list_without_overlap() {
    let mut sim = labelled_jobs().into_simulator();
    let mut seen = Vec::new();
    let mut token = String::new();
    let mut pages = 0;
    loop {
        let page = call(&mut sim, "jobs.list", json!({"query": {"limit": 3, "continue": token}}));
        seen.extend(names(&page).into_iter().map(String::from));
        pages += 1;
        token = page["metadata"]["continue"].as_str().unwrap_or_default().to_string();
        if token.is_empty() {
            break;
        }
    }
    assert_eq!(pages, 2);
    assert_eq!(seen, ["d", "c", "b", "a"]);
    // An exact fit leaves no token behind.
    let page = call(&mut sim, "jobs.list", json!({"query": {"limit": 4}}));
    assert!(page["metadata"].get("continue").is_none(), "{page}");
    // Selectors and paging combine; `limit` may be a string (as in a URL).
    let page = call(&mut sim, "jobs.list", json!({"query": {"labelSelector": "env", "limit": "2"}}));
    assert_eq!(names(&page), ["d", "b"]);
    let next = page["metadata"]["continue"].clone();
    let page = call(&mut sim, "jobs.list", json!({"query": {"labelSelector": "env", "limit": 2, "continue": next}}));
    assert_eq!(names(&page), ["a"]);
}

#[test]
fn r32_executions_are_selected_by_the_labels_of_their_job() {
    let mut sim = instant().given(&[create_job("etl"), create_job("report")]).into_simulator();
    let e1 = call(&mut sim, "jobs.run", json!({"name": "etl"}));
    call(&mut sim, "jobs.run", json!({"name": "report"}));
    let list = call(&mut sim, "executions.list", json!({"query": {"labelSelector": "run.googleapis.com/job=etl"}}));
    assert_eq!(list["kind"], "ExecutionsList");
    assert_eq!(names(&list), [e1["metadata"]["name"].as_str().unwrap_or_default()]);
}

#[test]
fn d8_lists_are_newest_first_ties_by_name_and_tasks_by_index() {
    let mut sim = instant()
        .given(&[
            create_job("mid"),
            json!({"advance": "1s"}),
            create_job("zeta"),
            create_job("alpha"),
            json!({"advance": "1s"}),
            create(job_with("new", |b| b["spec"]["template"]["spec"]["taskCount"] = json!(12))),
        ])
        .into_simulator();
    assert_eq!(names(&call(&mut sim, "jobs.list", json!({}))), ["new", "alpha", "zeta", "mid"]);
    let e = call(&mut sim, "jobs.run", json!({"name": "new"}));
    let exec = e["metadata"]["name"].as_str().unwrap_or_default().to_string();
    let tasks = call(
        &mut sim,
        "tasks.list",
        json!({"query": {"labelSelector": format!("run.googleapis.com/execution={exec}")}}),
    );
    let expected: Vec<String> = (0..12).map(|i| format!("{exec}-task{i}")).collect();
    assert_eq!(names(&tasks), expected, "task10 after task9, not after task1");
}

#[test]
fn d8_a_tampered_or_foreign_continue_token_is_400() {
    let mut sim = labelled_jobs().into_simulator();
    let page = call(&mut sim, "jobs.list", json!({"query": {"limit": 1}}));
    let token = page["metadata"]["continue"].as_str().unwrap_or_default().to_string();
    assert!(!token.is_empty());
    let mut tampered = token.clone();
    let last = tampered.pop().map(|c| if c == '0' { '1' } else { '0' }).unwrap_or('0');
    tampered.push(last);
    let foreign = {
        // The same list in a world with another seed issues another token.
        let mut other =
            Given::scenario(&json!({"seed": 99})).given(&[create_job("a"), create_job("b")]).into_simulator();
        let p = call(&mut other, "jobs.list", json!({"query": {"limit": 1}}));
        p["metadata"]["continue"].as_str().unwrap_or_default().to_string()
    };
    for bad in [tampered.as_str(), "not-a-token", "zz.0000000000000000", foreign.as_str()] {
        labelled_jobs()
            .when(json!({"call": "jobs.list", "query": {"continue": bad}}))
            .then_err(ErrorCode::InvalidArgument)
            .with_error(|e| assert_eq!(fields(e), ["query.continue"], "{bad}"));
    }
    // A jobs token is not an executions token.
    labelled_jobs()
        .when(json!({"call": "executions.list", "query": {"continue": token}}))
        .then_err(ErrorCode::InvalidArgument);
}

#[test]
fn r33_error_bodies_are_google_json_errors_with_cloud_run_texts() {
    given(&[]).when(get("etl")).then_err(ErrorCode::NotFound).with_error(|e| {
        assert_eq!(
            e.body(),
            json!({"error": {"code": 404, "status": "NOT_FOUND",
                "message": "Resource 'etl' of kind 'JOB' in region 'us-central1' in project 'demo-project' does not exist."}})
        )
    });
    for (method, kind) in [("executions.get", "EXECUTION"), ("tasks.get", "TASK")] {
        given(&[]).when(json!({"call": method, "name": "etl-abcde"})).then_err(ErrorCode::NotFound).with_error(|e| {
            assert_eq!(
                e.message,
                format!("Resource 'etl-abcde' of kind '{kind}' in region 'us-central1' in project 'demo-project' does not exist.")
            )
        });
    }
    given(&[create_job("etl")]).when(create_job("etl")).then_err(ErrorCode::AlreadyExists).with_error(|e| {
        assert_eq!(
            e.body(),
            json!({"error": {"code": 409, "status": "ALREADY_EXISTS", "message": "Resource 'etl' already exists."}})
        )
    });
}

// ---------------------------------------------------------------------------------------------
// Decisions

#[test]
fn d2_every_invalid_field_is_reported_at_once() {
    given(&[])
        .when(create(job_with("Bad_Name", |b| {
            b["spec"]["template"]["spec"]["taskCount"] = json!(20000);
            task_spec(b)["maxRetries"] = json!(99);
            task_spec(b)["containers"][0]["image"] = json!("");
        })))
        .then_err(ErrorCode::InvalidArgument)
        .with_error(|e| {
            assert_eq!(
                fields(e),
                [
                    "metadata.name",
                    "spec.template.spec.taskCount",
                    "spec.template.spec.template.spec.maxRetries",
                    "spec.template.spec.template.spec.containers[0].image"
                ]
            );
            let body = e.body();
            assert_eq!(body["error"]["code"], 400);
            assert_eq!(body["error"]["status"], "INVALID_ARGUMENT");
            assert_eq!(body["error"]["details"][0]["fieldViolations"].as_array().map(Vec::len), Some(4));
        });
}

#[test]
fn d2_run_on_a_job_whose_ready_is_false_is_400_failed_precondition() {
    let image = "us-docker.pkg.dev/demo/gone:1";
    Given::scenario(&json!({"profile": "instant", "settings": {"missingImages": [image]}}))
        .given(&[create(job("etl", image))])
        .when(json!({"call": "jobs.run", "name": "etl"}))
        .then_err(ErrorCode::FailedPrecondition)
        .with_error(|e| assert!(e.message.contains("ContainerMissing"), "{}", e.message));
}

#[test]
fn d3_run_answers_the_execution_as_created() {
    instant().given(&[create_job("etl")]).when(json!({"call": "jobs.run", "name": "etl"})).then_ok(|e| {
        assert_eq!(e["kind"], "Execution");
        assert_eq!(e["status"], json!({"observedGeneration": 1}));
        assert_eq!(e["metadata"]["generation"], 1);
        assert_eq!(e["spec"]["parallelism"], 1);
        assert_eq!(e["metadata"]["ownerReferences"][0]["name"], "etl");
    });
}

#[test]
fn d6_a_labels_only_replace_keeps_the_generation() {
    let mut before = Value::Null;
    given(&[create_job("etl"), json!({"advance": "3s"})])
        .then_capture(&mut before)
        .when(json!({"call": "jobs.replaceJob", "name": "etl",
            "body": job_with("etl", |b| b["metadata"]["labels"] = json!({"team": "data"}))}))
        .then_ok(|job| {
            assert_eq!(job["metadata"]["generation"], 1);
            assert_eq!(job["metadata"]["labels"]["team"], "data");
            assert_eq!(job["metadata"]["labels"]["run.googleapis.com/lastUpdatedTime"], "2026-01-01T00:00:03.000000Z");
            assert_ne!(job["metadata"]["resourceVersion"], before["metadata"]["resourceVersion"]);
        });
}

#[test]
fn d13_dry_run_stores_nothing() {
    given(&[])
        .when(json!({"call": "jobs.create", "query": {"dryRun": "all"}, "body": job("etl", IMAGE)}))
        .then_ok(|job| {
            assert_eq!(job["metadata"]["generation"], 1);
            assert_eq!(job["spec"]["template"]["spec"]["template"]["spec"]["maxRetries"], 3);
            assert_eq!(job["status"], json!({}));
        })
        .then_events(&[])
        .then(|sim| {
            assert_eq!(sim.call("jobs.get", &json!({"name": "etl"})).map_err(|e| e.code), Err(ErrorCode::NotFound))
        });
}

#[test]
fn d13_dry_run_replace_and_delete_validate_and_answer_but_change_nothing() {
    let world = given(&[create_job("etl"), json!({"advance": "2s"})]);
    let snapshot = world.simulator().snapshot();
    world
        .clone()
        .when(json!({"call": "jobs.replaceJob", "name": "etl", "query": {"dryRun": "all"},
            "body": job("etl", "us-docker.pkg.dev/demo/etl:2")}))
        .then_ok(|job| assert_eq!(job["metadata"]["generation"], 2))
        .then_events(&[])
        .then(|sim| assert_eq!(sim.snapshot(), snapshot));
    world
        .clone()
        .when(json!({"call": "jobs.delete", "name": "etl", "query": {"dryRun": "all"}}))
        .then_ok(|status| assert_eq!(status["status"], "Success"))
        .then_events(&[])
        .then(|sim| assert_eq!(sim.snapshot(), snapshot));
    // Dry runs still validate.
    world
        .clone()
        .when(json!({"call": "jobs.create", "query": {"dryRun": "all"}, "body": job("etl", IMAGE)}))
        .then_err(ErrorCode::AlreadyExists);
    world
        .when(json!({"call": "jobs.create", "query": {"dryRun": "yes"}, "body": job("x", IMAGE)}))
        .then_err(ErrorCode::InvalidArgument);
}

#[test]
fn d13_delay_execution_keeps_the_execution_pending_for_the_delayed_start() {
    given(&[create_job("etl"), json!({"advance": "1s"})])
        .when(json!({"call": "jobs.run", "name": "etl", "body": {"overrides": {"delayExecution": true}}}))
        .then_ok(|e| assert_eq!(e["spec"]["delayExecution"], true))
        .then(|sim| {
            sim.advance(&json!("59m")).unwrap();
            let e = call(sim, "executions.get", json!({"latestOf": "etl"}));
            let completed = &e["status"]["conditions"][0];
            assert_eq!(
                (&completed["type"], &completed["status"], &completed["reason"]),
                (&json!("Completed"), &json!("Unknown"), &json!("DelayedStartPending"))
            );
            assert!(e["status"].get("startTime").is_none());
            sim.advance(&json!("1m10s")).unwrap();
            let e = call(sim, "executions.get", json!({"latestOf": "etl"}));
            assert!(e["status"]["startTime"].is_string(), "started after the delayed start (1 h, D15)");
        });
}

#[test]
fn d15_instant_profile_records_each_step_as_its_own_event_at_the_same_instant() {
    let then = instant().when(create_job("etl")).then_events(&["JobCreated", "JobReconcileStarted", "JobReconciled"]);
    let times: Vec<Value> = then.recorded().iter().map(|e| e["time"].clone()).collect();
    assert_eq!(times, vec![json!("2026-01-01T00:00:00.000000Z"); 3]);
}

#[test]
fn d15_realistic_profile_reconciles_a_job_one_second_later_and_logs_the_profile() {
    given(&[])
        .when(create_job("etl"))
        .then_events(&["JobCreated", "JobReconcileStarted"])
        .then(|sim| {
            let world = &sim.events(1)[0];
            assert_eq!(world["type"], "WorldStarted");
            assert_eq!(world["payload"]["world"]["profile"]["name"], "realistic");
            assert_eq!(world["payload"]["world"]["profile"]["jobReconcile"], 1_000_000);
        })
        .then(|sim| {
            let from = sim.version() + 1;
            sim.advance(&json!("999ms")).unwrap();
            assert!(sim.events(from).iter().all(|e| e["type"] == "ClockMoved"));
            sim.advance(&json!("1ms")).unwrap();
            let reconciled = sim.events(from).into_iter().find(|e| e["type"] == "JobReconciled").unwrap();
            assert_eq!(reconciled["time"], "2026-01-01T00:00:01.000000Z");
        });
}
