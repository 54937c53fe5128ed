//! The simulated world and every modelling decision of jobsim in one place (D1–D16).
//!
//! Where Cloud Run's real behaviour is unknown, jobsim decides; those choices live here (limits,
//! delays, defaults) so that a better-evidenced answer is a one-line change.

use crate::time::Micros;
use serde::{Deserialize, Serialize};

/// Limits Cloud Run documents; jobsim enforces them with 400 INVALID_ARGUMENT (R11).
pub mod limits {
    /// Most tasks one execution may have (DOC-CREATE).
    pub const MAX_TASK_COUNT: i32 = 10_000;
    /// Most retries per task (DOC-RETRY).
    pub const MAX_RETRIES: i32 = 10;
    /// Default retries when `maxRetries` is absent (R10).
    pub const DEFAULT_MAX_RETRIES: i32 = 3;
    /// Default per-attempt timeout in seconds (R10).
    pub const DEFAULT_TIMEOUT_SECONDS: i64 = 600;
    /// Longest per-attempt timeout: 168 h (DOC-TIMEOUT).
    pub const MAX_TIMEOUT_SECONDS: i64 = 604_800;
    /// Longest job or execution name (R1, R4).
    pub const MAX_NAME_LEN: usize = 63;
    /// Jobs per project and region (DOC-QUOTA).
    pub const MAX_JOBS: usize = 1000;
    /// Terminal executions kept per job (R31).
    pub const RETAINED_EXECUTIONS: usize = 1000;
    /// Largest request body or scenario accepted, in bytes (hostile input guard).
    pub const MAX_INPUT_BYTES: usize = 8 * 1024 * 1024;
    /// Deepest JSON nesting accepted in a request body or scenario.
    pub const MAX_NESTING: usize = 64;
    /// Most containers in one task template.
    pub const MAX_CONTAINERS: usize = 10;
    /// Most entries in one scenario's `steps`, `workloads` or `faults`.
    pub const MAX_SCENARIO_ENTRIES: usize = 100_000;
    /// Largest page a list returns when `limit` is absent or larger (D22): a `tasks.list` of
    /// 500 tasks is about 0.75 MB of JSON.
    pub const MAX_PAGE: usize = 500;
    /// Largest sequence number, log version or timer sequence accepted (D26): 2⁵³ − 1, the
    /// largest integer a JavaScript number holds exactly (they cross the wasm boundary as numbers).
    pub const MAX_SEQUENCE: u64 = (1 << 53) - 1;
}

/// The project one simulator holds (D16). Requests may name it by id or number (R2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Project {
    /// Project id, used in 404 texts and log URIs.
    pub id: String,
    /// Project number, written as `metadata.namespace` (R2).
    pub number: String,
    /// Region, written as the `cloud.googleapis.com/location` label.
    pub region: String,
    /// The caller's email: `run.googleapis.com/creator` and `lastModifier`.
    pub caller: String,
}

impl Default for Project {
    fn default() -> Self {
        Project {
            id: "demo-project".into(),
            number: "123456789012".into(),
            region: "us-central1".into(),
            caller: "simulator@example.com".into(),
        }
    }
}

/// Knobs standing in for quota and the outside world (D9, D16).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Settings {
    /// Parallelism used when a job leaves it 0/unset (D9); `None` = unlimited.
    pub max_parallelism: Option<u32>,
    /// Non-terminal executions allowed before `jobs.run` answers 429 (R16).
    pub max_running_executions: u32,
    /// Images that make a job `Ready=False` with `ContainerMissing` (R12).
    pub missing_images: Vec<String>,
    /// Whether provisioning conditions carry messages (`"Imported container image."`, …).
    /// Real samples disagree (NFL/BQX have them, the PLANQTN audit log does not); default on.
    pub condition_messages: bool,
    /// What a vCPU-second and a GiB-second cost (issue #12 cost model). Left out of the log
    /// when it is the default, so logs written before prices existed stay byte-identical.
    #[serde(skip_serializing_if = "Prices::is_default")]
    pub prices: Prices,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_parallelism: None,
            max_running_executions: 1000,
            missing_images: Vec::new(),
            condition_messages: true,
            prices: Prices::default(),
        }
    }
}

/// Prices of the cost model (`cost.rs`), in USD. Defaults: Cloud Run's published price for
/// jobs in Tier 1 regions, beyond the free tier (cloud.google.com/run/pricing, read
/// 2026-11-30; the README cites it). Billing granularity is [`BILLING_GRANULARITY`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Prices {
    /// USD per vCPU-second.
    pub vcpu_second: f64,
    /// USD per GiB-second of memory.
    pub gib_second: f64,
}

