//! Validation as the API server does it, for everything the lifecycle depends on (spec §11 and the basics).
//!
//! Messages keep the API server's shape (`<path>: <Type>: <detail>`) and are placed with [`Locs`]: a
//! `Forbidden` or `Required` error points at the key, an `Invalid`/`Unsupported` one at the value.
//!
//! The rules follow `pkg/apis/core/validation` (pods and containers), `pkg/apis/apps/validation` and
//! `pkg/apis/batch/validation` (what controllers demand of their templates) and `pkg/api/pod/warnings.go`
//! (the warnings `kubectl apply` prints), including which of several errors the API server reports and on
//! which field. Where a field was refused by the decoder already, validation stays quiet about it.

use crate::decode::Locs;
use crate::diag::{Diagnostic, Severity};
use crate::quantity::Quantity;
use crate::spec::*;
use crate::tree::Pos;
use std::collections::{HashMap, HashSet};

struct V<'a> {
    locs: &'a Locs,
    out: Vec<Diagnostic>,
}

impl V<'_> {
    /// Pushes a diagnostic unless the decoder already refused that field.
    fn push(
        &mut self,
        severity: Severity,
        pos: Pos,
        path: String,
        message: String,
    ) -> Option<&mut Diagnostic> {
        if self.locs.is_invalid(&path) {
            return None;
        }
        self.out.push(Diagnostic::new(severity, pos, path, message));
        self.out.last_mut()
    }
    fn at_value(&mut self, path: String, message: String) -> Option<&mut Diagnostic> {
        let pos = self.locs.value(&path);
        self.push(Severity::Error, pos, path, message)
    }
    fn at_key(&mut self, path: String, message: String) -> Option<&mut Diagnostic> {
        let pos = self.locs.key(&path);
        self.push(Severity::Error, pos, path, message)
    }
    fn warn_at_key(&mut self, path: String, message: String) {
        let pos = self.locs.key(&path);
        self.push(Severity::Warning, pos, path, message);
    }
}

fn hint(d: Option<&mut Diagnostic>, text: &str) {
    if let Some(d) = d {
        d.hint = Some(text.to_string());
    }
}

const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

/// `validation.RegexError`: the message, examples, then the regular expression.
fn regex_error(message: &str, format: &str, examples: &[&str]) -> String {
    let examples: Vec<String> = examples.iter().map(|e| format!("'{e}', ")).collect();
    // The API server joins examples with " or " after their trailing ", ", hence its double space.
    format!(
        "{message} (e.g. {}regex used for validation is '{format}')",
        examples.join(" or ")
    )
}

fn is_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

pub fn is_dns1123_label(s: &str) -> bool {
    s.len() <= 63 && is_label(s)
}

/// `IsDNS1123Label`: every message that applies (length and format are reported separately).
fn dns1123_label_errors(s: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if s.len() > 63 {
        errors.push("must be no more than 63 characters".to_string());
    }
    if !is_label(s) {
        if s.split('.').all(is_label) {
            // A valid subdomain but not a label: it must be the dots.
            errors.push("must not contain dots".to_string());
        } else {
            errors.push(regex_error(
                DNS1123_LABEL_MSG,
                DNS1123_LABEL_FMT,
                &["my-name", "123-abc"],
            ));
        }
    }
    errors
}

/// `IsDNS1123Subdomain`, what object names such as a Pod's must be.
fn dns1123_subdomain_errors(s: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if s.len() > 253 {
        errors.push("must be no more than 253 characters".to_string());
    }
    if !s.split('.').all(is_label) {
        let format = format!("{DNS1123_LABEL_FMT}(\\.{DNS1123_LABEL_FMT})*");
        errors.push(regex_error(
            DNS1123_SUBDOMAIN_MSG,
            &format,
            &["example.com"],
        ));
    }
    errors
}

/// `IsValidPortName`: an IANA service name.
fn port_name_errors(s: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if s.len() > 15 {
        errors.push("must be no more than 15 characters".to_string());
    }
    if s.is_empty()
        || !s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        errors.push(
            "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_string(),
        );
    }
    if !s.bytes().any(|b| b.is_ascii_lowercase()) {
        errors.push("must contain at least one letter (a-z)".to_string());
    }
    if s.contains("--") {
        errors.push("must not contain consecutive hyphens".to_string());
    }
    if s.starts_with('-') || s.ends_with('-') {
        errors.push("must not begin or end with a hyphen".to_string());
    }
    errors
}

const PORT_RANGE: &str = "must be between 1 and 65535, inclusive";

