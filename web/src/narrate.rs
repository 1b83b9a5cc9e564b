//! Each trace step as one plain sentence: "t=8 s — sidecar `proxy` passed its startup probe, so the
//! kubelet may start `app`". Pure; the sentence is a list of [`Piece`]s so that names render as code
//! (and always as text, never as markup).

use crate::timeline::{secs, PodView};
use lifecycle::sim::status::Phase;
use lifecycle::sim::trace::{KillPodReason, KillReason, Signal, Step, StepKind};
use lifecycle::sim::Version;
use lifecycle::spec::{Container, ContainerKind, ProbeKind, RestartPolicy, Workload};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    /// A name, image or value from the manifest.
    Code(String),
}

/// Builds a sentence from alternating text and code pieces.
struct Sentence(Vec<Piece>);

impl Sentence {
    fn new() -> Sentence {
        Sentence(Vec::new())
    }
    fn t(mut self, text: impl Into<String>) -> Sentence {
        let text = text.into();
        if let Some(Piece::Text(last)) = self.0.last_mut() {
            last.push_str(&text);
        } else {
            self.0.push(Piece::Text(text));
        }
        self
    }
    fn c(mut self, code: impl Into<String>) -> Sentence {
        self.0.push(Piece::Code(code.into()));
        self
    }
}

/// The whole sentence as plain text with backticks around code: for titles, tests and screen readers.
pub fn plain(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t) => t.clone(),
            Piece::Code(c) => format!("`{c}`"),
        })
        .collect()
}

fn kind_word(kind: ContainerKind) -> &'static str {
    match kind {
        ContainerKind::Init => "init container ",
        ContainerKind::Sidecar => "sidecar ",
        ContainerKind::App => "container ",
    }
}

/// The steps before the one being told: what a sentence may say depends on what already happened.
struct Before<'a>(&'a [Step]);

impl Before<'_> {
    fn of<'s>(&'s self, name: &'s str) -> impl DoubleEndedIterator<Item = &'s Step> + 's {
        self.0
            .iter()
            .filter(move |s| s.container.as_deref() == Some(name))
    }
    /// `name` already began (was pulled, created or started) at least once.
    fn began(&self, name: &str) -> bool {
        self.of(name).next().is_some()
    }
    /// How many times `name` exited before.
    fn exits(&self, name: &str) -> usize {
        self.of(name)
            .filter(|s| matches!(s.kind, StepKind::Exited { .. }))
            .count()
    }
    /// The reason of the kill of `name`'s current instance, if the kubelet is killing or killed it.
    fn killed(&self, name: &str) -> Option<KillReason> {
        self.of(name).rev().find_map(|s| match s.kind {
            StepKind::Killing { reason, .. } => Some(Some(reason)),
            StepKind::Started { .. } => Some(None),
            _ => None,
        })?
    }
    /// The whole pod is being stopped: deleted, or killed by a sync (its work is done, or an init
    /// container failed for good).
    fn pod_stopping(&self) -> bool {
        self.0.iter().any(|s| {
            matches!(
                s.kind,
                StepKind::DeletionRequested { .. } | StepKind::KillPod { .. }
            )
        })
    }
    /// When `name` last did `what` (exited, or failed a pull).
    fn last(&self, name: &str, what: fn(&StepKind) -> bool) -> Option<f64> {
        self.of(name)
            .rev()
            .find(|s| what(&s.kind))
            .map(|s| s.t.as_secs_f64())
    }
}

/// What the kubelet may start once init container (or sidecar) `c` is done with its part — unless it
/// already has (a sidecar that restarts later gates nothing).
fn next_after(workload: &Workload, c: &Container, before: &Before) -> Sentence {
    let pod = &workload.pod;
    if let Some(next) = pod.init_containers.get(c.index + 1) {
        if before.began(&next.name) {
            return Sentence::new();
        }
        return Sentence::new()
            .t(", so the kubelet may start ")
            .c(next.name.clone());
    }
    if pod.containers.iter().any(|a| before.began(&a.name)) {
        return Sentence::new();
    }
    match pod.containers.as_slice() {
        [] => Sentence::new(),
        [one] => Sentence::new()
            .t(", so the kubelet may start ")
            .c(one.name.clone()),
        _ => Sentence::new().t(", so the kubelet may start the app containers"),
    }
}

