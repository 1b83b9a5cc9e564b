//! From documents to workloads: which objects carry a pod template and where it sits.
//!
//! Pods, the controllers that embed `spec.template` (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job,
//! ReplicationController, PodTemplate) and CronJob (`spec.jobTemplate.spec.template`), inside any number
//! of `---` documents and `kind: List` wrappers. Objects without a pod template are skipped with an info
//! diagnostic; unknown kinds with a warning.

use crate::decode::{join, Decoder, Locs};
use crate::diag::{Diagnostic, Severity};
use crate::limits;
use crate::spec::Workload;
use crate::tree::{Node, Value};

/// Kinds we know have no pod template: skipped quietly (an info diagnostic).
const NO_TEMPLATE: &[&str] = &[
    "Service", "ConfigMap", "Secret", "Namespace", "ServiceAccount", "Ingress", "IngressClass",
    "PersistentVolumeClaim", "PersistentVolume", "StorageClass", "Role", "RoleBinding", "ClusterRole",
    "ClusterRoleBinding", "NetworkPolicy", "PodDisruptionBudget", "HorizontalPodAutoscaler", "LimitRange",
    "ResourceQuota", "PriorityClass", "Endpoints", "EndpointSlice", "CustomResourceDefinition",
    "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "Gateway", "HTTPRoute", "Event", "Node",
    "RuntimeClass", "Lease", "CSIDriver", "VolumeAttachment", "ValidatingAdmissionPolicy",
];

/// `(kind, apiVersion it lives in, path of the pod template's metadata and spec relative to the object)`.
const TEMPLATED: &[(&str, &str, &str)] = &[
    ("Pod", "v1", ""),
    ("Deployment", "apps/v1", "spec.template"),
    ("ReplicaSet", "apps/v1", "spec.template"),
    ("StatefulSet", "apps/v1", "spec.template"),
    ("DaemonSet", "apps/v1", "spec.template"),
    ("Job", "batch/v1", "spec.template"),
    ("ReplicationController", "v1", "spec.template"),
    ("PodTemplate", "v1", "template"),
    ("CronJob", "batch/v1", "spec.jobTemplate.spec.template"),
];

pub(crate) struct Found {
    pub workload: Workload,
    pub locs: Locs,
}

pub(crate) fn workloads(documents: &[Node], diags: &mut Vec<Diagnostic>) -> Vec<Found> {
    let mut out = Vec::new();
    let mut seen = 0usize;
    for (d, doc) in documents.iter().enumerate() {
        object(doc, d, diags, &mut out, &mut seen, 0);
    }
    out
}

