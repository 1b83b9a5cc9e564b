//! The kubelet model: pod worker syncs, container runtime, probe workers, back-off, termination.
//!
//! One [`Sim`] owns all state and a timer queue ordered by (time, class, sequence number); at one
//! instant the pod worker's syncs run before the runtime's events, so a sync never acts on an exit of
//! the same instant (§2.1). The runtime (processes, exits, signals) changes at once; the API status
//! does not: like the kubelet, the engine generates it at the start of each sync (and when a pod is
//! deleted or finished), and probe results patch `started`/`ready` in between. Every step is stamped
//! with that API status and its `kubectl get pod` row, and every change of the status becomes a step.
//! Section numbers (§) refer to `shared/spec/lifecycle.md`.
//!
//! Podstep's timing conventions (documented in `docs/trace.md`): the runtime's container events reach
//! the pod worker 1 s later (PLEG relist); an image pull takes 1 s; sandbox creation takes 1 s; a sync
//! that ends in error (a start refused by back-off) is retried 10 s later (≤1.34) or at the back-off
//! expiry (1.35+); a kubelet restart takes 5 s and a node reboot 30 s; probe workers created within a
//! period of a kubelet start wait half a period before their first probe.

use super::behavior::{self, probe_index, timeline_at, Behavior, HookPlan, Source};
use super::shell::{Exec, Script, World, Yield};
use super::status::{self, Cond, Cs, Phase, Row, Snapshot, St, Text};
use super::time::{go_duration, Ms};
use super::trace::{self, ContainerState, Final, Kubectl, StateDetail, Step, Trace};
use super::trace::{EndReason, EventType, KillPodReason, KillReason, Signal, StepKind};
use super::{Action, Scenario};
use crate::limits;
use crate::names::StrSet;
use crate::quote::quote;
use crate::spec::{Container, ContainerKind, Handler, PodSpec, ProbeKind, RestartPolicy, Workload};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

const PLEG: Ms = Ms(1000);
const PULL: Ms = Ms(1000);
const SANDBOX: Ms = Ms(1000);
const ERROR_REQUEUE: Ms = Ms(10_000);
const BACKOFF_INITIAL: Ms = Ms(10_000);
const BACKOFF_MAX: Ms = Ms(300_000);
const MIN_GRACE: Ms = Ms(2000);
const KUBELET_DOWN: Ms = Ms(5000);
const NODE_DOWN: Ms = Ms(30_000);
const POD_IP: &str = "10.244.0.7";
const UNKNOWN_REASON: &str = "ContainerStatusUnknown";
const UNKNOWN_MESSAGE: &str = "The container could not be located when the pod was terminated";
const NODE: &str = "node-1";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Timer {
    Sync,
    /// The pod worker's one requeue slot: a later requeue replaces an earlier one.
    Requeue(u64),
    /// The worker's current operation (pull, sandbox, postStart) is done.
    WorkerResume,
    /// A process wakes from a sleep or wait.
    Resume {
        c: usize,
        inst: u32,
    },
    Probe {
        c: usize,
        kind: u8,
        gen: u32,
    },
    /// A killer's preStop ended, its turn came, or its grace ran out.
    Killer {
        c: usize,
        inst: u32,
        /// Which kill this belongs to: a second, shorter delete replaces a container's kill.
        id: u32,
        stage: u32,
    },
    Oom {
        c: usize,
        inst: u32,
    },
    Action(usize),
    KubeletUp,
}

#[derive(Clone, Debug)]
enum RunState {
    Running,
    Exited {
        code: i32,
        reason: &'static str,
        at: Ms,
    },
}

#[derive(Clone, Debug)]
struct Inst {
    id: u32,
    started: Ms,
    state: RunState,
    /// The API shows it running: its postStart returned.
    visible: bool,
    exec: Exec,
    behavior: Behavior,
    /// Sandbox generation it ran in.
    sandbox: u32,
}

#[derive(Clone, Copy, Debug)]
struct Backoff {
    backoff: Ms,
    last_update: Ms,
}

