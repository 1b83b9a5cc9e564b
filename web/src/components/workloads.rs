//! The workloads list: each pod template found in the manifest, with the pod it would make and how many
//! init, sidecar and app containers that pod has.

use super::StateHandle;
use lifecycle::spec::ContainerKind;
use yew::prelude::*;

#[component]
pub fn Workloads() -> Html {
    let state = use_context::<StateHandle>().expect("Workloads is rendered inside App's context");
    let workloads = &state.checked.workloads;
    html! {
        <section class="workloads" aria-labelledby="workloads-title">
            <h2 id="workloads-title" class="pane-title">{ "Workloads" }</h2>
            if workloads.is_empty() {
                <p class="summary">{ "No pod templates found" }</p>
            } else {
                <table class="workload-table">
                    <thead>
                        <tr>
                            <th scope="col">{ "Kind" }</th>
                            <th scope="col">{ "Name" }</th>
                            <th scope="col">{ "Pod" }</th>
                            <th scope="col" class="num">{ "Init" }</th>
                            <th scope="col" class="num">{ "Sidecars" }</th>
                            <th scope="col" class="num">{ "App" }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for workloads.iter().map(|w| {
                            let pod = &w.pod;
                            let init = pod.init_containers.iter().filter(|c| c.kind == ContainerKind::Init).count();
                            html! {
                                <tr>
                                    <td>{ &w.kind }</td>
                                    <td>{ &w.name }</td>
                                    <td class="pod">{ &pod.name }</td>
                                    <td class="num">{ init }</td>
                                    <td class="num">{ pod.sidecar_count() }</td>
                                    <td class="num">{ pod.containers.len() }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            }
        </section>
    }
}
