//! Reading a simulator's options (the scenario's top-level keys) into a [`World`], with errors
//! that name the field: `workloads[0].failureRate: must be between 0 and 1, got 1.5`.

use crate::error::{Error, Result};
use crate::settings::{limits, Fault, Profile, ProfileName, Project, Settings, Workload, World};
use crate::time::{duration_from_json, parse_timestamp, Micros};
use serde_json::{Map, Value};

/// The keys a scenario or options object may have besides `steps`.
pub const OPTION_KEYS: &[&str] = &["seed", "start", "profile", "project", "settings", "workloads", "faults"];

fn object<'v>(v: &'v Value, field: &str) -> Result<&'v Map<String, Value>> {
    v.as_object()
        .ok_or_else(|| Error::scenario_field(field, format!("must be an object, got {}", crate::decode::kind_of(v))))
}

fn only_keys(m: &Map<String, Value>, field: &str, allowed: &[&str]) -> Result<()> {
    match m.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(Error::scenario_field(
            &format!("{field}.{k}"),
            format!("unknown key; expected one of {}", allowed.join(", ")),
        )),
        None => Ok(()),
    }
}

fn string(v: &Value, field: &str) -> Result<String> {
    v.as_str().map(str::to_string).ok_or_else(|| Error::scenario_field(field, format!("must be a string, got {v}")))
}

fn duration(v: &Value, field: &str) -> Result<Micros> {
    duration_from_json(v).map_err(|e| Error::scenario_field(field, e))
}

fn u32_of(v: &Value, field: &str) -> Result<u32> {
    v.as_u64().and_then(|n| u32::try_from(n).ok()).ok_or_else(|| {
        Error::scenario_field(field, format!("must be a non-negative integer (at most {}), got {v}", u32::MAX))
    })
}

fn list<'v>(v: &'v Value, field: &str) -> Result<&'v Vec<Value>> {
    let items = v
        .as_array()
        .ok_or_else(|| Error::scenario_field(field, format!("must be an array, got {}", crate::decode::kind_of(v))))?;
    if items.len() > limits::MAX_SCENARIO_ENTRIES {
        return Err(Error::scenario_field(
            field,
            format!("has {} entries; at most {} are accepted", items.len(), limits::MAX_SCENARIO_ENTRIES),
        ));
    }
    Ok(items)
}

/// Builds the world from an options object (`null` or `{}` = defaults). Unknown keys are
/// errors, so a typo never silently changes nothing.
pub fn world_from_options(options: &Value) -> Result<World> {
    let empty = Map::new();
    let m = match options {
        Value::Null => &empty,
        v => object(v, "options")?,
    };
    let mut allowed = OPTION_KEYS.to_vec();
    allowed.push("steps");
    only_keys(m, "scenario", &allowed)?;
    crate::decode::check_depth(options, limits::MAX_NESTING, "options").map_err(|e| Error::scenario(e.message))?;
    let mut world = World::default();
    if let Some(v) = m.get("seed").filter(|v| !v.is_null()) {
        world.seed = seed(v)?;
    }
    if let Some(v) = m.get("start").filter(|v| !v.is_null()) {
        world.start = parse_timestamp(&string(v, "start")?).map_err(|e| Error::scenario_field("start", e))?;
    }
    if let Some(v) = m.get("profile").filter(|v| !v.is_null()) {
        world.profile = match string(v, "profile")?.as_str() {
            "instant" => Profile::named(ProfileName::Instant),
            "realistic" => Profile::named(ProfileName::Realistic),
            other => {
                return Err(Error::scenario_field(
                    "profile",
                    format!("must be \"instant\" or \"realistic\", got {other:?}"),
                ))
            }
        };
    }
    if let Some(v) = m.get("project").filter(|v| !v.is_null()) {
        let p = object(v, "project")?;
        only_keys(p, "project", &["id", "number", "region", "caller"])?;
        let mut project = Project::default();
        for (key, slot) in [
            ("id", &mut project.id),
            ("number", &mut project.number),
            ("region", &mut project.region),
            ("caller", &mut project.caller),
        ] {
            if let Some(v) = p.get(key) {
                let s = match v {
                    Value::Number(n) if key == "number" => n.to_string(),
                    _ => string(v, &format!("project.{key}"))?,
                };
                if s.is_empty() || s.len() > 100 || s.contains('/') {
                    return Err(Error::scenario_field(
                        &format!("project.{key}"),
                        "must be 1 to 100 characters without '/'",
                    ));
                }
                *slot = s;
            }
        }
        if !project.number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::scenario_field("project.number", format!("must be digits, got {:?}", project.number)));
        }
        world.project = project;
    }
    if let Some(v) = m.get("settings").filter(|v| !v.is_null()) {
        world.settings = settings(v)?;
    }
    if let Some(v) = m.get("workloads").filter(|v| !v.is_null()) {
        world.workloads = list(v, "workloads")?
            .iter()
            .enumerate()
            .map(|(i, w)| workload(w, &format!("workloads[{i}]")))
            .collect::<Result<_>>()?;
    }
    if let Some(v) = m.get("faults").filter(|v| !v.is_null()) {
        world.faults = list(v, "faults")?
            .iter()
            .enumerate()
            .map(|(i, f)| fault(f, &format!("faults[{i}]")))
            .collect::<Result<_>>()?;
    }
    Ok(world)
}

