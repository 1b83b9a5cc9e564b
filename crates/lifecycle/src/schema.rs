//! What a code editor needs to complete and explain Kubernetes workload YAML while it is being typed.
//!
//! The text in an editor is half-written and usually invalid, so this module never parses YAML: it reads
//! lines. The cursor's document is the text between `---` lines; the keys above the cursor, taken by
//! indentation (a `- ` opens a list item), give the path to the object the cursor is in; the document's
//! `kind:` picks the root (Pod, a controller with a pod template, or a List). A table of objects and their
//! fields, with one sentence, a default and the accepted values each, answers the rest. The fields offered
//! for the objects the decoder checks are exactly the decoder's lists (a test holds them equal), so
//! nothing offered here is then reported as an unknown field.

use crate::sim::ANNOTATION_PREFIX;
use std::collections::HashSet;

/// What kind of completion an item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Field,
    Value,
    Container,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    /// What the list shows: `livenessProbe`, `Always`, `app`.
    pub label: String,
    /// Short type/default text: `object`, `string, default Always`, `list of containers`.
    pub detail: String,
    /// One sentence about it.
    pub info: String,
    /// The text that replaces the typed word (for a field, its key and what follows the colon).
    pub insert: String,
    pub kind: CompletionKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    /// The field's path with list indexes as `[]`: `spec.containers[].livenessProbe.periodSeconds`.
    pub path: String,
    /// One sentence about the field.
    pub sentence: String,
    /// The default the API server or kubelet applies when the field is left out, if any.
    pub default: Option<String>,
    /// The object holding the field in the Kubernetes API reference.
    pub url: String,
    /// Byte range of the key under the offset, for the editor to underline.
    pub from: usize,
    pub to: usize,
}

/// Completions at byte offset `offset` of `source`, with the offset where the typed word starts (the
/// editor replaces `from..offset`). `None` where nothing applies: in a comment, a block scalar, a flow
/// collection or a quoted string, after a value that has no fixed set of values, or under a key this
/// schema does not know. Keys are narrowed to those the typed word fuzzily matches, those it begins
/// first; an enum's values are all given, for the editor to filter.
pub fn complete(source: &str, offset: usize) -> Option<(usize, Vec<Completion>)> {
    let offset = clamp(source, offset);
    let doc = document(source, offset)?;
    let line = doc.lines.get(doc.cursor)?;
    let at = cursor_at(line, (offset - line.start).min(line.text.len()))?;
    let (chain, containers) = walk(&doc, at.col);
    let r = resolve(&chain)?;
    // Keys already in the cursor's object, except one being retyped on the cursor's own line.
    let siblings: HashSet<&str> = chain
        .last()?
        .keys
        .iter()
        .filter(|e| e.line != doc.cursor)
        .map(|e| e.name)
        .collect();
    let items = match at.what {
        What::Key => keys(&r, at.col, at.word, &siblings, &containers),
        What::Value(key) => values(&r, key),
    };
    (!items.is_empty()).then_some((line.start + at.from, items))
}

/// What the key under byte offset `offset` is, if it is a field this schema knows.
pub fn hover(source: &str, offset: usize) -> Option<Hover> {
    let offset = clamp(source, offset);
    let doc = document(source, offset)?;
    let line = doc.lines.get(doc.cursor)?;
    if line.state != State::Content {
        return None;
    }
    let col = offset - line.start;
    let key = parts(line.text).key?;
    if col < key.col || col > key.end {
        return None;
    }
    let (chain, _) = walk(&doc, key.col);
    let r = resolve(&chain)?;
    let Place::Obj(obj) = r.place else {
        return None;
    };
    let field = obj.field(key.name)?;
    let path = if r.path.is_empty() {
        key.name.to_string()
    } else {
        format!("{}.{}", r.path, key.name)
    };
    Some(Hover {
        path,
        sentence: field.doc.to_string(),
        default: field.default.map(str::to_string),
        url: obj.url(),
        from: line.start + key.col,
        to: line.start + key.end,
    })
}

/// Any offset becomes one on a character boundary within the text.
fn clamp(source: &str, offset: usize) -> usize {
    let mut o = offset.min(source.len());
    while !source.is_char_boundary(o) {
        o -= 1;
    }
    o
}

// ---------------------------------------------------------------------------------------------------
// The schema.

/// The objects whose documents this schema knows; an unknown or missing kind is read as a Pod.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Workload {
    Pod,
    Deployment,
    StatefulSet,
    DaemonSet,
    ReplicaSet,
    Job,
    CronJob,
    List,
}

impl Workload {
    fn parse(kind: &str) -> Option<Workload> {
        Some(match kind {
            "Pod" => Workload::Pod,
            "Deployment" => Workload::Deployment,
            "StatefulSet" => Workload::StatefulSet,
            "DaemonSet" => Workload::DaemonSet,
            "ReplicaSet" => Workload::ReplicaSet,
            "Job" => Workload::Job,
            "CronJob" => Workload::CronJob,
            // A typed list (`DeploymentList`) is a List whose items may leave their kind out.
            k if k.ends_with("List") => Workload::List,
            _ => return None,
        })
    }
    fn api_version(self) -> &'static str {
        match self {
            Workload::Pod | Workload::List => "v1",
            Workload::Job | Workload::CronJob => "batch/v1",
            _ => "apps/v1",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ty {
    Str,
    Int,
    Bool,
    Quantity,
    IntOrStr,
}

/// What a map's keys are, which decides what its keys complete to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MapOf {
    Strings,
    /// `metadata.annotations`: on a pod, the behaviour annotations of its containers complete.
    Annotations,
    /// Container and pod resources by name.
    Quantities,
    /// A claim's storage size.
    Storage,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Scalar(Ty),
    Object(Obj),
    Objects(Obj),
    Scalars(Ty),
    Map(MapOf),
}

#[rustfmt::skip]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Obj {
    Root(Workload),
    /// The metadata of a pod or pod template: its annotations are where behaviour is written.
    PodMeta,
    Meta,
    PodTemplate,
    DeploymentSpec, DeploymentStrategy, RollingUpdate,
    StatefulSetSpec, SetStrategy, SetRolling, Retention, Ordinals, ClaimTemplate, ClaimSpec, ClaimResources,
    DaemonSetSpec, DaemonStrategy, DaemonRolling,
    ReplicaSetSpec, JobSpec, CronJobSpec, JobTemplate, Selector, SelectorTerm,
    PodSpec, Container, InitContainer, Probe, Exec, HttpGet, HttpHeader, TcpSocket, Grpc, Sleep, Lifecycle, Hook,
    Port, VolumeMount, VolumeDevice, Resources, ResourceClaim, ResizePolicy, RestartRule, ExitCodes,
    EnvVar, EnvSource, KeyRef, FieldRef, ResourceFieldRef, EnvFrom, SourceRef,
    Volume, EmptyDir, ConfigMapVolume, SecretVolume, KeyToPath, ClaimVolume, DownwardVolume, DownwardFile,
    Projected, Projection, ProjectedRef, ProjectedDownward, Token, ImageVolume, HostPath,
    SecurityContext, Capabilities, Seccomp, PodSecurityContext, Os, ReadinessGate, LocalRef, Toleration, Spread,
    HostAlias, DnsConfig, NameValue, SchedulingGate, PodClaim,
    /// An item of a List: its own `kind:` says what it is.
    Listed,
    /// An object the schema does not describe field by field (affinity, CSI volumes, ...).
    Opaque,
}

struct Field {
    name: &'static str,
    kind: Kind,
    doc: &'static str,
    default: Option<&'static str>,
    /// The accepted values and what each means; empty for free text.
    values: &'static [(&'static str, &'static str)],
}

const fn f(name: &'static str, kind: Kind, doc: &'static str) -> Field {
    Field {
        name,
        kind,
        doc,
        default: None,
        values: &[],
    }
}

impl Field {
    const fn d(self, default: &'static str) -> Field {
        Field {
            default: Some(default),
            ..self
        }
    }
    const fn v(self, values: &'static [(&'static str, &'static str)]) -> Field {
        Field { values, ..self }
    }
}

const S: Kind = Kind::Scalar(Ty::Str);
const I: Kind = Kind::Scalar(Ty::Int);
const B: Kind = Kind::Scalar(Ty::Bool);
const Q: Kind = Kind::Scalar(Ty::Quantity);
const IS: Kind = Kind::Scalar(Ty::IntOrStr);
const STRS: Kind = Kind::Scalars(Ty::Str);
const MAP: Kind = Kind::Map(MapOf::Strings);
const QMAP: Kind = Kind::Map(MapOf::Quantities);
const OPAQUE: Kind = Kind::Object(Obj::Opaque);
const OPAQUES: Kind = Kind::Objects(Obj::Opaque);
const fn o(obj: Obj) -> Kind {
    Kind::Object(obj)
}
const fn l(obj: Obj) -> Kind {
    Kind::Objects(obj)
}

type Values = &'static [(&'static str, &'static str)];

#[rustfmt::skip]
mod tables {
    use super::*;

