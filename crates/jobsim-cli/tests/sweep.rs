//! `jobsim sweep` (issue #12) as the README's recipe runs it: shards as separate processes with
//! the Cloud Run Jobs or Kubernetes Indexed Job variables set, merged with `jobsim sweep merge`,
//! give the bytes of the unsplit sweep; the thread count never changes the output.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

const SHARD_VARS: [&str; 4] =
    ["CLOUD_RUN_TASK_INDEX", "CLOUD_RUN_TASK_COUNT", "JOB_COMPLETION_INDEX", "JOBSIM_SHARD_COUNT"];

fn scenario() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/etl-retries.yaml")
}

/// Runs `jobsim ARGS` with only the given shard variables set; returns stdout (exit 0 asserted).
fn jobsim<S: AsRef<std::ffi::OsStr> + std::fmt::Debug>(args: &[S], env: &[(&str, String)]) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jobsim"));
    cmd.args(args);
    for v in SHARD_VARS {
        cmd.env_remove(v);
    }
    cmd.envs(env.iter().map(|(k, v)| (*k, v.as_str())));
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "jobsim {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn sweep_args(extra: &[&str]) -> Vec<String> {
    let s = scenario().to_string_lossy().into_owned();
    let fixed = ["--runs", "12", "--vary", "maxRetries=1,3", "--vary", "etl.failureRate=0,0.2"];
    ["sweep", s.as_str()].iter().chain(&fixed).chain(extra).map(|a| a.to_string()).collect()
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jobsim-sweep-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Issue #12: shards run as Cloud Run tasks (CLOUD_RUN_TASK_INDEX/COUNT) and as Kubernetes
/// Indexed Job pods (JOB_COMPLETION_INDEX + JOBSIM_SHARD_COUNT), merged, equal the unsplit
/// sweep byte for byte, as JSON and as the text table.
#[test]
fn shards_as_cloud_run_tasks_or_indexed_job_pods_merge_to_the_unsplit_bytes() {
    let whole_json = jobsim(&sweep_args(&["--format", "json"]), &[]);
    let whole_text = jobsim(&sweep_args(&["--format", "text"]), &[]);
    assert!(whole_json.contains("\"successInterval\""), "{whole_json}");
    for (index_var, count_var, count) in
        [("CLOUD_RUN_TASK_INDEX", "CLOUD_RUN_TASK_COUNT", 3u32), ("JOB_COMPLETION_INDEX", "JOBSIM_SHARD_COUNT", 2)]
    {
        let mut files = Vec::new();
        for i in 0..count {
            let out = jobsim(
                &sweep_args(&["--shard", "auto", "--format", "jsonl"]),
                &[(index_var, i.to_string()), (count_var, count.to_string())],
            );
            assert!(!out.is_empty());
            let path = temp(&format!("{index_var}-{i}.jsonl"));
            std::fs::write(&path, out).unwrap();
            files.push(path.to_string_lossy().into_owned());
        }
        files.reverse();
        let mut merge = vec!["sweep", "merge"];
        merge.extend(files.iter().map(String::as_str));
        let json = jobsim(&[merge.clone(), vec!["--format", "json"]].concat(), &[]);
        assert_eq!(json, whole_json, "{count} shards by {index_var}");
        let text = jobsim(&[merge, vec!["--format", "text"]].concat(), &[]);
        assert_eq!(text, whole_text, "{count} shards by {index_var}");
    }
}

/// Issue #12: the same command gives the same bytes on 1 and 2 threads (records and summary).
#[test]
fn one_thread_and_two_threads_print_the_same_bytes() {
    for format in ["json", "jsonl"] {
        let one = jobsim(&sweep_args(&["--threads", "1", "--format", format]), &[]);
        let two = jobsim(&sweep_args(&["--threads", "2", "--format", format]), &[]);
        assert_eq!(one, two, "--format {format}");
    }
}

/// Unusable sweep arguments exit 2 naming what is wrong.
#[test]
fn bad_sweep_arguments_exit_2() {
    let s = scenario();
    let s = s.to_string_lossy();
    for (args, says) in [
        (vec!["sweep", &*s, "--runs", "2", "--vary", "maxRetries=11"], "not an integer from 0 to 10"),
        (vec!["sweep", &*s, "--runs", "2", "--vary", "nope.taskCount=2"], "no jobs.create step"),
        (vec!["sweep", &*s, "--runs", "2", "--shard", "2/2"], "expected I/N"),
        (vec!["sweep", &*s, "--runs", "2", "--shard", "auto"], "--shard auto"),
    ] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_jobsim"));
        for v in SHARD_VARS {
            cmd.env_remove(v);
        }
        let out = cmd.args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
}