/// Largest seed accepted as a JSON number: 2^53 − 1 (`Number.MAX_SAFE_INTEGER`). Above it a
/// JavaScript number may already have been rounded (`2 ** 53 + 1` arrives as 2^53), so the same
/// scenario would run with another seed in the web demo than in the CLI (D27).
pub const MAX_NUMERIC_SEED: u64 = (1 << 53) - 1;

/// A seed: a u64 as a decimal string, or a JSON number up to [`MAX_NUMERIC_SEED`] (D27).
fn seed(v: &Value) -> Result<u64> {
    match v {
        Value::Number(n) => match n.as_u64() {
            Some(seed) if seed <= MAX_NUMERIC_SEED => Ok(seed),
            _ if n.as_f64().is_some_and(|f| f.fract() == 0.0 && f >= 0.0) => Err(Error::scenario_field(
                "seed",
                format!(
                    "{n} is not exactly representable as a JavaScript number (above {MAX_NUMERIC_SEED}); \
                     write the seed as a decimal string, e.g. seed: \"{n}\""
                ),
            )),
            _ => Err(Error::scenario_field("seed", format!("must be a non-negative integer, got {n}"))),
        },
        Value::String(s) => crate::settings::parse_seed(s).map_err(|e| Error::scenario_field("seed", e)),
        other => Err(Error::scenario_field("seed", format!("must be a non-negative integer, got {other}"))),
    }
}

fn settings(v: &Value) -> Result<Settings> {
    let m = object(v, "settings")?;
    only_keys(
        m,
        "settings",
        &["maxParallelism", "maxRunningExecutions", "missingImages", "conditionMessages", "prices"],
    )?;
    let mut s = Settings::default();
    if let Some(v) = m.get("maxParallelism").filter(|v| !v.is_null()) {
        let n = u32_of(v, "settings.maxParallelism")?;
        if n == 0 {
            return Err(Error::scenario_field("settings.maxParallelism", "must be at least 1 (or null for unlimited)"));
        }
        s.max_parallelism = Some(n);
    }
    if let Some(v) = m.get("maxRunningExecutions").filter(|v| !v.is_null()) {
        s.max_running_executions = u32_of(v, "settings.maxRunningExecutions")?;
    }
    if let Some(v) = m.get("missingImages").filter(|v| !v.is_null()) {
        s.missing_images = list(v, "settings.missingImages")?
            .iter()
            .enumerate()
            .map(|(i, x)| string(x, &format!("settings.missingImages[{i}]")))
            .collect::<Result<_>>()?;
    }
    if let Some(v) = m.get("conditionMessages").filter(|v| !v.is_null()) {
        s.condition_messages = v.as_bool().ok_or_else(|| {
            Error::scenario_field("settings.conditionMessages", format!("must be true or false, got {v}"))
        })?;
    }
    if let Some(v) = m.get("prices").filter(|v| !v.is_null()) {
        let p = object(v, "settings.prices")?;
        only_keys(p, "settings.prices", &["vcpuSecond", "gibSecond"])?;
        for (key, slot) in [("vcpuSecond", &mut s.prices.vcpu_second), ("gibSecond", &mut s.prices.gib_second)] {
            if let Some(v) = p.get(key).filter(|v| !v.is_null()) {
                let field = format!("settings.prices.{key}");
                let price =
                    v.as_f64().ok_or_else(|| Error::scenario_field(&field, format!("must be a number, got {v}")))?;
                if !(0.0..=1.0).contains(&price) {
                    return Err(Error::scenario_field(&field, format!("must be between 0 and 1 USD, got {price}")));
                }
                *slot = price;
            }
        }
    }
    Ok(s)
}

fn job_name(m: &Map<String, Value>, field: &str) -> Result<String> {
    let v = m.get("job").ok_or_else(|| Error::scenario_field(&format!("{field}.job"), "is required"))?;
    let job = string(v, &format!("{field}.job"))?;
    if !crate::names::is_valid_name(&job) {
        return Err(Error::scenario_field(&format!("{field}.job"), format!("{job:?} is not a valid job name")));
    }
    Ok(job)
}

