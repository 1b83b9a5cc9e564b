//! The trace, read for display: one lane of coloured segments and markers per container, and the pod as
//! `kubectl` would show it at any step.
//!
//! The engine stamps every step with the phase and the `kubectl get pod` columns, but reports container
//! statuses and conditions only at the end. This module folds the steps, in order, into per-container
//! state ([`Fold`]); [`Timeline::build`] turns that into segments and markers, and [`Timeline::view_at`]
//! into the state at the cursor. Everything here is pure and unit-tested; it reads the trace contract
//! (`docs/trace.md`) and never re-decides what the kubelet does.

use lifecycle::sim::status::Phase;
use lifecycle::sim::time::Ms;
use lifecycle::sim::trace::{ContainerState, KillReason, Kubectl, Step, StepKind, Trace};
use lifecycle::spec::{ContainerKind, ProbeKind, Workload};

/// What a container is doing, as the timeline colours it. Every variant also has a pattern and a
/// label, so no state is told apart by colour alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Seg {
    /// Not created yet (waiting for its turn, the sandbox or the kubelet).
    Waiting,
    /// Image pull or container creation in progress.
    Creating,
    /// Running, but `started` is still false (startup probe not yet passed).
    Starting,
    /// Running: an init container doing its work (readiness does not apply).
    Running,
    /// Running and started, not ready.
    NotReady,
    Ready,
    /// The kubelet is stopping it (preStop, SIGTERM, grace period).
    Terminating,
    /// A start refused: CrashLoopBackOff, ErrImagePull / ImagePullBackOff, an unusable image.
    BackOff,
    ExitedOk,
    ExitedFailed,
}

impl Seg {
    pub const ALL: [Seg; 10] = [
        Seg::Waiting,
        Seg::Creating,
        Seg::Starting,
        Seg::Running,
        Seg::NotReady,
        Seg::Ready,
        Seg::Terminating,
        Seg::BackOff,
        Seg::ExitedOk,
        Seg::ExitedFailed,
    ];

    /// The CSS class (colour and pattern) of this state.
    pub fn class(self) -> &'static str {
        match self {
            Seg::Waiting => "s-waiting",
            Seg::Creating => "s-creating",
            Seg::Starting => "s-starting",
            Seg::Running => "s-running",
            Seg::NotReady => "s-notready",
            Seg::Ready => "s-ready",
            Seg::Terminating => "s-terminating",
            Seg::BackOff => "s-backoff",
            Seg::ExitedOk => "s-exited-ok",
            Seg::ExitedFailed => "s-exited-failed",
        }
    }

    /// The legend's words for this state.
    pub fn label(self) -> &'static str {
        match self {
            Seg::Waiting => "waiting",
            Seg::Creating => "pulling / creating",
            Seg::Starting => "running, not started",
            Seg::Running => "running",
            Seg::NotReady => "running, not ready",
            Seg::Ready => "ready",
            Seg::Terminating => "terminating",
            Seg::BackOff => "back-off",
            Seg::ExitedOk => "exited 0",
            Seg::ExitedFailed => "exited, failed",
        }
    }
}

/// A container status as the API shows it (`state` / `lastState`). Times are seconds since scheduling.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiState {
    Waiting {
        reason: String,
    },
    Running {
        started_at: f64,
    },
    Terminated {
        exit_code: i32,
        reason: String,
        started_at: Option<f64>,
        finished_at: Option<f64>,
    },
}

impl ApiState {
    /// `waiting(PodInitializing)`, `running`, `terminated(Completed 0)`: the trace's text form.
    pub fn short(&self) -> String {
        match self {
            ApiState::Waiting { reason } => format!("waiting({reason})"),
            ApiState::Running { .. } => "running".into(),
            ApiState::Terminated {
                exit_code, reason, ..
            } => format!("terminated({reason} {exit_code})"),
        }
    }

    fn from_trace(s: &ContainerState) -> ApiState {
        match s {
            ContainerState::Waiting(d) => ApiState::Waiting {
                reason: d.reason.clone().unwrap_or_default(),
            },
            ContainerState::Running(d) => ApiState::Running {
                started_at: d.started_at.unwrap_or(0.0),
            },
            ContainerState::Terminated(d) => ApiState::Terminated {
                exit_code: d.exit_code.unwrap_or(0),
                reason: d.reason.clone().unwrap_or_default(),
                started_at: d.started_at,
                finished_at: d.finished_at,
            },
        }
    }
}