    pub const BOOL: Values = &[("true", "Yes."), ("false", "No.")];
    pub const KINDS: Values = &[
        ("Pod", "One pod, created as written."),
        ("Deployment", "Keeps a number of interchangeable pods running and replaces them gradually on change."),
        ("StatefulSet", "Pods with stable names and their own volumes, started and stopped in order."),
        ("DaemonSet", "One pod on every (matching) node."),
        ("ReplicaSet", "Keeps a number of identical pods running; normally managed by a Deployment."),
        ("Job", "Pods that run until a number of them succeed."),
        ("CronJob", "Creates a Job on a schedule."),
        ("List", "A wrapper holding several objects under `items`."),
    ];
    pub const API_VERSIONS: Values = &[
        ("v1", "The core group: Pod and List."),
        ("apps/v1", "Deployment, StatefulSet, DaemonSet and ReplicaSet."),
        ("batch/v1", "Job and CronJob."),
    ];
    pub const RESTART: Values = &[
        ("Always", "Start a container again whenever it exits, whatever its exit code."),
        ("OnFailure", "Start a container again only when it exits with a non-zero code."),
        ("Never", "Never start an exited container again."),
    ];
    pub const SIDECAR: Values = &[("Always", "Makes this init container a sidecar: it keeps running beside the app containers and is restarted when it exits.")];
    pub const PULL: Values = &[
        ("Always", "Ask the registry on every start and pull when the image behind the tag changed."),
        ("IfNotPresent", "Pull only when the node does not have the image yet."),
        ("Never", "Never pull: the image must already be on the node."),
    ];
    pub const PROTOCOLS: Values = &[("TCP", "A TCP port."), ("UDP", "A UDP port."), ("SCTP", "An SCTP port.")];
    pub const DNS: Values = &[
        ("ClusterFirst", "Ask the cluster's DNS first; names outside the cluster go on to the node's upstream servers."),
        ("ClusterFirstWithHostNet", "ClusterFirst, for a pod on the host network (which would otherwise get Default)."),
        ("Default", "Use the node's own resolver settings (despite the name, not the default)."),
        ("None", "Use only what dnsConfig says."),
    ];
    pub const PREEMPTION: Values = &[
        ("PreemptLowerPriority", "The scheduler may evict lower-priority pods to make room for this one."),
        ("Never", "Wait for room instead of evicting anything."),
    ];
    pub const OS: Values = &[("linux", "Linux nodes."), ("windows", "Windows nodes.")];
    pub const TERMINATION_MESSAGE: Values = &[
        ("File", "Only the contents of terminationMessagePath."),
        ("FallbackToLogsOnError", "The end of the container's log when the file is empty and the container failed."),
    ];
    pub const SCHEMES: Values = &[("HTTP", "Plain HTTP."), ("HTTPS", "HTTPS, without checking the certificate.")];
    pub const PROPAGATION: Values = &[
        ("None", "Mounts made later on either side are not seen by the other."),
        ("HostToContainer", "Mounts the host makes later under the volume show up in the container."),
        ("Bidirectional", "Mounts travel both ways; needs a privileged container."),
    ];
    pub const RECURSIVE_RO: Values = &[
        ("Disabled", "Only the top mount is read-only."),
        ("IfPossible", "Make submounts read-only too when the runtime can."),
        ("Enabled", "Make submounts read-only too, or fail to start the container."),
    ];
    pub const SIGNALS: Values = &[
        ("SIGTERM", "Ask the process to terminate (the usual default)."),
        ("SIGINT", "Interrupt, as Ctrl-C does."),
        ("SIGQUIT", "Quit; many servers shut down gracefully on it (nginx does)."),
        ("SIGHUP", "Hang up."),
        ("SIGUSR1", "User-defined signal 1."),
        ("SIGUSR2", "User-defined signal 2."),
        ("SIGKILL", "Kill at once; the process cannot catch it."),
    ];
    pub const RULE_ACTIONS: Values = &[("Restart", "Restart the container when the rule matches.")];
    pub const IN_NOT_IN: Values = &[("In", "The exit code is one of the values."), ("NotIn", "The exit code is none of the values.")];
    pub const RESIZE_RESOURCES: Values = &[("cpu", "CPU."), ("memory", "Memory.")];
    pub const RESIZE_RESTART: Values = &[
        ("NotRequired", "Apply the new amount to the running container."),
        ("RestartContainer", "Restart the container to apply the new amount."),
    ];
    pub const TOLERATION_OPS: Values = &[("Equal", "The taint's value must equal value."), ("Exists", "Any value of the taint's key matches.")];
    pub const EFFECTS: Values = &[
        ("NoSchedule", "Taints that keep new pods off the node."),
        ("PreferNoSchedule", "Taints the scheduler tries to avoid."),
        ("NoExecute", "Taints that also evict running pods."),
    ];
    pub const UNSATISFIABLE: Values = &[
        ("DoNotSchedule", "Leave the pod pending rather than break the skew."),
        ("ScheduleAnyway", "Schedule anyway, preferring nodes that reduce the skew."),
    ];
    pub const HONOR_IGNORE: Values = &[("Honor", "Count only nodes that pass it."), ("Ignore", "Count all nodes.")];
    pub const SELECTOR_OPS: Values = &[
        ("In", "The label's value is one of values."),
        ("NotIn", "The label is missing or its value is none of values."),
        ("Exists", "The label is present (values must be empty)."),
        ("DoesNotExist", "The label is absent (values must be empty)."),
    ];
    pub const FS_GROUP_CHANGE: Values = &[
        ("Always", "Change ownership and permissions of every file in the volume on each mount."),
        ("OnRootMismatch", "Change them only when the volume's root does not already match."),
    ];
    pub const SUPPLEMENTAL: Values = &[
        ("Merge", "Add the groups the image's /etc/group lists for the user."),
        ("Strict", "Use only the groups written in the pod."),
    ];
    pub const SELINUX_CHANGE: Values = &[
        ("MountOption", "Label volumes with a mount option, quickly, where the volume supports it."),
        ("Recursive", "Relabel every file of the volume."),
    ];
    pub const PROC_MOUNT: Values = &[("Default", "The runtime's usual masked /proc."), ("Unmasked", "No masking of /proc; needs hostUsers: false.")];
    pub const SECCOMP_TYPES: Values = &[
        ("RuntimeDefault", "The container runtime's default profile."),
        ("Unconfined", "No seccomp filtering."),
        ("Localhost", "A profile file on the node, named by localhostProfile."),
    ];
    pub const DEPLOY_STRATEGY: Values = &[
        ("RollingUpdate", "Replace pods a few at a time, within maxSurge and maxUnavailable."),
        ("Recreate", "Delete all old pods before creating new ones."),
    ];
    pub const SET_STRATEGY_TYPES: Values = &[
        ("RollingUpdate", "Replace pods one by one, from the highest ordinal down."),
        ("OnDelete", "Replace a pod only when you delete it."),
    ];
    pub const DAEMON_STRATEGY_TYPES: Values = &[
        ("RollingUpdate", "Replace the pods node by node."),
        ("OnDelete", "Replace a pod only when you delete it."),
    ];
    pub const POD_MANAGEMENT: Values = &[
        ("OrderedReady", "Create pods one at a time, each once the previous is ready; remove them in reverse."),
        ("Parallel", "Create and remove pods all at once."),
    ];
    pub const RETAIN_DELETE: Values = &[("Retain", "Keep the claims."), ("Delete", "Delete the claims.")];
    pub const COMPLETION_MODE: Values = &[
        ("NonIndexed", "Any completions successes finish the Job."),
        ("Indexed", "Each pod gets an index; every index from 0 to completions-1 must succeed once."),
    ];
    pub const POD_REPLACEMENT: Values = &[
        ("TerminatingOrFailed", "Create a replacement as soon as a pod starts terminating."),
        ("Failed", "Wait until the old pod has fully terminated."),
    ];
    pub const CONCURRENCY: Values = &[
        ("Allow", "Runs may overlap."),
        ("Forbid", "Skip a run while the previous one is still going."),
        ("Replace", "Stop the running Job and start the new one."),
    ];
    pub const MEDIUM: Values = &[("Memory", "A tmpfs in RAM; its size counts toward the container's memory.")];
    pub const HOST_PATH_TYPE: Values = &[
        ("DirectoryOrCreate", "A directory, created if missing."),
        ("Directory", "A directory that must exist."),
        ("FileOrCreate", "A file, created if missing."),
        ("File", "A file that must exist."),
        ("Socket", "A UNIX socket that must exist."),
        ("CharDevice", "A character device that must exist."),
        ("BlockDevice", "A block device that must exist."),
    ];
    pub const VOLUME_MODE: Values = &[("Filesystem", "A formatted file system, mounted."), ("Block", "A raw block device.")];
    pub const FIELD_PATHS: Values = &[
        ("metadata.name", "The pod's name."),
        ("metadata.namespace", "The pod's namespace."),
        ("metadata.uid", "The pod's UID."),
        ("spec.nodeName", "The node the pod runs on."),
        ("spec.serviceAccountName", "The pod's ServiceAccount."),
        ("status.podIP", "The pod's IP address."),
        ("status.hostIP", "The node's IP address."),
    ];
    pub const RESOURCE_FIELDS: Values = &[
        ("requests.cpu", "The CPU request."),
        ("limits.cpu", "The CPU limit."),
        ("requests.memory", "The memory request."),
        ("limits.memory", "The memory limit."),
        ("requests.ephemeral-storage", "The local storage request."),
        ("limits.ephemeral-storage", "The local storage limit."),
    ];
    pub const RESOURCE_NAMES: Values = &[
        ("cpu", "CPU, in cores or millicores: 0.5 or 500m."),
        ("memory", "Memory, in bytes with a suffix: 128Mi, 1Gi."),
        ("ephemeral-storage", "Local disk for logs, writable layers and emptyDir volumes."),
    ];
    pub const STORAGE: Values = &[("storage", "The volume's size: 1Gi.")];

    pub const POD_V1_SPEC: &str = "workload-resources/pod-v1/#PodSpec";
    pub const PULL_DEFAULT: &str = "Always for a :latest or untagged image, else IfNotPresent";

    pub const API_VERSION: Field = f("apiVersion", S, "The API group and version the object is written in.").v(API_VERSIONS);
    pub const KIND: Field = f("kind", S, "Which kind of object the document holds.").v(KINDS);
    pub const META: Field = f("metadata", o(Obj::Meta), "The object's name, namespace, labels and annotations.");
    pub const POD_META: Field = f("metadata", o(Obj::PodMeta), "The pod's name, namespace, labels and annotations.");
    pub const SELECTOR: Field = f("selector", o(Obj::Selector), "Which pods belong to it; it must match the template's labels.");
    pub const TEMPLATE: Field = f("template", o(Obj::PodTemplate), "The pod every replica is made from.");
    pub const MIN_READY: Field = f("minReadySeconds", I, "Seconds a new pod must stay ready before it counts as available.").d("0");
    pub const HISTORY: Field = f("revisionHistoryLimit", I, "How many old revisions are kept for rolling back.").d("10");
    pub const REPLICAS: Field = f("replicas", I, "How many pods should run.").d("1");
    pub const MODE: Field = f("defaultMode", I, "File permission bits for the files, as octal (0644) or decimal (420).").d("0644");

    pub const ROOT_POD: &[Field] = &[API_VERSION, KIND, POD_META, f("spec", o(Obj::PodSpec), "What the pod runs: its containers, volumes and the rules for restarting and stopping them.")];
    pub const ROOT_DEPLOYMENT: &[Field] = &[API_VERSION, KIND, META, f("spec", o(Obj::DeploymentSpec), "How many pods, which pods are its own, and the template new ones are made from.")];
    pub const ROOT_STATEFUL_SET: &[Field] = &[API_VERSION, KIND, META, f("spec", o(Obj::StatefulSetSpec), "How many ordered pods, their template and the volumes each one gets.")];
    pub const ROOT_DAEMON_SET: &[Field] = &[API_VERSION, KIND, META, f("spec", o(Obj::DaemonSetSpec), "The template of the pod run on each node, and how it is updated.")];
    pub const ROOT_REPLICA_SET: &[Field] = &[API_VERSION, KIND, META, f("spec", o(Obj::ReplicaSetSpec), "How many pods, which pods are its own, and their template.")];
    pub const ROOT_JOB: &[Field] = &[API_VERSION, KIND, META, f("spec", o(Obj::JobSpec), "The pods to run to completion and when the Job counts as done or failed.")];
    pub const ROOT_CRON_JOB: &[Field] = &[API_VERSION, KIND, META, f("spec", o(Obj::CronJobSpec), "The schedule and the Job created at each run.")];
    pub const ROOT_LIST: &[Field] = &[API_VERSION, KIND, f("items", l(Obj::Listed), "The objects in the list, each with its own kind.")];

    pub const OBJECT_META: &[Field] = &[
        f("name", S, "The object's name, unique among its kind in the namespace."),
        f("namespace", S, "The namespace the object lives in.").d("default"),
        f("labels", MAP, "Key/value pairs that selectors (Services, controllers) match on."),
        f("annotations", Kind::Map(MapOf::Annotations), "Key/value notes for tools; Podstep reads behavior.podstep.dev/<container> here."),
        f("generateName", S, "A prefix the API server completes with random characters when name is left out."),
        f("ownerReferences", OPAQUES, "Objects this one depends on; set by controllers for garbage collection."),
        f("finalizers", STRS, "Names of cleanups that must finish before the object is removed."),
        f("uid", S, "Set by the API server: a unique id for this object's lifetime."),
        f("resourceVersion", S, "Set by the API server: the version of the object, for optimistic concurrency."),
        f("generation", I, "Set by the API server: counts changes to the desired state."),
        f("creationTimestamp", S, "Set by the API server: when the object was created."),
        f("deletionTimestamp", S, "Set by the API server: when deletion was requested."),
        f("deletionGracePeriodSeconds", I, "Set by the API server: the grace period of a pending deletion."),
        f("selfLink", S, "No longer set: once the object's own URL."),
        f("managedFields", OPAQUES, "Set by the API server: which manager owns which fields, for server-side apply."),
    ];

    pub const CONTAINER: &[Field] = &[
        f("name", S, "The container's name: unique in the pod, a DNS label."),
        f("image", S, "The image to run: registry/repository:tag, or @sha256:digest."),
        f("imagePullPolicy", S, "When the image is pulled before the container starts.").d(PULL_DEFAULT).v(PULL),
        f("command", STRS, "Replaces the image's ENTRYPOINT; run directly, not by a shell unless you name one."),
        f("args", STRS, "Replaces the image's CMD: the arguments of the entrypoint."),
        f("workingDir", S, "The directory the process starts in; the image's when left out."),
        f("env", l(Obj::EnvVar), "Environment variables of the container."),
        f("envFrom", l(Obj::EnvFrom), "Every key of a ConfigMap or Secret, as environment variables."),
        f("ports", l(Obj::Port), "Ports the process listens on; probes and Services can use their names."),
        f("resources", o(Obj::Resources), "What the scheduler reserves for the container, and the most it may use."),
        f("resizePolicy", l(Obj::ResizePolicy), "Whether changing a resource in place restarts the container."),
        f("restartPolicy", S, "On an init container, Always makes it a sidecar; elsewhere it overrides the pod's policy (ContainerRestartRules).").v(RESTART),
        f("restartPolicyRules", l(Obj::RestartRule), "Exit codes that override restartPolicy (ContainerRestartRules)."),
        f("volumeMounts", l(Obj::VolumeMount), "Where the pod's volumes appear in this container."),
        f("volumeDevices", l(Obj::VolumeDevice), "Raw block volumes, as device files in the container."),
        f("livenessProbe", o(Obj::Probe), "A periodic check; failureThreshold failures in a row restart the container."),
        f("readinessProbe", o(Obj::Probe), "A periodic check of whether the container is ready; an unready pod gets no Service traffic."),
        f("startupProbe", o(Obj::Probe), "Checked until it passes once; the other probes wait for it, and failing it restarts the container."),
        f("lifecycle", o(Obj::Lifecycle), "Hooks run just after the container starts and just before it stops."),
        f("terminationMessagePath", S, "A file whose contents become the container's termination message.").d("/dev/termination-log"),
        f("terminationMessagePolicy", S, "Where the termination message comes from.").d("File").v(TERMINATION_MESSAGE),
        f("securityContext", o(Obj::SecurityContext), "Security settings of this container, over the pod's."),
        f("stdin", B, "Keep a stdin stream open for the process.").d("false"),
        f("stdinOnce", B, "Close stdin when the first attached client disconnects.").d("false"),
        f("tty", B, "Give the process a terminal; needs stdin.").d("false"),
    ];

