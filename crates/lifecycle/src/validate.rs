//! Validation as the API server does it, for everything the lifecycle depends on (spec §11 and the basics).
//!
//! Messages keep the API server's shape (`<path>: <Type>: <detail>`) and are placed with [`Locs`]: a
//! `Forbidden` or `Required` error points at the key, an `Invalid`/`Unsupported` one at the value.

use crate::decode::Locs;
use crate::diag::{Diagnostic, Severity};
use crate::spec::*;
use std::collections::BTreeMap;

struct V<'a> {
    locs: &'a Locs,
    out: Vec<Diagnostic>,
}

impl V<'_> {
    fn at_value(&mut self, path: String, message: String) -> &mut Diagnostic {
        let pos = self.locs.value(&path);
        self.out.push(Diagnostic::new(Severity::Error, pos, path, message));
        self.out.last_mut().expect("just pushed")
    }
    fn at_key(&mut self, path: String, message: String) -> &mut Diagnostic {
        let pos = self.locs.key(&path);
        self.out.push(Diagnostic::new(Severity::Error, pos, path, message));
        self.out.last_mut().expect("just pushed")
    }
    fn warn_at_key(&mut self, path: String, message: String) {
        let pos = self.locs.key(&path);
        self.out.push(Diagnostic::new(Severity::Warning, pos, path, message));
    }
}

const DNS1123_LABEL: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

pub fn is_dns1123_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

/// Validates one workload's pod spec; the decoder has already reported type and syntax errors.
pub fn validate(workload: &Workload, locs: &Locs) -> Vec<Diagnostic> {
    let mut v = V { locs, out: Vec::new() };
    let pod = &workload.pod;
    let spec = &workload.spec_path;

    if workload.is_job() {
        if pod.restart_policy == RestartPolicy::Always {
            let path = format!("{spec}.restartPolicy");
            let message = "Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"".to_string();
            v.at_value(path, message).hint = Some("a Job's pod template must set restartPolicy: OnFailure or Never (the pod default, Always, is refused)".into());
        }
    } else if workload.kind != "Pod" && workload.kind != "PodTemplate" && pod.restart_policy != RestartPolicy::Always {
        let path = format!("{spec}.restartPolicy");
        v.at_value(path, format!("Unsupported value: \"{}\": supported values: \"Always\"", pod.restart_policy.as_str()));
    }

    if pod.containers.is_empty() {
        v.at_key(format!("{spec}.containers"), "Required value".into());
    }

    // Names: init and regular containers share one namespace.
    let mut names: BTreeMap<&str, ()> = BTreeMap::new();
    for c in pod.all_containers() {
        let path = format!("{}.name", c.path);
        if c.name.is_empty() {
            v.at_key(path, "Required value".into());
        } else {
            if c.name.len() > 63 {
                v.at_value(path.clone(), format!("Invalid value: \"{}\": must be no more than 63 characters", c.name));
            } else if !is_dns1123_label(&c.name) {
                v.at_value(path.clone(), format!("Invalid value: \"{}\": {DNS1123_LABEL}", c.name));
            }
            if names.insert(&c.name, ()).is_some() {
                v.at_value(path, format!("Duplicate value: \"{}\"", c.name));
            }
        }
    }

    let volumes: Vec<&str> = pod.volumes.iter().map(String::as_str).collect();
    let mut app_host_ports: BTreeMap<(i64, String), ()> = BTreeMap::new();
    let mut container_ports: BTreeMap<(i64, String), String> = BTreeMap::new();
    for c in pod.all_containers() {
        container(&mut v, pod, c, &volumes);
        // Host ports: each init container on its own, the regular containers together (VAL).
        let mut own: BTreeMap<(i64, String), ()> = BTreeMap::new();
        for (i, p) in c.ports.iter().enumerate() {
            let pp = format!("{}.ports[{i}]", c.path);
            if let Some(hp) = p.host_port.filter(|h| *h != 0) {
                let key = (hp, p.protocol.clone());
                let seen = if c.kind == ContainerKind::App { &mut app_host_ports } else { &mut own };
                if seen.insert(key, ()).is_some() {
                    v.at_value(format!("{pp}.hostPort"), format!("Duplicate value: \"{hp}/{}\"", p.protocol));
                }
            }
            if p.container_port != 0 {
                let key = (p.container_port, p.protocol.clone());
                if let Some(first) = container_ports.get(&key) {
                    v.warn_at_key(pp.clone(), format!("duplicate port definition with {first}"));
                } else {
                    container_ports.insert(key, pp);
                }
            }
        }
    }

    resources(&mut v, pod);
    let mut out = v.out;
    crate::diag::sort(&mut out);
    out
}

