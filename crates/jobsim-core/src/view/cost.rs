//! The cost model (issue #12): what an execution would cost on Cloud Run.
//!
//! Per attempt, Cloud Run bills the instance's vCPU and memory for the attempt's duration,
//! rounded up to the next 100 ms ([`BILLING_GRANULARITY`]). The instance's size is the sum of its
//! containers' `resources.limits` (`cpu`, `memory`), each defaulting to 1 vCPU / 512 MiB as R10
//! does when unset. Usage is summed in integers (millicores × 100 ms ticks, bytes × ticks) so
//! that a sum is the same in any order; prices ([`Prices`], a setting) turn it into USD last.
//!
//! Attempts come from the one fold of the log into attempts ([`ExecutionTimeline`]); the size
//! from the execution resource. The cost is shown by `explain` and the CLI's text timeline and
//! by sweeps — never inside the v1 resources, which have no such field.

use crate::field_rules::quantity;
use crate::resources::TaskSpec;
use crate::settings::{Prices, BILLING_GRANULARITY, DEFAULT_CPU_MILLIS, DEFAULT_MEMORY_BYTES};
use crate::state::State;
use crate::time::Micros;
use crate::view::timeline::ExecutionTimeline;
use serde::Serialize;

/// The billed size of one task instance: the sum over its containers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstanceSize {
    /// vCPU in thousandths (`"1000m"` = 1000, `"2"` = 2000).
    pub cpu_millis: u64,
    /// Memory in bytes.
    pub memory_bytes: u64,
}

impl Default for InstanceSize {
    fn default() -> Self {
        InstanceSize { cpu_millis: DEFAULT_CPU_MILLIS, memory_bytes: DEFAULT_MEMORY_BYTES }
    }
}

impl InstanceSize {
    /// The size of a task spec's instance: its containers' limits summed, defaults where unset
    /// or unreadable (validation already refuses unreadable limits, D23).
    pub fn of(spec: Option<&TaskSpec>) -> InstanceSize {
        let containers = spec.map(|s| s.containers.as_slice()).unwrap_or_default();
        if containers.is_empty() {
            return InstanceSize::default();
        }
        let limit = |c: &crate::resources::Container, key: &str| {
            c.resources.as_ref().and_then(|r| r.limits.get(key)).and_then(|q| quantity(q))
        };
        let mut size = InstanceSize { cpu_millis: 0, memory_bytes: 0 };
        for c in containers {
            // Limits are validated to (0, 32Gi]: the casts below cannot overflow.
            let cpu = limit(c, "cpu").map_or(DEFAULT_CPU_MILLIS, |v| (v * 1000.0).ceil() as u64);
            let memory = limit(c, "memory").map_or(DEFAULT_MEMORY_BYTES, |v| v.ceil() as u64);
            size.cpu_millis = size.cpu_millis.saturating_add(cpu);
            size.memory_bytes = size.memory_bytes.saturating_add(memory);
        }
        size
    }
}

/// Billable usage in exact integer units; add usages in any order and get the same sum.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// Billed 100 ms ticks (every attempt's duration rounded up).
    pub ticks: u64,
    /// vCPU-millis × ticks.
    pub cpu_milli_ticks: u128,
    /// Bytes × ticks.
    pub memory_byte_ticks: u128,
}

/// 100 ms ticks of one attempt's duration, rounded up as Cloud Run bills.
pub fn billed_ticks(duration: Micros) -> u64 {
    let d = duration.max(0) as u64;
    d.div_ceil(BILLING_GRANULARITY as u64)
}

impl Usage {
    /// The usage of an attempt of `duration` on an instance of `size`.
    pub fn attempt(size: InstanceSize, duration: Micros) -> Usage {
        let ticks = billed_ticks(duration);
        Usage {
            ticks,
            cpu_milli_ticks: u128::from(size.cpu_millis) * u128::from(ticks),
            memory_byte_ticks: u128::from(size.memory_bytes) * u128::from(ticks),
        }
    }

