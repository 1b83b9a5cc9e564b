//! The rules: each reads the workload's spec and its runs ([`Ctx`]) and returns findings, with a fix
//! built from text edits where one can be placed exactly. Detection follows the runs wherever the
//! outcome depends on timing; the spec alone decides only the notes.

use super::edit::{key_pos, node_at, quoted, Lines, TextEdit};
use super::{simulate, Ctx, Finding, Fix, Rule};
use crate::diag::Severity;
use crate::features::Gate;
use crate::sim::trace::{KillReason, Signal, Step, StepKind};
use crate::sim::{Ms, Trace};
use crate::spec::{Container, ContainerKind, Handler, Port, Probe, ProbeKind, RestartPolicy};
use crate::tree::{Node, Pos, Value};

/// Every rule, by stable ID.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleId {
    ClassicSidecar,
    JobNeverCompletes,
    StartupBudget,
    GraceExceeded,
    ShellIgnoresStop,
    SidecarFailsOnStop,
    ReadinessDoesNotGate,
    FoldedScript,
    SameLivenessReadiness,
    ProbeTimeout,
    Replicas,
}

const SIDECARS: &str = "https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/";
const PROBES: &str =
    "https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/";
const TERMINATION: &str =
    "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination";

pub const RULES: &[Rule] = &[
    Rule {
        id: RuleId::ClassicSidecar,
        code: "PS001",
        name: "classic-sidecar",
        severity: Severity::Warning,
        summary: "A helper (proxy, log shipper, agent) runs in containers[] instead of as a native sidecar, so nothing orders its start or stop, and in a Job it keeps the pod from completing.",
        help: SIDECARS,
    },
    Rule {
        id: RuleId::JobNeverCompletes,
        code: "PS002",
        name: "job-never-completes",
        severity: Severity::Warning,
        summary: "A run-to-completion pod never completes: its work finished, but another container keeps running.",
        help: "https://kubernetes.io/docs/concepts/workloads/controllers/job/",
    },
    Rule {
        id: RuleId::StartupBudget,
        code: "PS003",
        name: "startup-budget",
        severity: Severity::Warning,
        summary: "A liveness or startup probe kills the container before it has finished starting, so it never gets going.",
        help: PROBES,
    },
    Rule {
        id: RuleId::GraceExceeded,
        code: "PS004",
        name: "grace-exceeded",
        severity: Severity::Warning,
        summary: "Stopping a container (its preStop hook and its exit after the stop signal) takes longer than the grace period, so the runtime SIGKILLs it.",
        help: TERMINATION,
    },
    Rule {
        id: RuleId::ShellIgnoresStop,
        code: "PS005",
        name: "pid1-ignores-stop",
        severity: Severity::Warning,
        summary: "PID 1 (a shell without a trap, or a program such as sleep) has no handler for its stop signal, which PID 1 ignores, so every stop waits out the whole grace period and ends in SIGKILL.",
        help: TERMINATION,
    },
    Rule {
        id: RuleId::SidecarFailsOnStop,
        code: "PS006",
        name: "sidecar-fails-on-stop",
        severity: Severity::Warning,
        summary: "A sidecar exits non-zero when it is stopped, so every shutdown reports it as failed (Error).",
        help: SIDECARS,
    },
    Rule {
        id: RuleId::ReadinessDoesNotGate,
        code: "PS007",
        name: "readiness-does-not-gate",
        severity: Severity::Warning,
        summary: "A sidecar has a readinessProbe but no startupProbe: only a startupProbe holds back the containers after it, so they start before it is ready.",
        help: SIDECARS,
    },
    Rule {
        id: RuleId::FoldedScript,
        code: "PS008",
        name: "folded-script",
        severity: Severity::Warning,
        summary: "A shell script written as a folded block scalar (>) has its lines joined with spaces, so a line meant as its own command becomes arguments of the line before.",
        help: "https://yaml.org/spec/1.2.2/#813-folded-style",
    },
    Rule {
        id: RuleId::SameLivenessReadiness,
        code: "PS101",
        name: "same-liveness-readiness",
        severity: Severity::Info,
        summary: "The liveness and readiness probes are identical, so a container that is not ready is also restarted.",
        help: PROBES,
    },
    Rule {
        id: RuleId::ProbeTimeout,
        code: "PS102",
        name: "probe-timeout-exceeds-period",
        severity: Severity::Info,
        summary: "A probe's timeoutSeconds is not shorter than its periodSeconds.",
        help: PROBES,
    },
    Rule {
        id: RuleId::Replicas,
        code: "PS103",
        name: "one-of-n-pods",
        severity: Severity::Info,
        summary: "The workload runs several pods; Podstep shows one of them.",
        help: "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/",
    },
];

/// Every finding of every rule for the workload of `ctx`.
pub(super) fn findings(ctx: &Ctx) -> Vec<Finding> {
    let mut out = Vec::new();
    classic_sidecars(ctx, &mut out);
    startup_budget(ctx, &mut out);
    stopping(ctx, &mut out);
    readiness_does_not_gate(ctx, &mut out);
    folded_scripts(ctx, &mut out);
    probe_notes(ctx, &mut out);
    replicas(ctx, &mut out);
    out
}