/// When a restart comes: the first restart has no back-off (§5.2), later ones wait for it.
fn restart_when(before: &Before, name: &str) -> &'static str {
    if before.exits(name) == 0 {
        " at once (the first restart has no back-off)"
    } else {
        ", after its back-off"
    }
}

/// The sentence for step `index` of `steps`; `view` is the pod right after it, `version` the
/// Kubernetes version simulated.
pub fn sentence(
    workload: &Workload,
    steps: &[Step],
    index: usize,
    view: &PodView,
    version: Version,
) -> Vec<Piece> {
    let Some(step) = steps.get(index) else {
        return Vec::new();
    };
    let before = Before(&steps[..index]);
    let head = Sentence::new().t(format!("t={} — ", secs(step.t.as_secs_f64())));
    let body = match step.container.as_deref() {
        None => pod_sentence(workload, step, &before, version, head),
        Some(name) => {
            let spec = workload.pod.all_containers().find(|c| c.name == name);
            match spec {
                Some(spec) => {
                    container_sentence(workload, spec, step, view, &before, version, head)
                }
                None => head.c(name).t(format!(": {}", step.event())),
            }
        }
    };
    body.0
}

fn pod_sentence(
    workload: &Workload,
    step: &Step,
    before: &Before,
    version: Version,
    s: Sentence,
) -> Sentence {
    let pod = &workload.pod;
    match &step.kind {
        StepKind::Scheduled => s
            .t("the scheduler bound pod ")
            .c(pod.name.clone())
            .t(" to the node; the kubelet starts its first sync"),
        StepKind::SandboxReady => s.t(
            "the pod sandbox (its network namespace and pause container) is ready, so containers can be created",
        ),
        StepKind::SandboxStopped => {
            s.t("every container has exited, so the kubelet stops the pod sandbox")
        }
        StepKind::PhaseChanged { phase } => s.t("the pod's phase is now ").c(phase.as_str()),
        StepKind::ConditionChanged {
            kind,
            status,
            reason,
        } => {
            let s = s
                .t("condition ")
                .c(*kind)
                .t(" became ")
                .c(if *status { "True" } else { "False" });
            match reason {
                Some(r) if r == "Unschedulable" => s.t(
                    " (Unschedulable): the scheduler cannot place the pod, here because a PersistentVolumeClaim it needs does not exist",
                ),
                Some(r) => s.t(" (").t(r.clone()).t(")"),
                None => s,
            }
        }
        StepKind::DeletionRequested { grace_s } => {
            let grace = secs(*grace_s as f64);
            let again = before
                .0
                .iter()
                .any(|s| matches!(s.kind, StepKind::DeletionRequested { .. }));
            let sidecars = pod
                .init_containers
                .iter()
                .any(|c| c.kind == ContainerKind::Sidecar);
            let order = if !sidecars {
                "the kubelet stops every container"
            } else if version.ordered_sidecar_termination() {
                "the kubelet stops the app containers first, then the sidecars in reverse order"
            } else {
                "the kubelet stops every container at once, sidecars included (before 1.29 sidecars are not stopped in order)"
            };
            if again {
                s.t(format!(
                    "a second delete shortens the grace period to {grace}: the stop starts over with it"
                ))
            } else {
                s.t(format!(
                    "the pod was deleted with a {grace} grace period: {order}"
                ))
            }
        }
        StepKind::KillPod { reason } => match reason {
            KillPodReason::Completed => {
                s.t("nothing is left to run, so the kubelet stops what remains of the pod")
            }
            KillPodReason::InitFailed => s.t(
                "an init container failed and the pod's restartPolicy is Never, so the kubelet gives up on the pod",
            ),
            KillPodReason::DeadlineExceeded => s.t(
                "the pod has been active longer than its activeDeadlineSeconds: the kubelet fails it (reason DeadlineExceeded) and stops every container",
            ),
        },
        StepKind::Action { action } => s.t("scenario action: ").c(action.clone()),
        StepKind::KubeletStarted => s.t("the kubelet is running again and re-syncs the pod"),
        StepKind::StatusChanged => s
            .t("the pod's status changed: kubectl now shows ")
            .c(format!(
                "{} {}",
                step.kubectl.ready, step.kubectl.status
            )),
        // Container steps always name their container; a hand-made trace may not.
        StepKind::Pulling { .. }
        | StepKind::Pulled { .. }
        | StepKind::PullFailed { .. }
        | StepKind::StartFailed { .. }
        | StepKind::BackOff { .. }
        | StepKind::Created
        | StepKind::Started { .. }
        | StepKind::PostStartStarted
        | StepKind::PostStartFinished { .. }
        | StepKind::ProbeFailed { .. }
        | StepKind::Exited { .. }
        | StepKind::Killing { .. }
        | StepKind::PreStopStarted
        | StepKind::PreStopFinished { .. }
        | StepKind::WaitingForTurn
        | StepKind::Signal { .. }
        | StepKind::StartupSucceeded
        | StepKind::Ready
        | StepKind::NotReady => s.t("pod event ").c(step.event()),
    }
}

