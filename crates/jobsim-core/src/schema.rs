//! The v1 request schema (D24): every field of every message a request body may carry, with its
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

#[rustfmt::skip]
pub static SCHEMAS: &[Schema] = &[
    Schema { name: "CSIVolumeSource", fields: &[
        Field { name: "driver", ty: Type::String },
        Field { name: "readOnly", ty: Type::Bool },
        Field { name: "volumeAttributes", ty: Type::Map(&Type::String) },
    ] },
    Schema { name: "ConfigMapEnvSource", fields: &[
        Field { name: "localObjectReference", ty: Type::Message("LocalObjectReference") },
        Field { name: "name", ty: Type::String },
        Field { name: "optional", ty: Type::Bool },
    ] },
    Schema { name: "ConfigMapKeySelector", fields: &[
        Field { name: "key", ty: Type::String },
        Field { name: "localObjectReference", ty: Type::Message("LocalObjectReference") },
        Field { name: "name", ty: Type::String },
        Field { name: "optional", ty: Type::Bool },
    ] },
    Schema { name: "ConfigMapVolumeSource", fields: &[
        Field { name: "defaultMode", ty: Type::Int32 },
        Field { name: "items", ty: Type::Array(&Type::Message("KeyToPath")) },
        Field { name: "name", ty: Type::String },
        Field { name: "optional", ty: Type::Bool },
    ] },
    Schema { name: "Container", fields: &[
        Field { name: "args", ty: Type::Array(&Type::String) },
        Field { name: "command", ty: Type::Array(&Type::String) },
        Field { name: "env", ty: Type::Array(&Type::Message("EnvVar")) },
        Field { name: "envFrom", ty: Type::Array(&Type::Message("EnvFromSource")) },
        Field { name: "image", ty: Type::String },
        Field { name: "imagePullPolicy", ty: Type::String },
        Field { name: "livenessProbe", ty: Type::Message("Probe") },
        Field { name: "name", ty: Type::String },
        Field { name: "ports", ty: Type::Array(&Type::Message("ContainerPort")) },
        Field { name: "readinessProbe", ty: Type::Message("Probe") },
        Field { name: "resources", ty: Type::Message("ResourceRequirements") },
        Field { name: "sandboxLauncher", ty: Type::Bool },
        Field { name: "securityContext", ty: Type::Message("SecurityContext") },
        Field { name: "startupProbe", ty: Type::Message("Probe") },
        Field { name: "terminationMessagePath", ty: Type::String },
        Field { name: "terminationMessagePolicy", ty: Type::String },
        Field { name: "volumeMounts", ty: Type::Array(&Type::Message("VolumeMount")) },
        Field { name: "workingDir", ty: Type::String },
    ] },
    Schema { name: "ContainerOverride", fields: &[
        Field { name: "args", ty: Type::Array(&Type::String) },
        Field { name: "clearArgs", ty: Type::Bool },
        Field { name: "env", ty: Type::Array(&Type::Message("EnvVar")) },
        Field { name: "name", ty: Type::String },
    ] },
    Schema { name: "ContainerPort", fields: &[
        Field { name: "containerPort", ty: Type::Int32 },
        Field { name: "name", ty: Type::String },
        Field { name: "protocol", ty: Type::String },
    ] },
    Schema { name: "EmptyDirVolumeSource", fields: &[
        Field { name: "medium", ty: Type::String },
        Field { name: "sizeLimit", ty: Type::String },
    ] },
    Schema { name: "EnvFromSource", fields: &[
        Field { name: "configMapRef", ty: Type::Message("ConfigMapEnvSource") },
        Field { name: "prefix", ty: Type::String },
        Field { name: "secretRef", ty: Type::Message("SecretEnvSource") },
    ] },
    Schema { name: "EnvVar", fields: &[
        Field { name: "name", ty: Type::String },
        Field { name: "value", ty: Type::String },
        Field { name: "valueFrom", ty: Type::Message("EnvVarSource") },
    ] },
    Schema { name: "EnvVarSource", fields: &[
        Field { name: "configMapKeyRef", ty: Type::Message("ConfigMapKeySelector") },
        Field { name: "secretKeyRef", ty: Type::Message("SecretKeySelector") },
    ] },
    Schema { name: "ExecAction", fields: &[
        Field { name: "command", ty: Type::Array(&Type::String) },
    ] },
    Schema { name: "ExecutionReference", fields: &[
        Field { name: "completionStatus", ty: Type::Enum(&["COMPLETION_STATUS_UNSPECIFIED", "EXECUTION_SUCCEEDED", "EXECUTION_FAILED", "EXECUTION_RUNNING", "EXECUTION_PENDING", "EXECUTION_CANCELLED"]) },
        Field { name: "completionTimestamp", ty: Type::String },
        Field { name: "creationTimestamp", ty: Type::String },
        Field { name: "deletionTimestamp", ty: Type::String },
        Field { name: "name", ty: Type::String },
    ] },
    Schema { name: "ExecutionSpec", fields: &[
        Field { name: "delayExecution", ty: Type::Bool },
        Field { name: "parallelism", ty: Type::Int32 },
        Field { name: "taskCount", ty: Type::Int32 },
        Field { name: "template", ty: Type::Message("TaskTemplateSpec") },
    ] },
    Schema { name: "ExecutionTemplateSpec", fields: &[
        Field { name: "metadata", ty: Type::Message("ObjectMeta") },
        Field { name: "spec", ty: Type::Message("ExecutionSpec") },
    ] },
    Schema { name: "FilestoreVolumeSource", fields: &[
        Field { name: "volume", ty: Type::String },
    ] },
    Schema { name: "GRPCAction", fields: &[
        Field { name: "port", ty: Type::Int32 },
        Field { name: "service", ty: Type::String },
    ] },
    Schema { name: "GoogleCloudRunV1Condition", fields: &[
        Field { name: "lastTransitionTime", ty: Type::String },
        Field { name: "message", ty: Type::String },
        Field { name: "reason", ty: Type::String },
        Field { name: "severity", ty: Type::String },
        Field { name: "status", ty: Type::String },
        Field { name: "type", ty: Type::String },
    ] },
    Schema { name: "HTTPGetAction", fields: &[
        Field { name: "host", ty: Type::String },
        Field { name: "httpHeaders", ty: Type::Array(&Type::Message("HTTPHeader")) },
        Field { name: "path", ty: Type::String },
        Field { name: "port", ty: Type::Int32 },
        Field { name: "scheme", ty: Type::String },
    ] },
    Schema { name: "HTTPHeader", fields: &[
        Field { name: "name", ty: Type::String },
        Field { name: "value", ty: Type::String },
    ] },
    Schema { name: "Job", fields: &[
        Field { name: "apiVersion", ty: Type::String },
        Field { name: "kind", ty: Type::String },
        Field { name: "metadata", ty: Type::Message("ObjectMeta") },
        Field { name: "spec", ty: Type::Message("JobSpec") },
        Field { name: "status", ty: Type::Message("JobStatus") },
    ] },
    Schema { name: "JobSpec", fields: &[
        Field { name: "runExecutionToken", ty: Type::String },
        Field { name: "startExecutionToken", ty: Type::String },
        Field { name: "template", ty: Type::Message("ExecutionTemplateSpec") },
    ] },
    Schema { name: "JobStatus", fields: &[
        Field { name: "conditions", ty: Type::Array(&Type::Message("GoogleCloudRunV1Condition")) },
        Field { name: "executionCount", ty: Type::Int32 },
        Field { name: "latestCreatedExecution", ty: Type::Message("ExecutionReference") },
        Field { name: "observedGeneration", ty: Type::Int32 },
    ] },
    Schema { name: "KeyToPath", fields: &[
        Field { name: "key", ty: Type::String },
        Field { name: "mode", ty: Type::Int32 },
        Field { name: "path", ty: Type::String },
    ] },
    Schema { name: "LocalObjectReference", fields: &[
        Field { name: "name", ty: Type::String },
    ] },
    Schema { name: "NFSVolumeSource", fields: &[
        Field { name: "path", ty: Type::String },
        Field { name: "readOnly", ty: Type::Bool },
        Field { name: "server", ty: Type::String },
    ] },
    Schema { name: "ObjectMeta", fields: &[
        Field { name: "annotations", ty: Type::Map(&Type::String) },
        Field { name: "clusterName", ty: Type::String },
        Field { name: "creationTimestamp", ty: Type::String },
        Field { name: "deletionGracePeriodSeconds", ty: Type::Int32 },
        Field { name: "deletionTimestamp", ty: Type::String },
        Field { name: "finalizers", ty: Type::Array(&Type::String) },
        Field { name: "generateName", ty: Type::String },
        Field { name: "generation", ty: Type::Int32 },
        Field { name: "labels", ty: Type::Map(&Type::String) },
        Field { name: "name", ty: Type::String },
        Field { name: "namespace", ty: Type::String },
        Field { name: "ownerReferences", ty: Type::Array(&Type::Message("OwnerReference")) },
        Field { name: "resourceVersion", ty: Type::String },
        Field { name: "selfLink", ty: Type::String },
        Field { name: "uid", ty: Type::String },
    ] },
    Schema { name: "Overrides", fields: &[
        Field { name: "containerOverrides", ty: Type::Array(&Type::Message("ContainerOverride")) },
        Field { name: "delayExecution", ty: Type::Bool },
        Field { name: "taskCount", ty: Type::Int32 },
        Field { name: "timeoutSeconds", ty: Type::Int32 },
    ] },
    Schema { name: "OwnerReference", fields: &[
        Field { name: "apiVersion", ty: Type::String },
        Field { name: "blockOwnerDeletion", ty: Type::Bool },
        Field { name: "controller", ty: Type::Bool },
        Field { name: "kind", ty: Type::String },
        Field { name: "name", ty: Type::String },
        Field { name: "uid", ty: Type::String },
    ] },
    Schema { name: "Probe", fields: &[
        Field { name: "exec", ty: Type::Message("ExecAction") },
        Field { name: "failureThreshold", ty: Type::Int32 },
        Field { name: "grpc", ty: Type::Message("GRPCAction") },
        Field { name: "httpGet", ty: Type::Message("HTTPGetAction") },
        Field { name: "initialDelaySeconds", ty: Type::Int32 },
        Field { name: "periodSeconds", ty: Type::Int32 },
        Field { name: "successThreshold", ty: Type::Int32 },
        Field { name: "tcpSocket", ty: Type::Message("TCPSocketAction") },
        Field { name: "timeoutSeconds", ty: Type::Int32 },
    ] },
    Schema { name: "ResourceRequirements", fields: &[
        Field { name: "limits", ty: Type::Map(&Type::String) },
        Field { name: "requests", ty: Type::Map(&Type::String) },
    ] },
    Schema { name: "RunJobRequest", fields: &[
        Field { name: "overrides", ty: Type::Message("Overrides") },
    ] },
    Schema { name: "SandboxConfiguration", fields: &[
        Field { name: "templates", ty: Type::Array(&Type::Message("SandboxTemplate")) },
    ] },
    Schema { name: "SandboxTemplate", fields: &[
        Field { name: "args", ty: Type::Array(&Type::String) },
        Field { name: "command", ty: Type::Array(&Type::String) },
        Field { name: "env", ty: Type::Array(&Type::Message("EnvVar")) },
        Field { name: "image", ty: Type::String },
        Field { name: "name", ty: Type::String },
        Field { name: "volumeMounts", ty: Type::Array(&Type::Message("VolumeMount")) },
        Field { name: "workingDir", ty: Type::String },
    ] },
    Schema { name: "SecretEnvSource", fields: &[
        Field { name: "localObjectReference", ty: Type::Message("LocalObjectReference") },
        Field { name: "name", ty: Type::String },
        Field { name: "optional", ty: Type::Bool },
    ] },
    Schema { name: "SecretKeySelector", fields: &[
        Field { name: "key", ty: Type::String },
        Field { name: "localObjectReference", ty: Type::Message("LocalObjectReference") },
        Field { name: "name", ty: Type::String },
        Field { name: "optional", ty: Type::Bool },
    ] },
    Schema { name: "SecretVolumeSource", fields: &[
        Field { name: "defaultMode", ty: Type::Int32 },
        Field { name: "items", ty: Type::Array(&Type::Message("KeyToPath")) },
        Field { name: "optional", ty: Type::Bool },
        Field { name: "secretName", ty: Type::String },
    ] },
    Schema { name: "SecurityContext", fields: &[
        Field { name: "runAsUser", ty: Type::Int32 },
    ] },
    Schema { name: "TCPSocketAction", fields: &[
        Field { name: "host", ty: Type::String },
        Field { name: "port", ty: Type::Int32 },
    ] },
    Schema { name: "TaskSpec", fields: &[
        Field { name: "containers", ty: Type::Array(&Type::Message("Container")) },
        Field { name: "maxRetries", ty: Type::Int32 },
        Field { name: "nodeSelector", ty: Type::Map(&Type::String) },
        Field { name: "sandboxes", ty: Type::Message("SandboxConfiguration") },
        Field { name: "serviceAccountName", ty: Type::String },
        Field { name: "terminationGracePeriodSeconds", ty: Type::Int64 },
        Field { name: "timeoutSeconds", ty: Type::Int64 },
        Field { name: "volumes", ty: Type::Array(&Type::Message("Volume")) },
    ] },
    Schema { name: "TaskTemplateSpec", fields: &[
        Field { name: "spec", ty: Type::Message("TaskSpec") },
    ] },
    Schema { name: "Volume", fields: &[
        Field { name: "configMap", ty: Type::Message("ConfigMapVolumeSource") },
        Field { name: "csi", ty: Type::Message("CSIVolumeSource") },
        Field { name: "emptyDir", ty: Type::Message("EmptyDirVolumeSource") },
        Field { name: "filestore", ty: Type::Message("FilestoreVolumeSource") },
        Field { name: "name", ty: Type::String },
        Field { name: "nfs", ty: Type::Message("NFSVolumeSource") },
        Field { name: "secret", ty: Type::Message("SecretVolumeSource") },
    ] },
    Schema { name: "VolumeMount", fields: &[
        Field { name: "mountPath", ty: Type::String },
        Field { name: "name", ty: Type::String },
        Field { name: "readOnly", ty: Type::Bool },
        Field { name: "subPath", ty: Type::String },
    ] },
];