/// Validates one workload's pod spec; the decoder has already reported type and syntax errors.
/// `dropDisabledFields` on create: what a disabled gate's fields become before validation. Sidecars
/// (`restartPolicy: Always` on an init container) need `SidecarContainers`; container restart rules
/// (`restartPolicy` on a regular container, `restartPolicyRules`) need `ContainerRestartRules` once it
/// exists (1.34). Each dropped field is a warning at its position, naming the gate.
pub fn drop_disabled_fields(
    workload: &mut Workload,
    locs: &Locs,
    kube: &crate::features::Kube,
) -> Vec<Diagnostic> {
    use crate::features::Gate;
    let mut out = Vec::new();
    let unknown_severity = if kube.strict {
        Severity::Error
    } else {
        Severity::Warning
    };
    let mut say = |severity: Severity, path: String, message: String| {
        out.push(Diagnostic::new(severity, locs.key(&path), path, message));
    };
    let gate_text = |gate: Gate| {
        let stage = gate
            .spec(kube.minor)
            .map_or("not yet in", |(_, s)| s.as_str());
        format!(
            "the {} feature gate is off ({stage} in 1.{})",
            gate.name(),
            kube.minor
        )
    };
    let pod = &mut workload.pod;
    if !kube.enabled(Gate::SidecarContainers) {
        for c in pod
            .init_containers
            .iter_mut()
            .filter(|c| c.kind == ContainerKind::Sidecar)
        {
            c.kind = ContainerKind::Init;
            c.restart_policy = None;
            say(
                Severity::Warning,
                format!("{}.restartPolicy", c.path),
                format!(
                    "dropped: {}, so the API server drops restartPolicy from init containers and {} runs as a regular init container, which must exit before the next one starts",
                    gate_text(Gate::SidecarContainers),
                    c.name
                ),
            );
        }
    }
    // Before 1.34 the fields do not exist (kubectl's field validation reports restartPolicyRules
    // unknown; validation refuses restartPolicy); in 1.34 with the gate off they are dropped.
    let rules_exist = Gate::ContainerRestartRules.spec(kube.minor).is_some();
    if !kube.enabled(Gate::ContainerRestartRules) {
        for c in pod
            .init_containers
            .iter_mut()
            .chain(pod.containers.iter_mut())
        {
            if rules_exist && c.kind != ContainerKind::Sidecar && c.restart_policy.is_some() {
                c.restart_policy = None;
                say(
                    Severity::Warning,
                    format!("{}.restartPolicy", c.path),
                    format!(
                        "dropped: {}, so the pod's restartPolicy applies to {}",
                        gate_text(Gate::ContainerRestartRules),
                        c.name
                    ),
                );
            }
            if !c.restart_rules.is_empty() {
                c.restart_rules.clear();
                let path = format!("{}.restartPolicyRules", c.path);
                if rules_exist {
                    let message = format!("dropped: {}", gate_text(Gate::ContainerRestartRules));
                    say(Severity::Warning, path, message);
                } else {
                    let message = format!("unknown field \"{path}\" (it arrives in 1.34 with the ContainerRestartRules feature gate)");
                    say(unknown_severity, path, message);
                }
            }
        }
    }
    // KEP-4639: before 1.31 `image` is no volume source (kubectl's field validation reports it
    // unknown); from 1.31 with its gate off the API server's `dropImageVolumes` removes the volume
    // and every mount of it.
    if !kube.enabled(Gate::ImageVolume) {
        let exists = Gate::ImageVolume.spec(kube.minor).is_some();
        let spec_path = workload.spec_path.clone();
        let mut dropped = Vec::new();
        for (i, v) in pod.volumes.iter().enumerate() {
            if !matches!(v.source, VolumeSource::Image(_)) {
                continue;
            }
            let path = format!("{spec_path}.volumes[{i}].image");
            if exists {
                dropped.push(v.name.clone());
                let users: Vec<String> = pod
                    .init_containers
                    .iter()
                    .chain(pod.containers.iter())
                    .flat_map(|c| {
                        c.volume_mounts
                            .iter()
                            .filter(|m| m.name == v.name)
                            .map(|m| format!("{} at {}", c.name, m.mount_path))
                    })
                    .collect();
                let mounts = if users.is_empty() {
                    String::new()
                } else {
                    format!(" and its mounts ({})", users.join(", "))
                };
                let message = format!(
                    "dropped: {}, so the API server removes volume {}{mounts}",
                    gate_text(Gate::ImageVolume),
                    v.name
                );
                say(Severity::Warning, path, message);
            } else {
                let message = format!("unknown field \"{path}\" (image volumes arrive in 1.31 with the ImageVolume feature gate)");
                say(unknown_severity, path, message);
                if !kube.strict {
                    // Pruned as unknown, the volume is left without a source.
                    say(
                        Severity::Error,
                        format!("{spec_path}.volumes[{i}]"),
                        "Required value: must specify a volume type".into(),
                    );
                }
            }
        }
        if !dropped.is_empty() {
            pod.volumes.retain(|v| !dropped.contains(&v.name));
            for c in pod
                .init_containers
                .iter_mut()
                .chain(pod.containers.iter_mut())
            {
                c.volume_mounts.retain(|m| !dropped.contains(&m.name));
            }
        }
    }
    // KEP-4960: before 1.33 `stopSignal` is no field; from 1.33 with its gate off the API server
    // drops it (`dropContainerStopSignals`), and the image's stop signal applies.
    if !kube.enabled(Gate::ContainerStopSignals) {
        let exists = Gate::ContainerStopSignals.spec(kube.minor).is_some();
        for c in pod
            .init_containers
            .iter_mut()
            .chain(pod.containers.iter_mut())
        {
            if c.stop_signal.take().is_none() {
                continue;
            }
            let path = format!("{}.lifecycle.stopSignal", c.path);
            if exists {
                let message = format!(
                    "dropped: {}, so {} is sent its image's stop signal (SIGTERM unless the image sets STOPSIGNAL)",
                    gate_text(Gate::ContainerStopSignals),
                    c.name
                );
                say(Severity::Warning, path, message);
            } else {
                let message = format!("unknown field \"{path}\" (it arrives in 1.33 with the ContainerStopSignals feature gate)");
                say(unknown_severity, path, message);
            }
        }
    }
    out
}

