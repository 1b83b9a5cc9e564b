//! The trace: Podstep's stable output contract, read by the CLI, the web app, golden tests and other tools.
//!
//! See `docs/trace.md` for the documented shape. Field names here are part of the contract: add, never
//! rename. Times are seconds (numbers) since the pod was scheduled.

use crate::quote::quote;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt::Write;

use super::status::Phase;
use super::time::Ms;
use crate::spec::ProbeKind;

/// One value of a step's event-specific fields, as the JSON and text forms write it (see
/// [`StepKind::fields`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Field {
    Int(i64),
    Num(f64),
    Str(String),
    Bool(bool),
}

impl Field {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Field::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Field::Int(i) => Some(*i),
            Field::Num(f) => Some(*f as i64),
            _ => None,
        }
    }
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Field::Int(i) => Some(*i as f64),
            Field::Num(f) => Some(*f),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Field::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

impl Serialize for Field {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Field::Int(i) => s.serialize_i64(*i),
            Field::Num(f) => s.serialize_f64(*f),
            Field::Str(v) => s.serialize_str(v),
            Field::Bool(b) => s.serialize_bool(*b),
        }
    }
}

impl From<i64> for Field {
    fn from(v: i64) -> Field {
        Field::Int(v)
    }
}
impl From<i32> for Field {
    fn from(v: i32) -> Field {
        Field::Int(v.into())
    }
}
impl From<u32> for Field {
    fn from(v: u32) -> Field {
        Field::Int(v.into())
    }
}
impl From<bool> for Field {
    fn from(v: bool) -> Field {
        Field::Bool(v)
    }
}
impl From<&str> for Field {
    fn from(v: &str) -> Field {
        Field::Str(v.to_string())
    }
}
impl From<String> for Field {
    fn from(v: String) -> Field {
        Field::Str(v)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Kubectl {
    pub ready: String,
    pub status: String,
    pub restarts: String,
}

/// What happened in one step, with the facts that event carries. The JSON and text forms spell each
/// variant as its `event` name and its facts as the documented fields (`docs/trace.md`); inside Rust a
/// step is matched exhaustively, so a renamed or new event fails to compile where it is read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// Bound to the node (t=0).
    Scheduled,
    /// The kubelet came back after a restart or a reboot.
    KubeletStarted,
    /// The pod sandbox exists.
    SandboxReady,
    /// The sandbox was stopped after the last container ended.
    SandboxStopped,
    /// A scenario action was applied, spelled as on the command line.
    Action {
        action: String,
    },
    /// The pod was deleted, or a later delete shortened the grace period.
    DeletionRequested {
        grace_s: i64,
    },
    /// A whole-pod kill inside a sync.
    KillPod {
        reason: KillPodReason,
    },
    Pulling {
        image: String,
    },
    Pulled {
        image: String,
    },
    /// The pull failed (`ErrImagePull`).
    PullFailed {
        reason: &'static str,
    },
    /// A start that failed before a container existed (`InvalidImageName`, `ErrImageNeverPull`).
    StartFailed {
        reason: &'static str,
    },
    /// A start refused by CrashLoopBackOff (`reason: None`) or by the image pull back-off.
    BackOff {
        delay: Ms,
        reason: Option<&'static str>,
    },
    Created,
    /// The process runs; `attempt` is 1-based, `behavior` says where its behaviour came from.
    Started {
        attempt: u32,
        behavior: String,
    },
    PostStartStarted,
    PostStartFinished {
        ok: bool,
    },
    /// One failed probe run.
    ProbeFailed {
        probe: ProbeKind,
    },
    /// The process ended (`Completed`, `Error`, `OOMKilled`, `Unknown`).
    Exited {
        code: i32,
        reason: &'static str,
    },
    /// The kubelet starts to stop the container.
    Killing {
        reason: KillReason,
        grace: Ms,
    },
    PreStopStarted,
    /// The preStop hook ended within the grace period (`ok` known), or the kubelet stopped waiting for
    /// it at the deadline (`in_time: false`, `ok: None`).
    PreStopFinished {
        ok: Option<bool>,
        in_time: bool,
    },
    /// A sidecar waits for the app containers and later sidecars to exit.
    WaitingForTurn,
    Signal {
        signal: Signal,
    },
    /// `containerStatus.started` became true.
    StartupSucceeded,
    Ready,
    NotReady,
    /// One of the kubelet's pod conditions flipped.
    ConditionChanged {
        kind: &'static str,
        status: bool,
        reason: Option<String>,
    },
    PhaseChanged {
        phase: Phase,
    },
    /// The `kubectl` row changed with no other step to show it.
    StatusChanged,
}

/// Why the kubelet kills a container (the `Killing` step's `reason`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KillReason {
    /// Deletion or a whole-pod kill.
    Stopping,
    LivenessProbe,
    StartupProbe,
    /// The spec changed while it ran (an image update).
    DefinitionChanged,
    FailedPostStartHook,
}

