//! Scenario files the CLI cannot use exit with code 2 and a message naming the file, the line
//! and the key (issue 9, item 11): a key given twice in one object (JSON or YAML parsers would
//! keep the last one silently) or a step parameter the method does not take (D24).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

fn run(name: &str, text: &str) -> (Option<i32>, String) {
    let dir = std::env::temp_dir().join(format!("jobsim-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_jobsim")).arg("run").arg(&path).output().unwrap();
    std::fs::remove_file(&path).unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn item11_duplicate_keys_and_foreign_step_params_exit_2_naming_line_and_key() {
    let cases = [
        (
            "dup.yaml",
            "steps:\n  - call: jobs.get\n    name: etl\n    call: jobs.delete\n",
            "duplicate key \"call\" in the mapping that starts at line 2",
        ),
        (
            "dup.json",
            "{\"steps\": [\n {\"call\": \"jobs.get\", \"call\": \"jobs.delete\"}]}",
            "line 2 column 28: duplicate key \"call\"",
        ),
        (
            "nested.yaml",
            "steps:\n  - call: jobs.create\n    body:\n      metadata: {name: a, name: b}\n",
            "duplicate key \"name\" in the mapping that starts at line 4",
        ),
        (
            "param.yaml",
            "steps:\n  - {call: jobs.create, name: etl, body: {}}\n",
            "steps[0].name: jobs.create does not take",
        ),
        (
            "param.json",
            "{\"steps\": [{\"call\": \"jobs.list\", \"body\": {}}]}",
            "steps[0].body: jobs.list does not take",
        ),
    ];
    for (name, text, mention) in cases {
        let (code, stderr) = run(name, text);
        assert_eq!(code, Some(2), "{name}: {stderr}");
        assert!(stderr.contains(name) && stderr.contains(mention), "{name}: {stderr}");
    }
}
