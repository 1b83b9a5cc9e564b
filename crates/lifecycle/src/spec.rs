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
    pub startup_probe: Option<Probe>,
    pub readiness_probe: Option<Probe>,
    pub liveness_probe: Option<Probe>,
    /// `lifecycle.postStart` was written (the handler may still be missing in an invalid manifest).
    pub post_start: Option<Option<Handler>>,
    pub pre_stop: Option<Option<Handler>>,
    pub requests: ResourceList,
    pub limits: ResourceList,
    pub ports: Vec<ContainerPort>,
    pub volume_mounts: Vec<VolumeMount>,
    /// The `env` variables set by name: `Some(value)` for a literal, `None` for a `valueFrom`. What
    /// the behaviour of some images depends on (postgres's password).
    pub env: Vec<(String, Option<String>)>,
    /// `envFrom` is set: variables whose names the manifest does not show.
    pub env_from: bool,
    /// `imagePullPolicy` as written, for validation.
    pub image_pull_policy: Option<String>,
    /// The pull policy the API server stores: the one written, else its default for the image.
    pub pull_policy: PullPolicy,
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
    /// Names of the pod's volumes (what `volumeMounts` may refer to).
    pub volumes: Vec<String>,
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
}

impl Workload {
    /// `Job` and `CronJob` pods are run to completion and must say `OnFailure` or `Never`.
    pub fn is_job(&self) -> bool {
        matches!(self.kind.as_str(), "Job" | "CronJob")
    }
}