    const VOLUME_PAGE: &str = "config-and-storage-resources/volume/#Volume";
    const STS: &str = "workload-resources/stateful-set-v1/#StatefulSetSpec";
    const PVC: &str = "config-and-storage-resources/persistent-volume-claim-v1/#PersistentVolumeClaimSpec";

    /// Every object: its page (and anchor) in the API reference, and its fields.
    pub const OBJECTS: &[(Obj, &str, &[Field])] = &[
        (Obj::Root(Workload::Pod), "workload-resources/pod-v1/#Pod", ROOT_POD),
        (Obj::Root(Workload::Deployment), "workload-resources/deployment-v1/#Deployment", ROOT_DEPLOYMENT),
        (Obj::Root(Workload::StatefulSet), "workload-resources/stateful-set-v1/#StatefulSet", ROOT_STATEFUL_SET),
        (Obj::Root(Workload::DaemonSet), "workload-resources/daemon-set-v1/#DaemonSet", ROOT_DAEMON_SET),
        (Obj::Root(Workload::ReplicaSet), "workload-resources/replica-set-v1/#ReplicaSet", ROOT_REPLICA_SET),
        (Obj::Root(Workload::Job), "workload-resources/job-v1/#Job", ROOT_JOB),
        (Obj::Root(Workload::CronJob), "workload-resources/cron-job-v1/#CronJob", ROOT_CRON_JOB),
        // A List is no resource of its own: the API concepts page describes collections.
        (Obj::Root(Workload::List), "https://kubernetes.io/docs/reference/using-api/api-concepts/#collections", ROOT_LIST),
        (Obj::PodMeta, "common-definitions/object-meta/#ObjectMeta", OBJECT_META),
        (Obj::Meta, "common-definitions/object-meta/#ObjectMeta", OBJECT_META),
        (Obj::PodTemplate, "workload-resources/pod-template-v1/#PodTemplateSpec", &[
            f("metadata", o(Obj::PodMeta), "Labels and annotations every pod made from the template gets."),
            f("spec", o(Obj::PodSpec), "The pods' containers, volumes and lifecycle rules."),
        ]),
        (Obj::DeploymentSpec, "workload-resources/deployment-v1/#DeploymentSpec", &[
            REPLICAS, SELECTOR, TEMPLATE,
            f("strategy", o(Obj::DeploymentStrategy), "How old pods are replaced when the template changes."),
            MIN_READY, HISTORY,
            f("progressDeadlineSeconds", I, "Seconds a rollout may go without progress before it is reported as failed.").d("600"),
            f("paused", B, "Stop rolling out template changes until unpaused.").d("false"),
        ]),
        (Obj::DeploymentStrategy, "workload-resources/deployment-v1/#DeploymentSpec", &[
            f("type", S, "Replace pods gradually, or all at once.").d("RollingUpdate").v(DEPLOY_STRATEGY),
            f("rollingUpdate", o(Obj::RollingUpdate), "Limits for a rolling update."),
        ]),
        (Obj::RollingUpdate, "workload-resources/deployment-v1/#DeploymentSpec", &[
            f("maxUnavailable", IS, "How many pods, or what percentage, may be unavailable during the update.").d("25%"),
            f("maxSurge", IS, "How many pods, or what percentage, may exist above replicas during the update.").d("25%"),
        ]),
        (Obj::StatefulSetSpec, STS, &[
            REPLICAS, SELECTOR,
            f("serviceName", S, "The headless Service that gives each pod its stable DNS name."),
            TEMPLATE,
            f("volumeClaimTemplates", l(Obj::ClaimTemplate), "Claims created for each pod, named <template>-<pod>, and mounted as volumes of that name."),
            f("podManagementPolicy", S, "Whether pods are created and removed in order or all at once.").d("OrderedReady").v(POD_MANAGEMENT),
            f("updateStrategy", o(Obj::SetStrategy), "How pods are replaced when the template changes."),
            HISTORY, MIN_READY,
            f("persistentVolumeClaimRetentionPolicy", o(Obj::Retention), "Whether the pods' claims are kept when the set is deleted or scaled down."),
            f("ordinals", o(Obj::Ordinals), "The number the first pod's name ends in."),
        ]),
        (Obj::SetStrategy, STS, &[
            f("type", S, "Replace pods automatically, or only when deleted.").d("RollingUpdate").v(SET_STRATEGY_TYPES),
            f("rollingUpdate", o(Obj::SetRolling), "Limits for a rolling update."),
        ]),
        (Obj::SetRolling, STS, &[
            f("partition", I, "Only pods with an ordinal at least this high are updated.").d("0"),
            f("maxUnavailable", IS, "How many pods may be unavailable during the update.").d("1"),
        ]),
        (Obj::Retention, STS, &[
            f("whenDeleted", S, "What happens to the claims when the StatefulSet is deleted.").d("Retain").v(RETAIN_DELETE),
            f("whenScaled", S, "What happens to the claims of pods removed by scaling down.").d("Retain").v(RETAIN_DELETE),
        ]),
        (Obj::Ordinals, STS, &[f("start", I, "The ordinal of the first pod.").d("0")]),
        (Obj::ClaimTemplate, "config-and-storage-resources/persistent-volume-claim-v1/#PersistentVolumeClaim", &[
            f("apiVersion", S, "Usually left out; v1 for a claim."),
            f("kind", S, "Usually left out; PersistentVolumeClaim."),
            f("metadata", o(Obj::Meta), "The template's name, which is also the volume name the pods mount."),
            f("spec", o(Obj::ClaimSpec), "The storage each pod's claim asks for."),
        ]),
        (Obj::ClaimSpec, PVC, &[
            f("accessModes", STRS, "How the volume may be mounted: ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod."),
            f("resources", o(Obj::ClaimResources), "The storage size asked for."),
            f("storageClassName", S, "The StorageClass that provisions the volume; the cluster's default class when left out."),
            f("volumeMode", S, "A file system or a raw block device.").d("Filesystem").v(VOLUME_MODE),
            f("selector", o(Obj::Selector), "Labels an existing volume must have to be bound."),
            f("volumeName", S, "Bind to this PersistentVolume."),
            f("dataSource", OPAQUE, "A snapshot or claim to fill the new volume from."),
        ]),
        (Obj::ClaimResources, PVC, &[
            f("requests", Kind::Map(MapOf::Storage), "The least storage the volume must have."),
            f("limits", Kind::Map(MapOf::Storage), "The most storage the volume may have."),
        ]),
        (Obj::DaemonSetSpec, "workload-resources/daemon-set-v1/#DaemonSetSpec", &[
            SELECTOR, TEMPLATE,
            f("updateStrategy", o(Obj::DaemonStrategy), "How pods are replaced when the template changes."),
            MIN_READY, HISTORY,
        ]),
        (Obj::DaemonStrategy, "workload-resources/daemon-set-v1/#DaemonSetSpec", &[
            f("type", S, "Replace pods automatically, or only when deleted.").d("RollingUpdate").v(DAEMON_STRATEGY_TYPES),
            f("rollingUpdate", o(Obj::DaemonRolling), "Limits for a rolling update."),
        ]),
        (Obj::DaemonRolling, "workload-resources/daemon-set-v1/#DaemonSetSpec", &[
            f("maxUnavailable", IS, "How many nodes, or what percentage, may be without a ready pod during the update.").d("1"),
            f("maxSurge", IS, "How many nodes may run an old and a new pod at once during the update.").d("0"),
        ]),
        (Obj::ReplicaSetSpec, "workload-resources/replica-set-v1/#ReplicaSetSpec", &[REPLICAS, SELECTOR, TEMPLATE, MIN_READY]),
        (Obj::JobSpec, "workload-resources/job-v1/#JobSpec", &[
            f("template", o(Obj::PodTemplate), "The pod run to completion; its restartPolicy must be OnFailure or Never."),
            f("completions", I, "How many pods must succeed; left out, the first success finishes the Job."),
            f("parallelism", I, "How many pods may run at once.").d("1"),
            f("backoffLimit", I, "How many retries before the Job is marked failed.").d("6"),
            f("activeDeadlineSeconds", I, "A time limit for the whole Job; when it passes, its pods are stopped and the Job fails."),
            f("ttlSecondsAfterFinished", I, "Delete the finished Job, and its pods, this many seconds after it finishes."),
            f("completionMode", S, "Whether pods are interchangeable or each has an index.").d("NonIndexed").v(COMPLETION_MODE),
            f("suspend", B, "Create no pods (and stop running ones) until set back to false.").d("false"),
            f("selector", o(Obj::Selector), "Which pods belong to the Job; generated unless manualSelector is true."),
            f("manualSelector", B, "Use selector as written instead of a generated one.").d("false"),
            f("podFailurePolicy", OPAQUE, "Rules that fail the Job, or ignore a failure, by exit code or pod condition."),
            f("successPolicy", OPAQUE, "Rules that declare an Indexed Job successful before every index succeeds."),
            f("backoffLimitPerIndex", I, "For an Indexed Job: retries allowed for each index separately."),
            f("maxFailedIndexes", I, "For an Indexed Job with backoffLimitPerIndex: failed indexes tolerated before the Job fails."),
            f("podReplacementPolicy", S, "When a replacement pod is created.").d("TerminatingOrFailed").v(POD_REPLACEMENT),
            f("managedBy", S, "A controller other than the built-in one that manages the Job."),
        ]),
        (Obj::CronJobSpec, "workload-resources/cron-job-v1/#CronJobSpec", &[
            f("schedule", S, "When to run, in cron format: minute hour day-of-month month day-of-week."),
            f("timeZone", S, "The time zone of schedule, such as Europe/Paris; the controller's when left out."),
            f("jobTemplate", o(Obj::JobTemplate), "The Job created at each run."),
            f("concurrencyPolicy", S, "What to do when a run is due while the previous one is still running.").d("Allow").v(CONCURRENCY),
            f("startingDeadlineSeconds", I, "How late a missed run may still start."),
            f("suspend", B, "Start no new runs while true.").d("false"),
            f("successfulJobsHistoryLimit", I, "How many finished successful Jobs are kept.").d("3"),
            f("failedJobsHistoryLimit", I, "How many failed Jobs are kept.").d("1"),
        ]),
        (Obj::JobTemplate, "workload-resources/cron-job-v1/#CronJobSpec", &[
            f("metadata", o(Obj::Meta), "Labels and annotations of each Job created."),
            f("spec", o(Obj::JobSpec), "The Job's pods and completion rules."),
        ]),
        (Obj::Selector, "common-definitions/label-selector/#LabelSelector", &[
            f("matchLabels", MAP, "Labels that must all be present with these values."),
            f("matchExpressions", l(Obj::SelectorTerm), "Label conditions that must all hold."),
        ]),
        (Obj::SelectorTerm, "common-definitions/label-selector/#LabelSelector", &[
            f("key", S, "The label key."),
            f("operator", S, "How the label is compared with values.").v(SELECTOR_OPS),
            f("values", STRS, "The values compared with."),
        ]),
        (Obj::PodSpec, POD_V1_SPEC, &[
            f("containers", l(Obj::Container), "The containers that run together in the pod; at least one is required."),
            f("initContainers", l(Obj::InitContainer), "Containers run one at a time before the app containers, each to success (sidecars, restartPolicy: Always, keep running)."),
            f("restartPolicy", S, "What happens when a container exits: start it again always, only after a failure, or never.").d("Always").v(RESTART),
            f("terminationGracePeriodSeconds", I, "How long the containers get after their stop signal before they are killed.").d("30"),
            f("activeDeadlineSeconds", I, "A time limit for the pod from its start; when it passes, the pod is stopped and fails."),
            f("volumes", l(Obj::Volume), "Storage the containers can mount by name."),
            f("ephemeralContainers", OPAQUES, "Debugging containers added to a running pod; not written in a manifest."),
            f("dnsPolicy", S, "Where the pod's name resolution comes from.").d("ClusterFirst").v(DNS),
            f("dnsConfig", o(Obj::DnsConfig), "Nameservers, search domains and options added to the pod's resolv.conf."),
            f("nodeSelector", MAP, "Labels the pod's node must carry, all of them."),
            f("nodeName", S, "Put the pod on this node directly, without the scheduler."),
            f("affinity", OPAQUE, "Rules that draw the pod to some nodes, or near or away from other pods."),
            f("tolerations", l(Obj::Toleration), "Node taints the pod accepts."),
            f("topologySpreadConstraints", l(Obj::Spread), "How evenly matching pods must be spread across zones, nodes or other domains."),
            f("schedulerName", S, "The scheduler that places the pod.").d("default-scheduler"),
            f("priorityClassName", S, "A PriorityClass whose value becomes the pod's priority."),
            f("priority", I, "The pod's priority; filled in from priorityClassName by admission."),
            f("preemptionPolicy", S, "Whether the pod may evict lower-priority pods to get scheduled.").d("PreemptLowerPriority").v(PREEMPTION),
            f("runtimeClassName", S, "A RuntimeClass choosing the container runtime handler."),
            f("overhead", QMAP, "What the pod sandbox costs beyond its containers; normally set from the RuntimeClass."),
            f("resources", o(Obj::Resources), "Requests and limits for the pod as a whole, shared by its containers."),
            f("serviceAccountName", S, "The ServiceAccount the pod runs as.").d("default"),
            f("serviceAccount", S, "The old name of serviceAccountName."),
            f("automountServiceAccountToken", B, "Whether an API token of the ServiceAccount is mounted into the containers.").d("true"),
            f("securityContext", o(Obj::PodSecurityContext), "User, group and kernel security settings for every container, unless a container overrides them."),
            f("imagePullSecrets", l(Obj::LocalRef), "Secrets with registry credentials for pulling the images."),
            f("hostNetwork", B, "Use the node's network namespace, its addresses and ports.").d("false"),
            f("hostPID", B, "Use the node's process ID namespace.").d("false"),
            f("hostIPC", B, "Use the node's IPC namespace.").d("false"),
            f("hostUsers", B, "Use the node's user namespace; false gives the pod one of its own.").d("true"),
            f("shareProcessNamespace", B, "Put all containers in one process namespace, so they see and can signal each other's processes.").d("false"),
            f("hostname", S, "The pod's host name; the pod's name when left out."),
            f("subdomain", S, "With a headless Service of this name, gives the pod a DNS name under it."),
            f("setHostnameAsFQDN", B, "Make the kernel host name the pod's fully qualified name.").d("false"),
            f("hostnameOverride", S, "Set the pod's host name to exactly this."),
            f("hostAliases", l(Obj::HostAlias), "Extra entries for the pod's /etc/hosts."),
            f("enableServiceLinks", B, "Add environment variables describing the namespace's Services, in Docker links style.").d("true"),
            f("readinessGates", l(Obj::ReadinessGate), "Extra pod conditions that must be True before the pod is ready."),
            f("os", o(Obj::Os), "The operating system the pod needs; it decides which fields and stop signals are allowed."),
            f("schedulingGates", l(Obj::SchedulingGate), "While any is listed, the pod is not scheduled."),
            f("resourceClaims", l(Obj::PodClaim), "Dynamically allocated resources the pod needs, by name."),
        ]),
        (Obj::Container, "workload-resources/pod-v1/#Container", CONTAINER),
        (Obj::InitContainer, "workload-resources/pod-v1/#Container", CONTAINER),
        (Obj::Probe, "workload-resources/pod-v1/#Probe", &[
            f("exec", o(Obj::Exec), "Run a command in the container; exit code 0 passes."),
            f("httpGet", o(Obj::HttpGet), "Send an HTTP GET; a status from 200 to 399 passes."),
            f("tcpSocket", o(Obj::TcpSocket), "Open a TCP connection; connecting passes."),
            f("grpc", o(Obj::Grpc), "Ask the gRPC health service; SERVING passes."),
            f("initialDelaySeconds", I, "Seconds after the container starts before the first check.").d("0"),
            f("periodSeconds", I, "Seconds between checks.").d("10"),
            f("timeoutSeconds", I, "Seconds a check may take before it counts as failed.").d("1"),
            f("successThreshold", I, "Passes in a row to count as passing after a failure; 1 for liveness and startup probes.").d("1"),
            f("failureThreshold", I, "Failures in a row to count as failing.").d("3"),
            f("terminationGracePeriodSeconds", I, "The grace period when this probe's failure kills the container, instead of the pod's."),
        ]),
        (Obj::Exec, "workload-resources/pod-v1/#ExecAction", &[f("command", STRS, "The program and its arguments, run directly (not by a shell) in the container.")]),
        (Obj::HttpGet, "workload-resources/pod-v1/#HTTPGetAction", &[
            f("path", S, "The request path.").d("/"),
            f("port", IS, "The port: a number or the name of a container port."),
            f("host", S, "The host to connect to.").d("the pod's IP"),
            f("scheme", S, "HTTP or HTTPS.").d("HTTP").v(SCHEMES),
            f("httpHeaders", l(Obj::HttpHeader), "Extra request headers."),
        ]),
        (Obj::HttpHeader, "workload-resources/pod-v1/#HTTPGetAction", &[f("name", S, "The header name."), f("value", S, "The header value.")]),
        (Obj::TcpSocket, "workload-resources/pod-v1/#TCPSocketAction", &[
            f("port", IS, "The port: a number or the name of a container port."),
            f("host", S, "The host to connect to.").d("the pod's IP"),
        ]),
        (Obj::Grpc, "workload-resources/pod-v1/#Probe", &[
            f("port", I, "The gRPC server's port number (names are not accepted)."),
            f("service", S, "The service name sent in the health check; empty asks about the whole server."),
        ]),
        (Obj::Sleep, "workload-resources/pod-v1/#LifecycleHandler", &[f("seconds", I, "How long to sleep.")]),
        (Obj::Lifecycle, "workload-resources/pod-v1/#Lifecycle", &[
            f("postStart", o(Obj::Hook), "Runs right after the container is created; the container is not running until it ends, and its failure kills the container."),
            f("preStop", o(Obj::Hook), "Runs before the stop signal is sent, within the termination grace period."),
            f("stopSignal", S, "The signal that stops the container, instead of the image's STOPSIGNAL; needs spec.os.name.").v(SIGNALS),
        ]),
        (Obj::Hook, "workload-resources/pod-v1/#LifecycleHandler", &[
            f("exec", o(Obj::Exec), "Run a command in the container."),
            f("httpGet", o(Obj::HttpGet), "Send an HTTP GET."),
            f("tcpSocket", o(Obj::TcpSocket), "Accepted for old manifests only; the kubelet does not run it as a hook."),
            f("sleep", o(Obj::Sleep), "Wait a number of seconds, with no binary needed in the image."),
        ]),
        (Obj::Port, "workload-resources/pod-v1/#ContainerPort", &[
            f("containerPort", I, "The port number the process listens on."),
            f("name", S, "A name (up to 15 characters) that probes and Services can use instead of the number."),
            f("protocol", S, "The port's protocol.").d("TCP").v(PROTOCOLS),
            f("hostPort", I, "Also expose the port on the node at this number; two pods wanting the same one cannot share a node."),
            f("hostIP", S, "The node address hostPort binds to."),
        ]),
        (Obj::VolumeMount, "workload-resources/pod-v1/#VolumeMount", &[
            f("name", S, "Which of the pod's volumes to mount."),
            f("mountPath", S, "Where in the container the volume appears."),
            f("readOnly", B, "Mount the volume read-only.").d("false"),
            f("subPath", S, "Mount only this path within the volume."),
            f("subPathExpr", S, "Like subPath, with $(VAR) environment references expanded."),
            f("mountPropagation", S, "Whether later mounts travel between host and container.").d("None").v(PROPAGATION),
            f("recursiveReadOnly", S, "Whether a read-only mount makes its submounts read-only too.").d("Disabled").v(RECURSIVE_RO),
        ]),
        (Obj::VolumeDevice, "workload-resources/pod-v1/#Container", &[
            f("name", S, "Which of the pod's block volumes."),
            f("devicePath", S, "The device file's path in the container."),
        ]),
        (Obj::Resources, "workload-resources/pod-v1/#ResourceRequirements", &[
            f("requests", QMAP, "What the scheduler reserves; a request left out is taken from its limit."),
            f("limits", QMAP, "The most that may be used: CPU above it is throttled, memory above it kills the process."),
            f("claims", l(Obj::ResourceClaim), "Which of the pod's resourceClaims are used here."),
        ]),
        (Obj::ResourceClaim, "workload-resources/pod-v1/#ResourceRequirements", &[
            f("name", S, "A name from the pod's resourceClaims."),
            f("request", S, "One request within that claim, when only part of it is used."),
        ]),
        (Obj::ResizePolicy, "workload-resources/pod-v1/#Container", &[
            f("resourceName", S, "The resource the policy is for.").v(RESIZE_RESOURCES),
            f("restartPolicy", S, "Whether resizing it restarts the container.").d("NotRequired").v(RESIZE_RESTART),
        ]),
        (Obj::RestartRule, "workload-resources/pod-v1/#Container", &[
            f("action", S, "What to do when the rule matches.").v(RULE_ACTIONS),
            f("exitCodes", o(Obj::ExitCodes), "The exit codes the rule matches."),
        ]),
        (Obj::ExitCodes, "workload-resources/pod-v1/#Container", &[
            f("operator", S, "Whether the exit code must be among values or outside them.").v(IN_NOT_IN),
            f("values", Kind::Scalars(Ty::Int), "The exit codes."),
        ]),
        (Obj::EnvVar, "workload-resources/pod-v1/#EnvVar", &[
            f("name", S, "The variable's name."),
            f("value", S, "A literal value; $(VAR) references to variables defined before it are expanded."),
            f("valueFrom", o(Obj::EnvSource), "Take the value from a ConfigMap, a Secret, the pod's fields or a resource amount."),
        ]),
        (Obj::EnvSource, "workload-resources/pod-v1/#EnvVar", &[
            f("configMapKeyRef", o(Obj::KeyRef), "One key of a ConfigMap."),
            f("secretKeyRef", o(Obj::KeyRef), "One key of a Secret."),
            f("fieldRef", o(Obj::FieldRef), "A field of the pod, such as its name or IP."),
            f("resourceFieldRef", o(Obj::ResourceFieldRef), "A request or limit of a container."),
        ]),
        (Obj::KeyRef, "workload-resources/pod-v1/#EnvVar", &[
            f("name", S, "The ConfigMap or Secret."),
            f("key", S, "The key whose value is used."),
            f("optional", B, "If true, a missing object or key leaves the variable out instead of blocking the start.").d("false"),
        ]),
        (Obj::FieldRef, "workload-resources/pod-v1/#EnvVar", &[
            f("fieldPath", S, "The pod field to read.").v(FIELD_PATHS),
            f("apiVersion", S, "The version fieldPath is written in.").d("v1"),
        ]),
        (Obj::ResourceFieldRef, "workload-resources/pod-v1/#EnvVar", &[
            f("containerName", S, "The container whose resources are read.").d("this container"),
            f("resource", S, "Which request or limit.").v(RESOURCE_FIELDS),
            f("divisor", Q, "The unit the amount is given in.").d("1"),
        ]),
        (Obj::EnvFrom, "workload-resources/pod-v1/#EnvFromSource", &[
            f("configMapRef", o(Obj::SourceRef), "A ConfigMap whose keys become variables."),
            f("secretRef", o(Obj::SourceRef), "A Secret whose keys become variables."),
            f("prefix", S, "Put before every variable name taken from the source."),
        ]),
        (Obj::SourceRef, "workload-resources/pod-v1/#EnvFromSource", &[
            f("name", S, "The ConfigMap or Secret."),
            f("optional", B, "If true, a missing object is skipped instead of blocking the start.").d("false"),
        ]),
        (Obj::Volume, VOLUME_PAGE, &[
            f("name", S, "The name volumeMounts refer to."),
            f("emptyDir", o(Obj::EmptyDir), "A directory that starts empty and lives as long as the pod."),
            f("configMap", o(Obj::ConfigMapVolume), "A ConfigMap's keys as files."),
            f("secret", o(Obj::SecretVolume), "A Secret's keys as files."),
            f("persistentVolumeClaim", o(Obj::ClaimVolume), "The volume bound to a PersistentVolumeClaim."),
            f("downwardAPI", o(Obj::DownwardVolume), "The pod's own fields and resources as files."),
            f("projected", o(Obj::Projected), "Several sources merged into one directory."),
            f("image", o(Obj::ImageVolume), "The files of an OCI image, read-only."),
            f("hostPath", o(Obj::HostPath), "A file or directory of the node itself."),
            f("csi", OPAQUE, "A volume from a CSI driver, described inline."),
            f("ephemeral", OPAQUE, "A claim made for this pod from a template, deleted with the pod."),
            f("nfs", OPAQUE, "An NFS export."),
        ]),
        (Obj::EmptyDir, VOLUME_PAGE, &[
            f("medium", S, "Empty for the node's disk, or Memory for RAM.").v(MEDIUM),
            f("sizeLimit", Q, "The most the directory may hold before the pod is evicted."),
        ]),
        (Obj::ConfigMapVolume, VOLUME_PAGE, &[
            f("name", S, "The ConfigMap."),
            f("items", l(Obj::KeyToPath), "Only these keys, at these paths; every key when left out."),
            MODE,
            f("optional", B, "If true, a missing ConfigMap gives an empty volume instead of blocking the start.").d("false"),
        ]),
        (Obj::SecretVolume, VOLUME_PAGE, &[
            f("secretName", S, "The Secret."),
            f("items", l(Obj::KeyToPath), "Only these keys, at these paths; every key when left out."),
            MODE,
            f("optional", B, "If true, a missing Secret gives an empty volume instead of blocking the start.").d("false"),
        ]),
        (Obj::KeyToPath, VOLUME_PAGE, &[
            f("key", S, "The key to write."),
            f("path", S, "The file's path within the volume."),
            f("mode", I, "Permission bits of this file, over defaultMode."),
        ]),
        (Obj::ClaimVolume, VOLUME_PAGE, &[
            f("claimName", S, "The PersistentVolumeClaim in the pod's namespace."),
            f("readOnly", B, "Mount it read-only.").d("false"),
        ]),
        (Obj::DownwardVolume, VOLUME_PAGE, &[f("items", l(Obj::DownwardFile), "The files and what each holds."), MODE]),
        (Obj::DownwardFile, VOLUME_PAGE, &[
            f("path", S, "The file's path within the volume."),
            f("fieldRef", o(Obj::FieldRef), "A pod field, such as metadata.labels."),
            f("resourceFieldRef", o(Obj::ResourceFieldRef), "A container's request or limit."),
            f("mode", I, "Permission bits of this file."),
        ]),
        (Obj::Projected, VOLUME_PAGE, &[f("sources", l(Obj::Projection), "The sources merged into the directory."), MODE]),
        (Obj::Projection, VOLUME_PAGE, &[
            f("configMap", o(Obj::ProjectedRef), "A ConfigMap's keys."),
            f("secret", o(Obj::ProjectedRef), "A Secret's keys."),
            f("downwardAPI", o(Obj::ProjectedDownward), "Pod fields and resources."),
            f("serviceAccountToken", o(Obj::Token), "A token of the pod's ServiceAccount, refreshed before it expires."),
        ]),
        (Obj::ProjectedRef, VOLUME_PAGE, &[
            f("name", S, "The ConfigMap or Secret."),
            f("items", l(Obj::KeyToPath), "Only these keys, at these paths."),
            f("optional", B, "If true, a missing object is skipped.").d("false"),
        ]),
        (Obj::ProjectedDownward, VOLUME_PAGE, &[f("items", l(Obj::DownwardFile), "The files and what each holds.")]),
        (Obj::Token, VOLUME_PAGE, &[
            f("audience", S, "Who the token is meant for; the API server when left out."),
            f("expirationSeconds", I, "How long the token is valid.").d("3600"),
            f("path", S, "The file's path within the volume."),
        ]),
        (Obj::ImageVolume, VOLUME_PAGE, &[
            f("reference", S, "The image, as in a container's image field."),
            f("pullPolicy", S, "When the image is pulled.").d(PULL_DEFAULT).v(PULL),
        ]),
        (Obj::HostPath, VOLUME_PAGE, &[
            f("path", S, "The path on the node."),
            f("type", S, "What must be at the path; nothing is checked when left out.").v(HOST_PATH_TYPE),
        ]),
        (Obj::SecurityContext, "workload-resources/pod-v1/#SecurityContext", &[
            f("runAsUser", I, "The user ID the process runs as; the image's user when left out."),
            f("runAsGroup", I, "The primary group ID of the process."),
            f("runAsNonRoot", B, "Refuse to start the container if it would run as user 0."),
            f("privileged", B, "Run with nearly all the host's privileges.").d("false"),
            f("allowPrivilegeEscalation", B, "Whether the process may gain more privileges than its parent (no_new_privs)."),
            f("readOnlyRootFilesystem", B, "Make the container's own file system read-only.").d("false"),
            f("capabilities", o(Obj::Capabilities), "Linux capabilities added to or dropped from the runtime's default set."),
            f("seccompProfile", o(Obj::Seccomp), "The seccomp system-call filter."),
            f("procMount", S, "How /proc is mounted.").d("Default").v(PROC_MOUNT),
            f("seLinuxOptions", OPAQUE, "The SELinux label of the container."),
            f("appArmorProfile", OPAQUE, "The AppArmor profile of the container."),
            f("windowsOptions", OPAQUE, "Windows-specific settings."),
        ]),
        (Obj::Capabilities, "workload-resources/pod-v1/#SecurityContext", &[
            f("add", STRS, "Capabilities to add, such as NET_ADMIN."),
            f("drop", STRS, "Capabilities to drop; ALL drops every one."),
        ]),
        (Obj::Seccomp, "workload-resources/pod-v1/#SecurityContext", &[
            f("type", S, "Which kind of profile.").v(SECCOMP_TYPES),
            f("localhostProfile", S, "For Localhost: the profile's path under the kubelet's seccomp directory."),
        ]),
        (Obj::PodSecurityContext, "workload-resources/pod-v1/#PodSecurityContext", &[
            f("runAsUser", I, "The user ID every container runs as, unless it says otherwise."),
            f("runAsGroup", I, "The primary group ID of every container."),
            f("runAsNonRoot", B, "Refuse to start containers that would run as user 0."),
            f("fsGroup", I, "A group that owns the volumes' files and is added to every container's groups."),
            f("fsGroupChangePolicy", S, "When ownership of volume files is changed to fsGroup.").d("Always").v(FS_GROUP_CHANGE),
            f("supplementalGroups", Kind::Scalars(Ty::Int), "More group IDs for every container's process."),
            f("supplementalGroupsPolicy", S, "Whether the image's groups are added to supplementalGroups.").d("Merge").v(SUPPLEMENTAL),
            f("seccompProfile", o(Obj::Seccomp), "The seccomp filter of every container."),
            f("sysctls", l(Obj::NameValue), "Namespaced kernel parameters set for the pod."),
            f("seLinuxOptions", OPAQUE, "The SELinux label of every container."),
            f("seLinuxChangePolicy", S, "How volumes get the pod's SELinux label.").v(SELINUX_CHANGE),
            f("appArmorProfile", OPAQUE, "The AppArmor profile of every container."),
            f("windowsOptions", OPAQUE, "Windows-specific settings."),
        ]),
        (Obj::Os, POD_V1_SPEC, &[f("name", S, "The operating system.").v(OS)]),
        (Obj::ReadinessGate, POD_V1_SPEC, &[f("conditionType", S, "The pod condition that must be True.")]),
        (Obj::LocalRef, "common-definitions/local-object-reference/#LocalObjectReference", &[f("name", S, "The Secret's name, in the pod's namespace.")]),
        (Obj::Toleration, "workload-resources/pod-v1/#Toleration", &[
            f("key", S, "The taint key; empty, with Exists, matches every taint."),
            f("operator", S, "How the taint's value is matched.").d("Equal").v(TOLERATION_OPS),
            f("value", S, "The taint value, for Equal."),
            f("effect", S, "Which taint effect is tolerated; every effect when left out.").v(EFFECTS),
            f("tolerationSeconds", I, "For NoExecute: how long the pod may stay once the taint appears; forever when left out."),
        ]),
        (Obj::Spread, "workload-resources/pod-v1/#TopologySpreadConstraint", &[
            f("maxSkew", I, "The largest allowed difference in matching pods between two domains."),
            f("topologyKey", S, "The node label whose values are the domains, such as topology.kubernetes.io/zone."),
            f("whenUnsatisfiable", S, "What to do when the pod cannot be placed within maxSkew.").v(UNSATISFIABLE),
            f("labelSelector", o(Obj::Selector), "Which pods are counted."),
            f("minDomains", I, "The fewest domains to assume exist, for DoNotSchedule."),
            f("matchLabelKeys", STRS, "Labels whose values, taken from this pod, narrow labelSelector."),
            f("nodeAffinityPolicy", S, "Whether the pod's node affinity limits the nodes counted.").d("Honor").v(HONOR_IGNORE),
            f("nodeTaintsPolicy", S, "Whether node taints limit the nodes counted.").d("Ignore").v(HONOR_IGNORE),
        ]),
        (Obj::HostAlias, POD_V1_SPEC, &[
            f("ip", S, "The address."),
            f("hostnames", STRS, "Names for the address."),
        ]),
        (Obj::DnsConfig, POD_V1_SPEC, &[
            f("nameservers", STRS, "Extra DNS server addresses."),
            f("searches", STRS, "Extra search domains."),
            f("options", l(Obj::NameValue), "Resolver options such as ndots."),
        ]),
        (Obj::NameValue, POD_V1_SPEC, &[f("name", S, "The name."), f("value", S, "The value.")]),
        (Obj::SchedulingGate, POD_V1_SPEC, &[f("name", S, "The gate's name; whoever added it removes it.")]),
        (Obj::PodClaim, POD_V1_SPEC, &[
            f("name", S, "The name containers use in resources.claims."),
            f("resourceClaimName", S, "An existing ResourceClaim."),
            f("resourceClaimTemplateName", S, "A ResourceClaimTemplate to make a claim for this pod from."),
        ]),
    ];
}

