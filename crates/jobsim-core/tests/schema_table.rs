//! The generated request schema (`src/schema.rs`, D24) is what the newest v1 discovery document
//! says, plus the spec's §2.2 later fields. This test regenerates the file's text from the
//! document and fails on any drift; `JOBSIM_REGENERATE=1` rewrites the file instead.
//!
//! ```sh
//! JOBSIM_REGENERATE=1 cargo test -p jobsim-core --test schema_table
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt::Write as _;

const DISCOVERY: &str = include_str!("fixtures/discovery/run-v1-discovery-20261031.json");

/// Request bodies jobsim reads: `jobs.create` / `jobs.replaceJob` (Job) and `jobs.run`.
const ROOTS: &[&str] = &["Job", "RunJobRequest"];

/// Fields of spec §2.2 that the newest document lacks: `(schema, field, discovery property)`.
const LATER_FIELDS: &[(&str, &str, &str)] =
    &[("TaskSpec", "terminationGracePeriodSeconds", r#"{"type": "string", "format": "int64"}"#)];

fn schemas() -> serde_json::Map<String, Value> {
    let doc: Value = serde_json::from_str(DISCOVERY).unwrap();
    let mut schemas = doc["schemas"].as_object().unwrap().clone();
    for (schema, field, property) in LATER_FIELDS {
        let props = schemas[*schema]["properties"].as_object_mut().unwrap();
        assert!(!props.contains_key(*field), "{schema}.{field} is in the document now: drop it from LATER_FIELDS");
        props.insert(field.to_string(), serde_json::from_str(property).unwrap());
    }
    schemas
}

/// The Rust expression of a discovery property's type.
fn type_expr(p: &Value, refs: &mut Vec<String>) -> String {
    if let Some(r) = p["$ref"].as_str() {
        refs.push(r.to_string());
        return format!("Type::Message({r:?})");
    }
    match (p["type"].as_str(), p["format"].as_str()) {
        (Some("string"), Some("int64")) => "Type::Int64".into(),
        (Some("integer"), Some("int32")) => "Type::Int32".into(),
        (Some("string"), _) if p.get("enum").is_some() => {
            let values: Vec<String> =
                p["enum"].as_array().unwrap().iter().map(|v| format!("{:?}", v.as_str().unwrap())).collect();
            format!("Type::Enum(&[{}])", values.join(", "))
        }
        (Some("string"), _) => "Type::String".into(),
        (Some("boolean"), _) => "Type::Bool".into(),
        (Some("array"), _) => format!("Type::Array(&{})", type_expr(&p["items"], refs)),
        (Some("object"), _) => match p["additionalProperties"].get("type").and_then(Value::as_str) {
            Some("any") => "Type::Object".into(),
            _ => format!("Type::Map(&{})", type_expr(&p["additionalProperties"], refs)),
        },
        other => panic!("unhandled discovery type {other:?} in {p}"),
    }
}

fn generate() -> String {
    let schemas = schemas();
    let mut todo: Vec<String> = ROOTS.iter().map(|s| s.to_string()).collect();
    let mut done = BTreeSet::new();
    let mut bodies = std::collections::BTreeMap::new();
    while let Some(name) = todo.pop() {
        if !done.insert(name.clone()) {
            continue;
        }
        let mut fields = String::new();
        let props = schemas[&name]["properties"].as_object().unwrap();
        for (field, p) in props {
            let mut refs = Vec::new();
            let ty = type_expr(p, &mut refs);
            writeln!(fields, "        Field {{ name: {field:?}, ty: {ty} }},").unwrap();
            todo.extend(refs);
        }
        bodies.insert(name, fields);
    }
    let mut out = String::from(HEADER);
    out.push_str("#[rustfmt::skip]\npub static SCHEMAS: &[Schema] = &[\n");
    for (name, fields) in bodies {
        writeln!(out, "    Schema {{ name: {name:?}, fields: &[\n{fields}    ] }},").unwrap();
    }
    out.push_str("];\n");
    out
}

const HEADER: &str = r#"//! The v1 request schema (D24): every field of every message a request body may carry, with its
//! JSON type. GENERATED from the newest discovery document
//! (`tests/fixtures/discovery/run-v1-discovery-20261031.json`) plus the spec's §2.2 later fields
//! by `tests/schema_table.rs`, which fails when the two drift apart. Do not edit by hand:
//! `JOBSIM_REGENERATE=1 cargo test -p jobsim-core --test schema_table`.

/// The JSON type of a field, as the proto3 JSON mapping reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    /// A string.
    String,
    /// `true` or `false`.
    Bool,
    /// An int32: a JSON number or a decimal string.
    Int32,
    /// An int64: a decimal string or a JSON number.
    Int64,
    /// One of these strings.
    Enum(&'static [&'static str]),
    /// An object of the named schema.
    Message(&'static str),
    /// A list of values of this type.
    Array(&'static Type),
    /// An object with string keys and values of this type.
    Map(&'static Type),
    /// Any JSON object (`google.protobuf.Any`-like details).
    Object,
}

/// One field of a schema, by its JSON (lowerCamelCase) name.
#[derive(Debug)]
pub struct Field {
    /// JSON name.
    pub name: &'static str,
    /// JSON type.
    pub ty: Type,
}

/// One message of the v1 schema.
#[derive(Debug)]
pub struct Schema {
    /// Discovery id (`Job`, `TaskSpec`, …).
    pub name: &'static str,
    /// Its fields, by name.
    pub fields: &'static [Field],
}

impl Schema {
    /// The field named `name`, if the schema defines one.
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// The schema named `name` (`SCHEMAS` is sorted by name).
pub fn schema(name: &str) -> Option<&'static Schema> {
    SCHEMAS.binary_search_by(|s| s.name.cmp(name)).ok().and_then(|i| SCHEMAS.get(i))
}

"#;

#[test]
fn d24_schema_table_matches_the_newest_discovery_document() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/schema.rs");
    let want = generate();
    if std::env::var_os("JOBSIM_REGENERATE").is_some() {
        std::fs::write(path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        have == want,
        "src/schema.rs is out of date: run JOBSIM_REGENERATE=1 cargo test -p jobsim-core --test schema_table"
    );
}

#[test]
fn d24_schema_table_has_the_later_fields_of_spec_section_2_2() {
    let table = jobsim_core::schema::schema("TaskSpec").unwrap();
    for f in ["terminationGracePeriodSeconds", "nodeSelector", "sandboxes"] {
        assert!(table.field(f).is_some(), "TaskSpec.{f}");
    }
    let spec = jobsim_core::schema::schema("JobSpec").unwrap();
    assert!(spec.field("startExecutionToken").is_some() && spec.field("runExecutionToken").is_some());
    assert!(jobsim_core::schema::schema("Overrides").unwrap().field("delayExecution").is_some());
}
