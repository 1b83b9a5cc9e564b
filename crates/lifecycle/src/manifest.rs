//! From documents to workloads: which objects carry a pod template and where it sits.
//!
//! Pods, the controllers that embed `spec.template` (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job,
//! ReplicationController, PodTemplate) and CronJob (`spec.jobTemplate.spec.template`), inside any number
//! of `---` documents and `kind: List` wrappers. Services, ConfigMaps, Secrets and claims are read into
//! the pods' world (`world.rs`); other objects without a pod template are skipped with an info
//! diagnostic; unknown kinds with a warning.

use crate::decode::{join, Decoder, Locs};
use crate::diag::{Diagnostic, Severity};
use crate::limits;
use crate::spec::{ObjectKind, Volume, VolumeSource, Workload};
use crate::tree::{Key, Node, Pos, Value};
use crate::world::{self, World};
use std::collections::HashMap;

/// Kinds we know have no pod template: skipped quietly (an info diagnostic).
const NO_TEMPLATE: &[&str] = &[
    "Service",
    "ConfigMap",
    "Secret",
    "Namespace",
    "ServiceAccount",
    "Ingress",
    "IngressClass",
    "PersistentVolumeClaim",
    "PersistentVolume",
    "StorageClass",
    "Role",
    "RoleBinding",
    "ClusterRole",
    "ClusterRoleBinding",
    "NetworkPolicy",
    "PodDisruptionBudget",
    "HorizontalPodAutoscaler",
    "LimitRange",
    "ResourceQuota",
    "PriorityClass",
    "Endpoints",
    "EndpointSlice",
    "CustomResourceDefinition",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
    "Gateway",
    "HTTPRoute",
    "Event",
    "Node",
    "RuntimeClass",
    "Lease",
    "CSIDriver",
    "VolumeAttachment",
    "ValidatingAdmissionPolicy",
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

/// What the documents hold: the pod templates, and the objects around them.
#[derive(Default)]
pub(crate) struct Out {
    pub found: Vec<Found>,
    pub world: World,
    /// Unknown fields are errors (kubectl's strict field validation), not warnings.
    pub strict: bool,
}

pub(crate) fn workloads(documents: &[Node], diags: &mut Vec<Diagnostic>, strict: bool) -> Out {
    let mut out = Out {
        strict,
        ..Out::default()
    };
    let mut seen = 0usize;
    for (d, doc) in documents.iter().enumerate() {
        object(doc, d, None, diags, &mut out, &mut seen, 0);
    }
    out
}

/// What Podstep says about kinds it skips, so that the user knows which kinds it does read.
const SIMULATED: &str =
    "Podstep simulates the pods of Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, ReplicationController and PodTemplate";

/// A repeated key makes kubectl refuse the whole file (its YAML reader says `mapping key "x" already
/// defined at line N`), so it is an error wherever it is, even in objects Podstep otherwise skips.
fn duplicate_keys(node: &Node, path: &str, diags: &mut Vec<Diagnostic>) {
    match &node.value {
        Value::Map(entries) => duplicate_entries(entries, path, None, diags),
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                duplicate_keys(item, &format!("{path}[{i}]"), diags);
            }
        }
        Value::Null | Value::Scalar { .. } => {}
    }
}

/// Checks one mapping's keys and everything below them, except below `skip` (a list's `items`, which
/// are checked as objects of their own, with their own paths).
fn duplicate_entries(
    entries: &[(Key, Node)],
    path: &str,
    skip: Option<&str>,
    diags: &mut Vec<Diagnostic>,
) {
    // First position of each key; a map rather than a scan, as a mapping may have 100,000 keys.
    let mut first: HashMap<&str, Pos> = HashMap::new();
    for (key, value) in entries {
        let child = join(path, &key.name);
        if let Some(first) = first.get(key.name.as_str()) {
            let message = format!(
                "mapping key \"{}\" already defined at line {}",
                key.name, first.line
            );
            diags.push(Diagnostic::new(
                Severity::Error,
                key.pos,
                child.clone(),
                message,
            ));
        } else {
            first.insert(&key.name, key.pos);
        }
        if skip != Some(key.name.as_str()) {
            duplicate_keys(value, &child, diags);
        }
    }
}