impl Obj {
    fn entry(self) -> Option<&'static (Obj, &'static str, &'static [Field])> {
        tables::OBJECTS.iter().find(|(obj, _, _)| *obj == self)
    }

    fn fields(self) -> &'static [Field] {
        self.entry().map_or(&[], |(_, _, fields)| fields)
    }

    fn field(self, name: &str) -> Option<&'static Field> {
        self.fields().iter().find(|f| f.name == name)
    }

    /// The object's entry in the API reference: one anchor per object type.
    fn url(self) -> String {
        let page = self
            .entry()
            .map_or(tables::POD_V1_SPEC, |(_, page, _)| page);
        if page.starts_with("https:") {
            page.to_string()
        } else {
            format!("https://kubernetes.io/docs/reference/kubernetes-api/{page}")
        }
    }

    /// What a list of these is called in a completion's detail (`list of containers`).
    fn plural(self) -> &'static str {
        match self {
            Obj::Container | Obj::InitContainer => "containers",
            Obj::Port => "ports",
            Obj::VolumeMount => "volume mounts",
            Obj::Volume => "volumes",
            Obj::EnvVar => "environment variables",
            Obj::EnvFrom => "environment sources",
            Obj::Toleration => "tolerations",
            _ => "objects",
        }
    }
}

fn detail(field: &Field) -> String {
    let ty = |t: Ty| match t {
        Ty::Str => "string",
        Ty::Int => "integer",
        Ty::Bool => "boolean",
        Ty::Quantity => "quantity",
        Ty::IntOrStr => "integer or string",
    };
    let base = match field.kind {
        Kind::Scalar(t) => ty(t).to_string(),
        Kind::Object(_) => "object".to_string(),
        Kind::Objects(obj) => format!("list of {}", obj.plural()),
        Kind::Scalars(t) => format!("list of {}s", ty(t)),
        Kind::Map(MapOf::Quantities | MapOf::Storage) => "map of quantities".to_string(),
        Kind::Map(_) => "map of strings".to_string(),
    };
    match field.default {
        Some(d) => format!("{base}, default {d}"),
        None => base,
    }
}

