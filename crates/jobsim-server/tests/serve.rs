//! `jobsim serve` over real HTTP on loopback (port 0): every v1 method, the control routes,
//! the transport's own limits (404/405/413), and durability (restart replays, a torn last line
//! is cut and reported, a foreign or tampered log is refused). A small raw HTTP/1.1 client keeps
//! the bytes on the wire exactly as written (no client-side normalisation of `%2F`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jobsim_core::http::ClockMode;
use jobsim_core::scenario::Scenario;
use jobsim_core::Simulator;
use jobsim_server::store::Store;
use jobsim_server::{spawn, Config, Running};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

const NS: &str = "/apis/run.googleapis.com/v1/namespaces/demo-project";

fn scenario(seed: u64, profile: &str) -> Scenario {
    Scenario::parse(&json!({"seed": seed, "profile": profile, "steps": []}).to_string()).unwrap()
}

fn config(clock: ClockMode, data: Option<PathBuf>, scenario: Option<Scenario>) -> Config {
    Config { host: "127.0.0.1".into(), port: 0, clock, data, scenario }
}

fn manual() -> Running {
    spawn(config(ClockMode::Manual, None, Some(scenario(3, "instant")))).unwrap()
}

/// A fresh path under the system temp dir (removed first).
fn temp_log(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir =
        std::env::temp_dir().join(format!("jobsim-serve-{}-{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst)));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

/// Sends raw request bytes, reads to the end (the request says `Connection: close`).
fn raw(addr: SocketAddr, request: &[u8]) -> (u16, Vec<(String, String)>, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.write_all(request).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).unwrap_or(0);
    let headers =
        lines.filter_map(|l| l.split_once(": ")).map(|(k, v)| (k.to_ascii_lowercase(), v.to_string())).collect();
    (status, headers, body.to_string())
}

fn call(addr: SocketAddr, method: &str, path: &str, body: Option<&str>) -> (u16, Value) {
    let body = body.unwrap_or("");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: us-central1-localhost\r\nAuthorization: Bearer fake\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let (status, headers, text) = raw(addr, request.as_bytes());
    let ct = headers.iter().find(|(k, _)| k == "content-type").map(|(_, v)| v.as_str());
    if path.starts_with("/jobsim/v1/events") && status == 200 {
        return (status, Value::String(text));
    }
    assert_eq!(ct, Some("application/json; charset=UTF-8"), "{method} {path}");
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("{method} {path}: {e}: {text:?}")))
}

fn ok(addr: SocketAddr, method: &str, path: &str, body: Option<&str>) -> Value {
    let (status, v) = call(addr, method, path, body);
    assert_eq!(status, 200, "{method} {path}: {v}");
    v
}

fn job(name: &str) -> String {
    json!({"metadata": {"name": name}, "spec": {"template": {"spec": {"taskCount": 2, "template": {"spec": {
        "containers": [{"image": "us-docker.pkg.dev/demo/x:1"}]}}}}}})
    .to_string()
}

