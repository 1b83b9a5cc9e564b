//! The pod worker: the pod's lifecycle (`Syncing`, `Terminating` once deleted, `Terminated`), its
//! syncs, and the queue of operations a sync leaves behind. A sync generates the status, asks
//! [`decide`](super::decide) what to do and queues it; operations then run one after another, and
//! those that take time (a pull, sandbox creation, a postStart hook, waiting for kills) block the
//! worker until they finish, as `SyncPod` blocks. A sync that ends in error (a start refused by
//! back-off) is retried through the worker's one requeue slot.

use super::backoff::Backoff;
use super::container::RESTART_ALL;
use super::decide::{self, Act, Facts, KillWhy, PodActions, View};
use super::kubelet::{Sim, PLEG};
use super::runtime::SANDBOX;
use super::time::{go_duration, Ms};
use super::timers::{Timer, Timers};
use super::trace::{EventType, KillPodReason, StepKind};
use crate::spec::ContainerKind;
use std::collections::VecDeque;

/// A failed sync is retried this much later (≤ 1.34).
const ERROR_REQUEUE: Ms = Ms(10_000);

/// A deletion: the grace period the containers get (a later delete can only shorten it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Deletion {
    pub grace: Ms,
}

/// Where the pod is in its life, as the pod worker sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum PodState {
    /// `SyncPod`: containers are started and restarted.
    Syncing,
    /// Deleted: `SyncTerminatingPod` stops every container with the deletion's grace period.
    Terminating(Deletion),
    /// Every container has stopped and the sandbox with them; nothing runs again.
    Terminated { deletion: Option<Deletion> },
}

/// One queued operation of the pod worker.
pub(super) enum Op {
    CreateSandbox,
    /// The sandbox creation finished.
    SandboxCreated,
    /// Start container `c`: back-off check, then its image. `exited_at` is the finish of its latest
    /// exited instance in the status the sync saw (`doBackOff` reads that status, taken before the
    /// sync's own kills).
    Start {
        c: usize,
        exited_at: Option<Ms>,
    },
    /// The image is there (pulled or present): create and start the container.
    Run(usize),
    /// The pull of this container's image finished.
    Pulled(usize),
    PostStartDone {
        c: usize,
        inst: u32,
        ok: bool,
    },
    Kill {
        c: usize,
        why: KillWhy,
    },
    /// Block until every killer is done.
    AwaitKills,
    /// The kill of the whole pod (its natural end, an init failure or a deletion) finished.
    PodKilled,
    /// KEP-5532: every container is stopped; remove them all, keeping the sandbox.
    RestartAllRemoved,
}

/// KEP-5532 (`RestartAllContainersOnContainerExits`): a container whose exit matches a
/// `RestartAllContainers` rule restarts the pod in place — every container is killed without a
/// grace period and removed, the sandbox, its IP and volumes are kept, and the pod starts again from
/// its first init container.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum RestartAll {
    /// The gate is off: the action is not accepted, nothing restarts the pod.
    Off,
    Idle,
    /// The containers are being killed (`AllContainersRestarting=True`); `trigger` exited with a
    /// code its rule matched.
    Stopping {
        trigger: usize,
    },
    /// They are removed and start again from `not_before` (the trigger's back-off); until every app
    /// container has run again the pod stays Pending, whatever its removed containers' last states
    /// say.
    Starting {
        not_before: Ms,
    },
}

pub(super) struct PodWorker {
    pub state: PodState,
    pub ops: VecDeque<Op>,
    /// An operation is in progress (a timer will resume the worker).
    busy: bool,
    /// A sync came due while busy: it runs when the worker is free.
    sync_wanted: bool,
    /// This sync hit an error (a refused start): requeue it.
    sync_error: bool,
    /// The last FailedMount message, so a retry that fails the same way is not reported again.
    pub mount_warned: Option<String>,
    /// The requeue slot's current token; an older requeue timer is stale.
    pub requeue_token: u64,
    /// Probe workers exist (they are created at the first sync after a kubelet start).
    pub probes_created: bool,
}