/// A field's key and what follows it, so that the caret lands where the value goes: after the space of
/// a scalar, on the next line indented for an object, after `- ` for a list (kubectl's style: items at
/// the key's own indentation).
fn insert(field: &Field, col: usize) -> String {
    match field.kind {
        Kind::Scalar(_) => format!("{}: ", field.name),
        Kind::Object(_) | Kind::Map(_) => format!("{}:\n{}", field.name, " ".repeat(col + 2)),
        Kind::Objects(_) | Kind::Scalars(_) => format!("{}:\n{}- ", field.name, " ".repeat(col)),
    }
}

/// Whether `typed` could be the start of a fuzzy match for `label`: its characters appear in order,
/// ignoring case (what editors' own filters accept, so nothing they would show is withheld).
fn matches(typed: &str, label: &str) -> bool {
    let mut rest = label.chars().map(|c| c.to_ascii_lowercase());
    typed
        .chars()
        .all(|t| rest.any(|c| c == t.to_ascii_lowercase()))
}

/// The candidates `typed` matches, those it begins first (each group in table order).
fn ranked<'t, T>(
    candidates: impl Iterator<Item = T>,
    typed: &str,
    label: impl Fn(&T) -> &'t str,
) -> Vec<T> {
    let lower = typed.to_ascii_lowercase();
    let (mut first, rest): (Vec<T>, Vec<T>) = candidates
        .filter(|c| matches(typed, label(c)))
        .partition(|c| label(c).to_ascii_lowercase().starts_with(&lower));
    first.extend(rest);
    first
}