/// The stop signals the API server accepts on Linux (`supportedStopSignalsLinux`), in its order.
const LINUX_STOP_SIGNALS: &[&str] = &[
    "SIGABRT",
    "SIGALRM",
    "SIGBUS",
    "SIGCHLD",
    "SIGCLD",
    "SIGCONT",
    "SIGFPE",
    "SIGHUP",
    "SIGILL",
    "SIGINT",
    "SIGIO",
    "SIGIOT",
    "SIGKILL",
    "SIGPIPE",
    "SIGPOLL",
    "SIGPROF",
    "SIGPWR",
    "SIGQUIT",
    "SIGSEGV",
    "SIGSTKFLT",
    "SIGSTOP",
    "SIGSYS",
    "SIGTERM",
    "SIGTRAP",
    "SIGTSTP",
    "SIGTTIN",
    "SIGTTOU",
    "SIGURG",
    "SIGUSR1",
    "SIGUSR2",
    "SIGVTALRM",
    "SIGWINCH",
    "SIGXCPU",
    "SIGXFSZ",
    "SIGRTMIN",
    "SIGRTMIN+1",
    "SIGRTMIN+2",
    "SIGRTMIN+3",
    "SIGRTMIN+4",
    "SIGRTMIN+5",
    "SIGRTMIN+6",
    "SIGRTMIN+7",
    "SIGRTMIN+8",
    "SIGRTMIN+9",
    "SIGRTMIN+10",
    "SIGRTMIN+11",
    "SIGRTMIN+12",
    "SIGRTMIN+13",
    "SIGRTMIN+14",
    "SIGRTMIN+15",
    "SIGRTMAX-14",
    "SIGRTMAX-13",
    "SIGRTMAX-12",
    "SIGRTMAX-11",
    "SIGRTMAX-10",
    "SIGRTMAX-9",
    "SIGRTMAX-8",
    "SIGRTMAX-7",
    "SIGRTMAX-6",
    "SIGRTMAX-5",
    "SIGRTMAX-4",
    "SIGRTMAX-3",
    "SIGRTMAX-2",
    "SIGRTMAX-1",
    "SIGRTMAX",
];
/// The stop signals the API server accepts on Windows.
const WINDOWS_STOP_SIGNALS: &[&str] = &["SIGKILL", "SIGTERM"];

/// `validateStopSignal`: a stop signal needs the pod's `spec.os.name`, and that OS's signals.
fn stop_signal(v: &mut V<'_>, c: &Container, os: Option<&str>) {
    let Some(signal) = c.stop_signal.as_deref() else {
        return;
    };
    let path = format!("{}.lifecycle.stopSignal", c.path);
    let allowed = match os {
        None | Some("") => {
            v.at_value(
                path,
                "Forbidden: may not be set for containers with empty `spec.os.name`".into(),
            );
            return;
        }
        Some("windows") => WINDOWS_STOP_SIGNALS,
        // Any other name is refused at spec.os.name; the Linux list is what is left to check.
        Some(_) => LINUX_STOP_SIGNALS,
    };
    if signal.is_empty() {
        v.at_value(path, "Required value".into());
    } else if !allowed.contains(&signal) {
        let list = allowed
            .iter()
            .map(|s| format!("\"{s}\""))
            .collect::<Vec<_>>()
            .join(", ");
        v.at_value(
            path,
            format!("Unsupported value: \"{signal}\": supported values: {list}"),
        );
    }
}

