//! One container as the kubelet tracks it: its spec, the runtime's current instance, the previous
//! exit, the reason cache, its back-offs, probe workers and killer. Each part of the kubelet model
//! reaches the container through this record; the questions every part asks of it (running? exited?
//! started and ready as the API would say?) are answered here, once.

use super::backoff::Backoff;
use super::behavior::Behavior;
use super::killer::Killer;
use super::prober::{Probes, Worker};
use super::shell::Exec;
use super::status::Text;
use super::time::Ms;
use crate::spec::{Container, ContainerKind, Probe, ProbeKind, RestartPolicy, RestartRule};

/// What the runtime says of an instance's process.
#[derive(Clone, Copy, Debug)]
pub(super) enum RunState {
    Running,
    Exited(Exit),
}

/// How and when a process ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Exit {
    pub code: i32,
    pub reason: &'static str,
    pub at: Ms,
}

/// One run of the container: what the runtime created for one start.
#[derive(Clone, Debug)]
pub(super) struct Inst {
    /// The attempt number, 1-based: the container ID's stand-in.
    pub id: u32,
    pub started: Ms,
    pub state: RunState,
    /// The API shows it running: its postStart returned.
    pub visible: bool,
    pub exec: Exec,
    pub behavior: Behavior,
    /// Sandbox generation it ran in.
    pub sandbox: u32,
    /// The environment the kubelet gave it.
    pub env: Vec<(String, String)>,
}

/// KEP-5532's rule action: the exit restarts every container of the pod in place.
pub(super) const RESTART_ALL: &str = "RestartAllContainers";

/// A container's own restart policy and rules (KEP-5307), which replace the pod's for it.
#[derive(Clone, Debug)]
pub(super) struct OwnRestart {
    pub policy: RestartPolicy,
    pub rules: Vec<RestartRule>,
}

impl OwnRestart {
    /// Whether the container is restarted after exiting with `code`: the first rule that matches
    /// decides (its action is `Restart`), else the container's restart policy. An init container's
    /// `Always` is not a sidecar's: it is restarted only on failure, as under the pod's `Always`.
    pub fn restarts(&self, code: i32, init: bool) -> bool {
        // A `RestartAllContainers` rule restarts the whole pod instead (KEP-5532, the pod worker's
        // business): this container alone is not restarted.
        match self.rules.iter().find(|r| r.matches(code)) {
            Some(r) if r.action == "Restart" => return true,
            Some(r) if r.action == RESTART_ALL => return false,
            _ => {}
        }
        match self.policy {
            RestartPolicy::Always if init => code != 0,
            policy => policy.restarts(code),
        }
    }
}

pub(super) struct Ctr {
    /// Its own restart policy and rules, when the `ContainerRestartRules` gate applies them.
    pub own: Option<OwnRestart>,
    /// The container's name, shared by every status generated for it.
    pub name: Text,
    pub spec: Container,
    /// The image now in the spec (`set-image` changes it).
    pub image: String,
    pub attempts: u32,
    pub inst: Option<Inst>,
    /// The previous instance's exit, for `lastState` and back-off.
    pub prev_exit: Option<Exit>,
    /// The last start failure (reason, message), as the kubelet's reason cache holds it.
    pub start_error: Option<(Text, Text)>,
    /// CrashLoopBackOff.
    pub backoff: Option<Backoff>,
    /// Image pull back-off.
    pub pull_backoff: Option<Backoff>,
    pub probes: Probes<Worker>,
    pub killer: Option<Killer>,
    /// The spec hash changed while it ran (an image update).
    pub changed: bool,
    /// Purged from the runtime with the old sandbox (after a node reboot).
    pub purged: bool,
}

impl Ctr {
    /// The record of `spec` in a pod whose `restartPolicy` is `pod_policy`; `rules` says whether the
    /// container's own restart policy and rules apply (the `ContainerRestartRules` gate).
    pub fn new(spec: &Container, pod_policy: RestartPolicy, rules: bool) -> Ctr {
        let own = (rules
            && spec.kind != ContainerKind::Sidecar
            && (spec.restart_policy.is_some() || !spec.restart_rules.is_empty()))
        .then(|| OwnRestart {
            policy: spec
                .restart_policy
                .as_deref()
                .and_then(RestartPolicy::parse)
                .unwrap_or(pod_policy),
            rules: spec.restart_rules.clone(),
        });
        Ctr {
            own,
            name: Text::from(spec.name.clone()),
            spec: spec.clone(),
            image: spec.image.clone(),
            attempts: 0,
            inst: None,
            prev_exit: None,
            start_error: None,
            backoff: None,
            pull_backoff: None,
            probes: Probes::default(),
            killer: None,
            changed: false,
            purged: false,
        }
    }
    /// Whether this container is restarted after exiting with `code`, by its own policy and rules or
    /// else by the pod's.
    pub fn restarts_after(&self, code: i32, pod_policy: RestartPolicy) -> bool {
        match &self.own {
            Some(o) => o.restarts(code, self.spec.is_init()),
            None => pod_policy.restarts(code),
        }
    }
    pub fn running(&self) -> bool {
        matches!(
            self.inst,
            Some(Inst {
                state: RunState::Running,
                ..
            })
        )
    }
    /// Whether instance `inst` is the current one and still running.
    pub fn runs(&self, inst: u32) -> bool {
        matches!(&self.inst, Some(i) if i.id == inst && matches!(i.state, RunState::Running))
    }
    /// The current instance's exit, unless the runtime no longer has it.
    pub fn exited(&self) -> Option<Exit> {
        match &self.inst {
            Some(Inst {
                state: RunState::Exited(e),
                ..
            }) if !self.purged => Some(*e),
            _ => None,
        }
    }
    /// The runtime has a record of the container (a status to show).
    pub fn has_status(&self) -> bool {
        self.inst.is_some() && !self.purged
    }
    pub fn probe(&self, kind: ProbeKind) -> Option<&Probe> {
        self.spec.probe(kind)
    }
    /// A probe's published result, or `None` (no probe, or Unknown) — what the kubelet's decisions read.
    pub fn probe_result(&self, kind: ProbeKind) -> Option<Option<bool>> {
        self.probe(kind).map(|_| self.probes[kind].result)
    }
    /// `containerStatus.started` as the API would show it now.
    pub fn started_api(&self) -> bool {
        match &self.inst {
            Some(i) if matches!(i.state, RunState::Running) && i.visible && !self.purged => {
                self.probe(ProbeKind::Startup).is_none()
                    || self.probes[ProbeKind::Startup].result == Some(true)
            }
            _ => false,
        }
    }
    /// `containerStatus.ready` as the API would show it now.
    pub fn ready_api(&self) -> bool {
        if self.spec.kind == ContainerKind::Init {
            return matches!(self.exited(), Some(Exit { code: 0, .. }));
        }
        self.started_api()
            && (self.probe(ProbeKind::Readiness).is_none()
                || self.probes[ProbeKind::Readiness].result == Some(true))
    }
}