/// Reads one object. `typed` is `(kind, apiVersion)` of the typed list (`DeploymentList`) holding it,
/// whose items may leave both out, as the API server's own list responses do.
fn object(
    doc: &Node,
    d: usize,
    typed: Option<(&str, &str)>,
    diags: &mut Vec<Diagnostic>,
    out: &mut Out,
    seen: &mut usize,
    depth: usize,
) {
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
                format!(
                    "more than {} objects: the rest are not read (Podstep's limit)",
                    limits::MAX_DOCUMENTS
                ),
            ));
        }
        return;
    }
    if !matches!(doc.value, Value::Map(_)) {
        diags.push(Diagnostic::new(
            Severity::Error,
            doc.pos,
            "",
            format!(
                "expected a Kubernetes object (a mapping), got {}",
                doc.type_name()
            ),
        ));
        return;
    }
    // Everything said about this object from here on counts against its workload.
    let errors_before = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let is_list = doc
        .get("kind")
        .and_then(Node::scalar)
        .is_some_and(|k| k.ends_with("List"));
    duplicate_entries(doc.entries(), "", is_list.then_some("items"), diags);
    let kind = doc
        .get("kind")
        .and_then(Node::scalar)
        .or(typed.map(|t| t.0))
        .unwrap_or("");
    let api_version = doc
        .get("apiVersion")
        .and_then(Node::scalar)
        .or(typed.map(|t| t.1))
        .unwrap_or("");
    if kind.is_empty() {
        diags.push(Diagnostic::new(
            Severity::Error,
            doc.pos,
            "kind",
            "Required value: kind not set",
        ));
        return;
    }
    if api_version.is_empty() {
        diags.push(Diagnostic::new(
            Severity::Error,
            doc.pos,
            "apiVersion",
            "Required value: apiVersion not set",
        ));
    }
    let kind_pos = doc.get("kind").map(|k| k.pos).unwrap_or(doc.pos);
    if kind == "List" || (kind.ends_with("List") && doc.get("items").is_some()) {
        // A typed list names its items' kind; `v1 List` items must say it themselves.
        let item_kind = kind.strip_suffix("List").filter(|k| !k.is_empty());
        match doc.get("items").map(|i| &i.value) {
            Some(Value::Seq(items)) if depth < 4 => {
                for item in items {
                    object(
                        item,
                        d,
                        item_kind.map(|k| (k, api_version)),
                        diags,
                        out,
                        seen,
                        depth + 1,
                    );
                }
            }
            Some(Value::Seq(_)) => diags.push(Diagnostic::new(
                Severity::Error,
                kind_pos,
                "items",
                "Lists nested more than 4 deep are not read",
            )),
            Some(Value::Null) | None => {}
            Some(_) => {
                let pos = doc.get("items").map_or(kind_pos, |i| i.pos);
                diags.push(Diagnostic::new(
                    Severity::Error,
                    pos,
                    "items",
                    "Invalid value: expected array",
                ));
            }
        }
        return;
    }
    let Some(&(_, expected_api, template)) = TEMPLATED.iter().find(|(k, _, _)| *k == kind) else {
        if let Some(object) = world::kind_of(kind).and_then(|k| world::read(k, doc)) {
            // Not skipped: the pods' world (no diagnostic, nothing is wrong with it).
            out.world.put(object);
        } else if NO_TEMPLATE.contains(&kind) {
            diags.push(
                Diagnostic::new(
                    Severity::Info,
                    kind_pos,
                    "kind",
                    format!("{kind} skipped: it has no pod template"),
                )
                .with_hint(SIMULATED),
            );
        } else {
            diags.push(
                Diagnostic::new(
                    Severity::Warning,
                    kind_pos,
                    "kind",
                    format!("unknown kind \"{kind}\" skipped"),
                )
                .with_hint(SIMULATED),
            );
        }
        return;
    };
    if !api_version.is_empty() && api_version != expected_api {
        let pos = doc.get("apiVersion").map(|n| n.pos).unwrap_or(doc.pos);
        diags.push(
            Diagnostic::new(
                Severity::Error,
                pos,
                "apiVersion",
                format!("no matches for kind \"{kind}\" in version \"{api_version}\""),
            )
            .with_hint(format!("{kind} is served as apiVersion: {expected_api}")),
        );
    }

    let mut locs = Locs::default();
    // The object itself: where an error about something missing from it is placed.
    locs.record("", doc.pos, doc.pos);
    let mut dec = Decoder {
        locs: &mut locs,
        diags,
        strict: out.strict,
    };
    let top: &[&str] = if kind == "PodTemplate" {
        &["apiVersion", "kind", "metadata", "template"]
    } else {
        &["apiVersion", "kind", "metadata", "spec", "status"]
    };
    dec.object(doc, "", top);
    let meta = dec.metadata(doc.get("metadata"), "metadata");
    // Walk down to the template; a missing step is reported at the key of the last step found.
    let mut node = doc;
    let mut path = String::new();
    for part in template.split('.').filter(|p| !p.is_empty()) {
        let parent = path.clone();
        path = join(&path, part);
        match node.entries().iter().find(|(k, _)| k.name == part) {
            Some((key, n)) if matches!(n.value, Value::Map(_)) => {
                dec.locs.record_node(&path, key.pos, n);
                node = n;
            }
            Some((_, n)) if !matches!(n.value, Value::Null) => {
                // Not an object: the decoder says so (expected object, got ...).
                dec.object(n, &path, &[]);
                return;
            }
            _ => {
                let at = dec.locs.key(&parent);
                dec.diags.push(Diagnostic::new(
                    Severity::Error,
                    at,
                    path.clone(),
                    "Required value",
                ));
                return;
            }
        }
    }
    let template_meta = if template.is_empty() {
        meta.clone()
    } else {
        dec.object(node, &path, &["metadata", "spec"]);
        dec.metadata(node.get("metadata"), &join(&path, "metadata"))
    };
    // ValidateObjectMeta: every object needs a name (or a prefix to generate one from).
    if meta.name.is_empty() && meta.generate_name.is_empty() {
        let pos = doc
            .get("metadata")
            .map_or(kind_pos, |_| dec.locs.key("metadata"));
        dec.diags.push(Diagnostic::new(
            Severity::Error,
            pos,
            "metadata.name",
            "Required value: name or generateName is required",
        ));
    }
    let spec_path = join(&path, "spec");
    let object_name = if meta.name.is_empty() {
        meta.generate_name.clone()
    } else {
        meta.name.clone()
    };
    let schedule = doc
        .get("spec")
        .and_then(|s| s.get("schedule"))
        .and_then(Node::scalar);
    let pod_name = pod_name(kind, &meta.name, &meta.generate_name, schedule);
    let spec_node = node.get("spec").cloned().unwrap_or(Node {
        pos: node.pos,
        value: Value::Null,
    });
    // A controller's pods live in the controller's namespace, whatever the template says.
    let mut pod = dec.pod_spec(
        &spec_node,
        &spec_path,
        pod_name,
        meta.namespace,
        template_meta.annotations,
    );
    let errors = dec
        .diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count()
        - errors_before;
    pod.labels = template_meta.labels;
    if kind == "StatefulSet" {
        claim_templates(doc, &mut pod, &mut out.world);
    }
    out.found.push(Found {
        workload: Workload {
            kind: kind.to_string(),
            name: object_name,
            document: d,
            pos: kind_pos,
            spec_path,
            pod,
            errors,
            world: Default::default(),
        },
        locs,
    });
}