fn container(v: &mut V<'_>, pod: &PodSpec, c: &Container, volumes: &[&str]) {
    let p = |f: &str| format!("{}.{f}", c.path);
    if c.image.is_empty() {
        v.at_key(p("image"), "Required value".into());
    } else if c.image.trim() != c.image {
        v.at_value(p("image"), format!("Invalid value: \"{}\": must not have leading or trailing whitespace", c.image));
    }
    if let Some(policy) = &c.image_pull_policy {
        if !matches!(policy.as_str(), "Always" | "IfNotPresent" | "Never") {
            v.at_value(p("imagePullPolicy"), format!("Unsupported value: \"{policy}\": supported values: \"Always\", \"IfNotPresent\", \"Never\""));
        }
    }
    match (c.kind, c.restart_policy.as_deref()) {
        (ContainerKind::Init, Some(other)) => {
            v.at_value(p("restartPolicy"), format!("Unsupported value: \"{other}\": supported values: \"Always\""))
                .hint = Some("only restartPolicy: Always is accepted on an init container, and it makes it a sidecar".into());
        }
        (ContainerKind::App, Some(_)) => {
            v.at_key(p("restartPolicy"), "Forbidden: may not be set for non-init containers".into()).hint =
                Some("a restart policy on a regular container needs Kubernetes 1.34+ with ContainerRestartRules; the pod's restartPolicy applies".into());
        }
        _ => {}
    }
    if c.kind == ContainerKind::Init {
        let forbidden = [
            ("lifecycle", c.post_start.is_some() || c.pre_stop.is_some() || v.locs.has(&p("lifecycle"))),
            ("livenessProbe", c.liveness_probe.is_some()),
            ("readinessProbe", c.readiness_probe.is_some()),
            ("startupProbe", c.startup_probe.is_some()),
        ];
        for (field, set) in forbidden {
            if set {
                v.at_key(p(field), "Forbidden: may not be set for init containers without restartPolicy=Always".into()).hint =
                    Some(format!("a regular init container cannot have a {field}; to make it a sidecar add restartPolicy: Always"));
            }
        }
    } else {
        for kind in [ProbeKind::Startup, ProbeKind::Readiness, ProbeKind::Liveness] {
            if let Some(probe) = c.probe(kind) {
                self::probe(v, &p(kind.field()), kind, probe);
            }
        }
        for (field, hook) in [("postStart", &c.post_start), ("preStop", &c.pre_stop)] {
            if let Some(handler) = hook {
                self::hook(v, &format!("{}.lifecycle.{field}", c.path), handler.as_ref(), pod.termination_grace_period_s);
            }
        }
    }
    let mut port_names: BTreeMap<&str, ()> = BTreeMap::new();
    for (i, port) in c.ports.iter().enumerate() {
        let pp = format!("{}.ports[{i}]", c.path);
        if port.container_port == 0 {
            v.at_key(format!("{pp}.containerPort"), "Required value".into());
        } else if !(1..=65535).contains(&port.container_port) {
            v.at_value(format!("{pp}.containerPort"), format!("Invalid value: {}: must be between 1 and 65535, inclusive", port.container_port));
        }
        if let Some(hp) = port.host_port {
            if !(0..=65535).contains(&hp) {
                v.at_value(format!("{pp}.hostPort"), format!("Invalid value: {hp}: must be between 1 and 65535, inclusive"));
            }
        }
        if !matches!(port.protocol.as_str(), "TCP" | "UDP" | "SCTP") {
            v.at_value(format!("{pp}.protocol"), format!("Unsupported value: \"{}\": supported values: \"SCTP\", \"TCP\", \"UDP\"", port.protocol));
        }
        if let Some(name) = &port.name {
            if port_names.insert(name, ()).is_some() {
                v.at_value(format!("{pp}.name"), format!("Duplicate value: \"{name}\""));
            }
        }
    }
    for (i, m) in c.volume_mounts.iter().enumerate() {
        let mp = format!("{}.volumeMounts[{i}]", c.path);
        if m.name.is_empty() {
            v.at_key(format!("{mp}.name"), "Required value".into());
        } else if !volumes.contains(&m.name.as_str()) {
            v.at_value(format!("{mp}.name"), format!("Not found: \"{}\"", m.name));
        }
        if m.mount_path.is_empty() {
            v.at_key(format!("{mp}.mountPath"), "Required value".into());
        }
    }
}

