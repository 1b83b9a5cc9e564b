//! The workloads list: each pod template found in the manifest, with the pod it would make and how many
//! init, sidecar and app containers that pod has.

use crate::by_id::ById;
use crate::markup::Markup;
use lifecycle::spec::ContainerKind;
use lifecycle::Checked;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct WorkloadsProps {
    pub checked: ById<Checked>,
}

#[component]
pub fn Workloads(props: &WorkloadsProps) -> Html {
    let workloads = &props.checked.workloads;
    let mut m = Markup::new();
    if workloads.is_empty() {
        m.leaf("p", &[("class", "summary")], "No pod templates found");
    } else {
        m.open("table", &[("class", "workload-table")])
            .head_row([
                ("Kind", false),
                ("Name", false),
                ("Pod", false),
                ("Init", true),
                ("Sidecars", true),
                ("App", true),
            ])
            .open("tbody", &[]);
        for w in workloads {
            let pod = &w.pod;
            let init = pod
                .init_containers
                .iter()
                .filter(|c| c.kind == ContainerKind::Init)
                .count();
            m.open("tr", &[])
                .leaf("td", &[], &w.kind)
                .leaf("td", &[], &w.name);
            m.leaf("td", &[("class", "pod")], &pod.name);
            for count in [init, pod.sidecar_count(), pod.containers.len()] {
                m.leaf("td", &[("class", "num")], &count.to_string());
            }
            m.close("tr");
        }
        m.close("tbody").close("table");
    }
    html! {
        <section class="workloads" aria-labelledby="workloads-title">
            <h2 id="workloads-title" class="pane-title">{ "Workloads" }</h2>
            { m.into_html() }
        </section>
    }
}