pub fn validate(workload: &Workload, locs: &Locs, kube: &crate::features::Kube) -> Vec<Diagnostic> {
    let mut v = V {
        locs,
        out: Vec::new(),
    };
    let pod = &workload.pod;
    let spec = &workload.spec_path;

    // Object names are DNS subdomains for every kind Podstep reads (ValidateObjectMeta with
    // NameIsDNSSubdomain); kind-specific length limits (a CronJob's 52) are not modelled.
    if locs.is_set("metadata.name") {
        for message in dns1123_subdomain_errors(&workload.name) {
            v.at_value(
                "metadata.name".into(),
                format!("Invalid value: \"{}\": {message}", workload.name),
            );
        }
    }
    controller_restart_policy(&mut v, workload);

    if pod.containers.is_empty() {
        v.at_key(format!("{spec}.containers"), "Required value".into());
    }
    match pod.os_name.as_deref() {
        None | Some("linux") | Some("windows") => {}
        Some("") => {
            v.at_value(format!("{spec}.os.name"), "Required value".into());
        }
        Some(other) => {
            v.at_value(
                format!("{spec}.os.name"),
                format!("Unsupported value: \"{other}\": supported values: \"linux\", \"windows\""),
            );
        }
    }
    // Names: regular containers must be unique among themselves; an init container may not reuse any
    // earlier name, regular ones included, so a clash between the two lists is reported on the init
    // container wherever it sits in the file (validateContainers, validateInitContainers).
    let mut names: HashSet<&str> = HashSet::new();
    for c in &pod.containers {
        name(&mut v, c, &mut names);
    }
    for c in &pod.init_containers {
        name(&mut v, c, &mut names);
    }

    let volumes: Vec<&str> = pod.volumes.iter().map(|v| v.name.as_str()).collect();
    for c in pod.all_containers() {
        container(&mut v, workload, c, &volumes, kube);
    }
    host_ports(&mut v, pod);
    port_warnings(&mut v, pod);
    let mut out = v.out;
    crate::diag::sort(&mut out);
    out
}

/// What controllers demand of their pod template's `restartPolicy` (apps and batch validation).
fn controller_restart_policy(v: &mut V<'_>, workload: &Workload) {
    let pod = &workload.pod;
    let path = format!("{}.restartPolicy", workload.spec_path);
    if workload.is_job() {
        // Unset is defaulted to Always before validation, so both get the same error; it sits on the
        // value when there is one, else on the pod spec's key.
        if pod.restart_policy == RestartPolicy::Always {
            let message = "Required value: valid values: \"OnFailure\", \"Never\"".to_string();
            let d = if pod.restart_policy_set {
                v.at_value(path, message)
            } else {
                v.at_key(path, message)
            };
            hint(d, "a Job's pods run to completion: set restartPolicy: OnFailure or Never (unset means Always, which a Job refuses)");
        }
    } else if !matches!(workload.kind.as_str(), "Pod" | "PodTemplate")
        && pod.restart_policy != RestartPolicy::Always
    {
        v.at_value(
            path,
            format!(
                "Unsupported value: \"{}\": supported values: \"Always\"",
                pod.restart_policy.as_str()
            ),
        );
    }
}

fn name<'a>(v: &mut V<'_>, c: &'a Container, names: &mut HashSet<&'a str>) {
    let path = format!("{}.name", c.path);
    if c.name.is_empty() {
        // Nameless containers are not also reported as duplicates of each other: one error says it.
        v.at_key(path, "Required value".into());
        return;
    }
    for message in dns1123_label_errors(&c.name) {
        v.at_value(
            path.clone(),
            format!("Invalid value: \"{}\": {message}", c.name),
        );
    }
    if !names.insert(&c.name) {
        v.at_value(path, format!("Duplicate value: \"{}\"", c.name));
    }
}

