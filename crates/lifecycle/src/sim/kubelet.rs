//! The kubelet model's run loop (`syncLoop`): one [`Sim`] owns the parts — the timer queue, the pod
//! worker, the runtime, the images, the prober's workers (in each container), the killers, the status
//! manager and the recorder — and dispatches each timer to the part it belongs to. Simulated time only
//! moves here, from one timer to the next; nothing reads a clock.
//!
//! Podstep's timing conventions (documented in `docs/trace.md`): the runtime's container events reach
//! the pod worker 1 s later (PLEG relist); an image pull takes 1 s; sandbox creation takes 1 s; a sync
//! that ends in error (a start refused by back-off) is retried 10 s later (≤1.34) or at the back-off
//! expiry (1.35+); a kubelet restart takes 5 s and a node reboot 30 s; probe workers created within a
//! period of a kubelet start wait half a period before their first probe. Section numbers (§) refer to
//! `shared/spec/lifecycle.md`.

use super::backoff::Shape;
use super::container::Ctr;
use super::images::Images;
use super::pod_env::{around, Around};
use super::recorder::Recorder;
use super::runtime::Runtime;
use super::status_manager::StatusManager;
use super::time::Ms;
use super::timers::{Timer, Timers};
use super::trace::{EndReason, EventType, StepKind, Trace};
use super::worker::{PodWorker, RestartAll};
use super::Action;
use super::Scenario;
use crate::limits;
use crate::spec::{PodSpec, Workload};
use crate::world::{Object, World};

/// The relist period: the runtime's events reach the pod worker this much later.
pub(super) const PLEG: Ms = Ms(1000);
/// How long the kubelet is down for a restart, and the node for a reboot.
pub(super) const KUBELET_DOWN: Ms = Ms(5000);
pub(super) const NODE_DOWN: Ms = Ms(30_000);
use super::pod_env::NODE;

/// The kubelet process itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum KubeletProcess {
    /// Running; `restarted_at` is when it last came back during the run.
    Running {
        restarted_at: Option<Ms>,
    },
    Down,
}

impl KubeletProcess {
    pub fn is_down(self) -> bool {
        self == KubeletProcess::Down
    }
    pub fn restarted_at(self) -> Option<Ms> {
        match self {
            KubeletProcess::Running { restarted_at } => restarted_at,
            KubeletProcess::Down => None,
        }
    }
    pub fn go_down(&mut self) {
        *self = KubeletProcess::Down;
    }
}

pub(super) struct Sim<'a> {
    pub pod: &'a PodSpec,
    /// `NAME_NAMESPACE(UID)`, as kubelet messages name the pod.
    pub pod_ref: String,
    pub scenario: &'a Scenario,
    pub now: Ms,
    /// Init containers (sidecars included) in spec order, then app containers.
    pub cs: Vec<Ctr>,
    pub n_init: usize,
    pub timers: Timers,
    pub worker: PodWorker,
    pub runtime: Runtime,
    pub images: Images,
    pub status: StatusManager,
    pub rec: Recorder,
    pub kubelet: KubeletProcess,
    /// The last kill's id (see `Timer::Killer`).
    pub killer_seq: u32,
    /// Timers handled so far (the benchmark's "simulated events").
    events_handled: u64,
    /// The objects around the pod, as scenario actions change them.
    pub world: World,
    /// The scheduler has not placed the pod: its message (a claim that does not exist).
    pub unschedulable: Option<String>,
    /// Objects of the input that a later `create` action makes.
    pub held: Vec<Object>,
    /// The kubelet writes `PodReadyToStartContainers` (its gate, read once).
    pub ready_to_start_condition: bool,
    /// CrashLoopBackOff's delays (the gates and the kubelet's setting, read once).
    pub crash_shape: Shape,
    /// The kubelet reports each container's effective stop signal (`ContainerStopSignals`).
    pub report_stop_signal: bool,
    /// KEP-5532's in-place restart of every container.
    pub restart_all: RestartAll,
    /// `metadata.generation`: 1 at creation, one more for each spec change (`set-image`) and for the
    /// deletion (KEP-5067: the API server bumps it, ungated).
    pub generation: i64,
    /// The kubelet reports the generation it synced (`PodObservedGenerationTracking`).
    pub observed_generation: bool,
}