fn finding(
    ctx: &Ctx,
    rule: RuleId,
    c: Option<&Container>,
    path: String,
    message: String,
) -> Finding {
    Finding {
        rule,
        workload: ctx.index,
        pos: c.map_or(ctx.workload.pos, |c| c.pos),
        path,
        message,
        fix: None,
    }
}

fn steps<'t>(trace: &'t Trace, name: &'t str) -> impl Iterator<Item = &'t Step> + 't {
    trace
        .steps
        .iter()
        .filter(move |s| s.container.as_deref() == Some(name))
}

fn secs(t: Ms) -> String {
    t.secs_text()
}

// ---- PS001 classic sidecar, PS002 a Job that never completes ----------------------------------

/// Names and images that say "helper", as the meshes, log shippers and agents ship them.
const HELPER_IMAGES: &[&str] = &[
    "envoy",
    "proxyv2",
    "proxy",
    "linkerd2-proxy",
    "fluent-bit",
    "fluentd",
    "vector",
    "opentelemetry-collector",
    "opentelemetry-collector-contrib",
    "otel-collector",
    "cloud-sql-proxy",
    "gce-proxy",
    "oauth2-proxy",
    "vault",
    "consul",
    "filebeat",
    "promtail",
];
const HELPER_NAMES: &[&str] = &[
    "istio-proxy",
    "linkerd-proxy",
    "envoy",
    "fluent-bit",
    "fluentd",
    "vector",
    "otel-collector",
    "cloud-sql-proxy",
    "oauth2-proxy",
    "vault-agent",
    "log-shipper",
    "logger",
];

fn image_repo(image: &str) -> &str {
    let no_digest = image.split('@').next().unwrap_or(image);
    let last = no_digest.rsplit('/').next().unwrap_or(no_digest);
    last.split(':').next().unwrap_or(last)
}

fn looks_like_helper(c: &Container) -> bool {
    let n = c.name.as_str();
    n.ends_with("-sidecar")
        || n.ends_with("-proxy")
        || n.starts_with("sidecar")
        || HELPER_NAMES.contains(&n)
        || HELPER_IMAGES.contains(&image_repo(&c.image))
}

