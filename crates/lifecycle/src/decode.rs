//! Decoding: from the position-carrying tree to the typed [`PodSpec`].
//!
//! This is where API-server *decoding* behaviour lives: type errors, field validation (an unknown field
//! is an error with its path, as `kubectl apply`'s strict validation, the default since 1.27, makes it;
//! a warning with `--validate=warn`) and defaulting
//! (`SetDefaults_PodSpec`, `SetDefaults_Probe`). Every field visited is recorded in [`Locs`] so that
//! validation, which runs later on the typed model, can point at the exact key or value.

use crate::diag::{Diagnostic, Severity};
use crate::limits;
use crate::quantity::Quantity;
use crate::quote::quote;
use crate::spec::*;
use crate::tree::{parse_int, Node, Pos, Value};
use std::collections::{HashMap, HashSet};

/// Positions of every decoded field, by full field path: (position of the key, position of the value).
///
/// Besides positions it remembers two facts validation needs and the typed model cannot hold: which
/// fields were written as `null` (the API server treats them as absent, yet a diagnostic about them still
/// wants their position), and which fields the decoder already refused (so validation does not pile a
/// `Required value` on top of a type error). The empty path is the object itself, the last resort for
/// placing an error about something missing.
#[derive(Default)]
pub struct Locs {
    /// Only looked up, never walked, so hashed: no order shows.
    map: HashMap<String, (Pos, Pos)>,
    nulls: HashSet<String>,
    invalid: HashSet<String>,
}

impl Locs {
    pub fn record(&mut self, path: &str, key: Pos, value: Pos) {
        self.map.insert(path.to_string(), (key, value));
    }
    /// Records `node` under `path`, remembering whether it is `null`.
    pub fn record_node(&mut self, path: &str, key: Pos, node: &Node) {
        self.record(path, key, node.pos);
        if matches!(node.value, Value::Null) {
            self.nulls.insert(path.to_string());
        }
    }
    /// The field was written with a non-null value (what a Go pointer field being non-nil means).
    pub fn is_set(&self, path: &str) -> bool {
        self.map.contains_key(path) && !self.nulls.contains(path)
    }
    /// The decoder already reported an error for this exact path.
    pub fn is_invalid(&self, path: &str) -> bool {
        self.invalid.contains(path)
    }
    pub(crate) fn mark_invalid(&mut self, path: &str) {
        self.invalid.insert(path.to_string());
    }
    /// Where `path`'s key is, or its nearest recorded ancestor's.
    pub fn key(&self, path: &str) -> Pos {
        self.find(path).0
    }
    /// Where `path`'s value is, or its nearest recorded ancestor's.
    pub fn value(&self, path: &str) -> Pos {
        self.find(path).1
    }
    pub fn has(&self, path: &str) -> bool {
        self.map.contains_key(path)
    }
    fn find(&self, path: &str) -> (Pos, Pos) {
        let mut p = path;
        loop {
            if let Some(found) = self.map.get(p) {
                return *found;
            }
            match p.rfind(['.', '[']) {
                Some(i) => p = &p[..i],
                None => {
                    return self
                        .map
                        .get("")
                        .copied()
                        .unwrap_or((Pos::new(1, 1), Pos::new(1, 1)))
                }
            }
        }
    }
}

pub(crate) struct Decoder<'a> {
    pub locs: &'a mut Locs,
    pub diags: &'a mut Vec<Diagnostic>,
    /// An unknown field is an error (kubectl's strict field validation), else a warning.
    pub strict: bool,
}

pub(crate) const OBJECT_META: &[&str] = &[
    "name",
    "generateName",
    "namespace",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
    "managedFields",
];

pub(crate) const POD_SPEC: &[&str] = &[
    "volumes",
    "initContainers",
    "containers",
    "ephemeralContainers",
    "restartPolicy",
    "terminationGracePeriodSeconds",
    "activeDeadlineSeconds",
    "dnsPolicy",
    "nodeSelector",
    "serviceAccountName",
    "serviceAccount",
    "automountServiceAccountToken",
    "nodeName",
    "hostNetwork",
    "hostPID",
    "hostIPC",
    "shareProcessNamespace",
    "securityContext",
    "imagePullSecrets",
    "hostname",
    "subdomain",
    "affinity",
    "schedulerName",
    "tolerations",
    "hostAliases",
    "priorityClassName",
    "priority",
    "dnsConfig",
    "readinessGates",
    "runtimeClassName",
    "enableServiceLinks",
    "preemptionPolicy",
    "overhead",
    "topologySpreadConstraints",
    "setHostnameAsFQDN",
    "os",
    "hostUsers",
    "schedulingGates",
    "resourceClaims",
    "resources",
    "hostnameOverride",
];

