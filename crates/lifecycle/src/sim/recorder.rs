//! The recorder: turns what the kubelet does into the [`Trace`] — steps stamped with the API status
//! and its `kubectl` row, the steps a status change implies (StartupSucceeded, Ready, ConditionChanged,
//! PhaseChanged, StatusChanged), the container statuses as written, the events and the notes.

use super::kubelet::Sim;
use super::status::{self, Cs, Phase, St};
use super::status_manager::{Api, UNKNOWN_MESSAGE, UNKNOWN_REASON};
use super::time::Ms;
use super::trace::{
    self, ContainerState, EndReason, Event, EventType, Final, Kubectl, StateDetail, Step, StepKind,
    Trace,
};
use crate::spec::ContainerKind;

/// What the last steps showed of the status, to turn changes into steps.
struct Seen {
    /// Per container (started, ready).
    flags: Vec<(bool, bool)>,
    /// Per condition its status.
    conds: Vec<(&'static str, bool)>,
    phase: Phase,
}

#[derive(Default)]
pub(super) struct Recorder {
    pub steps: Vec<Step>,
    /// Steps of this instant waiting to be stamped with the status that follows them.
    pending: Vec<(Option<String>, StepKind)>,
    events: Vec<Event>,
    notes: Vec<String>,
    /// `None` before the first status.
    seen: Option<Seen>,
    /// The status version `seen` describes.
    seen_version: Option<u64>,
    /// While derived steps are being added (they must not observe again).
    observing: bool,
    /// The container statuses last listed in `status_changes` (and the image shown), by container.
    emitted: Vec<Option<(Cs, String)>>,
    status_changes: Vec<trace::StatusChange>,
    /// The (status version, deleting) whose `kubectl` row the last observation already compared.
    row_shown: Option<(u64, bool)>,
    /// The `kubectl` row (READY, STATUS, RESTARTS count) of the last step.
    last_row: Option<(String, String, String)>,
}

impl Recorder {
    pub fn note(&mut self, note: String) {
        self.notes.push(note);
    }
    /// A note that says the same thing only once (a behaviour assumed at every restart).
    pub fn note_once(&mut self, note: String) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }
    pub fn event(&mut self, event: Event) {
        self.events.push(event);
    }
}

