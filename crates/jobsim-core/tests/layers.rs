//! Layers without cycles (issue #10 item 1): every module of `jobsim-core` imports only modules
//! on a *lower* line of the layer list in ARCHITECTURE.md (the fenced `layers` block, lowest
//! first). An import of a module on the same line (sideways) or a higher one (upward) fails,
//! naming the file, the line and the import, so a new helper has to go to the room it belongs in
//! instead of closing a loop.
//!
//! The list is read from ARCHITECTURE.md itself, so the document and the code cannot drift: a
//! module missing from the list, or a listed module with no source, fails too. Paths are read
//! from the sources as text: `use crate::…` (also `crate::{a, b}` groups over several lines),
//! `crate::x::` paths in code, and `super::` paths of a file in a directory module (so
//! `decide/scheduler.rs` cannot reach `super::jobs`). A path belongs to its longest listed prefix
//! (`decide::jobs::create` to `decide::jobs`, `resources::job::Job` to `resources`). `#[cfg(test)]` modules are not read: unit tests are not part of
//! the library, and may drive the facade (`crate::Simulator`) to test a low module. `lib.rs` is
//! the root that declares and re-exports every module, so it is above all of them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// The layer list: module name → line index (0 = lowest).
fn layers() -> BTreeMap<String, usize> {
    let doc = std::fs::read_to_string(root().join("../../ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let block = doc.split("```layers\n").nth(1).expect("ARCHITECTURE.md has a ```layers block");
    let block = block.split("```").next().unwrap_or_default();
    let mut out = BTreeMap::new();
    for (i, line) in block.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        let line = line.split('#').next().unwrap_or_default();
        for m in line.split([',', ' ']).map(str::trim).filter(|m| !m.is_empty()) {
            let m = m.trim_end_matches('/').trim_end_matches(".rs").replace('/', "::");
            assert!(out.insert(m.clone(), i).is_none(), "{m} is listed twice in the layers block");
        }
    }
    out
}

/// Every module's source: (module name, file relative to src/, text).
fn sources() -> Vec<(String, String, String)> {
    let src = root().join("src");
    let mut out = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().and_then(|e| e.to_str()) != Some("rs") {
                continue;
            }
            let rel = path.strip_prefix(&src).expect("under src").to_string_lossy().replace('\\', "/");
            if rel == "lib.rs" {
                continue;
            }
            // `decide/jobs.rs` is `decide::jobs`, `decide/mod.rs` is `decide`.
            let module = rel.trim_end_matches(".rs").trim_end_matches("/mod").replace('/', "::");
            out.push((module, rel, std::fs::read_to_string(&path).expect("source")));
        }
    }
    out.sort();
    out
}

/// The text before the first `#[cfg(test)]` item: the library part of a file.
fn library_part(text: &str) -> &str {
    text.split("#[cfg(test)]").next().unwrap_or(text)
}

/// Line comments removed, so a doc comment that names `crate::x` is not an import.
fn code_of(line: &str) -> &str {
    line.split("//").next().unwrap_or_default()
}

/// The listed module a path (`decide::jobs::create`, `resources::Job`) lands in: its longest
/// prefix in the list (`decide::jobs`; `resources`, whose files are one room).
fn room(layers: &BTreeMap<String, usize>, path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len()).rev().map(|n| parts[..n].join("::")).find(|p| layers.contains_key(p))
}

/// Every crate path a file refers to: (1-based line, path from the crate root, the import as
/// written). `super::x` in a file of module `a::b` is `a::x` (the parent's child).
fn imports(text: &str, module: &str) -> Vec<(usize, String, String)> {
    let parent = module.rsplit_once("::").map(|(p, _)| p.to_string());
    let text = match &parent {
        // `super::` from `a::b` (a file `a/b.rs`) is `crate::a::`: read it as such.
        Some(p) => library_part(text).replace("super::", &format!("crate::{p}::")),
        None => library_part(text).to_string(),
    };
    imports_of(&text)
}

