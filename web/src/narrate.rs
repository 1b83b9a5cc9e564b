//! Each trace step as one plain sentence: "t=8 s — sidecar `proxy` passed its startup probe, so the
//! kubelet may start `app`". Pure; the sentence is a list of [`Piece`]s so that names render as code
//! (and always as text, never as markup).

use crate::timeline::{field_bool, field_f64, field_str, probe_kind, secs, PodView};
use lifecycle::sim::time::Ms;
use lifecycle::sim::trace::Field;
use lifecycle::sim::trace::Step;
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

fn text(step: &Step, key: &str) -> String {
    match step.fields.get(key) {
        Some(Field::Str(s)) => s.clone(),
        Some(Field::Int(i)) => i.to_string(),
        Some(Field::Num(f)) => Ms::from_secs_f64(*f).secs_text(),
        Some(Field::Bool(b)) => b.to_string(),
        None => String::new(),
    }
}

/// What the kubelet may start once init container (or sidecar) `c` is done with its part.
fn next_after(workload: &Workload, c: &Container) -> Sentence {
    let pod = &workload.pod;
    if let Some(next) = pod.init_containers.get(c.index + 1) {
        return Sentence::new()
            .t(", so the kubelet may start ")
            .c(next.name.clone());
    }
    match pod.containers.as_slice() {
        [] => Sentence::new(),
        [one] => Sentence::new()
            .t(", so the kubelet may start ")
            .c(one.name.clone()),
        _ => Sentence::new().t(", so the kubelet may start the app containers"),
    }
}

/// The sentence for step `index` of `steps`; `view` is the pod right after it.
pub fn sentence(workload: &Workload, steps: &[Step], index: usize, view: &PodView) -> Vec<Piece> {
    let Some(step) = steps.get(index) else {
        return Vec::new();
    };
    let head = Sentence::new().t(format!("t={} — ", secs(step.t)));
    let body = match step.container.as_deref() {
        None => pod_sentence(workload, step, head),
        Some(name) => {
            let spec = workload.pod.all_containers().find(|c| c.name == name);
            match spec {
                Some(spec) => container_sentence(workload, spec, step, view, head),
                None => head.c(name).t(format!(": {}", step.event)),
            }
        }
    };
    body.0
}

