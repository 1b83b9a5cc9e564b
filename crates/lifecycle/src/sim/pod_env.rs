//! What a container finds around it: the variables the kubelet sets (`makeEnvironmentVariables`), the
//! files it places (service-account token, ConfigMap and Secret volumes, the downward API, the
//! container's `/etc/hostname`), the pod's network (its containers on `localhost`, the world's
//! Services by DNS name) — and the three ways the world stops a pod: a missing claim (the scheduler
//! leaves it Pending), a missing ConfigMap or Secret volume (`FailedMount`), a missing variable source
//! (`CreateContainerConfigError`).
//!
//! Addresses are Podstep's: the pod is `10.244.0.7` on `node-1`, Services get `10.96.0.N` in reading
//! order, the API server `10.96.0.1`. Names outside the cluster resolve and answer 200 (the internet is
//! taken to be reachable); names under `.invalid`, `.example`, `.test` or `.localhost` never resolve.

use super::catalog::{Http, Listening};
use super::container::Ctr;
use super::shell::NetError;
use super::time::Ms;
use crate::spec::{Container, EnvValue, ObjectKind, PodSpec, VolumeSource};
use crate::world::{Object, Target, World};
use std::collections::{BTreeSet, HashMap};

pub(super) const POD_IP: &str = "10.244.0.7";
pub(super) const NODE: &str = "node-1";
const HOST_IP: &str = "192.168.49.2";
const API_IP: &str = "10.96.0.1";
const SA_DIR: &str = "/var/run/secrets/kubernetes.io/serviceaccount";
const CLUSTER_DOMAIN: &str = "cluster.local";

/// Which containers have listened on which ports, so that a connection finds its listener without
/// walking the pod (a probe per container per period would otherwise cost O(containers) each).
/// Entries are added when a container starts and never removed: a lookup checks that the container
/// still runs and still listens there, so a stale entry only costs that check.
#[derive(Default)]
pub(super) struct Listeners {
    by_port: HashMap<u16, BTreeSet<usize>>,
    /// Containers that answer on every port (an unknown image that declares none).
    any: BTreeSet<usize>,
}

impl Listeners {
    /// Container `c` started with this spec and these sockets.
    pub fn add(&mut self, c: usize, spec: &Container, l: &Listening) {
        match l {
            Listening::Any if spec.ports.is_empty() => {
                self.any.insert(c);
            }
            Listening::Any => {
                for p in &spec.ports {
                    if let Ok(port) = u16::try_from(p.container_port) {
                        self.by_port.entry(port).or_default().insert(c);
                    }
                }
            }
            Listening::Ports(ports) => {
                for l in ports {
                    self.by_port.entry(l.port).or_default().insert(c);
                }
            }
        }
    }
    /// The containers that may listen on `port`, in spec order.
    fn candidates(&self, port: u16) -> impl Iterator<Item = usize> + '_ {
        let mut a = self
            .by_port
            .get(&port)
            .into_iter()
            .flatten()
            .copied()
            .peekable();
        let mut b = self.any.iter().copied().peekable();
        std::iter::from_fn(move || match (a.peek(), b.peek()) {
            (Some(&x), Some(&y)) if x <= y => a.next(),
            (Some(_), Some(_)) => b.next(),
            (Some(_), None) => a.next(),
            (None, _) => b.next(),
        })
    }
}

/// The pod's surroundings as one container (or the kubelet, `from: None`) sees them at one instant.
pub(super) struct Around<'s> {
    pub pod: &'s PodSpec,
    pub world: &'s World,
    pub cs: &'s [Ctr],
    pub listeners: &'s Listeners,
    pub now: Ms,
    /// The container looking (`None`: the kubelet, dialling the pod IP).
    pub from: Option<usize>,
    /// The container whose command or probe this is (looked at first).
    pub me: usize,
}