fn workload(v: &Value, field: &str) -> Result<Workload> {
    let m = object(v, field)?;
    only_keys(m, field, &["job", "duration", "jitter", "failureRate", "exitCode"])?;
    let mut w = Workload { job: job_name(m, field)?, duration: None, jitter: 0, failure_rate: 0.0, exit_code: 1 };
    if let Some(v) = m.get("duration").filter(|v| !v.is_null()) {
        w.duration = Some(duration(v, &format!("{field}.duration"))?);
    }
    if let Some(v) = m.get("jitter").filter(|v| !v.is_null()) {
        w.jitter = duration(v, &format!("{field}.jitter"))?;
    }
    if let Some(v) = m.get("failureRate").filter(|v| !v.is_null()) {
        let rate = v.as_f64().ok_or_else(|| {
            Error::scenario_field(&format!("{field}.failureRate"), format!("must be a number, got {v}"))
        })?;
        if !(0.0..=1.0).contains(&rate) {
            return Err(Error::scenario_field(
                &format!("{field}.failureRate"),
                format!("must be between 0 and 1, got {rate}"),
            ));
        }
        w.failure_rate = rate;
    }
    if let Some(v) = m.get("exitCode").filter(|v| !v.is_null()) {
        w.exit_code = exit_code(v, &format!("{field}.exitCode"))?;
    }
    Ok(w)
}

fn exit_code(v: &Value, field: &str) -> Result<i32> {
    v.as_i64()
        .filter(|c| (0..=255).contains(c))
        .map(|c| c as i32)
        .ok_or_else(|| Error::scenario_field(field, format!("must be an exit code from 0 to 255, got {v}")))
}

fn fault(v: &Value, field: &str) -> Result<Fault> {
    let m = object(v, field)?;
    only_keys(m, field, &["job", "execution", "task", "attempt", "exitCode", "hang", "duration"])?;
    let mut f = Fault {
        job: job_name(m, field)?,
        execution: None,
        task: None,
        attempt: None,
        exit_code: None,
        hang: false,
        duration: None,
    };
    if let Some(v) = m.get("execution").filter(|v| !v.is_null()) {
        let n = u32_of(v, &format!("{field}.execution"))?;
        if n == 0 {
            return Err(Error::scenario_field(
                &format!("{field}.execution"),
                "is the 1-based ordinal of the job's executions; 0 is not one",
            ));
        }
        f.execution = Some(n);
    }
    if let Some(v) = m.get("task").filter(|v| !v.is_null()) {
        let task = u32_of(v, &format!("{field}.task"))?;
        if task >= limits::MAX_TASK_COUNT as u32 {
            return Err(Error::scenario_field(
                &format!("{field}.task"),
                format!(
                    "task {task} cannot exist: an execution has at most {} tasks (indexes 0 to {})",
                    limits::MAX_TASK_COUNT,
                    limits::MAX_TASK_COUNT - 1
                ),
            ));
        }
        f.task = Some(task);
    }
    if let Some(v) = m.get("attempt").filter(|v| !v.is_null()) {
        let attempt = u32_of(v, &format!("{field}.attempt"))?;
        if attempt > limits::MAX_RETRIES as u32 {
            return Err(Error::scenario_field(
                &format!("{field}.attempt"),
                format!(
                    "attempt {attempt} cannot exist: a task makes at most maxRetries + 1 attempts and maxRetries is at most {} (attempts 0 to {})",
                    limits::MAX_RETRIES,
                    limits::MAX_RETRIES
                ),
            ));
        }
        f.attempt = Some(attempt);
    }
    if let Some(v) = m.get("exitCode").filter(|v| !v.is_null()) {
        f.exit_code = Some(exit_code(v, &format!("{field}.exitCode"))?);
    }
    if let Some(v) = m.get("hang").filter(|v| !v.is_null()) {
        f.hang = v.as_bool().ok_or_else(|| {
            Error::scenario_field(&format!("{field}.hang"), format!("must be true or false, got {v}"))
        })?;
    }
    if let Some(v) = m.get("duration").filter(|v| !v.is_null()) {
        f.duration = Some(duration(v, &format!("{field}.duration"))?);
    }
    if f.hang && f.exit_code.is_some() {
        return Err(Error::scenario_field(field, "a fault cannot both hang and exit with a code"));
    }
    if !f.hang && f.exit_code.is_none() && f.duration.is_none() {
        return Err(Error::scenario_field(field, "says nothing: give exitCode, hang or duration"));
    }
    Ok(f)
}