/// A StatefulSet's `volumeClaimTemplates`: its controller creates one claim per template for each
/// pod, named `TEMPLATE-POD`, and adds a volume named after the template to the pod.
fn claim_templates(doc: &Node, pod: &mut crate::spec::PodSpec, world: &mut World) {
    let Some(Value::Seq(templates)) = doc
        .get("spec")
        .and_then(|s| s.get("volumeClaimTemplates"))
        .map(|t| &t.value)
    else {
        return;
    };
    for t in templates {
        let Some(name) = t
            .get("metadata")
            .and_then(|m| m.get("name"))
            .and_then(Node::scalar)
        else {
            continue;
        };
        if pod.volume(name).is_some() {
            continue;
        }
        let claim = format!("{name}-{}", pod.name);
        world.put(world::Object::named(
            ObjectKind::PersistentVolumeClaim,
            &pod.namespace,
            &claim,
        ));
        pod.volumes.push(Volume {
            name: name.to_string(),
            source: VolumeSource::Claim(claim),
        });
    }
}

/// The pod name a controller would give its first pod. Real names carry random suffixes; ours are
/// derived from the object's name so that the same input always gives the same trace. A CronJob's Job
/// is named after its scheduled time in minutes since the epoch (the CronJob controller's
/// `getJobName`): ours is a run at the schedule's minute and hour on a day in 2026.
fn pod_name(kind: &str, name: &str, generate_name: &str, schedule: Option<&str>) -> String {
    let seed = [name, generate_name, "unnamed"]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or("unnamed");
    let hash = fnv(seed);
    let suffix = |h: u64, n: usize| -> String {
        // The alphabet Kubernetes uses for generated names: no vowels, no confusable digits.
        const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
        (0..n)
            .map(|i| ALPHABET[((h >> (i * 5)) % ALPHABET.len() as u64) as usize] as char)
            .collect()
    };
    // A Pod with only generateName gets a suffix, as the API server would give it.
    if kind == "Pod" && name.is_empty() && !generate_name.is_empty() {
        return format!("{generate_name}{}", suffix(hash, 5));
    }
    let name = if name.is_empty() { "unnamed" } else { name };
    match kind {
        "Pod" => name.to_string(),
        "Deployment" => format!("{name}-{}-{}", suffix(hash, 10), suffix(hash >> 20, 5)),
        "StatefulSet" => format!("{name}-0"),
        "CronJob" => format!(
            "{name}-{}-{}",
            scheduled_minutes(schedule, hash),
            suffix(hash >> 7, 5)
        ),
        _ => format!("{name}-{}", suffix(hash, 5)),
    }
}