impl KillReason {
    pub fn as_str(self) -> &'static str {
        match self {
            KillReason::Stopping => "Stopping",
            KillReason::LivenessProbe => "LivenessProbe",
            KillReason::StartupProbe => "StartupProbe",
            KillReason::DefinitionChanged => "DefinitionChanged",
            KillReason::FailedPostStartHook => "FailedPostStartHook",
        }
    }
}

/// Why a sync killed the whole pod.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KillPodReason {
    /// Nothing is left to run.
    Completed,
    /// An init container failed under `restartPolicy: Never`.
    InitFailed,
    /// `activeDeadlineSeconds` passed: the kubelet failed the pod.
    DeadlineExceeded,
}

impl KillPodReason {
    pub fn as_str(self) -> &'static str {
        match self {
            KillPodReason::Completed => "Completed",
            KillPodReason::InitFailed => "InitFailed",
            KillPodReason::DeadlineExceeded => "DeadlineExceeded",
        }
    }
}

/// The signal a `Signal` step sends: the container's stop signal when the grace period starts (its
/// `lifecycle.stopSignal` with `ContainerStopSignals`, else the image's `STOPSIGNAL`, else SIGTERM),
/// SIGKILL when it ends. Held as its Linux number, so every signal the API accepts has one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Signal(u8);

/// What a process with no handler for a signal does on it (signal(7)'s default actions).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefaultAction {
    /// The process ends, killed by the signal (exit status 128+signo), with or without a core dump.
    Terminate,
    /// Nothing happens (SIGCHLD, SIGURG, SIGWINCH; SIGCONT resumes a stopped process).
    Ignore,
    /// The process stops until SIGCONT, and so lives on until SIGKILL.
    Stop,
}

/// The Linux signals by name, as `lifecycle.stopSignal` spells them (the real-time ones as
/// `SIGRTMIN+n` / `SIGRTMAX-n`, numbered from glibc's SIGRTMIN of 34), with their numbers.
const NAMED: &[(&str, u8)] = &[
    ("SIGHUP", 1),
    ("SIGINT", 2),
    ("SIGQUIT", 3),
    ("SIGILL", 4),
    ("SIGTRAP", 5),
    ("SIGABRT", 6),
    ("SIGIOT", 6),
    ("SIGBUS", 7),
    ("SIGFPE", 8),
    ("SIGKILL", 9),
    ("SIGUSR1", 10),
    ("SIGSEGV", 11),
    ("SIGUSR2", 12),
    ("SIGPIPE", 13),
    ("SIGALRM", 14),
    ("SIGTERM", 15),
    ("SIGSTKFLT", 16),
    ("SIGCHLD", 17),
    ("SIGCLD", 17),
    ("SIGCONT", 18),
    ("SIGSTOP", 19),
    ("SIGTSTP", 20),
    ("SIGTTIN", 21),
    ("SIGTTOU", 22),
    ("SIGURG", 23),
    ("SIGXCPU", 24),
    ("SIGXFSZ", 25),
    ("SIGVTALRM", 26),
    ("SIGPROF", 27),
    ("SIGWINCH", 28),
    ("SIGIO", 29),
    ("SIGPOLL", 29),
    ("SIGPWR", 30),
    ("SIGSYS", 31),
];
const RTMIN: u8 = 34;
const RTMAX: u8 = 64;