/// Cloud Run bills each attempt's time rounded up to the next 100 ms (cloud.google.com/run/pricing).
pub const BILLING_GRANULARITY: Micros = 100_000;

/// CPU of a container that sets no `cpu` limit: 1 vCPU (R10 defaults `1000m`).
pub const DEFAULT_CPU_MILLIS: u64 = 1000;

/// Memory of a container that sets no `memory` limit: 512 MiB (R10 defaults `512Mi`).
pub const DEFAULT_MEMORY_BYTES: u64 = 512 * 1024 * 1024;

impl Default for Prices {
    fn default() -> Self {
        Prices { vcpu_second: 0.000018, gib_second: 0.000002 }
    }
}

impl Prices {
    /// Whether these are the default prices (then they are not written into logs).
    pub fn is_default(&self) -> bool {
        *self == Prices::default()
    }
}

/// Named timing profiles (D15).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub enum ProfileName {
    /// Every delay 0; each step still its own event.
    Instant,
    /// Delays shaped like the real samples.
    #[default]
    Realistic,
}

/// Every delay of the simulated control and data plane, in microseconds (D15).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    /// Which built-in profile this is.
    pub name: ProfileName,
    /// Job create/replace → `Ready` outcome.
    pub job_reconcile: Micros,
    /// Job delete → gone (404).
    pub job_deletion: Micros,
    /// Execution created → `ContainerReady`.
    pub container_ready: Micros,
    /// Execution created → `ResourcesAvailable`.
    pub resources_available: Micros,
    /// Execution created → first task `Started`.
    pub first_task_started: Micros,
    /// How long an attempt runs when no workload says otherwise.
    pub attempt_duration: Micros,
    /// A failed attempt's end → the retry attempt's start.
    pub retry_delay: Micros,
    /// Failed completion → the `Retry` condition (D11).
    pub retry_condition: Micros,
    /// `delayExecution: true` → provisioning starts (D13).
    pub delayed_start: Micros,
}

const SECOND: Micros = 1_000_000;

impl Profile {
    /// The built-in profile of that name.
    pub fn named(name: ProfileName) -> Profile {
        match name {
            ProfileName::Instant => Profile {
                name,
                job_reconcile: 0,
                job_deletion: 0,
                container_ready: 0,
                resources_available: 0,
                first_task_started: 0,
                attempt_duration: 0,
                retry_delay: 0,
                retry_condition: 0,
                delayed_start: 0,
            },
            ProfileName::Realistic => Profile {
                name,
                job_reconcile: SECOND,
                job_deletion: SECOND,
                container_ready: 1_300_000,
                resources_available: 1_400_000,
                first_task_started: 2_700_000,
                attempt_duration: 10 * SECOND,
                retry_delay: SECOND,
                retry_condition: SECOND,
                delayed_start: 3600 * SECOND,
            },
        }
    }
}

impl Default for Profile {
    fn default() -> Self {
        Profile::named(ProfileName::Realistic)
    }
}

/// How a job's attempts behave unless a fault says otherwise (issue #3 workloads).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Workload {
    /// The job this applies to.
    pub job: String,
    /// Attempt duration; `None` = the profile's.
    pub duration: Option<Micros>,
    /// Uniform ± jitter around the duration, drawn per attempt.
    pub jitter: Micros,
    /// Chance in [0, 1] that an attempt exits with `exit_code`.
    pub failure_rate: f64,
    /// Exit code of a failing attempt.
    pub exit_code: i32,
}

/// A fault addressed to (job, execution ordinal, task index, attempt); exact faults win.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fault {
    /// The job.
    pub job: String,
    /// 1-based ordinal of the job's executions; `None` = all.
    pub execution: Option<u32>,
    /// Task index; `None` = all.
    pub task: Option<u32>,
    /// 0-based attempt; `None` = every attempt.
    pub attempt: Option<u32>,
    /// The attempt exits with this code.
    pub exit_code: Option<i32>,
    /// The attempt runs until its timeout.
    pub hang: bool,
    /// The attempt runs this long.
    pub duration: Option<Micros>,
}

/// Everything fixed when a simulator starts; recorded as the first event of every log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct World {
    /// Seed of every id and random draw: a u64 written as a decimal string (D27).
    #[serde(with = "seed_text")]
    pub seed: u64,
    /// Virtual time at start.
    pub start: Micros,
    /// Delays.
    pub profile: Profile,
    /// The simulated project.
    pub project: Project,
    /// Quota stand-ins and the missing-image set.
    pub settings: Settings,
    /// Per-job attempt behaviour.
    pub workloads: Vec<Workload>,
    /// Exact faults.
    pub faults: Vec<Fault>,
}

