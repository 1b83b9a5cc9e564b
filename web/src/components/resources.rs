//! Effective resource requests and limits of the selected pod, as the scheduler sees them (sidecars
//! counted through every later init step), beside each container's own.

use super::StateHandle;
use lifecycle::spec::{ContainerKind, ResourceList};
use std::collections::BTreeSet;
use yew::prelude::*;

fn cell(list: &ResourceList, name: &str) -> String {
    list.get(name).map_or("—".to_string(), |q| q.to_string())
}

#[component]
pub fn Resources() -> Html {
    let state = use_context::<StateHandle>().expect("Resources is rendered inside App's context");
    let Some(workload) = state.selected() else {
        return html! {};
    };
    let pod = &workload.pod;
    let effective = lifecycle::resources::effective(pod);
    let names: BTreeSet<&String> = effective
        .requests
        .keys()
        .chain(effective.limits.keys())
        .chain(pod.all_containers().flat_map(|c| c.requests.keys()))
        .collect();
    html! {
        <section class="resources" aria-labelledby="resources-title">
            <h2 id="resources-title" class="pane-title">{ "Effective resources" }</h2>
            if names.is_empty() {
                <p class="summary">{ "No container asks for resources." }</p>
            } else {
                <table class="resource-table">
                    <thead>
                        <tr>
                            <th scope="col">{ "" }</th>
                            { for names.iter().map(|n| html! { <th scope="col" class="num">{ n.as_str() }</th> }) }
                        </tr>
                    </thead>
                    <tbody>
                        <tr class="effective">
                            <th scope="row">{ "Pod requests" }</th>
                            { for names.iter().map(|n| html! { <td class="num">{ cell(&effective.requests, n) }</td> }) }
                        </tr>
                        <tr class="effective">
                            <th scope="row">{ "Pod limits" }</th>
                            { for names.iter().map(|n| html! { <td class="num">{ cell(&effective.limits, n) }</td> }) }
                        </tr>
                        { for pod.all_containers().map(|c| html! {
                            <tr>
                                <th scope="row">
                                    <span class="kind">{ match c.kind { ContainerKind::Init => "init ", ContainerKind::Sidecar => "sidecar ", ContainerKind::App => "" } }</span>
                                    { &c.name }
                                </th>
                                { for names.iter().map(|n| html! { <td class="num">{ cell(&c.requests, n) }</td> }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
                <p class="hint">{ "Requests the scheduler reserves: the larger of the app containers plus sidecars, and each init container plus the sidecars started before it (plus pod overhead)." }</p>
            }
        </section>
    }
}
