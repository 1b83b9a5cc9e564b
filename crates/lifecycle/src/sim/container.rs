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
use crate::spec::{Container, ContainerKind, Probe, ProbeKind};

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

pub(super) struct Ctr {
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
    pub fn new(spec: &Container) -> Ctr {
        Ctr {
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