/// One container at one step.
#[derive(Clone, Debug, PartialEq)]
pub struct ContainerView {
    pub name: String,
    pub kind: ContainerKind,
    pub image: String,
    pub state: ApiState,
    pub last_state: Option<ApiState>,
    pub ready: bool,
    pub started: bool,
    pub restart_count: u32,
    /// How the timeline draws it now, and a short qualifier (`CrashLoopBackOff`, `exit 1`).
    pub seg: Seg,
    pub note: Option<String>,
    /// Consecutive failures of each probe (startup, readiness, liveness) of the current instance.
    pub failures: [u32; 3],
}

/// One of the five kubelet-owned conditions; `status` is `None` until the kubelet first reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct ConditionView {
    pub kind: &'static str,
    pub status: Option<bool>,
    pub reason: Option<String>,
    pub message: Option<String>,
}

/// The pod at the cursor.
#[derive(Clone, Debug, PartialEq)]
pub struct PodView {
    pub step: usize,
    pub t: f64,
    pub phase: Phase,
    pub kubectl: Kubectl,
    pub conditions: Vec<ConditionView>,
    /// Init containers (sidecars included), then app containers, in spec order.
    pub containers: Vec<ContainerView>,
}

impl PodView {
    pub fn init_containers(&self) -> impl Iterator<Item = &ContainerView> {
        self.containers
            .iter()
            .filter(|c| c.kind != ContainerKind::App)
    }
    pub fn app_containers(&self) -> impl Iterator<Item = &ContainerView> {
        self.containers
            .iter()
            .filter(|c| c.kind == ContainerKind::App)
    }
}

/// The five conditions in the order `kubectl describe` lists them.
pub const CONDITIONS: [&str; 5] = [
    "PodReadyToStartContainers",
    "Initialized",
    "Ready",
    "ContainersReady",
    "PodScheduled",
];

fn probe_index(kind: ProbeKind) -> usize {
    match kind {
        ProbeKind::Startup => 0,
        ProbeKind::Readiness => 1,
        ProbeKind::Liveness => 2,
    }
}

/// The steps folded so far: the state of every container and condition.
#[derive(Clone, Debug)]
pub struct Fold {
    pub containers: Vec<ContainerView>,
    pub conditions: Vec<ConditionView>,
    /// The last `Exited` of each container, kept for `lastState` after a restart.
    exits: Vec<Option<ApiState>>,
}

impl Fold {
    pub fn new(workload: &Workload) -> Fold {
        let pod = &workload.pod;
        let default_reason = if pod.init_containers.is_empty() {
            "ContainerCreating"
        } else {
            "PodInitializing"
        };
        let containers: Vec<ContainerView> = pod
            .all_containers()
            .map(|c| ContainerView {
                name: c.name.clone(),
                kind: c.kind,
                image: c.image.clone(),
                state: ApiState::Waiting {
                    reason: default_reason.into(),
                },
                last_state: None,
                ready: false,
                started: false,
                restart_count: 0,
                seg: Seg::Waiting,
                note: None,
                failures: [0; 3],
            })
            .collect();
        Fold {
            exits: vec![None; containers.len()],
            containers,
            conditions: CONDITIONS
                .iter()
                .map(|kind| ConditionView {
                    kind,
                    status: None,
                    reason: None,
                    message: None,
                })
                .collect(),
        }
    }

    fn index(&self, name: &str) -> Option<usize> {
        self.containers.iter().position(|c| c.name == name)
    }

    /// Applies one step. Unknown events and containers are ignored (the contract only ever adds).
    pub fn apply(&mut self, step: &Step) {
        match step.container.as_deref() {
            None => self.apply_pod(step),
            Some(name) => {
                if let Some(i) = self.index(name) {
                    self.apply_container(i, step);
                }
            }
        }
    }

    /// Pod-level steps change only the conditions here (phase and `kubectl` are stamped on every step).
    fn apply_pod(&mut self, step: &Step) {
        let StepKind::ConditionChanged {
            kind,
            status,
            reason,
        } = &step.kind
        else {
            return;
        };
        if let Some(c) = self.conditions.iter_mut().find(|c| c.kind == *kind) {
            c.status = Some(*status);
            c.reason = reason.clone();
        }
    }

