//! D23: the value rules of single fields — env var names, resource limits, ports, label and
//! annotation syntax — each returning its violations (all at once, D2) for `jobs::validate`
//! and the `jobs.run` overrides. Pure functions of the typed body.

use crate::error::FieldViolation;
use crate::resources::{Container, EnvVar, Job, ObjectMeta};

/// Most CPUs a task may have (D23).
pub const MAX_CPU: f64 = 8.0;
/// Most memory a task may have: 32 GiB (D23).
pub const MAX_MEMORY_BYTES: f64 = 32.0 * 1024.0 * 1024.0 * 1024.0;
/// Most bytes of annotation keys and values on one object (Kubernetes' 256 KiB).
pub const MAX_ANNOTATION_BYTES: usize = 256 * 1024;
/// Label and annotation key prefixes the server writes; their values are its own (a timestamp
/// label value has `:`), so only the key syntax of those is checked.
const SYSTEM_PREFIXES: &[&str] = &["run.googleapis.com/", "cloud.googleapis.com/", "serving.knative.dev/"];

fn violation(field: String, description: String) -> FieldViolation {
    FieldViolation { field, description }
}

/// Kubernetes' env var name rule (`[-._a-zA-Z][-._a-zA-Z0-9]*`): C identifier-like, no `=`.
pub fn is_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_' || c == '-' || c == '.')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
}

/// Env var names of a container or a container override (`path` = `…containers[0]`).
pub fn env(env: &[EnvVar], path: &str, out: &mut Vec<FieldViolation>) {
    for (i, e) in env.iter().enumerate() {
        let field = format!("{path}.env[{i}].name");
        if e.name.is_empty() {
            out.push(violation(field, "Required: an environment variable needs a name".into()));
        } else if !is_env_name(&e.name) {
            out.push(violation(
                field,
                format!(
                    "Invalid environment variable name {:?}: use letters, digits, '_', '-' or '.', not starting with a digit",
                    e.name
                ),
            ));
        }
    }
}

/// A Kubernetes quantity (`"1"`, `"1000m"`, `"512Mi"`, `"2Gi"`, `"1e3"`) as a number.
pub fn quantity(s: &str) -> Option<f64> {
    const SUFFIXES: &[(&str, f64)] = &[
        ("Ki", 1024.0),
        ("Mi", 1048576.0),
        ("Gi", 1073741824.0),
        ("Ti", 1099511627776.0),
        ("Pi", 1125899906842624.0),
        ("Ei", 1152921504606846976.0),
        ("n", 1e-9),
        ("u", 1e-6),
        ("m", 1e-3),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
        ("P", 1e15),
        ("E", 1e18),
    ];
    let (number, factor) =
        SUFFIXES.iter().find_map(|(suffix, factor)| s.strip_suffix(suffix).map(|n| (n, *factor))).unwrap_or((s, 1.0));
    let (mantissa, exponent) = match number.find(['e', 'E']) {
        Some(i) => (&number[..i], number[i + 1..].parse::<i32>().ok()?),
        None => (number, 0),
    };
    let digits = mantissa.strip_prefix(['+', '-']).unwrap_or(mantissa);
    let valid = !digits.is_empty()
        && digits != "."
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.matches('.').count() <= 1;
    if !valid || !(-30..=30).contains(&exponent) {
        return None;
    }
    let value: f64 = mantissa.parse().ok()?;
    Some(value * 10f64.powi(exponent) * factor)
}

/// Env names, `resources.limits` and ports of the containers of a task spec (`path` ends in
/// `containers`).
pub fn containers(containers: &[Container], path: &str, out: &mut Vec<FieldViolation>) {
    for (i, c) in containers.iter().enumerate() {
        let at = format!("{path}[{i}]");
        env(&c.env, &at, out);
        if let Some(r) = &c.resources {
            for (key, value) in &r.limits {
                let field = format!("{at}.resources.limits[{}]", serde_json::Value::String(key.clone()));
                let q = quantity(value);
                let problem = match key.as_str() {
                    "cpu" => match q {
                        Some(n) if n > 0.0 && n <= MAX_CPU + 1e-9 => None,
                        _ => Some(format!(
                            "Invalid cpu {value:?}: a quantity above 0 and at most {MAX_CPU} (\"1\", \"2\", \"1000m\")"
                        )),
                    },
                    "memory" => match q {
                        Some(n) if n > 0.0 && n <= MAX_MEMORY_BYTES => None,
                        _ => Some(format!(
                            "Invalid memory {value:?}: a quantity above 0 and at most 32Gi (\"512Mi\", \"2Gi\")"
                        )),
                    },
                    "nvidia.com/gpu" => match q {
                        Some(n) if n >= 1.0 && n.fract() == 0.0 => None,
                        _ => Some(format!("Invalid nvidia.com/gpu {value:?}: a whole number of GPUs, at least 1")),
                    },
                    _ => {
                        Some(format!("Unsupported resource {key:?}: only cpu, memory and nvidia.com/gpu are supported"))
                    }
                };
                if let Some(description) = problem {
                    out.push(violation(field, description));
                }
            }
        }
        for (j, p) in c.ports.iter().enumerate() {
            if !(0..=65535).contains(&p.container_port) {
                out.push(violation(
                    format!("{at}.ports[{j}].containerPort"),
                    format!("Invalid port {}: must be between 1 and 65535", p.container_port),
                ));
            }
        }
    }
}

