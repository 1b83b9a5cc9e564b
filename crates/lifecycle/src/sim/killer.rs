//! The killer: stopping one container (`killContainer`, §4.2, §10) — the `Killing` event, the preStop
//! hook within the grace period, a sidecar's wait for its turn (app containers and later sidecars
//! first, §10.3), SIGTERM, and SIGKILL when the grace period runs out.

use super::decide::KillWhy;
use super::kubelet::Sim;
use super::time::Ms;
use super::timers::Timer;
use super::trace::{EventType, KillReason, Signal, StepKind};
use crate::spec::{ContainerKind, ProbeKind, RestartPolicy};

/// `minimumGracePeriodInSeconds` (§10.2 step 4).
const MIN_GRACE: Ms = Ms(2000);

/// Where a kill is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KillStage {
    /// The preStop hook runs; `ok` is its outcome, `in_time` whether it ends within the grace period
    /// (else the kubelet stops waiting at the deadline).
    PreStop { ok: bool, in_time: bool },
    /// A sidecar waits, since `since`, for the app containers and later sidecars to exit.
    WaitingForTurn { since: Ms },
    /// SIGTERM was sent; SIGKILL follows at the deadline.
    TermSent,
}

/// What a killer's timer is for; it is stale unless the kill is still at that stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum KillTimer {
    PreStopDone,
    TurnDeadline,
    Sigkill,
}

/// One container's kill in progress.
#[derive(Clone, Debug)]
pub(super) struct Killer {
    /// Which kill this is: a second, shorter delete replaces a container's kill.
    id: u32,
    /// The grace period left.
    grace: Ms,
    /// When the kill began (the preStop hook's time comes off the grace period from here).
    since: Ms,
    /// `None` until the preStop hook, the turn or SIGTERM begins.
    stage: Option<KillStage>,
}

impl Killer {
    /// Whether a timer of this kill still applies.
    pub fn expects(&self, id: u32, timer: KillTimer) -> bool {
        self.id == id
            && matches!(
                (self.stage, timer),
                (Some(KillStage::PreStop { .. }), KillTimer::PreStopDone)
                    | (
                        Some(KillStage::WaitingForTurn { .. }),
                        KillTimer::TurnDeadline
                    )
                    | (Some(KillStage::TermSent), KillTimer::Sigkill)
            )
    }
}