    fn apply_container(&mut self, i: usize, step: &Step) {
        let t = step.t.as_secs_f64();
        let c = &mut self.containers[i];
        let running = matches!(c.state, ApiState::Running { .. });
        match &step.kind {
            StepKind::Pulling { image } => {
                c.image = image.clone();
                c.seg = Seg::Creating;
                c.note = Some("pulling".into());
            }
            StepKind::Pulled { .. } => {
                c.seg = Seg::Creating;
                c.note = Some("pulled".into());
            }
            StepKind::Created => {
                c.seg = Seg::Creating;
                c.note = Some("created".into());
            }
            StepKind::PullFailed { reason } | StepKind::StartFailed { reason } => {
                let reason = reason.to_string();
                c.state = ApiState::Waiting {
                    reason: reason.clone(),
                };
                c.seg = Seg::BackOff;
                c.note = Some(reason);
            }
            StepKind::BackOff { reason, .. } => {
                let reason = reason.unwrap_or("CrashLoopBackOff").to_string();
                if let Some(exit) = self.exits[i].clone() {
                    if reason == "CrashLoopBackOff" {
                        c.last_state = Some(exit);
                    }
                }
                c.state = ApiState::Waiting {
                    reason: reason.clone(),
                };
                c.ready = false;
                c.started = false;
                c.seg = Seg::BackOff;
                c.note = Some(reason);
            }
            StepKind::Started { attempt, .. } => {
                let attempt = (*attempt).max(1);
                c.restart_count = attempt - 1;
                if let Some(exit) = self.exits[i].clone() {
                    c.last_state = Some(exit);
                }
                c.state = ApiState::Running { started_at: t };
                c.ready = false;
                c.failures = [0; 3];
                if c.kind == ContainerKind::Init {
                    c.started = true;
                    c.seg = Seg::Running;
                } else {
                    c.started = false;
                    c.seg = Seg::Starting;
                }
                c.note = (attempt > 1).then(|| format!("attempt {attempt}"));
            }
            StepKind::StartupSucceeded => {
                c.started = true;
                c.failures[0] = 0;
                if running && c.seg != Seg::Terminating {
                    c.seg = if c.ready { Seg::Ready } else { Seg::NotReady };
                    c.note = None;
                }
            }
            StepKind::Ready => {
                c.ready = true;
                c.failures[1] = 0;
                if running && c.started && c.seg != Seg::Terminating {
                    c.seg = Seg::Ready;
                    c.note = None;
                }
            }
            StepKind::NotReady => {
                c.ready = false;
                if running && c.started && c.seg != Seg::Terminating {
                    c.seg = Seg::NotReady;
                    c.note = None;
                }
            }
            StepKind::ProbeFailed { probe } => {
                c.failures[probe_index(*probe)] += 1;
            }
            StepKind::Killing { reason, .. } if running || c.seg == Seg::Creating => {
                c.seg = Seg::Terminating;
                c.note = match reason {
                    KillReason::LivenessProbe => Some("liveness kill".into()),
                    KillReason::StartupProbe => Some("startup kill".into()),
                    KillReason::DefinitionChanged => Some("image changed".into()),
                    KillReason::FailedPostStartHook => Some("postStart failed".into()),
                    KillReason::Stopping => None,
                };
            }
            StepKind::Exited { code, reason } => {
                let exit_code = *code;
                let reason = reason.to_string();
                let started_at = match c.state {
                    ApiState::Running { started_at } => Some(started_at),
                    _ => None,
                };
                let exit = ApiState::Terminated {
                    exit_code,
                    reason: reason.clone(),
                    started_at,
                    finished_at: Some(t),
                };
                self.exits[i] = Some(exit.clone());
                c.state = exit;
                c.started = false;
                // A regular init container that completed counts as ready (`ready: true`).
                c.ready = c.kind == ContainerKind::Init && exit_code == 0;
                c.seg = if exit_code == 0 {
                    Seg::ExitedOk
                } else {
                    Seg::ExitedFailed
                };
                c.note = Some(if reason.is_empty() || reason == "Completed" {
                    format!("exit {exit_code}")
                } else {
                    format!("{reason} {exit_code}")
                });
            }
            // What the fold does not show: hooks and signals are markers, pod steps are folded in
            // `apply_pod`, and a kill of a container that is not running changes nothing.
            StepKind::Killing { .. }
            | StepKind::PostStartStarted
            | StepKind::PostStartFinished { .. }
            | StepKind::PreStopStarted
            | StepKind::PreStopFinished { .. }
            | StepKind::WaitingForTurn
            | StepKind::Signal { .. }
            | StepKind::Scheduled
            | StepKind::KubeletStarted
            | StepKind::SandboxReady
            | StepKind::SandboxStopped
            | StepKind::Action { .. }
            | StepKind::DeletionRequested { .. }
            | StepKind::KillPod { .. }
            | StepKind::ConditionChanged { .. }
            | StepKind::PhaseChanged { .. }
            | StepKind::StatusChanged => {}
        }
    }