fn keys(
    r: &Resolved,
    col: usize,
    word: &str,
    siblings: &HashSet<&str>,
    containers: &[(&str, bool)],
) -> Vec<Completion> {
    match r.place {
        Place::Obj(obj) => {
            let fields = obj.fields().iter().filter(|f| !siblings.contains(f.name));
            ranked(fields, word, |f| f.name)
                .into_iter()
                .map(|f| Completion {
                    label: f.name.into(),
                    detail: detail(f),
                    info: f.doc.into(),
                    insert: insert(f, col),
                    kind: CompletionKind::Field,
                })
                .collect()
        }
        // Behaviour annotations are read from the pod's own metadata only, and are offered once the
        // word being typed is on its way to the prefix (other annotations are not Podstep's business).
        Place::Map(MapOf::Annotations, Obj::PodMeta)
            if !word.is_empty()
                && (word.starts_with(ANNOTATION_PREFIX) || ANNOTATION_PREFIX.starts_with(word)) =>
        {
            let mut seen = HashSet::new();
            let mut out = Vec::new();
            for &(name, init) in containers {
                let label = format!("{ANNOTATION_PREFIX}{name}");
                if name.is_empty()
                    || siblings.contains(label.as_str())
                    || !label.starts_with(word)
                    || !seen.insert(name)
                {
                    continue;
                }
                let which = if init { "init container" } else { "container" };
                out.push(Completion {
                    insert: format!("{label}: "),
                    label,
                    detail: which.into(),
                    info: format!("the {which} `{name}`"),
                    kind: CompletionKind::Container,
                });
            }
            out
        }
        Place::Map(m @ (MapOf::Quantities | MapOf::Storage), _) => {
            let names = match m {
                MapOf::Storage => tables::STORAGE,
                _ => tables::RESOURCE_NAMES,
            };
            let fresh = names.iter().filter(|(n, _)| !siblings.contains(n));
            ranked(fresh, word, |(n, _)| n)
                .into_iter()
                .map(|(n, doc)| Completion {
                    label: (*n).into(),
                    detail: "quantity".into(),
                    info: (*doc).into(),
                    insert: format!("{n}: "),
                    kind: CompletionKind::Field,
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The values of an enum field: all of them, in the table's order (the sets are short, and the
/// editor filters them by the typed word as it does any list).
fn values(r: &Resolved, key: &str) -> Vec<Completion> {
    let Place::Obj(obj) = r.place else {
        return Vec::new();
    };
    let Some(field) = obj.field(key) else {
        return Vec::new();
    };
    // A few value sets depend on where the field is, as the API server's validation does.
    let set: Values = match (obj, key) {
        (Obj::Root(w), "apiVersion") if r.kind_known => {
            let at = tables::API_VERSIONS
                .iter()
                .position(|(v, _)| *v == w.api_version());
            at.map_or(tables::API_VERSIONS, |i| &tables::API_VERSIONS[i..=i])
        }
        (Obj::PodSpec, "restartPolicy") => match r.owner {
            Workload::Pod | Workload::List => tables::RESTART,
            // A Job's pods must end; every other controller keeps its pods running.
            Workload::Job | Workload::CronJob => &tables::RESTART[1..],
            _ => &tables::RESTART[..1],
        },
        (Obj::InitContainer, "restartPolicy") => tables::SIDECAR,
        _ if field.kind == Kind::Scalar(Ty::Bool) => tables::BOOL,
        _ => field.values,
    };
    set.iter()
        .map(|&(v, meaning)| Completion {
            label: v.into(),
            detail: if field.default == Some(v) {
                "default"
            } else {
                ""
            }
            .into(),
            info: meaning.into(),
            insert: v.into(),
            kind: CompletionKind::Value,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------------
// Lines.

/// How a line of the document reads, given the lines before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Content,
    /// Blank; inside a block scalar whose header key or dash is at this column, if one is open.
    Blank(Option<usize>),
    Comment,
    /// Text of a block scalar, or a continuation of a flow collection or quoted string.
    Inside,
}

struct Line<'a> {
    start: usize,
    text: &'a str,
    state: State,
}

/// The cursor's document (the lines between the `---` around it) and the cursor's line in it.
struct Doc<'a> {
    lines: Vec<Line<'a>>,
    cursor: usize,
}

fn is_separator(text: &str) -> bool {
    let t = text.trim_end();
    t == "..." || (t.starts_with("---") && (t.len() == 3 || t[3..].starts_with([' ', '\t'])))
}

fn document(source: &str, offset: usize) -> Option<Doc<'_>> {
    let mut raw = Vec::new();
    let mut start = 0;
    for piece in source.split('\n') {
        raw.push((start, piece.strip_suffix('\r').unwrap_or(piece)));
        start += piece.len() + 1;
    }
    let cursor = raw.iter().rposition(|(s, _)| *s <= offset)?;
    if is_separator(raw[cursor].1) {
        return None;
    }
    let first = raw[..cursor]
        .iter()
        .rposition(|(_, t)| is_separator(t))
        .map_or(0, |i| i + 1);
    let end = raw[cursor..]
        .iter()
        .position(|(_, t)| is_separator(t))
        .map_or(raw.len(), |i| cursor + i);
    Some(Doc {
        lines: read_lines(&raw[first..end]),
        cursor: cursor - first,
    })
}

/// What a line opens that the next lines continue.
#[derive(Clone, Copy)]
enum Open {
    Block(usize),
    Flow(i32),
    Quote(u8),
}

fn read_lines<'a>(raw: &[(usize, &'a str)]) -> Vec<Line<'a>> {
    let mut open: Option<Open> = None;
    let mut out = Vec::with_capacity(raw.len());
    for &(start, text) in raw {
        let indent = text.len() - text.trim_start_matches(' ').len();
        let blank = text.trim().is_empty();
        let state = match open {
            Some(Open::Block(h)) if blank => State::Blank(Some(h)),
            Some(Open::Block(h)) if indent > h => State::Inside,
            Some(Open::Flow(depth)) => {
                let depth = depth + depth_change(text);
                open = (depth > 0).then_some(Open::Flow(depth));
                State::Inside
            }
            Some(Open::Quote(q)) => {
                if closes(text, q) {
                    open = None;
                }
                State::Inside
            }
            _ if blank => {
                open = None;
                State::Blank(None)
            }
            _ if text.trim_start().starts_with('#') => {
                open = None;
                State::Comment
            }
            _ => {
                open = opens(text);
                State::Content
            }
        };
        out.push(Line { start, text, state });
    }
    out
}

/// Whether a content line's value starts something the following lines continue.
fn opens(text: &str) -> Option<Open> {
    let p = parts(text);
    let raw = text[p.rest..].trim();
    let first = *raw.as_bytes().first()?;
    match first {
        b'|' | b'>' => {
            let indicators = raw[1..].split(char::is_whitespace).next().unwrap_or("");
            let after = raw[1 + indicators.len()..].trim_start();
            let header = p
                .key
                .as_ref()
                .map(|k| k.col)
                .or(p.dashes.last().copied())
                .unwrap_or(p.rest);
            (indicators
                .bytes()
                .all(|b| b == b'+' || b == b'-' || b.is_ascii_digit())
                && (after.is_empty() || after.starts_with('#')))
            .then_some(Open::Block(header))
        }
        b'[' | b'{' => {
            let depth = depth_change(raw);
            (depth > 0).then_some(Open::Flow(depth))
        }
        b'"' | b'\'' => (!closes(&raw[1..], first)).then_some(Open::Quote(first)),
        _ => None,
    }
}

/// How much deeper in brackets the text leaves a flow collection, ignoring quoted text and comments.
fn depth_change(text: &str) -> i32 {
    let b = text.as_bytes();
    let (mut depth, mut i, mut quote) = (0, 0, None::<u8>);
    while i < b.len() {
        match (quote, b[i]) {
            (Some(b'"'), b'\\') => i += 1,
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, c @ (b'"' | b'\'')) => quote = Some(c),
            (None, b'[' | b'{') => depth += 1,
            (None, b']' | b'}') => depth -= 1,
            (None, b'#') if i == 0 || b[i - 1] == b' ' => break,
            _ => {}
        }
        i += 1;
    }
    depth
}

/// Whether `text` holds the quote that ends a string opened earlier.
fn closes(text: &str, quote: u8) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if quote == b'"' && b[i] == b'\\' {
            i += 2;
            continue;
        }
        if b[i] == quote {
            // In single quotes, '' is an escaped quote.
            if quote == b'\'' && b.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return true;
        }
        i += 1;
    }
    false
}

struct KeySpan<'a> {
    col: usize,
    /// Column just past the key (its closing quote included).
    end: usize,
    name: &'a str,
}

/// A content line's structure: the columns of its `- ` markers, its key, and where its value starts.
struct Parts<'a> {
    dashes: Vec<usize>,
    key: Option<KeySpan<'a>>,
    rest: usize,
}

fn parts(text: &str) -> Parts<'_> {
    let b = text.as_bytes();
    let mut i = text.len() - text.trim_start_matches(' ').len();
    let mut dashes = Vec::new();
    while i < b.len() && b[i] == b'-' && matches!(b.get(i + 1), None | Some(b' ' | b'\t')) {
        dashes.push(i);
        i += 1;
        while i < b.len() && matches!(b[i], b' ' | b'\t') {
            i += 1;
        }
    }
    match split_key(&text[i..]) {
        Some((end, name, after)) => Parts {
            dashes,
            key: Some(KeySpan {
                col: i,
                end: i + end,
                name,
            }),
            rest: i + after,
        },
        None => Parts {
            dashes,
            key: None,
            rest: i,
        },
    }
}

/// Splits `key: value` (a plain or quoted key); returns the key's length as written, its name, and
/// where the value starts.
fn split_key(rest: &str) -> Option<(usize, &str, usize)> {
    let b = rest.as_bytes();
    let first = *b.first()?;
    let colon_at =
        |k: usize| b.get(k) == Some(&b':') && matches!(b.get(k + 1), None | Some(b' ' | b'\t'));
    if first == b'"' || first == b'\'' {
        let close = 1 + rest[1..].find(first as char)?;
        let k = close + 1 + (rest[close + 1..].len() - rest[close + 1..].trim_start().len());
        return colon_at(k).then(|| (close + 1, &rest[1..close], k + 1));
    }
    if b"[{|>#&*!%@`,]}".contains(&first) {
        return None;
    }
    for i in 0..b.len() {
        if colon_at(i) {
            let name = rest[..i].trim_end();
            return Some((name.len(), name, i + 1));
        }
        if b[i] == b'#' && i > 0 && matches!(b[i - 1], b' ' | b'\t') {
            return None;
        }
    }
    None
}

/// A value as a plain string: comment cut, quotes removed.
fn scalar(value: &str) -> &str {
    let v = value.trim();
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|s| s.split(q).next()) {
            return inner;
        }
    }
    match v.find(" #") {
        Some(i) => v[..i].trim_end(),
        None => v,
    }
}

// ---------------------------------------------------------------------------------------------------
// The cursor and the keys above it.

enum What<'a> {
    /// Typing a key at the column.
    Key,
    /// Typing the value of this key.
    Value(&'a str),
}

struct At<'a> {
    what: What<'a>,
    /// Column of the key being typed, or of the key whose value is typed.
    col: usize,
    /// The word typed so far, and the column where it starts.
    word: &'a str,
    from: usize,
}

fn cursor_at<'a>(line: &Line<'a>, col: usize) -> Option<At<'a>> {
    match line.state {
        State::Comment | State::Inside => return None,
        State::Blank(Some(header)) if col > header => return None,
        _ => {}
    }
    let pre = &line.text[..col];
    // A `#` at the start or after a space starts a comment (quoted text is refused below anyway).
    let b = pre.as_bytes();
    if (0..b.len()).any(|i| b[i] == b'#' && (i == 0 || matches!(b[i - 1], b' ' | b'\t'))) {
        return None;
    }
    let p = parts(pre);
    let refused = |w: &str| {
        w.contains(char::is_whitespace)
            || w.starts_with(['"', '\'', '[', '{', '|', '>', '&', '*', '!', '%', '@', '`'])
    };
    if let Some(key) = p.key {
        let word = pre[p.rest..].trim_start();
        if refused(word) || pre.len() == p.rest {
            // Nothing completes a value that is quoted, a flow collection, a block scalar header or
            // more than one word, nor right after the colon before its space.
            return None;
        }
        return Some(At {
            what: What::Value(key.name),
            col: key.col,
            from: col - word.len(),
            word,
        });
    }
    let word = &pre[p.rest..];
    if refused(word) || word.contains(':') || (word.is_empty() && pre.ends_with('-')) {
        return None;
    }
    Some(At {
        what: What::Key,
        col: p.rest,
        word,
        from: p.rest,
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Node<'a> {
    Root,
    Key(&'a str),
    Item,
}

struct Entry<'a> {
    name: &'a str,
    value: &'a str,
    line: usize,
}

/// An open mapping key, list item or the document itself, with the keys seen directly under it.
struct Frame<'a> {
    col: isize,
    node: Node<'a>,
    keys: Vec<Entry<'a>>,
}