fn classic_sidecars(ctx: &Ctx, out: &mut Vec<Finding>) {
    let pod = &ctx.workload.pod;
    if pod.containers.len() < 2 {
        return;
    }
    let run = &ctx.run;
    let terminal = matches!(run.final_state.phase.as_str(), "Succeeded" | "Failed");
    let batch = pod.restart_policy != RestartPolicy::Always;
    // When the last container that did its work exited 0, in the undisturbed run.
    let work_done = |name: &str| {
        steps(run, name).find_map(|s| match s.kind {
            StepKind::Exited { code: 0, .. } => Some(s.t),
            _ => None,
        })
    };
    let still_running = |name: &str| {
        run.final_state.container_statuses.iter().any(|s| {
            s.name == name && matches!(s.state, crate::sim::trace::ContainerState::Running(_))
        })
    };
    let helpers: Vec<&Container> = pod
        .containers
        .iter()
        .filter(|c| looks_like_helper(c))
        .collect();
    for c in &pod.containers {
        let others: Vec<&Container> = pod.containers.iter().filter(|o| o.name != c.name).collect();
        let named = looks_like_helper(c) && helpers.len() < pod.containers.len();
        // By the run: in a batch pod that never ends, every other container finished its work and
        // this one still runs.
        let finished: Vec<Ms> = others.iter().filter_map(|o| work_done(&o.name)).collect();
        let blocks_completion = batch
            && !terminal
            && still_running(&c.name)
            && finished.len() == others.len()
            && !others.iter().any(|o| still_running(&o.name));
        // Unnamed, only a Job's pod is expected to complete: a bare pod may well leave a server up.
        if !(named || blocks_completion && ctx.workload.is_job()) {
            continue;
        }
        let names = others
            .iter()
            .map(|o| o.name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let (rule, message) = if blocks_completion {
            let done = finished.iter().max().copied().unwrap_or(Ms::ZERO);
            let what = if ctx.workload.is_job() {
                "the Job"
            } else {
                "the pod"
            };
            let message = format!(
                "{names} finished its work at {} s, but {} keeps running in containers[], so the pod stays Running and {what} never completes; as a native sidecar it would be stopped once {names} exited",
                secs(done),
                c.name
            );
            let rule = if named {
                RuleId::ClassicSidecar
            } else {
                RuleId::JobNeverCompletes
            };
            (rule, message)
        } else {
            let message = format!(
                "{} looks like a sidecar but runs in containers[] beside {names}: nothing starts it before them or stops it after them; as a native sidecar (an init container with restartPolicy: Always) it starts first, can gate the others with a startupProbe and is stopped last",
                c.name
            );
            (RuleId::ClassicSidecar, message)
        };
        let mut f = finding(ctx, rule, Some(c), c.path.clone(), message);
        if ctx.kube.enabled(Gate::SidecarContainers) {
            f.fix = move_to_sidecar(ctx, c);
        } else {
            f.message.push_str(&format!(
                " (the SidecarContainers feature gate is off in 1.{}: native sidecars need 1.29 or the gate)",
                ctx.kube.minor
            ));
        }
        out.push(f);
    }
}

// ---- PS003 startup budget -----------------------------------------------------------------------

fn startup_budget(ctx: &Ctx, out: &mut Vec<Finding>) {
    for c in ctx.workload.pod.all_containers() {
        if c.kind == ContainerKind::Init {
            continue;
        }
        let kill = steps(&ctx.run, &c.name).find_map(|s| match s.kind {
            StepKind::Killing {
                reason: r @ (KillReason::LivenessProbe | KillReason::StartupProbe),
                ..
            } => Some((s.t, r)),
            _ => None,
        });
        let Some((at, reason)) = kill else {
            continue;
        };
        let started = steps(&ctx.run, &c.name)
            .find(|s| matches!(s.kind, StepKind::Started { .. }))
            .map_or(Ms::ZERO, |s| s.t);
        let kind = if reason == KillReason::StartupProbe {
            ProbeKind::Startup
        } else {
            ProbeKind::Liveness
        };
        let Some(probe) = c.probe(kind) else {
            continue;
        };
        // A startup problem only if, left alone, the probe would first pass later than it killed:
        // a liveness kill of a container that had been healthy is another story.
        let needed = time_to_pass(ctx, c, probe);
        if needed.is_some_and(|n| n <= at - started) {
            continue;
        }
        let path = format!("{}.{}", c.path, kind.field());
        let budget = probe.initial_delay_s + probe.failure_threshold * probe.period_s;
        let message = match needed {
            Some(n) => format!(
                "the {} kills {} {} s after it started (initialDelaySeconds {} + failureThreshold {} × periodSeconds {} = {budget} s), but the run shows it needs {} s before the probe passes",
                kind.field(),
                c.name,
                secs(at - started),
                probe.initial_delay_s,
                probe.failure_threshold,
                probe.period_s,
                secs(n)
            ),
            None => format!(
                "the {} kills {} {} s after it started (a budget of {budget} s), and in the run it never passes, however long it is given",
                kind.field(),
                c.name,
                secs(at - started)
            ),
        };
        let mut f = finding(ctx, RuleId::StartupBudget, Some(c), path, message);
        if let Some(n) = needed {
            // Failures allowed before success, with half as many again in reserve.
            let period = probe.period_s.max(1);
            let waits = ((n.0 as i64 / 1000 - probe.initial_delay_s).max(0) + period - 1) / period;
            let threshold = (waits + (waits + 1) / 2)
                .max(probe.failure_threshold + 1)
                .max(3);
            f.fix = match kind {
                ProbeKind::Startup => set_probe_field(ctx, c, kind, "failureThreshold", threshold),
                _ => add_startup_probe(ctx, c, probe, threshold),
            };
        }
        out.push(f);
    }
}

/// How long after its start the container's `probe` first passes, when nothing kills it: the probe
/// run as a startupProbe with a budget of the whole horizon.
fn time_to_pass(ctx: &Ctx, c: &Container, probe: &Probe) -> Option<Ms> {
    let mut w = ctx.workload.clone();
    let target = w
        .pod
        .init_containers
        .iter_mut()
        .chain(w.pod.containers.iter_mut())
        .find(|x| x.name == c.name)?;
    let patient = Probe {
        failure_threshold: (crate::limits::DEFAULT_HORIZON_S as i64 / probe.period_s.max(1)).max(1),
        success_threshold: 1,
        ..probe.clone()
    };
    target.startup_probe = Some(patient);
    target.liveness_probe = None;
    let run = simulate(&w, ctx.kube, Vec::new());
    let started = steps(&run, &c.name)
        .find(|s| matches!(s.kind, StepKind::Started { .. }))?
        .t;
    let passed = steps(&run, &c.name)
        .find(|s| matches!(s.kind, StepKind::StartupSucceeded))?
        .t;
    Some(passed - started)
}

// ---- PS004 grace exceeded, PS005 shell ignores the stop signal, PS006 sidecar fails on stop -----

fn stopping(ctx: &Ctx, out: &mut Vec<Finding>) {
    let Some((at, run)) = &ctx.deleted else {
        return;
    };
    let pod = &ctx.workload.pod;
    let grace = pod.termination_grace_period_s;
    // A grace period under the runtime's 2 s minimum asks for the SIGKILL.
    if grace < 2 {
        return;
    }
    // The same deletion with an hour of grace, run once for the pod if a stop needs measuring.
    let patient = std::cell::OnceCell::new();
    for c in pod.all_containers() {
        let after: Vec<&Step> = steps(run, &c.name).filter(|s| s.t >= *at).collect();
        let Some(kill_t) = after.iter().find_map(|s| match s.kind {
            StepKind::Killing {
                reason: KillReason::Stopping,
                ..
            } => Some(s.t),
            _ => None,
        }) else {
            continue;
        };
        let sigkill = after
            .iter()
            .any(|s| matches!(s.kind, StepKind::Signal { signal } if signal == Signal::KILL));
        let exit = after.iter().find_map(|s| match s.kind {
            StepKind::Exited { code, .. } => Some((s.t, code)),
            _ => None,
        });
        let stop_signal = after
            .iter()
            .find_map(|s| match s.kind {
                StepKind::Signal { signal } if signal != Signal::KILL => Some(signal),
                _ => None,
            })
            .unwrap_or(Signal::TERM);
        let script = shell_script(c);
        let pre_stop = after
            .iter()
            .any(|s| matches!(s.kind, StepKind::PreStopFinished { in_time: false, .. }));
        if sigkill || pre_stop {
            let needed = time_to_stop(patient.get_or_init(|| patient_deletion(ctx, *at)), c, *at);
            if needed.is_none() && !pre_stop && !pod.share_process_namespace {
                out.push(ignores_stop(ctx, c, grace, stop_signal, script.as_ref()));
                continue;
            }
            let what = if pre_stop {
                format!(
                    "{}'s preStop hook is still running when the {grace} s grace period ends, so the kubelet stops waiting for it and the container is stopped with the hook's work cut short",
                    c.name
                )
            } else {
                format!(
                    "{} has not exited when the {grace} s grace period ends, so the runtime SIGKILLs it (exit 137)",
                    c.name
                )
            };
            let message = match needed {
                Some(n) => format!(
                    "{what}; given the time, it stops {} s after the stop begins",
                    secs(n)
                ),
                None => format!("{what}, and it does not stop by itself however long it is given"),
            };
            let path = format!("{}.terminationGracePeriodSeconds", ctx.workload.spec_path);
            let mut f = finding(ctx, RuleId::GraceExceeded, Some(c), path, message);
            if let Some(n) = needed {
                let secs = (n.0 as i64 + 999) / 1000 + 5;
                f.fix = set_pod_field(ctx, "terminationGracePeriodSeconds", secs.max(grace + 1));
            }
            out.push(f);
            continue;
        }
        if c.kind == ContainerKind::Sidecar {
            if let Some((t, code)) = exit.filter(|(_, code)| *code != 0) {
                let message = format!(
                    "sidecar {} exits {code} on SIG{} {} s after the stop begins, so every shutdown reports it as failed (Error)",
                    c.name,
                    stop_signal.as_str(),
                    secs(t - kill_t)
                );
                let mut f = finding(
                    ctx,
                    RuleId::SidecarFailsOnStop,
                    Some(c),
                    c.path.clone(),
                    message,
                );
                f.fix = if image_repo(&c.image) == "cloud-sql-proxy" {
                    append_arg(ctx, c, "--exit-zero-on-sigterm")
                } else if let Some((i, text)) = &script {
                    rewrite_script(ctx, c, *i, &trapped(text, stop_signal))
                } else {
                    None
                };
                out.push(f);
            }
        }
    }
}

/// PS005: PID 1 never reacts to the stop signal, so every stop is a SIGKILL after the whole grace.
fn ignores_stop(
    ctx: &Ctx,
    c: &Container,
    grace: i64,
    signal: Signal,
    script: Option<&(usize, String)>,
) -> Finding {
    let sig = signal.as_str();
    let what = match script {
        Some((_, text)) if text.contains("trap ") => format!(
            "{}'s shell (PID 1) runs its trap only after the command in the foreground ends",
            c.name
        ),
        Some(_) => format!(
            "{} runs a shell as PID 1 with no trap for SIG{sig}, which PID 1 ignores",
            c.name
        ),
        None => {
            let argv: Vec<&String> = c
                .command
                .iter()
                .flatten()
                .chain(c.args.iter().flatten())
                .collect();
            let program = argv.first().map_or(c.image.as_str(), |p| p.as_str());
            format!(
                "{} runs {} as PID 1, which has no handler for SIG{sig}, so PID 1 ignores it",
                c.name,
                quote_word(program)
            )
        }
    };
    let message = format!(
        "{what}: every stop waits out the whole {grace} s grace period and ends in SIGKILL (exit 137)"
    );
    let mut f = finding(
        ctx,
        RuleId::ShellIgnoresStop,
        Some(c),
        c.path.clone(),
        message,
    );
    f.fix = match script {
        Some((i, text)) => rewrite_script(ctx, c, *i, &trapped(text, signal)),
        None => wrap_in_shell(ctx, c, signal),
    };
    f
}

fn quote_word(s: &str) -> String {
    format!("`{s}`")
}

/// The pod deleted at `at` with an hour of grace: how long each stop takes when nothing cuts it short.
fn patient_deletion(ctx: &Ctx, at: Ms) -> Trace {
    let mut w = ctx.workload.clone();
    w.pod.termination_grace_period_s = 3600;
    simulate(
        &w,
        ctx.kube,
        vec![(at, crate::sim::Action::Delete { grace_s: None })],
    )
}

/// How long `c` takes to stop after its kill begins in `run`, a [`patient_deletion`] at `at`.
fn time_to_stop(run: &Trace, c: &Container, at: Ms) -> Option<Ms> {
    let after: Vec<&Step> = steps(run, &c.name).filter(|s| s.t >= at).collect();
    let kill = after
        .iter()
        .find(|s| matches!(s.kind, StepKind::Killing { .. }))?
        .t;
    if after
        .iter()
        .any(|s| matches!(s.kind, StepKind::Signal { signal } if signal == Signal::KILL))
    {
        return None;
    }
    let exit = after
        .iter()
        .find(|s| matches!(s.kind, StepKind::Exited { .. }))?
        .t;
    Some(exit - kill)
}

/// The `sh -c SCRIPT` of a container (`command` or `args`), as (index into the argv, script).
fn shell_script(c: &Container) -> Option<(usize, String)> {
    let argv: Vec<&String> = c
        .command
        .iter()
        .flatten()
        .chain(c.args.iter().flatten())
        .collect();
    let shell = argv.first().map(|s| s.rsplit('/').next().unwrap_or(s))?;
    if !matches!(shell, "sh" | "bash" | "ash" | "dash")
        || argv.get(1).map(|s| s.as_str()) != Some("-c")
    {
        return None;
    }
    argv.get(2).map(|s| (2, s.to_string()))
}

/// `script` with a trap that ends it at once on `signal`: the work runs in the background so that
/// the trap is not held back by a foreground command, and its status is kept when it ends by itself.
fn trapped(script: &str, signal: Signal) -> String {
    format!(
        "trap 'exit 0' {}; {{ {}\n}} & wait $!",
        signal.as_str(),
        script.trim_end()
    )
}

// ---- PS007 readiness does not gate ------------------------------------------------------------

fn readiness_does_not_gate(ctx: &Ctx, out: &mut Vec<Finding>) {
    let pod = &ctx.workload.pod;
    for c in pod
        .init_containers
        .iter()
        .filter(|c| c.kind == ContainerKind::Sidecar)
    {
        let (Some(readiness), None) = (&c.readiness_probe, &c.startup_probe) else {
            continue;
        };
        let ready = steps(&ctx.run, &c.name)
            .find(|s| matches!(s.kind, StepKind::Ready))
            .map(|s| s.t);
        let after_it = pod
            .init_containers
            .iter()
            .skip_while(|x| x.name != c.name)
            .skip(1)
            .chain(pod.containers.iter());
        let early = after_it
            .filter_map(|x| {
                let t = steps(&ctx.run, &x.name)
                    .find(|s| matches!(s.kind, StepKind::Started { .. }))?
                    .t;
                ready.is_none_or(|r| t < r).then_some((x.name.as_str(), t))
            })
            .next();
        let Some((name, t)) = early else {
            continue;
        };
        let when = match ready {
            Some(r) => format!("it became ready only at {} s", secs(r)),
            None => "it never became ready".into(),
        };
        let message = format!(
            "sidecar {} has a readinessProbe but no startupProbe, so {name} started at {} s while {when}: only a startupProbe makes the next containers wait",
            c.name,
            secs(t)
        );
        let mut f = finding(
            ctx,
            RuleId::ReadinessDoesNotGate,
            Some(c),
            format!("{}.readinessProbe", c.path),
            message,
        );
        let started = steps(&ctx.run, &c.name)
            .find(|s| matches!(s.kind, StepKind::Started { .. }))
            .map_or(Ms::ZERO, |s| s.t);
        let period = readiness.period_s.max(1);
        let waits = ready.map_or(0, |r| ((r - started).0 as i64 / 1000 + period - 1) / period);
        let threshold = (waits + (waits + 1) / 2)
            .max(readiness.failure_threshold)
            .max(3);
        f.fix = add_startup_probe(ctx, c, readiness, threshold);
        out.push(f);
    }
}

// ---- PS008 a folded script ------------------------------------------------------------------

fn folded_scripts(ctx: &Ctx, out: &mut Vec<Finding>) {
    let Some(doc) = document(ctx) else {
        return;
    };
    let lines = Lines::new(ctx.source);
    for c in ctx.workload.pod.all_containers() {
        let Some((i, script)) = shell_script(c) else {
            continue;
        };
        let Some((node, false)) = argv_node(ctx, doc, c, i) else {
            continue;
        };
        if lines
            .get(node.pos.line)
            .chars()
            .nth(node.pos.column as usize - 1)
            != Some('>')
        {
            continue;
        }
        // Folding joins the lines of the block's own indentation (deeper ones keep their newlines).
        let last = lines.block_end(node.pos.line, lines.indent_of(node.pos.line));
        let body: Vec<&str> = (node.pos.line + 1..=last)
            .map(|n| lines.get(n))
            .filter(|l| !l.trim().is_empty())
            .collect();
        let base = body
            .iter()
            .map(|l| l.len() - l.trim_start().len())
            .min()
            .unwrap_or(0);
        let flat: Vec<&str> = body
            .iter()
            .filter(|l| l.len() - l.trim_start().len() == base)
            .map(|l| l.trim())
            .collect();
        let joined = flat.windows(2).find(|w| {
            let first_word = w[1].split_whitespace().next().unwrap_or("");
            let ends_open = w[0].ends_with(['\\', '|', '&', ';']) || w[0].ends_with("&&");
            !ends_open && crate::sim::shell::knows(first_word)
        });
        let Some(pair) = joined else {
            continue;
        };
        // The command the next line is glued to: the last one on the line before.
        let before = pair[0]
            .rsplit([';', '|', '&'])
            .next()
            .and_then(|cmd| cmd.split_whitespace().next())
            .unwrap_or("");
        let message = format!(
            "{}'s script is a folded block scalar (>), which joins its lines with spaces: `{}` does not run as a command but is passed to `{before}` as arguments (sh runs the one line {}); a literal block scalar (|) keeps one command per line",
            c.name,
            pair[1],
            quote_word(script.lines().next().unwrap_or("").trim())
        );
        let mut f = finding(
            ctx,
            RuleId::FoldedScript,
            Some(c),
            format!("{}.command", c.path),
            message,
        );
        f.pos = node.pos;
        f.fix = Some(Fix {
            title: "make the script a literal block scalar (|), one command per line".into(),
            edits: vec![TextEdit {
                start: node.pos,
                end: Pos::new(node.pos.line, node.pos.column + 1),
                text: "|".into(),
            }],
        });
        out.push(f);
    }
}

// ---- notes --------------------------------------------------------------------------------------

fn probe_notes(ctx: &Ctx, out: &mut Vec<Finding>) {
    for c in ctx.workload.pod.all_containers() {
        if let (Some(l), Some(r)) = (&c.liveness_probe, &c.readiness_probe) {
            if l == r {
                let message = format!(
                    "{}'s livenessProbe and readinessProbe are the same, so whenever it is not ready it is also restarted; a liveness probe usually checks less, or waits longer",
                    c.name
                );
                out.push(finding(
                    ctx,
                    RuleId::SameLivenessReadiness,
                    Some(c),
                    format!("{}.livenessProbe", c.path),
                    message,
                ));
            }
        }
        for kind in [
            ProbeKind::Startup,
            ProbeKind::Readiness,
            ProbeKind::Liveness,
        ] {
            if let Some(p) = c.probe(kind) {
                if p.timeout_s >= p.period_s {
                    let message = format!(
                        "{}'s {} has timeoutSeconds {} and periodSeconds {}: a slow answer is still awaited when the next run is due",
                        c.name,
                        kind.field(),
                        p.timeout_s,
                        p.period_s
                    );
                    out.push(finding(
                        ctx,
                        RuleId::ProbeTimeout,
                        Some(c),
                        format!("{}.{}.timeoutSeconds", c.path, kind.field()),
                        message,
                    ));
                }
            }
        }
    }
}

fn replicas(ctx: &Ctx, out: &mut Vec<Finding>) {
    let Some(doc) = document(ctx) else {
        return;
    };
    let Some(node) = doc.get("spec").and_then(|s| s.get("replicas")) else {
        return;
    };
    let Some(n) = node
        .scalar()
        .and_then(crate::tree::parse_int)
        .filter(|n| *n > 1)
    else {
        return;
    };
    let w = ctx.workload;
    let name = if w.kind == "StatefulSet" {
        format!("{}-0", w.name)
    } else {
        w.pod.name.clone()
    };
    let message = format!(
        "{} {} runs {n} pods; Podstep shows one of them ({name}), and each of the others does the same",
        w.kind, w.name
    );
    let mut f = finding(ctx, RuleId::Replicas, None, "spec.replicas".into(), message);
    f.pos = node.pos;
    out.push(f);
}

// ---- fixes --------------------------------------------------------------------------------------

fn document<'d>(ctx: &Ctx<'d>) -> Option<&'d Node> {
    ctx.document
}