    /// The conditions with the messages the kubelet would give them, from the containers' state.
    fn conditions_with_messages(&self) -> Vec<ConditionView> {
        let go_list = |names: Vec<&str>| format!("[{}]", names.join(" "));
        self.conditions
            .iter()
            .map(|c| {
                let mut c = c.clone();
                if c.status == Some(false) {
                    match (c.kind, c.reason.as_deref()) {
                        ("Initialized", Some("ContainersNotInitialized")) => {
                            let incomplete = self
                                .containers
                                .iter()
                                .filter(|x| match x.kind {
                                    ContainerKind::Sidecar => !x.started,
                                    ContainerKind::Init => !x.ready,
                                    ContainerKind::App => false,
                                })
                                .map(|x| x.name.as_str())
                                .collect();
                            c.message = Some(format!(
                                "containers with incomplete status: {}",
                                go_list(incomplete)
                            ));
                        }
                        ("Ready" | "ContainersReady", Some("ContainersNotReady")) => {
                            let unready = self
                                .containers
                                .iter()
                                .filter(|x| x.kind != ContainerKind::Init && !x.ready)
                                .map(|x| x.name.as_str())
                                .collect();
                            c.message = Some(format!(
                                "containers with unready status: {}",
                                go_list(unready)
                            ));
                        }
                        _ => {}
                    }
                }
                c
            })
            .collect()
    }
}

/// A stretch of one state on a lane.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    pub from_s: f64,
    pub to_s: f64,
    pub seg: Seg,
    pub note: Option<String>,
}

/// What a marker on a lane (or across all lanes) stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkKind {
    ProbeFailed,
    Hook,
    Signal,
    Restart,
    /// A scenario action, a deletion or the kubelet coming back: drawn across every lane.
    Pod,
}

impl MarkKind {
    pub fn class(self) -> &'static str {
        match self {
            MarkKind::ProbeFailed => "m-probe",
            MarkKind::Hook => "m-hook",
            MarkKind::Signal => "m-signal",
            MarkKind::Restart => "m-restart",
            MarkKind::Pod => "m-pod",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            MarkKind::ProbeFailed => "probe failed",
            MarkKind::Hook => "hook",
            MarkKind::Signal => "signal",
            MarkKind::Restart => "restart",
            MarkKind::Pod => "action",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    pub t: f64,
    /// The step it comes from (clicking it moves the cursor there).
    pub step: usize,
    pub kind: MarkKind,
    /// Short text for its tooltip and for screen readers.
    pub label: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    /// Index in spec order (init containers, then app containers).
    pub container: usize,
    pub name: String,
    pub kind: ContainerKind,
    pub segments: Vec<Segment>,
    pub markers: Vec<Marker>,
    /// What Podstep assumed about this container's process (a command or image it does not know),
    /// from the trace's notes: the lane says so.
    pub assumed: Option<String>,
}

/// Most markers drawn per lane. Besides, a marker closer than 1/1000 of the time span to the previous
/// one of its kind on its lane is merged into it, so a long run of probe failures stays readable and
/// cheap to draw.
pub const MAX_MARKERS_PER_LANE: usize = 2000;

#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    /// Lanes grouped init, sidecar, app; spec order within each group.
    pub lanes: Vec<Lane>,
    /// Markers that concern the whole pod.
    pub pod_markers: Vec<Marker>,
    /// Where the trace ends (`end.t`) and how much time the axis shows (a little past the end, so a
    /// steady state reads as one).
    pub end_s: f64,
    pub span_s: f64,
    /// Every step's time, for mapping a click to a step.
    pub times: Vec<f64>,
}

