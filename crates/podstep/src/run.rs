//! `podstep run`: simulate one workload of a file and print its trace (text or JSON).

use crate::args::{self, Flag, Format, Item, Spec, EXIT_ERRORS_FOUND, EXIT_UNUSABLE};
use crate::read_input;
use anyhow::{anyhow, Result};
use lifecycle::kubelet_config;
use lifecycle::limits::{DEFAULT_HORIZON_S, MAX_HORIZON_S};
use lifecycle::quote::quote;
use lifecycle::sim::{self, Action, Ms, Scenario, ANNOTATION_PREFIX};
use std::process::ExitCode;

pub const ABOUT: &str = "simulate what the kubelet does with a pod and print the trace";

#[derive(Clone, Copy)]
pub enum Opt {
    Format,
    Until,
    At,
    Pod,
    KubeVersion,
    FeatureGates,
    Validate,
    MaxRestartPeriod,
    KubeletConfig,
    Events,
}

/// The actions `--at` takes, as `Action::parse` reads them.
const ACTIONS: [(&str, &str); 8] = [
    (
        "delete [grace=N]",
        "delete the pod (optionally with a grace period in seconds)",
    ),
    ("set-image CONTAINER IMAGE", "change a container's image"),
    (
        "kill CONTAINER [exit=N]",
        "the container's process exits with N (default 137)",
    ),
    ("oom CONTAINER", "the container is OOM-killed"),
    ("kubelet-restart", "restart the kubelet"),
    ("node-reboot", "reboot the node"),
    (
        "create KIND NAME",
        "create a service, configmap, secret or pvc the pod depends on",
    ),
    (
        "delete KIND NAME",
        "delete one (KIND: service, configmap, secret, pvc)",
    ),
];

pub fn spec() -> Spec<Opt> {
    let flag = |key, long, value, help: String| Flag {
        key,
        short: None,
        long,
        value,
        help,
    };
    Spec {
        name: "run",
        about: format!("podstep run: {ABOUT}"),
        usage: vec!["podstep run [OPTIONS] FILE".into()],
        description: "\
FILE holds one or more YAML documents; '-' reads standard input. Its warnings and errors go to
standard error, and a workload with errors is not simulated. The trace is one line per step, then
the final status; docs/trace.md documents it and its JSON form."
            .into(),
        flags: vec![
            args::format_flag(
                Opt::Format,
                "text (default): one line per step\njson: the trace object of docs/trace.md",
            ),
            flag(
                Opt::Until,
                "until",
                Some("SECONDS"),
                format!(
                    "simulate at most this many whole seconds (default {DEFAULT_HORIZON_S}, \
                     at most {MAX_HORIZON_S})"
                ),
            ),
            flag(
                Opt::At,
                "at",
                Some("'SECONDS ACTION'"),
                "apply ACTION (below) at SECONDS; repeatable".into(),
            ),
            flag(
                Opt::Pod,
                "pod",
                Some("NAME"),
                "the workload to simulate, by object or pod name (default: the first)".into(),
            ),
            args::kube_version_flag(Opt::KubeVersion, "the Kubernetes version simulated"),
            args::feature_gates_flag(Opt::FeatureGates),
            args::validate_flag(Opt::Validate),
            Flag {
                key: Opt::MaxRestartPeriod,
                short: None,
                long: "max-container-restart-period",
                value: Some("DURATION"),
                help: "the kubelet's crashLoopBackOff.maxContainerRestartPeriod (1s to 300s, e.g. 30s),\n\
                       which caps CrashLoopBackOff; needs the KubeletCrashLoopBackOffMax gate (on from 1.35,\n\
                       where the kubelet's default is 300s)"
                    .into(),
            },
            flag(
                Opt::KubeletConfig,
                "kubelet-config",
                Some("FILE"),
                "a KubeletConfiguration (kubelet.config.k8s.io/v1beta1): its featureGates (the\n\
                 kubelet's own gates) and crashLoopBackOff.maxContainerRestartPeriod are simulated,\n\
                 other fields are listed as ignored; flags win over the file, as with the kubelet"
                    .into(),
            ),
            flag(
                Opt::Events,
                "events",
                None,
                "append kubectl describe-style events to the text trace".into(),
            ),
        ],
        sections: vec![
            ("ACTIONS", args::rows(&ACTIONS)),
            (
                "CONTAINER BEHAVIOUR",
                format!(
                    "    \
    First match wins: the pod annotation {ANNOTATION_PREFIX}<container>, the container's
    command/args (a small sh interpreter), well-known images (busybox/alpine exit 0 at once;
    nginx, envoy, redis… serve until SIGTERM), else a stated default with a warning. Images
    under .invalid/.example/.test/.localhost or localhost can never be pulled. See
    docs/behavior.md.
"
                ),
            ),
        ],
        exit_codes: vec![
            (0, "the trace was printed"),
            (
                EXIT_ERRORS_FOUND,
                "the workload has errors (printed to standard error), so it was not simulated",
            ),
            (
                EXIT_UNUSABLE,
                "unusable input or arguments: unknown flag, missing value, unreadable file,\n\
                 bad action, bad version, no such workload",
            ),
        ],
    }
}