pub(crate) const CONTAINER: &[&str] = &[
    "name",
    "image",
    "command",
    "args",
    "workingDir",
    "ports",
    "envFrom",
    "env",
    "resources",
    "resizePolicy",
    "restartPolicy",
    "restartPolicyRules",
    "volumeMounts",
    "volumeDevices",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "lifecycle",
    "terminationMessagePath",
    "terminationMessagePolicy",
    "imagePullPolicy",
    "securityContext",
    "stdin",
    "stdinOnce",
    "tty",
];

pub(crate) const PROBE: &[&str] = &[
    "exec",
    "httpGet",
    "tcpSocket",
    "grpc",
    "initialDelaySeconds",
    "timeoutSeconds",
    "periodSeconds",
    "successThreshold",
    "failureThreshold",
    "terminationGracePeriodSeconds",
];
pub(crate) const PROBE_HANDLERS: &[&str] = &["exec", "httpGet", "tcpSocket", "grpc"];
pub(crate) const HOOK_HANDLERS: &[&str] = &["exec", "httpGet", "tcpSocket", "sleep"];
pub(crate) const LIFECYCLE: &[&str] = &["postStart", "preStop", "stopSignal"];
pub(crate) const PORT: &[&str] = &["name", "hostPort", "containerPort", "protocol", "hostIP"];
pub(crate) const VOLUME_MOUNT: &[&str] = &[
    "name",
    "readOnly",
    "recursiveReadOnly",
    "mountPath",
    "subPath",
    "mountPropagation",
    "subPathExpr",
];
pub(crate) const RESOURCES: &[&str] = &["limits", "requests", "claims"];

/// What the decoder keeps of an object's metadata.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Meta {
    pub name: String,
    pub generate_name: String,
    pub namespace: String,
    pub annotations: Vec<(String, String)>,
    pub labels: Vec<(String, String)>,
}