/// [`imports`] of text whose paths all start at `crate::`.
fn imports_of(text: &str) -> Vec<(usize, String, String)> {
    let mut out = Vec::new();
    let lines: Vec<&str> = library_part(text).lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = code_of(lines[i]);
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            if let Some(group) = after.strip_prefix('{') {
                // A `crate::{a, b::C, …}` group, possibly over several lines.
                let mut text = group.to_string();
                let mut j = i;
                while !text.contains('}') && j + 1 < lines.len() {
                    j += 1;
                    text.push_str(code_of(lines[j]));
                }
                let inner = text.split('}').next().unwrap_or_default();
                for item in inner.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                    let path = item.split(" as ").next().unwrap_or_default().trim().to_string();
                    out.push((i + 1, path, format!("crate::{{{}}}", inner.trim())));
                }
            } else {
                let end = after.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).unwrap_or(after.len());
                let module = after[..end].trim_end_matches(':').to_string();
                let shown = if line.trim_start().starts_with("use ") || line.trim_start().starts_with("pub use ") {
                    line.trim().to_string()
                } else {
                    let end =
                        after.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).unwrap_or(after.len());
                    format!("crate::{}", &after[..end])
                };
                out.push((i + 1, module, shown));
            }
            rest = after;
        }
        i += 1;
    }
    out
}

/// What goes against the list: "file:line imports X (layer n) but is in layer m".
fn violations(layers: &BTreeMap<String, usize>) -> Vec<String> {
    let mut bad = Vec::new();
    for (module, rel, text) in sources() {
        let Some(&own) = room(layers, &module).and_then(|m| layers.get(&m)) else {
            bad.push(format!("src/{rel}: module `{module}` is not in the ARCHITECTURE.md layers block"));
            continue;
        };
        for (line, path, import) in imports(&text, &module) {
            let Some(target) = room(layers, &path) else {
                bad.push(format!(
                    "src/{rel}:{line}: `{import}` names `{path}`, which is in no module of the layers block \
                     (import the module itself, not the root's re-export)"
                ));
                continue;
            };
            // A path into the file's own room (its own items; `resources/job.rs` naming
            // `resources::Extra`) is no import.
            if room(layers, &module).as_deref() == Some(target.as_str()) {
                continue;
            }
            let other = layers[&target];
            if other == own {
                bad.push(format!(
                    "src/{rel}:{line}: `{import}` goes sideways: `{module}` and `{target}` share layer {own}"
                ));
            } else if other > own {
                bad.push(format!(
                    "src/{rel}:{line}: `{import}` goes up: `{module}` is in layer {own}, `{target}` in layer {other}"
                ));
            }
        }
    }
    bad
}

#[test]
fn every_module_imports_only_lower_layers() {
    let layers = layers();
    let bad = violations(&layers);
    assert!(bad.is_empty(), "imports against the layer list of ARCHITECTURE.md:\n{}", bad.join("\n"));
}

#[test]
fn every_listed_module_has_a_source() {
    let present: Vec<String> = sources().into_iter().map(|(m, _, _)| m).collect();
    for module in layers().keys() {
        assert!(present.contains(module), "ARCHITECTURE.md lists `{module}` but src/ has no such module");
    }
}

#[test]
fn the_reader_sees_every_form_of_import() {
    // The checker itself can fail: each form an import takes is seen, comments and tests are not.
    let text = "use crate::time::Micros;\nuse crate::{random, state::State};\nuse crate::{\n    event,\n    clock::Timer,\n};\n\
                fn f() { crate::render::job(); } // crate::lists::x\nfn g() { super::executions::run(); }\n#[cfg(test)]\nmod tests { use crate::simulator::Simulator; }\n";
    let found: Vec<(usize, String)> = imports(text, "decide::jobs").into_iter().map(|(l, m, _)| (l, m)).collect();
    let want = [
        (1, "time::Micros"),
        (2, "random"),
        (2, "state::State"),
        (3, "event"),
        (3, "clock::Timer"),
        (7, "render::job"),
        (8, "decide::executions::run"),
    ];
    assert_eq!(found, want.iter().map(|(l, m)| (*l, m.to_string())).collect::<Vec<_>>());
    let layers: BTreeMap<String, usize> =
        [("decide".to_string(), 2), ("decide::jobs".to_string(), 1), ("resources".to_string(), 0)].into();
    assert_eq!(room(&layers, "decide::jobs::create").as_deref(), Some("decide::jobs"));
    assert_eq!(room(&layers, "decide::decide").as_deref(), Some("decide"));
    assert_eq!(room(&layers, "resources::job::Job").as_deref(), Some("resources"));
    assert_eq!(room(&layers, "simulator"), None);
}