/// The [`Around`] of container `me`, as `from` sees it, from a `Sim`'s fields: borrowing only the
/// fields it reads, so `runtime.files` stays free to be borrowed mutably beside it.
macro_rules! around {
    ($sim:expr, $from:expr, $me:expr) => {
        $crate::sim::pod_env::Around {
            pod: $sim.pod,
            world: &$sim.world,
            cs: &$sim.cs,
            listeners: &$sim.runtime.listeners,
            now: $sim.now,
            from: $from,
            me: $me,
        }
    };
}
pub(super) use around;

/// Where a name leads.
enum Dest<'s> {
    /// This pod (`localhost`, its IP, its hostname).
    Pod {
        loopback: bool,
    },
    Service(&'s Object),
    /// The API server (`kubernetes.default`), or a name outside the cluster.
    Elsewhere,
}

impl<'s> Around<'s> {
    fn namespace(&self) -> &'s str {
        &self.pod.namespace
    }

    /// Resolves `host` as the pod's resolver does (search path `NS.svc.cluster.local`,
    /// `svc.cluster.local`, `cluster.local`).
    fn dest(&self, host: &str) -> Option<Dest<'s>> {
        let host = host.trim_end_matches('.');
        let host = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host);
        match host {
            "localhost" | "127.0.0.1" | "::1" | "0.0.0.0" => {
                return Some(Dest::Pod { loopback: true })
            }
            POD_IP => return Some(Dest::Pod { loopback: false }),
            API_IP => return Some(Dest::Elsewhere),
            _ => {}
        }
        if host == self.pod.name {
            return Some(Dest::Pod { loopback: false });
        }
        if host.parse::<std::net::IpAddr>().is_ok() {
            return self
                .services()
                .find(|(ip, _)| ip == host)
                .map(|(_, o)| Dest::Service(o))
                .or(Some(Dest::Elsewhere));
        }
        let labels: Vec<&str> = host.split('.').collect();
        // name, name.ns, name.ns.svc, name.ns.svc.cluster.local
        let (name, ns) = match labels.as_slice() {
            [name] => (*name, self.namespace()),
            [name, ns] => (*name, *ns),
            [name, ns, "svc"] => (*name, *ns),
            [name, ns, "svc", rest @ ..] if rest.join(".") == CLUSTER_DOMAIN => (*name, *ns),
            // A pod of a headless Service (`web-0.nginx.ns.svc.cluster.local`): this pod, if it is
            // the one named.
            [pod, svc, ns, "svc", rest @ ..] if rest.join(".") == CLUSTER_DOMAIN => {
                let known = self.world.get(ObjectKind::Service, ns, svc).is_some();
                return (known && *pod == self.pod.name).then_some(Dest::Pod { loopback: false });
            }
            _ => {
                let reserved = [".invalid", ".example", ".test", ".localhost", ".local"];
                if reserved.iter().any(|r| host.ends_with(r)) || host.ends_with(".svc") {
                    return None;
                }
                return Some(Dest::Elsewhere);
            }
        };
        if name == "kubernetes" && ns == "default" {
            return Some(Dest::Elsewhere);
        }
        match self.world.get(ObjectKind::Service, ns, name) {
            Some(svc) => Some(Dest::Service(svc)),
            // A two-label name that is no Service is tried as written: `example.com` resolves.
            None if labels.len() == 2 && !self.has_namespace(ns) => Some(Dest::Elsewhere),
            None => None,
        }
    }

    /// `ns` is a namespace this input mentions (so `name.ns` is a cluster name, not a domain).
    fn has_namespace(&self, ns: &str) -> bool {
        ns == "default"
            || ns == self.namespace()
            || self.world.objects.iter().any(|o| o.namespace == ns)
    }

    /// Services with their cluster IPs, in reading order.
    fn services(&self) -> impl Iterator<Item = (String, &'s Object)> + 's {
        self.world
            .objects
            .iter()
            .filter(|o| o.kind == ObjectKind::Service)
            .enumerate()
            .map(|(i, o)| (format!("10.96.0.{}", 10 + i), o))
    }

    pub fn resolve(&self, host: &str) -> Option<String> {
        Some(match self.dest(host)? {
            Dest::Pod { loopback: true } => "127.0.0.1".into(),
            Dest::Pod { .. } => POD_IP.into(),
            Dest::Service(svc) if svc.headless => POD_IP.into(),
            Dest::Service(svc) => self
                .services()
                .find(|(_, o)| std::ptr::eq(*o, svc))
                .map_or_else(|| API_IP.to_string(), |(ip, _)| ip),
            Dest::Elsewhere => "93.184.215.14".into(),
        })
    }

    /// What answers `port` inside this pod: a running container listening there (the one looking
    /// first, the common case, so that a probe costs O(1) in a large pod when it finds its own).
    fn in_pod(&self, port: u16, loopback: bool) -> Option<(Http, Ms)> {
        let from_pod = self.from.is_some() && loopback;
        let answer = |ctr: &Ctr| {
            let inst = ctr.inst.as_ref().filter(|_| ctr.running())?;
            let http = answer(&ctr.spec, &inst.behavior.listening, port, from_pod)?;
            Some((http, self.now - inst.started))
        };
        self.cs.get(self.me).and_then(answer).or_else(|| {
            self.listeners
                .candidates(port)
                .find_map(|c| self.cs.get(c).and_then(answer))
        })
    }

    /// What a connection to `host:port` reaches: `Ok(Some(http, age))` inside this pod, `Ok(None)`
    /// somewhere Podstep does not model (another pod, the internet), taken to answer 200.
    fn reach(&self, host: &str, port: u16) -> Result<Option<(Http, Ms)>, NetError> {
        match self.dest(host).ok_or(NetError::NoSuchHost)? {
            Dest::Pod { loopback } => self
                .in_pod(port, loopback)
                .map(Some)
                .ok_or(NetError::Refused),
            Dest::Elsewhere => Ok(None),
            Dest::Service(svc) => {
                let target = if svc.ports.is_empty() {
                    Some(Target::Number(port))
                } else {
                    let p = svc
                        .ports
                        .iter()
                        .find(|p| p.port == port)
                        .ok_or(NetError::Refused)?;
                    p.target.clone().or(Some(Target::Number(p.port)))
                };
                if !self.selects_this_pod(svc) {
                    return Ok(None);
                }
                let port = match target {
                    Some(Target::Number(n)) => n,
                    Some(Target::Name(name)) => self
                        .pod
                        .all_containers()
                        .flat_map(|c| &c.ports)
                        .find(|p| p.name.as_deref() == Some(&name))
                        .and_then(|p| u16::try_from(p.container_port).ok())
                        .ok_or(NetError::Refused)?,
                    None => port,
                };
                self.in_pod(port, false).map(Some).ok_or(NetError::Refused)
            }
        }
    }

    /// The Service's selector matches this pod's labels (it is then the pod's own Service, and it
    /// answers only while this pod does; with no selector the endpoints are someone else's).
    fn selects_this_pod(&self, svc: &Object) -> bool {
        !svc.selector.is_empty()
            && svc
                .selector
                .iter()
                .all(|(k, v)| self.pod.labels.iter().any(|(lk, lv)| lk == k && lv == v))
    }

    pub fn connect(&self, host: &str, port: u16) -> Result<(), NetError> {
        self.reach(host, port).map(|_| ())
    }

    /// The container of this pod whose quit endpoint `host:port/path` is (see
    /// [`catalog::quit_endpoint`](super::catalog::quit_endpoint)), if it is running.
    pub fn quit_target(&self, host: &str, port: u16, path: &str) -> Option<usize> {
        if !matches!(self.dest(host)?, Dest::Pod { .. }) {
            return None;
        }
        let path = path.split('?').next().unwrap_or(path);
        self.cs.iter().position(|ctr| {
            ctr.running()
                && super::catalog::quit_endpoint(
                    super::behavior::image_repo(&ctr.image),
                    &ctr.image,
                    &ctr.spec,
                ) == Some((port, path_static(path)))
        })
    }

    pub fn http_get(&self, host: &str, port: u16, path: &str) -> Result<u16, NetError> {
        match self.reach(host, port)? {
            None => Ok(200),
            Some((http, age)) => http.status(path, age).ok_or(NetError::Refused),
        }
    }

    /// What a kubelet probe of `port` on the pod IP gets: `Err` refused, `Ok(None)` not HTTP.
    pub fn probe(&self, port: u16, path: Option<&str>) -> Result<Option<u16>, NetError> {
        let (http, age) = self.in_pod(port, false).ok_or(NetError::Refused)?;
        Ok(path.and_then(|p| http.status(p, age)).or(match http {
            Http::Tcp if path.is_some() => None,
            _ => Some(200),
        }))
    }

    /// Whether a probe of `port` could get another answer later without anything else happening.
    pub fn probe_changes(&self, port: u16) -> bool {
        self.in_pod(port, false)
            .is_some_and(|(http, _)| http.changes_with_age())
    }

    /// A file the kubelet places in container `c`'s filesystem, with its content.
    pub fn placed_file(&self, c: &Container, path: &str) -> Option<String> {
        for m in &c.volume_mounts {
            let mp = m.mount_path.trim_end_matches('/');
            let Some(rel) = path.strip_prefix(mp).and_then(|r| r.strip_prefix('/')) else {
                continue;
            };
            let v = self.pod.volume(&m.name)?;
            return self.volume_file(c, &v.source, rel);
        }
        if self.pod.automount_token {
            if let Some(name) = path.strip_prefix(SA_DIR).and_then(|r| r.strip_prefix('/')) {
                return match name {
                    "namespace" => Some(self.namespace().to_string()),
                    "token" => Some("eyJhbGciOiJSUzI1NiJ9.podstep.token".into()),
                    "ca.crt" => Some("-----BEGIN CERTIFICATE-----\n".into()),
                    _ => None,
                };
            }
        }
        match path {
            "/etc/hostname" => Some(format!("{}\n", self.pod.name)),
            "/etc/hosts" => Some(format!("127.0.0.1\tlocalhost\n{POD_IP}\t{}\n", self.pod.name)),
            "/etc/resolv.conf" => Some(format!(
                "search {ns}.svc.{CLUSTER_DOMAIN} svc.{CLUSTER_DOMAIN} {CLUSTER_DOMAIN}\nnameserver 10.96.0.10\noptions ndots:5\n",
                ns = self.namespace()
            )),
            _ => None,
        }
    }

    fn volume_file(&self, c: &Container, source: &VolumeSource, rel: &str) -> Option<String> {
        match source {
            VolumeSource::Object {
                source,
                name,
                items,
                ..
            } => {
                let o = self.world.get(*source, self.namespace(), name)?;
                if items.is_empty() {
                    o.value(rel).map(str::to_string)
                } else {
                    let (key, _) = items.iter().find(|(_, p)| p == rel)?;
                    o.value(key).map(str::to_string)
                }
            }
            VolumeSource::DownwardApi(items) => {
                let (_, field) = items.iter().find(|(p, _)| p == rel)?;
                self.field(field).or_else(|| self.resource(c, "", field))
            }
            VolumeSource::Projected(sources) => {
                sources.iter().find_map(|s| self.volume_file(c, s, rel))
            }
            VolumeSource::Empty
            | VolumeSource::External
            | VolumeSource::Claim(_)
            | VolumeSource::Image(_) => None,
        }
    }

    /// A downward-API field (`fieldRef.fieldPath`).
    fn field(&self, path: &str) -> Option<String> {
        let from_map = |map: &[(String, String)], key: &str| {
            map.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
        };
        let bracket = |prefix: &str| {
            path.strip_prefix(prefix)
                .and_then(|r| r.strip_prefix("['"))
                .and_then(|r| r.strip_suffix("']"))
        };
        Some(match path {
            "metadata.name" => self.pod.name.clone(),
            "metadata.namespace" => self.namespace().to_string(),
            "metadata.uid" => super::kubelet::uid(&self.pod.name),
            "spec.nodeName" => NODE.into(),
            "spec.serviceAccountName" => self.pod.service_account.clone(),
            "status.podIP" | "status.podIPs" => POD_IP.into(),
            "status.hostIP" | "status.hostIPs" => HOST_IP.into(),
            "metadata.labels" => kv_lines(&self.pod.labels),
            "metadata.annotations" => kv_lines(&self.pod.annotations),
            _ => {
                if let Some(k) = bracket("metadata.labels") {
                    from_map(&self.pod.labels, k)?
                } else if let Some(k) = bracket("metadata.annotations") {
                    from_map(&self.pod.annotations, k)?
                } else {
                    return None;
                }
            }
        })
    }

    /// A `resourceFieldRef`: the container's request or limit (a limit not set is the node's
    /// allocatable, which Podstep takes to be 2 CPUs and 8 GiB), CPU rounded up to whole cores and
    /// memory in bytes, as with the default divisor.
    fn resource(&self, c: &Container, container: &str, resource: &str) -> Option<String> {
        let target = if container.is_empty() {
            c
        } else {
            self.pod.all_containers().find(|x| x.name == container)?
        };
        let (list, name) = match resource.split_once('.') {
            Some(("limits", n)) => (&target.limits, n),
            Some(("requests", n)) => (&target.requests, n),
            _ => return None,
        };
        let nanos = match list.get(name) {
            Some(q) => q.nanos,
            None if resource.starts_with("limits") && name == "cpu" => 2 * 1_000_000_000,
            None if resource.starts_with("limits") && name == "memory" => {
                (8i128 << 30) * 1_000_000_000
            }
            None => 0,
        };
        Some(match name {
            "cpu" => ((nanos + 999_999_999) / 1_000_000_000).to_string(),
            _ => (nanos / 1_000_000_000).to_string(),
        })
    }

    /// `makeEnvironmentVariables`: Service links, then `envFrom`, then `env` (a later one wins), with
    /// `$(VAR)` in values expanded from the ones before. `Err` is the kubelet's message for a
    /// missing ConfigMap, Secret or key, which fails the container's creation.
    pub fn environment(&self, c: &Container) -> Result<Vec<(String, String)>, String> {
        let mut env: Vec<(String, String)> = Vec::new();
        let set = |env: &mut Vec<(String, String)>, k: String, v: String| {
            env.retain(|(n, _)| *n != k);
            env.push((k, v));
        };
        set(&mut env, "HOSTNAME".into(), self.pod.name.clone());
        set(&mut env, "KUBERNETES_SERVICE_HOST".into(), API_IP.into());
        set(&mut env, "KUBERNETES_SERVICE_PORT".into(), "443".into());
        set(
            &mut env,
            "KUBERNETES_PORT".into(),
            format!("tcp://{API_IP}:443"),
        );
        if self.pod.service_links {
            for (ip, svc) in self
                .services()
                .filter(|(_, o)| o.namespace == self.namespace())
            {
                if svc.headless {
                    continue;
                }
                let Some(first) = svc.ports.first() else {
                    continue;
                };
                let prefix = svc.name.to_ascii_uppercase().replace('-', "_");
                set(&mut env, format!("{prefix}_SERVICE_HOST"), ip.clone());
                set(
                    &mut env,
                    format!("{prefix}_SERVICE_PORT"),
                    first.port.to_string(),
                );
                set(
                    &mut env,
                    format!("{prefix}_PORT"),
                    format!("tcp://{ip}:{}", first.port),
                );
            }
        }
        for from in &c.env_from {
            match self.world.get(from.source, self.namespace(), &from.name) {
                Some(o) => {
                    for (k, v) in &o.data {
                        set(&mut env, format!("{}{k}", from.prefix), v.clone());
                    }
                }
                None if from.optional => {}
                None => return Err(not_found(from.source, &from.name)),
            }
        }
        for var in &c.env {
            let value = match &var.value {
                EnvValue::Literal(v) => {
                    let lookup = |n: &str| env.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
                    super::behavior::expand_vars(v, &lookup)
                }
                EnvValue::Key {
                    source,
                    name,
                    key,
                    optional,
                } => match self.world.get(*source, self.namespace(), name) {
                    Some(o) => match o.value(key) {
                        Some(v) => v.to_string(),
                        None if *optional => continue,
                        None => {
                            return Err(format!(
                                "couldn't find key {key} in {} {}/{name}",
                                source.kind(),
                                self.namespace()
                            ))
                        }
                    },
                    None if *optional => continue,
                    None => return Err(not_found(*source, name)),
                },
                EnvValue::Field(path) => self.field(path).unwrap_or_default(),
                EnvValue::Resource {
                    container,
                    resource,
                } => self.resource(c, container, resource).unwrap_or_default(),
            };
            set(&mut env, var.name.clone(), value);
        }
        Ok(env)
    }

    /// The first volume of the pod that cannot be mounted now, with the kubelet's message.
    pub fn unmountable(&self) -> Option<(String, String)> {
        fn missing<'a>(
            world: &World,
            ns: &str,
            s: &'a VolumeSource,
        ) -> Option<(ObjectKind, &'a str)> {
            match s {
                VolumeSource::Object {
                    source,
                    name,
                    optional: false,
                    ..
                } if world.get(*source, ns, name).is_none() => Some((*source, name)),
                VolumeSource::Projected(list) => list.iter().find_map(|s| missing(world, ns, s)),
                _ => None,
            }
        }
        self.pod.volumes.iter().find_map(|v| {
            let (kind, name) = missing(self.world, self.namespace(), &v.source)?;
            Some((v.name.clone(), not_found(kind, name)))
        })
    }

    /// The scheduler's message for a pod whose claim does not exist, if one does not.
    pub fn unschedulable(&self) -> Option<String> {
        self.pod.volumes.iter().find_map(|v| match &v.source {
            VolumeSource::Claim(claim)
                if self
                    .world
                    .get(ObjectKind::PersistentVolumeClaim, self.namespace(), claim)
                    .is_none() =>
            {
                Some(format!(
                    "0/1 nodes are available: persistentvolumeclaim \"{claim}\" not found. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
                ))
            }
            _ => None,
        })
    }
}

/// `path` as one of the quit endpoints' paths (they are `'static`), or "" for any other.
fn path_static(path: &str) -> &'static str {
    ["/quitquitquit", "/shutdown"]
        .into_iter()
        .find(|p| *p == path)
        .unwrap_or("")
}

/// What the kubelet's object managers say of an object that does not exist.
fn not_found(kind: ObjectKind, name: &str) -> String {
    format!("{} \"{name}\" not found", kind.resource())
}

fn kv_lines(map: &[(String, String)]) -> String {
    map.iter().map(|(k, v)| format!("{k}=\"{v}\"\n")).collect()
}

/// What `port` of a container's process answers, with an unknown image narrowed to the ports the
/// container declares (if it declares any).
fn answer(c: &Container, l: &Listening, port: u16, from_pod: bool) -> Option<Http> {
    match l {
        Listening::Any if !c.ports.is_empty() => c
            .ports
            .iter()
            .any(|p| p.container_port == i64::from(port))
            .then_some(Http::Any(200)),
        other => other.find(port, from_pod),
    }
}