fn object(doc: &Node, d: usize, diags: &mut Vec<Diagnostic>, out: &mut Vec<Found>, seen: &mut usize, depth: usize) {
    if matches!(doc.value, Value::Null) {
        return;
    }
    *seen += 1;
    if *seen > limits::MAX_DOCUMENTS {
        if *seen == limits::MAX_DOCUMENTS + 1 {
            diags.push(Diagnostic::new(
                Severity::Error,
                doc.pos,
                "",
                format!("more than {} objects: the rest are not read (Podstep's limit)", limits::MAX_DOCUMENTS),
            ));
        }
        return;
    }
    if !matches!(doc.value, Value::Map(_)) {
        diags.push(Diagnostic::new(Severity::Error, doc.pos, "", format!("expected a Kubernetes object (a mapping), got {}", doc.type_name())));
        return;
    }
    let kind = doc.get("kind").and_then(Node::scalar).unwrap_or("");
    let api_version = doc.get("apiVersion").and_then(Node::scalar).unwrap_or("");
    if kind.is_empty() {
        diags.push(Diagnostic::new(Severity::Error, doc.pos, "kind", "Required value: kind not set"));
        return;
    }
    if api_version.is_empty() {
        diags.push(Diagnostic::new(Severity::Error, doc.pos, "apiVersion", "Required value: apiVersion not set"));
    }
    let kind_pos = doc.get("kind").map(|k| k.pos).unwrap_or(doc.pos);
    if kind == "List" || (kind.ends_with("List") && doc.get("items").is_some()) {
        match doc.get("items").map(|i| &i.value) {
            Some(Value::Seq(items)) if depth < 4 => {
                for item in items {
                    object(item, d, diags, out, seen, depth + 1);
                }
            }
            Some(Value::Seq(_)) => diags.push(Diagnostic::new(Severity::Error, kind_pos, "items", "Lists nested more than 4 deep are not read")),
            Some(Value::Null) | None => {}
            Some(_) => diags.push(Diagnostic::new(Severity::Error, kind_pos, "items", "Invalid value: expected array")),
        }
        return;
    }
    let Some(&(_, expected_api, template)) = TEMPLATED.iter().find(|(k, _, _)| *k == kind) else {
        if NO_TEMPLATE.contains(&kind) {
            diags.push(
                Diagnostic::new(Severity::Info, kind_pos, "kind", format!("{kind} skipped: it has no pod template"))
                    .with_hint("Podstep simulates the pods of Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job and CronJob"),
            );
        } else {
            diags.push(
                Diagnostic::new(Severity::Warning, kind_pos, "kind", format!("unknown kind \"{kind}\" skipped"))
                    .with_hint("Podstep simulates the pods of Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job and CronJob"),
            );
        }
        return;
    };
    if !api_version.is_empty() && api_version != expected_api {
        let pos = doc.get("apiVersion").map(|n| n.pos).unwrap_or(doc.pos);
        diags.push(
            Diagnostic::new(Severity::Error, pos, "apiVersion", format!("no matches for kind \"{kind}\" in version \"{api_version}\""))
                .with_hint(format!("{kind} is served as apiVersion: {expected_api}")),
        );
    }

    let errors_before = diags.iter().filter(|d| d.severity == Severity::Error).count();
    let mut locs = Locs::default();
    let mut dec = Decoder { locs: &mut locs, diags };
    let top: &[&str] = &["apiVersion", "kind", "metadata", "spec", "status"];
    dec.object(doc, "", top);
    let (object_name, _, _) = dec.metadata(doc.get("metadata"), "metadata");
    // Walk down to the template, recording positions on the way so errors about missing parts point well.
    let mut node = doc;
    let mut path = String::new();
    for part in template.split('.').filter(|p| !p.is_empty()) {
        path = join(&path, part);
        match node.get(part) {
            Some(n) if matches!(n.value, Value::Map(_)) => {
                dec.locs.record(&path, n.pos, n.pos);
                node = n;
            }
            _ => {
                dec.diags.push(Diagnostic::new(Severity::Error, node.pos, path.clone(), "Required value"));
                return;
            }
        }
    }
    if !template.is_empty() {
        dec.object(node, &path, &["metadata", "spec"]);
    }
    let meta_path = join(&path, "metadata");
    let (template_name, namespace, annotations) = if template.is_empty() {
        dec.metadata(doc.get("metadata"), "metadata")
    } else {
        dec.metadata(node.get("metadata"), &meta_path)
    };
    let _ = template_name;
    if kind == "Pod" && object_name.is_empty() {
        let pos = doc.get("metadata").map(|m| m.pos).unwrap_or(kind_pos);
        dec.diags.push(Diagnostic::new(Severity::Error, pos, "metadata.name", "Required value: name or generateName is required"));
    }
    let spec_path = join(&path, "spec");
    let namespace = if template.is_empty() {
        namespace
    } else {
        doc.get("metadata").and_then(|m| m.get("namespace")).and_then(Node::scalar).unwrap_or("default").to_string()
    };
    let pod_name = pod_name(kind, &object_name);
    let spec_node = node.get("spec").cloned().unwrap_or(Node { pos: node.pos, value: Value::Null });
    let pod = dec.pod_spec(&spec_node, &spec_path, pod_name, namespace, annotations);
    let errors = dec.diags.iter().filter(|d| d.severity == Severity::Error).count() - errors_before;
    out.push(Found {
        workload: Workload { kind: kind.to_string(), name: object_name, document: d, pos: kind_pos, spec_path, pod, errors },
        locs,
    });
}

/// The pod name a controller would give its first pod. Real names carry random suffixes; ours are
/// derived from the object's name so that the same input always gives the same trace.
fn pod_name(kind: &str, name: &str) -> String {
    let name = if name.is_empty() { "unnamed" } else { name };
    let hash = fnv(name);
    let suffix = |h: u64, n: usize| -> String {
        // The alphabet Kubernetes uses for generated names: no vowels, no confusable digits.
        const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
        (0..n).map(|i| ALPHABET[((h >> (i * 5)) % ALPHABET.len() as u64) as usize] as char).collect()
    };
    match kind {
        "Pod" => name.to_string(),
        "Deployment" => format!("{name}-{}-{}", suffix(hash, 10), suffix(hash >> 20, 5)),
        "StatefulSet" => format!("{name}-0"),
        "CronJob" => format!("{name}-{}-{}", 29_000_000 + hash % 1_000_000, suffix(hash >> 7, 5)),
        _ => format!("{name}-{}", suffix(hash, 5)),
    }
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}