#[derive(Clone, Debug, Default)]
struct Worker {
    active: bool,
    gen: u32,
    /// Published result: None is Unknown.
    result: Option<bool>,
    last: Option<bool>,
    run: u32,
    on_hold: bool,
    /// The instance whose result is cached.
    inst: Option<u32>,
    /// The worker's initial sleep after a kubelet start ends at this time.
    sleeping_until: Ms,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum KillWhy {
    /// Deletion or a whole-pod kill: sidecars wait their turn.
    Pod,
    Liveness,
    Startup,
    Changed,
    PostStart,
}

#[derive(Clone, Debug)]
struct Killer {
    id: u32,
    inst: u32,
    grace: Ms,
    stage: u32,
    since: Ms,
    /// preStop is running until this time.
    pre_stop_until: Option<Ms>,
    /// The preStop hook ends within the grace period (else the kubelet stops waiting at G).
    pre_stop_in_time: bool,
    /// Since when a sidecar has been waiting for its turn to stop.
    waiting_turn: Option<Ms>,
    term_sent: bool,
    kill_at: Option<Ms>,
}

/// What the steps last showed of the status, to turn changes into steps.
struct Seen {
    flags: Vec<(bool, bool)>,
    conds: Vec<(&'static str, bool)>,
    phase: Phase,
}

/// A generated pod status: container statuses, phase and conditions.
#[derive(Clone, Debug, Default)]
struct Api {
    init: Vec<Cs>,
    app: Vec<Cs>,
    /// The instance each status describes (`None`: no record), in `Sim::cs` order.
    ids: Vec<Option<u32>>,
    phase: Phase,
    conds: Vec<Cond>,
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

struct Ctr {
    /// The container's name, shared by every status generated for it.
    name: Text,
    spec: Container,
    image: String,
    image_pulled: StrSet,
    attempts: u32,
    inst: Option<Inst>,
    /// The previous instance's exit, for `lastState` and back-off.
    prev_exit: Option<(i32, &'static str, Ms)>,
    /// The last start failure (reason, message), as the kubelet's reason cache holds it.
    start_error: Option<(Text, Text)>,
    backoff: Option<Backoff>,
    pull_backoff: Option<Backoff>,
    workers: [Worker; 3],
    killer: Option<Killer>,
    /// The spec hash changed while it ran (an image update).
    changed: bool,
    /// Purged from the runtime with the old sandbox (after a node reboot).
    purged: bool,
}

impl Ctr {
    fn running(&self) -> bool {
        matches!(
            self.inst,
            Some(Inst {
                state: RunState::Running,
                ..
            })
        )
    }
    fn exited(&self) -> Option<(i32, &'static str, Ms)> {
        match &self.inst {
            Some(Inst {
                state: RunState::Exited { code, reason, at },
                ..
            }) if !self.purged => Some((*code, reason, *at)),
            _ => None,
        }
    }
    fn has_status(&self) -> bool {
        self.inst.is_some() && !self.purged
    }
    fn probe(&self, kind: ProbeKind) -> Option<&crate::spec::Probe> {
        self.spec.probe(kind)
    }
    fn started_api(&self) -> bool {
        match &self.inst {
            Some(i) if matches!(i.state, RunState::Running) && i.visible && !self.purged => {
                self.probe(ProbeKind::Startup).is_none() || self.workers[0].result == Some(true)
            }
            _ => false,
        }
    }
    fn ready_api(&self) -> bool {
        if self.spec.kind == ContainerKind::Init {
            return matches!(self.exited(), Some((0, _, _)));
        }
        self.started_api()
            && (self.probe(ProbeKind::Readiness).is_none() || self.workers[1].result == Some(true))
    }
}

enum Op {
    CreateSandbox,
    Start(usize),
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
    /// The natural-completion / init-failure kill of the whole pod finished.
    PodKilled,
}

struct Sim<'a> {
    pod: &'a PodSpec,
    pod_ref: String,
    scenario: &'a Scenario,
    now: Ms,
    seq: u64,
    queue: BinaryHeap<Reverse<(Ms, u8, u64, Timer)>>,
    cs: Vec<Ctr>,
    n_init: usize,
    files: Files,
    sandbox: u32,
    sandbox_ready: bool,
    workers_created: bool,
    ops: VecDeque<Op>,
    busy: bool,
    sync_wanted: bool,
    sync_error: bool,
    kubelet_down: bool,
    deletion: Option<Ms>,
    pod_grace: Ms,
    terminating: bool,
    pod_is_terminal: bool,
    finished: bool,
    /// The pod status as the status manager holds it (what the API shows): generated from the runtime at
    /// each sync, patched by probe results in between (§2.1, §3.2).
    api: Api,
    /// The API status the previous steps were stamped with, for change steps.
    /// What the last steps showed, to turn status changes into steps: per container (started, ready),
    /// per condition its status, the phase; `None` before the first status.
    seen: Option<Seen>,
    /// The last kill's id (see `Timer::Killer`).
    killer_seq: u32,
    /// Timers handled so far (the benchmark's "simulated events").
    events_handled: u64,
    /// The container statuses last listed in `status_changes`, by container.
    emitted: Vec<Option<(Cs, String)>>,
    status_changes: Vec<trace::StatusChange>,
    /// The status key whose `kubectl` row the last observation already compared.
    row_shown: Option<(u64, bool)>,
    /// Pending timers that are not probe ticks (see `is_steady`).
    pending_other: usize,
    /// Bumped whenever `api` changes, so unchanged statuses are not diffed or printed again.
    api_version: u64,
    seen_version: u64,
    /// `printPod`'s columns for `api_version`.
    row_cache: Option<((u64, bool), Row)>,
    /// Indices of app containers in name order (`printPod` sorts by name).
    app_by_name: Vec<usize>,
    /// The `kubectl` row (READY, STATUS, RESTARTS count) of the last step.
    last_row: Option<(String, String, String)>,
    steps: Vec<Step>,
    pending: Vec<(Option<String>, StepKind)>,
    events: Vec<trace::Event>,
    notes: Vec<String>,
    last_exit_at: Option<Ms>,
    limit_hit: bool,
    /// preStop hooks that will fail, reported when they end.
    pending_prestop_failures: Vec<(usize, Ms)>,
    requeue_token: u64,
    observing: bool,
    /// When the kubelet last (re)started, if during the run.
    kubelet_started: Option<Ms>,
    /// Instants at which a sync is already queued, ascending, each once. A sorted `Vec` rather than a
    /// `BTreeSet<Ms>` or a `VecDeque`: they all lie within one PLEG period of now, so there are few to
    /// shift when one leaves from the front, and a B-tree keyed by `Ms` would add about 3 KB of
    /// WebAssembly for this one set (a `VecDeque`'s insertion, about 1 KB).
    sync_pending: Vec<Ms>,
}

/// Runs `workload` under `scenario` and returns its trace.
pub fn simulate(workload: &Workload, scenario: &Scenario) -> Trace {
    let pod = &workload.pod;
    let until = Ms::from_s(scenario.until_s.min(limits::MAX_HORIZON_S));
    let mut sim = Sim::new(pod, scenario);
    // The first sync (at 0) writes the first status; the scheduling step is stamped with it.
    sim.generate_status();
    sim.pending_step(None, StepKind::Scheduled);
    sim.event(
        EventType::Normal,
        "Scheduled",
        "",
        format!(
            "Successfully assigned {}/{} to {NODE}",
            pod.namespace, pod.name
        ),
    );
    sim.request_sync(Ms::ZERO);
    for (i, (at, _)) in scenario
        .actions
        .iter()
        .enumerate()
        .take(limits::MAX_ACTIONS)
    {
        sim.push(*at, Timer::Action(i));
    }
    if scenario.actions.len() > limits::MAX_ACTIONS {
        sim.notes.push(format!(
            "only the first {} actions are applied (Podstep's limit)",
            limits::MAX_ACTIONS
        ));
    }
    sim.observe();
    let why = sim.run(until);
    sim.finish(why)
}

/// The files scripts have created, each keyed by where it lives (a container instance's writable layer
/// or a volume) and its path there; see [`FsView::key`]. A hashed set rather than a sorted vector: a
/// script names its files literally, so a long one can create tens of thousands, and sorted insertion
/// would be quadratic.
type Files = StrSet;

struct FsView<'a> {
    files: &'a mut Files,
    mounts: &'a [crate::spec::VolumeMount],
    layer: String,
}

impl FsView<'_> {
    /// A path under a volume mount lives in the volume (shared, survives restarts); any other path lives
    /// in this container instance's own writable layer.
    ///
    /// One string, `{place's length}:{place}{path}`, which no two (place, path) pairs share, rather than
    /// a (place, path) tuple: a set of tuples would compile the set's code a second time (a few KB of
    /// WebAssembly) beside the crate's one set type, [`StrSet`].
    fn key(&self, path: &str) -> String {
        let best = self
            .mounts
            .iter()
            .filter(|m| {
                let mp = m.mount_path.trim_end_matches('/');
                path == mp || path.starts_with(&format!("{mp}/"))
            })
            .max_by_key(|m| m.mount_path.len());
        let (kind, place, rest) = match best {
            Some(m) => (
                "volume:",
                m.name.as_str(),
                &path[m.mount_path.trim_end_matches('/').len()..],
            ),
            None => ("", self.layer.as_str(), path),
        };
        // Pushed piece by piece: `format!` here made a script's file-heavy loop 40% slower.
        let mut key = String::with_capacity(kind.len() + place.len() + rest.len() + 8);
        push_decimal(&mut key, kind.len() + place.len());
        key.push(':');
        key.push_str(kind);
        key.push_str(place);
        key.push_str(rest);
        key
    }
}

fn push_decimal(out: &mut String, n: usize) {
    if n >= 10 {
        push_decimal(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

impl World for FsView<'_> {
    fn exists(&self, path: &str) -> bool {
        self.files.contains(&self.key(path))
    }
    fn create(&mut self, path: &str) {
        let k = self.key(path);
        self.files.insert(k);
    }
    fn remove(&mut self, path: &str) {
        let k = self.key(path);
        self.files.remove(&k);
    }
}

fn uid(name: &str) -> String {
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
    fn new(pod: &'a PodSpec, scenario: &'a Scenario) -> Sim<'a> {
        let cs: Vec<Ctr> = pod
            .all_containers()
            .map(|c| Ctr {
                spec: c.clone(),
                image: c.image.clone(),
                image_pulled: StrSet::new(),
                attempts: 0,
                inst: None,
                prev_exit: None,
                start_error: None,
                name: Text::from(c.name.clone()),
                backoff: None,
                pull_backoff: None,
                workers: Default::default(),
                killer: None,
                changed: false,
                purged: false,
            })
            .collect();
        Sim {
            pod,
            pod_ref: format!("{}_{}({})", pod.name, pod.namespace, uid(&pod.name)),
            scenario,
            now: Ms::ZERO,
            seq: 0,
            queue: BinaryHeap::new(),
            n_init: pod.init_containers.len(),
            cs,
            files: StrSet::new(),
            sandbox: 0,
            sandbox_ready: false,
            workers_created: false,
            ops: Default::default(),
            busy: false,
            sync_wanted: false,
            sync_error: false,
            kubelet_down: false,
            deletion: None,
            pod_grace: Ms::from_s(pod.termination_grace_period_s.max(0) as u64),
            terminating: false,
            pod_is_terminal: false,
            finished: false,
            api: Api::default(),
            seen: None,
            api_version: 0,
            pending_other: 0,
            row_shown: None,
            emitted: Vec::new(),
            status_changes: Vec::new(),
            events_handled: 0,
            killer_seq: 0,
            seen_version: u64::MAX,
            row_cache: None,
            app_by_name: {
                let mut order: Vec<usize> = (0..pod.containers.len()).collect();
                // `order::sort_by` rather than `sort_by`: see `order` for the WebAssembly it saves.
                crate::order::sort_by(&mut order, |a, b| {
                    pod.containers[*a].name.cmp(&pod.containers[*b].name)
                });
                order
            },
            last_row: None,
            steps: Vec::new(),
            pending: Vec::new(),
            events: Vec::new(),
            notes: Vec::new(),
            last_exit_at: None,
            limit_hit: false,
            pending_prestop_failures: Vec::new(),
            requeue_token: 0,
            observing: false,
            sync_pending: Vec::new(),
            kubelet_started: None,
        }
    }

    fn push(&mut self, at: Ms, timer: Timer) {
        self.seq += 1;
        // At one instant the pod worker's sync runs before the runtime's events of that instant: a sync
        // acts on what the last relist saw, so a container that exits at the very moment of a sync is
        // only acted on by the next one (§2.1: never a same-instant cascade).
        let class = match timer {
            Timer::Sync | Timer::Requeue(_) | Timer::KubeletUp => 0,
            _ => 1,
        };
        if !matches!(timer, Timer::Probe { .. }) {
            self.pending_other += 1;
        }
        self.queue.push(Reverse((at, class, self.seq, timer)));
    }

    fn name(&self, c: usize) -> String {
        self.cs[c].spec.name.clone()
    }

    fn object(&self, c: Option<usize>) -> String {
        match c {
            Some(c) => {
                let s = &self.cs[c].spec;
                let field = if s.kind == ContainerKind::App {
                    "containers"
                } else {
                    "initContainers"
                };
                format!("spec.{field}{{{}}}", s.name)
            }
            None => format!("pod/{}", self.pod.name),
        }
    }

    fn event(&mut self, kind: EventType, reason: &str, object: &str, message: String) {
        let object = if object.is_empty() {
            format!("pod/{}", self.pod.name)
        } else {
            object.to_string()
        };
        self.events.push(trace::Event {
            t: self.now.as_secs_f64(),
            kind,
            reason: reason.into(),
            object,
            message,
        });
    }

    fn cevent(&mut self, c: usize, kind: EventType, reason: &str, message: String) {
        let object = self.object(Some(c));
        self.event(kind, reason, &object, message);
    }

    /// Records a step and stamps it with the state right after it (phase, `kubectl` row), followed by
    /// the derived steps that state change implies.
    fn pending_step(&mut self, c: Option<usize>, kind: StepKind) {
        let name = c.map(|c| self.name(c));
        self.pending.push((name, kind));
        if !self.observing {
            self.observe();
        }
    }

    fn step(&mut self, c: usize, kind: StepKind) {
        self.pending_step(Some(c), kind);
    }

    // ----- the main loop -----

    fn run(&mut self, until: Ms) -> EndReason {
        loop {
            if self.finished {
                return EndReason::Terminal;
            }
            if self.steps.len() >= limits::MAX_STEPS {
                self.limit_hit = true;
                self.notes.push(format!(
                    "stopped after {} steps (Podstep's limit)",
                    limits::MAX_STEPS
                ));
                return EndReason::Limit;
            }
            if self.events_handled >= limits::MAX_EVENTS {
                self.limit_hit = true;
                self.notes.push(format!(
                    "stopped after {} simulated events at t={} (Podstep's limit; shorten --until or lengthen probe periods)",
                    limits::MAX_EVENTS,
                    self.now
                ));
                return EndReason::Limit;
            }
            if self.is_steady() {
                return EndReason::Steady;
            }
            let Some(Reverse((at, _, _, timer))) = self.queue.pop() else {
                return EndReason::Steady;
            };
            if !matches!(timer, Timer::Probe { .. }) {
                self.pending_other -= 1;
            }
            if at > until {
                self.now = until;
                return EndReason::Horizon;
            }
            self.now = at;
            self.events_handled += 1;
            self.handle(timer);
            self.observe();
        }
    }

    /// Nothing but periodic probes remain, and none of them can change a result.
    fn is_steady(&self) -> bool {
        // Any pending timer other than a probe tick means something may still happen; counting them
        // keeps this check O(1) on the hot path instead of a scan of the queue per step.
        if self.pending_other > 0 || self.busy || !self.ops.is_empty() || self.kubelet_down {
            return false;
        }
        for Reverse((_, _, _, t)) in self.queue.iter() {
            match t {
                Timer::Probe { c, kind, gen } => {
                    let ctr = &self.cs[*c];
                    let w = &ctr.workers[*kind as usize];
                    if w.gen != *gen || !w.active || w.on_hold {
                        continue;
                    }
                    let kind = [
                        ProbeKind::Startup,
                        ProbeKind::Readiness,
                        ProbeKind::Liveness,
                    ][*kind as usize];
                    if !ctr.running() {
                        continue;
                    }
                    let gated = match kind {
                        ProbeKind::Startup => ctr.started_api(),
                        _ => !ctr.started_api(),
                    };
                    if gated {
                        continue;
                    }
                    let Some(inst) = &ctr.inst else { continue };
                    if let Some(tl) = &inst.behavior.probes[probe_index(kind)] {
                        if tl.iter().any(|(from, _)| inst.started + *from > self.now) {
                            return false;
                        }
                    }
                    let would = self.evaluate_probe_pure(*c, kind);
                    if w.result != Some(would) {
                        return false;
                    }
                }
                _ => return false,
            }
        }
        true
    }

    fn handle(&mut self, timer: Timer) {
        match timer {
            Timer::Sync => {
                if let Ok(i) = self.sync_pending.binary_search(&self.now) {
                    self.sync_pending.remove(i);
                }
                self.wake_worker();
            }
            Timer::Requeue(token) => {
                if token == self.requeue_token {
                    self.wake_worker();
                }
            }
            Timer::WorkerResume => {
                if self.busy && !self.kubelet_down {
                    self.busy = false;
                    self.work();
                }
            }
            Timer::Resume { c, inst } => self.resume_process(c, inst),
            Timer::Probe { c, kind, gen } => self.probe_tick(c, kind as usize, gen),
            Timer::Killer { c, inst, id, stage } => self.killer_step(c, inst, id, stage),
            Timer::Oom { c, inst } => {
                if self.current_running(c, inst) {
                    self.exit(c, 137, "OOMKilled");
                }
            }
            Timer::Action(i) => self.action(i),
            Timer::KubeletUp => {
                self.kubelet_down = false;
                self.kubelet_started = Some(self.now);
                self.pending_step(None, StepKind::KubeletStarted);
                self.event(
                    EventType::Normal,
                    "Starting",
                    "node/node-1",
                    "Starting kubelet.".into(),
                );
                self.create_workers();
                self.sync();
            }
        }
    }

    /// A sync is due: run it now, or right after the worker's current operation.
    fn wake_worker(&mut self) {
        if self.kubelet_down {
            return;
        }
        if self.busy {
            self.sync_wanted = true;
        } else {
            self.sync();
        }
    }

    fn current_running(&self, c: usize, inst: u32) -> bool {
        matches!(&self.cs[c].inst, Some(i) if i.id == inst && matches!(i.state, RunState::Running))
    }

    // ----- the pod worker -----

    /// Triggers that land on the same instant (a start and an exit seen by one relist, a probe result)
    /// make one sync: the pod worker holds one pending update, not a queue of them.
    fn request_sync(&mut self, at: Ms) {
        if let Err(i) = self.sync_pending.binary_search(&at) {
            self.sync_pending.insert(i, at);
            self.push(at, Timer::Sync);
        }
    }

    /// `computePodActions` + the first part of `SyncPod` (spec §2): decides what to do and queues it.
    fn sync(&mut self) {
        if self.finished || self.pod_is_terminal {
            return;
        }
        self.sync_error = false;
        if !self.workers_created {
            self.create_workers();
        }
        // `generateAPIPodStatus` runs first: the API shows what this sync saw, not what it does.
        self.generate_status();
        self.observe();
        self.readiness_extra_runs();
        if self.terminating {
            return;
        }
        if self.api.phase.terminal() {
            // kubelet `SyncPod`: once the generated status is Succeeded/Failed the pod worker
            // terminates the pod; nothing is started again, not even a sidecar in back-off.
            self.kill_pod(false);
            return;
        }
        if self.sandbox_ready {
            // Probe-result and exit-driven decisions need the sandbox.
        } else {
            if self.sandbox > 0 {
                self.event(
                    EventType::Normal,
                    "SandboxChanged",
                    "",
                    "Pod sandbox changed, it will be killed and re-created.".into(),
                );
            }
            self.ops.push_back(Op::CreateSandbox);
            for c in 0..self.n_init {
                // A new sandbox purges init containers (§2.2): the sequence starts again.
                if self.cs[c].inst.is_some() {
                    self.cs[c].purged = true;
                }
            }
            if self.n_init > 0 {
                self.ops.push_back(Op::Start(0));
            } else {
                for c in self.n_init..self.cs.len() {
                    self.ops.push_back(Op::Start(c));
                }
            }
            self.work();
            return;
        }
        let (initialized, kill_pod) = self.init_actions();
        if kill_pod {
            self.kill_pod(false);
            return;
        }
        if initialized {
            let mut keep = 0;
            let mut to_start = Vec::new();
            let mut to_kill = Vec::new();
            for c in self.n_init..self.cs.len() {
                let ctr = &self.cs[c];
                if !ctr.running() {
                    if self.should_restart(c) {
                        to_start.push(c);
                    }
                    continue;
                }
                let why = if ctr.changed {
                    Some(KillWhy::Changed)
                } else if ctr.workers[2].result == Some(false)
                    && ctr.probe(ProbeKind::Liveness).is_some()
                {
                    Some(KillWhy::Liveness)
                } else if ctr.workers[0].result == Some(false)
                    && ctr.probe(ProbeKind::Startup).is_some()
                {
                    Some(KillWhy::Startup)
                } else {
                    None
                };
                match why {
                    None => keep += 1,
                    Some(w) => {
                        let restart = w == KillWhy::Changed
                            || self.pod.restart_policy != RestartPolicy::Never;
                        to_kill.push((c, w, restart));
                        if restart {
                            to_start.push(c);
                        }
                    }
                }
            }
            if keep == 0 && to_start.is_empty() {
                self.kill_pod(false);
                return;
            }
            for (c, why, _) in to_kill {
                self.ops.push_back(Op::Kill { c, why });
                self.ops.push_back(Op::AwaitKills);
            }
            for c in to_start {
                self.ops.push_back(Op::Start(c));
            }
        }
        self.work();
    }

    /// `ShouldContainerBeRestarted` (spec §5.1).
    fn should_restart(&self, c: usize) -> bool {
        if self.deletion.is_some() {
            return false;
        }
        let ctr = &self.cs[c];
        match ctr.exited() {
            None => !ctr.running(),
            Some((code, _, _)) => match self.pod.restart_policy {
                RestartPolicy::Always => true,
                RestartPolicy::OnFailure => code != 0,
                RestartPolicy::Never => false,
            },
        }
    }

    /// `computeInitContainerActions` (spec §2.3): queues init starts and kills; returns
    /// (pod initialized, kill the pod).
    fn init_actions(&mut self) -> (bool, bool) {
        if self.n_init == 0 {
            return (true, false);
        }
        let app_alive =
            (self.n_init..self.cs.len()).any(|c| self.cs[c].running() && !self.cs[c].purged);
        let mut initialized = app_alive;
        let mut previously = app_alive;
        let mut starts: Vec<usize> = Vec::new();
        let mut kills: Vec<(usize, KillWhy)> = Vec::new();
        let last = self.n_init.saturating_sub(1);
        for i in (0..self.n_init).rev() {
            let ctr = &self.cs[i];
            let sidecar = ctr.spec.kind == ContainerKind::Sidecar;
            if !ctr.has_status() {
                if previously && sidecar {
                    starts.push(i);
                }
                continue;
            }
            if previously && !sidecar {
                continue;
            }
            if ctr.running() {
                if sidecar {
                    let mut blocked = false;
                    if ctr.probe(ProbeKind::Startup).is_some() {
                        match ctr.workers[0].result {
                            None => blocked = true,
                            Some(false) => {
                                kills.push((i, KillWhy::Startup));
                                starts.push(i);
                                blocked = true;
                            }
                            Some(true) => {}
                        }
                    }
                    if !blocked {
                        if i == last {
                            initialized = true;
                        } else if !previously {
                            starts.push(i + 1);
                        }
                        if ctr.changed {
                            kills.push((i, KillWhy::Changed));
                            starts.push(i);
                        } else if ctr.probe(ProbeKind::Liveness).is_some()
                            && ctr.workers[2].result == Some(false)
                        {
                            kills.push((i, KillWhy::Liveness));
                            starts.push(i);
                        }
                    }
                }
            } else if let Some((code, _, _)) = ctr.exited() {
                if sidecar {
                    starts.push(i);
                } else if code != 0 {
                    if self.pod.restart_policy == RestartPolicy::Never {
                        return (false, true);
                    }
                    starts.push(i);
                } else if i == last {
                    initialized = true;
                } else {
                    starts.push(i + 1);
                }
            }
            previously = true;
        }
        if !previously && self.n_init > 0 {
            starts.push(0);
        }
        starts.reverse();
        starts.dedup();
        for (c, why) in kills {
            self.ops.push_back(Op::Kill { c, why });
            self.ops.push_back(Op::AwaitKills);
        }
        for c in starts {
            // An entry for an init container that is still running or already done is not started twice.
            if !self.cs[c].running()
                || self
                    .ops
                    .iter()
                    .any(|o| matches!(o, Op::Kill { c: k, .. } if *k == c))
            {
                self.ops.push_back(Op::Start(c));
            }
        }
        (initialized, false)
    }

    /// Runs queued operations until one has to wait.
    fn work(&mut self) {
        while !self.busy {
            let Some(op) = self.ops.pop_front() else {
                if std::mem::take(&mut self.sync_wanted) {
                    self.sync();
                    if self.ops.is_empty() {
                        break;
                    }
                    continue;
                }
                if self.sync_error {
                    self.sync_error = false;
                    let at = self.next_retry();
                    self.requeue_token += 1;
                    self.push(at, Timer::Requeue(self.requeue_token));
                }
                break;
            };
            match op {
                Op::CreateSandbox => {
                    self.sandbox += 1;
                    self.busy = true;
                    self.push(self.now + SANDBOX, Timer::WorkerResume);
                    self.ops.push_front(Op::Run(usize::MAX));
                }
                Op::Run(usize::MAX) => {
                    self.sandbox_ready = true;
                    self.pending_step(None, StepKind::SandboxReady);
                    // The relist reports the new sandbox like a started container (PLEG lists sandboxes
                    // too), so the pod worker syncs again about a second later.
                    self.request_sync(self.now + PLEG);
                }
                Op::Start(c) => self.start(c),
                Op::Run(c) => self.create_and_start(c),
                Op::Pulled(c) => {
                    let image = self.cs[c].image.clone();
                    let took = go_duration(PULL);
                    self.cevent(c, EventType::Normal, "Pulled", format!("Successfully pulled image \"{image}\" in {took} ({took} including waiting)"));
                    self.step(c, StepKind::Pulled { image });
                }
                Op::PostStartDone { c, inst, ok } => self.post_start_done(c, inst, ok),
                Op::Kill { c, why } => self.start_killer(c, why),
                Op::AwaitKills => {
                    if self.cs.iter().any(|c| c.killer.is_some()) {
                        self.busy = true;
                        self.ops.push_front(Op::AwaitKills);
                        // Resumed by the last killer that finishes.
                        return;
                    }
                }
                Op::PodKilled => self.pod_killed(),
            }
        }
    }

    fn next_retry(&self) -> Ms {
        if self.scenario.version.requeue_at_backoff_expiry() {
            // Retry exactly when the shortest pending back-off expires.
            let expiry = self
                .cs
                .iter()
                .filter_map(|c| {
                    let (_, _, at) = c.exited()?;
                    c.backoff.map(|b| at + b.backoff)
                })
                .filter(|t| *t > self.now)
                .min();
            expiry.unwrap_or(self.now + ERROR_REQUEUE)
        } else {
            self.now + ERROR_REQUEUE
        }
    }

    /// A start that failed before a container existed: the two Warning events, the Waiting reason the
    /// kubelet caches for the status, a `StartFailed` step, and a requeued sync.
    fn start_failed(&mut self, c: usize, event_reason: &str, reason: &'static str, msg: String) {
        self.cevent(c, EventType::Warning, event_reason, msg.clone());
        self.cevent(c, EventType::Warning, "Failed", format!("Error: {reason}"));
        self.cs[c].start_error = Some((reason.into(), msg.into()));
        self.step(c, StepKind::StartFailed { reason });
        self.sync_error = true;
    }

    /// `start()` in `SyncPod`: back-off check, then the image (spec §5.2).
    fn start(&mut self, c: usize) {
        if self.terminating {
            return;
        }
        // doBackOff: measured from the finish of the latest exited instance.
        let exited_at = match (
            self.cs[c].exited(),
            self.cs[c].running(),
            self.cs[c].prev_exit,
        ) {
            (Some((_, _, at)), _, _) => Some(at),
            (None, true, Some((_, _, at))) => Some(at),
            _ => None,
        };
        if let Some(ts) = exited_at {
            let name = self.name(c);
            let max = BACKOFF_MAX;
            let entry = self.cs[c]
                .backoff
                .filter(|b| ts.saturating_sub(b.last_update) <= Ms(max.0 * 2));
            if let Some(b) = entry {
                if self.now.saturating_sub(ts) < b.backoff {
                    let delay = go_duration(b.backoff);
                    let msg = format!(
                        "Back-off restarting failed container {name} in pod {}",
                        self.pod_ref
                    );
                    self.cevent(c, EventType::Warning, "BackOff", msg);
                    self.cs[c].start_error = Some((
                        "CrashLoopBackOff".into(),
                        format!(
                            "back-off {delay} restarting failed container={name} pod={}",
                            self.pod_ref
                        )
                        .into(),
                    ));
                    self.step(
                        c,
                        StepKind::BackOff {
                            delay: b.backoff,
                            reason: None,
                        },
                    );
                    self.sync_error = true;
                    return;
                }
                self.cs[c].backoff = Some(Backoff {
                    backoff: Ms((b.backoff.0 * 2).min(max.0)),
                    last_update: self.now,
                });
            } else {
                self.cs[c].backoff = Some(Backoff {
                    backoff: BACKOFF_INITIAL,
                    last_update: self.now,
                });
            }
        }
        let image = self.cs[c].image.clone();
        if !behavior::valid_image(&image) {
            let msg = format!("Failed to apply default image tag \"{image}\": couldn't parse image name \"{image}\": invalid reference format");
            self.start_failed(c, "InspectFailed", "InvalidImageName", msg);
            return;
        }
        let policy = self.cs[c]
            .spec
            .image_pull_policy
            .clone()
            .unwrap_or_else(|| {
                let tag = image
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .split_once(':')
                    .map(|(_, t)| t.to_string());
                if image.contains('@') || tag.is_some_and(|t| t != "latest") {
                    "IfNotPresent".into()
                } else {
                    "Always".into()
                }
            });
        let present = self.cs.iter().any(|x| x.image_pulled.contains(&image));
        if policy == "Never" && !present {
            let msg =
                format!("Container image \"{image}\" is not present with pull policy of Never");
            self.start_failed(c, "ErrImageNeverPull", "ErrImageNeverPull", msg);
            return;
        }
        if present && policy != "Always" {
            self.cevent(
                c,
                EventType::Normal,
                "Pulled",
                format!("Container image \"{image}\" already present on machine"),
            );
            self.ops.push_front(Op::Run(c));
            return;
        }
        // Image pull, with its own back-off (spec §5.2, last bullet).
        if let Some(b) = self.cs[c].pull_backoff {
            if self.now.saturating_sub(b.last_update) < b.backoff {
                self.cevent(
                    c,
                    EventType::Normal,
                    "BackOff",
                    format!("Back-off pulling image \"{image}\""),
                );
                self.cevent(
                    c,
                    EventType::Warning,
                    "Failed",
                    "Error: ImagePullBackOff".into(),
                );
                self.cs[c].start_error = Some((
                    "ImagePullBackOff".into(),
                    format!("Back-off pulling image \"{image}\"").into(),
                ));
                self.step(
                    c,
                    StepKind::BackOff {
                        delay: b.backoff,
                        reason: Some("ImagePullBackOff"),
                    },
                );
                self.sync_error = true;
                return;
            }
        }
        self.cevent(
            c,
            EventType::Normal,
            "Pulling",
            format!("Pulling image \"{image}\""),
        );
        self.step(
            c,
            StepKind::Pulling {
                image: image.clone(),
            },
        );
        if behavior::unpullable(&image) {
            let host = image
                .split('/')
                .next()
                .unwrap_or("")
                .split(':')
                .next()
                .unwrap_or("")
                .to_string();
            let msg = format!("Failed to pull image \"{image}\": failed to resolve reference \"{image}\": dial tcp: lookup {host}: no such host");
            self.cevent(c, EventType::Warning, "Failed", msg.clone());
            self.cevent(
                c,
                EventType::Warning,
                "Failed",
                "Error: ErrImagePull".into(),
            );
            self.cs[c].start_error = Some(("ErrImagePull".into(), msg.into()));
            let next = match self.cs[c].pull_backoff {
                Some(b) if self.now.saturating_sub(b.last_update) <= Ms(BACKOFF_MAX.0 * 2) => {
                    Ms((b.backoff.0 * 2).min(BACKOFF_MAX.0))
                }
                _ => BACKOFF_INITIAL,
            };
            self.cs[c].pull_backoff = Some(Backoff {
                backoff: next,
                last_update: self.now,
            });
            self.step(
                c,
                StepKind::PullFailed {
                    reason: "ErrImagePull",
                },
            );
            self.sync_error = true;
            return;
        }
        self.busy = true;
        self.push(self.now + PULL, Timer::WorkerResume);
        self.cs[c].image_pulled.insert(image.clone());
        self.ops.push_front(Op::Run(c));
        self.ops.push_front(Op::Pulled(c));
    }
}

// ----- containers: start, processes, hooks -----
impl Sim<'_> {
    fn create_and_start(&mut self, c: usize) {
        if self.terminating || self.finished {
            return;
        }
        let name = self.name(c);
        let attempt = self.cs[c].attempts + 1;
        let image = self.cs[c].image.clone();
        let (behavior, warning) = behavior::resolve(self.pod, &self.cs[c].spec, &image, attempt);
        if let Some(w) = warning {
            let note = format!("{name}: {w}");
            if !self.notes.contains(&note) {
                self.notes.push(note);
            }
        }
        self.cevent(
            c,
            EventType::Normal,
            "Created",
            format!("Created container: {name}"),
        );
        self.step(c, StepKind::Created);
        let ctr = &mut self.cs[c];
        if let Some(i) = &ctr.inst {
            if let RunState::Exited { code, reason, at } = i.state {
                ctr.prev_exit = Some((code, reason, at));
            }
        }
        ctr.attempts = attempt;
        ctr.start_error = None;
        ctr.changed = false;
        ctr.purged = false;
        let has_post_start = ctr.spec.post_start.is_some() || behavior.post_start.is_some();
        let exec = Exec::new(behavior.script.clone(), behavior.is_shell);
        let oom = behavior.oom_after;
        ctr.inst = Some(Inst {
            id: attempt,
            started: self.now,
            state: RunState::Running,
            visible: !has_post_start,
            exec,
            behavior,
            sandbox: self.sandbox,
        });
        // A new container ID: probe results start from their initial values (§3.2).
        ctr.workers[0].result = None;
        ctr.workers[1].result = Some(false);
        ctr.workers[2].result = Some(true);
        for w in &mut ctr.workers {
            w.on_hold = false;
            w.inst = Some(attempt);
        }
        self.cevent(
            c,
            EventType::Normal,
            "Started",
            format!("Started container {name}"),
        );
        let source = match &self.cs[c].inst.as_ref().map(|i| i.behavior.source.clone()) {
            Some(Source::Annotation) => "annotation".to_string(),
            Some(Source::Command) => "command".to_string(),
            Some(Source::Image(n)) => format!("image:{n}"),
            _ => "default".to_string(),
        };
        self.step(
            c,
            StepKind::Started {
                attempt,
                behavior: source,
            },
        );
        if let Some(after) = oom {
            self.push(self.now + after, Timer::Oom { c, inst: attempt });
        }
        self.resume_process(c, attempt);
        // postStart runs synchronously in this sync: nothing else starts until it returns (§4.1).
        if has_post_start && self.current_running(c, attempt) {
            let plan = self.hook_plan(c, true);
            self.step(c, StepKind::PostStartStarted);
            self.busy = true;
            self.push(self.now + plan.duration, Timer::WorkerResume);
            self.ops.push_front(Op::PostStartDone {
                c,
                inst: attempt,
                ok: plan.ok,
            });
        } else if has_post_start {
            // The process died at once: the hook has nothing to run in.
            if let Some(i) = self.cs[c].inst.as_mut() {
                i.visible = true;
            }
        }
        // The runtime reports the start; the pod worker sees it at the next relist.
        self.request_sync(self.now + PLEG);
    }

    fn post_start_done(&mut self, c: usize, inst: u32, ok: bool) {
        if let Some(i) = self.cs[c].inst.as_mut() {
            if i.id == inst {
                i.visible = true;
            }
        }
        if !self.current_running(c, inst) {
            return;
        }
        self.step(c, StepKind::PostStartFinished { ok });
        if !ok {
            self.cevent(
                c,
                EventType::Warning,
                "FailedPostStartHook",
                "PostStartHook failed".into(),
            );
            self.cs[c].start_error =
                Some(("PostStartHookError".into(), "PostStartHook failed".into()));
            self.ops.push_front(Op::AwaitKills);
            self.ops.push_front(Op::Kill {
                c,
                why: KillWhy::PostStart,
            });
            self.cs[c].start_error =
                Some(("PostStartHookError".into(), "PostStartHook failed".into()));
        }
    }

    /// How long a hook runs and whether it succeeds: the behaviour override, else its handler.
    fn hook_plan(&mut self, c: usize, post_start: bool) -> HookPlan {
        let ctr = &self.cs[c];
        let over = ctr.inst.as_ref().and_then(|i| {
            if post_start {
                i.behavior.post_start
            } else {
                i.behavior.pre_stop
            }
        });
        if let Some(p) = over {
            return p;
        }
        let handler = if post_start {
            ctr.spec.post_start.clone()
        } else {
            ctr.spec.pre_stop.clone()
        }
        .flatten();
        let serves = ctr.inst.as_ref().is_some_and(|i| i.behavior.serves) && ctr.running();
        match handler {
            Some(Handler::Sleep { seconds }) => HookPlan {
                duration: Ms::from_s(seconds.max(0) as u64),
                ok: true,
            },
            Some(Handler::Exec { command }) => {
                let (d, code) = run_command(
                    &self.cs[c],
                    c,
                    &command,
                    Ms::from_s(limits::MAX_HORIZON_S),
                    &mut self.files,
                );
                HookPlan {
                    duration: d,
                    ok: code == Some(0),
                }
            }
            Some(_) => HookPlan {
                duration: Ms::ZERO,
                ok: serves,
            },
            None => HookPlan {
                duration: Ms::ZERO,
                ok: true,
            },
        }
    }

    fn resume_process(&mut self, c: usize, inst: u32) {
        if !self.current_running(c, inst) {
            return;
        }
        let mounts = self.cs[c].spec.volume_mounts.clone();
        let Some(i) = self.cs[c].inst.as_mut() else {
            return;
        };
        let mut exec = std::mem::replace(&mut i.exec, Exec::new(Script::from_argv(&[]), false));
        let layer = format!("layer:{c}:{inst}");
        let mut view = FsView {
            files: &mut self.files,
            mounts: &mounts,
            layer,
        };
        let y = exec.resume(self.now, &mut view);
        if let Some(i) = self.cs[c].inst.as_mut() {
            i.exec = exec;
        }
        match y {
            Yield::Until(t) => self.push(t, Timer::Resume { c, inst }),
            Yield::Forever => {}
            Yield::Exit(code) => {
                let reason = if code == 0 { "Completed" } else { "Error" };
                self.exit(c, code, reason);
            }
        }
    }

    /// The current instance of `c` exits now.
    fn exit(&mut self, c: usize, code: i32, reason: &'static str) {
        let now = self.now;
        let Some(i) = self.cs[c].inst.as_mut() else {
            return;
        };
        if !matches!(i.state, RunState::Running) {
            return;
        }
        i.state = RunState::Exited {
            code,
            reason,
            at: now,
        };
        i.visible = true;
        self.last_exit_at = Some(now);
        self.step(c, StepKind::Exited { code, reason });
        // A killed container is done; sidecars waiting for their turn may go now.
        if self.cs[c].killer.take().is_some() {
            self.killer_finished();
        }
        if self.terminating || self.completing() {
            self.check_turns();
        }
        self.request_sync(now + PLEG);
    }

    fn completing(&self) -> bool {
        self.ops.iter().any(|o| matches!(o, Op::PodKilled))
    }
}

/// Runs an exec command inside container `c` to completion; files it touches change at once.
/// Returns how long it took and its exit code (`None` if it outlived `cap`).
fn run_command(
    ctr: &Ctr,
    c: usize,
    argv: &[String],
    cap: Ms,
    files: &mut Files,
) -> (Ms, Option<i32>) {
    let mut exec = Exec::new(command_script(argv), false);
    let layer = format!("layer:{c}:{}", ctr.inst.as_ref().map_or(0, |i| i.id));
    let mut view = FsView {
        files,
        mounts: &ctr.spec.volume_mounts,
        layer,
    };
    let mut t = Ms::ZERO;
    for _ in 0..1000 {
        match exec.resume(t, &mut view) {
            Yield::Exit(code) => return (t, Some(code)),
            Yield::Until(next) if next <= cap => t = next,
            _ => return (cap, None),
        }
    }
    (cap, None)
}

/// The numeric fields of a probe a tick needs.
struct ProbeNumbers {
    period_s: i64,
    initial_delay_s: i64,
    success_threshold: i64,
    failure_threshold: i64,
}

fn command_script(argv: &[String]) -> Script {
    let prog = argv
        .first()
        .map(|p| p.rsplit('/').next().unwrap_or(p))
        .unwrap_or("");
    if matches!(prog, "sh" | "bash" | "ash" | "dash") {
        if let Some(i) = argv.iter().position(|a| a == "-c") {
            if let Some(s) = argv.get(i + 1) {
                return Script::parse(s).unwrap_or_else(|_| Script::from_argv(&["false".into()]));
            }
        }
    }
    Script::from_argv(argv)
}

// ----- probes -----
impl Sim<'_> {
    fn create_workers(&mut self) {
        self.workers_created = true;
        for c in 0..self.cs.len() {
            for (k, kind) in [
                ProbeKind::Startup,
                ProbeKind::Readiness,
                ProbeKind::Liveness,
            ]
            .into_iter()
            .enumerate()
            {
                if self.cs[c].probe(kind).is_none() || self.cs[c].spec.kind == ContainerKind::Init {
                    continue;
                }
                let period =
                    Ms::from_s(self.cs[c].probe(kind).map_or(10, |p| p.period_s).max(1) as u64);
                // A worker created within one period of a kubelet start first sleeps a random fraction
                // of the period (§3.2); Podstep takes half of it, and the worker ignores manual
                // triggers until then.
                let first = match self.kubelet_started {
                    Some(up) if self.now.saturating_sub(up) < period => self.now + Ms(period.0 / 2),
                    _ => self.now,
                };
                let w = &mut self.cs[c].workers[k];
                w.active = true;
                w.gen += 1;
                w.run = 0;
                w.last = None;
                w.sleeping_until = first;
                let gen = w.gen;
                self.push(
                    first,
                    Timer::Probe {
                        c,
                        kind: k as u8,
                        gen,
                    },
                );
            }
        }
    }