impl Sim<'_> {
    pub(super) fn start_killer(&mut self, c: usize, why: KillWhy) {
        if !self.cs[c].running() || self.cs[c].killer.is_some() {
            return;
        }
        let ctr = &self.cs[c];
        let name = ctr.spec.name.clone();
        let sidecar = ctr.spec.kind == ContainerKind::Sidecar;
        // Per-container grace (§10.2 step 1).
        let grace = match self.worker.deletion() {
            Some(d) => d.grace,
            // KEP-5532: "termination grace periods are not respected" (the runtime's 2 s minimum
            // still applies to SIGTERM), so no preStop hook runs.
            None if why == KillWhy::RestartAll => Ms::ZERO,
            None => {
                let probe_grace = match why {
                    KillWhy::Liveness => ctr
                        .probe(ProbeKind::Liveness)
                        .and_then(|p| p.termination_grace_period_s),
                    KillWhy::Startup => ctr
                        .probe(ProbeKind::Startup)
                        .and_then(|p| p.termination_grace_period_s),
                    _ => None,
                };
                Ms::from_s(
                    probe_grace
                        .unwrap_or(self.pod.termination_grace_period_s)
                        .max(0) as u64,
                )
            }
        };
        let restart = self.pod.restart_policy != RestartPolicy::Never;
        let message = match why {
            KillWhy::Pod | KillWhy::RestartAll => format!("Stopping container {name}"),
            KillWhy::PostStart => "FailedPostStartHook".to_string(),
            KillWhy::Liveness | KillWhy::Startup | KillWhy::Changed => {
                let what = match why {
                    KillWhy::Liveness => "failed liveness probe",
                    KillWhy::Startup => "failed startup probe",
                    _ => "definition changed",
                };
                if sidecar {
                    format!("Init container {name} {what}")
                } else if restart || why == KillWhy::Changed {
                    format!("Container {name} {what}, will be restarted")
                } else {
                    format!("Container {name} {what}")
                }
            }
        };
        self.cevent(c, EventType::Normal, "Killing", message);
        let reason = match why {
            KillWhy::Pod | KillWhy::RestartAll => KillReason::Stopping,
            KillWhy::Liveness => KillReason::LivenessProbe,
            KillWhy::Startup => KillReason::StartupProbe,
            KillWhy::Changed => KillReason::DefinitionChanged,
            KillWhy::PostStart => KillReason::FailedPostStartHook,
        };
        self.step(c, StepKind::Killing { reason, grace });
        self.killer_seq += 1;
        let id = self.killer_seq;
        self.cs[c].killer = Some(Killer {
            id,
            grace,
            since: self.now,
            stage: None,
        });
        let has_pre_stop = self.cs[c].spec.pre_stop.is_some()
            || self.cs[c]
                .inst
                .as_ref()
                .is_some_and(|i| i.behavior.pre_stop.is_some());
        if has_pre_stop && grace > Ms::ZERO {
            let plan = self.hook_plan(c, false);
            self.step(c, StepKind::PreStopStarted);
            let until = self.now + plan.duration.min(grace);
            if let Some(k) = self.cs[c].killer.as_mut() {
                k.stage = Some(KillStage::PreStop {
                    ok: plan.ok,
                    in_time: plan.duration <= grace,
                });
            }
            self.timers.push(
                until,
                Timer::Killer {
                    c,
                    id,
                    stage: KillTimer::PreStopDone,
                },
            );
        } else {
            self.after_pre_stop(c);
        }
    }

    /// A killer's timer fired (the caller checked it is not stale).
    pub(super) fn killer_timer(&mut self, c: usize, timer: KillTimer) {
        let Some(stage) = self.cs[c].killer.as_ref().and_then(|k| k.stage) else {
            return;
        };
        match (timer, stage) {
            (KillTimer::PreStopDone, KillStage::PreStop { ok, in_time, .. }) => {
                if in_time {
                    if !ok {
                        // Only a warning: termination goes on (§4.2).
                        self.cevent(
                            c,
                            EventType::Warning,
                            "FailedPreStopHook",
                            "PreStopHook failed".into(),
                        );
                    }
                    self.step(
                        c,
                        StepKind::PreStopFinished {
                            ok: Some(ok),
                            in_time: true,
                        },
                    );
                } else {
                    // The kubelet stops waiting at the grace period; the hook's outcome is not awaited.
                    self.step(
                        c,
                        StepKind::PreStopFinished {
                            ok: None,
                            in_time: false,
                        },
                    );
                }
                self.after_pre_stop(c);
            }
            // The grace period ran out while this sidecar waited for its turn.
            (KillTimer::TurnDeadline, KillStage::WaitingForTurn { .. }) => self.send_term(c),
            (KillTimer::Sigkill, KillStage::TermSent) if self.cs[c].running() => {
                self.step(
                    c,
                    StepKind::Signal {
                        signal: Signal::KILL,
                    },
                );
                self.exit(c, 137, "Error");
            }
            _ => {}
        }
    }

    fn after_pre_stop(&mut self, c: usize) {
        let now = self.now;
        let pod_kill = self.worker.deleting() || self.worker.completing();
        let ordered = pod_kill
            && self.cs[c].spec.kind == ContainerKind::Sidecar
            && self.scenario.version.ordered_sidecar_termination();
        let Some(k) = self.cs[c].killer.as_mut() else {
            return;
        };
        // Elapsed whole seconds come off the grace period (§10.2 step 2).
        let elapsed = Ms::from_s((now - k.since).whole_s());
        k.grace = k.grace.saturating_sub(elapsed);
        // A sidecar waits for its turn only while grace is left (`waitForTurn` with G > 0).
        if ordered && k.grace > Ms::ZERO {
            k.stage = Some(KillStage::WaitingForTurn { since: now });
            let (id, deadline) = (k.id, now + k.grace);
            if self.sidecar_turn(c) {
                self.send_term(c);
            } else {
                self.step(c, StepKind::WaitingForTurn);
                self.timers.push(
                    deadline,
                    Timer::Killer {
                        c,
                        id,
                        stage: KillTimer::TurnDeadline,
                    },
                );
            }
        } else {
            self.send_term(c);
        }
    }

    /// A sidecar may stop once every regular container and every later sidecar has exited (§10.3).
    fn sidecar_turn(&self, c: usize) -> bool {
        self.cs[self.n_init..].iter().all(|a| !a.running())
            && self.cs[c + 1..self.n_init]
                .iter()
                .all(|s| s.spec.kind != ContainerKind::Sidecar || !s.running())
    }

    /// Sends SIGTERM to every sidecar whose turn has come.
    pub(super) fn check_turns(&mut self) {
        for c in 0..self.n_init {
            let waiting = self.cs[c]
                .killer
                .as_ref()
                .is_some_and(|k| matches!(k.stage, Some(KillStage::WaitingForTurn { .. })));
            if waiting && self.sidecar_turn(c) {
                self.send_term(c);
            }
        }
    }

    fn send_term(&mut self, c: usize) {
        let now = self.now;
        let Some(k) = self.cs[c].killer.as_mut() else {
            return;
        };
        match k.stage {
            Some(KillStage::TermSent) => return,
            // Time spent waiting also comes off, in whole seconds (§10.2 step 3).
            Some(KillStage::WaitingForTurn { since }) => {
                k.grace = k.grace.saturating_sub(Ms::from_s((now - since).whole_s()));
            }
            _ => {}
        }
        k.grace = k.grace.max(MIN_GRACE);
        k.stage = Some(KillStage::TermSent);
        let (id, kill_at) = (k.id, now + k.grace);
        // The runtime stops the container with its image's stop signal (`STOPSIGNAL`).
        let signal = self.cs[c]
            .inst
            .as_ref()
            .map_or(Signal::TERM, |i| i.behavior.stop_signal);
        self.step(c, StepKind::Signal { signal });
        self.timers.push(
            kill_at,
            Timer::Killer {
                c,
                id,
                stage: KillTimer::Sigkill,
            },
        );
        let inst = self.cs[c].inst.as_ref().map_or(0, |i| i.id);
        let act = self.cs[c]
            .inst
            .as_mut()
            .is_some_and(|i| i.exec.signal(signal, now));
        if act {
            self.resume_process(c, inst);
        }
    }
}
