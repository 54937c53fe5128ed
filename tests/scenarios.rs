//! One insta snapshot per scenario file in `scenarios/`: the outcome of every step (the JSON
//! bodies, errors included), the event log as one summary line per event, and why each
//! execution ended as it did. The scenario text is stored as the snapshot's `info`, so each
//! `.snap` reads on its own.
//!
//! After changing a scenario or the engine: `INSTA_UPDATE=always cargo test -p jobsim-tests --test
//! scenarios` (or `cargo insta review`), then read every changed `.snap` before committing it. Clock and ids are seeded, so no redactions are needed.

use jobsim_core::testing::scenario_outcome;

#[test]
fn scenario() {
    insta::glob!("../scenarios", "*.{yaml,yml,json}", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let outcome = scenario_outcome(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        // The input, line by line (comments included), so the snapshot reads on its own.
        let input: Vec<&str> = text.lines().collect();
        insta::with_settings!({info => &input, omit_expression => true, prepend_module_to_snapshot => false}, {
            insta::assert_json_snapshot!(outcome);
        });
    });
}
