//! The typed pod model: exactly what the lifecycle depends on, after API-server defaulting.
//!
//! Decoding fills it from the tree (see [`decode`](crate::decode)); validation and simulation read only
//! this. Fields Kubernetes has but the lifecycle does not need (env, affinity, …) are accepted by the
//! decoder and not modelled.

use crate::quantity::Quantity;
use crate::tree::Pos;
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RestartPolicy {
    Always,
    OnFailure,
    Never,
}

impl RestartPolicy {
    pub fn parse(s: &str) -> Option<RestartPolicy> {
        match s {
            "Always" => Some(RestartPolicy::Always),
            "OnFailure" => Some(RestartPolicy::OnFailure),
            "Never" => Some(RestartPolicy::Never),
            _ => None,
        }
    }
    /// Whether a container that exited with `code` is started again under this policy
    /// (`ShouldContainerBeRestarted`'s last step).
    pub fn restarts(self, code: i32) -> bool {
        match self {
            RestartPolicy::Always => true,
            RestartPolicy::OnFailure => code != 0,
            RestartPolicy::Never => false,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            RestartPolicy::Always => "Always",
            RestartPolicy::OnFailure => "OnFailure",
            RestartPolicy::Never => "Never",
        }
    }
}

/// Where a container was declared and what that makes it (spec §1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ContainerKind {
    /// `initContainers[i]` without `restartPolicy`: runs to completion, one at a time.
    Init,
    /// `initContainers[i]` with `restartPolicy: Always`.
    Sidecar,
    /// `containers[j]`.
    App,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Port {
    Number(i64),
    Name(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Handler {
    Exec {
        command: Vec<String>,
    },
    HttpGet {
        path: String,
        port: Port,
        scheme: String,
    },
    TcpSocket {
        port: Port,
    },
    Grpc {
        port: i64,
    },
    Sleep {
        seconds: i64,
    },
}

impl Handler {
    pub fn kind(&self) -> &'static str {
        match self {
            Handler::Exec { .. } => "exec",
            Handler::HttpGet { .. } => "httpGet",
            Handler::TcpSocket { .. } => "tcpSocket",
            Handler::Grpc { .. } => "grpc",
            Handler::Sleep { .. } => "sleep",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProbeKind {
    Startup,
    Readiness,
    Liveness,
}

impl ProbeKind {
    /// The field name in a container (`startupProbe`).
    pub fn field(self) -> &'static str {
        match self {
            ProbeKind::Startup => "startupProbe",
            ProbeKind::Readiness => "readinessProbe",
            ProbeKind::Liveness => "livenessProbe",
        }
    }
    /// The word in kubelet messages (`Liveness probe failed: …`).
    pub fn title(self) -> &'static str {
        match self {
            ProbeKind::Startup => "Startup",
            ProbeKind::Readiness => "Readiness",
            ProbeKind::Liveness => "Liveness",
        }
    }
    /// The trace's lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            ProbeKind::Startup => "startup",
            ProbeKind::Readiness => "readiness",
            ProbeKind::Liveness => "liveness",
        }
    }
}

/// A probe with API-server defaults applied (spec §3.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Probe {
    /// `None` only in an invalid manifest (no handler); validation reports it.
    pub handler: Option<Handler>,
    pub initial_delay_s: i64,
    pub timeout_s: i64,
    pub period_s: i64,
    pub success_threshold: i64,
    pub failure_threshold: i64,
    pub termination_grace_period_s: Option<i64>,
}