/// Runs `workload` under `scenario` and returns its trace.
pub fn simulate(workload: &Workload, scenario: &Scenario) -> Trace {
    let pod = &workload.pod;
    let until = Ms::from_s(scenario.until_s.min(limits::MAX_HORIZON_S));
    // An object the scenario creates later is held back until then, with what the file says of it
    // (a `create configmap settings` makes the file's `settings`, keys and all).
    let mut world = (*workload.world).clone();
    let mut held = Vec::new();
    for (_, action) in &scenario.actions {
        if let Action::Create { kind, name } = action {
            if let Some(o) = world.get(*kind, &pod.namespace, name).cloned() {
                world.remove(*kind, &pod.namespace, name);
                held.push(o);
            }
        }
    }
    let mut sim = Sim::new(pod, scenario, world);
    sim.held = held;
    sim.schedule();
    for (i, (at, _)) in scenario
        .actions
        .iter()
        .enumerate()
        .take(limits::MAX_ACTIONS)
    {
        sim.timers.push(*at, Timer::Action(i));
    }
    if scenario.actions.len() > limits::MAX_ACTIONS {
        sim.rec.note(format!(
            "only the first {} actions are applied (Podstep's limit)",
            limits::MAX_ACTIONS
        ));
    }
    sim.observe();
    let why = sim.run(until);
    sim.finish(why)
}

/// A UUID-shaped name for the pod, derived from its name (deterministic, as everything here).
pub(super) fn uid(name: &str) -> String {
    let h = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let h2 = h.rotate_left(29).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        h >> 32,
        (h >> 16) & 0xffff,
        h & 0xfff,
        (h2 >> 52) & 0xfff,
        h2 & 0xffff_ffff_ffff
    )
}