/// Minutes since the epoch of a run of `schedule` (`MIN HOUR …`; fields that are not plain numbers
/// count as 0) on a day of 2026 picked by `hash`.
fn scheduled_minutes(schedule: Option<&str>, hash: u64) -> u64 {
    // 2026-01-01T00:00:00Z is day 20,454 of the epoch.
    const DAY_2026: u64 = 20_454;
    let mut fields = schedule.unwrap_or("").split_whitespace();
    let mut field = |max: u64| {
        fields
            .next()
            .and_then(|f| f.parse::<u64>().ok())
            .filter(|v| *v < max)
            .unwrap_or(0)
    };
    let (minute, hour) = (field(60), field(24));
    (DAY_2026 + hash % 365) * 1440 + hour * 60 + minute
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod schedule_tests {
    use super::scheduled_minutes;

    /// A CronJob's Job name carries its scheduled time in minutes since the epoch: the minute and hour
    /// of the day are the schedule's.
    #[test]
    fn the_job_suffix_is_a_time_the_schedule_runs() {
        for (schedule, minute_of_day) in [
            (Some("0 3 * * *"), 180),
            (Some("30 23 * * 1-5"), 23 * 60 + 30),
            (Some("*/5 * * * *"), 0),
            (Some("@daily"), 0),
            (Some("61 25 * * *"), 0),
            (None, 0),
        ] {
            let m = scheduled_minutes(schedule, 12_345);
            assert_eq!(m % 1440, minute_of_day, "{schedule:?}");
            let day = m / 1440;
            assert!(
                (20_454..20_454 + 365).contains(&day),
                "{schedule:?}: day {day}"
            );
        }
    }
}