    /// At every status generation a started container that is not ready gets an immediate readiness run,
    /// and its ticker restarts from there (§3.2).
    fn readiness_extra_runs(&mut self) {
        for c in 0..self.cs.len() {
            let ctr = &self.cs[c];
            if ctr.workers[1].active
                && ctr.started_api()
                && ctr.workers[1].result != Some(true)
                && self.now >= ctr.workers[1].sleeping_until
            {
                let w = &mut self.cs[c].workers[1];
                w.gen += 1;
                let gen = w.gen;
                self.probe_tick(c, 1, gen);
            }
        }
    }

    fn probe_tick(&mut self, c: usize, k: usize, gen: u32) {
        let kind = [
            ProbeKind::Startup,
            ProbeKind::Readiness,
            ProbeKind::Liveness,
        ][k];
        // Only the numbers: cloning the probe (its handler's strings) on every tick was a hot spot.
        let Some(spec) = self.cs[c].probe(kind).map(|p| ProbeNumbers {
            period_s: p.period_s,
            initial_delay_s: p.initial_delay_s,
            success_threshold: p.success_threshold,
            failure_threshold: p.failure_threshold,
        }) else {
            return;
        };
        {
            let w = &self.cs[c].workers[k];
            if !w.active || w.gen != gen || self.kubelet_down {
                return;
            }
        }
        self.push(
            self.now + Ms::from_s(spec.period_s.max(1) as u64),
            Timer::Probe {
                c,
                kind: k as u8,
                gen,
            },
        );
        let ctr = &self.cs[c];
        let Some(inst) = &ctr.inst else { return };
        if ctr.workers[k].on_hold || ctr.purged {
            return;
        }
        if !matches!(inst.state, RunState::Running) {
            // A probe of a container that is not running records Failure; for readiness the status
            // manager marks it not ready at once, before the next sync (§3.2).
            let w = &mut self.cs[c].workers[k];
            if w.result != Some(false) && k == 1 {
                w.result = Some(false);
                self.patch_status(c, ProbeKind::Readiness, false);
            }
            return;
        }
        if self.deletion.is_some() && kind != ProbeKind::Readiness {
            self.cs[c].workers[k].active = false;
            return;
        }
        let age = self.now - inst.started;
        if (age.whole_s() as i64) < spec.initial_delay_s {
            return;
        }
        let started = ctr.started_api();
        if (kind == ProbeKind::Startup) == started || !inst.visible {
            return;
        }
        let (ok, output) = self.evaluate_probe(c, kind);
        if !ok {
            self.step(c, StepKind::ProbeFailed { probe: kind });
            self.cevent(
                c,
                EventType::Warning,
                "Unhealthy",
                format!("{} probe failed: {output}", kind.title()),
            );
        }
        let w = &mut self.cs[c].workers[k];
        if w.last == Some(ok) {
            w.run += 1;
        } else {
            w.last = Some(ok);
            w.run = 1;
        }
        let threshold = if ok {
            spec.success_threshold.max(1)
        } else {
            spec.failure_threshold.max(1)
        } as u32;
        if w.run < threshold {
            return;
        }
        let changed = w.result != Some(ok);
        w.result = Some(ok);
        if kind != ProbeKind::Readiness && !ok {
            w.on_hold = true;
            w.run = 0;
        }
        if changed {
            // A changed result updates the status at once and triggers a sync.
            self.patch_status(c, kind, ok);
            self.request_sync(self.now);
        }
    }