fn container(
    v: &mut V<'_>,
    workload: &Workload,
    c: &Container,
    volumes: &[&str],
    kube: &crate::features::Kube,
) {
    let pod = &workload.pod;
    let p = |f: &str| format!("{}.{f}", c.path);
    stop_signal(v, c, pod.os_name.as_deref());
    if c.image.is_empty() {
        v.at_key(p("image"), "Required value".into());
    } else if workload.kind == "Pod" && c.image.trim() != c.image {
        // validateContainerOnlyForPod: checked on Pods, not on pod templates.
        v.at_value(
            p("image"),
            format!(
                "Invalid value: \"{}\": must not have leading or trailing whitespace",
                c.image
            ),
        );
    }
    if let Some(policy) = c.image_pull_policy.as_deref().filter(|p| !p.is_empty()) {
        if !matches!(policy, "Always" | "IfNotPresent" | "Never") {
            v.at_value(p("imagePullPolicy"), format!("Unsupported value: \"{policy}\": supported values: \"Always\", \"IfNotPresent\", \"Never\""));
        }
    }
    let rules = kube.enabled(crate::features::Gate::ContainerRestartRules);
    match (c.kind, c.restart_policy.as_deref()) {
        (_, Some("Always" | "OnFailure" | "Never")) if rules => {}
        (_, Some(other)) if rules => {
            v.at_value(p("restartPolicy"), format!("Unsupported value: \"{other}\": supported values: \"Always\", \"OnFailure\", \"Never\""));
        }
        (ContainerKind::Init, Some(other)) => hint(
            v.at_value(p("restartPolicy"), format!("Unsupported value: \"{other}\": supported values: \"Always\"")),
            "only restartPolicy: Always is accepted on an init container, and it makes it a sidecar (other values need the ContainerRestartRules feature, beta and on from 1.35)",
        ),
        (ContainerKind::App, Some(_)) => hint(
            v.at_key(p("restartPolicy"), "Forbidden: may not be set for non-init containers".into()),
            "a regular container's restartPolicy needs the ContainerRestartRules feature (alpha in 1.34, on by default from 1.35); without it the pod's restartPolicy applies",
        ),
        _ => {}
    }
    let restart_all = kube.enabled(crate::features::Gate::RestartAllContainersOnContainerExits);
    for (i, r) in c.restart_rules.iter().enumerate() {
        let rp = format!("{}[{i}]", p("restartPolicyRules"));
        // With KEP-5532's gate on `RestartAllContainers` is accepted too; 1.35's message still lists
        // only "Restart" (kubernetes/kubernetes#137368, fixed after 1.35).
        if r.action != "Restart" && !(restart_all && r.action == "RestartAllContainers") {
            v.at_value(
                format!("{rp}.action"),
                format!(
                    "Unsupported value: \"{}\": supported values: \"Restart\"",
                    r.action
                ),
            );
        }
        if !matches!(r.operator.as_str(), "In" | "NotIn") {
            v.at_value(
                format!("{rp}.exitCodes.operator"),
                format!(
                    "Unsupported value: \"{}\": supported values: \"In\", \"NotIn\"",
                    r.operator
                ),
            );
        }
    }
    if c.kind == ContainerKind::Init {
        let forbidden = [
            ("lifecycle", v.locs.is_set(&p("lifecycle"))),
            ("livenessProbe", c.liveness_probe.is_some()),
            ("readinessProbe", c.readiness_probe.is_some()),
            ("startupProbe", c.startup_probe.is_some()),
        ];
        for (field, set) in forbidden {
            if set {
                let d = v.at_key(
                    p(field),
                    "Forbidden: may not be set for init containers without restartPolicy=Always"
                        .into(),
                );
                hint(d, &format!("a regular init container cannot have a {field}; to make it a sidecar add restartPolicy: Always"));
            }
        }
    } else {
        for kind in [
            ProbeKind::Startup,
            ProbeKind::Readiness,
            ProbeKind::Liveness,
        ] {
            if let Some(probe) = c.probe(kind) {
                self::probe(v, &p(kind.field()), kind, probe);
            }
        }
        for (field, hook) in [("postStart", &c.post_start), ("preStop", &c.pre_stop)] {
            if let Some(handler) = hook {
                self::hook(
                    v,
                    &format!("{}.lifecycle.{field}", c.path),
                    handler.as_ref(),
                    pod.termination_grace_period_s,
                    kube,
                );
            }
        }
    }
    ports(v, c);
    volume_mounts(v, c, volumes);
    resources(v, c);
}

fn probe(v: &mut V<'_>, path: &str, kind: ProbeKind, probe: &Probe) {
    handler_rules(v, path, probe.handler.as_ref(), HANDLERS);
    for (field, value) in [
        ("initialDelaySeconds", probe.initial_delay_s),
        ("timeoutSeconds", probe.timeout_s),
        ("periodSeconds", probe.period_s),
        ("successThreshold", probe.success_threshold),
        ("failureThreshold", probe.failure_threshold),
    ] {
        if value < 0 {
            v.at_value(
                format!("{path}.{field}"),
                format!("Invalid value: {value}: must be greater than or equal to 0"),
            );
        }
    }
    let grace_path = format!("{path}.terminationGracePeriodSeconds");
    if let Some(g) = probe.termination_grace_period_s.filter(|g| *g <= 0) {
        v.at_value(
            grace_path.clone(),
            format!("Invalid value: {g}: must be greater than 0"),
        );
    }
    // Both rules below come after validateProbe's and may repeat a field it already reported, as the
    // API server does (a negative successThreshold on a liveness probe gets two errors).
    match kind {
        ProbeKind::Readiness => {
            if let Some(g) = probe.termination_grace_period_s {
                v.at_value(
                    grace_path,
                    format!("Invalid value: {g}: must not be set for readinessProbes"),
                );
            }
        }
        ProbeKind::Liveness | ProbeKind::Startup => {
            if probe.success_threshold != 1 {
                v.at_value(
                    format!("{path}.successThreshold"),
                    format!("Invalid value: {}: must be 1", probe.success_threshold),
                );
            }
        }
    }
}

