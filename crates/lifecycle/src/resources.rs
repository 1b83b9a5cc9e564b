//! Effective pod resource requests and limits with sidecars (spec §12).
//!
//! Sidecars keep running through later init steps and the whole pod life, so the peak is not simply
//! max(largest init, sum of apps): each init step also carries every sidecar declared before it.

use crate::quantity::Quantity;
use crate::spec::{Container, ContainerKind, PodSpec, ResourceList};
use std::collections::BTreeMap;

/// Per-resource effective requests and limits of a pod, as the scheduler sees them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Effective {
    pub requests: ResourceList,
    pub limits: ResourceList,
}

pub fn effective(pod: &PodSpec) -> Effective {
    let mut requests = aggregate(pod, |c| &c.requests);
    let mut limits = aggregate(pod, |c| &c.limits);
    // Pod-level values replace the aggregate for cpu, memory and hugepages (PodLevelResources).
    for (name, q) in &pod.pod_requests {
        if is_pod_level(name) {
            requests.insert(name.clone(), *q);
        }
    }
    for (name, q) in &pod.pod_limits {
        if is_pod_level(name) {
            limits.insert(name.clone(), *q);
        }
    }
    for (name, q) in &pod.overhead {
        let r = requests.entry(name.clone()).or_insert(Quantity::ZERO);
        *r = r.add(*q);
        if let Some(l) = limits.get_mut(name) {
            if l.nanos != 0 {
                *l = l.add(*q);
            }
        }
    }
    Effective { requests, limits }
}

fn is_pod_level(name: &str) -> bool {
    name == "cpu" || name == "memory" || name.starts_with("hugepages-")
}

fn aggregate(pod: &PodSpec, of: impl Fn(&Container) -> &ResourceList) -> ResourceList {
    let mut sidecars = ResourceList::new();
    let mut init_max = ResourceList::new();
    for c in &pod.init_containers {
        let own = of(c);
        if c.kind == ContainerKind::Sidecar {
            add_into(&mut sidecars, own);
            max_into(&mut init_max, &sidecars);
        } else {
            let mut usage = own.clone();
            add_into(&mut usage, &sidecars);
            max_into(&mut init_max, &usage);
        }
    }
    let mut steady = sidecars;
    for c in &pod.containers {
        add_into(&mut steady, of(c));
    }
    max_into(&mut steady, &init_max);
    steady.retain(|_, q| q.nanos != 0);
    steady
}

fn add_into(acc: &mut BTreeMap<String, Quantity>, more: &ResourceList) {
    for (k, q) in more {
        let e = acc.entry(k.clone()).or_insert(Quantity {
            nanos: 0,
            format: q.format,
        });
        *e = if e.nanos == 0 {
            Quantity {
                nanos: q.nanos,
                format: q.format,
            }
        } else {
            e.add(*q)
        };
    }
}

fn max_into(acc: &mut BTreeMap<String, Quantity>, other: &ResourceList) {
    for (k, q) in other {
        let e = acc.entry(k.clone()).or_insert(*q);
        *e = Quantity::max(*e, *q);
    }
}