    fn evaluate_probe(&mut self, c: usize, kind: ProbeKind) -> (bool, String) {
        evaluate(&self.cs[c], c, kind, self.now, &mut self.files)
    }

    fn evaluate_probe_pure(&self, c: usize, kind: ProbeKind) -> bool {
        // Exec probes may touch files; evaluate against a copy so that asking changes nothing (only
        // exec probes need one).
        let exec = matches!(
            self.cs[c].probe(kind).and_then(|p| p.handler.as_ref()),
            Some(Handler::Exec { .. })
        );
        let mut copy = if exec {
            self.files.clone()
        } else {
            StrSet::new()
        };
        evaluate(&self.cs[c], c, kind, self.now, &mut copy).0
    }
}

/// What a probe of `kind` would return now, and the output the kubelet would quote.
fn evaluate(ctr: &Ctr, c: usize, kind: ProbeKind, now: Ms, files: &mut Files) -> (bool, String) {
    let Some(inst) = &ctr.inst else {
        return (false, String::new());
    };
    if let Some(tl) = &inst.behavior.probes[probe_index(kind)] {
        if let Some(ok) = timeline_at(tl, now - inst.started) {
            // A scripted failure reads like the prober's own output for the handler: an HTTP error
            // status, a refused connection, a NOT_SERVING health check, or an exec with no output.
            let output = match ctr.probe(kind).and_then(|p| p.handler.as_ref()) {
                _ if ok => String::new(),
                Some(Handler::HttpGet { .. }) => "HTTP probe failed with statuscode: 500".into(),
                Some(Handler::TcpSocket { port }) => {
                    let port = port_text(port);
                    format!("dial tcp {POD_IP}:{port}: connect: connection refused")
                }
                Some(Handler::Grpc { .. }) => {
                    "service unhealthy (responded with \"NOT_SERVING\")".into()
                }
                _ => String::new(),
            };
            return (ok, output);
        }
    }
    let serves = inst.behavior.serves;
    let handler = ctr.probe(kind).and_then(|p| p.handler.as_ref());
    let timeout = ctr.probe(kind).map_or(1, |p| p.timeout_s.max(1)) as u64;
    // Most probe runs succeed: the failure output is only formatted when there is a failure to report.
    match handler {
        Some(Handler::Exec { command }) => {
            match run_command(ctr, c, command, Ms::from_s(timeout), files).1 {
                Some(0) => (true, String::new()),
                Some(_) => (false, exec_failure_output(command)),
                None => (
                    false,
                    format!("command \"{}\" timed out", command.join(" ")),
                ),
            }
        }
        Some(_) if serves => (true, String::new()),
        Some(Handler::HttpGet { path, port, scheme }) => {
            let port = port_text(port);
            let url = format!("{}://{POD_IP}:{port}{path}", scheme.to_ascii_lowercase());
            (
                false,
                format!("Get \"{url}\": dial tcp {POD_IP}:{port}: connect: connection refused"),
            )
        }
        Some(Handler::TcpSocket { port }) => {
            let port = port_text(port);
            (
                false,
                format!("dial tcp {POD_IP}:{port}: connect: connection refused"),
            )
        }
        Some(Handler::Grpc { port }) => (
            false,
            format!("timeout: failed to connect service \"{POD_IP}:{port}\" within 1s: context deadline exceeded"),
        ),
        _ => (true, String::new()),
    }
}