fn hook(
    v: &mut V<'_>,
    path: &str,
    handler: Option<&Handler>,
    grace_s: i64,
    kube: &crate::features::Kube,
) {
    use crate::features::Gate;
    if let Some(Handler::Sleep { .. }) = handler {
        if !kube.enabled(Gate::PodLifecycleSleepAction) {
            // Before 1.29 `sleep` is not a field; in 1.29 its gate is off and the API server drops
            // it: either way the hook is left without a handler.
            let sleep = format!("{path}.sleep");
            let message = match Gate::PodLifecycleSleepAction.spec(kube.minor) {
                None => format!("unknown field \"{sleep}\" (the sleep action arrives in 1.29)"),
                Some((_, stage)) => format!(
                    "dropped: the PodLifecycleSleepAction feature gate is off ({} in 1.{})",
                    stage.as_str(),
                    kube.minor
                ),
            };
            let pos = v.locs.key(&sleep);
            let severity = match Gate::PodLifecycleSleepAction.spec(kube.minor) {
                None if kube.strict => Severity::Error,
                _ => Severity::Warning,
            };
            v.push(severity, pos, sleep, message);
            v.at_key(
                path.to_string(),
                "Required value: must specify a handler type".into(),
            );
            return;
        }
    }
    handler_rules(v, path, handler, HANDLERS);
    if let Some(Handler::Sleep { seconds }) = handler {
        // PodLifecycleSleepActionAllowZero (on from 1.33): 0 is fine, and so is the grace itself.
        let zero = kube.enabled(Gate::PodLifecycleSleepActionAllowZero);
        if *seconds < 0 || (*seconds == 0 && !zero) || *seconds > grace_s {
            let path = format!("{path}.sleep");
            // The API server names the `sleep` field; the number is what to fix.
            let pos = v.locs.value(&format!("{path}.seconds"));
            let bound = if zero {
                "must be non-negative"
            } else {
                "must be greater than 0"
            };
            let message = format!("Invalid value: {seconds}: {bound} and less than terminationGracePeriodSeconds ({grace_s})");
            v.push(Severity::Error, pos, path, message);
        }
    }
}

/// Handler fields in the order the API server checks them: the first one written is accepted, every
/// later one is forbidden, wherever it sits in the file.
const HANDLERS: &[&str] = &["exec", "httpGet", "tcpSocket", "grpc", "sleep"];

fn handler_rules(v: &mut V<'_>, path: &str, handler: Option<&Handler>, order: &[&str]) {
    // One buffer for the candidate paths: this runs for every probe and hook of every container.
    let mut candidate = String::with_capacity(path.len() + 12);
    let mut written: Vec<String> = Vec::new();
    for h in order {
        candidate.clear();
        candidate.push_str(path);
        candidate.push('.');
        candidate.push_str(h);
        if v.locs.is_set(&candidate) {
            written.push(candidate.clone());
        }
    }
    if written.is_empty() {
        v.at_key(
            path.to_string(),
            "Required value: must specify a handler type".into(),
        );
        return;
    }
    for extra in &written[1..] {
        v.at_key(
            extra.clone(),
            "Forbidden: may not specify more than 1 handler type".into(),
        );
    }
    match handler {
        Some(Handler::Exec { command }) if command.is_empty() => {
            v.at_key(format!("{path}.exec.command"), "Required value".into());
        }
        Some(Handler::HttpGet { port, scheme, .. }) => {
            port_num_or_name(v, &format!("{path}.httpGet.port"), port);
            if scheme != "HTTP" && scheme != "HTTPS" {
                v.at_value(
                    format!("{path}.httpGet.scheme"),
                    format!(
                        "Unsupported value: \"{scheme}\": supported values: \"HTTP\", \"HTTPS\""
                    ),
                );
            }
        }
        Some(Handler::TcpSocket { port }) => {
            port_num_or_name(v, &format!("{path}.tcpSocket.port"), port)
        }
        Some(Handler::Grpc { port }) => {
            port_num_or_name(v, &format!("{path}.grpc.port"), &Port::Number(*port))
        }
        _ => {}
    }
}

/// `ValidatePortNumOrName`.
fn port_num_or_name(v: &mut V<'_>, path: &str, port: &Port) {
    match port {
        Port::Number(n) if !(1..=65535).contains(n) => {
            v.at_value(
                path.to_string(),
                format!("Invalid value: {n}: {PORT_RANGE}"),
            );
        }
        Port::Name(name) => {
            for message in port_name_errors(name) {
                v.at_value(
                    path.to_string(),
                    format!("Invalid value: \"{name}\": {message}"),
                );
            }
        }
        Port::Number(_) => {}
    }
}

