//! Effective pod resource requests and limits with sidecars (spec §12).
//!
//! Sidecars keep running through later init steps and the whole pod life, so the peak is not simply
//! max(largest init, sum of apps): each init step also carries every sidecar declared before it.

use crate::quantity::Quantity;
use crate::spec::{merge, Container, ContainerKind, PodSpec, ResourceList};

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
    let pod_level = |name: &str, _: Option<Quantity>, q: Quantity| is_pod_level(name).then_some(q);
    merge(&mut requests, &pod.pod_requests, pod_level);
    merge(&mut limits, &pod.pod_limits, pod_level);
    // Overhead adds to every request, and to a limit only where one is set.
    merge(&mut requests, &pod.overhead, |_, r, q| {
        Some(r.unwrap_or(Quantity::ZERO) + q)
    });
    merge(&mut limits, &pod.overhead, |_, l, q| {
        l.filter(|l| l.nanos != 0).map(|l| l + q)
    });
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

fn add_into(acc: &mut ResourceList, more: &ResourceList) {
    merge(acc, more, |_, e, q| {
        Some(match e {
            Some(e) if e.nanos != 0 => e + q,
            _ => q,
        })
    });
}

fn max_into(acc: &mut ResourceList, other: &ResourceList) {
    merge(acc, other, |_, e, q| {
        Some(e.map_or(q, |e| Quantity::max(e, q)))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pod of a manifest, checked as a user would paste it.
    fn pod(yaml: &str) -> PodSpec {
        let checked = crate::check(yaml);
        assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
        checked
            .workloads
            .into_iter()
            .next()
            .expect("one workload")
            .pod
    }

    fn show(list: &ResourceList) -> String {
        list.iter()
            .map(|(k, q)| format!("{k}={q}"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Spec §12's table: init-a, log (sidecar), init-b, proxy (sidecar), app, worker.
    const WORKED_EXAMPLE: &str = "apiVersion: v1
kind: Pod
metadata: {name: worked}
spec:
  initContainers:
  - {name: init-a, image: busybox, resources: {requests: {cpu: 500m, memory: 2048Mi}}}
  - {name: log, image: busybox, restartPolicy: Always, resources: {requests: {cpu: 200m, memory: 128Mi}}}
  - {name: init-b, image: busybox, resources: {requests: {cpu: 2500m, memory: 512Mi}}}
  - {name: proxy, image: envoy, restartPolicy: Always, resources: {requests: {cpu: 300m, memory: 256Mi}}}
  containers:
  - {name: app, image: nginx, resources: {requests: {cpu: 1000m, memory: 1024Mi}}}
  - {name: worker, image: busybox, resources: {requests: {cpu: 500m, memory: 256Mi}}}
";

    #[test]
    fn spec_worked_example_counts_sidecars_in_init_steps() {
        // init-b runs beside log: 2500m + 200m beats steady state (2000m); init-a's 2048Mi beats
        // steady state's 1664Mi. A sidecar-unaware formula would say 2500m.
        let e = effective(&pod(WORKED_EXAMPLE));
        assert_eq!(show(&e.requests), "cpu=2700m memory=2Gi");
        assert!(
            e.limits.is_empty(),
            "no container has a limit: {:?}",
            e.limits
        );
    }

    #[test]
    fn pod_level_resources_replace_the_aggregate_per_resource() {
        let yaml = WORKED_EXAMPLE.replace(
            "spec:\n",
            "spec:\n  resources: {requests: {cpu: \"4\"}, limits: {memory: 3Gi}}\n",
        );
        let e = effective(&pod(&yaml));
        // cpu comes from the pod level, memory from the containers.
        assert_eq!(show(&e.requests), "cpu=4 memory=2Gi");
        assert_eq!(show(&e.limits), "memory=3Gi");
    }

    #[test]
    fn overhead_is_added_to_requests_and_to_non_zero_limits() {
        let yaml = "apiVersion: v1
kind: Pod
metadata: {name: overhead}
spec:
  overhead: {cpu: 250m, memory: 120Mi}
  containers:
  - {name: app, image: nginx, resources: {requests: {cpu: 500m}, limits: {memory: 1Gi}}}
";
        let e = effective(&pod(yaml));
        // The memory request comes from the limit (defaulting), then gets the overhead like the cpu one.
        assert_eq!(show(&e.requests), "cpu=750m memory=1144Mi");
        // No cpu limit: the overhead does not invent one.
        assert_eq!(show(&e.limits), "memory=1144Mi");
    }

    #[test]
    fn overhead_comes_after_pod_level_resources() {
        let yaml = "apiVersion: v1
kind: Pod
metadata: {name: both}
spec:
  overhead: {cpu: 100m}
  resources: {requests: {cpu: \"1\"}}
  containers:
  - {name: app, image: nginx, resources: {requests: {cpu: 200m}}}
";
        assert_eq!(show(&effective(&pod(yaml)).requests), "cpu=1100m");
    }
}