impl Signal {
    pub const HUP: Signal = Signal(1);
    pub const INT: Signal = Signal(2);
    pub const QUIT: Signal = Signal(3);
    pub const KILL: Signal = Signal(9);
    pub const TERM: Signal = Signal(15);
    pub const STOP: Signal = Signal(19);
    pub const WINCH: Signal = Signal(28);

    /// A signal by number, 1 to 64.
    pub fn from_number(n: i64) -> Option<Signal> {
        (1..=i64::from(RTMAX))
            .contains(&n)
            .then_some(Signal(n as u8))
    }
    /// A signal by name: `SIGTERM`, `TERM`, `SIGRTMIN+3` (any case, `SIG` optional).
    pub fn from_name(name: &str) -> Option<Signal> {
        let up = name.to_ascii_uppercase();
        let bare = up.strip_prefix("SIG").unwrap_or(&up);
        if let Some(&(_, n)) = NAMED.iter().find(|(full, _)| &full[3..] == bare) {
            return Some(Signal(n));
        }
        let offset = |rest: &str, sign: i32| -> Option<Signal> {
            let n: i32 = if rest.is_empty() {
                0
            } else {
                rest.parse().ok()?
            };
            if !(0..=15).contains(&n) || rest.starts_with(['+', '-']) {
                return None;
            }
            let base = if sign > 0 { RTMIN } else { RTMAX };
            Some(Signal((i32::from(base) + sign * n) as u8))
        };
        if let Some(rest) = bare.strip_prefix("RTMIN") {
            return offset(rest.strip_prefix('+').unwrap_or(rest), 1);
        }
        if let Some(rest) = bare.strip_prefix("RTMAX") {
            return match rest.strip_prefix('-') {
                Some(n) => offset(n, -1),
                None if rest.is_empty() => Some(Signal(RTMAX)),
                None => None,
            };
        }
        None
    }
    pub fn number(self) -> u8 {
        self.0
    }
    /// The trace's spelling, without `SIG` (`TERM`, `RTMIN+3`).
    pub fn as_str(self) -> String {
        if let Some((name, _)) = NAMED.iter().find(|(_, n)| *n == self.0) {
            return name[3..].to_string();
        }
        match self.0 {
            RTMIN => "RTMIN".into(),
            RTMAX => "RTMAX".into(),
            n if n < RTMIN => format!("{n}"),
            n if n <= RTMIN + 15 => format!("RTMIN+{}", n - RTMIN),
            n => format!("RTMAX-{}", RTMAX - n),
        }
    }
    /// What the signal does to a process that has no handler for it.
    pub fn default_action(self) -> DefaultAction {
        match self.0 {
            17 | 18 | 23 | 28 => DefaultAction::Ignore,
            19..=22 => DefaultAction::Stop,
            _ => DefaultAction::Terminate,
        }
    }
    /// Whether a process can catch or ignore it (SIGKILL and SIGSTOP it cannot).
    pub fn catchable(self) -> bool {
        self != Signal::KILL && self != Signal::STOP
    }
}

/// A duration field in seconds: a whole number when it is one (`10`, not `10.0`).
fn secs_field(d: Ms) -> Field {
    if d.0.is_multiple_of(1000) {
        Field::Int((d.0 / 1000) as i64)
    } else {
        Field::Num(d.as_secs_f64())
    }
}

