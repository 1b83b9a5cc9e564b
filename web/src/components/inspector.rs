//! The pod at the cursor: the `kubectl get pod` row, the phase, the five conditions, every container's
//! status as `kubectl get pod -o yaml` shows it, and the `kubectl describe` events so far.

use super::StateHandle;
use crate::timeline::{secs, ApiState, ContainerView, PodView, Timeline};
use lifecycle::sim::status::human_duration;
use lifecycle::spec::ContainerKind;
use std::fmt::Write;
use yew::prelude::*;

/// Most events listed at once.
const MAX_EVENTS_SHOWN: usize = 300;

/// `kubectl get pod -o yaml`'s rendering of one status; times are seconds after scheduling (`t+9s`),
/// where the API has timestamps.
pub fn status_yaml(c: &ContainerView) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "- name: {}", c.name);
    let _ = writeln!(out, "  image: {}", c.image);
    let _ = writeln!(out, "  ready: {}", c.ready);
    let _ = writeln!(out, "  started: {}", c.started);
    let _ = writeln!(out, "  restartCount: {}", c.restart_count);
    let state = |out: &mut String, key: &str, s: &ApiState| {
        let _ = writeln!(out, "  {key}:");
        match s {
            ApiState::Waiting { reason } => {
                let _ = writeln!(out, "    waiting:");
                if !reason.is_empty() {
                    let _ = writeln!(out, "      reason: {reason}");
                }
            }
            ApiState::Running { started_at } => {
                let _ = writeln!(out, "    running:");
                let _ = writeln!(out, "      startedAt: t+{}", compact(*started_at));
            }
            ApiState::Terminated {
                exit_code,
                reason,
                started_at,
                finished_at,
            } => {
                let _ = writeln!(out, "    terminated:");
                let _ = writeln!(out, "      exitCode: {exit_code}");
                if !reason.is_empty() {
                    let _ = writeln!(out, "      reason: {reason}");
                }
                if let Some(t) = started_at {
                    let _ = writeln!(out, "      startedAt: t+{}", compact(*t));
                }
                if let Some(t) = finished_at {
                    let _ = writeln!(out, "      finishedAt: t+{}", compact(*t));
                }
            }
        }
    };
    state(&mut out, "state", &c.state);
    match &c.last_state {
        Some(s) => state(&mut out, "lastState", s),
        None => {
            let _ = writeln!(out, "  lastState: {{}}");
        }
    }
    out
}

fn compact(t: f64) -> String {
    secs(t).replace(' ', "")
}

/// The `kubectl get pod` row at the cursor: NAME READY STATUS RESTARTS AGE.
pub fn kubectl_row(pod: &str, view: &PodView) -> [String; 5] {
    [
        pod.to_string(),
        view.kubectl.ready.clone(),
        view.kubectl.status.clone(),
        view.kubectl.restarts.clone(),
        human_duration(view.t as u64),
    ]
}

#[component]
pub fn Inspector() -> Html {
    let state = use_context::<StateHandle>().expect("Inspector is rendered inside App's context");
    let Some(run) = state.run.clone() else {
        return html! {};
    };
    let Some(view) = Timeline::view_at(&run.workload, &run.trace, state.step) else {
        return html! {};
    };
    let row = kubectl_row(&run.trace.pod, &view);
    let so_far = run.trace.events.partition_point(|e| e.t <= view.t);
    // The most recent ones, as `kubectl describe` keeps a bounded list too.
    let shown_from = so_far.saturating_sub(MAX_EVENTS_SHOWN);
    let events: Vec<_> = run.trace.events[shown_from..so_far].iter().collect();
    let group = |title: &str, list: Vec<&ContainerView>| -> Html {
        if list.is_empty() {
            return html! {};
        }
        html! {
            <div class="statuses">
                <h3>{ title }</h3>
                <pre class="yaml">{ list.iter().map(|c| status_yaml(c)).collect::<String>() }</pre>
            </div>
        }
    };
    let init: Vec<&ContainerView> = view
        .containers
        .iter()
        .filter(|c| c.kind != ContainerKind::App)
        .collect();
    let app: Vec<&ContainerView> = view.app_containers().collect();
    html! {
        <section class={classes!("inspector", state.stale.then_some("stale"))} aria-labelledby="inspector-title">
            <h2 id="inspector-title" class="pane-title">{ format!("The pod at t={}", secs(view.t)) }</h2>
            <div class="kubectl" aria-label="kubectl get pod">
                <div class="prompt" aria-hidden="true">{ "$ kubectl get pod" }</div>
                <table class="kubectl-table">
                    <thead>
                        <tr>{ for ["NAME", "READY", "STATUS", "RESTARTS", "AGE"].iter().map(|h| html! { <th scope="col">{ h }</th> }) }</tr>
                    </thead>
                    <tbody>
                        <tr class="kubectl-row">{ for row.iter().map(|c| html! { <td>{ c }</td> }) }</tr>
                    </tbody>
                </table>
            </div>
            <p class="phase">{ "Phase: " }<strong class="phase-value">{ &view.phase }</strong></p>
            <div class="table-scroll">
            <table class="conditions">
                <caption>{ "Conditions" }</caption>
                <thead>
                    <tr><th scope="col">{ "Type" }</th><th scope="col">{ "Status" }</th><th scope="col">{ "Reason" }</th><th scope="col">{ "Message" }</th></tr>
                </thead>
                <tbody>
                    { for view.conditions.iter().map(|c| {
                        let status = match c.status { Some(true) => "True", Some(false) => "False", None => "—" };
                        html! {
                            <tr class={classes!("condition", status.to_ascii_lowercase())}>
                                <td>{ c.kind }</td>
                                <td class="status">{ status }</td>
                                <td>{ c.reason.clone().unwrap_or_default() }</td>
                                <td class="message">{ c.message.clone().unwrap_or_default() }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            </div>
            <details class="container-statuses" open=true>
                <summary>{ "Container statuses (kubectl get pod -o yaml)" }</summary>
                { group("initContainerStatuses", init) }
                { group("containerStatuses", app) }
            </details>
            <details class="events" open=true>
                <summary>{ format!("Events so far ({so_far})") }</summary>
                if shown_from > 0 {
                    <p class="summary">{ format!("The last {MAX_EVENTS_SHOWN} are shown.") }</p>
                }
                if events.is_empty() {
                    <p class="summary">{ "No events yet." }</p>
                } else {
                    <div class="events-scroll">
                        <table class="events-table">
                            <thead>
                                <tr><th scope="col">{ "Type" }</th><th scope="col">{ "Reason" }</th><th scope="col">{ "Age" }</th><th scope="col">{ "From" }</th><th scope="col">{ "Message" }</th></tr>
                            </thead>
                            <tbody>
                                { for events.iter().map(|e| html! {
                                    <tr class={classes!("event", e.kind.to_ascii_lowercase())}>
                                        <td>{ &e.kind }</td>
                                        <td>{ &e.reason }</td>
                                        <td>{ human_duration((view.t - e.t).max(0.0) as u64) }</td>
                                        <td>{ if e.reason == "Scheduled" { "default-scheduler" } else { "kubelet" } }</td>
                                        <td class="message">{ &e.message }</td>
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                    </div>
                }
            </details>
        </section>
    }
}