impl Decoder<'_> {
    fn warn(&mut self, pos: Pos, path: &str, message: String) {
        self.diags
            .push(Diagnostic::new(Severity::Warning, pos, path, message));
    }
    fn error(&mut self, pos: Pos, path: &str, message: String) {
        self.locs.mark_invalid(path);
        self.diags
            .push(Diagnostic::new(Severity::Error, pos, path, message));
    }

    /// Checks that `node` is a mapping, records each entry's position and warns about unknown or repeated
    /// keys. Returns false (after an error) when it is not a mapping.
    pub fn object(&mut self, node: &Node, path: &str, known: &[&str]) -> bool {
        let entries = match &node.value {
            Value::Map(entries) => entries,
            Value::Null => return false,
            _ => {
                let got = node.type_name();
                self.error(
                    node.pos,
                    path,
                    format!("Invalid value: {}: expected object, got {got}", shown(node)),
                );
                return false;
            }
        };
        // A set, not a scan of earlier keys: a mapping may have a hundred thousand keys.
        let mut seen = HashSet::new();
        for (key, value) in entries {
            // A repeated key is reported once for the whole document (see `manifest`); the first one is read.
            if !seen.insert(key.name.as_str()) {
                continue;
            }
            let child = join(path, &key.name);
            self.locs.record_node(&child, key.pos, value);
            if !known.is_empty() && !known.contains(&key.name.as_str()) {
                let severity = if self.strict {
                    Severity::Error
                } else {
                    Severity::Warning
                };
                let mut d = Diagnostic::new(
                    severity,
                    key.pos,
                    &child,
                    format!("unknown field \"{child}\""),
                );
                if let Some(near) = nearest(&key.name, known) {
                    d = d.with_hint(format!("did you mean \"{near}\"?"));
                }
                self.diags.push(d);
            }
        }
        true
    }

    /// The items of a sequence at `path` (recording their positions); empty after an error if it is not one.
    pub fn list<'n>(&mut self, node: &'n Node, path: &str) -> &'n [Node] {
        match &node.value {
            Value::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.locs
                        .record_node(&format!("{path}[{i}]"), item.pos, item);
                }
                items
            }
            Value::Null => &[],
            _ => {
                self.error(
                    node.pos,
                    path,
                    format!(
                        "Invalid value: {}: expected array, got {}",
                        shown(node),
                        node.type_name()
                    ),
                );
                &[]
            }
        }
    }

    /// A string field. A plain number or boolean is refused, as the API server refuses it: kubectl sends
    /// YAML as JSON, where `command: [sleep, 10]` carries the number 10, not the string "10".
    pub fn string(&mut self, node: &Node, path: &str) -> Option<String> {
        match &node.value {
            Value::Scalar { text, plain: true }
                if crate::tree::plain_scalar_type(text) != "string" =>
            {
                self.error(
                    node.pos,
                    path,
                    format!(
                        "Invalid value: {text}: expected string, got {}",
                        node.type_name()
                    ),
                );
                None
            }
            Value::Scalar { text, .. } => Some(text.clone()),
            Value::Null => None,
            _ => {
                self.error(
                    node.pos,
                    path,
                    format!(
                        "Invalid value: {}: expected string, got {}",
                        shown(node),
                        node.type_name()
                    ),
                );
                None
            }
        }
    }

    pub fn int(&mut self, node: &Node, path: &str) -> Option<i64> {
        let number = match &node.value {
            Value::Scalar { text, plain: true } => parse_int(text),
            _ => None,
        };
        match &node.value {
            Value::Null => None,
            _ if number.is_some() => number,
            // A quoted number, a word, a float, a list or a map: one message for all of them.
            _ => {
                self.error(
                    node.pos,
                    path,
                    format!(
                        "Invalid value: {}: expected integer, got {}",
                        shown(node),
                        node.type_name()
                    ),
                );
                None
            }
        }
    }

    /// An integer number of seconds; values past Podstep's limit are clamped (with a warning) so the
    /// simulator's arithmetic stays in range.
    pub fn seconds(&mut self, node: &Node, path: &str) -> Option<i64> {
        let v = self.int(node, path)?;
        Some(self.clamp_seconds(v, node, path))
    }

    /// An `int32` field (ports, probe numbers): a larger number is a decoding error for the API server.
    pub fn int32(&mut self, node: &Node, path: &str) -> Option<i64> {
        let v = self.int(node, path)?;
        if i32::try_from(v).is_err() {
            self.error(
                node.pos,
                path,
                format!("Invalid value: {v}: expected a 32-bit integer"),
            );
            return None;
        }
        Some(v)
    }

    fn clamp_seconds(&mut self, v: i64, node: &Node, path: &str) -> i64 {
        if v > limits::MAX_SECONDS_FIELD {
            self.warn(
                node.pos,
                path,
                format!(
                    "{v} seconds is beyond Podstep's limit of {} s; simulated as {} s",
                    limits::MAX_SECONDS_FIELD,
                    limits::MAX_SECONDS_FIELD
                ),
            );
            return limits::MAX_SECONDS_FIELD;
        }
        v
    }

    pub fn strings(&mut self, node: &Node, path: &str) -> Vec<String> {
        let items = self.list(node, path);
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            if let Some(s) = self.string(item, &format!("{path}[{i}]")) {
                out.push(s);
            } else if matches!(item.value, Value::Null) {
                out.push(String::new());
            } else {
                // The list as a whole was refused too: nothing more is said about it being empty.
                self.locs.mark_invalid(path);
            }
        }
        out
    }

    pub fn string_map(&mut self, node: &Node, path: &str) -> Vec<(String, String)> {
        if !self.object(node, path, &[]) {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (key, value) in node.entries() {
            let child = join(path, &key.name);
            let v = match &value.value {
                Value::Scalar { text, plain } => {
                    if *plain && crate::tree::plain_scalar_type(text) != "string" {
                        self.error(
                            value.pos,
                            &child,
                            format!(
                                "Invalid value: {text}: expected string, got {}",
                                value.type_name()
                            ),
                        );
                    }
                    text.clone()
                }
                Value::Null => String::new(),
                _ => {
                    self.error(
                        value.pos,
                        &child,
                        format!(
                            "Invalid value: {}: expected string, got {}",
                            shown(value),
                            value.type_name()
                        ),
                    );
                    continue;
                }
            };
            out.push((key.name.clone(), v));
        }
        out
    }

    pub fn resource_list(&mut self, node: &Node, path: &str) -> ResourceList {
        const SYNTAX: &str = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
        let mut out = ResourceList::new();
        if !self.object(node, path, &[]) {
            return out;
        }
        for (key, value) in node.entries() {
            // The API server writes a resource as a map key: `resources.requests[cpu]`.
            let child = format!("{path}[{}]", key.name);
            let parsed = match &value.value {
                Value::Null => continue,
                Value::Scalar { text, .. } => Quantity::parse(text),
                _ => None,
            };
            match parsed {
                // A name given twice (an error of its own, see `manifest`) keeps its last quantity.
                Some(q) => {
                    out.insert(key.name.clone(), q);
                }
                None => self.error(
                    value.pos,
                    &child,
                    format!("Invalid value: {}: {SYNTAX}", quoted(value)),
                ),
            }
        }
        out
    }

    pub fn pod_spec(
        &mut self,
        node: &Node,
        path: &str,
        name: String,
        namespace: String,
        annotations: Vec<(String, String)>,
    ) -> PodSpec {
        let mut pod = PodSpec {
            name,
            namespace,
            annotations,
            restart_policy: RestartPolicy::Always,
            restart_policy_set: false,
            termination_grace_period_s: 30,
            init_containers: Vec::new(),
            containers: Vec::new(),
            volumes: Vec::new(),
            labels: Vec::new(),
            os_name: None,
            share_process_namespace: false,
            active_deadline_s: None,
            automount_token: true,
            service_account: "default".into(),
            service_links: true,
            readiness_gates: Vec::new(),
            overhead: ResourceList::new(),
            pod_requests: ResourceList::new(),
            pod_limits: ResourceList::new(),
        };
        // A missing spec is an empty one; validation then says what the API server says about it
        // (`spec.containers: Required value`).
        if !self.object(node, path, POD_SPEC) {
            return pod;
        }
        if let Some(v) = node.get("restartPolicy") {
            let p = join(path, "restartPolicy");
            // An empty string is defaulted like a missing field.
            if let Some(s) = self.string(v, &p).filter(|s| !s.is_empty()) {
                pod.restart_policy_set = true;
                match RestartPolicy::parse(&s) {
                    Some(rp) => pod.restart_policy = rp,
                    None => self.error(v.pos, &p, format!("Unsupported value: \"{s}\": supported values: \"Always\", \"OnFailure\", \"Never\"")),
                }
            }
        }
        if let Some(v) = node.get("terminationGracePeriodSeconds") {
            let p = join(path, "terminationGracePeriodSeconds");
            if let Some(g) = self.seconds(v, &p) {
                // Accepted for backward compatibility, with a warning, and used as 1 (pod warnings.go).
                if g < 0 {
                    self.warn(
                        v.pos,
                        &p,
                        "must be >= 0; negative values are invalid and will be treated as 1".into(),
                    );
                }
                pod.termination_grace_period_s = if g < 0 { 1 } else { g };
            }
        }
        if let Some(v) = node.get("volumes") {
            let p = join(path, "volumes");
            for (i, item) in self.list(v, &p).iter().enumerate() {
                let ip = format!("{p}[{i}]");
                if self.object(item, &ip, &[]) {
                    if let Some(n) = item
                        .get("name")
                        .and_then(|n| self.string(n, &join(&ip, "name")))
                    {
                        pod.volumes.push(Volume {
                            name: n,
                            source: volume_source(item),
                        });
                    }
                }
            }
        }
        if let Some(v) = node.get("activeDeadlineSeconds") {
            pod.active_deadline_s = self.seconds(v, &join(path, "activeDeadlineSeconds"));
        }
        if let Some(os) = node.get("os") {
            let p = join(path, "os");
            if self.object(os, &p, &["name"]) {
                if let Some(n) = os.get("name") {
                    pod.os_name = self.string(n, &join(&p, "name"));
                }
            }
        }
        pod.share_process_namespace = flag(node, "shareProcessNamespace") == Some(true);
        pod.automount_token = flag(node, "automountServiceAccountToken") != Some(false);
        pod.service_links = flag(node, "enableServiceLinks") != Some(false);
        if let Some(sa) = ["serviceAccountName", "serviceAccount"]
            .iter()
            .find_map(|k| node.get(k).and_then(Node::scalar))
            .filter(|s| !s.is_empty())
        {
            pod.service_account = sa.to_string();
        }
        if let Some(v) = node.get("readinessGates") {
            let p = join(path, "readinessGates");
            for (i, item) in self.list(v, &p).iter().enumerate() {
                let ip = format!("{p}[{i}]");
                if self.object(item, &ip, &["conditionType"]) {
                    if let Some(t) = item
                        .get("conditionType")
                        .and_then(|n| self.string(n, &join(&ip, "conditionType")))
                    {
                        pod.readiness_gates.push(t);
                    }
                }
            }
        }
        if let Some(v) = node.get("overhead") {
            pod.overhead = self.resource_list(v, &join(path, "overhead"));
        }
        if let Some(v) = node.get("resources") {
            let p = join(path, "resources");
            if self.object(v, &p, RESOURCES) {
                if let Some(r) = v.get("requests") {
                    pod.pod_requests = self.resource_list(r, &join(&p, "requests"));
                }
                if let Some(l) = v.get("limits") {
                    pod.pod_limits = self.resource_list(l, &join(&p, "limits"));
                }
            }
        }
        for (field, kind_of) in [("initContainers", true), ("containers", false)] {
            let Some(v) = node.get(field) else { continue };
            let p = join(path, field);
            let items = self.list(v, &p);
            let total = pod.init_containers.len() + pod.containers.len() + items.len();
            if total > limits::MAX_CONTAINERS_PER_POD {
                self.error(
                    v.pos,
                    &p,
                    format!(
                        "Too many: {total}: must have at most {} containers (Podstep's limit)",
                        limits::MAX_CONTAINERS_PER_POD
                    ),
                );
                continue;
            }
            for (i, item) in items.iter().enumerate() {
                let c = self.container(item, &format!("{p}[{i}]"), i, kind_of);
                if kind_of {
                    pod.init_containers.push(c);
                } else {
                    pod.containers.push(c);
                }
            }
        }
        pod
    }

    fn container(&mut self, node: &Node, path: &str, index: usize, in_init: bool) -> Container {
        let mut c = Container {
            name: String::new(),
            kind: if in_init {
                ContainerKind::Init
            } else {
                ContainerKind::App
            },
            index,
            path: path.to_string(),
            pos: node.pos,
            image: String::new(),
            command: None,
            args: None,
            restart_policy: None,
            restart_rules: Vec::new(),
            startup_probe: None,
            readiness_probe: None,
            liveness_probe: None,
            post_start: None,
            pre_stop: None,
            stop_signal: None,
            requests: ResourceList::new(),
            limits: ResourceList::new(),
            ports: Vec::new(),
            volume_mounts: Vec::new(),
            image_pull_policy: None,
            env: Vec::new(),
            env_from: Vec::new(),
            pull_policy: PullPolicy::Always,
        };
        if !self.object(node, path, CONTAINER) {
            return c;
        }
        let field = |k: &str| join(path, k);
        if let Some(v) = node.get("name") {
            c.name = self.string(v, &field("name")).unwrap_or_default();
        }
        if let Some(v) = node.get("image") {
            c.image = self.string(v, &field("image")).unwrap_or_default();
        }
        if let Some(v) = node.get("imagePullPolicy") {
            c.image_pull_policy = self.string(v, &field("imagePullPolicy"));
        }
        c.pull_policy = c
            .image_pull_policy
            .as_deref()
            .and_then(PullPolicy::parse)
            .unwrap_or_else(|| PullPolicy::default_for(&c.image));
        // Read for what the containers see, without checks of their own: the API server's
        // validation of env is not modelled.
        if let Some(Value::Seq(items)) = node.get("env").map(|v| &v.value) {
            c.env = items.iter().filter_map(env_var).collect();
        }
        if let Some(Value::Seq(items)) = node.get("envFrom").map(|v| &v.value) {
            c.env_from = items.iter().filter_map(env_from).collect();
        }
        if let Some(v) = node.get("command") {
            c.command = Some(self.strings(v, &field("command")));
        }
        if let Some(v) = node.get("args") {
            c.args = Some(self.strings(v, &field("args")));
        }
        if let Some(v) = node.get("restartPolicy") {
            c.restart_policy = self.string(v, &field("restartPolicy"));
            if in_init && c.restart_policy.as_deref() == Some("Always") {
                c.kind = ContainerKind::Sidecar;
            }
        }
        if let Some(Value::Seq(rules)) = node.get("restartPolicyRules").map(|v| &v.value) {
            let p = field("restartPolicyRules");
            for (i, r) in rules.iter().enumerate() {
                let rp = format!("{p}[{i}]");
                if self.object(r, &rp, &["action", "exitCodes"]) {
                    if let Some(codes) = r.get("exitCodes") {
                        self.object(codes, &join(&rp, "exitCodes"), &["operator", "values"]);
                    }
                }
            }
            c.restart_rules = rules
                .iter()
                .map(|r| {
                    let codes = r.get("exitCodes");
                    RestartRule {
                        action: text(r, "action"),
                        operator: codes.map(|e| text(e, "operator")).unwrap_or_default(),
                        values: match codes.and_then(|e| e.get("values")).map(|v| &v.value) {
                            Some(Value::Seq(vals)) => vals
                                .iter()
                                .filter_map(|v| v.scalar().and_then(parse_int))
                                .collect(),
                            _ => Vec::new(),
                        },
                    }
                })
                .collect();
        }
        for kind in [
            ProbeKind::Startup,
            ProbeKind::Readiness,
            ProbeKind::Liveness,
        ] {
            if let Some(v) = node.get(kind.field()) {
                let probe = self.probe(v, &field(kind.field()));
                match kind {
                    ProbeKind::Startup => c.startup_probe = probe,
                    ProbeKind::Readiness => c.readiness_probe = probe,
                    ProbeKind::Liveness => c.liveness_probe = probe,
                }
            }
        }
        if let Some(v) = node.get("lifecycle") {
            let p = field("lifecycle");
            if self.object(v, &p, LIFECYCLE) {
                if let Some(h) = v.get("postStart") {
                    c.post_start = Some(self.handler(h, &join(&p, "postStart"), HOOK_HANDLERS));
                }
                if let Some(h) = v.get("preStop") {
                    c.pre_stop = Some(self.handler(h, &join(&p, "preStop"), HOOK_HANDLERS));
                }
                if let Some(sig) = v.get("stopSignal") {
                    c.stop_signal = self.string(sig, &join(&p, "stopSignal"));
                }
            }
        }
        if let Some(v) = node.get("resources") {
            let p = field("resources");
            if self.object(v, &p, RESOURCES) {
                if let Some(r) = v.get("requests") {
                    c.requests = self.resource_list(r, &join(&p, "requests"));
                }
                if let Some(l) = v.get("limits") {
                    c.limits = self.resource_list(l, &join(&p, "limits"));
                }
                // The API server defaults requests to limits where only a limit is given (SetDefaults_Pod);
                // a request that was written but refused is not replaced by the limit.
                let written = v.get("requests").map(Node::entries).unwrap_or_default();
                merge(&mut c.requests, &c.limits, |k, request, limit| {
                    let refused = written.iter().any(|(key, _)| key.name == k);
                    (request.is_none() && !refused).then_some(limit)
                });
            }
        }
        if let Some(v) = node.get("ports") {
            let p = field("ports");
            for (i, item) in self.list(v, &p).iter().enumerate() {
                let ip = format!("{p}[{i}]");
                if !self.object(item, &ip, PORT) {
                    continue;
                }
                let mut port = ContainerPort {
                    protocol: "TCP".into(),
                    ..Default::default()
                };
                if let Some(n) = item.get("name") {
                    port.name = self.string(n, &join(&ip, "name"));
                }
                if let Some(n) = item.get("containerPort") {
                    port.container_port = self.int32(n, &join(&ip, "containerPort")).unwrap_or(0);
                }
                if let Some(n) = item.get("hostPort") {
                    port.host_port = self.int32(n, &join(&ip, "hostPort"));
                }
                if let Some(n) = item.get("hostIP") {
                    port.host_ip = self.string(n, &join(&ip, "hostIP")).unwrap_or_default();
                }
                if let Some(n) = item.get("protocol") {
                    port.protocol = self
                        .string(n, &join(&ip, "protocol"))
                        .filter(|p| !p.is_empty())
                        .unwrap_or_else(|| "TCP".into());
                }
                c.ports.push(port);
            }
        }
        if let Some(v) = node.get("volumeMounts") {
            let p = field("volumeMounts");
            for (i, item) in self.list(v, &p).iter().enumerate() {
                let ip = format!("{p}[{i}]");
                if !self.object(item, &ip, VOLUME_MOUNT) {
                    continue;
                }
                let name = item
                    .get("name")
                    .and_then(|n| self.string(n, &join(&ip, "name")))
                    .unwrap_or_default();
                let mount_path = item
                    .get("mountPath")
                    .and_then(|n| self.string(n, &join(&ip, "mountPath")))
                    .unwrap_or_default();
                c.volume_mounts.push(VolumeMount { name, mount_path });
            }
        }
        c
    }

    fn probe(&mut self, node: &Node, path: &str) -> Option<Probe> {
        if !self.object(node, path, PROBE) {
            return None;
        }
        let mut probe = Probe {
            handler: self.handler(node, path, PROBE_HANDLERS),
            ..Probe::default()
        };
        let fields: [(&str, &mut i64); 5] = [
            ("initialDelaySeconds", &mut probe.initial_delay_s),
            ("timeoutSeconds", &mut probe.timeout_s),
            ("periodSeconds", &mut probe.period_s),
            ("successThreshold", &mut probe.success_threshold),
            ("failureThreshold", &mut probe.failure_threshold),
        ];
        for (name, slot) in fields {
            if let Some(v) = node.get(name) {
                // Zero means "use the default" for these fields, as the API server defaults zeroes.
                let p = join(path, name);
                let n = self.int32(v, &p).map(|n| {
                    if name.ends_with("Seconds") {
                        self.clamp_seconds(n, v, &p)
                    } else {
                        n
                    }
                });
                if let Some(n) = n {
                    if n != 0 || name == "initialDelaySeconds" {
                        *slot = n;
                    }
                }
            }
        }
        if let Some(v) = node.get("terminationGracePeriodSeconds") {
            probe.termination_grace_period_s =
                self.seconds(v, &join(path, "terminationGracePeriodSeconds"));
        }
        Some(probe)
    }

    /// Decodes the handler fields of a probe or hook at `path`. Missing or repeated handlers are left to
    /// validation, which reports them with the API server's words. Every handler written is decoded (so
    /// its own typos are reported), and the one used is the first in the API server's order (exec,
    /// httpGet, tcpSocket, grpc, sleep: the order of `allowed`), which is the one it accepts.
    fn handler(&mut self, node: &Node, path: &str, allowed: &[&str]) -> Option<Handler> {
        if !std::ptr::eq(allowed, PROBE_HANDLERS) && !self.object(node, path, allowed) {
            return None;
        }
        let mut chosen = None;
        for name in allowed {
            let Some(value) = node.get(name) else {
                continue;
            };
            let p = join(path, name);
            let handler = match *name {
                "exec" => {
                    if !self.object(value, &p, &["command"]) {
                        continue;
                    }
                    let command = value
                        .get("command")
                        .map(|c| self.strings(c, &join(&p, "command")))
                        .unwrap_or_default();
                    Handler::Exec { command }
                }
                "httpGet" => {
                    if !self.object(
                        value,
                        &p,
                        &["path", "port", "host", "scheme", "httpHeaders"],
                    ) {
                        continue;
                    }
                    let port = self.port(value.get("port"), &join(&p, "port"));
                    // Empty path and scheme are defaulted like missing ones (SetDefaults_HTTPGetAction).
                    let hpath = value
                        .get("path")
                        .and_then(|v| self.string(v, &join(&p, "path")))
                        .filter(|s| !s.is_empty());
                    let scheme = value
                        .get("scheme")
                        .and_then(|v| self.string(v, &join(&p, "scheme")))
                        .filter(|s| !s.is_empty());
                    let (hpath, scheme) = (
                        hpath.unwrap_or_else(|| "/".into()),
                        scheme.unwrap_or_else(|| "HTTP".into()),
                    );
                    Handler::HttpGet {
                        path: hpath,
                        port,
                        scheme,
                    }
                }
                "tcpSocket" => {
                    if !self.object(value, &p, &["port", "host"]) {
                        continue;
                    }
                    Handler::TcpSocket {
                        port: self.port(value.get("port"), &join(&p, "port")),
                    }
                }
                "grpc" => {
                    if !self.object(value, &p, &["port", "service"]) {
                        continue;
                    }
                    let port = value
                        .get("port")
                        .and_then(|v| self.int32(v, &join(&p, "port")))
                        .unwrap_or(0);
                    Handler::Grpc { port }
                }
                "sleep" => {
                    if !self.object(value, &p, &["seconds"]) {
                        continue;
                    }
                    let seconds = value
                        .get("seconds")
                        .and_then(|v| self.seconds(v, &join(&p, "seconds")))
                        .unwrap_or(0);
                    Handler::Sleep { seconds }
                }
                _ => continue,
            };
            chosen = chosen.or(Some(handler));
        }
        chosen
    }

    fn port(&mut self, node: Option<&Node>, path: &str) -> Port {
        match node.map(|n| &n.value) {
            Some(Value::Scalar { text, plain: true }) if parse_int(text).is_some() => {
                Port::Number(parse_int(text).unwrap_or(0))
            }
            Some(_) => Port::Name(node.and_then(|n| self.string(n, path)).unwrap_or_default()),
            None => Port::Number(0),
        }
    }

    pub(crate) fn metadata(&mut self, node: Option<&Node>, path: &str) -> Meta {
        let mut meta = Meta {
            namespace: "default".into(),
            ..Meta::default()
        };
        let Some(node) = node else { return meta };
        if !self.object(node, path, OBJECT_META) {
            return meta;
        }
        let text = |dec: &mut Self, field: &str| {
            node.get(field)
                .and_then(|n| dec.string(n, &join(path, field)))
        };
        meta.name = text(self, "name").unwrap_or_default();
        meta.generate_name = text(self, "generateName").unwrap_or_default();
        if let Some(ns) = text(self, "namespace").filter(|ns| !ns.is_empty()) {
            meta.namespace = ns;
        }
        meta.annotations = node
            .get("annotations")
            .map(|a| self.string_map(a, &join(path, "annotations")))
            .unwrap_or_default();
        if let Some(l) = node.get("labels") {
            meta.labels = self.string_map(l, &join(path, "labels"));
        }
        meta
    }
}

