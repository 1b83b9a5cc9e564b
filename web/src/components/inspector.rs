//! The pod at the cursor: the `kubectl get pod` row, the phase, the five conditions, every container's
//! status as `kubectl get pod -o yaml` shows it, and the `kubectl describe` events so far.

use crate::by_id::ById;
use crate::markup::Markup;
use crate::state::Run;
use crate::timeline::{secs, ApiState, ContainerView, PodView};
use lifecycle::sim::status::human_duration;
use lifecycle::sim::trace::Event;
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

/// The `kubectl get pod` table with one row.
fn kubectl_table(m: &mut Markup, row: &[String; 5]) {
    m.open("table", &[("class", "kubectl-table")])
        .head_row(text_columns(&[
            "NAME", "READY", "STATUS", "RESTARTS", "AGE",
        ]))
        .open("tbody", &[]);
    m.open("tr", &[("class", "kubectl-row")]);
    for cell in row {
        m.leaf("td", &[], cell);
    }
    m.close("tr").close("tbody").close("table");
}

/// Header columns that all hold text.
fn text_columns<'t>(titles: &'t [&'t str]) -> impl Iterator<Item = (&'t str, bool)> {
    titles.iter().map(|t| (*t, false))
}

fn conditions_table(m: &mut Markup, view: &PodView) {
    m.open("div", &[("class", "table-scroll")]);
    m.open("table", &[("class", "conditions")]);
    m.leaf("caption", &[], "Conditions");
    m.head_row(text_columns(&["Type", "Status", "Reason", "Message"]));
    m.open("tbody", &[]);
    for c in &view.conditions {
        let (status, class) = match c.status {
            Some(true) => ("True", "condition true"),
            Some(false) => ("False", "condition false"),
            None => ("—", "condition —"),
        };
        m.open("tr", &[("class", class)]);
        m.leaf("td", &[], c.kind);
        m.leaf("td", &[("class", "status")], status);
        m.leaf("td", &[], c.reason.as_deref().unwrap_or_default());
        m.leaf(
            "td",
            &[("class", "message")],
            c.message.as_deref().unwrap_or_default(),
        );
        m.close("tr");
    }
    m.close("tbody").close("table").close("div");
}

fn statuses(view: &PodView) -> Markup {
    let mut m = Markup::new();
    let init = view
        .containers
        .iter()
        .filter(|c| c.kind != ContainerKind::App);
    let groups: [(&str, Vec<&ContainerView>); 2] = [
        ("initContainerStatuses", init.collect()),
        ("containerStatuses", view.app_containers().collect()),
    ];
    for (title, list) in groups {
        if list.is_empty() {
            continue;
        }
        m.open("div", &[("class", "statuses")])
            .leaf("h3", &[], title);
        let yaml: String = list.iter().map(|c| status_yaml(c)).collect();
        m.leaf("pre", &[("class", "yaml")], &yaml).close("div");
    }
    m
}

fn events_table(m: &mut Markup, events: &[Event], now: f64) {
    m.open("div", &[("class", "events-scroll")]);
    m.open("table", &[("class", "events-table")]);
    m.head_row(text_columns(&["Type", "Reason", "Age", "From", "Message"]));
    m.open("tbody", &[]);
    for e in events {
        let class = format!("event {}", e.kind.as_str().to_ascii_lowercase());
        m.open("tr", &[("class", &class)]);
        m.leaf("td", &[], e.kind.as_str());
        m.leaf("td", &[], &e.reason);
        m.leaf("td", &[], &human_duration((now - e.t).max(0.0) as u64));
        let from = if e.reason == "Scheduled" {
            "default-scheduler"
        } else {
            "kubelet"
        };
        m.leaf("td", &[], from);
        m.leaf("td", &[("class", "message")], &e.message);
        m.close("tr");
    }
    m.close("tbody").close("table").close("div");
}

#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    pub run: Option<ById<Run>>,
    /// The pod at the cursor (folded once for the stepper and the inspector).
    pub view: ById<Option<PodView>>,
    /// The run is from the last version of the text without errors.
    pub stale: bool,
}

#[component]
pub fn Inspector(props: &InspectorProps) -> Html {
    let (Some(run), Some(view)) = (&props.run, props.view.as_ref()) else {
        return html! {};
    };
    let so_far = run.trace.events.partition_point(|e| e.t <= view.t);
    // The most recent ones, as `kubectl describe` keeps a bounded list too.
    let shown_from = so_far.saturating_sub(MAX_EVENTS_SHOWN);

    let mut top = Markup::new();
    top.open(
        "div",
        &[("class", "kubectl"), ("aria-label", "kubectl get pod")],
    );
    top.leaf(
        "div",
        &[("class", "prompt"), ("aria-hidden", "true")],
        "$ kubectl get pod",
    );
    kubectl_table(&mut top, &kubectl_row(&run.trace.pod, view));
    top.close("div");
    top.open("p", &[("class", "phase")]).text("Phase: ");
    top.leaf("strong", &[("class", "phase-value")], view.phase.as_str())
        .close("p");
    conditions_table(&mut top, view);

    let mut events = Markup::new();
    if shown_from > 0 {
        let note = format!("The last {MAX_EVENTS_SHOWN} are shown.");
        events.leaf("p", &[("class", "summary")], &note);
    }
    if so_far == 0 {
        events.leaf("p", &[("class", "summary")], "No events yet.");
    } else {
        events_table(&mut events, &run.trace.events[shown_from..so_far], view.t);
    }
    html! {
        <section class={classes!("inspector", props.stale.then_some("stale"))} aria-labelledby="inspector-title">
            <h2 id="inspector-title" class="pane-title">{ format!("The pod at t={}", secs(view.t)) }</h2>
            { top.into_html() }
            <details class="container-statuses" open=true>
                <summary>{ "Container statuses (kubectl get pod -o yaml)" }</summary>
                { statuses(view).into_html() }
            </details>
            <details class="events" open=true>
                <summary>{ format!("Events so far ({so_far})") }</summary>
                { events.into_html() }
            </details>
        </section>
    }
}
