//! The kubelet's decisions, pure: what a sync should kill and start, given what the runtime and the
//! probes report (`computePodActions`, `computeInitContainerActions`, `ShouldContainerBeRestarted`;
//! spec §2, §2.3, §5.1). They read a [`Facts`] per container and return a plan; the pod worker carries
//! it out. Nothing here knows of time, timers or the trace, so each rule is a row in a table test.

use super::container::Ctr;
use crate::spec::{ContainerKind, ProbeKind, RestartPolicy};

/// Why a container is killed; the `Killing` step's reason and the event's wording follow from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum KillWhy {
    /// Deletion or a whole-pod kill: sidecars wait their turn.
    Pod,
    Liveness,
    Startup,
    /// The spec changed while it ran (an image update).
    Changed,
    PostStart,
}

/// What the runtime reports of a container, as a sync sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Seen {
    /// No record: never created, or purged with an old sandbox.
    Nothing,
    Running,
    Exited(i32),
}

/// The facts about one container a decision reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Facts {
    pub kind: ContainerKind,
    pub seen: Seen,
    /// Its spec changed while it ran.
    pub changed: bool,
    /// The startup probe's result: `None` without a probe, `Some(None)` while Unknown.
    pub startup: Option<Option<bool>>,
    pub liveness: Option<Option<bool>>,
}

impl Facts {
    pub fn of(c: &Ctr) -> Facts {
        let seen = if !c.has_status() {
            Seen::Nothing
        } else if c.running() {
            Seen::Running
        } else {
            Seen::Exited(c.exited().map_or(0, |e| e.code))
        };
        Facts {
            kind: c.spec.kind,
            seen,
            changed: c.changed,
            startup: c.probe_result(ProbeKind::Startup),
            liveness: c.probe_result(ProbeKind::Liveness),
        }
    }
    fn running(&self) -> bool {
        self.seen == Seen::Running
    }
    /// A probe that failed its threshold (the worker published Failure).
    fn failed(probe: Option<Option<bool>>) -> bool {
        probe == Some(Some(false))
    }
}

/// The pod as a sync sees it: its containers (init containers first, in spec order, then the app
/// containers), its restart policy, and whether it is being deleted.
pub(super) struct View<'a> {
    pub containers: &'a [Facts],
    pub n_init: usize,
    pub restart_policy: RestartPolicy,
    pub deleting: bool,
    pub sandbox_ready: bool,
}

/// One thing a sync does, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Act {
    /// Kill the container and wait for it to be gone.
    Kill(usize, KillWhy),
    Start(usize),
}

/// What a sync does with a pod whose phase is not terminal and that is not being deleted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum PodActions {
    /// No sandbox: create one, then start these (the first init container, or every app container).
    CreateSandbox { starts: Vec<usize> },
    /// Kills and starts, in this order.
    Act(Vec<Act>),
    /// Nothing is left to run (or an init container failed for good): stop the whole pod.
    KillPod,
}

/// `ShouldContainerBeRestarted` (spec §5.1) for a container that is not running.
pub(super) fn should_restart(view: &View, c: usize) -> bool {
    if view.deleting {
        return false;
    }
    match view.containers[c].seen {
        Seen::Running => false,
        Seen::Nothing => true,
        Seen::Exited(code) => match view.restart_policy {
            RestartPolicy::Always => true,
            RestartPolicy::OnFailure => code != 0,
            RestartPolicy::Never => false,
        },
    }
}