/// `--at '3 delete grace=1'` → (3 s, the action).
fn parse_at(value: &str) -> Result<(Ms, Action), String> {
    let (t, action) = value
        .trim()
        .split_once(char::is_whitespace)
        .ok_or_else(|| format!("--at {value:?}: expected 'SECONDS ACTION'"))?;
    let t: f64 = t
        .parse()
        .map_err(|_| format!("--at {value:?}: {t:?} is not a number of seconds"))?;
    if !(0.0..=MAX_HORIZON_S as f64).contains(&t) {
        return Err(format!(
            "--at {value:?}: time must be between 0 and {MAX_HORIZON_S} seconds"
        ));
    }
    let action = Action::parse(action).map_err(|e| format!("--at {value:?}: {e}"))?;
    Ok((Ms((t * 1000.0).round() as u64), action))
}

fn parse_until(value: &str) -> Result<u64, String> {
    let s: u64 = value
        .parse()
        .map_err(|_| format!("--until {value:?} is not a whole number of seconds"))?;
    if s > MAX_HORIZON_S {
        return Err(format!(
            "--until {s}: at most {MAX_HORIZON_S} simulated seconds"
        ));
    }
    Ok(s)
}

pub fn main(parser: &mut lexopt::Parser) -> Result<ExitCode> {
    let spec = spec();
    let mut format = Format::Text;
    let mut file = None;
    let mut pod = None;
    let mut scenario = Scenario::default();
    let mut events = false;
    let mut gates = None;
    let mut strict = true;
    let mut max_restart = None;
    let mut kubelet_config = None;
    while let Some(item) = spec.next(parser)? {
        let usage = |m| spec.error(m);
        match item {
            Item::Help => {
                crate::emit(&spec.help())?;
                return Ok(ExitCode::SUCCESS);
            }
            Item::Flag(Opt::Format, v) => format = args::parse_format(&v).map_err(usage)?,
            Item::Flag(Opt::Until, v) => scenario.until_s = parse_until(&v).map_err(usage)?,
            Item::Flag(Opt::At, v) => scenario.actions.push(parse_at(&v).map_err(usage)?),
            Item::Flag(Opt::Pod, v) => pod = Some(v),
            Item::Flag(Opt::KubeVersion, v) => {
                scenario.version = args::parse_kube_version(&v).map_err(usage)?;
            }
            Item::Flag(Opt::FeatureGates, v) => gates = Some(v),
            Item::Flag(Opt::Validate, v) => strict = args::parse_validate(&v).map_err(usage)?,
            Item::Flag(Opt::MaxRestartPeriod, v) => {
                max_restart = Some(parse_restart_period(&v).map_err(usage)?)
            }
            Item::Flag(Opt::KubeletConfig, v) => kubelet_config = Some(v),
            Item::Flag(Opt::Events, _) => events = true,
            Item::Operand(f) if file.is_none() => file = Some(f),
            Item::Operand(f) => {
                return Err(spec
                    .error(format!("run takes one FILE; {} is a second", quote(&f)))
                    .into())
            }
        }
    }
    let file = file.ok_or_else(|| spec.error("run needs a FILE, or - for standard input"))?;
    let source = read_input(&file)?;
    let mut kube =
        args::kube(scenario.version, gates.as_deref(), strict).map_err(|m| spec.error(m))?;
    if let Some(path) = &kubelet_config {
        let text = read_input(path)?;
        let config = kubelet_config::read(&text, &kube).map_err(|e| anyhow!("{path}:{e}"))?;
        if !config.ignored.is_empty() {
            eprintln!(
                "{path}: note: Podstep simulates featureGates and crashLoopBackOff of a kubelet configuration; ignored: {}",
                config.ignored.join(", ")
            );
        }
        // The kubelet's flags win over its configuration file.
        kube.overrides.splice(0..0, config.feature_gates);
        max_restart = max_restart.or(config.max_container_restart_period);
    }
    scenario.gates = kube.overrides.clone();
    if let Some(period) = max_restart {
        kubelet_config::check_restart_period(&kube, period)
            .map_err(|m| spec.error(format!("--max-container-restart-period: {m}")))?;
    }
    scenario.max_container_restart_period = max_restart;
    let checked = crate::check::check_source(&source, &kube);
    let name = if file == "-" {
        "<stdin>"
    } else {
        file.as_str()
    };
    for d in &checked.diagnostics {
        if d.severity != lifecycle::Severity::Info {
            eprintln!("{name}:{d}");
        }
    }
    let workload = match &pod {
        Some(p) => checked
            .workloads
            .iter()
            .find(|w| &w.name == p || &w.pod.name == p)
            .ok_or_else(|| {
                let names: Vec<&str> = checked.workloads.iter().map(|w| w.name.as_str()).collect();
                anyhow!(
                    "no workload named {p:?} in {name} (found: {})",
                    names.join(", ")
                )
            })?,
        None => checked
            .workloads
            .first()
            .ok_or_else(|| anyhow!("{name} has no pod template to simulate"))?,
    };
    if workload.errors > 0 {
        eprintln!(
            "podstep: {} {} has {} error(s); fix them to simulate it",
            workload.kind, workload.name, workload.errors
        );
        return Ok(ExitCode::from(EXIT_ERRORS_FOUND));
    }
    let trace = sim::simulate(workload, &scenario);
    match format {
        Format::Text => {
            let mut out = trace.to_text();
            if events {
                out.push_str("events:\n");
                out.push_str(&trace.events_text());
            }
            crate::emit(&out)?;
        }
        Format::Json => crate::emit(&(serde_json::to_string_pretty(&trace)? + "\n"))?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `30s`, `1m30s`, `90` (seconds): a Go duration, as in a kubelet configuration, or whole seconds.
fn parse_restart_period(v: &str) -> Result<Ms, String> {
    let ms = match v.parse::<u64>() {
        Ok(s) => Ms(s.saturating_mul(1000)),
        Err(_) => kubelet_config::parse_duration(v)
            .map_err(|e| format!("--max-container-restart-period: {e}"))?,
    };
    Ok(ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Which row of [`ACTIONS`] documents an action. Exhaustive, so an action added to the engine
    /// does not compile here until its help row exists.
    fn row(action: &Action) -> usize {
        match action {
            Action::Delete { .. } => 0,
            Action::SetImage { .. } => 1,
            Action::Kill { .. } => 2,
            Action::Oom { .. } => 3,
            Action::KubeletRestart => 4,
            Action::NodeReboot => 5,
            Action::Create { .. } => 6,
            Action::DeleteObject { .. } => 7,
        }
    }

    #[test]
    fn every_action_in_help_parses_as_that_action() {
        for (i, (syntax, _)) in ACTIONS.iter().enumerate() {
            let filled = syntax
                .replace("CONTAINER", "app")
                .replace("IMAGE", "nginx:1.27")
                .replace("KIND", "service")
                .replace("NAME", "db")
                .replace("=N", "=1");
            let without_optional = filled.split(" [").next().unwrap_or_default().to_string();
            for text in [filled.replace(['[', ']'], ""), without_optional] {
                let action = Action::parse(&text).unwrap_or_else(|e| panic!("{syntax}: {e}"));
                assert_eq!(row(&action), i, "{text:?} parsed as {action:?}");
            }
        }
    }
}
