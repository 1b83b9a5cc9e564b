//! Pod status as the kubelet reports it and as `kubectl get pod` prints it, from container statuses.
//!
//! Pure functions over a [`Snapshot`]: `getPhase` (spec §6), the five conditions (§7) and `printPod`'s
//! READY / STATUS / RESTARTS (§9). The engine builds a snapshot after every step.

use crate::spec::ContainerKind;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum St {
    Waiting { reason: String, message: String },
    Running,
    Terminated { code: i32, reason: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cs {
    pub name: String,
    pub kind: ContainerKind,
    pub state: St,
    /// The previous instance's exit (code, reason), when there was one.
    pub last: Option<(i32, String)>,
    pub ready: bool,
    pub started: bool,
    pub restarts: u32,
    /// The runtime has a record of this container (it was created at least once).
    pub has_record: bool,
    /// Whether a regular container exists in the current sandbox (any state).
    pub in_current_sandbox: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    Pending,
    Running,
    Succeeded,
    Failed,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Pending => "Pending",
            Phase::Running => "Running",
            Phase::Succeeded => "Succeeded",
            Phase::Failed => "Failed",
        }
    }
    pub fn terminal(self) -> bool {
        matches!(self, Phase::Succeeded | Phase::Failed)
    }
}

pub struct Snapshot<'a> {
    pub init: &'a [Cs],
    pub app: &'a [Cs],
    pub restart_policy: crate::spec::RestartPolicy,
    pub pod_is_terminal: bool,
    pub deleting: bool,
    pub sandbox_ready: bool,
    pub readiness_gates: &'a [String],
}