fn spaces(n: usize) -> String {
    " ".repeat(n)
}

/// Moves `c` from `containers[]` to the end of `initContainers[]` with `restartPolicy: Always`.
fn move_to_sidecar(ctx: &Ctx, c: &Container) -> Option<Fix> {
    let doc = document(ctx)?;
    let lines = Lines::new(ctx.source);
    let spec = node_at(doc, &ctx.workload.spec_path)?;
    let dash = lines.dash_col(c.pos)?;
    let last = lines.block_end(c.pos.line, dash);
    let first = lines.comments_above(c.pos.line, dash);
    let key_offset = c.pos.column as usize - 1 - dash;
    let containers_key = key_pos(spec, "containers")?;
    let mut edits = vec![TextEdit {
        start: Pos::new(first, 1),
        end: Pos::new(last + 1, 1),
        text: String::new(),
    }];
    let (insert_at, new_dash, header) = match spec.get("initContainers") {
        Some(init) => match &init.value {
            Value::Seq(items) if !items.is_empty() => {
                let last_item = items.last()?;
                let d = lines.dash_col(last_item.pos)?;
                (lines.block_end(last_item.pos.line, d) + 1, d, String::new())
            }
            _ => return None,
        },
        None => {
            // A new `initContainers:` key just before `containers:`, its items indented alike.
            let key_col = containers_key.column as usize - 1;
            let header = format!("{}initContainers:\n", spaces(key_col));
            (containers_key.line, dash, header)
        }
    };
    let shift = new_dash as isize - dash as isize;
    let mut block = header;
    for n in first..=last {
        let line = lines.get(n);
        if shift >= 0 {
            block.push_str(&spaces(shift as usize));
            block.push_str(line);
        } else {
            let cut = (-shift) as usize;
            block.push_str(line.strip_prefix(&spaces(cut)).unwrap_or(line.trim_start()));
        }
        block.push('\n');
    }
    block.push_str(&format!(
        "{}restartPolicy: Always\n",
        spaces(new_dash + key_offset)
    ));
    edits.push(TextEdit {
        start: Pos::new(insert_at, 1),
        end: Pos::new(insert_at, 1),
        text: block,
    });
    Some(Fix {
        title: format!(
            "move {} to initContainers with restartPolicy: Always (a native sidecar)",
            c.name
        ),
        edits,
    })
}

