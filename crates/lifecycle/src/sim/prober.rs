//! The prober: one worker per container and probe kind (startup, readiness, liveness), each ticking
//! every `periodSeconds`, counting successes and failures against the thresholds, and publishing a
//! result that the status manager patches into the status at once (§3.2). A result that changes
//! triggers a sync; the pod worker acts on it.

use super::behavior::{probe_index, timeline_at};
use super::container::RunState;
use super::kubelet::Sim;
use super::pod_env::{around, Around, POD_IP};
use super::runtime::{run_command, Files};
use super::time::Ms;
use super::timers::Timer;
use super::trace::{EventType, StepKind};
use crate::spec::{Container, ContainerKind, Handler, Port, ProbeKind};
use std::ops::{Index, IndexMut};

/// One value per probe kind, indexed by [`ProbeKind`].
#[derive(Clone, Debug, Default)]
pub(super) struct Probes<T>([T; 3]);

impl<T> Probes<T> {
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (ProbeKind, &mut T)> {
        PROBE_KINDS.into_iter().zip(self.0.iter_mut())
    }
}

impl<T> Index<ProbeKind> for Probes<T> {
    type Output = T;
    fn index(&self, k: ProbeKind) -> &T {
        &self.0[probe_index(k)]
    }
}

impl<T> IndexMut<ProbeKind> for Probes<T> {
    fn index_mut(&mut self, k: ProbeKind) -> &mut T {
        &mut self.0[probe_index(k)]
    }
}

pub(super) const PROBE_KINDS: [ProbeKind; 3] = [
    ProbeKind::Startup,
    ProbeKind::Readiness,
    ProbeKind::Liveness,
];

/// A probe worker (`prober.worker`).
#[derive(Clone, Debug, Default)]
pub(super) struct Worker {
    pub active: bool,
    /// Bumped when the worker is re-created or its ticker restarts: older ticks are stale.
    pub gen: u32,
    /// Published result: `None` is Unknown.
    pub result: Option<bool>,
    /// The last run's outcome and how many runs in a row had it.
    last: Option<bool>,
    run: u32,
    /// A startup or liveness worker that published Failure waits for the container to restart.
    pub on_hold: bool,
    /// The worker's initial sleep after a kubelet start ends at this time.
    sleeping_until: Ms,
}

impl Worker {
    /// A new container ID: the result starts from its initial value (§3.2) and a held worker resumes.
    pub fn reset_for_new_container(&mut self, kind: ProbeKind) {
        self.result = initial_result(kind);
        self.on_hold = false;
    }
}

/// The result a worker publishes before its first run: startup Unknown, readiness Failure, liveness
/// Success.
pub(super) fn initial_result(kind: ProbeKind) -> Option<bool> {
    match kind {
        ProbeKind::Startup => None,
        ProbeKind::Readiness => Some(false),
        ProbeKind::Liveness => Some(true),
    }
}

/// The numeric fields of a probe a tick needs.
struct ProbeNumbers {
    period_s: i64,
    initial_delay_s: i64,
    success_threshold: i64,
    failure_threshold: i64,
}