impl Frame<'_> {
    /// Whether a node at `col` (a `- ` marker when `dash`) belongs under this frame. A list may sit at
    /// its key's own indentation, so a key is the parent of a dash in its column.
    fn holds(&self, col: usize, dash: bool) -> bool {
        let col = col as isize;
        match self.node {
            Node::Root => true,
            Node::Key(_) if dash => self.col <= col,
            Node::Key(_) | Node::Item => self.col < col,
        }
    }
}

/// One pass over the document's lines with a stack of open frames, remembering the frames that hold
/// the cursor (the chain) with every key they get, before and after the cursor.
struct Walk<'a> {
    stack: Vec<Frame<'a>>,
    /// How many frames at the bottom of the stack are still the cursor's, once the cursor is passed.
    chain: Option<usize>,
    closed: Vec<Option<Frame<'a>>>,
    containers: Vec<(&'a str, bool)>,
}

impl<'a> Walk<'a> {
    fn settle(&mut self, col: usize, dash: bool) {
        while self.stack.last().is_some_and(|top| !top.holds(col, dash)) {
            let Some(frame) = self.stack.pop() else { break };
            let at = self.stack.len();
            if let Some(open) = self.chain.filter(|open| at < *open) {
                if let Some(slot) = self.closed.get_mut(at) {
                    *slot = Some(frame);
                }
                self.chain = Some(at.min(open));
            }
        }
    }

    fn push(&mut self, line: usize, col: usize, node: Node<'a>, value: &'a str) {
        self.settle(col, node == Node::Item);
        if let Node::Key(name) = node {
            let n = self.stack.len();
            if name == "name" && n >= 2 && self.stack[n - 1].node == Node::Item {
                if let Node::Key(list @ ("containers" | "initContainers")) = self.stack[n - 2].node
                {
                    self.containers
                        .push((scalar(value), list == "initContainers"));
                }
            }
            if let Some(parent) = self.stack.last_mut() {
                parent.keys.push(Entry { name, value, line });
            }
        }
        self.stack.push(Frame {
            col: col as isize,
            node,
            keys: Vec::new(),
        });
    }

    fn mark(&mut self, col: usize) {
        self.settle(col, false);
        self.chain = Some(self.stack.len());
        self.closed = (0..self.stack.len()).map(|_| None).collect();
    }
}

/// The frames holding a key at column `col` of the cursor's line, outermost first, each with all its
/// keys; and every container name in the document with whether it is an init container.
fn walk<'a>(doc: &Doc<'a>, col: usize) -> (Vec<Frame<'a>>, Vec<(&'a str, bool)>) {
    let mut w = Walk {
        stack: vec![Frame {
            col: -1,
            node: Node::Root,
            keys: Vec::new(),
        }],
        chain: None,
        closed: Vec::new(),
        containers: Vec::new(),
    };
    for (i, line) in doc.lines.iter().enumerate() {
        let mut marked = i != doc.cursor;
        if line.state == State::Content {
            let p = parts(line.text);
            for &d in &p.dashes {
                if !marked && d >= col {
                    w.mark(col);
                    marked = true;
                }
                w.push(i, d, Node::Item, "");
            }
            if let Some(k) = &p.key {
                if !marked && k.col >= col {
                    w.mark(col);
                    marked = true;
                }
                w.push(i, k.col, Node::Key(k.name), line.text[p.rest..].trim());
            }
        }
        if !marked {
            w.mark(col);
        }
    }
    let open = w.chain.unwrap_or(0);
    let mut closed = w.closed;
    for (at, frame) in w.stack.into_iter().enumerate().take(open) {
        if let Some(slot) = closed.get_mut(at) {
            *slot = Some(frame);
        }
    }
    (closed.into_iter().flatten().collect(), w.containers)
}

/// Where a chain of frames leads in the schema.
#[derive(Clone, Copy)]
enum Place {
    Obj(Obj),
    List(Obj),
    Map(MapOf, Obj),
    Leaf,
}

struct Resolved {
    place: Place,
    /// Path of the object at the cursor, `[]` for list items.
    path: String,
    /// The object whose document (or List item) the cursor is in.
    owner: Workload,
    /// Whether that object says its kind (else it is read as a Pod).
    kind_known: bool,
}

