//! Structured scenario errors (issue #10 item 4): a scenario that cannot be used is refused with
//! INVALID_SCENARIO and carries where it is as data — `field`, `step`, `line`, `column` in
//! `Error::location` — so a face marks the field or jumps to the line without reading the
//! message. The Google error body stays what it was (no location in it).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jobsim_core::error::Location;
use jobsim_core::scenario::{parse_document, Scenario, Step};
use jobsim_core::{ErrorCode, Simulator};
use serde_json::json;

fn location(text: &str) -> Location {
    let e = Scenario::parse(text).expect_err(text);
    assert_eq!(e.code, ErrorCode::InvalidScenario, "{text}: {}", e.message);
    let body = e.body().to_string();
    for key in ["\"field\"", "\"step\"", "\"line\"", "\"column\""] {
        assert!(!body.contains(key), "{text}: the Google body gained {key}: {body}");
    }
    e.location.map(|l| *l).unwrap_or_default()
}

fn field(field: &str) -> Location {
    Location { field: Some(field.into()), ..Location::default() }
}

fn step_field(step: usize, f: &str) -> Location {
    Location { field: Some(f.into()), step: Some(step), ..Location::default() }
}

/// D2-style errors for scenario files: options name their field, steps their field and index.
#[test]
fn options_and_steps_carry_field_and_step() {
    let rows: &[(&str, Location)] = &[
        (r#"{"seed": -1, "steps": []}"#, field("seed")),
        (r#"{"start": "yesterday", "steps": []}"#, field("start")),
        (r#"{"profile": "slow", "steps": []}"#, field("profile")),
        (r#"{"sed": 1, "steps": []}"#, field("scenario.sed")),
        (r#"{"settings": {"maxRunningExecutions": "many"}, "steps": []}"#, field("settings.maxRunningExecutions")),
        (r#"{"workloads": [{"job": "a", "failureRate": 1.5}], "steps": []}"#, field("workloads[0].failureRate")),
        (r#"{"faults": [{"job": "ghost", "exitCode": 1}], "steps": []}"#, field("faults[0].job")),
        (r#"{"steps": 3}"#, field("steps")),
        (r#"{"steps": [{"runUntilIdle": true}, {"call": "jobs.get", "nmae": "a"}]}"#, step_field(1, "steps[1].nmae")),
        (r#"{"steps": [{"advance": "soon"}]}"#, step_field(0, "steps[0].advance")),
        (
            r#"{"steps": [{"runUntilIdle": true}, {"runUntilIdle": true}, {"advanceTo": "never"}]}"#,
            step_field(2, "steps[2].advanceTo"),
        ),
        (r#"{"steps": [{"advance": "1s", "runUntilIdle": true}]}"#, step_field(0, "steps[0]")),
        (r#"{"steps": [{"call": "jobs.nope"}]}"#, step_field(0, "steps[0].call")),
    ];
    for (text, expected) in rows {
        let got = location(text);
        // Where the field is known, the message starts with it (what the CLI prints): one fact, two forms.
        let message = Scenario::parse(text).unwrap_err().message;
        if let Some(f) = &got.field {
            assert!(message.starts_with(&format!("{f}:")), "{text}: {message}");
        }
        assert_eq!(&got, expected, "{text}: {message}");
    }
    // The same through the options of `new Simulator(options)` and one step at a time.
    let e = Simulator::new(&json!({"project": {"number": "12ab"}})).unwrap_err();
    assert_eq!(e.location.unwrap().field.as_deref(), Some("project.number"));
    let e = Step::from_value(9, &json!({"call": "jobs.get", "name": "a", "extra": 1})).unwrap_err();
    assert_eq!(*e.location.unwrap(), step_field(9, "steps[9].extra"));
}

/// Text that is not JSON or YAML: the parser's line and column, as numbers.
#[test]
fn text_errors_carry_line_and_column() {
    let at = |line, column| Location { line: Some(line), column, ..Location::default() };
    assert_eq!(location("{\"seed\": 1,\n  \"steps\": [}\n"), at(2, Some(13)));
    let yaml = location("seed: 1\nsteps:\n  - {advance: 1s\n");
    assert!(yaml.line.is_some_and(|l| l >= 3) && yaml.column.is_some(), "{yaml:?}");
    // YAML nested too deep is refused by the pre-scan, which knows the line only.
    let deep = format!("seed: 1\nsteps: {}\n", "[".repeat(200));
    assert_eq!(location(&deep), at(2, None));
    // A document (a pasted Job) the same way.
    let e = parse_document("metadata:\n  name: a\n   labels: {}\n").unwrap_err();
    let l = e.location.unwrap();
    assert_eq!((l.line, l.column), (Some(3), Some(10)), "{}", e.message);
    // Text that parses but is not a usable scenario has no line: the field says where.
    assert_eq!(location("seed: x\nsteps: []\n"), field("seed"));
}
