//! Effective resource requests and limits of the selected pod, as the scheduler sees them (sidecars
//! counted through every later init step), beside each container's own.

use crate::by_id::ById;
use crate::markup::Markup;
use lifecycle::spec::{ContainerKind, ResourceList};
use lifecycle::Checked;
use std::collections::BTreeSet;
use yew::prelude::*;

fn cell(list: &ResourceList, name: &str) -> String {
    list.get(name).map_or("—".to_string(), |q| q.to_string())
}

#[derive(Properties, PartialEq)]
pub struct ResourcesProps {
    pub checked: ById<Checked>,
    /// The selected workload (an index into `checked.workloads`).
    pub workload: usize,
}

#[component]
pub fn Resources(props: &ResourcesProps) -> Html {
    let Some(workload) = props.checked.workloads.get(props.workload) else {
        return html! {};
    };
    let pod = &workload.pod;
    let effective = lifecycle::resources::effective(pod);
    let all = effective.requests.keys().chain(effective.limits.keys());
    let names: BTreeSet<&str> = all
        .chain(pod.all_containers().flat_map(|c| c.requests.keys()))
        .map(String::as_str)
        .collect();
    let mut m = Markup::new();
    if names.is_empty() {
        m.leaf(
            "p",
            &[("class", "summary")],
            "No container asks for resources.",
        );
    } else {
        m.open("table", &[("class", "resource-table")])
            .head_row(std::iter::once(("", false)).chain(names.iter().map(|n| (*n, true))))
            .open("tbody", &[]);
        let mut row = |class: &'static str, kind: &str, name: &str, list: &ResourceList| {
            match class {
                "" => m.open("tr", &[]),
                class => m.open("tr", &[("class", class)]),
            };
            m.open("th", &[("scope", "row")]);
            if !kind.is_empty() {
                m.leaf("span", &[("class", "kind")], kind);
            }
            m.text(name).close("th");
            for n in &names {
                m.leaf("td", &[("class", "num")], &cell(list, n));
            }
            m.close("tr");
        };
        row("effective", "", "Pod requests", &effective.requests);
        row("effective", "", "Pod limits", &effective.limits);
        for c in pod.all_containers() {
            let kind = match c.kind {
                ContainerKind::Init => "init ",
                ContainerKind::Sidecar => "sidecar ",
                ContainerKind::App => "",
            };
            row("", kind, &c.name, &c.requests);
        }
        m.close("tbody").close("table");
        m.leaf("p", &[("class", "hint")], "Requests the scheduler reserves: the larger of the app containers plus sidecars, and each init container plus the sidecars started before it (plus pod overhead).");
    }
    html! {
        <section class="resources" aria-labelledby="resources-title">
            <h2 id="resources-title" class="pane-title">{ "Effective resources" }</h2>
            { m.into_html() }
        </section>
    }
}
