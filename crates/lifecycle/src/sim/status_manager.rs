//! The status manager: the pod status as the API shows it. Like the kubelet, it is generated from the
//! runtime at the start of each sync (`generateAPIPodStatus`), patched when a probe result changes
//! `started` or `ready` (`SetContainerStartup`, `SetContainerReadiness`), and finished by
//! `TerminatePod` once the kubelet is done with the pod (§6–§8). Every step is stamped with this status,
//! never with the runtime's, so the `kubectl` row lags a runtime event by a relist, as on a cluster.

use super::container::{Exit, RunState};
use super::kubelet::Sim;
use super::status::{self, Cond, Cs, Phase, Row, Snapshot, St, Text};
use super::trace::Kubectl;
use super::worker::RestartAll;
use crate::spec::{ContainerKind, ProbeKind};

pub(super) const UNKNOWN_REASON: &str = "ContainerStatusUnknown";
pub(super) const UNKNOWN_MESSAGE: &str =
    "The container could not be located when the pod was terminated";

/// A generated pod status: container statuses, phase and conditions.
#[derive(Clone, Debug, Default)]
pub(super) struct Api {
    pub init: Vec<Cs>,
    pub app: Vec<Cs>,
    /// The instance each status describes (`None`: no record), in container order.
    pub ids: Vec<Option<u32>>,
    pub phase: Phase,
    pub conds: Vec<Cond>,
    /// `status.observedGeneration`: the pod generation this status was generated from (KEP-5067,
    /// with `PodObservedGenerationTracking`).
    pub observed_generation: Option<i64>,
}

impl Api {
    fn status_mut(&mut self, c: usize) -> &mut Cs {
        let n = self.init.len();
        if c < n {
            &mut self.init[c]
        } else {
            &mut self.app[c - n]
        }
    }
}

/// The status manager's state.
#[derive(Default)]
pub(super) struct StatusManager {
    /// The status as the API holds it.
    pub api: Api,
    /// Bumped whenever `api` changes, so unchanged statuses are not diffed or printed again.
    pub version: u64,
    /// `printPod`'s columns for (`version`, deleting).
    row_cache: Option<((u64, bool), Row)>,
    /// Indices of app containers in name order (`printPod` sorts by name).
    app_by_name: Vec<usize>,
    /// The pod's `status.reason` and `status.message`, once a sync handler failed it.
    pub reason: Option<(&'static str, &'static str)>,
}

impl StatusManager {
    pub fn new(app_names: &[&str]) -> StatusManager {
        let mut app_by_name: Vec<usize> = (0..app_names.len()).collect();
        app_by_name.sort_by_key(|&i| app_names[i]);
        StatusManager {
            app_by_name,
            reason: None,
            ..StatusManager::default()
        }
    }
}