fn probe(v: &mut V<'_>, path: &str, kind: ProbeKind, probe: &Probe) {
    let handlers = handler_count(v, path);
    handler_rules(v, path, handlers, probe.handler.as_ref());
    for (field, value) in [
        ("initialDelaySeconds", probe.initial_delay_s),
        ("timeoutSeconds", probe.timeout_s),
        ("periodSeconds", probe.period_s),
        ("successThreshold", probe.success_threshold),
        ("failureThreshold", probe.failure_threshold),
    ] {
        if value < 0 {
            v.at_value(format!("{path}.{field}"), format!("Invalid value: {value}: must be greater than or equal to 0"));
        }
    }
    if kind != ProbeKind::Readiness && probe.success_threshold != 1 && probe.success_threshold >= 0 {
        v.at_value(format!("{path}.successThreshold"), format!("Invalid value: {}: must be 1", probe.success_threshold));
    }
    if let Some(g) = probe.termination_grace_period_s {
        let gp = format!("{path}.terminationGracePeriodSeconds");
        if kind == ProbeKind::Readiness {
            v.at_value(gp, format!("Invalid value: {g}: must not be set for readinessProbes"));
        } else if g <= 0 {
            v.at_value(gp, format!("Invalid value: {g}: must be greater than 0"));
        }
    }
    if let Some(handler) = &probe.handler {
        port_rules(v, path, handler);
    }
}

fn hook(v: &mut V<'_>, path: &str, handler: Option<&Handler>, grace_s: i64) {
    let handlers = handler_count(v, path);
    handler_rules(v, path, handlers, handler);
    if let Some(Handler::Sleep { seconds }) = handler {
        if *seconds < 0 || *seconds > grace_s {
            v.at_value(
                format!("{path}.sleep"),
                format!("Invalid value: {seconds}: must be non-negative and less than terminationGracePeriodSeconds ({grace_s})"),
            );
        }
    }
    if let Some(handler) = handler {
        port_rules(v, path, handler);
    }
}

/// The handler fields written under `path`, in source order.
fn handler_count(v: &V<'_>, path: &str) -> Vec<String> {
    ["exec", "httpGet", "tcpSocket", "grpc", "sleep"]
        .iter()
        .map(|h| format!("{path}.{h}"))
        .filter(|p| v.locs.has(p))
        .collect()
}

fn handler_rules(v: &mut V<'_>, path: &str, written: Vec<String>, handler: Option<&Handler>) {
    if written.is_empty() {
        v.at_key(path.to_string(), "Required value: must specify a handler type".into());
        return;
    }
    let mut written = written;
    written.sort_by_key(|p| v.locs.key(p));
    for extra in written.iter().skip(1) {
        v.at_key(extra.clone(), "Forbidden: may not specify more than 1 handler type".into());
    }
    if let Some(Handler::Exec { command }) = handler {
        if command.is_empty() {
            v.at_key(format!("{path}.exec.command"), "Required value".into());
        }
    }
}

fn port_rules(v: &mut V<'_>, path: &str, handler: &Handler) {
    let (field, port) = match handler {
        Handler::HttpGet { port, .. } => ("httpGet.port", port.clone()),
        Handler::TcpSocket { port } => ("tcpSocket.port", port.clone()),
        Handler::Grpc { port } => ("grpc.port", Port::Number(*port)),
        _ => return,
    };
    let pp = format!("{path}.{field}");
    match port {
        Port::Number(n) if !(1..=65535).contains(&n) => {
            v.at_value(pp, format!("Invalid value: {n}: must be between 1 and 65535, inclusive"));
        }
        Port::Name(name) if name.is_empty() || name.len() > 15 || !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') => {
            v.at_value(pp, format!("Invalid value: \"{name}\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"));
        }
        _ => {}
    }
}

fn resources(v: &mut V<'_>, pod: &PodSpec) {
    for c in pod.all_containers() {
        for (name, q) in c.requests.iter().chain(c.limits.iter()) {
            if q.nanos < 0 {
                let which = if c.limits.get(name) == Some(q) && !c.requests.contains_key(name) { "limits" } else { "requests" };
                v.at_value(format!("{}.resources.{which}.{name}", c.path), format!("Invalid value: \"{q}\": must be greater than or equal to 0"));
            }
        }
        for (name, req) in &c.requests {
            if let Some(limit) = c.limits.get(name) {
                if req > limit {
                    let path = format!("{}.resources.requests.{name}", c.path);
                    let pos = v.locs.value(&path);
                    v.out.push(Diagnostic::new(
                        Severity::Error,
                        pos,
                        format!("{}.resources.requests[{name}]", c.path),
                        format!("Invalid value: \"{req}\": must be less than or equal to {name} limit of {limit}"),
                    ));
                }
            }
        }
    }
}