impl Timeline {
    pub fn build(workload: &Workload, trace: &Trace) -> Timeline {
        let mut fold = Fold::new(workload);
        let last_t = trace.steps.last().map_or(0.0, |s| s.t.as_secs_f64());
        let end_s = trace.end.t.max(last_t);
        let span_s = if end_s <= 0.0 {
            10.0
        } else {
            end_s + (end_s * 0.08).max(2.0)
        };
        let merge_gap = span_s / 1000.0;
        let mut lanes: Vec<Lane> = fold
            .containers
            .iter()
            .enumerate()
            .map(|(i, c)| Lane {
                container: i,
                name: c.name.clone(),
                kind: c.kind,
                segments: vec![Segment {
                    from_s: 0.0,
                    to_s: span_s,
                    seg: Seg::Waiting,
                    note: None,
                }],
                markers: Vec::new(),
                assumed: trace.notes.iter().find_map(|n| {
                    let rest = n.strip_prefix(c.name.as_str())?.strip_prefix(": ")?;
                    rest.starts_with("Podstep does not know")
                        .then(|| rest.to_string())
                }),
            })
            .collect();
        let mut pod_markers = Vec::new();
        for (index, step) in trace.steps.iter().enumerate() {
            fold.apply(step);
            let t = step.t.as_secs_f64();
            for (lane, c) in lanes.iter_mut().zip(&fold.containers) {
                let open = lane.segments.last_mut().expect("a lane has a segment");
                if open.seg != c.seg || open.note != c.note {
                    // A change at the same instant, or too soon after the last one to be seen at any
                    // width (a long run of flaps), replaces the open segment's state.
                    if t - open.from_s < merge_gap / 2.0 {
                        open.seg = c.seg;
                        open.note = c.note.clone();
                    } else {
                        open.to_s = t;
                        lane.segments.push(Segment {
                            from_s: t,
                            to_s: span_s,
                            seg: c.seg,
                            note: c.note.clone(),
                        });
                    }
                }
            }
            let marker = |kind, label: String| Marker {
                t,
                step: index,
                kind,
                label,
            };
            match step.container.as_deref() {
                None => {
                    let label = match &step.kind {
                        StepKind::Action { action } => Some(action.clone()),
                        StepKind::DeletionRequested { .. } => Some("deleted".to_string()),
                        StepKind::KubeletStarted => Some("kubelet back".to_string()),
                        _ => None,
                    };
                    if let Some(label) = label {
                        // An action and the deletion it causes are one mark.
                        if !matches!(step.kind, StepKind::DeletionRequested { .. })
                            || pod_markers.last().is_none_or(|m: &Marker| m.t != t)
                        {
                            pod_markers.push(marker(MarkKind::Pod, label));
                        }
                    }
                }
                Some(name) => {
                    let Some(i) = fold.index(name) else {
                        continue;
                    };
                    let found = match &step.kind {
                        StepKind::ProbeFailed { probe } => Some((
                            MarkKind::ProbeFailed,
                            format!("{} probe failed", probe.name()),
                        )),
                        StepKind::PostStartStarted => {
                            Some((MarkKind::Hook, "postStart hook".into()))
                        }
                        StepKind::PreStopStarted => Some((MarkKind::Hook, "preStop hook".into())),
                        StepKind::PostStartFinished { ok: false } => {
                            Some((MarkKind::Hook, "postStart hook failed".into()))
                        }
                        StepKind::PreStopFinished { ok, in_time }
                            if *ok == Some(false) || !*in_time =>
                        {
                            Some((MarkKind::Hook, "preStop hook failed".into()))
                        }
                        StepKind::Signal { signal } => {
                            Some((MarkKind::Signal, format!("SIG{}", signal.as_str())))
                        }
                        StepKind::Started { attempt, .. } if *attempt > 1 => {
                            Some((MarkKind::Restart, format!("restart (attempt {attempt})")))
                        }
                        _ => None,
                    };
                    if let Some((kind, label)) = found {
                        let markers = &mut lanes[i].markers;
                        let merged = markers
                            .iter()
                            .rev()
                            .find(|m| m.kind == kind)
                            .is_some_and(|m| t - m.t < merge_gap);
                        if !merged && markers.len() < MAX_MARKERS_PER_LANE {
                            markers.push(marker(kind, label));
                        }
                    }
                }
            }
        }
        // Drop the zero-length segments left by several changes at one instant.
        for lane in &mut lanes {
            lane.segments.retain(|s| s.to_s > s.from_s);
        }
        let rank = |k: ContainerKind| match k {
            ContainerKind::Init => 0,
            ContainerKind::Sidecar => 1,
            ContainerKind::App => 2,
        };
        lanes.sort_by_key(|l| (rank(l.kind), l.container));
        Timeline {
            lanes,
            pod_markers,
            end_s,
            span_s,
            times: trace.steps.iter().map(|s| s.t.as_secs_f64()).collect(),
        }
    }