/// `validateContainerPorts`.
fn ports(v: &mut V<'_>, c: &Container) {
    let mut names: HashSet<&str> = HashSet::new();
    for (i, port) in c.ports.iter().enumerate() {
        let pp = format!("{}.ports[{i}]", c.path);
        if let Some(name) = port.name.as_deref().filter(|n| !n.is_empty()) {
            let errors = port_name_errors(name);
            if !errors.is_empty() {
                for message in errors {
                    v.at_value(
                        format!("{pp}.name"),
                        format!("Invalid value: \"{name}\": {message}"),
                    );
                }
            } else if !names.insert(name) {
                v.at_value(format!("{pp}.name"), format!("Duplicate value: \"{name}\""));
            }
        }
        if port.container_port == 0 {
            v.at_key(format!("{pp}.containerPort"), "Required value".into());
        } else if !(1..=65535).contains(&port.container_port) {
            v.at_value(
                format!("{pp}.containerPort"),
                format!("Invalid value: {}: {PORT_RANGE}", port.container_port),
            );
        }
        if let Some(hp) = port
            .host_port
            .filter(|h| *h != 0 && !(1..=65535).contains(h))
        {
            v.at_value(
                format!("{pp}.hostPort"),
                format!("Invalid value: {hp}: {PORT_RANGE}"),
            );
        }
        if !matches!(port.protocol.as_str(), "TCP" | "UDP" | "SCTP") {
            v.at_value(
                format!("{pp}.protocol"),
                format!(
                    "Unsupported value: \"{}\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
                    port.protocol
                ),
            );
        }
    }
}

/// `checkHostPortConflicts`: regular containers run together, so their host ports (per protocol and host
/// IP) must differ; init containers run one at a time, so each is only checked against itself.
fn host_ports(v: &mut V<'_>, pod: &PodSpec) {
    let mut app: HashSet<String> = HashSet::new();
    for c in pod.all_containers() {
        let mut own: HashSet<String> = HashSet::new();
        let seen = if c.kind == ContainerKind::App {
            &mut app
        } else {
            &mut own
        };
        for (i, port) in c.ports.iter().enumerate() {
            let Some(hp) = port.host_port.filter(|h| *h != 0) else {
                continue;
            };
            let key = format!("{}/{}/{hp}", port.protocol, port.host_ip);
            if !seen.insert(key.clone()) {
                v.at_value(
                    format!("{}.ports[{i}].hostPort", c.path),
                    format!("Duplicate value: \"{key}\""),
                );
            }
        }
    }
}

/// The port warnings `kubectl apply` prints (pod `warnings.go`), over init and regular containers alike.
fn port_warnings(v: &mut V<'_>, pod: &PodSpec) {
    // Every port with its path and its `containerPort/protocol` key, in spec order.
    let mut ports: Vec<(String, String, &ContainerPort)> = Vec::new();
    for c in pod.all_containers() {
        for (i, port) in c.ports.iter().enumerate() {
            let key = format!("{}/{}", port.container_port, port.protocol);
            ports.push((format!("{}.ports[{i}]", c.path), key, port));
        }
    }
    // The ports seen so far, in spec order, by key: each port is compared with the earlier ones sharing
    // its key.
    let mut earlier: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, (path, key, port)) in ports.iter().enumerate() {
        let host_port = port.host_port.unwrap_or(0);
        if !port.host_ip.is_empty() && host_port == 0 {
            let shown = format!(
                "{{Name:{} HostPort:0 ContainerPort:{} Protocol:{} HostIP:{}}}",
                port.name.as_deref().unwrap_or(""),
                port.container_port,
                port.protocol,
                port.host_ip
            );
            v.warn_at_key(
                path.clone(),
                format!("hostIP set without hostPort: {shown}"),
            );
        }
        let same_key = earlier.entry(key).or_default();
        for &j in same_key.iter() {
            let (other_path, _, other) = &ports[j];
            let other_host_port = other.host_port.unwrap_or(0);
            let what = if port.host_ip == other.host_ip && host_port == other_host_port {
                "duplicate"
            } else if host_port == 0 || other_host_port == 0 {
                "overlapping"
            } else if host_port == other_host_port
                && port.host_ip.is_empty() != other.host_ip.is_empty()
            {
                "dangerously ambiguous"
            } else {
                continue;
            };
            v.warn_at_key(
                path.clone(),
                format!("{what} port definition with {other_path}"),
            );
        }
        same_key.push(i);
    }
}

/// `ValidateVolumeMounts`.
fn volume_mounts(v: &mut V<'_>, c: &Container, volumes: &[&str]) {
    let mut mount_points: HashSet<&str> = HashSet::new();
    for (i, m) in c.volume_mounts.iter().enumerate() {
        let mp = format!("{}.volumeMounts[{i}]", c.path);
        if m.name.is_empty() {
            v.at_key(format!("{mp}.name"), "Required value".into());
        }
        if !volumes.contains(&m.name.as_str()) {
            v.at_value(format!("{mp}.name"), format!("Not found: \"{}\"", m.name));
        }
        if m.mount_path.is_empty() {
            v.at_key(format!("{mp}.mountPath"), "Required value".into());
        }
        if !mount_points.insert(&m.mount_path) {
            v.at_value(
                format!("{mp}.mountPath"),
                format!("Invalid value: \"{}\": must be unique", m.mount_path),
            );
        }
    }
}

/// Resource names a container may ask for without a domain prefix (`IsStandardContainerResourceName`).
fn is_standard_container_resource(name: &str) -> bool {
    matches!(name, "cpu" | "memory" | "ephemeral-storage") || name.starts_with("hugepages-")
}