/// A boolean field written as `true`/`false` (anything else reads as unset).
fn flag(node: &Node, key: &str) -> Option<bool> {
    match node.get(key).and_then(Node::scalar) {
        Some("true") => Some(true),
        Some("false") => Some(false),
        _ => None,
    }
}

fn text(node: &Node, key: &str) -> String {
    node.get(key)
        .and_then(Node::scalar)
        .unwrap_or_default()
        .to_string()
}

/// An `env` entry: a literal, a key of a ConfigMap or Secret, a pod field or a resource.
fn env_var(item: &Node) -> Option<EnvVar> {
    let name = item.get("name")?.scalar()?.to_string();
    let value = match item.get("valueFrom") {
        Some(from) => {
            if let Some((source, r)) = [
                (ObjectKind::ConfigMap, "configMapKeyRef"),
                (ObjectKind::Secret, "secretKeyRef"),
            ]
            .into_iter()
            .find_map(|(k, f)| Some((k, from.get(f)?)))
            {
                EnvValue::Key {
                    source,
                    name: text(r, "name"),
                    key: text(r, "key"),
                    optional: flag(r, "optional") == Some(true),
                }
            } else if let Some(f) = from.get("fieldRef") {
                EnvValue::Field(text(f, "fieldPath"))
            } else if let Some(r) = from.get("resourceFieldRef") {
                EnvValue::Resource {
                    container: text(r, "containerName"),
                    resource: text(r, "resource"),
                }
            } else {
                EnvValue::Literal(String::new())
            }
        }
        None => EnvValue::Literal(text(item, "value")),
    };
    Some(EnvVar { name, value })
}

