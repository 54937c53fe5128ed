//! Containers of a task and what they use: env, resources, ports, volumes.
//!
//! Only what the simulator reads is typed; probes, security context, `valueFrom` and volume
//! sources are kept as raw JSON values so they round-trip without being interpreted.

use super::{is_false, is_zero_i32};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// `Container`: the image a task runs, with its command, args, env and resources.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Container {
    /// Arguments to the entrypoint.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// Entrypoint override.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
    /// Environment variables, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<EnvVar>,
    /// Unsupported by Cloud Run; kept verbatim.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub env_from: Vec<Value>,
    /// Image reference (required by the API).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub image: String,
    /// `Always`, `IfNotPresent`, `Never` (exports carry `Always`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub image_pull_policy: String,
    /// Liveness probe, kept verbatim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub liveness_probe: Option<Value>,
    /// DNS_LABEL name (gcloud sends `""`, which is dropped).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Ports (at most one).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<ContainerPort>,
    /// Readiness probe (unsupported), kept verbatim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub readiness_probe: Option<Value>,
    /// CPU / memory limits and requests.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
    /// Whether the container launches sandboxes (newest schema; not interpreted).
    #[serde(skip_serializing_if = "is_false")]
    pub sandbox_launcher: bool,
    /// Security context (unsupported), kept verbatim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_context: Option<Value>,
    /// Startup probe, kept verbatim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub startup_probe: Option<Value>,
    /// Path of the termination message file.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub termination_message_path: String,
    /// `File` or `FallbackToLogsOnError`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub termination_message_policy: String,
    /// Volumes mounted into the container.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub volume_mounts: Vec<VolumeMount>,
    /// Working directory.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub working_dir: String,
}

/// `EnvVar`: one environment variable, a literal `value` or a secret `valueFrom`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EnvVar {
    /// Variable name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Literal value (`""` is omitted, as proto3 does).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub value: String,
    /// `EnvVarSource` (`{"secretKeyRef": {"name", "key"}}`), kept verbatim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_from: Option<Value>,
}

/// `ResourceRequirements`: `limits` / `requests` maps (`cpu: "1000m"`, `memory: "512Mi"`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ResourceRequirements {
    /// Maximum compute resources.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub limits: BTreeMap<String, String>,
    /// Minimum compute resources.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub requests: BTreeMap<String, String>,
}

/// `ContainerPort`: a port the container listens on.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ContainerPort {
    /// Port number (int32).
    #[serde(skip_serializing_if = "is_zero_i32")]
    pub container_port: i32,
    /// `http1` or `h2c`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// `TCP`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub protocol: String,
}

/// `VolumeMount`: where a named volume appears in the container.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct VolumeMount {
    /// Mount path inside the container.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub mount_path: String,
    /// Name of the volume.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Read-only mount.
    #[serde(skip_serializing_if = "is_false")]
    pub read_only: bool,
    /// Sub-path within the volume.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub sub_path: String,
}

/// `Volume`: a named volume of a task; its source is kept verbatim.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Volume {
    /// Config map source (unsupported).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_map: Option<Value>,
    /// CSI source (Cloud Storage FUSE).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csi: Option<Value>,
    /// In-memory volume (`{}` is meaningful and kept).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub empty_dir: Option<Value>,
    /// Filestore source (newest schema).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filestore: Option<Value>,
    /// Volume name, referenced by `VolumeMount.name`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// NFS source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nfs: Option<Value>,
    /// Secret Manager source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<Value>,
}