/// Names the API server knows without a domain prefix at all (`IsStandardResourceName`): the container
/// ones plus quota names.
fn is_standard_resource(name: &str) -> bool {
    is_standard_container_resource(name)
        || name.starts_with("requests.hugepages-")
        || matches!(
            name,
            "requests.cpu"
                | "requests.memory"
                | "requests.ephemeral-storage"
                | "limits.cpu"
                | "limits.memory"
                | "limits.ephemeral-storage"
                | "pods"
                | "services"
                | "replicationcontrollers"
                | "resourcequotas"
                | "secrets"
                | "persistentvolumeclaims"
                | "configmaps"
                | "requests.storage"
                | "services.nodeports"
                | "services.loadbalancers"
        )
}

/// Native resources (no domain, or a kubernetes.io one) may be over-committed, except huge pages.
fn overcommit_allowed(name: &str) -> bool {
    let native = !name.contains('/') || name.contains("kubernetes.io/");
    native && !name.starts_with("hugepages-")
}

/// `ValidateContainerResourceRequirements` and the fractional-bytes warnings. Only what was written is
/// checked: a request the API server copied from a limit would only repeat the limit's error.
fn resources(v: &mut V<'_>, c: &Container) {
    const NANO: i128 = 1_000_000_000;
    let base = format!("{}.resources", c.path);
    for (list, values) in [("limits", &c.limits), ("requests", &c.requests)] {
        for (name, q) in values {
            let loc = format!("{base}.{list}.{name}");
            if !v.locs.has(&loc) {
                continue;
            }
            // The API server writes a resource's path as a map key: `resources.requests[cpu]`.
            let path = format!("{base}.{list}[{name}]");
            let key = v.locs.key(&loc);
            let value = v.locs.value(&loc);
            let error = |v: &mut V<'_>, pos: Pos, message: String| {
                v.push(Severity::Error, pos, path.clone(), message);
            };
            if !name.contains('/') {
                if !is_standard_resource(name) {
                    error(v, key, format!("Invalid value: \"{name}\": must be a standard resource type or fully qualified"));
                }
                if !is_standard_container_resource(name) {
                    error(
                        v,
                        key,
                        format!(
                            "Invalid value: \"{name}\": must be a standard resource for containers"
                        ),
                    );
                }
            }
            if q.nanos < 0 {
                error(
                    v,
                    value,
                    format!("Invalid value: \"{q}\": must be greater than or equal to 0"),
                );
            }
            if !overcommit_allowed(name) && !name.starts_with("hugepages-") && q.nanos % NANO != 0 {
                error(
                    v,
                    value,
                    format!("Invalid value: \"{q}\": must be an integer"),
                );
            }
            if matches!(name.as_str(), "memory" | "ephemeral-storage") && q.nanos % NANO != 0 {
                let message =
                    format!("fractional byte value \"{q}\" is invalid, must be an integer");
                v.push(Severity::Warning, value, path.clone(), message);
            }
            if list == "requests" {
                request_vs_limit(v, c, &base, name, *q, value);
            }
        }
    }
}

fn request_vs_limit(
    v: &mut V<'_>,
    c: &Container,
    base: &str,
    name: &str,
    request: Quantity,
    pos: Pos,
) {
    // The API server reports these on the whole `requests` map, not on the one resource.
    let path = format!("{base}.requests");
    match c.limits.get(name) {
        Some(limit) if !overcommit_allowed(name) && request != *limit => {
            v.push(
                Severity::Error,
                pos,
                path,
                format!("Invalid value: \"{request}\": must be equal to {name} limit of {limit}"),
            );
        }
        Some(limit) if request > *limit => {
            v.push(Severity::Error, pos, path, format!("Invalid value: \"{request}\": must be less than or equal to {name} limit of {limit}"));
        }
        Some(_) => {}
        None if !overcommit_allowed(name) => {
            let pos = v.locs.key(&format!("{base}.limits"));
            v.push(
                Severity::Error,
                pos,
                format!("{base}.limits"),
                "Required value: Limit must be set for non overcommitable resources".into(),
            );
        }
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_label_messages_match_the_api_server() {
        assert!(dns1123_label_errors("ok-123").is_empty());
        assert_eq!(dns1123_label_errors("my.app"), ["must not contain dots"]);
        assert_eq!(
            dns1123_label_errors("My"),
            ["a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"]
        );
        assert_eq!(
            dns1123_label_errors(&"a".repeat(64)),
            ["must be no more than 63 characters"]
        );
    }

    #[test]
    fn port_name_messages() {
        assert!(port_name_errors("http").is_empty());
        assert_eq!(
            port_name_errors("8080"),
            ["must contain at least one letter (a-z)"]
        );
        assert_eq!(
            port_name_errors("-a--"),
            [
                "must not contain consecutive hyphens",
                "must not begin or end with a hyphen"
            ]
        );
    }
}