/// `computePodActions` (spec §2).
pub(super) fn compute_pod_actions(view: &View) -> PodActions {
    if !view.sandbox_ready {
        let starts = if view.n_init > 0 {
            vec![0]
        } else {
            (view.n_init..view.containers.len()).collect()
        };
        return PodActions::CreateSandbox { starts };
    }
    let init = compute_init_actions(view);
    if init.kill_pod {
        return PodActions::KillPod;
    }
    let mut acts = init.acts;
    if init.initialized {
        let mut keep = 0;
        let mut kills = Vec::new();
        let mut starts = Vec::new();
        for c in view.n_init..view.containers.len() {
            let f = &view.containers[c];
            if !f.running() {
                if should_restart(view, c) {
                    starts.push(c);
                }
                continue;
            }
            let why = if f.changed {
                Some(KillWhy::Changed)
            } else if Facts::failed(f.liveness) {
                Some(KillWhy::Liveness)
            } else if Facts::failed(f.startup) {
                Some(KillWhy::Startup)
            } else {
                None
            };
            match why {
                None => keep += 1,
                Some(w) => {
                    kills.push(Act::Kill(c, w));
                    if w == KillWhy::Changed || view.restart_policy != RestartPolicy::Never {
                        starts.push(c);
                    }
                }
            }
        }
        if keep == 0 && starts.is_empty() {
            return PodActions::KillPod;
        }
        acts.extend(kills);
        acts.extend(starts.into_iter().map(Act::Start));
    }
    PodActions::Act(acts)
}

/// What `computeInitContainerActions` decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct InitActions {
    /// Every init container is done (or an app container already runs): app containers may start.
    pub initialized: bool,
    /// An init container failed under `restartPolicy: Never`.
    pub kill_pod: bool,
    pub acts: Vec<Act>,
}

/// `computeInitContainerActions` (spec §2.3): walks the init containers from the last one back, as
/// the kubelet does, starting the next one after the last that is done (or started, for a sidecar),
/// restarting sidecars that exited, and killing sidecars whose probes failed.
pub(super) fn compute_init_actions(view: &View) -> InitActions {
    let n_init = view.n_init;
    let cs = view.containers;
    if n_init == 0 {
        return InitActions {
            initialized: true,
            kill_pod: false,
            acts: Vec::new(),
        };
    }
    let app_alive = cs[n_init..].iter().any(Facts::running);
    let mut initialized = app_alive;
    let mut previously = app_alive;
    let mut starts: Vec<usize> = Vec::new();
    let mut kills: Vec<(usize, KillWhy)> = Vec::new();
    let last = n_init - 1;
    for i in (0..n_init).rev() {
        let f = &cs[i];
        let sidecar = f.kind == ContainerKind::Sidecar;
        if f.seen == Seen::Nothing {
            if previously && sidecar {
                starts.push(i);
            }
            continue;
        }
        if previously && !sidecar {
            continue;
        }
        match f.seen {
            Seen::Running if sidecar => {
                let blocked = match f.startup {
                    Some(None) => true,
                    Some(Some(false)) => {
                        kills.push((i, KillWhy::Startup));
                        starts.push(i);
                        true
                    }
                    _ => false,
                };
                if !blocked {
                    if i == last {
                        initialized = true;
                    } else if !previously {
                        starts.push(i + 1);
                    }
                    if f.changed {
                        kills.push((i, KillWhy::Changed));
                        starts.push(i);
                    } else if Facts::failed(f.liveness) {
                        kills.push((i, KillWhy::Liveness));
                        starts.push(i);
                    }
                }
            }
            // A regular init container still running: wait for it.
            Seen::Running | Seen::Nothing => {}
            Seen::Exited(_) if sidecar => starts.push(i),
            Seen::Exited(code) if code != 0 => {
                if view.restart_policy == RestartPolicy::Never {
                    return InitActions {
                        initialized: false,
                        kill_pod: true,
                        acts: Vec::new(),
                    };
                }
                starts.push(i);
            }
            Seen::Exited(_) if i == last => initialized = true,
            Seen::Exited(_) => starts.push(i + 1),
        }
        previously = true;
    }
    if !previously {
        starts.push(0);
    }
    starts.reverse();
    starts.dedup();
    let mut acts: Vec<Act> = kills.iter().map(|&(c, why)| Act::Kill(c, why)).collect();
    // A container that is still running (or already done) is not started twice, unless this sync
    // kills it first.
    for c in starts {
        if !cs[c].running() || kills.iter().any(|&(k, _)| k == c) {
            acts.push(Act::Start(c));
        }
    }
    InitActions {
        initialized,
        kill_pod: false,
        acts,
    }
}