impl Default for Probe {
    fn default() -> Self {
        Probe {
            handler: None,
            initial_delay_s: 0,
            timeout_s: 1,
            period_s: 10,
            success_threshold: 1,
            failure_threshold: 3,
            termination_grace_period_s: None,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContainerPort {
    pub name: Option<String>,
    pub container_port: i64,
    pub host_port: Option<i64>,
    /// Empty when not set; host ports clash only on the same host IP.
    pub host_ip: String,
    pub protocol: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolumeMount {
    pub name: String,
    pub mount_path: String,
}

/// Resource name → quantity (`requests`, `limits`, `overhead`), in name order.
pub type ResourceList = BTreeMap<String, Quantity>;

/// Folds `other` into `list`: for each of its names, `f(name, ours, theirs)` gives the new quantity, or
/// `None` to leave the name as it was (absent if it was absent).
pub fn merge(
    list: &mut ResourceList,
    other: &ResourceList,
    f: impl Fn(&str, Option<Quantity>, Quantity) -> Option<Quantity>,
) {
    for (name, &theirs) in other {
        if let Some(q) = f(name, list.get(name).copied(), theirs) {
            list.insert(name.clone(), q);
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Container {
    pub name: String,
    pub kind: ContainerKind,
    /// Index within `initContainers` or `containers`.
    pub index: usize,
    /// Field path of this container (`spec.initContainers[0]`).
    pub path: String,
    pub pos: Pos,
    pub image: String,
    /// `None` when not set: the image's entrypoint runs.
    pub command: Option<Vec<String>>,
    pub args: Option<Vec<String>>,
    /// The container-level `restartPolicy` as written.
    pub restart_policy: Option<String>,
    /// `restartPolicyRules` (KEP-5307), in order.
    pub restart_rules: Vec<RestartRule>,
    pub startup_probe: Option<Probe>,
    pub readiness_probe: Option<Probe>,
    pub liveness_probe: Option<Probe>,
    /// `lifecycle.postStart` was written (the handler may still be missing in an invalid manifest).
    pub post_start: Option<Option<Handler>>,
    pub pre_stop: Option<Option<Handler>>,
    /// `lifecycle.stopSignal` as written (KEP-4960, with `ContainerStopSignals`).
    pub stop_signal: Option<String>,
    pub requests: ResourceList,
    pub limits: ResourceList,
    pub ports: Vec<ContainerPort>,
    pub volume_mounts: Vec<VolumeMount>,
    /// `env`, in order (a later variable may refer to an earlier one as `$(NAME)`).
    pub env: Vec<EnvVar>,
    /// `envFrom`: whole ConfigMaps or Secrets as variables, whose names the manifest does not show.
    pub env_from: Vec<EnvFrom>,
    /// `imagePullPolicy` as written, for validation.
    pub image_pull_policy: Option<String>,
    /// The pull policy the API server stores: the one written, else its default for the image.
    pub pull_policy: PullPolicy,
}

/// One `restartPolicyRules` entry: `action` when the exit code is (`In`) or is not (`NotIn`) one of
/// `values`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestartRule {
    pub action: String,
    pub operator: String,
    pub values: Vec<i64>,
}

impl RestartRule {
    /// The rule applies to a container that exited with `code`.
    pub fn matches(&self, code: i32) -> bool {
        let listed = self.values.contains(&i64::from(code));
        match self.operator.as_str() {
            "In" => listed,
            "NotIn" => !listed,
            _ => false,
        }
    }
}

/// One `env` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvVar {
    pub name: String,
    pub value: EnvValue,
}

/// Where an `env` entry's value comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnvValue {
    /// `value` (absent is the empty string).
    Literal(String),
    /// `valueFrom.configMapKeyRef` / `secretKeyRef`.
    Key {
        source: ObjectKind,
        name: String,
        key: String,
        optional: bool,
    },
    /// `valueFrom.fieldRef.fieldPath` (the downward API).
    Field(String),
    /// `valueFrom.resourceFieldRef`: a resource of a container (empty: this one).
    Resource { container: String, resource: String },
}

/// One `envFrom` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvFrom {
    pub source: ObjectKind,
    pub name: String,
    pub prefix: String,
    pub optional: bool,
}

/// The kinds of object a pod refers to by name and the kubelet or scheduler looks up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ObjectKind {
    ConfigMap,
    Secret,
    Service,
    PersistentVolumeClaim,
}

impl ObjectKind {
    /// How the kubelet's object managers name the kind in a `not found` error (`configmap "x" not
    /// found`).
    pub fn resource(self) -> &'static str {
        match self {
            ObjectKind::ConfigMap => "configmap",
            ObjectKind::Secret => "secret",
            ObjectKind::Service => "service",
            ObjectKind::PersistentVolumeClaim => "persistentvolumeclaim",
        }
    }
    /// The kind's name as written in manifests.
    pub fn kind(self) -> &'static str {
        match self {
            ObjectKind::ConfigMap => "ConfigMap",
            ObjectKind::Secret => "Secret",
            ObjectKind::Service => "Service",
            ObjectKind::PersistentVolumeClaim => "PersistentVolumeClaim",
        }
    }
}

/// One entry of `spec.volumes`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Volume {
    pub name: String,
    pub source: VolumeSource,
}

/// What a volume is made from, as far as the lifecycle cares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VolumeSource {
    /// `emptyDir`: empty when the pod starts.
    Empty,
    /// Kinds whose content comes from outside the pod (`hostPath`, `nfs`, CSI, …): Podstep does not
    /// know what is in them.
    External,
    /// `configMap` / `secret`: one file per key (or per `items` entry).
    Object {
        source: ObjectKind,
        name: String,
        /// `items`: (key, path); empty means every key under its own name.
        items: Vec<(String, String)>,
        optional: bool,
    },
    /// `projected`: several sources in one directory.
    Projected(Vec<VolumeSource>),
    /// `downwardAPI`: (path, fieldPath) files.
    DownwardApi(Vec<(String, String)>),
    /// `persistentVolumeClaim.claimName`.
    Claim(String),
    /// `image.reference` (KEP-4639, the `ImageVolume` gate): an OCI image's files, read-only. Podstep
    /// takes its files as present, like an external volume's.
    Image(String),
}