    /// This usage plus another.
    pub fn plus(self, other: Usage) -> Usage {
        Usage {
            ticks: self.ticks.saturating_add(other.ticks),
            cpu_milli_ticks: self.cpu_milli_ticks.saturating_add(other.cpu_milli_ticks),
            memory_byte_ticks: self.memory_byte_ticks.saturating_add(other.memory_byte_ticks),
        }
    }

    /// vCPU-seconds, GiB-seconds and USD at `prices`.
    pub fn cost(self, prices: &Prices) -> Cost {
        let ticks_per_second = (1_000_000 / BILLING_GRANULARITY) as f64;
        let vcpu_seconds = self.cpu_milli_ticks as f64 / 1000.0 / ticks_per_second;
        let gib_seconds = self.memory_byte_ticks as f64 / (1u64 << 30) as f64 / ticks_per_second;
        Cost { vcpu_seconds, gib_seconds, usd: vcpu_seconds * prices.vcpu_second + gib_seconds * prices.gib_second }
    }
}

/// What an execution costs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cost {
    /// Billed vCPU-seconds.
    pub vcpu_seconds: f64,
    /// Billed GiB-seconds.
    pub gib_seconds: f64,
    /// USD at the simulator's prices.
    pub usd: f64,
}

impl Cost {
    /// One line for people: `$0.000540 (30.0 vCPU-s, 15.0 GiB-s)`.
    pub fn text(&self) -> String {
        format!("${:.6} ({:.1} vCPU-s, {:.1} GiB-s)", self.usd, self.vcpu_seconds, self.gib_seconds)
    }
}

/// The usage of an execution's attempts on instances of `size`: every attempt that ended, by
/// itself or stopped by a cancel (billed until stopped); a running attempt is not billed yet.
pub fn usage(x: &ExecutionTimeline, size: InstanceSize) -> Usage {
    x.tasks
        .values()
        .flatten()
        .filter_map(|a| a.end.map(|end| Usage::attempt(size, end - a.start)))
        .fold(Usage::default(), Usage::plus)
}

/// The instance size of an execution: from its resource while it exists (a deleted one is
/// priced at the default size, the state no longer holding its spec).
pub fn size_of(state: &State, x: &ExecutionTimeline) -> InstanceSize {
    let live = if x.deleted_at.is_none() { state.execution(&x.name) } else { None };
    live.map_or_else(InstanceSize::default, |e| InstanceSize::of(e.execution.spec.task_spec()))
}

/// What execution `x` costs at the state's prices.
pub fn execution(state: &State, x: &ExecutionTimeline) -> Cost {
    usage(x, size_of(state, x)).cost(&state.world.settings.prices)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_attempt_is_billed_in_whole_100ms_ticks_rounded_up() {
        assert_eq!(billed_ticks(0), 0);
        assert_eq!(billed_ticks(1), 1);
        assert_eq!(billed_ticks(100_000), 1);
        assert_eq!(billed_ticks(100_001), 2);
        assert_eq!(billed_ticks(-5), 0);
    }

    #[test]
    fn default_instance_is_one_vcpu_and_512_mib_and_prices_make_usd() {
        // 10 s on 1 vCPU / 0.5 GiB: 10 vCPU-s, 5 GiB-s; at 0.000018 and 0.000002 USD.
        let cost = Usage::attempt(InstanceSize::default(), 10_000_000).cost(&Prices::default());
        assert_eq!((cost.vcpu_seconds, cost.gib_seconds), (10.0, 5.0));
        assert!((cost.usd - (10.0 * 0.000018 + 5.0 * 0.000002)).abs() < 1e-15);
        assert_eq!(cost.text(), "$0.000190 (10.0 vCPU-s, 5.0 GiB-s)");
    }

    #[test]
    fn containers_limits_are_summed_with_defaults_where_unset() {
        let spec: TaskSpec = serde_json::from_value(serde_json::json!({"containers": [
            {"image": "a", "resources": {"limits": {"cpu": "2", "memory": "1Gi"}}},
            {"image": "b", "resources": {"limits": {"cpu": "500m"}}},
        ]}))
        .unwrap_or_default();
        let size = InstanceSize::of(Some(&spec));
        assert_eq!(size, InstanceSize { cpu_millis: 2500, memory_bytes: (1 << 30) + DEFAULT_MEMORY_BYTES });
    }
}
