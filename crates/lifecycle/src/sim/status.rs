//! Pod status as the kubelet reports it and as `kubectl get pod` prints it, from container statuses.
//!
//! Pure functions over a [`Snapshot`]: `getPhase` (spec §6), the five conditions (§7) and `printPod`'s
//! READY / STATUS / RESTARTS (§9). The engine builds a snapshot whenever it generates the pod status (at
//! each sync) and prints the `kubectl` row from the latest status at every step.

use super::time::Ms;
use crate::spec::ContainerKind;
use std::fmt;
use std::ops::Deref;
use std::rc::Rc;

/// A string that is cheap to clone: statuses are regenerated at every sync for every container, so
/// names, reasons and messages are shared rather than copied (a 1,000-container pod made copying the
/// simulator's main cost).
#[derive(Clone)]
pub enum Text {
    Static(&'static str),
    Shared(Rc<str>),
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Text::Static(s) => s,
            Text::Shared(s) => s,
        }
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        **self == **other
    }
}
impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        &**self == other
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl From<&'static str> for Text {
    fn from(s: &'static str) -> Text {
        Text::Static(s)
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text::Shared(Rc::from(s))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum St {
    Waiting { reason: Text, message: Text },
    Running,
    Terminated { code: i32, reason: Text },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cs {
    pub name: Text,
    pub kind: ContainerKind,
    pub state: St,
    /// The previous instance's exit (code, reason), when there was one: `lastState.terminated`.
    pub last: Option<(i32, Text)>,
    /// `lastState.terminated.finishedAt`.
    pub last_finished: Option<Ms>,
    /// `state.running.startedAt` / `state.terminated.startedAt` and `.finishedAt` of the instance this
    /// status describes (which may be older than the runtime's current one: statuses are written per sync).
    pub started_at: Option<Ms>,
    pub finished_at: Option<Ms>,
    pub ready: bool,
    pub started: bool,
    pub restarts: u32,
    /// Whether its own restart policy and rules (KEP-5307) restart it after the exit it shows; `None`
    /// when it has none (the pod's policy decides) or has not exited.
    pub own_restart: Option<bool>,
    /// The runtime has a record of this container (it was created at least once).
    pub has_record: bool,
    /// Whether a regular container exists in the current sandbox (any state).
    pub in_current_sandbox: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    #[default]
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
    /// Whether conditions carry their messages (lists of container names: built only for the final
    /// status, since every step would otherwise pay for a list as long as the pod).
    pub messages: bool,
    /// Indices into `app` in name order: `printPod` walks container statuses sorted by name.
    pub app_by_name: &'a [usize],
    /// Whether the kubelet writes `PodReadyToStartContainers` (a feature gate, on from 1.29).
    pub ready_to_start_condition: bool,
    /// The scheduler has not placed the pod, with its message: the only condition is
    /// `PodScheduled=False`.
    pub unschedulable: Option<&'a str>,
    /// The pod's `status.reason` (`DeadlineExceeded`), which kubectl shows as STATUS.
    pub reason: Option<&'a str>,
    /// KEP-5532: `None` with its gate off; else whether every container is being restarted (the
    /// `AllContainersRestarting` condition).
    pub all_restarting: Option<bool>,
    /// The last status had `Initialized=True`: with KEP-5532's gate on it stays True while the init
    /// containers run again (`GeneratePodInitializedCondition`).
    pub was_initialized: bool,
}

/// `getPhase` at v1.33 (spec §6). The kubelet writes a status (a default Waiting one at least) for every
/// container of the spec, so its `unknown` counter (a container without status) is always 0 here.
pub fn phase(s: &Snapshot<'_>) -> Phase {
    use crate::spec::RestartPolicy::*;
    let (mut pending_init, mut failed_init) = (0, 0);
    let (mut pending_sidecar, mut running, mut waiting, mut stopped, mut succeeded) =
        (0, 0, 0, 0, 0);
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
            _ => {
                let failed = match &c.state {
                    St::Running => {
                        pending_init += 1;
                        false
                    }
                    St::Terminated { code, .. } => *code != 0,
                    St::Waiting { .. } => match &c.last {
                        Some((code, _)) => *code != 0,
                        None => {
                            pending_init += 1;
                            false
                        }
                    },
                };
                // A failed init container fails the pod unless it is retried: by its own policy
                // (KEP-5307) if it has one, else by the pod's.
                if failed && !c.own_restart.unwrap_or(s.restart_policy != Never) {
                    failed_init += 1;
                }
            }
        }
    }
    for c in s.app {
        match &c.state {
            St::Running => running += 1,
            // Its own policy will start it again: the pod is not done with it (KEP-5307).
            _ if c.own_restart == Some(true) => running += 1,
            St::Terminated { code, .. } => {
                stopped += 1;
                if *code == 0 {
                    succeeded += 1;
                }
            }
            St::Waiting { .. } if c.last.is_some() => stopped += 1,
            St::Waiting { .. } => waiting += 1,
        }
    }
    let regular_in_sandbox = s.app.iter().any(|c| c.in_current_sandbox);
    if failed_init > 0 {
        return Phase::Failed;
    }
    if pending_init > 0 || (pending_sidecar > 0 && !regular_in_sandbox) {
        return Phase::Pending;
    }
    if waiting > 0 {
        return Phase::Pending;
    }
    if running > 0 {
        return Phase::Running;
    }
    if running == 0 && stopped > 0 {
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
    if let Some(msg) = s.unschedulable {
        out.push(Cond {
            kind: "PodScheduled",
            status: false,
            reason: Some("Unschedulable".into()),
            message: Some(msg.into()),
        });
        return out;
    }
    if s.ready_to_start_condition {
        out.push(Cond {
            kind: "PodReadyToStartContainers",
            status: s.sandbox_ready,
            reason: None,
            message: None,
        });
    }

    // Initialized
    let regular_running_or_done = s
        .app
        .iter()
        .any(|c| matches!(c.state, St::Running | St::Terminated { .. }));
    let is_incomplete = |c: &&Cs| match c.kind {
        ContainerKind::Sidecar => !c.started,
        _ => !c.ready,
    };
    let any_incomplete = s.init.iter().any(|c| is_incomplete(&c));
    // Succeeded with every init status known (always, here) is True with reason PodCompleted, with or
    // without init containers (`GeneratePodInitializedCondition`).
    let initialized = phase == Phase::Succeeded
        || !any_incomplete
        || regular_running_or_done
        || (s.all_restarting.is_some() && s.was_initialized);
    out.push(if initialized {
        let reason = (phase == Phase::Succeeded).then(|| "PodCompleted".to_string());
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
            message: s.messages.then(|| {
                let names: Vec<&str> = s
                    .init
                    .iter()
                    .filter(is_incomplete)
                    .map(|c| &*c.name)
                    .collect();
                format!("containers with incomplete status: {}", go_list(&names))
            }),
        }
    });

    // ContainersReady and Ready
    let unready = || {
        s.init
            .iter()
            .filter(|c| c.kind == ContainerKind::Sidecar)
            .chain(s.app.iter())
            .filter(|c| !c.ready)
    };
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
        _ if unready().next().is_none() => Cond {
            kind: "ContainersReady",
            status: true,
            reason: None,
            message: None,
        },
        _ => Cond {
            kind: "ContainersReady",
            status: false,
            reason: Some("ContainersNotReady".into()),
            message: s.messages.then(|| {
                let names: Vec<&str> = unready().map(|c| &*c.name).collect();
                format!("containers with unready status: {}", go_list(&names))
            }),
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
    // `GenerateAllContainersRestartingCondition` (pkg/kubelet/status/generate.go).
    if let Some(restarting) = s.all_restarting {
        let (reason, message) = match phase {
            Phase::Succeeded => (Some("PodCompleted"), None),
            Phase::Failed => (Some("PodFailed"), None),
            _ if restarting => (
                Some("RestartAllContainersStarted"),
                Some("container exited with restart policy rule"),
            ),
            _ => (None, None),
        };
        out.push(Cond {
            kind: "AllContainersRestarting",
            status: restarting && !phase.terminal(),
            reason: reason.map(String::from),
            message: message.map(String::from),
        });
    }
    out.push(Cond {
        kind: "PodScheduled",
        status: true,
        reason: None,
        message: None,
    });
    out
}

/// `printPod`'s columns before the RESTARTS age is rendered: computed once per status, formatted at
/// every step (only the "(… ago)" moves with time).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub ready: String,
    pub status: String,
    pub restarts: u32,
    /// The latest `lastState.terminated.finishedAt` that counts, for "N (AGE ago)".
    pub last_restart: Option<Ms>,
}