impl StepKind {
    /// The documented event name.
    pub fn event(&self) -> &'static str {
        match self {
            StepKind::Scheduled => "Scheduled",
            StepKind::KubeletStarted => "KubeletStarted",
            StepKind::SandboxReady => "SandboxReady",
            StepKind::SandboxStopped => "SandboxStopped",
            StepKind::Action { .. } => "Action",
            StepKind::DeletionRequested { .. } => "DeletionRequested",
            StepKind::KillPod { .. } => "KillPod",
            StepKind::Pulling { .. } => "Pulling",
            StepKind::Pulled { .. } => "Pulled",
            StepKind::PullFailed { .. } => "PullFailed",
            StepKind::StartFailed { .. } => "StartFailed",
            StepKind::BackOff { .. } => "BackOff",
            StepKind::Created => "Created",
            StepKind::Started { .. } => "Started",
            StepKind::PostStartStarted => "PostStartStarted",
            StepKind::PostStartFinished { .. } => "PostStartFinished",
            StepKind::ProbeFailed { .. } => "ProbeFailed",
            StepKind::Exited { .. } => "Exited",
            StepKind::Killing { .. } => "Killing",
            StepKind::PreStopStarted => "PreStopStarted",
            StepKind::PreStopFinished { .. } => "PreStopFinished",
            StepKind::WaitingForTurn => "WaitingForTurn",
            StepKind::Signal { .. } => "Signal",
            StepKind::StartupSucceeded => "StartupSucceeded",
            StepKind::Ready => "Ready",
            StepKind::NotReady => "NotReady",
            StepKind::ConditionChanged { .. } => "ConditionChanged",
            StepKind::PhaseChanged { .. } => "PhaseChanged",
            StepKind::StatusChanged => "StatusChanged",
        }
    }

    /// The event's documented fields, sorted by name (as the JSON and text forms print them).
    pub fn fields(&self) -> Vec<(&'static str, Field)> {
        let s = |v: &str| Field::Str(v.to_string());
        match self {
            StepKind::Scheduled
            | StepKind::KubeletStarted
            | StepKind::SandboxReady
            | StepKind::SandboxStopped
            | StepKind::Created
            | StepKind::PostStartStarted
            | StepKind::PreStopStarted
            | StepKind::WaitingForTurn
            | StepKind::StartupSucceeded
            | StepKind::Ready
            | StepKind::NotReady
            | StepKind::StatusChanged => Vec::new(),
            StepKind::Action { action } => vec![("action", s(action))],
            StepKind::DeletionRequested { grace_s } => vec![("graceSeconds", Field::Int(*grace_s))],
            StepKind::KillPod { reason } => vec![("reason", s(reason.as_str()))],
            StepKind::Pulling { image } | StepKind::Pulled { image } => vec![("image", s(image))],
            StepKind::PullFailed { reason } | StepKind::StartFailed { reason } => {
                vec![("reason", s(reason))]
            }
            StepKind::BackOff { delay, reason } => {
                let mut f = vec![("delaySeconds", secs_field(*delay))];
                if let Some(r) = reason {
                    f.push(("reason", s(r)));
                }
                f
            }
            StepKind::Started { attempt, behavior } => vec![
                ("attempt", Field::Int((*attempt).into())),
                ("behavior", s(behavior)),
            ],
            StepKind::PostStartFinished { ok } => vec![("ok", Field::Bool(*ok))],
            StepKind::ProbeFailed { probe } => vec![("probe", s(probe.name()))],
            StepKind::Exited { code, reason } => vec![
                ("exitCode", Field::Int((*code).into())),
                ("reason", s(reason)),
            ],
            StepKind::Killing { reason, grace } => vec![
                ("graceSeconds", secs_field(*grace)),
                ("reason", s(reason.as_str())),
            ],
            StepKind::PreStopFinished { ok, in_time } => {
                let mut f = vec![("inTime", Field::Bool(*in_time))];
                if let Some(ok) = ok {
                    f.push(("ok", Field::Bool(*ok)));
                }
                f
            }
            StepKind::Signal { signal } => vec![("signal", s(&signal.as_str()))],
            StepKind::ConditionChanged {
                kind,
                status,
                reason,
            } => {
                let mut f = Vec::new();
                if let Some(r) = reason {
                    f.push(("reason", s(r)));
                }
                f.push(("status", s(if *status { "True" } else { "False" })));
                f.push(("type", s(kind)));
                f
            }
            StepKind::PhaseChanged { phase } => vec![("phase", s(phase.as_str()))],
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub t: Ms,
    pub container: Option<String>,
    pub kind: StepKind,
    pub phase: Phase,
    pub kubectl: Kubectl,
}

impl Step {
    /// The documented event name of this step.
    pub fn event(&self) -> &'static str {
        self.kind.event()
    }
    /// One documented field by its JSON name (`exitCode`, `reason`), for readers that treat steps
    /// generically; code that knows the event matches on [`Step::kind`] instead.
    pub fn field(&self, name: &str) -> Option<Field> {
        self.kind
            .fields()
            .into_iter()
            .find_map(|(k, v)| (k == name).then_some(v))
    }
}