impl Sim<'_> {
    /// Records a step; it is stamped with the state right after it (phase, `kubectl` row), followed by
    /// the derived steps that state change implies.
    pub(super) fn pending_step(&mut self, c: Option<usize>, kind: StepKind) {
        let name = c.map(|c| self.name(c));
        self.rec.pending.push((name, kind));
        if !self.rec.observing {
            self.observe();
        }
    }

    pub(super) fn step(&mut self, c: usize, kind: StepKind) {
        self.pending_step(Some(c), kind);
    }

    /// Records a `kubectl describe` event about the pod (`object: None`) or one of its parts.
    pub(super) fn event(
        &mut self,
        kind: EventType,
        reason: &str,
        object: Option<String>,
        message: String,
    ) {
        let object = object.unwrap_or_else(|| format!("pod/{}", self.pod.name));
        self.rec.event(Event {
            t: self.now.as_secs_f64(),
            kind,
            reason: reason.into(),
            object,
            message,
        });
    }

    /// An event about container `c` (`spec.containers{NAME}`).
    pub(super) fn cevent(&mut self, c: usize, kind: EventType, reason: &str, message: String) {
        let s = &self.cs[c].spec;
        let field = if s.kind == ContainerKind::App {
            "containers"
        } else {
            "initContainers"
        };
        let object = format!("spec.{field}{{{}}}", s.name);
        self.event(kind, reason, Some(object), message);
    }

    /// The steps a new status implies (started/ready flips, condition flips, a new phase), and the
    /// status remembered for the next comparison.
    fn status_changes(&mut self) -> Vec<(Option<usize>, StepKind)> {
        let mut derived: Vec<(Option<usize>, StepKind)> = Vec::new();
        let api = &self.status.api;
        let n = api.init.len() + api.app.len();
        let mut seen = self.rec.seen.take().unwrap_or_else(|| Seen {
            flags: vec![(false, false); n],
            conds: Vec::new(),
            phase: Phase::Pending,
        });
        let first = seen.conds.is_empty();
        for (c, cs) in api.init.iter().chain(api.app.iter()).enumerate() {
            let (was_started, was_ready) = seen.flags[c];
            seen.flags[c] = (cs.started, cs.ready);
            if cs.kind == ContainerKind::Init {
                continue;
            }
            if cs.started && !was_started {
                derived.push((Some(c), StepKind::StartupSucceeded));
            }
            if cs.ready != was_ready {
                let kind = if cs.ready {
                    StepKind::Ready
                } else {
                    StepKind::NotReady
                };
                derived.push((Some(c), kind));
            }
        }
        for cond in &api.conds {
            let before = seen.conds.iter().find(|b| b.0 == cond.kind).map(|b| b.1);
            if before != Some(cond.status) {
                derived.push((
                    None,
                    StepKind::ConditionChanged {
                        kind: cond.kind,
                        status: cond.status,
                        reason: cond.reason.clone(),
                    },
                ));
            }
        }
        seen.conds = api.conds.iter().map(|c| (c.kind, c.status)).collect();
        if first || seen.phase != api.phase {
            derived.push((None, StepKind::PhaseChanged { phase: api.phase }));
        }
        seen.phase = api.phase;
        self.rec.seen = Some(seen);
        derived
    }

    /// Stamps pending steps with the API status and `kubectl` row, after adding the steps its changes
    /// imply (§6, §7, §9).
    pub(super) fn observe(&mut self) {
        self.rec.observing = true;
        // Only a changed status can imply new steps; most steps leave it as it was.
        if self.rec.seen_version != Some(self.status.version) {
            self.rec.seen_version = Some(self.status.version);
            self.record_statuses();
            let derived = self.status_changes();
            for (c, kind) in derived {
                self.pending_step(c, kind);
            }
        }
        self.rec.observing = false;
        // Nothing to stamp and a row already shown for this status: most events (probe runs that
        // change nothing) end here without building the row.
        let key = (self.status.version, self.worker.deleting());
        if self.rec.pending.is_empty() && self.rec.row_shown == Some(key) {
            return;
        }
        self.rec.row_shown = Some(key);
        let kubectl = self.kubectl();
        // Every change of the `kubectl get pod` row is visible as a step (`kubectl get -w` prints a
        // line per change); RESTARTS' "(… ago)" moving with time is not a change.
        let row = |k: &Kubectl| {
            let restarts = k.restarts.split(' ').next().unwrap_or("").to_string();
            (k.ready.clone(), k.status.clone(), restarts)
        };
        if self.rec.pending.is_empty() && self.rec.last_row.as_ref() != Some(&row(&kubectl)) {
            self.rec.pending.push((None, StepKind::StatusChanged));
        }
        if self.rec.pending.is_empty() {
            return;
        }
        self.rec.last_row = Some(row(&kubectl));
        let (t, phase) = (self.now, self.status.api.phase);
        for (container, kind) in self.rec.pending.drain(..) {
            self.rec.steps.push(Step {
                t,
                container,
                kind,
                phase,
                kubectl: kubectl.clone(),
            });
        }
    }

    /// Lists the container statuses that changed since last written, effective from the next step.
    pub(super) fn record_statuses(&mut self) {
        let n = self.status.api.init.len() + self.status.api.app.len();
        if self.rec.emitted.len() != n {
            self.rec.emitted = vec![None; n];
        }
        let step = self.rec.steps.len();
        let mut changed = Vec::new();
        for (c, cs) in self
            .status
            .api
            .init
            .iter()
            .chain(self.status.api.app.iter())
            .enumerate()
        {
            // The image is part of the status too (`set-image` changes it before anything else does).
            let same = self.rec.emitted[c]
                .as_ref()
                .is_some_and(|(e, image)| e == cs && *image == self.cs[c].image);
            if !same {
                changed.push((c, cs.clone()));
            }
        }
        for (c, cs) in changed {
            let status = self.api_status(c, &cs);
            self.rec
                .status_changes
                .push(trace::StatusChange { step, status });
            self.rec.emitted[c] = Some((cs, self.cs[c].image.clone()));
        }
    }

    /// A status as the API shapes it (`state`, `lastState`, times in seconds) for container `c`.
    fn api_status(&self, c: usize, cs: &Cs) -> trace::ContainerStatus {
        let ctr = &self.cs[c];
        let started_at = cs.started_at.map(Ms::as_secs_f64);
        let state = match &cs.state {
            St::Waiting { reason, message } => ContainerState::Waiting(StateDetail {
                reason: Some(reason.to_string()).filter(|r| !r.is_empty()),
                message: Some(message.to_string()).filter(|m| !m.is_empty()),
                exit_code: None,
                started_at: None,
                finished_at: None,
            }),
            St::Running => ContainerState::Running(StateDetail {
                reason: None,
                message: None,
                exit_code: None,
                started_at,
                finished_at: None,
            }),
            St::Terminated { code, reason } if reason == UNKNOWN_REASON => {
                ContainerState::Terminated(StateDetail {
                    reason: Some(reason.to_string()),
                    message: Some(UNKNOWN_MESSAGE.into()),
                    exit_code: Some(*code),
                    started_at: None,
                    finished_at: None,
                })
            }
            St::Terminated { code, reason } => ContainerState::Terminated(StateDetail {
                reason: Some(reason.to_string()),
                message: None,
                exit_code: Some(*code),
                started_at,
                finished_at: cs.finished_at.map(Ms::as_secs_f64),
            }),
        };
        let last_state = cs.last.as_ref().map(|(code, reason)| {
            ContainerState::Terminated(StateDetail {
                reason: Some(reason.to_string()),
                message: None,
                exit_code: Some(*code),
                started_at: None,
                finished_at: cs.last_finished.map(Ms::as_secs_f64),
            })
        });
        // KEP-4960: the effective stop signal of a container the runtime has created — the spec's,
        // else the image's STOPSIGNAL, else SIGTERM.
        let stop_signal = (self.report_stop_signal && !matches!(cs.state, St::Waiting { .. }))
            .then(|| {
                let signal = ctr
                    .spec
                    .stop_signal
                    .as_deref()
                    .and_then(trace::Signal::from_name)
                    .unwrap_or_else(|| super::behavior::stop_signal(&ctr.image));
                format!("SIG{}", signal.as_str())
            });
        trace::ContainerStatus {
            stop_signal,
            name: cs.name.to_string(),
            image: ctr.image.clone(),
            ready: cs.ready,
            started: cs.started,
            restart_count: cs.restarts,
            state,
            last_state,
        }
    }

    pub(super) fn finish(mut self, why: EndReason) -> Trace {
        self.observe();
        // An image changed after the last status write still belongs in the last listed status.
        self.record_statuses();
        let kubectl = self.kubectl();
        let Api {
            init,
            app,
            phase,
            mut conds,
            observed_generation,
            ..
        } = self.status.api.clone();
        // Messages (lists of container names) are built once, here, for the final status.
        let mut snap = self.snapshot(&init, &app);
        snap.messages = true;
        let worded = status::conditions(&snap, phase);
        for c in &mut conds {
            if let Some(w) = worded
                .iter()
                .find(|w| w.kind == c.kind && w.status == c.status && w.reason == c.reason)
            {
                c.message = w.message.clone();
            }
        }
        let init_statuses: Vec<_> = init
            .iter()
            .enumerate()
            .map(|(i, cs)| self.api_status(i, cs))
            .collect();
        let app_statuses: Vec<_> = app
            .iter()
            .enumerate()
            .map(|(i, cs)| self.api_status(self.n_init + i, cs))
            .collect();
        let requests: trace::Requests = crate::resources::effective(self.pod)
            .requests
            .into_iter()
            .map(|(k, q)| (k, q.to_string()))
            .collect();
        let final_state = Final {
            phase: phase.as_str().into(),
            reason: self.status.reason.map(|(r, _)| r.to_string()),
            message: self.status.reason.map(|(_, m)| m.to_string()),
            kubectl,
            observed_generation,
            conditions: conds
                .iter()
                .map(|c| trace::Condition {
                    observed_generation: match c.kind {
                        "AllContainersRestarting" => None,
                        // The scheduler wrote it when it bound the pod, at generation 1.
                        "PodScheduled" => observed_generation.map(|_| 1),
                        _ => observed_generation,
                    },
                    kind: c.kind.into(),
                    status: if c.status {
                        "True".into()
                    } else {
                        "False".into()
                    },
                    reason: c.reason.clone(),
                    message: c.message.clone(),
                })
                .collect(),
            init_container_statuses: init_statuses,
            container_statuses: app_statuses,
            effective_requests: requests,
        };
        let events_handled = self.events_handled();
        Trace {
            pod: self.pod.name.clone(),
            end: trace::End {
                t: self.now.as_secs_f64(),
                why,
            },
            steps: self.rec.steps,
            final_state,
            events: self.rec.events,
            status_changes: self.rec.status_changes,
            notes: self.rec.notes,
            events_handled,
        }
    }
}