/// The container's mapping node in the document.
fn container_node<'d>(ctx: &Ctx, doc: &'d Node, c: &Container) -> Option<&'d Node> {
    let rel = c
        .path
        .strip_prefix(&ctx.workload.spec_path)?
        .trim_start_matches('.');
    node_at(node_at(doc, &ctx.workload.spec_path)?, rel)
}

/// YAML lines for a probe handler, its keys at `indent`.
fn handler_yaml(h: &Handler, indent: usize) -> Option<String> {
    let i = spaces(indent);
    let j = spaces(indent + 2);
    let port = |p: &Port| match p {
        Port::Number(n) => n.to_string(),
        Port::Name(s) => quoted(s),
    };
    Some(match h {
        Handler::Exec { command } => format!(
            "{i}exec:\n{j}command: [{}]\n",
            command
                .iter()
                .map(|s| quoted(s))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Handler::HttpGet {
            path,
            port: p,
            scheme,
        } => {
            let mut s = format!(
                "{i}httpGet:\n{j}path: {}\n{j}port: {}\n",
                quoted(path),
                port(p)
            );
            if scheme != "HTTP" && !scheme.is_empty() {
                s.push_str(&format!("{j}scheme: {scheme}\n"));
            }
            s
        }
        Handler::TcpSocket { port: p } => format!("{i}tcpSocket:\n{j}port: {}\n", port(p)),
        Handler::Grpc { port } => format!("{i}grpc:\n{j}port: {port}\n"),
        Handler::Sleep { .. } => return None,
    })
}

/// Adds a startupProbe to `c` with `like`'s handler, period and initial delay, and `threshold`.
fn add_startup_probe(ctx: &Ctx, c: &Container, like: &Probe, threshold: i64) -> Option<Fix> {
    let lines = Lines::new(ctx.source);
    let dash = lines.dash_col(c.pos)?;
    let last = lines.block_end(c.pos.line, dash);
    let key = c.pos.column as usize - 1;
    let inner = spaces(key + 2);
    let mut text = format!("{}startupProbe:\n", spaces(key));
    text.push_str(&handler_yaml(like.handler.as_ref()?, key + 2)?);
    if like.initial_delay_s > 0 {
        text.push_str(&format!(
            "{inner}initialDelaySeconds: {}\n",
            like.initial_delay_s
        ));
    }
    text.push_str(&format!("{inner}periodSeconds: {}\n", like.period_s));
    text.push_str(&format!("{inner}failureThreshold: {threshold}\n"));
    Some(Fix {
        title: format!(
            "add a startupProbe to {} allowing {} s to start",
            c.name,
            like.initial_delay_s + threshold * like.period_s
        ),
        edits: vec![TextEdit {
            start: Pos::new(last + 1, 1),
            end: Pos::new(last + 1, 1),
            text,
        }],
    })
}

/// Sets `field` of `c`'s probe of `kind` to `value`: the value replaced where it is written, else a
/// new line in the probe.
fn set_probe_field(
    ctx: &Ctx,
    c: &Container,
    kind: ProbeKind,
    field: &str,
    value: i64,
) -> Option<Fix> {
    let doc = document(ctx)?;
    let lines = Lines::new(ctx.source);
    let probe = container_node(ctx, doc, c)?.get(kind.field())?;
    let edits = match probe.get(field) {
        Some(v) => vec![TextEdit {
            start: v.pos,
            end: lines.scalar_end(v.pos, false)?,
            text: value.to_string(),
        }],
        None => {
            let first = probe.entries().first()?.0.pos;
            if first.line == key_pos(container_node(ctx, doc, c)?, kind.field())?.line {
                return None;
            }
            let last = lines.block_end(first.line, first.column as usize - 2);
            vec![TextEdit {
                start: Pos::new(last + 1, 1),
                end: Pos::new(last + 1, 1),
                text: format!("{}{field}: {value}\n", spaces(first.column as usize - 1)),
            }]
        }
    };
    Some(Fix {
        title: format!("set {}'s {}.{field} to {value}", c.name, kind.field()),
        edits,
    })
}

/// Sets a pod spec field to `value`: replaced where written, else added before `containers:`.
fn set_pod_field(ctx: &Ctx, field: &str, value: i64) -> Option<Fix> {
    let doc = document(ctx)?;
    let lines = Lines::new(ctx.source);
    let spec = node_at(doc, &ctx.workload.spec_path)?;
    let edit = match spec.get(field) {
        Some(v) => TextEdit {
            start: v.pos,
            end: lines.scalar_end(v.pos, false)?,
            text: value.to_string(),
        },
        None => {
            let at = key_pos(spec, "containers")?;
            if lines.dash_col(at).is_some()
                || at.line == node_at(doc, &ctx.workload.spec_path)?.pos.line
                    && spec.pos.column != at.column
            {
                return None;
            }
            TextEdit {
                start: Pos::new(at.line, 1),
                end: Pos::new(at.line, 1),
                text: format!("{}{field}: {value}\n", spaces(at.column as usize - 1)),
            }
        }
    };
    Some(Fix {
        title: format!("set {field} to {value}"),
        edits: vec![edit],
    })
}

/// The node of argv element `i` of `c` (`command` first, then `args`), and whether its list is in
/// flow style.
fn argv_node<'d>(ctx: &Ctx, doc: &'d Node, c: &Container, i: usize) -> Option<(&'d Node, bool)> {
    let node = container_node(ctx, doc, c)?;
    let mut items: Vec<(&Node, bool)> = Vec::new();
    for key in ["command", "args"] {
        if let Some(list) = node.get(key) {
            if let Value::Seq(xs) = &list.value {
                let flow = ctx
                    .source
                    .lines()
                    .nth(list.pos.line as usize - 1)
                    .and_then(|l| l.chars().nth(list.pos.column as usize - 1))
                    == Some('[');
                items.extend(xs.iter().map(|x| (x, flow)));
            }
        }
    }
    items.get(i).copied()
}