/// `{t, container, event, …fields, phase, kubectl}`: the event's fields sit beside the common ones.
impl Serialize for Step {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let fields = self.kind.fields();
        let mut map = s.serialize_map(Some(5 + fields.len()))?;
        map.serialize_entry("t", &self.t.as_secs_f64())?;
        map.serialize_entry("container", &self.container)?;
        map.serialize_entry("event", self.event())?;
        for (k, v) in &fields {
            map.serialize_entry(k, v)?;
        }
        map.serialize_entry("phase", self.phase.as_str())?;
        map.serialize_entry("kubectl", &self.kubectl)?;
        map.end()
    }
}

/// Why the run stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EndReason {
    /// The pod finished: every container stopped and the sandbox with them.
    Terminal,
    /// Nothing can change any more (only probe ticks that repeat their result remain).
    Steady,
    /// The run reached `--until`.
    Horizon,
    /// A Podstep limit stopped it (see the notes).
    Limit,
}

impl EndReason {
    pub fn as_str(self) -> &'static str {
        match self {
            EndReason::Terminal => "terminal",
            EndReason::Steady => "steady",
            EndReason::Horizon => "horizon",
            EndReason::Limit => "limit",
        }
    }
}

impl std::fmt::Display for EndReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An event's `type`, as `kubectl describe` shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum EventType {
    Normal,
    Warning,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Normal => "Normal",
            EventType::Warning => "Warning",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct End {
    pub t: f64,
    pub why: EndReason,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Condition {
    #[serde(rename = "type")]
    pub kind: String,
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The generation the condition was set from (KEP-5067); the kubelet sets it on its own
    /// conditions, the scheduler on `PodScheduled`, nobody on `AllContainersRestarting`.
    #[serde(rename = "observedGeneration", skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StateDetail {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_at: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<f64>,
}

/// `{"waiting": {...}}`, `{"running": {...}}` or `{"terminated": {...}}`, as the API shapes it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ContainerState {
    Waiting(StateDetail),
    Running(StateDetail),
    Terminated(StateDetail),
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerStatus {
    pub name: String,
    pub image: String,
    pub ready: bool,
    pub started: bool,
    pub restart_count: u32,
    pub state: ContainerState,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_state: Option<ContainerState>,
    /// `stopSignal`: the effective stop signal, reported with `ContainerStopSignals` (KEP-4960).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop_signal: Option<String>,
}

/// A container status as the kubelet wrote it, shown from step `step` on (an index into `steps`; equal
/// to `steps.len()` when written after the last step). Only changes are listed, so folding them in order
/// gives every container's exact API status at any step.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StatusChange {
    pub step: usize,
    #[serde(flatten)]
    pub status: ContainerStatus,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Final {
    pub phase: String,
    /// The pod's `status.reason` and `status.message`, when it has them (`DeadlineExceeded`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    pub kubectl: Kubectl,
    /// `status.observedGeneration` (KEP-5067, with `PodObservedGenerationTracking`).
    #[serde(rename = "observedGeneration", skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    pub conditions: Vec<Condition>,
    pub init_container_statuses: Vec<ContainerStatus>,
    pub container_statuses: Vec<ContainerStatus>,
    pub effective_requests: Requests,
}

/// The pod's effective requests as text (`cpu` → `2700m`), in name order; it serializes and prints as a
/// `BTreeMap<String, String>` would.
pub type Requests = BTreeMap<String, String>;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    pub t: f64,
    #[serde(rename = "type")]
    pub kind: EventType,
    pub reason: String,
    pub object: String,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trace {
    pub pod: String,
    pub end: End,
    pub steps: Vec<Step>,
    #[serde(rename = "final")]
    pub final_state: Final,
    pub events: Vec<Event>,
    /// Every container status the kubelet wrote, when it changed.
    #[serde(rename = "statusChanges")]
    pub status_changes: Vec<StatusChange>,
    /// What was assumed about containers' behaviour, and limits hit.
    pub notes: Vec<String>,
    /// Internal events the simulation handled (syncs, process wake-ups, probe runs, timers): the
    /// throughput benchmark's unit. Not part of the JSON contract.
    #[serde(skip)]
    pub events_handled: u64,
}

/// A time or duration in seconds as text, `12`, `1.5`: the engine's times are whole milliseconds, and
/// [`Ms::secs_text`] prints them exactly.
fn secs(t: f64) -> String {
    Ms::from_secs_f64(t).secs_text()
}

fn value_text(v: &Field) -> String {
    match v {
        Field::Str(s) if s.contains(' ') || s.is_empty() => quote(s),
        Field::Str(s) => s.clone(),
        Field::Int(i) => i.to_string(),
        // The engine's only non-integer fields are durations in whole milliseconds (`secs_field`).
        Field::Num(f) => secs(*f),
        Field::Bool(b) => b.to_string(),
    }
}

impl Trace {
    /// One dense line per step: `t  container  Event key=value…  │ phase READY STATUS RESTARTS`. The
    /// golden-file format.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "pod {}", self.pod);
        for n in &self.notes {
            let _ = writeln!(out, "note: {n}");
        }
        let width = self
            .steps
            .iter()
            .map(|s| s.container.as_deref().map_or(1, str::len))
            .max()
            .unwrap_or(1);
        for s in &self.steps {
            let mut line = format!(
                "{:>6}  {:<width$}  {}",
                s.t.secs_text(),
                s.container.as_deref().unwrap_or("-"),
                s.event()
            );
            for (k, v) in &s.kind.fields() {
                let _ = write!(line, " {k}={}", value_text(v));
            }
            let _ = writeln!(
                out,
                "{line:<70} | {} {} {} {}",
                s.phase.as_str(),
                s.kubectl.ready,
                s.kubectl.status,
                s.kubectl.restarts
            );
        }
        let _ = writeln!(
            out,
            "end t={} why={}",
            secs(self.end.t),
            self.end.why.as_str()
        );
        let f = &self.final_state;
        let _ = writeln!(
            out,
            "final {} {} {} {}",
            f.phase, f.kubectl.ready, f.kubectl.status, f.kubectl.restarts
        );
        if let Some(g) = f.observed_generation {
            let _ = writeln!(out, "  observedGeneration={g}");
        }
        if let (Some(r), Some(m)) = (&f.reason, &f.message) {
            let _ = writeln!(out, "  reason={r} message={m:?}");
        }
        for c in &f.conditions {
            let _ = write!(out, "  {}={}", c.kind, c.status);
            match (&c.reason, &c.message) {
                (Some(r), Some(m)) => {
                    let _ = write!(out, " ({r}: {m})");
                }
                (Some(r), None) => {
                    let _ = write!(out, " ({r})");
                }
                _ => {}
            }
            out.push('\n');
        }
        for (label, list) in [
            ("init", &f.init_container_statuses),
            ("ctr", &f.container_statuses),
        ] {
            for c in list {
                let _ = write!(
                    out,
                    "  {label} {} ready={} started={} restarts={} {}",
                    c.name,
                    c.ready,
                    c.started,
                    c.restart_count,
                    state_text(&c.state)
                );
                if let Some(signal) = &c.stop_signal {
                    let _ = write!(out, " stopSignal={signal}");
                }
                out.push('\n');
            }
        }
        if !f.effective_requests.is_empty() {
            let parts: Vec<String> = f
                .effective_requests
                .iter()
                .map(|(k, v)| format!("{k}={}", value_text(&Field::Str(v.clone()))))
                .collect();
            let _ = writeln!(out, "  requests {}", parts.join(" "));
        }
        out
    }

    /// The describe-style event list, one line each.
    pub fn events_text(&self) -> String {
        let mut out = String::new();
        for e in &self.events {
            let _ = writeln!(
                out,
                "{:>6}  {:<7} {:<22} {:<24} {}",
                secs(e.t),
                e.kind.as_str(),
                e.reason,
                e.object,
                e.message
            );
        }
        out
    }
}