/// All 12 v1 methods on their real paths, with `Authorization` ignored, and the control
/// routes moving the manual clock.
#[test]
fn r33_all_twelve_methods_and_the_control_routes() {
    let server = manual();
    let a = server.addr();
    assert_eq!(ok(a, "GET", "/healthz", None), json!({"status": "ok"}));
    ok(a, "POST", &format!("{NS}/jobs"), Some(&job("j1")));
    let got = ok(a, "GET", &format!("{NS}/jobs/j1"), None);
    assert_eq!(got["metadata"]["name"], "j1");
    assert_eq!(ok(a, "GET", &format!("{NS}/jobs"), None)["items"].as_array().unwrap().len(), 1);
    let mut replaced = got.clone();
    replaced["spec"]["template"]["spec"]["taskCount"] = json!(3);
    let r = ok(a, "PUT", &format!("{NS}/jobs/j1"), Some(&replaced.to_string()));
    assert_eq!(r["metadata"]["generation"], 2);
    let ex = ok(a, "POST", &format!("{NS}/jobs/j1:run"), None)["metadata"]["name"].as_str().unwrap().to_string();
    assert_eq!(ok(a, "GET", &format!("{NS}/executions/{ex}"), None)["metadata"]["name"], ex.as_str());
    let page =
        ok(a, "GET", &format!("{NS}/executions?labelSelector=run.googleapis.com/job+=+j1&limit=100&alt=json"), None);
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    let idle = ok(a, "POST", "/jobsim/v1/clock:runUntilIdle", None);
    assert_eq!(idle["nextTimerAt"], Value::Null);
    let tasks = ok(a, "GET", &format!("{NS}/tasks?labelSelector=run.googleapis.com%2Fexecution%3D{ex}"), None);
    assert_eq!(tasks["items"].as_array().unwrap().len(), 3);
    let task = tasks["items"][0]["metadata"]["name"].as_str().unwrap().to_string();
    ok(a, "GET", &format!("{NS}/tasks/{task}"), None);
    ok(a, "POST", &format!("{NS}/executions/{ex}:cancel"), Some("{}"));
    ok(a, "DELETE", &format!("{NS}/executions/{ex}?propagationPolicy=Background"), None);
    assert_eq!(ok(a, "DELETE", &format!("{NS}/jobs/j1"), None)["status"], "Success");
    let clock = ok(a, "POST", "/jobsim/v1/clock:advance", Some(r#"{"duration": "90s"}"#));
    assert_eq!(clock["mode"], "manual");
    ok(a, "POST", "/jobsim/v1/clock:advanceTo", Some(r#"{"time": "2027-01-01T00:00:00Z"}"#));
    assert_eq!(ok(a, "GET", "/jobsim/v1/clock", None)["now"], "2027-01-01T00:00:00.000000Z");
    let (_, events) = call(a, "GET", "/jobsim/v1/events?from=1", None);
    assert!(events.as_str().unwrap().lines().count() > 10);
    let (status, v) = call(a, "GET", &format!("/jobsim/v1/explain/{ex}"), None);
    assert_eq!(status, 404, "the execution was deleted: {v}");
    server.stop();
}

/// R33 on the wire: 404 route, 405 verb, 400 encoded slash, 413 body — each in Google's error
/// shape, and the server keeps serving.
#[test]
fn r33_transport_errors_in_google_shape_and_the_server_goes_on() {
    let server = manual();
    let a = server.addr();
    let (status, v) = call(a, "GET", "/nope", None);
    assert_eq!((status, v["error"]["code"].as_u64()), (404, Some(404)));
    let (status, v) = call(a, "PATCH", &format!("{NS}/jobs/x"), None);
    assert_eq!((status, v["error"]["code"].as_u64()), (405, Some(405)));
    let (status, _) = call(a, "GET", &format!("{NS}/jobs/..%2Fexecutions"), None);
    assert_eq!(status, 400);
    let (status, v) = call(a, "POST", &format!("{NS}/jobs"), Some("{not json"));
    assert_eq!((status, v["error"]["status"].as_str()), (400, Some("INVALID_ARGUMENT")));
    // A declared 9 MB body is refused before it is read.
    let head = format!("POST {NS}/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 9000000\r\nConnection: close\r\n\r\n");
    let (status, _, body) = raw(a, head.as_bytes());
    assert_eq!(status, 413);
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["error"]["code"], 413);
    // A chunked body that grows past the limit too.
    let mut chunked =
        format!("POST {NS}/jobs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
            .into_bytes();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..9 {
        chunked.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        chunked.extend_from_slice(&chunk);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let (status, _, _) = raw(a, &chunked);
    assert_eq!(status, 413);
    // Invalid UTF-8 in the body.
    let mut bad =
        format!("POST {NS}/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\n").into_bytes();
    bad.extend_from_slice(&[b'{', 0xff, b'}']);
    assert_eq!(raw(a, &bad).0, 400);
    assert_eq!(ok(a, "GET", "/healthz", None)["status"], "ok");
    server.stop();
}

/// Durability: what was acknowledged is in the log, and a restart on it is the same world at
/// its last instant (the log replays with invariants checked).
#[test]
fn restart_on_the_same_log_replays_it() {
    let log = temp_log("log.jsonl");
    let s = spawn(config(ClockMode::Manual, Some(log.clone()), Some(scenario(9, "realistic")))).unwrap();
    let a = s.addr();
    ok(a, "POST", &format!("{NS}/jobs"), Some(&job("keep")));
    ok(a, "POST", "/jobsim/v1/clock:advance", Some(r#"{"duration": "5s"}"#));
    let ex = ok(a, "POST", &format!("{NS}/jobs/keep:run"), None)["metadata"]["name"].as_str().unwrap().to_string();
    let before = ok(a, "GET", &format!("{NS}/executions/{ex}"), None);
    let clock = ok(a, "GET", "/jobsim/v1/clock", None);
    let (_, events) = call(a, "GET", "/jobsim/v1/events", None);
    s.stop();
    assert_eq!(std::fs::read_to_string(&log).unwrap(), events.as_str().unwrap(), "the file is the log");
    // Same world given again, or none: both resume.
    for scenario in [Some(scenario(9, "realistic")), None] {
        let s = spawn(config(ClockMode::Manual, Some(log.clone()), scenario)).unwrap();
        let a = s.addr();
        assert_eq!(ok(a, "GET", &format!("{NS}/executions/{ex}"), None), before);
        assert_eq!(ok(a, "GET", "/jobsim/v1/clock", None), clock);
        s.stop();
    }
}

/// A crash mid-write leaves a torn last line: it is reported, truncated, and the rest served.
#[test]
fn torn_last_line_is_reported_and_truncated() {
    let log = temp_log("torn.jsonl");
    let s = spawn(config(ClockMode::Manual, Some(log.clone()), None)).unwrap();
    ok(s.addr(), "POST", &format!("{NS}/jobs"), Some(&job("a")));
    s.stop();
    let whole = std::fs::read_to_string(&log).unwrap();
    std::fs::write(&log, format!("{whole}{{\"sequence\":99,\"ty")).unwrap();
    let mut reports = Vec::new();
    let (sim, _store) = Store::open(&log, None, &mut |m| reports.push(m)).unwrap();
    assert_eq!(reports.len(), 1);
    assert!(reports[0].contains("torn") && reports[0].contains("truncating"), "{reports:?}");
    assert_eq!(std::fs::read_to_string(&log).unwrap(), whole, "cut back to the last whole line");
    assert!(sim.state().job("a").is_some());
    // A second open has nothing to report.
    drop(_store);
    let mut again = Vec::new();
    Store::open(&log, None, &mut |m| again.push(m)).unwrap();
    assert!(again.is_empty());
}

/// A log of another world, or one tampered with (a gap, bad JSON in the middle), is refused
/// with exit code 2, and the file is left as it was.
#[test]
fn foreign_or_tampered_log_is_refused() {
    let log = temp_log("world.jsonl");
    let s = spawn(config(ClockMode::Manual, Some(log.clone()), Some(scenario(1, "instant")))).unwrap();
    ok(s.addr(), "POST", &format!("{NS}/jobs"), Some(&job("a")));
    ok(s.addr(), "POST", &format!("{NS}/jobs/a:run"), None);
    s.stop();
    let whole = std::fs::read_to_string(&log).unwrap();
    let err = spawn(config(ClockMode::Manual, Some(log.clone()), Some(scenario(2, "instant")))).err().unwrap();
    assert_eq!(err.exit_code, 2);
    assert!(err.message.contains("another world") && err.message.contains("seed 1"), "{}", err.message);
    let lines: Vec<&str> = whole.lines().collect();
    let gap: String = lines.iter().enumerate().filter(|(i, _)| *i != 2).map(|(_, l)| format!("{l}\n")).collect();
    let bad: String =
        lines.iter().enumerate().map(|(i, l)| if i == 2 { "{oops\n".into() } else { format!("{l}\n") }).collect();
    // With its commit file, a log shorter than what was acknowledged is refused as such.
    let commit = jobsim_server::store::commit_path(&log);
    std::fs::write(&log, &gap).unwrap();
    let err = spawn(config(ClockMode::Manual, Some(log.clone()), None)).err().unwrap();
    assert_eq!(err.exit_code, 2);
    assert!(err.message.contains("acknowledged writes are missing"), "{}", err.message);
    assert_eq!(std::fs::read_to_string(&log).unwrap(), gap, "a refused log is not touched");
    // A commit file that is not a commit record is refused too.
    let record = std::fs::read(&commit).unwrap();
    std::fs::write(&log, &whole).unwrap();
    std::fs::write(&commit, "bytes 12\n").unwrap();
    let err = spawn(config(ClockMode::Manual, Some(log.clone()), None)).err().unwrap();
    assert!(err.message.contains("not a commit record"), "{}", err.message);
    std::fs::write(&commit, &record).unwrap();
    spawn(config(ClockMode::Manual, Some(log.clone()), None)).unwrap().stop();
    // A log gone while its commit file says writes were acknowledged: refused, nothing created.
    std::fs::remove_file(&log).unwrap();
    let err = spawn(config(ClockMode::Manual, Some(log.clone()), None)).err().unwrap();
    assert_eq!(err.exit_code, 2);
    assert!(err.message.contains("is missing") && err.message.contains("acknowledged bytes"), "{}", err.message);
    assert!(!log.exists(), "a refused open creates no empty log");
    // Without it (a log from before commit files), the replay itself refuses what is wrong.
    for (what, text) in [("gap", gap), ("line 3", bad)] {
        let _ = std::fs::remove_file(&commit);
        std::fs::write(&log, &text).unwrap();
        let err = spawn(config(ClockMode::Manual, Some(log.clone()), None)).err().unwrap();
        assert_eq!(err.exit_code, 2);
        assert!(err.message.contains(what) && err.message.contains("not served"), "{what}: {}", err.message);
        assert_eq!(std::fs::read_to_string(&log).unwrap(), text, "a refused log is not touched");
    }
}

/// Issue #11, durability: a crash can leave complete lines of a batch that was never committed
/// (Linux cuts a write at a page boundary on SIGKILL). The restart drops the whole batch, says
/// so, and serves exactly the acknowledged writes — never a request half done.
#[test]
fn uncommitted_partial_batch_is_dropped_whole_and_reported() {
    let log = temp_log("partial.jsonl");
    let commit = jobsim_server::store::commit_path(&log);
    let s = spawn(config(ClockMode::Manual, Some(log.clone()), Some(scenario(5, "realistic")))).unwrap();
    ok(s.addr(), "POST", &format!("{NS}/jobs"), Some(&job("a")));
    ok(s.addr(), "POST", &format!("{NS}/jobs/a:run"), None);
    s.stop();
    let acknowledged = std::fs::read_to_string(&log).unwrap();
    let record = std::fs::read(&commit).unwrap();
    // The next batch, for real: a clock move that runs the execution writes many events at once.
    let s = spawn(config(ClockMode::Manual, Some(log.clone()), None)).unwrap();
    ok(s.addr(), "POST", "/jobsim/v1/clock:advance", Some(r#"{"duration": "1h"}"#));
    s.stop();
    let batch = std::fs::read_to_string(&log).unwrap()[acknowledged.len()..].to_string();
    let lines: Vec<&str> = batch.split_inclusive('\n').collect();
    assert!(lines.len() >= 3, "a clock move is a batch of several events: {batch}");
    // What a SIGKILL mid-write can leave: the batch's first lines whole, the next one torn, no commit.
    let whole_lines = lines.len() - 2;
    let torn = &lines[whole_lines][..lines[whole_lines].len() / 2];
    let partial = format!("{}{}", lines[..whole_lines].concat(), torn);
    std::fs::write(&log, format!("{acknowledged}{partial}")).unwrap();
    std::fs::write(&commit, &record).unwrap();
    // Without the commit, the complete lines alone would replay: a request half done.
    let half = Simulator::replay_jsonl(&format!("{acknowledged}{}", lines[..whole_lines].concat())).unwrap();
    assert!(half.version() > Simulator::replay_jsonl(&acknowledged).unwrap().version());

    let mut reports = Vec::new();
    let (sim, store) = Store::open(&log, None, &mut |m| reports.push(m)).unwrap();
    assert_eq!(reports.len(), 1, "{reports:?}");
    assert!(
        reports[0].contains(&format!("{} whole line(s)", whole_lines)) && reports[0].contains("dropped whole"),
        "{reports:?}"
    );
    assert!(reports[0].contains(&format!("{} bytes after the last commit", partial.len())), "{reports:?}");
    assert_eq!(std::fs::read_to_string(&log).unwrap(), acknowledged, "cut back to the last commit");
    assert_eq!(sim.version(), Simulator::replay_jsonl(&acknowledged).unwrap().version());
    assert!(sim.state().job("a").is_some());
    drop(store);
    // The cut is itself durable: a second open has nothing to report, and the server goes on.
    let mut again = Vec::new();
    drop(Store::open(&log, None, &mut |m| again.push(m)).unwrap());
    assert!(again.is_empty(), "{again:?}");
    let s = spawn(config(ClockMode::Manual, Some(log.clone()), None)).unwrap();
    ok(s.addr(), "POST", &format!("{NS}/jobs/a:run"), None);
    s.stop();
    Simulator::replay_jsonl(&std::fs::read_to_string(&log).unwrap()).unwrap();
}

/// Issue #11: two servers on one log would interleave their batches; the second is refused
/// (exit code 2) while the first holds the lock, and starts once it is gone.
#[test]
fn a_second_server_on_the_same_log_is_refused() {
    let log = temp_log("locked.jsonl");
    let first = spawn(config(ClockMode::Manual, Some(log.clone()), None)).unwrap();
    ok(first.addr(), "POST", &format!("{NS}/jobs"), Some(&job("a")));
    let before = std::fs::read(&log).unwrap();
    let err = spawn(config(ClockMode::Manual, Some(log.clone()), None)).err().unwrap();
    assert_eq!(err.exit_code, 2);
    assert!(err.message.contains("in use by another jobsim serve"), "{}", err.message);
    assert_eq!(std::fs::read(&log).unwrap(), before, "the refused server wrote nothing");
    ok(first.addr(), "POST", &format!("{NS}/jobs"), Some(&job("b")));
    first.stop();
    let second = spawn(config(ClockMode::Manual, Some(log.clone()), None)).unwrap();
    ok(second.addr(), "GET", &format!("{NS}/jobs/b"), None);
    second.stop();
}

/// Wall mode: timers fire with no request (the execution completes while nobody asks); the
/// wait is bounded, no wall time is asserted.
#[test]
fn wall_clock_fires_timers_on_its_own() {
    let log = temp_log("wall.jsonl");
    let s =
        spawn(config(ClockMode::Wall { speed: 1000.0 }, Some(log.clone()), Some(scenario(4, "realistic")))).unwrap();
    let a = s.addr();
    assert_eq!(ok(a, "GET", "/jobsim/v1/clock", None)["mode"], "wall");
    ok(a, "POST", &format!("{NS}/jobs"), Some(&job("w")));
    ok(a, "POST", &format!("{NS}/jobs/w:run"), None);
    // The timer task writes every event it fires to the log: watch the file, not the API.
    let mut done = false;
    for _ in 0..600 {
        if std::fs::read_to_string(&log).unwrap().contains("ExecutionCompleted") {
            done = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(done, "the execution completed on the wall clock alone");
    s.stop();
}

/// Wall mode: a v1 read fires only the timers due (none here), so it records nothing and
/// writes nothing to the log — no event and no fsync per GET; a write sees the wall's "now".
#[test]
fn wall_clock_reads_record_nothing_when_nothing_is_due() {
    let log = temp_log("reads.jsonl");
    let s = spawn(config(ClockMode::Wall { speed: 1.0 }, Some(log.clone()), Some(scenario(6, "instant")))).unwrap();
    let a = s.addr();
    ok(a, "POST", &format!("{NS}/jobs"), Some(&job("r")));
    ok(a, "POST", "/jobsim/v1/clock:runUntilIdle", None);
    let before = std::fs::read_to_string(&log).unwrap();
    for _ in 0..20 {
        ok(a, "GET", &format!("{NS}/jobs/r"), None);
        ok(a, "GET", &format!("{NS}/jobs"), None);
    }
    assert_eq!(std::fs::read_to_string(&log).unwrap(), before, "reads appended nothing");
    s.stop();
}