impl Sim<'_> {
    /// The kubelet creates a worker for every probe of every regular container and sidecar.
    pub(super) fn create_workers(&mut self) {
        self.worker.probes_created = true;
        for c in 0..self.cs.len() {
            for kind in PROBE_KINDS {
                if self.cs[c].probe(kind).is_none() || self.cs[c].spec.kind == ContainerKind::Init {
                    continue;
                }
                let period =
                    Ms::from_s(self.cs[c].probe(kind).map_or(10, |p| p.period_s).max(1) as u64);
                // A worker created within one period of a kubelet start first sleeps a random fraction
                // of the period (§3.2); Podstep takes half of it, and the worker ignores manual
                // triggers until then.
                let first = match self.kubelet.restarted_at() {
                    Some(up) if self.now.saturating_sub(up) < period => self.now + Ms(period.0 / 2),
                    _ => self.now,
                };
                let w = &mut self.cs[c].probes[kind];
                w.active = true;
                w.gen += 1;
                w.run = 0;
                w.last = None;
                w.sleeping_until = first;
                let gen = w.gen;
                self.timers.push(first, Timer::Probe { c, kind, gen });
            }
        }
    }

    /// At every status generation a started container that is not ready gets an immediate readiness run,
    /// and its ticker restarts from there (§3.2).
    pub(super) fn readiness_extra_runs(&mut self) {
        for c in 0..self.cs.len() {
            let ctr = &self.cs[c];
            let w = &ctr.probes[ProbeKind::Readiness];
            if w.active
                && ctr.started_api()
                && w.result != Some(true)
                && self.now >= w.sleeping_until
            {
                let w = &mut self.cs[c].probes[ProbeKind::Readiness];
                w.gen += 1;
                let gen = w.gen;
                self.probe_tick(c, ProbeKind::Readiness, gen);
            }
        }
    }

    /// Whether a probe tick's timer belongs to the worker as it is now.
    pub(super) fn probe_tick_current(&self, c: usize, kind: ProbeKind, gen: u32) -> bool {
        let w = &self.cs[c].probes[kind];
        w.active && w.gen == gen && !self.kubelet.is_down()
    }

    /// One run of the worker, and its next tick queued. The caller has made sure the tick is the
    /// worker's current one: the run loop drops stale timers (`Sim::is_stale`), and
    /// `readiness_extra_runs` starts a new generation of an active worker.
    pub(super) fn probe_tick(&mut self, c: usize, kind: ProbeKind, gen: u32) {
        // Only the numbers: cloning the probe (its handler's strings) on every tick was a hot spot.
        let Some(spec) = self.cs[c].probe(kind).map(|p| ProbeNumbers {
            period_s: p.period_s,
            initial_delay_s: p.initial_delay_s,
            success_threshold: p.success_threshold,
            failure_threshold: p.failure_threshold,
        }) else {
            return;
        };
        self.timers.push(
            self.now + Ms::from_s(spec.period_s.max(1) as u64),
            Timer::Probe { c, kind, gen },
        );
        let ctr = &self.cs[c];
        let Some(inst) = &ctr.inst else { return };
        if ctr.probes[kind].on_hold || ctr.purged {
            return;
        }
        if !matches!(inst.state, RunState::Running) {
            // A probe of a container that is not running records Failure; for readiness the status
            // manager marks it not ready at once, before the next sync (§3.2).
            let w = &mut self.cs[c].probes[kind];
            if w.result != Some(false) && kind == ProbeKind::Readiness {
                w.result = Some(false);
                self.patch_status(c, ProbeKind::Readiness, false);
            }
            return;
        }
        if self.worker.deleting() && kind != ProbeKind::Readiness {
            self.cs[c].probes[kind].active = false;
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
        let around = around!(self, None, c);
        let ok = match evaluate(around, c, kind, &mut self.runtime.files) {
            Outcome::Success => true,
            Outcome::Failure(output) => {
                self.step(c, StepKind::ProbeFailed { probe: kind });
                self.cevent(
                    c,
                    EventType::Warning,
                    "Unhealthy",
                    format!("{} probe failed: {output}", kind.title()),
                );
                false
            }
            Outcome::Error(e) => {
                // `prober.probe` reports the error; the worker throws the result away.
                self.cevent(
                    c,
                    EventType::Warning,
                    "Unhealthy",
                    format!(
                        "{} probe errored and resulted in unknown state: {e}",
                        kind.title()
                    ),
                );
                return;
            }
        };
        let w = &mut self.cs[c].probes[kind];
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
            self.timers.request_sync(self.now);
        }
    }

    /// Whether a pending tick of this worker could change anything (see `Sim::is_steady`).
    pub(super) fn probe_tick_matters(&self, c: usize, kind: ProbeKind, gen: u32) -> bool {
        let ctr = &self.cs[c];
        let w = &ctr.probes[kind];
        if w.gen != gen || !w.active || w.on_hold || !ctr.running() {
            return false;
        }
        let gated = match kind {
            ProbeKind::Startup => ctr.started_api(),
            _ => !ctr.started_api(),
        };
        if gated {
            return false;
        }
        let Some(inst) = &ctr.inst else { return false };
        if let Some(tl) = &inst.behavior.probes[probe_index(kind)] {
            if tl.iter().any(|(from, _)| inst.started + *from > self.now) {
                return true;
            }
        }
        // Exec probes may touch files; evaluate against a copy so that asking changes nothing (only
        // exec probes need one).
        let exec = matches!(
            ctr.probe(kind).and_then(|p| p.handler.as_ref()),
            Some(Handler::Exec { .. })
        );
        let mut copy = if exec {
            self.runtime.files.clone()
        } else {
            Files::default()
        };
        let around = around!(self, None, c);
        let port = match ctr.probe(kind).and_then(|p| p.handler.as_ref()) {
            Some(Handler::HttpGet { port, .. } | Handler::TcpSocket { port }) => {
                resolve_port(&ctr.spec, port).ok()
            }
            _ => None,
        };
        if port.is_some_and(|p| around.probe_changes(p)) {
            return true;
        }
        match evaluate(around, c, kind, &mut copy) {
            // An erroring probe keeps emitting its Warning but changes nothing.
            Outcome::Error(_) => false,
            o => w.result != Some(o == Outcome::Success),
        }
    }
}

/// What one probe run gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Outcome {
    Success,
    /// Failure, with the output the kubelet quotes in its `Unhealthy` event.
    Failure(String),
    /// The prober could not run it (a named port the container does not declare): the result is
    /// thrown away, with a Warning event.
    Error(String),
}