    /// The step the cursor goes to for a click at `t`: the last step at or before it.
    pub fn step_at(&self, t: f64) -> usize {
        self.times.partition_point(|&x| x <= t).saturating_sub(1)
    }

    /// The pod at step `step` (clamped): the steps up to it, folded, with the container statuses the
    /// engine says the kubelet had written by then. At the last step the engine's own final statuses are
    /// used, which also carry what happens when the pod is finished.
    pub fn view_at(workload: &Workload, trace: &Trace, step: usize) -> Option<PodView> {
        let last = trace.steps.len().checked_sub(1)?;
        let step = step.min(last);
        let mut fold = Fold::new(workload);
        for s in &trace.steps[..=step] {
            fold.apply(s);
        }
        // The statuses the kubelet actually wrote up to this step replace what the fold inferred: they
        // carry its one-sync lag and every reason exactly (the fold still decides how lanes are drawn).
        // At the last step the engine's final statuses come last: they also say how the pod finished.
        let f = &trace.final_state;
        let finals = f
            .init_container_statuses
            .iter()
            .chain(&f.container_statuses);
        let written = trace
            .status_changes
            .iter()
            .take_while(|c| c.step <= step)
            .map(|c| &c.status)
            .chain(finals.filter(|_| step == last));
        for api in written {
            if let Some(c) = fold.containers.iter_mut().find(|c| c.name == api.name) {
                c.image = api.image.clone();
                c.ready = api.ready;
                c.started = api.started;
                c.restart_count = api.restart_count;
                c.state = ApiState::from_trace(&api.state);
                c.last_state = api.last_state.as_ref().map(ApiState::from_trace);
            }
        }
        let s = &trace.steps[step];
        let mut conditions = fold.conditions_with_messages();
        if step == last {
            for c in &mut conditions {
                if let Some(f) = trace
                    .final_state
                    .conditions
                    .iter()
                    .find(|f| f.kind == c.kind)
                {
                    c.status = Some(f.status == "True");
                    c.reason = f.reason.clone();
                    c.message = f.message.clone();
                }
            }
        }
        Some(PodView {
            step,
            t: s.t.as_secs_f64(),
            phase: s.phase,
            kubectl: s.kubectl.clone(),
            conditions,
            containers: fold.containers,
        })
    }
}

/// `12 s`, `1.5 s`: seconds as the playground prints them, to the millisecond, as the trace does.
pub fn secs(t: f64) -> String {
    format!("{} s", Ms::from_secs_f64(t.max(0.0)).secs_text())
}

/// Evenly spaced "nice" tick times (1, 2 or 5 × 10ⁿ seconds) for an axis `span_s` long with room for
/// about `max_ticks` labels.
pub fn ticks(span_s: f64, max_ticks: usize) -> Vec<f64> {
    if span_s <= 0.0 || max_ticks == 0 {
        return vec![0.0];
    }
    let raw = span_s / max_ticks.max(1) as f64;
    let mut step = 1.0;
    'search: for exp in -1..8 {
        for m in [1.0, 2.0, 5.0] {
            let candidate = m * 10f64.powi(exp);
            if candidate >= raw {
                step = candidate;
                break 'search;
            }
        }
    }
    let mut out = Vec::new();
    let mut t = 0.0;
    while t <= span_s + 1e-9 && out.len() < 1000 {
        out.push(t);
        t += step;
    }
    out
}
