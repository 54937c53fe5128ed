//! Shared helpers of the workspace-level tests (the test files beside this one, declared in
//! `Cargo.toml`): where the repository's scenarios and fixtures are, and how to read them.
//!
//! The given/when/then helpers themselves are public in `jobsim_core::testing`, so that other
//! crates can use them too.

use serde_json::Value;
use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Every scenario file shipped in `scenarios/` (`*.yaml`, `*.yml`, `*.json`), sorted by name.
pub fn scenario_files() -> Vec<PathBuf> {
    let dir = root().join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")));
    files.sort();
    files
}

/// The text of a file, or a message naming it.
pub fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// A real Cloud Run fixture from `tests/fixtures/real/` (sources in its `SOURCES.md`).
pub fn real_fixture(name: &str) -> Result<Value, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/real").join(name);
    let text = read(&path)?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The lines of a JSON Lines text, each parsed.
pub fn jsonl(text: &str) -> Result<Vec<Value>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str(l).map_err(|e| format!("line {}: {e}", i + 1)))
        .collect()
}