/// `getPhase` at v1.33 (spec §6).
pub fn phase(s: &Snapshot<'_>) -> Phase {
    use crate::spec::RestartPolicy::*;
    let (mut pending_init, mut failed_init) = (0, 0);
    let (mut pending_sidecar, mut running, mut waiting, mut stopped, mut succeeded, mut unknown) =
        (0, 0, 0, 0, 0, 0);
    for c in s.init {
        match c.kind {
            ContainerKind::Sidecar => match &c.state {
                St::Running if !c.started => {
                    pending_sidecar += 1;
                    running += 1;
                }
                St::Running => running += 1,
                St::Terminated { .. } => {}
                St::Waiting { .. } if c.last.is_some() => {}
                St::Waiting { .. } => {
                    pending_sidecar += 1;
                    waiting += 1;
                }
            },
            _ => match &c.state {
                St::Running => pending_init += 1,
                St::Terminated { code, .. } if *code != 0 => failed_init += 1,
                St::Terminated { .. } => {}
                St::Waiting { .. } => match &c.last {
                    Some((code, _)) if *code != 0 => failed_init += 1,
                    Some(_) => {}
                    None => pending_init += 1,
                },
            },
        }
    }
    for c in s.app {
        match &c.state {
            St::Running => running += 1,
            St::Terminated { code, .. } => {
                stopped += 1;
                if *code == 0 {
                    succeeded += 1;
                }
            }
            St::Waiting { .. } if c.last.is_some() => stopped += 1,
            St::Waiting { .. } if !c.has_record && !s.sandbox_ready => unknown += 1,
            St::Waiting { .. } => waiting += 1,
        }
    }
    let regular_in_sandbox = s.app.iter().any(|c| c.in_current_sandbox);
    if failed_init > 0 && s.restart_policy == Never {
        return Phase::Failed;
    }
    if pending_init > 0 || (pending_sidecar > 0 && !regular_in_sandbox) {
        return Phase::Pending;
    }
    if waiting > 0 {
        return Phase::Pending;
    }
    if running > 0 && unknown == 0 {
        return Phase::Running;
    }
    if running == 0 && stopped > 0 && unknown == 0 {
        if s.pod_is_terminal {
            return if stopped == succeeded {
                Phase::Succeeded
            } else {
                Phase::Failed
            };
        }
        if s.restart_policy == Always {
            return Phase::Running;
        }
        if stopped == succeeded {
            return Phase::Succeeded;
        }
        if s.restart_policy == Never {
            return Phase::Failed;
        }
        return Phase::Running;
    }
    Phase::Pending
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cond {
    pub kind: &'static str,
    pub status: bool,
    pub reason: Option<String>,
    pub message: Option<String>,
}

fn go_list(names: &[&str]) -> String {
    format!("[{}]", names.join(" "))
}

/// The kubelet-owned conditions in the order `kubectl describe` lists them (spec §7).
pub fn conditions(s: &Snapshot<'_>, phase: Phase) -> Vec<Cond> {
    let mut out = Vec::with_capacity(5);
    out.push(Cond {
        kind: "PodReadyToStartContainers",
        status: s.sandbox_ready,
        reason: None,
        message: None,
    });

    // Initialized
    let regular_running_or_done = s
        .app
        .iter()
        .any(|c| matches!(c.state, St::Running | St::Terminated { .. }));
    let incomplete: Vec<&str> = s
        .init
        .iter()
        .filter(|c| match c.kind {
            ContainerKind::Sidecar => !c.started,
            _ => !c.ready,
        })
        .map(|c| c.name.as_str())
        .collect();
    let initialized = incomplete.is_empty() || regular_running_or_done;
    out.push(if initialized {
        let reason =
            (phase == Phase::Succeeded && !s.init.is_empty()).then(|| "PodCompleted".to_string());
        Cond {
            kind: "Initialized",
            status: true,
            reason,
            message: None,
        }
    } else {
        Cond {
            kind: "Initialized",
            status: false,
            reason: Some("ContainersNotInitialized".into()),
            message: Some(format!(
                "containers with incomplete status: {}",
                go_list(&incomplete)
            )),
        }
    });

    // ContainersReady and Ready
    let unready: Vec<&str> = s
        .init
        .iter()
        .filter(|c| c.kind == ContainerKind::Sidecar)
        .chain(s.app.iter())
        .filter(|c| !c.ready)
        .map(|c| c.name.as_str())
        .collect();
    let containers_ready = match phase {
        Phase::Succeeded => Cond {
            kind: "ContainersReady",
            status: false,
            reason: Some("PodCompleted".into()),
            message: None,
        },
        Phase::Failed => Cond {
            kind: "ContainersReady",
            status: false,
            reason: Some("PodFailed".into()),
            message: None,
        },
        _ if unready.is_empty() => Cond {
            kind: "ContainersReady",
            status: true,
            reason: None,
            message: None,
        },
        _ => Cond {
            kind: "ContainersReady",
            status: false,
            reason: Some("ContainersNotReady".into()),
            message: Some(format!(
                "containers with unready status: {}",
                go_list(&unready)
            )),
        },
    };
    let ready = if !containers_ready.status {
        Cond {
            kind: "Ready",
            ..containers_ready.clone()
        }
    } else if !s.readiness_gates.is_empty() {
        let msgs: Vec<String> = s
            .readiness_gates
            .iter()
            .map(|g| {
                format!("corresponding condition of pod readiness gate \"{g}\" does not exist.")
            })
            .collect();
        Cond {
            kind: "Ready",
            status: false,
            reason: Some("ReadinessGatesNotReady".into()),
            message: Some(msgs.join(", ")),
        }
    } else {
        Cond {
            kind: "Ready",
            status: true,
            reason: None,
            message: None,
        }
    };
    out.push(ready);
    out.push(containers_ready);
    out.push(Cond {
        kind: "PodScheduled",
        status: true,
        reason: None,
        message: None,
    });
    out
}

/// `printPod`'s READY, STATUS and RESTARTS (spec §9). `last_restart_ago` renders as `N (<age> ago)`.
pub fn kubectl(
    s: &Snapshot<'_>,
    phase: Phase,
    initialized: bool,
    last_restart_ago: Option<String>,
) -> (String, String, String) {
    let total = s.app.len()
        + s.init
            .iter()
            .filter(|c| c.kind == ContainerKind::Sidecar)
            .count();
    let mut restarts = 0u32;
    let mut sidecar_restarts = 0u32;
    let mut ready = 0usize;
    let mut reason = phase.as_str().to_string();
    let mut initializing = false;
    for (i, c) in s.init.iter().enumerate() {
        restarts += c.restarts;
        if c.kind == ContainerKind::Sidecar {
            sidecar_restarts += c.restarts;
        }
        match &c.state {
            St::Terminated { code: 0, .. } => continue,
            _ if c.kind == ContainerKind::Sidecar && c.started => {
                if c.ready {
                    ready += 1;
                }
                continue;
            }
            St::Terminated { code, reason: r } => {
                reason = if r.is_empty() {
                    format!("Init:ExitCode:{code}")
                } else {
                    format!("Init:{r}")
                };
            }
            St::Waiting { reason: r, .. } if !r.is_empty() && r != "PodInitializing" => {
                reason = format!("Init:{r}")
            }
            _ => reason = format!("Init:{i}/{}", s.init.len()),
        }
        initializing = true;
        break;
    }
    if !initializing || initialized {
        restarts = sidecar_restarts;
        let mut has_running = false;
        let mut sorted: Vec<&Cs> = s.app.iter().collect();
        sorted.sort_by(|a, b| a.name.cmp(&b.name));
        for c in sorted.iter().rev() {
            restarts += c.restarts;
            match &c.state {
                St::Waiting { reason: r, .. } if !r.is_empty() => reason = r.clone(),
                St::Terminated { reason: r, code } => {
                    reason = if r.is_empty() {
                        format!("ExitCode:{code}")
                    } else {
                        r.clone()
                    };
                }
                St::Running if c.ready => {
                    ready += 1;
                    has_running = true;
                }
                _ => {}
            }
        }
        if reason == "Completed" && has_running {
            reason = if s.readiness_gates.is_empty() && all_ready(s) {
                "Running".into()
            } else {
                "NotReady".into()
            };
        }
    }
    if s.deleting && !phase.terminal() {
        reason = "Terminating".into();
    }
    let restarts_text = match (restarts, last_restart_ago) {
        (0, _) | (_, None) => restarts.to_string(),
        (n, Some(ago)) => format!("{n} ({ago} ago)"),
    };
    (format!("{ready}/{total}"), reason, restarts_text)
}

fn all_ready(s: &Snapshot<'_>) -> bool {
    s.init
        .iter()
        .filter(|c| c.kind == ContainerKind::Sidecar)
        .chain(s.app.iter())
        .all(|c| c.ready)
}

/// kubectl's short age (`5s`, `2m3s`, `4h`), as RESTARTS prints "(… ago)".
pub fn human_duration(secs: u64) -> String {
    if secs < 120 {
        format!("{secs}s")
    } else if secs < 600 {
        format!("{}m{}s", secs / 60, secs % 60)
    } else if secs < 3 * 3600 {
        format!("{}m", secs / 60)
    } else if secs < 8 * 3600 {
        format!("{}h{}m", secs / 3600, (secs % 3600) / 60)
    } else {
        format!("{}h", secs / 3600)
    }
}