fn port_text(p: &crate::spec::Port) -> String {
    match p {
        crate::spec::Port::Number(n) => n.to_string(),
        crate::spec::Port::Name(n) => n.clone(),
    }
}

fn exec_failure_output(command: &[String]) -> String {
    let script = command.join(" ");
    for word in ["cat", "ls", "test -f", "[ -f"] {
        if let Some(i) = script.find(word) {
            let rest = script[i + word.len()..].trim_start();
            let path: String = rest
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != ']' && *c != ';')
                .collect();
            if !path.is_empty() {
                return match word {
                    "cat" => format!("cat: can't open '{path}': No such file or directory"),
                    "ls" => format!("ls: {path}: No such file or directory"),
                    _ => String::new(),
                };
            }
        }
    }
    String::new()
}
// ----- killing: single containers and the whole pod (§4.2, §10) -----
impl Sim<'_> {
    fn start_killer(&mut self, c: usize, why: KillWhy) {
        let Some(inst) = self.cs[c]
            .inst
            .as_ref()
            .filter(|i| matches!(i.state, RunState::Running))
            .map(|i| i.id)
        else {
            return;
        };
        if self.cs[c].killer.is_some() {
            return;
        }
        let ctr = &self.cs[c];
        let name = ctr.spec.name.clone();
        let sidecar = ctr.spec.kind == ContainerKind::Sidecar;
        // Per-container grace (§10.2 step 1).
        let grace = if self.deletion.is_some() {
            self.pod_grace
        } else {
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
        };
        let restart = self.pod.restart_policy != RestartPolicy::Never;
        let message = match why {
            KillWhy::Pod => format!("Stopping container {name}"),
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
            KillWhy::Pod => KillReason::Stopping,
            KillWhy::Liveness => KillReason::LivenessProbe,
            KillWhy::Startup => KillReason::StartupProbe,
            KillWhy::Changed => KillReason::DefinitionChanged,
            KillWhy::PostStart => KillReason::FailedPostStartHook,
        };
        self.step(c, StepKind::Killing { reason, grace });
        self.killer_seq += 1;
        self.cs[c].killer = Some(Killer {
            id: self.killer_seq,
            inst,
            grace,
            stage: 0,
            since: self.now,
            pre_stop_until: None,
            pre_stop_in_time: true,
            waiting_turn: None,
            term_sent: false,
            kill_at: None,
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
                k.pre_stop_until = Some(until);
                k.pre_stop_in_time = plan.duration <= grace;
                k.stage = 1;
            }
            if !plan.ok {
                // The hook's failure is only a warning; termination goes on (§4.2).
                self.pending_prestop_failures.push((c, until));
            }
            let id = self.killer_seq;
            self.push(
                until,
                Timer::Killer {
                    c,
                    inst,
                    id,
                    stage: 1,
                },
            );
        } else {
            self.after_pre_stop(c);
        }
    }

    fn killer_step(&mut self, c: usize, inst: u32, id: u32, stage: u32) {
        let Some(k) = self.cs[c].killer.as_ref() else {
            return;
        };
        if k.inst != inst || k.id != id || k.stage != stage {
            return;
        }
        match stage {
            1 => {
                let ok = !self.pending_prestop_failures.iter().any(|(x, _)| *x == c);
                self.pending_prestop_failures.retain(|(x, _)| *x != c);
                if k.pre_stop_in_time {
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
            2 => {
                // The grace period ran out while this sidecar waited for its turn.
                self.send_term(c);
            }
            3 if self.current_running(c, inst) => {
                self.step(
                    c,
                    StepKind::Signal {
                        signal: Signal::Kill,
                    },
                );
                self.exit(c, 137, "Error");
            }
            _ => {}
        }
    }

    fn after_pre_stop(&mut self, c: usize) {
        let now = self.now;
        let pod_kill = self.deletion.is_some() || self.completing() || self.terminating;
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
            k.waiting_turn = Some(now);
            k.stage = 2;
            let (inst, id, deadline) = (k.inst, k.id, now + k.grace);
            if self.sidecar_turn(c) {
                self.send_term(c);
            } else {
                self.step(c, StepKind::WaitingForTurn);
                self.push(
                    deadline,
                    Timer::Killer {
                        c,
                        inst,
                        id,
                        stage: 2,
                    },
                );
            }
        } else {
            self.send_term(c);
        }
    }

    /// A sidecar may stop once every regular container and every later sidecar has exited (§10.3).
    fn sidecar_turn(&self, c: usize) -> bool {
        (self.n_init..self.cs.len()).all(|a| !self.cs[a].running())
            && (c + 1..self.n_init)
                .all(|s| self.cs[s].spec.kind != ContainerKind::Sidecar || !self.cs[s].running())
    }

    fn check_turns(&mut self) {
        for c in 0..self.n_init {
            let waiting = self.cs[c]
                .killer
                .as_ref()
                .is_some_and(|k| k.waiting_turn.is_some() && !k.term_sent && k.stage == 2);
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
        if k.term_sent {
            return;
        }
        if let Some(since) = k.waiting_turn {
            // Time spent waiting also comes off, in whole seconds (§10.2 step 3).
            k.grace = k.grace.saturating_sub(Ms::from_s((now - since).whole_s()));
        }
        // `minimumGracePeriodInSeconds` (§10.2 step 4).
        k.grace = k.grace.max(MIN_GRACE);
        k.term_sent = true;
        k.stage = 3;
        let kill_at = now + k.grace;
        k.kill_at = Some(kill_at);
        let (inst, id) = (k.inst, k.id);
        self.step(
            c,
            StepKind::Signal {
                signal: Signal::Term,
            },
        );
        self.push(
            kill_at,
            Timer::Killer {
                c,
                inst,
                id,
                stage: 3,
            },
        );
        let act = self.cs[c].inst.as_mut().is_some_and(|i| i.exec.term(now));
        if act {
            self.resume_process(c, inst);
        }
    }

    fn killer_finished(&mut self) {
        if self.cs.iter().all(|c| c.killer.is_none())
            && matches!(self.ops.front(), Some(Op::AwaitKills))
            && self.busy
        {
            self.ops.pop_front();
            self.busy = false;
            self.work();
        }
    }

    /// Kills every running container: deletion (`deleting`), or a whole-pod kill inside a sync.
    fn kill_pod(&mut self, deleting: bool) {
        if !deleting {
            let reason = if (0..self.n_init).any(|c| {
                self.cs[c].spec.kind == ContainerKind::Init
                    && matches!(self.cs[c].exited(), Some((code, _, _)) if code != 0)
            }) {
                KillPodReason::InitFailed
            } else {
                KillPodReason::Completed
            };
            self.pending_step(None, StepKind::KillPod { reason });
        }
        self.ops.clear();
        self.ops.push_back(Op::AwaitKills);
        self.ops.push_back(Op::PodKilled);
        for c in 0..self.cs.len() {
            if self.cs[c].running() {
                self.start_killer(c, KillWhy::Pod);
            }
        }
        self.check_turns();
        if self.cs.iter().all(|c| c.killer.is_none()) {
            self.ops.pop_front();
            self.work();
        } else {
            self.busy = true;
        }
    }

    fn pod_killed(&mut self) {
        self.sandbox_ready = false;
        self.pod_is_terminal = true;
        self.finished = true;
        // The final status: generated once the containers are stopped, then `TerminatePod`.
        self.generate_status();
        self.pending_step(None, StepKind::SandboxStopped);
    }

    // ----- actions -----

    /// The kubelet process stops (a restart or a reboot): its pod worker forgets what it was doing and
    /// the back-off state it kept in memory. False when it is already down or the pod is finished.
    fn kubelet_goes_down(&mut self) -> bool {
        if self.kubelet_down || self.finished {
            return false;
        }
        self.kubelet_down = true;
        self.ops.clear();
        self.busy = false;
        self.sync_wanted = false;
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
            self.notes
                .push(format!("action {i}: no container named {}", quote(name)));
        }
        found
    }

    fn action(&mut self, i: usize) {
        let action = self.scenario.actions[i].1.clone();
        self.pending_step(
            None,
            StepKind::Action {
                action: action.to_string(),
            },
        );
        match action {
            Action::Delete { grace_s } => {
                if self.finished {
                    return;
                }
                let spec = self.pod.termination_grace_period_s.max(0);
                // Grace can only shrink; 0 (force) becomes 1 s in current kubelets (§10.2, §14).
                let g = grace_s.map_or(spec, |g| g.max(0).min(spec.max(g.max(0))));
                let g = g.clamp(1, limits::MAX_SECONDS_FIELD);
                if self.deletion.is_some() {
                    // A second delete can only shorten the grace period (`calculateEffectiveGracePeriod`);
                    // a shorter one cancels the kill in progress and the pod worker runs it again with the
                    // new grace: a new Killing, preStop again, SIGTERM, and SIGKILL at the new deadline.
                    if Ms::from_s(g as u64) >= self.pod_grace {
                        return;
                    }
                    self.pod_grace = Ms::from_s(g as u64);
                    self.pending_step(None, StepKind::DeletionRequested { grace_s: g });
                    for c in 0..self.cs.len() {
                        if self.cs[c].running() {
                            self.cs[c].killer = None;
                        }
                    }
                    self.busy = false;
                    self.kill_pod(true);
                    return;
                }
                self.pod_grace = Ms::from_s(g as u64);
                self.deletion = Some(self.now);
                self.terminating = true;
                self.pending_step(None, StepKind::DeletionRequested { grace_s: g });
                // The in-flight sync is cancelled; liveness and startup workers stop (§3.2).
                self.ops.clear();
                self.busy = false;
                self.sync_wanted = false;
                for c in &mut self.cs {
                    c.workers[0].active = false;
                    c.workers[2].active = false;
                    c.workers[0].result = None;
                    c.workers[2].result = None;
                }
                // `SyncTerminatingPod` generates the status before it kills anything.
                self.generate_status();
                self.observe();
                self.kill_pod(true);
            }
            Action::SetImage { container, image } => {
                if let Some(c) = self.container_for(i, &container) {
                    self.cs[c].image = image;
                    self.cs[c].pull_backoff = None;
                    if self.cs[c].running() && !self.terminating {
                        self.cs[c].changed = true;
                    }
                    self.request_sync(self.now);
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
                    for (k, w) in c.workers.iter_mut().enumerate() {
                        w.active = false;
                        if reset && c.inst.is_some() {
                            w.result = match k {
                                0 => None,
                                1 => Some(false),
                                _ => Some(true),
                            };
                        }
                    }
                }
                self.workers_created = false;
                self.push(self.now + KUBELET_DOWN, Timer::KubeletUp);
            }
            Action::NodeReboot => {
                if !self.kubelet_goes_down() {
                    return;
                }
                let now = self.now;
                let mut died = Vec::new();
                for (idx, c) in self.cs.iter_mut().enumerate() {
                    c.killer = None;
                    for w in &mut c.workers {
                        w.active = false;
                        w.result = None;
                    }
                    if let Some(i) = c.inst.as_mut() {
                        if matches!(i.state, RunState::Running) {
                            // After the reboot the runtime reports them exited 255, reason Unknown.
                            i.state = RunState::Exited {
                                code: 255,
                                reason: "Unknown",
                                at: now,
                            };
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
                self.files.clear();
                self.sandbox_ready = false;
                self.workers_created = false;
                self.push(now + NODE_DOWN, Timer::KubeletUp);
            }
        }
    }
}

// ----- the API view -----
impl Sim<'_> {
    fn api(&self, c: usize) -> Cs {
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
        let prev = ctr
            .prev_exit
            .map(|(code, reason, _)| (code, Text::from(reason)));
        let prev_at = ctr.prev_exit.map(|(_, _, at)| at);
        let (state, last, last_at) = match &ctr.inst {
            _ if !ctr.has_status() => {
                let (r, m) = ctr
                    .start_error
                    .clone()
                    .unwrap_or((Text::from(default_reason), Text::from("")));
                let last = ctr.inst.as_ref().and_then(|i| match i.state {
                    RunState::Exited { code, reason, at } => Some(((code, Text::from(reason)), at)),
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
                RunState::Exited { code, reason, at } => {
                    let policy_restarts = match self.pod.restart_policy {
                        RestartPolicy::Always => true,
                        RestartPolicy::OnFailure => code != 0,
                        RestartPolicy::Never => false,
                    };
                    let quirk = ctr.spec.is_init() && code == 0;
                    match &ctr.start_error {
                        Some((r, m)) if self.deletion.is_none() && policy_restarts && !quirk => (
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
                    RunState::Exited { at, .. } => Some(at),
                    RunState::Running => None,
                },
            ),
            _ => (None, None),
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
            has_record: ctr.has_status(),
            in_current_sandbox: ctr.has_status()
                && ctr
                    .inst
                    .as_ref()
                    .is_some_and(|i| i.sandbox == self.sandbox && self.sandbox_ready),
        };
        cs
    }

    fn statuses(&self) -> (Vec<Cs>, Vec<Cs>) {
        let mut init = Vec::with_capacity(self.n_init);
        let mut app = Vec::with_capacity(self.cs.len() - self.n_init);
        for c in 0..self.cs.len() {
            let cs = self.api(c);
            if c < self.n_init {
                init.push(cs);
            } else {
                app.push(cs);
            }
        }
        if self.finished {
            terminate_pod(&mut init, &mut app);
        }
        (init, app)
    }

    fn snapshot<'s>(&'s self, init: &'s [Cs], app: &'s [Cs]) -> Snapshot<'s> {
        Snapshot {
            init,
            app,
            restart_policy: self.pod.restart_policy,
            // The pod worker is finishing the pod from the moment it is deleted (§6 `podIsTerminal`).
            pod_is_terminal: self.pod_is_terminal || self.deletion.is_some(),
            deleting: self.deletion.is_some(),
            sandbox_ready: self.sandbox_ready,
            readiness_gates: &self.pod.readiness_gates,
            app_by_name: &self.app_by_name,
            messages: false,
            ready_to_start_condition: self.scenario.version.ready_to_start_condition(),
        }
    }

    /// `generateAPIPodStatus`: the status manager's copy of the pod status, from the runtime now.
    fn generate_status(&mut self) {
        let (init, app) = self.statuses();
        let ids = self
            .cs
            .iter()
            .map(|c| c.inst.as_ref().filter(|_| c.has_status()).map(|i| i.id))
            .collect();
        let snap = self.snapshot(&init, &app);
        let phase = match status::phase(&snap) {
            // A terminal phase never changes again (§6 post-processing).
            _ if self.api.phase.terminal() => self.api.phase,
            // `TerminatePod` forces a pod the kubelet has finished out of Pending/Running.
            p if self.finished && !p.terminal() => Phase::Failed,
            p => p,
        };
        let conds = status::conditions(&snap, phase);
        self.api = Api {
            init,
            app,
            ids,
            phase,
            conds,
        };
        self.api_version += 1;
    }

    /// A probe result changed: the prober updates the cached status at once (`SetContainerReadiness`,
    /// `SetContainerStartup`), without waiting for a sync; readiness also refreshes `ContainersReady`
    /// and `Ready`. A status that does not yet describe the probed instance is left alone.
    fn patch_status(&mut self, c: usize, kind: ProbeKind, ok: bool) {
        let inst = self.cs[c].inst.as_ref().map(|i| i.id);
        if inst.is_none() || self.api.ids.get(c).copied().flatten() != inst {
            return;
        }
        match kind {
            ProbeKind::Startup => {
                self.api.status_mut(c).started = ok;
                self.api_version += 1;
            }
            ProbeKind::Readiness => {
                self.api.status_mut(c).ready = ok;
                let snap = self.snapshot(&self.api.init, &self.api.app);
                let fresh = status::conditions(&snap, self.api.phase);
                for cond in &mut self.api.conds {
                    if matches!(cond.kind, "Ready" | "ContainersReady") {
                        if let Some(f) = fresh.iter().find(|f| f.kind == cond.kind) {
                            *cond = f.clone();
                        }
                    }
                }
                self.api_version += 1;
            }
            ProbeKind::Liveness => {}
        }
    }

    /// `printPod` over the API status, now (RESTARTS ages move with time). The columns are computed
    /// once per status; only the age is rendered per step.
    fn kubectl(&mut self) -> Kubectl {
        // Deletion shows as `Terminating` before any new status is written.
        let key = (self.api_version, self.deletion.is_some());
        let row = match &self.row_cache {
            Some((k, row)) if *k == key => row.clone(),
            _ => {
                let snap = self.snapshot(&self.api.init, &self.api.app);
                let row = status::row(&snap, self.api.phase, &self.api.conds);
                self.row_cache = Some((key, row.clone()));
                row
            }
        };
        Kubectl {
            restarts: row.restarts_text(self.now),
            ready: row.ready,
            status: row.status,
        }
    }

    /// The steps a new status implies (started/ready flips, condition flips, a new phase), and the
    /// status remembered for the next comparison.
    fn status_changes(&mut self) -> Vec<(Option<usize>, StepKind)> {
        let mut derived: Vec<(Option<usize>, StepKind)> = Vec::new();
        let api = &self.api;
        let n = api.init.len() + api.app.len();
        let mut seen = self.seen.take().unwrap_or_else(|| Seen {
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
        self.seen = Some(seen);
        derived
    }

    /// Stamps pending steps with the API status and `kubectl` row, after adding the steps its changes
    /// imply (§6, §7, §9).
    fn observe(&mut self) {
        self.observing = true;
        // Only a changed status can imply new steps; most steps leave it as it was.
        if self.seen_version != self.api_version {
            self.seen_version = self.api_version;
            self.record_statuses();
            let derived = self.status_changes();
            for (c, kind) in derived {
                self.pending_step(c, kind);
            }
        }
        self.observing = false;
        // Nothing to stamp and a row already shown for this status: most events (probe runs that
        // change nothing) end here without building the row.
        let key = (self.api_version, self.deletion.is_some());
        if self.pending.is_empty() && self.row_shown == Some(key) {
            return;
        }
        self.row_shown = Some(key);
        let kubectl = self.kubectl();
        // Every change of the `kubectl get pod` row is visible as a step (`kubectl get -w` prints a
        // line per change); RESTARTS' "(… ago)" moving with time is not a change.
        let row = |k: &Kubectl| {
            let restarts = k.restarts.split(' ').next().unwrap_or("").to_string();
            (k.ready.clone(), k.status.clone(), restarts)
        };
        if self.pending.is_empty() && self.last_row.as_ref() != Some(&row(&kubectl)) {
            self.pending.push((None, StepKind::StatusChanged));
        }
        if self.pending.is_empty() {
            return;
        }
        self.last_row = Some(row(&kubectl));
        let (t, phase) = (self.now, self.api.phase);
        for (container, kind) in self.pending.drain(..) {
            self.steps.push(Step {
                t,
                container,
                kind,
                phase,
                kubectl: kubectl.clone(),
            });
        }
    }

    /// Lists the container statuses that changed since last written, effective from the next step.
    fn record_statuses(&mut self) {
        let n = self.api.init.len() + self.api.app.len();
        if self.emitted.len() != n {
            self.emitted = vec![None; n];
        }
        let step = self.steps.len();
        let mut changed = Vec::new();
        for (c, cs) in self.api.init.iter().chain(self.api.app.iter()).enumerate() {
            // The image is part of the status too (`set-image` changes it before anything else does).
            let same = self.emitted[c]
                .as_ref()
                .is_some_and(|(e, image)| e == cs && *image == self.cs[c].image);
            if !same {
                changed.push((c, cs.clone()));
            }
        }
        for (c, cs) in changed {
            let status = self.api_status(c, &cs);
            self.status_changes
                .push(trace::StatusChange { step, status });
            self.emitted[c] = Some((cs, self.cs[c].image.clone()));
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
        trace::ContainerStatus {
            name: cs.name.to_string(),
            image: ctr.image.clone(),
            ready: cs.ready,
            started: cs.started,
            restart_count: cs.restarts,
            state,
            last_state,
        }
    }

    fn finish(mut self, why: EndReason) -> Trace {
        self.observe();
        // An image changed after the last status write still belongs in the last listed status.
        self.record_statuses();
        let kubectl = self.kubectl();
        let Api {
            init,
            app,
            phase,
            mut conds,
            ..
        } = self.api.clone();
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
        let requests = super::trace::Requests::from_unsorted(
            crate::resources::effective(self.pod)
                .requests
                .into_iter()
                .map(|(k, q)| (k, q.to_string()))
                .collect(),
        );
        let final_state = Final {
            phase: phase.as_str().into(),
            kubectl,
            conditions: conds
                .iter()
                .map(|c| trace::Condition {
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
        Trace {
            pod: self.pod.name.clone(),
            end: trace::End {
                t: self.now.as_secs_f64(),
                why,
            },
            steps: self.steps,
            final_state,
            events: self.events,
            status_changes: self.status_changes,
            notes: self.notes,
            events_handled: self.events_handled,
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