/// `imagePullPolicy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PullPolicy {
    Always,
    IfNotPresent,
    Never,
}

impl PullPolicy {
    pub fn parse(s: &str) -> Option<PullPolicy> {
        match s {
            "Always" => Some(PullPolicy::Always),
            "IfNotPresent" => Some(PullPolicy::IfNotPresent),
            "Never" => Some(PullPolicy::Never),
            _ => None,
        }
    }
    /// The API server's default (`SetDefaults_Container`): `Always` for a `:latest` or untagged image
    /// without a digest, else `IfNotPresent`.
    pub fn default_for(image: &str) -> PullPolicy {
        let tag = image
            .rsplit('/')
            .next()
            .unwrap_or("")
            .split_once(':')
            .map(|(_, t)| t);
        if image.contains('@') || tag.is_some_and(|t| t != "latest") {
            PullPolicy::IfNotPresent
        } else {
            PullPolicy::Always
        }
    }
}

impl Container {
    pub fn probe(&self, kind: ProbeKind) -> Option<&Probe> {
        match kind {
            ProbeKind::Startup => self.startup_probe.as_ref(),
            ProbeKind::Readiness => self.readiness_probe.as_ref(),
            ProbeKind::Liveness => self.liveness_probe.as_ref(),
        }
    }
    pub fn is_init(&self) -> bool {
        self.kind != ContainerKind::App
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodSpec {
    pub name: String,
    pub namespace: String,
    pub annotations: Vec<(String, String)>,
    /// Defaulted to `Always` (spec §DEF).
    pub restart_policy: RestartPolicy,
    /// Whether `restartPolicy` was written (a Job must write it).
    pub restart_policy_set: bool,
    /// Defaulted to 30.
    pub termination_grace_period_s: i64,
    pub init_containers: Vec<Container>,
    pub containers: Vec<Container>,
    /// The pod's volumes (what `volumeMounts` refer to), with a StatefulSet's `volumeClaimTemplates`
    /// added as its controller adds them.
    pub volumes: Vec<Volume>,
    /// `metadata.labels` of the pod (what a Service's selector matches).
    pub labels: Vec<(String, String)>,
    /// `spec.os.name` (`linux`, `windows`), if written.
    pub os_name: Option<String>,
    /// `shareProcessNamespace: true`: the pause container is PID 1, not the container's process.
    pub share_process_namespace: bool,
    /// `activeDeadlineSeconds`: the kubelet fails the pod this long after it started.
    pub active_deadline_s: Option<i64>,
    /// `automountServiceAccountToken` is not `false`: the token files are mounted.
    pub automount_token: bool,
    /// `spec.serviceAccountName`, defaulted to `default`.
    pub service_account: String,
    /// `enableServiceLinks` (default true): Services' `*_SERVICE_HOST` variables are set.
    pub service_links: bool,
    pub readiness_gates: Vec<String>,
    pub overhead: ResourceList,
    /// Pod-level `spec.resources.requests` / `.limits` (`PodLevelResources`).
    pub pod_requests: ResourceList,
    pub pod_limits: ResourceList,
}

impl PodSpec {
    /// Init containers, then app containers, in spec order.
    pub fn all_containers(&self) -> impl Iterator<Item = &Container> {
        self.init_containers.iter().chain(self.containers.iter())
    }
    pub fn sidecar_count(&self) -> usize {
        self.init_containers
            .iter()
            .filter(|c| c.kind == ContainerKind::Sidecar)
            .count()
    }
    pub fn volume(&self, name: &str) -> Option<&Volume> {
        self.volumes.iter().find(|v| v.name == name)
    }
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.annotations
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// One pod template found in the input, with where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workload {
    /// `Pod`, `Deployment`, `Job`, …
    pub kind: String,
    /// The workload's own `metadata.name` (the pod name is derived from it).
    pub name: String,
    /// 0-based index of the `---` document.
    pub document: usize,
    /// Where the workload's `kind` (or document) starts.
    pub pos: Pos,
    /// Field path of the pod spec inside the object (`spec`, `spec.template.spec`, …).
    pub spec_path: String,
    pub pod: PodSpec,
    /// How many error diagnostics are about this workload; only a workload without errors is simulated.
    pub errors: usize,
    /// The objects around the pod that the same input declares (shared by its workloads).
    pub world: std::sync::Arc<crate::world::World>,
}

impl Workload {
    /// `Job` and `CronJob` pods are run to completion and must say `OnFailure` or `Never`.
    pub fn is_job(&self) -> bool {
        matches!(self.kind.as_str(), "Job" | "CronJob")
    }
}
