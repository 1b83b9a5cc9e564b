//! The pod's world: the objects around a pod that decide whether its containers can start and what
//! their commands find — Services (DNS names, connections), ConfigMaps and Secrets (variables and
//! files), PersistentVolumeClaims (scheduling).
//!
//! A manifest often carries them next to the workload (`---` documents, a `List`); every workload of
//! one input shares them. Podstep reads only what the lifecycle depends on, leniently: the API server's
//! validation of these kinds is not modelled. During a run, scenario actions create and delete them
//! (`create service NAME`), which is why the simulator keeps its own copy.

use crate::spec::ObjectKind;
use crate::tree::{Node, Value};

/// One object of the world.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Object {
    pub kind: ObjectKind,
    pub name: String,
    pub namespace: String,
    /// A ConfigMap's `data` and `binaryData`, a Secret's `data` (base64-decoded where it decodes) and
    /// `stringData`, in the order written; key → content.
    pub data: Vec<(String, String)>,
    /// A Service's ports.
    pub ports: Vec<ServicePort>,
    /// A Service's `selector`.
    pub selector: Vec<(String, String)>,
    /// A Service with `clusterIP: None` (headless): its name resolves to the pods it selects.
    pub headless: bool,
    /// A Service of `type: ExternalName`: its name is an alias of another.
    pub external_name: Option<String>,
}

/// A Service's port: what clients connect to, and where the pods listen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServicePort {
    pub name: String,
    pub port: u16,
    /// `targetPort`: a number, or the name of a container port; `None` means the same as `port`.
    pub target: Option<Target>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Number(u16),
    Name(String),
}

/// The objects one input declares, in reading order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct World {
    pub objects: Vec<Object>,
}

impl World {
    pub fn get(&self, kind: ObjectKind, namespace: &str, name: &str) -> Option<&Object> {
        self.objects
            .iter()
            .find(|o| o.kind == kind && o.name == name && o.namespace == namespace)
    }
    /// Adds `object`, replacing one of the same kind, namespace and name.
    pub fn put(&mut self, object: Object) {
        self.remove(object.kind, &object.namespace, &object.name);
        self.objects.push(object);
    }
    pub fn remove(&mut self, kind: ObjectKind, namespace: &str, name: &str) -> bool {
        let before = self.objects.len();
        self.objects
            .retain(|o| !(o.kind == kind && o.name == name && o.namespace == namespace));
        self.objects.len() != before
    }
    /// The Services of `namespace`, in reading order.
    pub fn services<'a>(&'a self, namespace: &'a str) -> impl Iterator<Item = &'a Object> + 'a {
        self.objects
            .iter()
            .filter(move |o| o.kind == ObjectKind::Service && o.namespace == namespace)
    }
}

impl Object {
    /// An object with a name and nothing else (what `create KIND NAME` makes: a ConfigMap without
    /// keys, a Service without ports, which then answers on any port).
    pub fn named(kind: ObjectKind, namespace: &str, name: &str) -> Object {
        Object {
            kind,
            name: name.to_string(),
            namespace: namespace.to_string(),
            data: Vec::new(),
            ports: Vec::new(),
            selector: Vec::new(),
            headless: false,
            external_name: None,
        }
    }
    pub fn value(&self, key: &str) -> Option<&str> {
        self.data
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// The kind of a world object written as `kind` in a manifest.
pub fn kind_of(kind: &str) -> Option<ObjectKind> {
    match kind {
        "ConfigMap" => Some(ObjectKind::ConfigMap),
        "Secret" => Some(ObjectKind::Secret),
        "Service" => Some(ObjectKind::Service),
        "PersistentVolumeClaim" => Some(ObjectKind::PersistentVolumeClaim),
        _ => None,
    }
}

/// The kind named in a scenario action (`create service NAME`): kubectl's resource names.
pub fn kind_from_resource(word: &str) -> Option<ObjectKind> {
    match word {
        "service" | "services" | "svc" => Some(ObjectKind::Service),
        "configmap" | "configmaps" | "cm" => Some(ObjectKind::ConfigMap),
        "secret" | "secrets" => Some(ObjectKind::Secret),
        "pvc" | "persistentvolumeclaim" | "persistentvolumeclaims" => {
            Some(ObjectKind::PersistentVolumeClaim)
        }
        _ => None,
    }
}

/// Reads a world object from its document; `None` if it has no name.
pub(crate) fn read(kind: ObjectKind, doc: &Node) -> Option<Object> {
    let meta = doc.get("metadata")?;
    let name = meta.get("name")?.scalar()?.to_string();
    let namespace = meta
        .get("namespace")
        .and_then(Node::scalar)
        .filter(|n| !n.is_empty())
        .unwrap_or("default")
        .to_string();
    let mut o = Object::named(kind, &namespace, &name);
    let pairs = |n: Option<&Node>| -> Vec<(String, String)> {
        n.map(|n| {
            n.entries()
                .iter()
                .map(|(k, v)| (k.name.clone(), v.scalar().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default()
    };
    match kind {
        ObjectKind::ConfigMap => {
            o.data = pairs(doc.get("data"));
            o.data.extend(pairs(doc.get("binaryData")));
        }
        ObjectKind::Secret => {
            o.data = pairs(doc.get("data"))
                .into_iter()
                .map(|(k, v)| {
                    let decoded = base64_decode(&v).unwrap_or(v);
                    (k, decoded)
                })
                .collect();
            for (k, v) in pairs(doc.get("stringData")) {
                o.data.retain(|(key, _)| *key != k);
                o.data.push((k, v));
            }
        }
        ObjectKind::Service => {
            let spec = doc.get("spec");
            o.selector = pairs(spec.and_then(|s| s.get("selector")));
            o.headless =
                spec.and_then(|s| s.get("clusterIP")).and_then(Node::scalar) == Some("None");
            o.external_name = spec
                .and_then(|s| s.get("externalName"))
                .and_then(Node::scalar)
                .map(str::to_string);
            if let Some(Value::Seq(ports)) = spec.and_then(|s| s.get("ports")).map(|p| &p.value) {
                o.ports = ports
                    .iter()
                    .filter_map(|p| {
                        let port = p.get("port")?.scalar()?.parse().ok()?;
                        let target = p.get("targetPort").and_then(Node::scalar).map(|t| {
                            t.parse()
                                .map(Target::Number)
                                .unwrap_or_else(|_| Target::Name(t.to_string()))
                        });
                        let name = p
                            .get("name")
                            .and_then(Node::scalar)
                            .unwrap_or_default()
                            .to_string();
                        Some(ServicePort { name, port, target })
                    })
                    .collect();
            }
        }
        ObjectKind::PersistentVolumeClaim => {}
    }
    Some(o)
}

/// Standard base64 with padding, as a Secret's `data` holds it; `None` if it is not valid or not
/// UTF-8 (the value is then kept as written).
fn base64_decode(s: &str) -> Option<String> {
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    for c in s.bytes().filter(|c| !c.is_ascii_whitespace()) {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => continue,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(v);
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_data_is_decoded() {
        assert_eq!(base64_decode("YWRtaW4=").as_deref(), Some("admin"));
        assert_eq!(
            base64_decode("MWYyZDFlMmU2N2Rm").as_deref(),
            Some("1f2d1e2e67df")
        );
        assert_eq!(base64_decode("not base64!"), None);
    }
}