fn env_from(item: &Node) -> Option<EnvFrom> {
    let (source, r) = [
        (ObjectKind::ConfigMap, "configMapRef"),
        (ObjectKind::Secret, "secretRef"),
    ]
    .into_iter()
    .find_map(|(k, f)| Some((k, item.get(f)?)))?;
    Some(EnvFrom {
        source,
        name: text(r, "name"),
        prefix: text(item, "prefix"),
        optional: flag(r, "optional") == Some(true),
    })
}

/// What a `volumes[]` entry is made from.
fn volume_source(item: &Node) -> VolumeSource {
    let items = |n: &Node| -> Vec<(String, String)> {
        match n.get("items").map(|i| &i.value) {
            Some(Value::Seq(list)) => list
                .iter()
                .map(|i| (text(i, "key"), text(i, "path")))
                .collect(),
            _ => Vec::new(),
        }
    };
    let object = |source: ObjectKind, n: &Node, name_key: &str| VolumeSource::Object {
        source,
        name: text(n, name_key),
        items: items(n),
        optional: flag(n, "optional") == Some(true),
    };
    let downward = |n: &Node| -> Vec<(String, String)> {
        match n.get("items").map(|i| &i.value) {
            Some(Value::Seq(list)) => list
                .iter()
                .map(|i| {
                    let field = i.get("fieldRef").map(|f| text(f, "fieldPath"));
                    let res = i.get("resourceFieldRef").map(|r| text(r, "resource"));
                    (text(i, "path"), field.or(res).unwrap_or_default())
                })
                .collect(),
            _ => Vec::new(),
        }
    };
    if let Some(n) = item.get("configMap") {
        object(ObjectKind::ConfigMap, n, "name")
    } else if let Some(n) = item.get("secret") {
        object(ObjectKind::Secret, n, "secretName")
    } else if let Some(n) = item.get("persistentVolumeClaim") {
        VolumeSource::Claim(text(n, "claimName"))
    } else if let Some(n) = item.get("downwardAPI") {
        VolumeSource::DownwardApi(downward(n))
    } else if let Some(Value::Seq(sources)) = item
        .get("projected")
        .and_then(|p| p.get("sources"))
        .map(|s| &s.value)
    {
        VolumeSource::Projected(
            sources
                .iter()
                .filter_map(|src| {
                    if let Some(n) = src.get("configMap") {
                        Some(object(ObjectKind::ConfigMap, n, "name"))
                    } else if let Some(n) = src.get("secret") {
                        Some(object(ObjectKind::Secret, n, "name"))
                    } else {
                        src.get("downwardAPI")
                            .map(|n| VolumeSource::DownwardApi(downward(n)))
                    }
                })
                .collect(),
        )
    } else if let Some(n) = item.get("image") {
        VolumeSource::Image(text(n, "reference"))
    } else if item.get("emptyDir").is_some() || item.entries().len() <= 1 {
        VolumeSource::Empty
    } else {
        VolumeSource::External
    }
}

pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        let mut s = String::with_capacity(path.len() + 1 + key.len());
        s.push_str(path);
        s.push('.');
        s.push_str(key);
        s
    }
}

/// A value as text in quotes, whatever its YAML type (quantities are strings to the API server).
fn quoted(node: &Node) -> String {
    match &node.value {
        Value::Scalar { text, .. } => quote(text),
        _ => shown(node),
    }
}

/// A value as the API server quotes it in messages: strings in quotes, numbers bare.
fn shown(node: &Node) -> String {
    match &node.value {
        Value::Scalar { text, plain } if *plain && node.type_name() != "string" => text.clone(),
        Value::Scalar { text, .. } => quote(text),
        Value::Null => "null".into(),
        Value::Seq(_) => "[...]".into(),
        Value::Map(_) => "{...}".into(),
    }
}

/// The known field closest to a misspelt one, if it is a plausible typo: edit distance ≤ 2 ignoring
/// case, or a known field that the word begins (`terminationGracePeriod` → `terminationGracePeriodSeconds`).
fn nearest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    let typo = known
        .iter()
        .map(|k| (edit_distance(&lower, &k.to_ascii_lowercase()), *k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| k);
    // Short words would begin too many fields to be a useful guess.
    let prefix = || {
        known
            .iter()
            .copied()
            .filter(|k| lower.len() >= 5 && k.to_ascii_lowercase().starts_with(&lower))
            .min_by_key(|k| k.len())
    };
    typo.or_else(prefix)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}