/// `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`, at most 63 characters.
fn is_name_part(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        && b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last().is_some_and(u8::is_ascii_alphanumeric)
}

/// A DNS subdomain (lowercase), at most 253 characters.
fn is_dns_prefix(s: &str) -> bool {
    s.len() <= 253
        && s.split('.').all(|label| {
            let b = label.as_bytes();
            !b.is_empty()
                && b.len() <= 63
                && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
                && b.first().is_some_and(|c| *c != b'-')
                && b.last().is_some_and(|c| *c != b'-')
        })
}

/// A Kubernetes label or annotation key: an optional DNS prefix and `/`, then a name part.
pub fn is_key(key: &str) -> bool {
    match key.split_once('/') {
        Some((prefix, name)) => is_dns_prefix(prefix) && is_name_part(name),
        None => is_name_part(key),
    }
}

/// A label value: empty, or a name part.
pub fn is_label_value(value: &str) -> bool {
    value.is_empty() || is_name_part(value)
}

/// Label keys and values, annotation keys and the annotations' total size of an object's
/// metadata (`path` = `metadata` or `spec.template.metadata`).
pub fn metadata(meta: &ObjectMeta, path: &str, out: &mut Vec<FieldViolation>) {
    const KEY_RULE: &str =
        "an optional DNS prefix and '/', then at most 63 of [A-Za-z0-9._-] starting and ending alphanumeric";
    for (key, value) in &meta.labels {
        let field = format!("{path}.labels[{}]", serde_json::Value::String(key.clone()));
        if !is_key(key) {
            out.push(violation(field, format!("Invalid label key {:?}: {KEY_RULE}", short(key))));
        } else if !is_label_value(value) && !SYSTEM_PREFIXES.iter().any(|p| key.starts_with(p)) {
            out.push(violation(
                field,
                format!(
                    "Invalid label value {:?}: empty, or at most 63 of [A-Za-z0-9._-] starting and ending alphanumeric",
                    short(value)
                ),
            ));
        }
    }
    let mut total = 0usize;
    for (key, value) in &meta.annotations {
        total += key.len() + value.len();
        if !is_key(key) {
            out.push(violation(
                format!("{path}.annotations[{}]", serde_json::Value::String(key.clone())),
                format!("Invalid annotation key {:?}: {KEY_RULE}", short(key)),
            ));
        }
    }
    if total > MAX_ANNOTATION_BYTES {
        out.push(violation(
            format!("{path}.annotations"),
            format!("Annotations are {total} bytes; at most {MAX_ANNOTATION_BYTES} (256 KiB) in total"),
        ));
    }
}

/// Every D23 rule of a job body: its and its template's metadata, and its containers.
pub fn job(body: &Job, out: &mut Vec<FieldViolation>) {
    metadata(&body.metadata, "metadata", out);
    let Some(template) = &body.spec.template else { return };
    if let Some(meta) = &template.metadata {
        if !meta.name.is_empty() {
            // Observed on Cloud Run v1 (googleapis/google-api-go-client#1615).
            out.push(violation("spec.template.metadata.name".into(), "Template name must be unspecified.".into()));
        }
        metadata(meta, "spec.template.metadata", out);
    }
    if let Some(task) = body.task_spec() {
        containers(&task.containers, "spec.template.spec.template.spec.containers", out);
    }
}

/// A hostile key or value shown in a message: its first 64 characters.
fn short(s: &str) -> String {
    match s.char_indices().nth(64) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn d23_quantities() {
        assert_eq!(quantity("1000m"), Some(1.0));
        assert_eq!(quantity("512Mi"), Some(512.0 * 1048576.0));
        assert_eq!(quantity("2"), Some(2.0));
        assert_eq!(quantity("1e3"), Some(1000.0));
        assert_eq!(quantity("-5Gi").map(|q| q < 0.0), Some(true));
        for bad in ["banana", "", "Gi", "1.2.3", ".", "1e999", "m"] {
            assert_eq!(quantity(bad), None, "{bad}");
        }
    }

    #[test]
    fn d23_keys_and_env_names() {
        assert!(is_key("team") && is_key("run.googleapis.com/lastUpdatedTime") && is_key("a.b/c_d"));
        assert!(!is_key("BAD KEY!") && !is_key("/x") && !is_key("Upper.com/x") && !is_key(&"a".repeat(64)));
        assert!(is_env_name("A_B") && is_env_name("_x") && is_env_name("my.var-1"));
        assert!(!is_env_name("1A") && !is_env_name("A=B") && !is_env_name("") && !is_env_name("A B"));
    }
}