/// The port a probe or hook names: a number, or the name of one of the container's `ports`
/// (`findPortByName`, then the kubelet's last try, parsing the name as a number).
pub(super) fn resolve_port(c: &Container, port: &Port) -> Result<u16, String> {
    match port {
        Port::Number(n) => u16::try_from(*n).map_err(|_| format!("invalid port number: {n}")),
        Port::Name(name) => c
            .ports
            .iter()
            .find(|p| p.name.as_deref() == Some(name.as_str()))
            .map(|p| p.container_port)
            .or_else(|| name.parse().ok())
            .and_then(|n| u16::try_from(n).ok())
            .ok_or_else(|| {
                format!(
                    "strconv.Atoi: parsing {}: invalid syntax",
                    crate::quote::quote(name)
                )
            }),
    }
}

/// What a probe of `kind` would return now.
fn evaluate(around: Around<'_>, c: usize, kind: ProbeKind, files: &mut Files) -> Outcome {
    let ctr = &around.cs[c];
    let now = around.now;
    let Some(inst) = &ctr.inst else {
        return Outcome::Failure(String::new());
    };
    if let Some(tl) = &inst.behavior.probes[probe_index(kind)] {
        if let Some(ok) = timeline_at(tl, now - inst.started) {
            // A scripted failure reads like the prober's own output for the handler: an HTTP error
            // status, a refused connection, a NOT_SERVING health check, or an exec with no output.
            if ok {
                return Outcome::Success;
            }
            return Outcome::Failure(match ctr.probe(kind).and_then(|p| p.handler.as_ref()) {
                Some(Handler::HttpGet { .. }) => "HTTP probe failed with statuscode: 500".into(),
                Some(Handler::TcpSocket { port }) => {
                    let port = port_text(port);
                    format!("dial tcp {POD_IP}:{port}: connect: connection refused")
                }
                Some(Handler::Grpc { .. }) => {
                    "service unhealthy (responded with \"NOT_SERVING\")".into()
                }
                _ => String::new(),
            });
        }
    }
    let handler = ctr.probe(kind).and_then(|p| p.handler.as_ref());
    let timeout = ctr.probe(kind).map_or(1, |p| p.timeout_s.max(1)) as u64;
    // Most probe runs succeed: the failure output is only formatted when there is a failure to report.
    match handler {
        Some(Handler::Exec { command }) => {
            match run_command(around, c, command, Ms::from_s(timeout), files).1 {
                Some(0) => Outcome::Success,
                Some(_) => Outcome::Failure(exec_failure_output(command)),
                None => Outcome::Failure(format!(
                    "command \"{}\" timed out",
                    command.join(" ")
                )),
            }
        }
        Some(Handler::HttpGet { path, port, scheme }) => {
            let port = match resolve_port(&ctr.spec, port) {
                Ok(p) => p,
                Err(e) => return Outcome::Error(e),
            };
            let refused = || {
                let url = format!("{}://{POD_IP}:{port}{path}", scheme.to_ascii_lowercase());
                format!("Get \"{url}\": dial tcp {POD_IP}:{port}: connect: connection refused")
            };
            match around.probe(port, Some(path)) {
                Ok(Some(code)) if (200..400).contains(&code) => Outcome::Success,
                Ok(Some(code)) => {
                    Outcome::Failure(format!("HTTP probe failed with statuscode: {code}"))
                }
                Ok(None) => {
                    let url = format!("{}://{POD_IP}:{port}{path}", scheme.to_ascii_lowercase());
                    Outcome::Failure(format!("Get \"{url}\": read tcp {POD_IP}:34567->{POD_IP}:{port}: read: connection reset by peer"))
                }
                Err(_) => Outcome::Failure(refused()),
            }
        }
        Some(Handler::TcpSocket { port }) => {
            let port = match resolve_port(&ctr.spec, port) {
                Ok(p) => p,
                Err(e) => return Outcome::Error(e),
            };
            match around.probe(port, None) {
                Ok(_) => Outcome::Success,
                Err(_) => Outcome::Failure(format!(
                    "dial tcp {POD_IP}:{port}: connect: connection refused"
                )),
            }
        }
        Some(Handler::Grpc { port }) => match around.probe(u16::try_from(*port).unwrap_or(0), None) {
            Ok(_) => Outcome::Success,
            Err(_) => Outcome::Failure(format!(
                "timeout: failed to connect service \"{POD_IP}:{port}\" within 1s: context deadline exceeded"
            )),
        },
        _ => Outcome::Success,
    }
}

fn port_text(p: &Port) -> String {
    match p {
        Port::Number(n) => n.to_string(),
        Port::Name(n) => n.clone(),
    }
}

/// What a failed exec probe printed, for the usual file checks (`cat`, `ls`, `test -f`).
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
