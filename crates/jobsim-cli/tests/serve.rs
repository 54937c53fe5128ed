//! `jobsim serve` as a process: the one startup line on stdout (`--port 0` picks the port),
//! SIGTERM ends it with exit code 0, and a log it must refuse ends it with exit code 2 and a
//! message on stderr (issue #11).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

fn jobsim() -> Command {
    Command::new(env!("CARGO_BIN_EXE_jobsim"))
}

#[test]
fn startup_line_then_serves_then_sigterm_exits_0() {
    let mut child = jobsim()
        .args(["serve", "--port", "0", "--clock", "manual"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let port: u16 = line
        .strip_prefix("jobsim serve: listening on http://127.0.0.1:")
        .and_then(|p| p.trim_end().parse().ok())
        .unwrap_or_else(|| panic!("startup line: {line:?}"));
    assert_ne!(port, 0);
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "graceful shutdown on SIGTERM");
}

#[test]
fn a_log_that_cannot_be_replayed_exits_2() {
    let dir = std::env::temp_dir().join(format!("jobsim-cli-serve-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("bad.jsonl");
    std::fs::write(&log, "{\"not\": \"an event\"}\n").unwrap();
    let out = jobsim().args(["serve", "--port", "0", "--data"]).arg(&log).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("jobsim serve: ") && stderr.contains("bad.jsonl"), "{stderr}");
    assert!(out.stdout.is_empty(), "no startup line for a refused log");
}

/// `jobsim replay` of a log `jobsim serve --data` wrote replays what its commit file covers —
/// what a restarted server would serve — and names the uncommitted batch after it on stderr
/// instead of replaying a request half done (issue #11, durability).
#[test]
fn replay_of_a_served_log_stops_at_its_commit_and_says_what_follows() {
    let dir = std::env::temp_dir().join(format!("jobsim-replay-commit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let events = jobsim().args(["events", "../../scenarios/etl-retries.yaml"]).output().unwrap();
    assert!(events.status.success());
    let log = String::from_utf8(events.stdout).unwrap();
    let lines: Vec<&str> = log.split_inclusive('\n').collect();
    let committed: String = lines[..10].concat();
    // The committed batches, then two whole lines and half a line of an interrupted one.
    let served = dir.join("served.jsonl");
    let tail = format!("{}{}{}", lines[10], lines[11], &lines[12][..lines[12].len() / 2]);
    std::fs::write(&served, format!("{committed}{tail}")).unwrap();
    let record = format!("jobsim serve commit: bytes {} sequence 10", committed.len());
    std::fs::write(dir.join("served.jsonl.commit"), format!("{record:<63}\n")).unwrap();
    let plain = dir.join("plain.jsonl");
    std::fs::write(&plain, &committed).unwrap();

    let from_served = jobsim().arg("replay").arg(&served).output().unwrap();
    let from_plain = jobsim().arg("replay").arg(&plain).output().unwrap();
    assert!(from_served.status.success(), "{}", String::from_utf8_lossy(&from_served.stderr));
    assert_eq!(from_served.stdout, from_plain.stdout, "the committed part only");
    let warning = String::from_utf8(from_served.stderr).unwrap();
    assert!(warning.contains("never committed") && warning.contains("2 whole line(s)"), "{warning}");
    assert!(from_plain.stderr.is_empty(), "a log with no commit file and no torn line replays quietly");
    assert_eq!(std::fs::read_to_string(&served).unwrap(), format!("{committed}{tail}"), "replay changes nothing");
    std::fs::remove_dir_all(&dir).unwrap();
}