fn pod_sentence(workload: &Workload, step: &Step, s: Sentence) -> Sentence {
    let pod = &workload.pod;
    match step.event.as_str() {
        "Scheduled" => s
            .t("the scheduler bound pod ")
            .c(pod.name.clone())
            .t(" to the node; the kubelet starts its first sync"),
        "SandboxReady" => s.t(
            "the pod sandbox (its network namespace and pause container) is ready, so containers can be created",
        ),
        "SandboxStopped" => s.t("every container has exited, so the kubelet stops the pod sandbox"),
        "PhaseChanged" => s.t("the pod's phase is now ").c(text(step, "phase")),
        "ConditionChanged" => {
            let s = s
                .t("condition ")
                .c(text(step, "type"))
                .t(" became ")
                .c(text(step, "status"));
            match field_str(step, "reason") {
                Some(r) => s.t(" (").t(r).t(")"),
                None => s,
            }
        }
        "DeletionRequested" => {
            let grace = field_f64(step, "graceSeconds").unwrap_or(0.0);
            s.t(format!(
                "the pod was deleted with a {} grace period: the kubelet stops every container, app containers first, then sidecars in reverse order",
                secs(grace)
            ))
        }
        "KillPod" => match field_str(step, "reason") {
            Some("Completed") => {
                s.t("nothing is left to run, so the kubelet stops what remains of the pod")
            }
            Some("InitFailed") => s.t(
                "an init container failed and the pod's restartPolicy is Never, so the kubelet gives up on the pod",
            ),
            Some(r) => s.t("the kubelet kills the pod (").t(r).t(")"),
            None => s.t("the kubelet kills the pod"),
        },
        "Action" => s.t("scenario action: ").c(text(step, "action")),
        "KubeletStarted" => s.t("the kubelet is running again and re-syncs the pod"),
        "StatusChanged" => s
            .t("the pod's status changed: kubectl now shows ")
            .c(format!(
                "{} {}",
                step.kubectl.ready, step.kubectl.status
            )),
        other => s.t("pod event ").c(other),
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
    s: Sentence,
) -> Sentence {
    let name = c.name.clone();
    let who = |s: Sentence| s.t(kind_word(c.kind)).c(name.clone());
    let after = view.containers.iter().find(|v| v.name == c.name);
    match step.event.as_str() {
        "Pulling" => who(s.t("the kubelet pulls image ").c(text(step, "image")).t(" for ")),
        "Pulled" => who(s.t("image ").c(text(step, "image")).t(" is pulled for ")),
        "PullFailed" => who(s.t("pulling the image failed (").t(text(step, "reason")).t(") for "))
            .t("; the kubelet retries with a growing back-off, and the pod stays Pending"),
        "StartFailed" => who(s.t("the kubelet cannot start "))
            .t(": ")
            .c(text(step, "reason")),
        "Created" => who(s).t(" was created"),
        "Started" => {
            let attempt = field_f64(step, "attempt").unwrap_or(1.0) as u64;
            let s = who(s);
            let s = if attempt > 1 {
                s.t(format!(
                    " started again (attempt {attempt}, restart count {})",
                    attempt - 1
                ))
            } else {
                s.t(" started")
            };
            match field_str(step, "behavior") {
                Some("annotation") => s.t("; what it does comes from its behavior annotation"),
                Some("command") => s.t("; what it does comes from its command"),
                Some("default") => s.t(
                    "; Podstep does not know this image, so it runs until stopped and answers its probes",
                ),
                Some(b) if b.starts_with("image:") => s
                    .t("; it behaves like ")
                    .c(b.trim_start_matches("image:").to_string()),
                _ => s,
            }
        }
        "PostStartStarted" => who(s.t("the postStart hook of "))
            .t(" runs; the kubelet starts nothing else until it finishes"),
        "PostStartFinished" => {
            if field_bool(step, "ok") == Some(false) {
                who(s.t("the postStart hook of "))
                    .t(" failed, so the kubelet kills the container")
            } else {
                who(s.t("the postStart hook of ")).t(" finished")
            }
        }
        "StartupSucceeded" => match c.kind {
            ContainerKind::Sidecar => {
                let s = if c.startup_probe.is_some() {
                    who(s).t(" passed its startup probe")
                } else {
                    who(s).t(" is running, and without a startup probe that makes it started")
                };
                s.extend(next_after(workload, c))
            }
            _ => {
                if c.startup_probe.is_some() {
                    who(s).t(" passed its startup probe; liveness and readiness probes begin")
                } else {
                    who(s).t(" is running; with no startup probe it counts as started at once")
                }
            }
        },
        "Ready" => {
            if c.readiness_probe.is_some() {
                who(s).t(" passed its readiness probe and is ready: it receives Service traffic")
            } else {
                who(s).t(" is ready (no readiness probe, so ready as soon as it is started)")
            }
        }
        "NotReady" => {
            let stopping = after.is_some_and(|a| {
                !matches!(a.state, crate::timeline::ApiState::Running { .. })
                    || a.seg == crate::timeline::Seg::Terminating
            });
            if stopping {
                who(s).t(" is no longer ready: it is stopping")
            } else {
                who(s).t(" is no longer ready: its readiness probe failed")
            }
        }
        "ProbeFailed" => {
            let kind = field_str(step, "probe").and_then(probe_kind);
            match kind {
                Some(kind) => {
                    let threshold = c.probe(kind).map_or(3, |p| p.failure_threshold.max(1));
                    let count = after.map_or(1, |a| match kind {
                        ProbeKind::Startup => a.failures[0],
                        ProbeKind::Readiness => a.failures[1],
                        ProbeKind::Liveness => a.failures[2],
                    });
                    let s = s.t(format!("the {} of ", probe_phrase(kind)));
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
                None => who(s.t("a probe of ")).t(" failed"),
            }
        }
        "Killing" => {
            let grace = secs(field_f64(step, "graceSeconds").unwrap_or(0.0));
            match field_str(step, "reason") {
                Some("LivenessProbe") => who(s.t("the kubelet kills "))
                    .t(format!(
                        " because its liveness probe failed (grace period {grace}); it will be restarted"
                    )),
                Some("StartupProbe") => who(s.t("the kubelet kills "))
                    .t(format!(
                        " because its startup probe failed too often (grace period {grace})"
                    )),
                Some("DefinitionChanged") => who(s.t("the kubelet restarts "))
                    .t(" because its image changed"),
                Some("FailedPostStartHook") => who(s.t("the kubelet kills "))
                    .t(" because its postStart hook failed"),
                _ => who(s.t("the kubelet stops ")).t(format!(" (grace period {grace})")),
            }
        }
        "PreStopStarted" => who(s.t("the preStop hook of "))
            .t(" runs first; SIGTERM follows when it ends"),
        "PreStopFinished" => {
            if field_bool(step, "inTime") == Some(false) {
                who(s.t("the preStop hook of ")).t(" ran out of grace period")
            } else if field_bool(step, "ok") == Some(false) {
                who(s.t("the preStop hook of ")).t(" failed; the kubelet goes on with SIGTERM")
            } else {
                who(s.t("the preStop hook of ")).t(" finished")
            }
        }
        "WaitingForTurn" => who(s).t(
            " waits: sidecars are stopped only after the app containers and every later sidecar have exited",
        ),
        "Signal" => match field_str(step, "signal") {
            Some("KILL") => who(s.t("the grace period is over: the kubelet sends SIGKILL to ")),
            _ => who(s.t("the kubelet sends SIGTERM to ")),
        },
        "Exited" => {
            let code = field_f64(step, "exitCode").unwrap_or(0.0) as i64;
            let reason = text(step, "reason");
            let s = who(s).t(format!(" exited with code {code}"));
            let s = if reason.is_empty() {
                s
            } else {
                s.t(" (").t(reason.clone()).t(")")
            };
            let stopping = view.kubectl.status == "Terminating"
                || view.phase == "Succeeded"
                || view.phase == "Failed";
            if stopping {
                s
            } else {
                match c.kind {
                    ContainerKind::Init if code == 0 => s.extend(next_after(workload, c)),
                    ContainerKind::Init => match workload.pod.restart_policy {
                        RestartPolicy::Never => s.t("; with restartPolicy Never the pod fails"),
                        _ => s.t("; the kubelet will run it again, after a back-off"),
                    },
                    ContainerKind::Sidecar => s.t("; a sidecar is always restarted"),
                    ContainerKind::App => match (workload.pod.restart_policy, code) {
                        (RestartPolicy::Always, _) | (RestartPolicy::OnFailure, 1..) => {
                            s.t("; the kubelet will restart it (restartPolicy ")
                                .t(workload.pod.restart_policy.as_str())
                                .t(")")
                        }
                        (RestartPolicy::OnFailure, _) => s.t("; it is done (restartPolicy OnFailure)"),
                        _ => s.t("; it is done (restartPolicy Never)"),
                    },
                }
            }
        }
        "BackOff" => {
            let delay = secs(field_f64(step, "delaySeconds").unwrap_or(0.0));
            match field_str(step, "reason") {
                Some("ImagePullBackOff") => who(s.t(format!(
                    "ImagePullBackOff: the kubelet waits {delay} before it pulls again for "
                ))),
                _ => who(s.t("CrashLoopBackOff: the kubelet will not restart "))
                    .t(format!(" for {delay}")),
            }
        }
        other => who(s).t(": ").c(other),
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