fn probe_phrase(kind: ProbeKind) -> &'static str {
    match kind {
        ProbeKind::Startup => "startup probe",
        ProbeKind::Readiness => "readiness probe",
        ProbeKind::Liveness => "liveness probe",
    }
}

fn container_sentence(
    workload: &Workload,
    c: &Container,
    step: &Step,
    view: &PodView,
    before: &Before,
    version: Version,
    s: Sentence,
) -> Sentence {
    let name = c.name.clone();
    let who = |s: Sentence| s.t(kind_word(c.kind)).c(name.clone());
    let after = view.containers.iter().find(|v| v.name == c.name);
    match &step.kind {
        StepKind::Pulling { image } => {
            who(s.t("the kubelet pulls image ").c(image.clone()).t(" for "))
        }
        StepKind::Pulled { image } => who(s.t("image ").c(image.clone()).t(" is pulled for ")),
        StepKind::PullFailed { reason } => {
            let s = who(s.t("pulling the image failed (").t(*reason).t(") for "))
                .t("; the kubelet retries with a growing back-off");
            if view.phase == Phase::Pending {
                s.t(", and the pod stays Pending")
            } else {
                s
            }
        }
        StepKind::StartFailed {
            reason: "CreateContainerConfigError",
        } => who(s.t("the kubelet cannot create "))
            .t(": a ConfigMap, Secret or key its environment names does not exist (")
            .c("CreateContainerConfigError")
            .t("); the next sync tries again"),
        StepKind::StartFailed { reason } => who(s.t("the kubelet cannot start "))
            .t(": ")
            .c(*reason),
        StepKind::Created => who(s).t(" was created"),
        StepKind::Started { attempt, behavior } => {
            let attempt = *attempt;
            let s = who(s);
            let s = if attempt > 1 {
                s.t(format!(
                    " started again (attempt {attempt}, restart count {})",
                    attempt - 1
                ))
            } else {
                s.t(" started")
            };
            match behavior.as_str() {
                "annotation" => s.t("; what it does comes from its behavior annotation"),
                "command" => s.t("; what it does comes from its command"),
                "default" => s.t(
                    "; Podstep does not know this image, so it runs until stopped and answers its probes",
                ),
                b if b.starts_with("image:") => s
                    .t("; it behaves like ")
                    .c(b.trim_start_matches("image:").to_string()),
                _ => s,
            }
        }
        StepKind::PostStartStarted => who(s.t("the postStart hook of "))
            .t(" runs; the kubelet starts nothing else until it finishes"),
        StepKind::PostStartFinished { ok } => {
            if !*ok {
                who(s.t("the postStart hook of "))
                    .t(" failed, so the kubelet kills the container")
            } else {
                who(s.t("the postStart hook of ")).t(" finished")
            }
        }
        StepKind::StartupSucceeded => match c.kind {
            ContainerKind::Sidecar => {
                let s = if c.startup_probe.is_some() {
                    who(s).t(" passed its startup probe")
                } else {
                    who(s).t(" is running, and without a startup probe that makes it started")
                };
                s.extend(next_after(workload, c, before))
            }
            _ => {
                if c.startup_probe.is_some() {
                    who(s).t(" passed its startup probe; liveness and readiness probes begin")
                } else {
                    who(s).t(" is running; with no startup probe it counts as started at once")
                }
            }
        },
        StepKind::Ready => {
            if c.readiness_probe.is_some() {
                who(s).t(" passed its readiness probe and is ready; Services send the pod traffic once all its containers are (its Ready condition)")
            } else {
                who(s).t(" is ready (no readiness probe, so ready as soon as it is started)")
            }
        }
        StepKind::NotReady => {
            let running =
                after.is_some_and(|a| matches!(a.state, crate::timeline::ApiState::Running { .. }));
            let probe_failed = before.of(&c.name).rev().any(|s| {
                matches!(
                    s.kind,
                    StepKind::ProbeFailed {
                        probe: ProbeKind::Readiness
                    }
                )
            }) && c.readiness_probe.is_some();
            if !running {
                who(s).t(" is no longer ready: it has exited")
            } else if probe_failed {
                who(s).t(" is no longer ready: its readiness probe failed")
            } else {
                who(s).t(" is no longer ready: it is stopping")
            }
        }
        StepKind::ProbeFailed { probe } => {
            let kind = *probe;
            let threshold = c.probe(kind).map_or(3, |p| p.failure_threshold.max(1));
            let count = after.map_or(1, |a| match kind {
                ProbeKind::Startup => a.failures[0],
                ProbeKind::Readiness => a.failures[1],
                ProbeKind::Liveness => a.failures[2],
            });
            let s = s.t(format!("the {} of ", probe_phrase(kind)));
            if count > threshold as u32 {
                return who(s).t(format!(
                    " failed again ({count} in a row, past its failureThreshold of {threshold})"
                ));
            }
            let s = who(s).t(format!(" failed ({count} of {threshold} in a row)"));
            if count >= threshold as u32 {
                match kind {
                    ProbeKind::Readiness => s.t(", so it is not ready"),
                    _ => s.t(", so the kubelet kills it"),
                }
            } else {
                s
            }
        }
        StepKind::Killing { reason, grace } => {
            let grace = secs(grace.as_secs_f64());
            let restarted = c.kind == ContainerKind::Sidecar
                || workload.pod.restart_policy != RestartPolicy::Never;
            let then = if restarted {
                "; it will be restarted"
            } else {
                "; with restartPolicy Never it is not restarted"
            };
            match reason {
                KillReason::LivenessProbe => who(s.t("the kubelet kills "))
                    .t(format!(
                        " because its liveness probe failed (grace period {grace}){then}"
                    )),
                KillReason::StartupProbe => who(s.t("the kubelet kills "))
                    .t(format!(
                        " because its startup probe failed too often (grace period {grace}){then}"
                    )),
                KillReason::DefinitionChanged => who(s.t("the kubelet restarts "))
                    .t(" because its image changed"),
                KillReason::FailedPostStartHook => who(s.t("the kubelet kills "))
                    .t(" because its postStart hook failed"),
                KillReason::Stopping => {
                    who(s.t("the kubelet stops ")).t(format!(" (grace period {grace})"))
                }
            }
        }
        StepKind::PreStopStarted => {
            let waits = c.kind == ContainerKind::Sidecar
                && before.pod_stopping()
                && version.ordered_sidecar_termination();
            if waits {
                who(s.t("the preStop hook of ")).t(
                    " runs first; then the sidecar waits for its turn (the app containers and later sidecars exit first) before its stop signal",
                )
            } else {
                who(s.t("the preStop hook of "))
                    .t(" runs first; its stop signal follows when the hook ends")
            }
        }
        StepKind::PreStopFinished { ok, in_time } => {
            if !*in_time {
                who(s.t("the preStop hook of ")).t(" ran out of grace period")
            } else if *ok == Some(false) {
                who(s.t("the preStop hook of ")).t(" failed; the kubelet goes on stopping it")
            } else {
                who(s.t("the preStop hook of ")).t(" finished")
            }
        }
        StepKind::WaitingForTurn => who(s).t(
            " waits: sidecars are stopped only after the app containers and every later sidecar have exited",
        ),
        StepKind::Signal { signal } => match *signal {
            Signal::KILL => who(s.t("the grace period is over: the runtime sends SIGKILL to ")),
            Signal::TERM => who(s.t("the runtime sends SIGTERM to ")),
            _ if c.stop_signal.is_some() => {
                who(s.t(format!("the runtime sends SIG{} to ", signal.as_str())))
                    .t(", its lifecycle.stopSignal, in place of SIGTERM")
            }
            _ => who(s.t(format!("the runtime sends SIG{} to ", signal.as_str())))
                .t(", its image's stop signal (STOPSIGNAL) in place of SIGTERM"),
        },
        StepKind::Exited { code, reason } => {
            let code = *code;
            let s = who(s).t(format!(" exited with code {code}"));
            let s = if reason.is_empty() {
                s
            } else {
                s.t(" (").t(*reason).t(")")
            };
            let killed = before.killed(&c.name);
            let stopping = view.kubectl.status == "Terminating"
                || view.phase.terminal()
                || before.pod_stopping()
                || killed == Some(KillReason::Stopping);
            // A kill the kubelet made itself is followed by the restart in the same sync, with no
            // back-off check against that exit (§5.2).
            let when = if killed.is_some() {
                " in the same sync"
            } else {
                restart_when(before, &c.name)
            };
            if stopping {
                s
            } else {
                match c.kind {
                    ContainerKind::Init if code == 0 => {
                        s.extend(next_after(workload, c, before))
                    }
                    ContainerKind::Init => match workload.pod.restart_policy {
                        RestartPolicy::Never => s.t("; with restartPolicy Never the pod fails"),
                        _ => s.t("; the kubelet will run it again").t(when),
                    },
                    ContainerKind::Sidecar => s
                        .t("; a sidecar is restarted whatever the pod's restartPolicy, so the kubelet starts it again")
                        .t(when),
                    ContainerKind::App => match (workload.pod.restart_policy, code) {
                        (RestartPolicy::Always, _) | (RestartPolicy::OnFailure, 1..) => {
                            s.t("; the kubelet will restart it (restartPolicy ")
                                .t(workload.pod.restart_policy.as_str())
                                .t(")")
                                .t(when)
                        }
                        (RestartPolicy::OnFailure, _) => s.t("; it is done (restartPolicy OnFailure)"),
                        _ => s.t("; it is done (restartPolicy Never)"),
                    },
                }
            }
        }
        StepKind::BackOff { delay, reason } => {
            // The back-off runs from the last exit (or failed pull): say what is left of it.
            let pull = reason.is_some();
            let since = if pull {
                before.last(&c.name, |k| matches!(k, StepKind::PullFailed { .. }))
            } else {
                before.last(&c.name, |k| matches!(k, StepKind::Exited { .. }))
            };
            let window = delay.as_secs_f64();
            let left = since.map_or(window, |t0| (t0 + window - step.t.as_secs_f64()).max(0.0));
            let of = if left < window {
                format!(" (of a {} back-off)", secs(window))
            } else {
                String::new()
            };
            if pull {
                who(s.t(format!(
                    "ImagePullBackOff: the kubelet waits {} more{of} before it pulls again for ",
                    secs(left)
                )))
            } else {
                who(s.t("CrashLoopBackOff: the kubelet will not restart "))
                    .t(format!(" for {} more{of}", secs(left)))
            }
        }
        // Pod steps never name a container; a hand-made trace may.
        StepKind::Scheduled
        | StepKind::KubeletStarted
        | StepKind::SandboxReady
        | StepKind::SandboxStopped
        | StepKind::Action { .. }
        | StepKind::DeletionRequested { .. }
        | StepKind::KillPod { .. }
        | StepKind::ConditionChanged { .. }
        | StepKind::PhaseChanged { .. }
        | StepKind::StatusChanged => who(s).t(": ").c(step.event()),
    }
}

impl Sentence {
    fn extend(mut self, more: Sentence) -> Sentence {
        for p in more.0 {
            self = match p {
                Piece::Text(t) => self.t(t),
                Piece::Code(c) => self.c(c),
            };
        }
        self
    }
}