impl PodWorker {
    pub fn new() -> PodWorker {
        PodWorker {
            state: PodState::Syncing,
            ops: VecDeque::new(),
            busy: false,
            sync_wanted: false,
            sync_error: false,
            mount_warned: None,
            requeue_token: 0,
            probes_created: false,
        }
    }
    pub fn deletion(&self) -> Option<Deletion> {
        match self.state {
            PodState::Terminating(d) => Some(d),
            PodState::Terminated { deletion } => deletion,
            PodState::Syncing => None,
        }
    }
    /// The pod was deleted (it may have finished since).
    pub fn deleting(&self) -> bool {
        self.deletion().is_some()
    }
    pub fn finished(&self) -> bool {
        matches!(self.state, PodState::Terminated { .. })
    }
    /// A whole-pod kill is under way (its natural end or an init failure, or a deletion).
    pub fn completing(&self) -> bool {
        self.ops.iter().any(|o| matches!(o, Op::PodKilled))
    }
    /// Nothing is queued or running: only timers can bring new work.
    pub fn idle(&self) -> bool {
        !self.busy && self.ops.is_empty()
    }
    /// The current operation takes until `at`; the worker resumes then.
    pub fn wait_until(&mut self, timers: &mut Timers, at: Ms) {
        self.busy = true;
        timers.push(at, Timer::WorkerResume);
    }
    /// The kubelet process stopped: the worker forgets what it was doing.
    pub fn forget(&mut self) {
        self.ops.clear();
        self.busy = false;
        self.sync_wanted = false;
    }
}