impl Row {
    /// RESTARTS as kubectl prints it at `now`.
    pub fn restarts_text(&self, now: Ms) -> String {
        match self.last_restart {
            Some(at) if self.restarts > 0 => format!(
                "{} ({} ago)",
                self.restarts,
                human_duration(now.saturating_sub(at).whole_s())
            ),
            _ => self.restarts.to_string(),
        }
    }
}

/// `printPod`'s READY, STATUS and RESTARTS (spec §9), over the status the kubelet last wrote.
pub fn kubectl(
    s: &Snapshot<'_>,
    phase: Phase,
    conds: &[Cond],
    now: Ms,
) -> (String, String, String) {
    let r = row(s, phase, conds);
    let restarts = r.restarts_text(now);
    (r.ready, r.status, restarts)
}

/// The columns of [`kubectl`] without rendering ages.
pub fn row(s: &Snapshot<'_>, phase: Phase, conds: &[Cond]) -> Row {
    let initialized = conds.iter().any(|c| c.kind == "Initialized" && c.status);
    let pod_ready = conds.iter().any(|c| c.kind == "Ready" && c.status);
    let total = s.app.len()
        + s.init
            .iter()
            .filter(|c| c.kind == ContainerKind::Sidecar)
            .count();
    let mut restarts = 0u32;
    let mut sidecar_restarts = 0u32;
    // The latest `lastState.terminated.finishedAt`, over all init statuses and over sidecars only.
    let mut last_restart: Option<Ms> = None;
    let mut last_sidecar_restart: Option<Ms> = None;
    let mut ready = 0usize;
    if s.unschedulable.is_some() {
        // No node, so no container statuses: kubectl shows the phase.
        return Row {
            ready: format!("0/{total}"),
            status: phase.as_str().into(),
            restarts: 0,
            last_restart: None,
        };
    }
    let mut reason = s.reason.unwrap_or(phase.as_str()).to_string();
    let mut initializing = false;
    for (i, c) in s.init.iter().enumerate() {
        restarts += c.restarts;
        last_restart = last_restart.max(c.last_finished);
        if c.kind == ContainerKind::Sidecar {
            sidecar_restarts += c.restarts;
            last_sidecar_restart = last_sidecar_restart.max(c.last_finished);
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
        // Regular init containers' restarts no longer count once the pod is initialized.
        restarts = sidecar_restarts;
        last_restart = last_sidecar_restart;
        let mut has_running = false;
        for c in s.app_by_name.iter().rev().filter_map(|&i| s.app.get(i)) {
            restarts += c.restarts;
            last_restart = last_restart.max(c.last_finished);
            match &c.state {
                St::Waiting { reason: r, .. } if !r.is_empty() => reason = r.to_string(),
                St::Terminated { reason: r, code } => {
                    reason = if r.is_empty() {
                        format!("ExitCode:{code}")
                    } else {
                        r.to_string()
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
            reason = if pod_ready { "Running" } else { "NotReady" }.into();
        }
    }
    if s.deleting && !phase.terminal() {
        reason = "Terminating".into();
    }
    Row {
        ready: format!("{ready}/{total}"),
        status: reason,
        restarts,
        last_restart,
    }
}

/// kubectl's age (`5s`, `2m3s`, `5m`, `14m`, `4h10m`), as RESTARTS prints "(… ago)": apimachinery's
/// `duration.HumanDuration`, about two significant figures.
pub fn human_duration(secs: u64) -> String {
    let (minutes, hours) = (secs / 60, secs / 3600);
    let with = |big: u64, unit: &str, small: u64, small_unit: &str| {
        if small == 0 {
            format!("{big}{unit}")
        } else {
            format!("{big}{unit}{small}{small_unit}")
        }
    };
    if secs < 120 {
        format!("{secs}s")
    } else if minutes < 10 {
        with(minutes, "m", secs % 60, "s")
    } else if minutes < 180 {
        format!("{minutes}m")
    } else if hours < 8 {
        with(hours, "h", minutes % 60, "m")
    } else if hours < 48 {
        format!("{hours}h")
    } else if hours < 24 * 8 {
        with(hours / 24, "d", hours % 24, "h")
    } else if hours < 24 * 365 * 2 {
        format!("{}d", hours / 24)
    } else if hours < 24 * 365 * 8 {
        with(hours / 24 / 365, "y", (hours / 24) % 365, "d")
    } else {
        format!("{}y", hours / 24 / 365)
    }
}

#[cfg(test)]
mod tests {
    use super::human_duration;

    #[test]
    fn ages_print_like_kubectl() {
        let cases = [
            (0, "0s"),
            (119, "119s"),
            (120, "2m"),
            (161, "2m41s"),
            (300, "5m"),
            (599, "9m59s"),
            (600, "10m"),
            (861, "14m"),
            (3 * 3600, "3h"),
            (3 * 3600 + 600, "3h10m"),
            (86_400, "24h"),
        ];
        for (secs, want) in cases {
            assert_eq!(human_duration(secs), want, "{secs} s");
        }
    }
}