impl Sim<'_> {
    fn container_status(&self, c: usize) -> Cs {
        let ctr = &self.cs[c];
        let default_reason = if self.n_init > 0 {
            "PodInitializing"
        } else {
            "ContainerCreating"
        };
        let waiting = |r: Text, m: Text| St::Waiting {
            reason: r,
            message: m,
        };
        let restarts = ctr.attempts.saturating_sub(1);
        let prev = ctr.prev_exit.map(|e| (e.code, Text::from(e.reason)));
        let prev_at = ctr.prev_exit.map(|e| e.at);
        let (state, last, last_at) = match &ctr.inst {
            _ if !ctr.has_status() => {
                let (r, m) = ctr
                    .start_error
                    .clone()
                    .unwrap_or((Text::from(default_reason), Text::from("")));
                let last = ctr.inst.as_ref().and_then(|i| match i.state {
                    RunState::Exited(Exit { code, reason, at }) => {
                        Some(((code, Text::from(reason)), at))
                    }
                    _ => None,
                });
                (
                    waiting(r, m),
                    last.as_ref().map(|l| l.0.clone()),
                    last.map(|l| l.1),
                )
            }
            Some(i) => match i.state {
                RunState::Running if i.visible => (St::Running, prev, prev_at),
                RunState::Running => (
                    waiting(Text::from(default_reason), Text::from("")),
                    prev,
                    prev_at,
                ),
                RunState::Exited(Exit { code, reason, at }) => {
                    let policy_restarts = ctr.restarts_after(code, self.pod.restart_policy);
                    let quirk = ctr.spec.is_init() && code == 0;
                    match &ctr.start_error {
                        Some((r, m)) if !self.worker.deleting() && policy_restarts && !quirk => (
                            waiting(r.clone(), m.clone()),
                            Some((code, Text::from(reason))),
                            Some(at),
                        ),
                        _ => (
                            St::Terminated {
                                code,
                                reason: Text::from(reason),
                            },
                            prev,
                            prev_at,
                        ),
                    }
                }
            },
            // `has_status` implies an instance; a default Waiting status is the safe answer anyway.
            None => (
                waiting(Text::from(default_reason), Text::from("")),
                None,
                None,
            ),
        };
        let (started_at, finished_at) = match (&state, &ctr.inst) {
            (St::Running, Some(i)) => (Some(i.started), None),
            (St::Terminated { .. }, Some(i)) => (
                Some(i.started),
                match i.state {
                    RunState::Exited(e) => Some(e.at),
                    RunState::Running => None,
                },
            ),
            _ => (None, None),
        };
        // The exit code a status shows (terminated now, or the last termination while waiting).
        let state_code = match (&state, &last) {
            (St::Terminated { code, .. }, _) => Some(*code),
            (St::Waiting { .. }, Some((code, _))) => Some(*code),
            _ => None,
        };
        let cs = Cs {
            name: ctr.name.clone(),
            kind: ctr.spec.kind,
            state,
            last,
            last_finished: last_at,
            started_at,
            finished_at,
            ready: ctr.ready_api(),
            started: if ctr.spec.kind == ContainerKind::Init {
                ctr.running()
            } else {
                ctr.started_api()
            },
            restarts,
            own_restart: ctr.own.as_ref().and_then(|o| {
                let code = match &state_code {
                    Some(c) => *c,
                    None => return None,
                };
                Some(o.restarts(code, ctr.spec.is_init()))
            }),
            has_record: ctr.has_status(),
            in_current_sandbox: ctr.has_status()
                && ctr.inst.as_ref().is_some_and(|i| {
                    i.sandbox == self.runtime.sandbox && self.runtime.sandbox_ready
                }),
        };
        cs
    }

    fn statuses(&self) -> (Vec<Cs>, Vec<Cs>) {
        let mut init = Vec::with_capacity(self.n_init);
        let mut app = Vec::with_capacity(self.cs.len() - self.n_init);
        for c in 0..self.cs.len() {
            let cs = self.container_status(c);
            if c < self.n_init {
                init.push(cs);
            } else {
                app.push(cs);
            }
        }
        if self.worker.finished() {
            terminate_pod(&mut init, &mut app);
        }
        (init, app)
    }

    pub(super) fn snapshot<'s>(&'s self, init: &'s [Cs], app: &'s [Cs]) -> Snapshot<'s> {
        Snapshot {
            init,
            app,
            restart_policy: self.pod.restart_policy,
            // The pod worker is finishing the pod from the moment it is deleted (§6 `podIsTerminal`).
            pod_is_terminal: self.worker.finished() || self.worker.deleting(),
            deleting: self.worker.deleting(),
            sandbox_ready: self.runtime.sandbox_ready,
            readiness_gates: &self.pod.readiness_gates,
            app_by_name: &self.status.app_by_name,
            messages: false,
            ready_to_start_condition: self.ready_to_start_condition,
            unschedulable: self.unschedulable.as_deref(),
            reason: self.status.reason.map(|(r, _)| r),
            all_restarting: (self.restart_all != RestartAll::Off).then(|| self.all_restarting()),
            was_initialized: self
                .status
                .api
                .conds
                .iter()
                .any(|c| c.kind == "Initialized" && c.status),
        }
    }

    /// KEP-5532's restart is under way or about to begin (an exit matched its rule), and no
    /// deletion has taken over.
    fn all_restarting(&self) -> bool {
        !self.worker.deleting()
            && !self.worker.finished()
            && (matches!(self.restart_all, RestartAll::Stopping { .. })
                || self.restart_all_trigger().is_some())
    }

    /// `generateAPIPodStatus`: the status manager's copy of the pod status, from the runtime now.
    pub(super) fn generate_status(&mut self) {
        let (init, app) = self.statuses();
        let ids = self
            .cs
            .iter()
            .map(|c| c.inst.as_ref().filter(|_| c.has_status()).map(|i| i.id))
            .collect();
        let snap = self.snapshot(&init, &app);
        let phase = match status::phase(&snap) {
            // A terminal phase never changes again (§6 post-processing).
            _ if self.status.api.phase.terminal() => self.status.api.phase,
            // KEP-5532: the pod is Pending throughout an in-place restart of all its containers.
            _ if snap.all_restarting == Some(true) => Phase::Pending,
            _ if matches!(self.restart_all, RestartAll::Starting { .. })
                && !self.cs[self.n_init..].iter().all(|c| c.has_status()) =>
            {
                Phase::Pending
            }
            // A pod sync handler (the active deadline) evicts the pod: Failed, with its reason.
            _ if self.status.reason.is_some() => Phase::Failed,
            _ if self.unschedulable.is_some() => Phase::Pending,
            // `TerminatePod` forces a pod the kubelet has finished out of Pending/Running.
            p if self.worker.finished() && !p.terminal() => Phase::Failed,
            p => p,
        };
        let conds = status::conditions(&snap, phase);
        self.status.api = Api {
            init,
            app,
            ids,
            phase,
            conds,
            observed_generation: self.observed_generation.then_some(self.generation),
        };
        self.status.version += 1;
    }

    /// A probe result changed: the prober updates the cached status at once (`SetContainerReadiness`,
    /// `SetContainerStartup`), without waiting for a sync; readiness also refreshes `ContainersReady`
    /// and `Ready`. A status that does not yet describe the probed instance is left alone.
    pub(super) fn patch_status(&mut self, c: usize, kind: ProbeKind, ok: bool) {
        let inst = self.cs[c].inst.as_ref().map(|i| i.id);
        if inst.is_none() || self.status.api.ids.get(c).copied().flatten() != inst {
            return;
        }
        match kind {
            ProbeKind::Startup => {
                self.status.api.status_mut(c).started = ok;
                self.status.version += 1;
            }
            ProbeKind::Readiness => {
                self.status.api.status_mut(c).ready = ok;
                let snap = self.snapshot(&self.status.api.init, &self.status.api.app);
                let fresh = status::conditions(&snap, self.status.api.phase);
                for cond in &mut self.status.api.conds {
                    if matches!(cond.kind, "Ready" | "ContainersReady") {
                        if let Some(f) = fresh.iter().find(|f| f.kind == cond.kind) {
                            *cond = f.clone();
                        }
                    }
                }
                self.status.version += 1;
            }
            ProbeKind::Liveness => {}
        }
    }

    /// `printPod` over the API status, now (RESTARTS ages move with time). The columns are computed
    /// once per status; only the age is rendered per step.
    pub(super) fn kubectl(&mut self) -> Kubectl {
        // Deletion shows as `Terminating` before any new status is written.
        let key = (self.status.version, self.worker.deleting());
        let row = match &self.status.row_cache {
            Some((k, row)) if *k == key => row.clone(),
            _ => {
                let snap = self.snapshot(&self.status.api.init, &self.status.api.app);
                let row = status::row(&snap, self.status.api.phase, &self.status.api.conds);
                self.status.row_cache = Some((key, row.clone()));
                row
            }
        };
        Kubectl {
            restarts: row.restarts_text(self.now),
            ready: row.ready,
            status: row.status,
        }
    }
}