/// Seeds in JSON (D27): written as decimal strings, so that JavaScript reads every u64 exactly
/// (a JSON number above 2^53 would round); read from a string or, as logs written before D27
/// have it, a number.
mod seed_text {
    use serde::de::{self, Visitor};
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(seed: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(seed)
    }

    /// A visitor rather than an `#[serde(untagged)]` enum: untagged enums buffer the value in
    /// serde's `Content`, about 20 KB of wasm for this one field (BENCHMARKS.md, issue 10). The
    /// errors are the ones the untagged enum gave.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        d.deserialize_any(SeedVisitor)
    }

    const MISMATCH: &str = "data did not match any variant of untagged enum Seed";

    struct SeedVisitor;

    impl<'de> Visitor<'de> for SeedVisitor {
        type Value = u64;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a seed (a decimal string or a non-negative integer)")
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
            Ok(v)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
            u64::try_from(v).map_err(|_| E::custom(MISMATCH))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<u64, E> {
            super::parse_seed(v).map_err(E::custom)
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<u64, E> {
            Err(E::custom(MISMATCH))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<u64, E> {
            Err(E::custom(MISMATCH))
        }
        fn visit_unit<E: de::Error>(self) -> Result<u64, E> {
            Err(E::custom(MISMATCH))
        }
        fn visit_none<E: de::Error>(self) -> Result<u64, E> {
            Err(E::custom(MISMATCH))
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<u64, D::Error> {
            d.deserialize_any(SeedVisitor)
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<u64, A::Error> {
            Err(de::Error::custom(MISMATCH))
        }
        fn visit_map<A: de::MapAccess<'de>>(self, _: A) -> Result<u64, A::Error> {
            Err(de::Error::custom(MISMATCH))
        }
    }
}

/// A seed written as text: 1 to 20 decimal digits, at most 18446744073709551615 (D27).
pub fn parse_seed(text: &str) -> Result<u64, String> {
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    text.parse::<u64>().ok().filter(|_| digits).ok_or_else(|| {
        format!("must be a non-negative integer of at most 64 bits (a decimal string or a number), got {text:?}")
    })
}

/// 2026-01-01T00:00:00Z, the default start (D16).
pub const DEFAULT_START: Micros = 1_767_225_600 * SECOND;

impl Default for World {
    fn default() -> Self {
        World {
            seed: 0,
            start: DEFAULT_START,
            profile: Profile::default(),
            project: Project::default(),
            settings: Settings::default(),
            workloads: Vec::new(),
            faults: Vec::new(),
        }
    }
}

impl World {
    /// The workload of a job, if any.
    pub fn workload(&self, job: &str) -> Option<&Workload> {
        self.workloads.iter().find(|w| w.job == job)
    }

    /// The fault for one attempt, if any; the most specific match wins, then the first listed.
    pub fn fault(&self, job: &str, execution: u32, task: u32, attempt: u32) -> Option<&Fault> {
        self.faults
            .iter()
            .enumerate()
            .filter(|(_, f)| {
                f.job == job
                    && f.execution.is_none_or(|e| e == execution)
                    && f.task.is_none_or(|t| t == task)
                    && f.attempt.is_none_or(|a| a == attempt)
            })
            .max_by_key(|(i, f)| {
                // The most specific fault wins; among equals the one listed first.
                let specificity = f.execution.is_some() as u8 + f.task.is_some() as u8 + f.attempt.is_some() as u8;
                (specificity, std::cmp::Reverse(*i))
            })
            .map(|(_, f)| f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn world_with_seed(seed: serde_json::Value) -> Result<World, String> {
        let mut w = serde_json::to_value(World::default()).map_err(|e| e.to_string())?;
        w["seed"] = seed;
        serde_json::from_value::<World>(w).map_err(|e| e.to_string())
    }

    /// D27: a seed reads from a decimal string or (old logs) a non-negative integer; anything
    /// else is refused with the message the former `#[serde(untagged)]` enum gave.
    #[test]
    fn d27_seed_reads_text_or_number_and_refuses_the_rest() {
        assert_eq!(world_with_seed(json!("18446744073709551615")).map(|w| w.seed), Ok(u64::MAX));
        assert_eq!(world_with_seed(json!(42)).map(|w| w.seed), Ok(42));
        let mismatch = "data did not match any variant of untagged enum Seed";
        for bad in [json!(-1), json!(1.5), json!(true), json!(null), json!([1]), json!({"a": 1})] {
            assert_eq!(world_with_seed(bad.clone()).map(|w| w.seed), Err(mismatch.to_string()), "{bad}");
        }
        let e = world_with_seed(json!("12x")).unwrap_err();
        assert!(e.starts_with("must be a non-negative integer of at most 64 bits"), "{e}");
    }
}
