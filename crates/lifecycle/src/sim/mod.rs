//! The kubelet simulation: a pod spec plus timed actions in, a deterministic [`Trace`] out.
//!
//! Sans-IO and clock-free: [`simulate`] drives simulated time itself from an event queue ordered by
//! (time, sequence number), so the same input always gives the same trace. What differs between
//! Kubernetes versions is read from one [`Version`] value.

mod apply;
mod backoff;
mod behavior;
mod catalog;
mod container;
mod decide;
mod images;
mod killer;
mod kubelet;
mod pod_env;
mod prober;
mod recorder;
mod runtime;
pub mod shell;
pub mod status;
mod status_manager;
pub mod time;
mod timers;
pub mod trace;
mod worker;

use crate::quote::quote;
pub use crate::spec::ObjectKind;
pub use behavior::{unpullable, ANNOTATION_PREFIX};
pub use kubelet::simulate;
pub use time::Ms;
pub use trace::Trace;

/// Kubernetes minor version whose kubelet is simulated; behaviour that changed between releases is
/// decided by asking this value (changes in the kubelet's code) or its feature gates
/// ([`Scenario::kube`], `features.rs`), never by scattered constants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    pub minor: u32,
}

impl Default for Version {
    /// v1.33: sidecars GA, the spec's baseline.
    fn default() -> Self {
        Version { minor: 33 }
    }
}

impl Version {
    /// The minor versions whose kubelet Podstep simulates: the CLI's `--kube-version` and the
    /// playground's picker both offer exactly these.
    pub const MINORS: std::ops::RangeInclusive<u32> = 28..=35;
    /// From 1.35 a start refused by CrashLoopBackOff is retried exactly at the back-off expiry (k/k
    /// #133066); before, the pod worker requeues 10 s after the failed sync.
    pub fn requeue_at_backoff_expiry(self) -> bool {
        self.minor >= 35
    }
    /// From 1.29 sidecars stop after the app containers, in reverse order; 1.28 stopped all at once.
    pub fn ordered_sidecar_termination(self) -> bool {
        self.minor >= 29
    }
    /// Until 1.35 a kubelet restart re-seeds probe results (readiness Failure, startup Unknown).
    pub fn kubelet_restart_resets_probes(self) -> bool {
        self.minor < 35
    }
}

/// Something that happens to the pod during a run, at a chosen time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// `kubectl delete pod` with an optional `--grace-period`.
    Delete { grace_s: Option<i64> },
    /// Changes a container's image (the only mutable container field).
    SetImage { container: String, image: String },
    /// The container's process exits with this code (a crash, or `kill -9` from inside: 137).
    Kill { container: String, exit_code: i32 },
    /// The kernel OOM-kills the container's process.
    Oom { container: String },
    /// The kubelet process restarts; containers keep running.
    KubeletRestart,
    /// The node reboots: every container dies, the sandbox is gone.
    NodeReboot,
    /// An object of the pod's world is created (`kubectl create`), with a name and nothing else.
    Create { kind: ObjectKind, name: String },
    /// An object of the pod's world is deleted.
    DeleteObject { kind: ObjectKind, name: String },
}

impl Action {
    /// The CLI's and the share link's spelling: `delete grace=5`, `kill app exit=1`, …
    pub fn parse(text: &str) -> Result<Action, String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let opt = |key: &str| -> Result<Option<i64>, String> {
            match words.iter().find_map(|w| w.strip_prefix(key)) {
                Some(v) => v
                    .parse()
                    .map(Some)
                    .map_err(|_| format!("{key}{v}: not a number")),
                None => Ok(None),
            }
        };
        match words.as_slice() {
            ["set-image", c, image] => Ok(Action::SetImage { container: c.to_string(), image: image.to_string() }),
            ["kill", c, ..] => Ok(Action::Kill { container: c.to_string(), exit_code: opt("exit=")?.unwrap_or(137) as i32 }),
            ["oom", c] => Ok(Action::Oom { container: c.to_string() }),
            ["kubelet-restart"] => Ok(Action::KubeletRestart),
            ["create", kind, name] | ["delete", kind, name]
                if crate::world::kind_from_resource(kind).is_some() =>
            {
                let kind = crate::world::kind_from_resource(kind).expect("checked");
                let name = name.to_string();
                Ok(if words[0] == "create" {
                    Action::Create { kind, name }
                } else {
                    Action::DeleteObject { kind, name }
                })
            }
            ["node-reboot"] => Ok(Action::NodeReboot),
            ["delete", ..] => Ok(Action::Delete { grace_s: opt("grace=")? }),
            _ => Err(format!(
                "unknown action {}: use delete [grace=N], set-image CONTAINER IMAGE, kill CONTAINER [exit=N], oom CONTAINER, kubelet-restart, node-reboot, create KIND NAME or delete KIND NAME (KIND: service, configmap, secret, pvc)",
                quote(text)
            )),
        }
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Action::Delete { grace_s: None } => write!(f, "delete"),
            Action::Delete { grace_s: Some(g) } => write!(f, "delete grace={g}"),
            Action::SetImage { container, image } => write!(f, "set-image {container} {image}"),
            Action::Kill {
                container,
                exit_code,
            } => write!(f, "kill {container} exit={exit_code}"),
            Action::Oom { container } => write!(f, "oom {container}"),
            Action::KubeletRestart => write!(f, "kubelet-restart"),
            Action::NodeReboot => write!(f, "node-reboot"),
            Action::Create { kind, name } => write!(f, "create {} {name}", resource_word(*kind)),
            Action::DeleteObject { kind, name } => {
                write!(f, "delete {} {name}", resource_word(*kind))
            }
        }
    }
}

/// The word actions use for a kind (`create pvc data`).
fn resource_word(kind: ObjectKind) -> &'static str {
    match kind {
        ObjectKind::PersistentVolumeClaim => "pvc",
        k => k.resource(),
    }
}

/// What to simulate besides the pod: timed actions, the horizon and the Kubernetes version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scenario {
    /// `(at, action)`, in any order; applied in time order, ties in the order given.
    pub actions: Vec<(Ms, Action)>,
    /// Simulated seconds after which the run stops (`--until`), at most [`crate::limits::MAX_HORIZON_S`].
    pub until_s: u64,
    pub version: Version,
    /// `--feature-gates` overrides for that version.
    pub gates: Vec<(crate::features::Gate, bool)>,
    /// The kubelet's `crashLoopBackOff.maxContainerRestartPeriod` (with `KubeletCrashLoopBackOffMax`).
    pub max_container_restart_period: Option<Ms>,
}

impl Scenario {
    /// The version and gates, as validation asks them.
    pub fn kube(&self) -> crate::features::Kube {
        crate::features::Kube {
            overrides: self.gates.clone(),
            ..crate::features::Kube::new(self.version.minor)
        }
    }
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            actions: Vec::new(),
            until_s: crate::limits::DEFAULT_HORIZON_S,
            version: Version::default(),
            gates: Vec::new(),
            max_container_restart_period: None,
        }
    }
}