pub fn state_text(s: &ContainerState) -> String {
    match s {
        ContainerState::Waiting(d) => format!("waiting({})", d.reason.as_deref().unwrap_or("")),
        ContainerState::Running(_) => "running".into(),
        ContainerState::Terminated(d) => {
            format!(
                "terminated({} {})",
                d.reason.as_deref().unwrap_or(""),
                d.exit_code.unwrap_or(0)
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{DefaultAction, Signal};

    type Row = (&'static str, Option<(u8, &'static str, DefaultAction)>);

    /// Names as `lifecycle.stopSignal` and `trap` spell them, and what each does unhandled.
    #[test]
    fn signals_by_name_and_number() {
        let table: &[Row] = &[
            ("SIGTERM", Some((15, "TERM", DefaultAction::Terminate))),
            ("term", Some((15, "TERM", DefaultAction::Terminate))),
            ("SIGIOT", Some((6, "ABRT", DefaultAction::Terminate))),
            ("SIGCLD", Some((17, "CHLD", DefaultAction::Ignore))),
            ("SIGWINCH", Some((28, "WINCH", DefaultAction::Ignore))),
            ("SIGTSTP", Some((20, "TSTP", DefaultAction::Stop))),
            ("SIGRTMIN", Some((34, "RTMIN", DefaultAction::Terminate))),
            (
                "SIGRTMIN+3",
                Some((37, "RTMIN+3", DefaultAction::Terminate)),
            ),
            (
                "SIGRTMAX-1",
                Some((63, "RTMAX-1", DefaultAction::Terminate)),
            ),
            ("SIGRTMAX", Some((64, "RTMAX", DefaultAction::Terminate))),
            ("SIGRTMIN+16", None),
            ("SIGRTMIN+-1", None),
            ("SIGTERMINATE", None),
            ("", None),
        ];
        for (name, want) in table {
            let got = Signal::from_name(name).map(|s| (s.number(), s.as_str(), s.default_action()));
            let want = want.map(|(n, s, a)| (n, s.to_string(), a));
            assert_eq!(got, want, "{name}");
        }
        assert!(!Signal::KILL.catchable() && !Signal::STOP.catchable());
        assert!(Signal::from_name("SIGUSR1").is_some_and(Signal::catchable));
        assert_eq!(Signal::from_number(0), None);
        assert_eq!(Signal::from_number(65), None);
    }
}