impl Sim<'_> {
    /// A sync is due: run it now, or right after the worker's current operation.
    pub(super) fn wake_worker(&mut self) {
        if self.kubelet.is_down() {
            return;
        }
        if self.worker.busy {
            self.worker.sync_wanted = true;
        } else {
            self.sync();
        }
    }

    /// The worker's current operation finished.
    pub(super) fn worker_resume(&mut self) {
        if self.worker.busy && !self.kubelet.is_down() {
            self.worker.busy = false;
            self.work();
        }
    }

    /// `SyncPod` (spec §2): generate the status, then decide what to do and queue it.
    pub(super) fn sync(&mut self) {
        if self.worker.finished() {
            return;
        }
        self.worker.sync_error = false;
        if !self.worker.probes_created {
            self.create_workers();
        }
        match self.restart_all {
            RestartAll::Stopping { .. } => {
                self.generate_status();
                self.observe();
                return;
            }
            RestartAll::Idle if !self.worker.deleting() => {
                if let Some(trigger) = self.restart_all_trigger() {
                    self.begin_restart_all(trigger);
                    return;
                }
            }
            RestartAll::Starting { not_before } if self.now < not_before => {
                self.generate_status();
                self.observe();
                self.timers.request_sync(not_before);
                return;
            }
            RestartAll::Starting { .. }
                if self.cs[self.n_init..].iter().all(|c| c.has_status()) =>
            {
                self.restart_all = RestartAll::Idle;
            }
            _ => {}
        }
        // `generateAPIPodStatus` runs first: the API shows what this sync saw, not what it does.
        self.generate_status();
        self.observe();
        self.readiness_extra_runs();
        if self.worker.deleting() {
            return;
        }
        if self.status.api.phase.terminal() {
            // kubelet `SyncPod`: once the generated status is Succeeded/Failed the pod worker
            // terminates the pod; nothing is started again, not even a sidecar in back-off.
            self.kill_pod(false);
            return;
        }
        let facts: Vec<Facts> = self.cs.iter().map(Facts::of).collect();
        let view = View {
            containers: &facts,
            n_init: self.n_init,
            restart_policy: self.pod.restart_policy,
            deleting: self.worker.deleting(),
            sandbox_ready: self.runtime.sandbox_ready,
        };
        match decide::compute_pod_actions(&view) {
            PodActions::CreateSandbox { starts } => {
                // `WaitForAttachAndMount` comes before the sandbox: a ConfigMap or Secret volume
                // whose object does not exist keeps the pod in ContainerCreating, retried.
                if let Some((volume, msg)) = self.around(None, 0).unmountable() {
                    let text = format!("MountVolume.SetUp failed for volume \"{volume}\" : {msg}");
                    if self.worker.mount_warned.as_deref() != Some(&text) {
                        self.event(EventType::Warning, "FailedMount", None, text.clone());
                        self.worker.mount_warned = Some(text);
                    }
                    self.start_refused();
                    self.work();
                    return;
                }
                self.worker.mount_warned = None;
                if self.runtime.sandbox > 0 {
                    self.event(
                        EventType::Normal,
                        "SandboxChanged",
                        None,
                        "Pod sandbox changed, it will be killed and re-created.".into(),
                    );
                }
                self.worker.ops.push_back(Op::CreateSandbox);
                for c in &mut self.cs[..self.n_init] {
                    // A new sandbox purges init containers (§2.2): the sequence starts again.
                    if c.inst.is_some() {
                        c.purged = true;
                    }
                }
                for c in starts {
                    let exited_at = self.latest_exit_seen(c);
                    self.worker.ops.push_back(Op::Start { c, exited_at });
                }
            }
            PodActions::KillPod => {
                self.kill_pod(false);
                return;
            }
            PodActions::Act(acts) => {
                for act in acts {
                    match act {
                        Act::Kill(c, why) => {
                            self.worker.ops.push_back(Op::Kill { c, why });
                            self.worker.ops.push_back(Op::AwaitKills);
                        }
                        Act::Start(c) => {
                            let exited_at = self.latest_exit_seen(c);
                            self.worker.ops.push_back(Op::Start { c, exited_at });
                        }
                    }
                }
            }
        }
        self.work();
    }

    /// Runs queued operations until one has to wait.
    pub(super) fn work(&mut self) {
        while !self.worker.busy {
            let Some(op) = self.worker.ops.pop_front() else {
                if std::mem::take(&mut self.worker.sync_wanted) {
                    // A sync that came due while this one worked waits for a relist newer than this
                    // sync's end (`podWorkerLoop`: `GetNewerThan(…, lastSyncTime)`): what this sync
                    // started or saw exit reaches the next one a relist later, never in the same
                    // instant.
                    self.timers.request_sync(self.now + PLEG);
                }
                if std::mem::take(&mut self.worker.sync_error) {
                    let at = self.next_retry();
                    self.worker.requeue_token += 1;
                    self.timers
                        .push(at, Timer::Requeue(self.worker.requeue_token));
                }
                break;
            };
            match op {
                Op::CreateSandbox => {
                    self.runtime.sandbox += 1;
                    self.worker.wait_until(&mut self.timers, self.now + SANDBOX);
                    self.worker.ops.push_front(Op::SandboxCreated);
                }
                Op::SandboxCreated => {
                    self.runtime.sandbox_ready = true;
                    self.pending_step(None, StepKind::SandboxReady);
                    // The relist reports the new sandbox like a started container (PLEG lists sandboxes
                    // too), so the pod worker syncs again about a second later.
                    self.timers.request_sync(self.now + PLEG);
                }
                Op::Start { c, exited_at } => self.start(c, exited_at),
                Op::Run(c) => self.create_and_start(c),
                Op::Pulled(c) => self.pulled(c),
                Op::PostStartDone { c, inst, ok } => self.post_start_done(c, inst, ok),
                Op::Kill { c, why } => self.start_killer(c, why),
                Op::AwaitKills => {
                    if self.cs.iter().any(|c| c.killer.is_some()) {
                        self.worker.busy = true;
                        self.worker.ops.push_front(Op::AwaitKills);
                        // Resumed by the last killer that finishes.
                        return;
                    }
                }
                Op::PodKilled => self.pod_killed(),
                Op::RestartAllRemoved => self.restart_all_removed(),
            }
        }
    }

    /// When a failed sync is retried.
    fn next_retry(&self) -> Ms {
        if self.scenario.version.requeue_at_backoff_expiry() {
            // Retry exactly when the shortest pending back-off expires.
            let expiry = self
                .cs
                .iter()
                .filter_map(|c| Some(c.exited()?.at + c.backoff?.delay))
                .filter(|t| *t > self.now)
                .min();
            expiry.unwrap_or(self.now + ERROR_REQUEUE)
        } else {
            self.now + ERROR_REQUEUE
        }
    }

    /// A start that failed before a container existed: the two Warning events, the Waiting reason the
    /// kubelet caches for the status, a `StartFailed` step, and a requeued sync.
    pub(super) fn start_failed(
        &mut self,
        c: usize,
        event_reason: &str,
        reason: &'static str,
        msg: String,
    ) {
        self.cevent(c, EventType::Warning, event_reason, msg.clone());
        self.cevent(c, EventType::Warning, "Failed", format!("Error: {reason}"));
        self.cs[c].start_error = Some((reason.into(), msg.into()));
        self.step(c, StepKind::StartFailed { reason });
        self.worker.sync_error = true;
    }

    /// A start refused by a back-off: the sync ends in error and is requeued.
    pub(super) fn start_refused(&mut self) {
        self.worker.sync_error = true;
    }

    /// The finish of `c`'s latest exited instance, as a status taken now lists it: the current
    /// instance's if it has exited, else the previous one's while the current one runs.
    fn latest_exit_seen(&self, c: usize) -> Option<Ms> {
        let ctr = &self.cs[c];
        match (ctr.exited(), ctr.running(), ctr.prev_exit) {
            (Some(e), _, _) => Some(e.at),
            (None, true, Some(e)) => Some(e.at),
            _ => None,
        }
    }

    /// `start()` in `SyncPod`: the CrashLoopBackOff check, then the image (spec §5.2).
    fn start(&mut self, c: usize, exited_at: Option<Ms>) {
        if self.worker.deleting() {
            return;
        }
        // doBackOff: measured from the finish of the latest exited instance in the sync's status; a
        // container this sync killed was still running there, so its own exit does not count.
        let ctr = &self.cs[c];
        if let Some(ts) = exited_at {
            if let Some(delay) =
                Backoff::in_backoff_since(ctr.backoff, ts, self.now, self.crash_shape)
            {
                let name = self.name(c);
                let msg = format!(
                    "Back-off restarting failed container {name} in pod {}",
                    self.pod_ref
                );
                self.cevent(c, EventType::Warning, "BackOff", msg);
                self.cs[c].start_error = Some((
                    "CrashLoopBackOff".into(),
                    format!(
                        "back-off {} restarting failed container={name} pod={}",
                        go_duration(delay),
                        self.pod_ref
                    )
                    .into(),
                ));
                self.step(
                    c,
                    StepKind::BackOff {
                        delay,
                        reason: None,
                    },
                );
                self.start_refused();
                return;
            }
            self.cs[c].backoff = Some(Backoff::next(
                self.cs[c].backoff,
                ts,
                self.now,
                self.crash_shape,
            ));
        }
        self.ensure_image(c);
    }

    /// Kills every running container: a deletion (`deleting`), or a whole-pod kill inside a sync.
    pub(super) fn kill_pod(&mut self, deleting: bool) {
        if !deleting {
            let init_failed = self.cs[..self.n_init].iter().any(|c| {
                c.spec.kind == ContainerKind::Init && c.exited().is_some_and(|e| e.code != 0)
            });
            let reason = if self.status.reason.is_some() {
                KillPodReason::DeadlineExceeded
            } else if init_failed {
                KillPodReason::InitFailed
            } else {
                KillPodReason::Completed
            };
            self.pending_step(None, StepKind::KillPod { reason });
        }
        self.worker.ops.clear();
        self.worker.ops.push_back(Op::AwaitKills);
        self.worker.ops.push_back(Op::PodKilled);
        for c in 0..self.cs.len() {
            if self.cs[c].running() {
                self.start_killer(c, KillWhy::Pod);
            }
        }
        self.check_turns();
        if self.cs.iter().all(|c| c.killer.is_none()) {
            self.worker.ops.pop_front();
            self.work();
        } else {
            self.worker.busy = true;
        }
    }

    /// A kill finished: when it was the last one the worker was waiting for, it goes on.
    pub(super) fn killer_finished(&mut self) {
        if self.cs.iter().all(|c| c.killer.is_none())
            && matches!(self.worker.ops.front(), Some(Op::AwaitKills))
            && self.worker.busy
        {
            self.worker.ops.pop_front();
            self.worker.busy = false;
            self.work();
        }
    }

    fn pod_killed(&mut self) {
        self.runtime.sandbox_ready = false;
        self.worker.state = PodState::Terminated {
            deletion: self.worker.deletion(),
        };
        // The final status: generated once the containers are stopped, then `TerminatePod`.
        self.generate_status();
        self.pending_step(None, StepKind::SandboxStopped);
    }

    /// The first container whose exit matches a `RestartAllContainers` rule (its first matching
    /// rule; `ShouldAllContainersRestart`): the pod restarts in place.
    pub(super) fn restart_all_trigger(&self) -> Option<usize> {
        if self.restart_all == RestartAll::Off {
            return None;
        }
        self.cs.iter().position(|c| {
            c.exited().is_some_and(|e| {
                c.spec
                    .restart_rules
                    .iter()
                    .find(|r| r.matches(e.code))
                    .is_some_and(|r| r.action == RESTART_ALL)
            })
        })
    }

    /// The restart begins: the status says `AllContainersRestarting=True`, then every running
    /// container is killed at once, without a grace period (so no preStop hook runs).
    fn begin_restart_all(&mut self, trigger: usize) {
        self.restart_all = RestartAll::Stopping { trigger };
        self.generate_status();
        self.observe();
        for c in 0..self.cs.len() {
            if self.cs[c].running() {
                self.worker.ops.push_back(Op::Kill {
                    c,
                    why: KillWhy::RestartAll,
                });
            }
        }
        self.worker.ops.push_back(Op::AwaitKills);
        self.worker.ops.push_back(Op::RestartAllRemoved);
        self.work();
    }

    /// Every container is stopped: the runtime removes them all (their statuses keep the last run as
    /// `lastState`), the condition goes back to False, and the next sync starts the pod again in the
    /// same sandbox — init containers first, each restart counted.
    fn restart_all_removed(&mut self) {
        let RestartAll::Stopping { trigger } = self.restart_all else {
            return;
        };
        // KEP-5532: "the same backoff mechanism will be applied to pod restarts" — Podstep runs the
        // trigger's CrashLoopBackOff entry as `doBackOff` would for the container alone: the first
        // restart is at once, each later one waits out the doubled delay after the trigger's exit.
        let exit = self.cs[trigger].exited().map_or(self.now, |e| e.at);
        let not_before = match Backoff::in_backoff_since(
            self.cs[trigger].backoff,
            exit,
            self.now,
            self.crash_shape,
        ) {
            Some(delay) => {
                self.step(
                    trigger,
                    StepKind::BackOff {
                        delay,
                        reason: None,
                    },
                );
                exit + delay
            }
            None => self.now,
        };
        self.cs[trigger].backoff = Some(Backoff::next(
            self.cs[trigger].backoff,
            exit,
            not_before,
            self.crash_shape,
        ));
        for c in &mut self.cs {
            if c.inst.is_some() {
                c.purged = true;
            }
            for (_, w) in c.probes.iter_mut() {
                w.active = false;
                w.result = None;
            }
        }
        self.worker.probes_created = false;
        self.restart_all = RestartAll::Starting { not_before };
        self.generate_status();
        self.observe();
        self.timers.request_sync((self.now + PLEG).max(not_before));
    }

    /// A deletion's kill was cancelled (a shorter grace arrived): every kill starts over.
    pub(super) fn restart_kills(&mut self) {
        for c in &mut self.cs {
            if c.running() {
                c.killer = None;
            }
        }
        self.worker.busy = false;
        self.kill_pod(true);
    }
}