impl<'a> Sim<'a> {
    fn new(pod: &'a PodSpec, scenario: &'a Scenario, world: World) -> Sim<'a> {
        use crate::features::Gate;
        let app_names: Vec<&str> = pod.containers.iter().map(|c| c.name.as_str()).collect();
        // The gates, read once: nothing below asks them again during the run.
        let kube = scenario.kube();
        Sim {
            pod,
            pod_ref: format!("{}_{}({})", pod.name, pod.namespace, uid(&pod.name)),
            scenario,
            now: Ms::ZERO,
            cs: {
                let rules = kube.enabled(Gate::ContainerRestartRules);
                pod.all_containers()
                    .map(|c| Ctr::new(c, pod.restart_policy, rules))
                    .collect()
            },
            n_init: pod.init_containers.len(),
            timers: Timers::default(),
            worker: PodWorker::new(),
            runtime: Runtime::default(),
            images: Images::default(),
            status: StatusManager::new(&app_names),
            rec: Recorder::default(),
            kubelet: KubeletProcess::Running { restarted_at: None },
            killer_seq: 0,
            events_handled: 0,
            world,
            unschedulable: None,
            held: Vec::new(),
            ready_to_start_condition: kube.enabled(Gate::PodReadyToStartContainersCondition),
            report_stop_signal: kube.enabled(Gate::ContainerStopSignals),
            generation: 1,
            observed_generation: kube.enabled(Gate::PodObservedGenerationTracking),
            restart_all: if kube.enabled(Gate::RestartAllContainersOnContainerExits) {
                RestartAll::Idle
            } else {
                RestartAll::Off
            },
            crash_shape: Shape::crash_loop(
                kube.enabled(Gate::ReduceDefaultCrashLoopBackOffDecay),
                crate::kubelet_config::effective_restart_period(
                    &kube,
                    scenario.max_container_restart_period,
                ),
            ),
        }
    }

    /// The scheduler places the pod on the node, unless a claim it needs does not exist: then it
    /// stays Pending with `PodScheduled=False` until the claim is created.
    pub(super) fn schedule(&mut self) {
        if let Some(msg) = self.around(None, 0).unschedulable() {
            if self.unschedulable.as_deref() != Some(&msg) {
                self.unschedulable = Some(msg.clone());
                self.generate_status();
                self.event(EventType::Warning, "FailedScheduling", None, msg);
            }
            return;
        }
        self.unschedulable = None;
        // The first sync writes the first status; the scheduling step is stamped with it.
        self.generate_status();
        self.pending_step(None, StepKind::Scheduled);
        self.event(
            EventType::Normal,
            "Scheduled",
            None,
            format!(
                "Successfully assigned {}/{} to {NODE}",
                self.pod.namespace, self.pod.name
            ),
        );
        self.timers.request_sync(self.now);
        if let Some(d) = self.pod.active_deadline_s {
            let d = Ms::from_s(u64::try_from(d).unwrap_or(0));
            self.timers.push(self.now + d, Timer::ActiveDeadline);
        }
    }

    /// The active deadline handler (`active_deadline.go`): the pod has been active longer than
    /// `activeDeadlineSeconds`, so the next status says Failed with reason `DeadlineExceeded` and the
    /// pod worker kills every container.
    fn deadline_exceeded(&mut self) {
        const MSG: &str = "Pod was active on the node longer than the specified deadline";
        self.status.reason = Some(("DeadlineExceeded", MSG));
        self.event(EventType::Normal, "DeadlineExceeded", None, MSG.into());
        self.timers.request_sync(self.now);
    }

    /// The pod's surroundings as container `from` (or the kubelet, `None`) sees them now.
    pub(super) fn around(&self, from: Option<usize>, me: usize) -> Around<'_> {
        around!(self, from, me)
    }

    pub(super) fn name(&self, c: usize) -> String {
        self.cs[c].spec.name.clone()
    }

    pub(super) fn events_handled(&self) -> u64 {
        self.events_handled
    }

    fn run(&mut self, until: Ms) -> EndReason {
        loop {
            if self.worker.finished() {
                return EndReason::Terminal;
            }
            if self.rec.steps.len() >= limits::MAX_STEPS {
                self.rec.note(format!(
                    "stopped after {} steps (Podstep's limit)",
                    limits::MAX_STEPS
                ));
                return EndReason::Limit;
            }
            if self.events_handled >= limits::MAX_EVENTS {
                self.rec.note(format!(
                    "stopped after {} simulated events at t={} (Podstep's limit; shorten --until or lengthen probe periods)",
                    limits::MAX_EVENTS,
                    self.now
                ));
                return EndReason::Limit;
            }
            if self.is_steady() {
                return EndReason::Steady;
            }
            let Some((at, timer)) = self.timers.pop() else {
                return EndReason::Steady;
            };
            if at > until {
                self.now = until;
                return EndReason::Horizon;
            }
            self.now = at;
            self.events_handled += 1;
            if !self.is_stale(timer) {
                self.handle(timer);
            }
            self.observe();
        }
    }

    /// Nothing but periodic probes remain, and none of them can change a result.
    fn is_steady(&self) -> bool {
        if self.timers.others_pending() || !self.worker.idle() || self.kubelet.is_down() {
            return false;
        }
        self.timers.pending().all(|t| match t {
            Timer::Probe { c, kind, gen } => !self.probe_tick_matters(c, kind, gen),
            _ => false,
        })
    }

    /// A timer that no longer applies: its requeue was replaced, its process or instance is gone, its
    /// probe worker was re-created, or its kill moved on.
    fn is_stale(&self, timer: Timer) -> bool {
        match timer {
            Timer::Requeue(token) => token != self.worker.requeue_token,
            Timer::Resume { c, inst } | Timer::Oom { c, inst } => !self.cs[c].runs(inst),
            Timer::Probe { c, kind, gen } => !self.probe_tick_current(c, kind, gen),
            Timer::Killer { c, id, stage } => !self.cs[c]
                .killer
                .as_ref()
                .is_some_and(|k| k.expects(id, stage)),
            Timer::Sync | Timer::WorkerResume | Timer::Action(_) | Timer::KubeletUp => false,
            Timer::ActiveDeadline => self.worker.finished() || self.worker.deleting(),
        }
    }

    fn handle(&mut self, timer: Timer) {
        match timer {
            Timer::Sync | Timer::Requeue(_) => self.wake_worker(),
            Timer::WorkerResume => self.worker_resume(),
            Timer::Resume { c, inst } => self.resume_process(c, inst),
            Timer::Probe { c, kind, gen } => self.probe_tick(c, kind, gen),
            Timer::Killer { c, stage, .. } => self.killer_timer(c, stage),
            Timer::Oom { c, .. } => self.exit(c, 137, "OOMKilled"),
            Timer::Action(i) => self.action(i),
            Timer::ActiveDeadline => self.deadline_exceeded(),
            Timer::KubeletUp => {
                self.kubelet = KubeletProcess::Running {
                    restarted_at: Some(self.now),
                };
                self.pending_step(None, StepKind::KubeletStarted);
                self.event(
                    EventType::Normal,
                    "Starting",
                    Some(format!("node/{NODE}")),
                    "Starting kubelet.".into(),
                );
                self.create_workers();
                self.sync();
            }
        }
    }
}