/// Replaces `c`'s argv element `i` (a single-line scalar) with `script`.
fn rewrite_script(ctx: &Ctx, c: &Container, i: usize, script: &str) -> Option<Fix> {
    let doc = document(ctx)?;
    let lines = Lines::new(ctx.source);
    let (node, flow) = argv_node(ctx, doc, c, i)?;
    let (end, tail) = lines.scalar_span(node.pos, flow)?;
    Some(Fix {
        title: format!(
            "trap the stop signal in {}'s script and run its work in the background",
            c.name
        ),
        edits: vec![TextEdit {
            start: node.pos,
            end,
            text: format!("{}{tail}", quoted(script)),
        }],
    })
}

/// Images known to have `/bin/sh`, where a program can be wrapped in a trapping shell.
const SHELL_IMAGES: &[&str] = &[
    "busybox", "alpine", "ubuntu", "debian", "centos", "fedora", "python", "node", "golang",
    "bash", "nginx", "httpd", "redis", "postgres", "mysql",
];

/// Replaces an exec-form `command` (no `args`) with a shell that traps `signal` and runs it in the
/// background.
fn wrap_in_shell(ctx: &Ctx, c: &Container, signal: Signal) -> Option<Fix> {
    let argv = c.command.as_ref().filter(|_| c.args.is_none())?;
    if !SHELL_IMAGES.contains(&image_repo(&c.image)) || argv.is_empty() {
        return None;
    }
    let doc = document(ctx)?;
    let lines = Lines::new(ctx.source);
    let node = container_node(ctx, doc, c)?;
    let key = key_pos(node, "command")?;
    let list = node.get("command")?;
    let words: Vec<String> = argv.iter().map(|a| sh_word(a)).collect();
    let script = trapped(&words.join(" "), signal);
    let value = format!("[\"sh\", \"-c\", {}]", quoted(&script));
    let line = lines.get(key.line);
    let colon = line
        .char_indices()
        .skip(key.column as usize - 1)
        .find(|(_, ch)| *ch == ':')?
        .0;
    let start = Pos::new(key.line, line[..colon].chars().count() as u32 + 2);
    let flow = lines
        .get(list.pos.line)
        .chars()
        .nth(list.pos.column as usize - 1)
        == Some('[');
    let edit = if flow && list.pos.line == key.line {
        let chars: Vec<char> = line.chars().collect();
        let close = chars.iter().rposition(|ch| *ch == ']')?;
        TextEdit {
            start,
            end: Pos::new(key.line, close as u32 + 2),
            text: format!(" {value}"),
        }
    } else if !flow && list.pos.line > key.line {
        let last = lines.block_end(key.line, key.column as usize - 1);
        TextEdit {
            start,
            end: Pos::new(last + 1, 1),
            text: format!(" {value}\n"),
        }
    } else {
        return None;
    };
    Some(Fix {
        title: format!(
            "run {}'s command under a shell that traps SIG{} and exits",
            c.name,
            signal.as_str()
        ),
        edits: vec![edit],
    })
}

/// `s` as one shell word.
fn sh_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|ch| ch.is_ascii_alphanumeric() || "-_./=:,@%+".contains(ch))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Appends `arg` to `c`'s `args`.
fn append_arg(ctx: &Ctx, c: &Container, arg: &str) -> Option<Fix> {
    let doc = document(ctx)?;
    let lines = Lines::new(ctx.source);
    let list = container_node(ctx, doc, c)?.get("args")?;
    let Value::Seq(items) = &list.value else {
        return None;
    };
    let last = items.last()?;
    let flow = lines
        .get(list.pos.line)
        .chars()
        .nth(list.pos.column as usize - 1)
        == Some('[');
    let edit = if flow {
        let end = lines.scalar_end(last.pos, true)?;
        TextEdit {
            start: end,
            end,
            text: format!(", {}", quoted(arg)),
        }
    } else {
        let dash = lines.dash_col(last.pos)?;
        let after = lines.block_end(last.pos.line, dash) + 1;
        TextEdit {
            start: Pos::new(after, 1),
            end: Pos::new(after, 1),
            text: format!("{}- {}\n", spaces(dash), quoted(arg)),
        }
    };
    Some(Fix {
        title: format!("add {arg} to {}'s args", c.name),
        edits: vec![edit],
    })
}