/// The status manager's `TerminatePod` once the kubelet has finished the pod (spec §8): statuses that
/// are not terminated become `ContainerStatusUnknown`/137 — every regular container once the pod has
/// initialized, and every init container except the trailing run of never-started waiting ones.
fn terminate_pod(init: &mut [Cs], app: &mut [Cs]) {
    let unknown = |c: &mut Cs| {
        if !matches!(c.state, St::Terminated { .. }) {
            c.state = St::Terminated {
                code: 137,
                reason: UNKNOWN_REASON.into(),
            };
            c.ready = false;
            c.started = false;
        }
    };
    let initialized = init.is_empty()
        || app
            .iter()
            .any(|c| !matches!(c.state, St::Waiting { .. }) || c.last.is_some())
        || init.last().is_some_and(|l| match (&l.kind, &l.state) {
            (ContainerKind::Sidecar, St::Running) => l.started,
            (ContainerKind::Sidecar, _) => false,
            (_, St::Terminated { code, .. }) => *code == 0,
            _ => false,
        });
    if initialized {
        app.iter_mut().for_each(unknown);
    }
    // `initializedContainers`: up to the last status that left Waiting or has a last termination;
    // always at least the first.
    let keep = init
        .iter()
        .rposition(|c| !matches!(c.state, St::Waiting { .. }) || c.last.is_some())
        .map_or(init.len().min(1), |i| i + 1);
    init[..keep].iter_mut().for_each(unknown);
}