fn kind_of(keys: &[Entry<'_>], default: Option<Workload>) -> (Workload, bool) {
    let written = keys
        .iter()
        .find(|e| e.name == "kind")
        .and_then(|e| Workload::parse(scalar(e.value)));
    match written.or(default) {
        Some(w) => (w, true),
        None => (Workload::Pod, false),
    }
}

fn resolve(chain: &[Frame<'_>]) -> Option<Resolved> {
    let root = chain.first()?;
    let (owner, kind_known) = kind_of(&root.keys, None);
    // A typed list's items may leave out their kind (`DeploymentList` holds Deployments).
    let listed = root
        .keys
        .iter()
        .find(|e| e.name == "kind")
        .and_then(|e| scalar(e.value).strip_suffix("List"))
        .and_then(Workload::parse);
    let mut r = Resolved {
        place: Place::Obj(Obj::Root(owner)),
        path: String::new(),
        owner,
        kind_known,
    };
    for frame in &chain[1..] {
        r.place = match (r.place, frame.node) {
            (Place::Obj(obj), Node::Key(name)) => {
                let field = obj.field(name)?;
                if !r.path.is_empty() {
                    r.path.push('.');
                }
                r.path.push_str(name);
                match field.kind {
                    Kind::Object(o) => Place::Obj(o),
                    Kind::Objects(o) => Place::List(o),
                    Kind::Map(m) => Place::Map(m, obj),
                    Kind::Scalar(_) | Kind::Scalars(_) => Place::Leaf,
                }
            }
            (Place::List(obj), Node::Item) => {
                r.path.push_str("[]");
                if obj == Obj::Listed {
                    (r.owner, r.kind_known) = kind_of(&frame.keys, listed);
                    Place::Obj(Obj::Root(r.owner))
                } else {
                    Place::Obj(obj)
                }
            }
            _ => return None,
        };
    }
    Some(r)
}

#[cfg(test)]
#[rustfmt::skip]
mod tests {
    use super::*;

    /// `(source without the marker, offset)`: the last `|` marks the cursor (earlier ones are YAML).
    fn at(marked: &str) -> (String, usize) {
        let i = marked.rfind('|').expect("a cursor marker");
        (format!("{}{}", &marked[..i], &marked[i + 1..]), i)
    }

    fn labels(marked: &str) -> Vec<String> {
        let (src, offset) = at(marked);
        complete(&src, offset).map(|(_, items)| items.into_iter().map(|c| c.label).collect()).unwrap_or_default()
    }

    fn item(marked: &str, label: &str) -> Completion {
        let (src, offset) = at(marked);
        let (_, items) = complete(&src, offset).expect("completions");
        items.into_iter().find(|c| c.label == label).unwrap_or_else(|| panic!("no {label} in {marked:?}"))
    }

    fn from(marked: &str) -> usize {
        let (src, offset) = at(marked);
        complete(&src, offset).expect("completions").0
    }

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n";

    #[test]
    fn completes_the_fields_of_the_object_at_the_cursor() {
        let probe = format!("{POD}  containers:\n  - name: a\n    readinessProbe:\n      |");
        let cases: &[(String, &[&str], &[&str])] = &[
            ("|".into(), &["apiVersion", "kind", "metadata", "spec"], &[]),
            ("apiVersion: v1\nkind: Pod\n|".into(), &["metadata", "spec"], &["kind"]),
            ("kind: Pod\nmetadata:\n  |".into(), &["name", "labels", "annotations"], &["containers"]),
            (format!("{POD}  |"), &["containers", "initContainers", "restartPolicy"], &["replicas"]),
            ("kind: Deployment\nspec:\n  |".into(), &["replicas", "selector", "template", "strategy"], &["containers"]),
            ("kind: Deployment\nspec:\n  template:\n    spec:\n      |".into(), &["containers", "volumes"], &["replicas"]),
            ("kind: CronJob\nspec:\n  |".into(), &["schedule", "jobTemplate", "concurrencyPolicy"], &[]),
            ("kind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          |".into(), &["containers", "restartPolicy"], &[]),
            ("kind: StatefulSet\nspec:\n  |".into(), &["serviceName", "volumeClaimTemplates"], &[]),
            (format!("{POD}  containers:\n  - name: a\n    |"), &["image", "livenessProbe", "ports"], &["name"]),
            (format!("{POD}  containers:\n  - |"), &["name", "image"], &[]),
            // Items indented under their key, as some writers do.
            (format!("{POD}  containers:\n    - name: a\n      |"), &["image"], &["name"]),
            (probe.clone(), &["periodSeconds", "httpGet", "exec", "failureThreshold"], &["image"]),
            (format!("{POD}  containers:\n  - name: a\n    lifecycle:\n      preStop:\n        |"), &["exec", "httpGet", "tcpSocket", "sleep"], &["grpc"]),
            (format!("{POD}  containers:\n  - name: a\n    resources:\n      limits:\n        |"), &["cpu", "memory"], &[]),
            (format!("{POD}  volumes:\n  - name: v\n    configMap:\n      |"), &["name", "items", "optional"], &["secretName"]),
            ("apiVersion: v1\nkind: List\nitems:\n- kind: Deployment\n  spec:\n    |".into(), &["replicas"], &["containers"]),
            // Siblings after the cursor are left out as well as those before it.
            (format!("{POD}  |\n  containers: []\n  restartPolicy: Never"), &["volumes"], &["containers", "restartPolicy"]),
            // Each document has its own kind.
            ("kind: Deployment\nspec:\n  replicas: 1\n---\nkind: Pod\nspec:\n  |".into(), &["containers"], &["replicas"]),
            ("kind: Deployment\nspec:\n  |\n---\nkind: Pod\nspec:\n  containers: []".into(), &["replicas"], &["containers"]),
            // An unknown kind reads as a Pod.
            ("kind: Widget\nspec:\n  |".into(), &["containers"], &[]),
        ];
        for (marked, wanted, unwanted) in cases {
            let got = labels(marked);
            for w in *wanted {
                assert!(got.iter().any(|g| g == w), "{marked:?}: no {w} in {got:?}");
            }
            for u in *unwanted {
                assert!(!got.iter().any(|g| g == u), "{marked:?}: {u} in {got:?}");
            }
        }
        let every_probe_field: Vec<&str> = Obj::Probe.fields().iter().map(|f| f.name).collect();
        assert_eq!(labels(&probe), every_probe_field);
        assert_eq!(labels("|"), ["apiVersion", "kind", "metadata", "spec"]);
        assert_eq!(from("kind: Pod\n|"), 10);
    }

    #[test]
    fn inserts_leave_the_caret_where_the_value_goes() {
        let spec = format!("{POD}  |");
        let first_key = format!("{POD}  containers:\n  - |");
        for (marked, label, insert, detail) in [
            (&spec, "containers", "containers:\n  - ", "list of containers"),
            (&spec, "restartPolicy", "restartPolicy: ", "string, default Always"),
            (&spec, "terminationGracePeriodSeconds", "terminationGracePeriodSeconds: ", "integer, default 30"),
            (&spec, "securityContext", "securityContext:\n    ", "object"),
            (&spec, "nodeSelector", "nodeSelector:\n    ", "map of strings"),
            (&first_key, "livenessProbe", "livenessProbe:\n      ", "object"),
            (&first_key, "command", "command:\n    - ", "list of strings"),
            (&first_key, "imagePullPolicy", "imagePullPolicy: ", "string, default Always for a :latest or untagged image, else IfNotPresent"),
        ] {
            let c = item(marked, label);
            assert_eq!((c.insert.as_str(), c.detail.as_str(), c.kind), (insert, detail, CompletionKind::Field), "{marked:?}");
        }
        assert!(item(&spec, "restartPolicy").info.ends_with('.'));
    }

    #[test]
    fn a_partial_key_is_replaced_from_its_start() {
        let marked = format!("{POD}  containers:\n  - name: a\n    livene|");
        assert_eq!(labels(&marked), ["livenessProbe"]);
        assert_eq!(from(&marked), marked.rfind("livene").unwrap());
        let first_key = format!("{POD}  containers:\n  - ima|");
        assert_eq!(labels(&first_key)[..2], ["image", "imagePullPolicy"]);
        assert_eq!(from(&first_key), first_key.rfind("ima").unwrap());
        // Retyping an existing key does not count it as a sibling of itself.
        assert_eq!(labels(&format!("{POD}  restart|Policy: Never\n")), ["restartPolicy"]);
    }

    #[test]
    fn enum_values_complete_after_the_key() {
        let cases: Vec<(String, &[&str])> = vec![
            (format!("{POD}  restartPolicy: |"), &["Always", "OnFailure", "Never"]),
            (format!("{POD}  restartPolicy: N|"), &["Always", "OnFailure", "Never"]),
            ("kind: Job\nspec:\n  template:\n    spec:\n      restartPolicy: |".into(), &["OnFailure", "Never"]),
            ("kind: Deployment\nspec:\n  template:\n    spec:\n      restartPolicy: |".into(), &["Always"]),
            (format!("{POD}  initContainers:\n  - name: m\n    restartPolicy: |"), &["Always"]),
            (format!("{POD}  containers:\n  - name: a\n    imagePullPolicy: |"), &["Always", "IfNotPresent", "Never"]),
            (format!("{POD}  containers:\n  - name: a\n    ports:\n    - containerPort: 80\n      protocol: |"), &["TCP", "UDP", "SCTP"]),
            (format!("{POD}  containers:\n  - name: a\n    startupProbe:\n      httpGet:\n        scheme: |"), &["HTTP", "HTTPS"]),
            (format!("{POD}  dnsPolicy: |"), &["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"]),
            (format!("{POD}  preemptionPolicy: |"), &["PreemptLowerPriority", "Never"]),
            (format!("{POD}  os:\n    name: |"), &["linux", "windows"]),
            (format!("{POD}  hostNetwork: |"), &["true", "false"]),
            ("apiVersion: |\nkind: Deployment".into(), &["apps/v1"]),
            ("apiVersion: |".into(), &["v1", "apps/v1", "batch/v1"]),
            ("kind: |".into(), &["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "List"]),
        ];
        for (marked, wanted) in cases {
            assert_eq!(labels(&marked), wanted, "{marked:?}");
        }
        let typed = format!("{POD}  restartPolicy: Nev|");
        assert_eq!(from(&typed), typed.rfind("Nev").unwrap());
        let never = item(&typed, "Never");
        assert_eq!((never.insert.as_str(), never.kind), ("Never", CompletionKind::Value));
        assert_eq!(item(&format!("{POD}  restartPolicy: |"), "Always").detail, "default");
    }

    #[test]
    fn annotations_complete_to_the_documents_containers() {
        let pod = "kind: Pod\nmetadata:\n  annotations:\n    behavior.podstep.dev/|\nspec:\n  initContainers:\n  - name: migrate\n  containers:\n  - name: app\n    image: x\n  - image: y\n    name: \"web\"\n";
        assert_eq!(labels(pod), ["behavior.podstep.dev/migrate", "behavior.podstep.dev/app", "behavior.podstep.dev/web"]);
        let c = item(pod, "behavior.podstep.dev/migrate");
        assert_eq!((c.kind, c.info.as_str(), c.insert.as_str()), (CompletionKind::Container, "the init container `migrate`", "behavior.podstep.dev/migrate: "));
        assert_eq!(item(pod, "behavior.podstep.dev/app").info, "the container `app`");
        assert_eq!(from(pod), pod.find("behavior").unwrap());
        // A prefix of the prefix is on its way; an annotation already written is not offered again.
        let typed = "kind: Pod\nmetadata:\n  annotations:\n    behavior.podstep.dev/app: x\n    beh|\nspec:\n  containers:\n  - name: app\n  - name: side\n";
        assert_eq!(labels(typed), ["behavior.podstep.dev/side"]);
        // In a Deployment only the template's annotations reach the pods.
        let tmpl = "kind: Deployment\nmetadata:\n  annotations:\n    behavior.podstep.dev/\nspec:\n  template:\n    metadata:\n      annotations:\n        behavior.podstep.dev/|\n    spec:\n      containers:\n      - name: app\n";
        assert_eq!(labels(tmpl), ["behavior.podstep.dev/app"]);
        let outer = tmpl.replace('|', "");
        assert_eq!(complete(&outer, outer.find("dev/").unwrap() + 4), None);
        assert_eq!(labels("kind: Pod\nmetadata:\n  annotations:\n    app.kubernetes.io/|\nspec:\n  containers:\n  - name: a\n"), Vec::<String>::new());
    }

    #[test]
    fn nothing_completes_where_nothing_applies() {
        for marked in [
            "kind: Pod\n# spec|",
            "kind: Pod\nspec:  # resta|",
            "command:\n- sh\n- -c\n- |\n  echo |",
            "kind: Pod\nspec:\n  containers:\n  - name: a\n    command:\n    - sh\n    - -c\n    - |\n      echo hi\n\n      |",
            "kind: Pod\nspec:\n  containers:\n  - name: a\n    args: [a, |",
            "kind: Pod\nspec:\n  containers:\n  - name: a\n    args: [a,\n      |",
            "kind: Pod\nspec:\n  containers:\n  - name: a\n    image: ngi|",
            "kind: Pod\nspec:\n  restartPolicy: \"Nev|",
            "kind: Pod\nspec:\n  restartPolicy: Never |",
            "kind: Pod\nspec:\n  restartPolicy:|",
            "kind: Pod\nspec:\n  containers:\n  - name: a\n    command:\n    - sl|",
            "kind: Pod\nspec:\n  affinity:\n    |",
            "kind: Pod\nspec:\n  bogus:\n    |",
            "kind: Pod\nspec:\n  containers:\n    |",
            "kind: Pod\n---|\n",
            "kind: Pod\nspec:\n  -|",
        ] {
            let (src, offset) = at(marked);
            assert_eq!(complete(&src, offset), None, "{marked:?}");
        }
        // Past the end of a block scalar, keys complete again.
        let after = "kind: Pod\nspec:\n  containers:\n  - name: a\n    command:\n    - |\n      echo hi\n    |";
        assert!(labels(after).iter().any(|l| l == "image"));
    }

    #[test]
    fn hover_names_the_field_its_default_and_reference() {
        let src = format!("{POD}  containers:\n  - name: a\n    image: nginx:1.27\n    readinessProbe:\n      httpGet:\n        port: 80\n      periodSeconds: 5\n");
        let h = hover(&src, src.find("periodSeconds").unwrap() + 3).expect("a hover");
        assert_eq!(h.path, "spec.containers[].readinessProbe.periodSeconds");
        assert_eq!(h.default.as_deref(), Some("10"));
        assert_eq!(h.url, "https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#Probe");
        assert_eq!(&src[h.from..h.to], "periodSeconds");
        assert_eq!(hover(&src, src.find("port:").unwrap()).expect("a hover").path, "spec.containers[].readinessProbe.httpGet.port");

        let deployment = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n        image: nginx\n";
        let h = hover(deployment, deployment.find("image").unwrap()).expect("a hover");
        assert_eq!((h.path.as_str(), h.default.as_deref()), ("spec.template.spec.containers[].image", None));
        assert_eq!(h.url, "https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#Container");
        assert_eq!(hover(deployment, deployment.find("name").unwrap()).expect("a hover").path, "spec.template.spec.containers[].name");
        let spec = hover(deployment, deployment.find("spec").unwrap()).expect("a hover");
        assert!(spec.url.ends_with("workload-resources/deployment-v1/#Deployment"), "{}", spec.url);
        let meta = hover(POD, POD.find("name").unwrap()).expect("a hover");
        assert!(meta.url.ends_with("common-definitions/object-meta/#ObjectMeta"), "{}", meta.url);
        let pull = hover(&format!("{POD}  containers:\n  - imagePullPolicy: Always\n"), POD.len() + 20).expect("a hover");
        assert_eq!(pull.default.as_deref(), Some("Always for a :latest or untagged image, else IfNotPresent"));

        let unknown = format!("{POD}  containers:\n  - name: a\n    imagePolicy: Always\n");
        assert_eq!(hover(&unknown, unknown.find("imagePolicy").unwrap()), None);
        assert_eq!(hover(deployment, deployment.find("nginx").unwrap()), None);
        assert_eq!(hover("# kind: Pod\n", 3), None);
    }

    #[test]
    fn no_offset_panics() {
        let src = format!("{POD}  containers:\n  - name: \"é\"  # ünïcode\r\n    command: [\"a\",\n      b]\n    args:\n    - |\n      ✓\n---\n- - x: 'it''s'\n  \"q\": {{a: [1, 2]}}\n...\n\t:\n");
        for offset in 0..src.len() + 3 {
            let _ = complete(&src, offset);
            let _ = hover(&src, offset);
        }
        assert_eq!(complete("", 0).map(|(f, _)| f), Some(0));
        assert_eq!(complete("kind: Pod\n", 99).map(|(f, _)| f), Some(10));
    }

    /// The decoder refuses unknown fields, so the fields offered must be the ones it knows.
    #[test]
    fn the_schema_offers_exactly_the_decoders_fields() {
        use crate::decode;
        let sorted = |mut v: Vec<&'static str>| { v.sort_unstable(); v };
        let names = |fields: &[Field]| sorted(fields.iter().map(|f| f.name).collect());
        for (obj, decoded) in [
            (Obj::Meta, decode::OBJECT_META),
            (Obj::PodSpec, decode::POD_SPEC),
            (Obj::Container, decode::CONTAINER),
            (Obj::Probe, decode::PROBE),
            (Obj::Hook, decode::HOOK_HANDLERS),
            (Obj::Lifecycle, decode::LIFECYCLE),
            (Obj::Port, decode::PORT),
            (Obj::VolumeMount, decode::VOLUME_MOUNT),
            (Obj::Resources, decode::RESOURCES),
        ] {
            assert_eq!(names(obj.fields()), sorted(decoded.to_vec()), "{obj:?}");
        }
        let handlers = Obj::Probe.fields().iter().filter(|f| matches!(f.kind, Kind::Object(_))).map(|f| f.name).collect();
        assert_eq!(sorted(handlers), sorted(decode::PROBE_HANDLERS.to_vec()));
        assert_eq!(names(Obj::RestartRule.fields()), ["action", "exitCodes"]);
        assert_eq!(names(Obj::PodTemplate.fields()), ["metadata", "spec"]);

        // The decoder's inline lists: a manifest writing every field the schema offers for them gets
        // no unknown-field diagnostic (under 1.35, where restartPolicyRules exists).
        let all = |obj: Obj, pad: &str| -> String { obj.fields().iter().map(|f| format!("{pad}{}: null\n", f.name)).collect() };
        let mut yaml = String::from("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    metadata:\n      name: t\n    spec:\n");
        yaml += &format!("      os:\n{}", all(Obj::Os, "        "));
        yaml += &format!("      readinessGates:\n      -\n{}", all(Obj::ReadinessGate, "        "));
        yaml += "      containers:\n      - name: a\n        image: x\n        restartPolicyRules:\n        - action: Restart\n          exitCodes:\n";
        yaml += &all(Obj::ExitCodes, "            ");
        yaml += "        livenessProbe:\n";
        for (handler, obj) in [("exec", Obj::Exec), ("httpGet", Obj::HttpGet), ("tcpSocket", Obj::TcpSocket), ("grpc", Obj::Grpc)] {
            yaml += &format!("          {handler}:\n{}", all(obj, "            "));
        }
        yaml += &format!("        lifecycle:\n          preStop:\n            sleep:\n{}", all(Obj::Sleep, "              "));
        let checked = crate::check_with(&yaml, &crate::features::Kube::new(35));
        let unknown: Vec<String> = checked.diagnostics.iter().filter(|d| d.message.contains("unknown field")).map(|d| d.to_string()).collect();
        assert!(unknown.is_empty(), "{unknown:?}");
        assert!(checked.diagnostics.iter().all(|d| !d.message.contains("expected object")), "{:?}", checked.diagnostics);
    }

    /// Every object a field leads to is in the registry, so no field opens an empty object by mistake.
    #[test]
    fn every_object_reached_has_fields_and_a_page() {
        for (obj, page, fields) in tables::OBJECTS {
            assert!(!fields.is_empty() && !page.is_empty(), "{obj:?}");
            for f in *fields {
                if let Kind::Object(o) | Kind::Objects(o) = f.kind {
                    assert!(matches!(o, Obj::Opaque | Obj::Listed) || o.entry().is_some(), "{obj:?}.{}", f.name);
                }
                assert!(f.doc.ends_with('.') && !f.doc.contains('\n'), "{obj:?}.{}", f.name);
            }
        }
    }
}
