//! Scenario actions applied at their time: a deletion (and a second one that shortens the grace), an
//! image change, a process killed or OOM-killed, the kubelet restarting and the node rebooting.

use super::container::{Exit, RunState};
use super::kubelet::{Sim, KUBELET_DOWN, NODE_DOWN};
use super::prober::initial_result;
use super::time::Ms;
use super::timers::Timer;
use super::trace::StepKind;
use super::worker::{Deletion, PodState};
use super::Action;
use crate::limits;
use crate::quote::quote;
use crate::spec::ProbeKind;
use crate::world::Object;

impl Sim<'_> {
    /// The kubelet process stops (a restart or a reboot): its pod worker forgets what it was doing and
    /// the back-off state it kept in memory. False when it is already down or the pod is finished.
    fn kubelet_goes_down(&mut self) -> bool {
        if self.kubelet.is_down() || self.worker.finished() {
            return false;
        }
        self.kubelet.go_down();
        self.worker.forget();
        for c in &mut self.cs {
            c.backoff = None;
            c.pull_backoff = None;
        }
        true
    }

    /// The container an action names, or a note saying there is none.
    fn container_for(&mut self, i: usize, name: &str) -> Option<usize> {
        let found = self.cs.iter().position(|c| c.spec.name == name);
        if found.is_none() {
            self.rec
                .note(format!("action {i}: no container named {}", quote(name)));
        }
        found
    }

    /// Applies the scenario's action `i`.
    pub(super) fn action(&mut self, i: usize) {
        let action = self.scenario.actions[i].1.clone();
        self.pending_step(
            None,
            StepKind::Action {
                action: action.to_string(),
            },
        );
        match action {
            Action::Delete { grace_s } => self.delete(grace_s),
            Action::SetImage { container, image } => {
                if let Some(c) = self.container_for(i, &container) {
                    self.generation += 1;
                    self.cs[c].image = image;
                    self.cs[c].pull_backoff = None;
                    if self.cs[c].running() && !self.worker.deleting() {
                        self.cs[c].changed = true;
                    }
                    self.timers.request_sync(self.now);
                }
            }
            Action::Kill {
                container,
                exit_code,
            } => {
                if let Some(c) = self.container_for(i, &container) {
                    let reason = if exit_code == 0 { "Completed" } else { "Error" };
                    self.exit(c, exit_code, reason);
                }
            }
            Action::Oom { container } => {
                if let Some(c) = self.container_for(i, &container) {
                    self.exit(c, 137, "OOMKilled");
                }
            }
            Action::KubeletRestart => {
                if !self.kubelet_goes_down() {
                    return;
                }
                let reset = self.scenario.version.kubelet_restart_resets_probes();
                for c in &mut self.cs {
                    let has_inst = c.inst.is_some();
                    for (kind, w) in c.probes.iter_mut() {
                        w.active = false;
                        if reset && has_inst {
                            w.result = initial_result(kind);
                        }
                    }
                }
                self.worker.probes_created = false;
                self.timers.push(self.now + KUBELET_DOWN, Timer::KubeletUp);
            }
            Action::NodeReboot => {
                if !self.kubelet_goes_down() {
                    return;
                }
                let now = self.now;
                let mut died = Vec::new();
                for (idx, c) in self.cs.iter_mut().enumerate() {
                    c.killer = None;
                    for (_, w) in c.probes.iter_mut() {
                        w.active = false;
                        w.result = None;
                    }
                    if let Some(i) = c.inst.as_mut() {
                        if matches!(i.state, RunState::Running) {
                            // After the reboot the runtime reports them exited 255, reason Unknown.
                            i.state = RunState::Exited(Exit {
                                code: 255,
                                reason: "Unknown",
                                at: now,
                            });
                            i.visible = true;
                            died.push(idx);
                        }
                    }
                }
                for c in died {
                    self.step(
                        c,
                        StepKind::Exited {
                            code: 255,
                            reason: "Unknown",
                        },
                    );
                }
                // Files in container layers and emptyDir volumes are gone with the sandbox.
                self.runtime.files.clear();
                self.runtime.sandbox_ready = false;
                self.worker.probes_created = false;
                self.timers.push(now + NODE_DOWN, Timer::KubeletUp);
            }
            Action::Create { kind, name } => {
                let ns = self.pod.namespace.clone();
                let object = match self
                    .held
                    .iter()
                    .position(|o| o.kind == kind && o.name == name)
                {
                    Some(i) => self.held.remove(i),
                    None => Object::named(kind, &ns, &name),
                };
                self.world.put(object);
                self.world_changed();
            }
            Action::DeleteObject { kind, name } => {
                let ns = self.pod.namespace.clone();
                if self.world.remove(kind, &ns, &name) {
                    self.world_changed();
                }
            }
        }
    }

    /// An object around the pod appeared or went away. The scheduler retries a pod it could not
    /// place at once; the volume manager's next pass mounts a volume whose object now exists, and
    /// the waiting pod worker goes on about a second later. A container that failed on a missing
    /// variable source is retried at the pod worker's requeue, as on a node.
    fn world_changed(&mut self) {
        if self.unschedulable.is_some() {
            self.schedule();
            return;
        }
        if self.worker.mount_warned.is_some() {
            self.timers.request_sync(self.now + super::kubelet::PLEG);
        }
    }

    /// `kubectl delete pod [--grace-period]`.
    fn delete(&mut self, grace_s: Option<i64>) {
        if self.worker.finished() {
            return;
        }
        let spec = self.pod.termination_grace_period_s.max(0);
        // Grace can only shrink; 0 (force) becomes 1 s in current kubelets (§10.2, §14).
        let g = grace_s.map_or(spec, |g| g.max(0).min(spec.max(g.max(0))));
        let g = g.clamp(1, limits::MAX_SECONDS_FIELD);
        let grace = Ms::from_s(g as u64);
        if let PodState::Terminating(d) = self.worker.state {
            // A second delete can only shorten the grace period (`calculateEffectiveGracePeriod`); a
            // shorter one cancels the kill in progress and the pod worker runs it again with the new
            // grace: a new Killing, preStop again, SIGTERM, and SIGKILL at the new deadline.
            if grace >= d.grace {
                return;
            }
            self.worker.state = PodState::Terminating(Deletion { grace });
            self.pending_step(None, StepKind::DeletionRequested { grace_s: g });
            self.restart_kills();
            return;
        }
        self.worker.state = PodState::Terminating(Deletion { grace });
        // Setting deletionTimestamp bumps the generation.
        self.generation += 1;
        self.pending_step(None, StepKind::DeletionRequested { grace_s: g });
        // The in-flight sync is cancelled; liveness and startup workers stop (§3.2).
        self.worker.forget();
        for c in &mut self.cs {
            for kind in [ProbeKind::Startup, ProbeKind::Liveness] {
                c.probes[kind].active = false;
                c.probes[kind].result = None;
            }
        }
        // `SyncTerminatingPod` generates the status before it kills anything.
        self.generate_status();
        self.observe();
        self.kill_pod(true);
    }
}
