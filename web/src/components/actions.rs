//! What happens to the pod, at the cursor: delete it, kill or OOM a container, change an image, restart
//! the kubelet, reboot the node, create or delete an object of its world (a Service its init
//! containers wait for, a ConfigMap it reads, a claim it needs). Each becomes a timed scenario action, listed and removable; the
//! simulated Kubernetes version and horizon are set here too.

use crate::by_id::ById;
use crate::state::{Run, MINORS};
use crate::timeline::secs;
use lifecycle::features::{Gate, Kube, Stage, GATES};
use lifecycle::quote::quote;
use lifecycle::{sim, Checked};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Why a listed action does nothing, if it does nothing.
pub fn action_problem(text: &str, containers: &[String]) -> Option<String> {
    match sim::Action::parse(text) {
        Err(e) => Some(e),
        Ok(
            sim::Action::Kill { container, .. }
            | sim::Action::Oom { container }
            | sim::Action::SetImage { container, .. },
        ) if !containers.contains(&container) => Some(format!(
            "this pod has no container named {}",
            quote(&container)
        )),
        Ok(_) => None,
    }
}

/// The world kinds actions create and delete, as the action text spells them.
const WORLD_KINDS: [(&str, sim::ObjectKind); 4] = [
    ("service", sim::ObjectKind::Service),
    ("configmap", sim::ObjectKind::ConfigMap),
    ("secret", sim::ObjectKind::Secret),
    ("pvc", sim::ObjectKind::PersistentVolumeClaim),
];

/// The names of `kind` the pod refers to or the input declares: what a user most likely creates.
fn world_names(w: &lifecycle::Workload, kind: sim::ObjectKind) -> Vec<String> {
    use lifecycle::spec::{EnvValue, VolumeSource};
    let mut names: Vec<String> = Vec::new();
    let mut add = |n: &str| {
        if !n.is_empty() && !names.iter().any(|x| x == n) {
            names.push(n.to_string());
        }
    };
    fn volume(s: &VolumeSource, kind: sim::ObjectKind, add: &mut dyn FnMut(&str)) {
        match s {
            VolumeSource::Object { source, name, .. } if *source == kind => add(name),
            VolumeSource::Claim(c) if kind == sim::ObjectKind::PersistentVolumeClaim => add(c),
            VolumeSource::Projected(list) => list.iter().for_each(|s| volume(s, kind, add)),
            _ => {}
        }
    }
    for v in &w.pod.volumes {
        volume(&v.source, kind, &mut add);
    }
    for c in w.pod.all_containers() {
        for e in &c.env {
            if let EnvValue::Key { source, name, .. } = &e.value {
                if *source == kind {
                    add(name);
                }
            }
        }
        for f in &c.env_from {
            if f.source == kind {
                add(&f.name);
            }
        }
    }
    for o in w.world.objects.iter().filter(|o| o.kind == kind) {
        add(&o.name);
    }
    names
}

/// The scenario's actions, each with its time, why it is ignored if it is, and a Remove button.
fn scenario_list(
    actions: &[(u64, String)],
    containers: &[String],
    on_remove: &Callback<usize>,
) -> Html {
    html! {
        { for actions.iter().enumerate().map(|(i, (at, text))| {
            let problem = action_problem(text, containers);
            let class = match problem {
                Some(_) => "scenario-action invalid",
                None => "scenario-action",
            };
            let at = secs(*at as f64 / 1000.0);
            let onclick = on_remove.reform(move |_: MouseEvent| i);
            html! {
                <li {class}>
                    <span class="at">{ format!("t={at}") }</span>{ " " }
                    <code>{ lifecycle::hidden::reveal(text).into_owned() }</code>
                    if let Some(p) = problem {
                        <span class="action-problem">{ format!(" — ignored: {p}") }</span>
                    }
                    { " " }
                    <button type="button" class="remove" aria-label={format!("Remove {} at {at}", lifecycle::hidden::reveal(text))} {onclick}>
                        { "Remove" }
                    </button>
                </li>
            }
        }) }
    }
}

/// One checkbox per lifecycle gate of `minor`: on or off as the version's default or the override
/// says; a GA gate is locked on, as the kubelet locks it.
fn gate_boxes(
    minor: u32,
    gates: &[(Gate, bool)],
    on_gate: &Callback<(Gate, Option<bool>)>,
) -> Vec<Html> {
    let kube = Kube {
        overrides: gates.to_vec(),
        ..Kube::new(minor)
    };
    GATES
        .iter()
        .filter_map(|(gate, name, _)| {
            let (default, stage) = gate.spec(minor)?;
            let on = kube.enabled(*gate);
            let gate = *gate;
            let onchange = on_gate.reform(move |_: Event| {
                let wanted = !on;
                (gate, (wanted != default).then_some(wanted))
            });
            let changed = on != default;
            Some(html! {
                <label class={classes!("gate", changed.then_some("changed"))}>
                    <input type="checkbox" checked={on} disabled={stage == Stage::Ga} {onchange} />
                    { format!(" {name} ({}{})", stage.as_str(), if changed { ", changed" } else { "" }) }
                </label>
            })
        })
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct ActionsProps {
    /// The check result and the selected workload, whose containers can be acted on.
    pub checked: ById<Checked>,
    pub workload: usize,
    /// The last good run: actions are added at its cursor's time.
    pub run: Option<ById<Run>>,
    pub step: usize,
    /// The scenario's actions: (simulated milliseconds, the action as the CLI spells it).
    pub actions: ById<Vec<(u64, String)>>,
    pub minor: u32,
    /// Feature gate overrides for that version.
    pub gates: Vec<(Gate, bool)>,
    /// The horizon in seconds (0: the engine's default).
    pub until_s: u64,
    pub on_add: Callback<sim::Action>,
    /// Removes the action at this index.
    pub on_remove: Callback<usize>,
    pub on_minor: Callback<u32>,
    /// Sets a gate (`None`: back to the version's default).
    pub on_gate: Callback<(Gate, Option<bool>)>,
    pub on_until: Callback<u64>,
    /// The kubelet's crash back-off cap in seconds (`None`: its default).
    pub max_restart_s: Option<u32>,
    /// Sets it (`None`: back to the kubelet's default).
    pub on_max_restart: Callback<Option<u32>>,
}

#[component]
pub fn Actions(props: &ActionsProps) -> Html {
    let selected = props.checked.workloads.get(props.workload);
    let chosen = use_state(String::new);
    let exit_code = use_state(|| "137".to_string());
    let grace = use_state(String::new);
    let image = use_state(String::new);
    let world_kind = use_state(|| 0usize);
    let world_name = use_state(String::new);

    let workload = selected.or(props.run.as_ref().map(|r| &r.workload));
    let containers: Vec<String> = workload
        .map(|w| w.pod.all_containers().map(|c| c.name.clone()).collect())
        .unwrap_or_default();
    let container = if containers.contains(&*chosen) {
        (*chosen).clone()
    } else {
        containers.first().cloned().unwrap_or_default()
    };
    // The new image is suggested from the pod itself: the chosen container's image as its
    // placeholder, and every image the pod names in the list.
    let images: Vec<String> = workload
        .map(|w| {
            let mut seen: Vec<String> = Vec::new();
            for c in w.pod.all_containers() {
                if !c.image.is_empty() && !seen.contains(&c.image) {
                    seen.push(c.image.clone());
                }
            }
            seen
        })
        .unwrap_or_default();
    let current_image = workload
        .and_then(|w| w.pod.all_containers().find(|c| c.name == container))
        .map(|c| c.image.clone())
        .unwrap_or_default();
    let t = props
        .run
        .as_ref()
        .and_then(|r| r.trace.steps.get(props.step))
        .map_or(0.0, |s| s.t.as_secs_f64());
    let can_act = props.run.is_some() && props.actions.len() < lifecycle::limits::MAX_ACTIONS;

    let add = |make: Box<dyn Fn() -> Option<sim::Action>>| {
        super::emit_some(&props.on_add, move |_: MouseEvent| make())
    };
    let text_input = |value: &UseStateHandle<String>| {
        let value = value.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            value.set(input.value());
        })
    };

    let delete = {
        let grace = (*grace).clone();
        add(Box::new(move || {
            Some(sim::Action::Delete {
                grace_s: grace.trim().parse::<i64>().ok(),
            })
        }))
    };
    let kill = {
        let (c, code) = (container.clone(), (*exit_code).clone());
        add(Box::new(move || {
            (!c.is_empty()).then(|| sim::Action::Kill {
                container: c.clone(),
                exit_code: code.trim().parse().unwrap_or(137),
            })
        }))
    };
    let oom = {
        let c = container.clone();
        add(Box::new(move || {
            (!c.is_empty()).then(|| sim::Action::Oom {
                container: c.clone(),
            })
        }))
    };
    let set_image = {
        let (c, img) = (container.clone(), (*image).clone());
        add(Box::new(move || {
            let img = img.trim().to_string();
            (!c.is_empty() && !img.is_empty() && !img.contains(char::is_whitespace)).then(|| {
                sim::Action::SetImage {
                    container: c.clone(),
                    image: img.clone(),
                }
            })
        }))
    };
    let kind = WORLD_KINDS[(*world_kind).min(WORLD_KINDS.len() - 1)].1;
    let valid_name = |n: &str| !n.is_empty() && !n.contains(char::is_whitespace);
    let create = {
        let name = world_name.trim().to_string();
        add(Box::new(move || {
            valid_name(&name).then(|| sim::Action::Create {
                kind,
                name: name.clone(),
            })
        }))
    };
    let delete_object = {
        let name = world_name.trim().to_string();
        add(Box::new(move || {
            valid_name(&name).then(|| sim::Action::DeleteObject {
                kind,
                name: name.clone(),
            })
        }))
    };
    let on_world_kind = {
        let world_kind = world_kind.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            world_kind.set(select.value().parse().unwrap_or(0));
        })
    };
    let suggestions = selected
        .or(props.run.as_ref().map(|r| &r.workload))
        .map(|w| world_names(w, kind))
        .unwrap_or_default();
    let kubelet = add(Box::new(|| Some(sim::Action::KubeletRestart)));
    let reboot = add(Box::new(|| Some(sim::Action::NodeReboot)));

    let on_container = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            chosen.set(select.value());
        })
    };
    let on_minor = super::emit_some(&props.on_minor, |e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        select.value().parse().ok()
    });
    let on_until = super::emit_some(&props.on_until, |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        input.value().trim().parse::<u64>().ok()
    });
    let default_grace = selected.map_or(30, |w| w.pod.termination_grace_period_s);
    // An empty box is the kubelet's default; anything else must be whole seconds in its range.
    let on_max_restart = super::emit_some(&props.on_max_restart, |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        let text = input.value();
        let text = text.trim();
        if text.is_empty() {
            return Some(None);
        }
        text.parse::<u32>()
            .ok()
            .filter(|s| (1..=300).contains(s))
            .map(Some)
    });
    let cap_applies = Kube {
        overrides: props.gates.clone(),
        ..Kube::new(props.minor)
    }
    .enabled(Gate::KubeletCrashLoopBackOffMax);

    html! {
        <section class="actions" aria-labelledby="actions-title">
            <h2 id="actions-title" class="pane-title">{ format!("Do something at t={}", secs(t)) }</h2>
            <div class="action-grid">
                <div class="action-row">
                    <button type="button" onclick={delete} disabled={!can_act}>{ "Delete the pod" }</button>
                    <label>{ "grace " }
                        <input type="number" min="0" class="num-input" placeholder={default_grace.to_string()}
                            value={(*grace).clone()} oninput={text_input(&grace)} aria-label="Grace period in seconds" />
                        { " s" }
                    </label>
                </div>
                <div class="action-row">
                    <label>{ "Container " }
                        <select onchange={on_container} aria-label="Container">
                            { for containers.iter().map(|c| html! {
                                <option value={c.clone()} selected={*c == container}>{ c }</option>
                            }) }
                        </select>
                    </label>
                </div>
                <div class="action-row">
                    <button type="button" onclick={kill} disabled={!can_act || container.is_empty()}>{ "Kill it" }</button>
                    <label>{ "exit code " }
                        <input type="number" class="num-input" value={(*exit_code).clone()} oninput={text_input(&exit_code)}
                            aria-label="Exit code" />
                    </label>
                    <button type="button" onclick={oom} disabled={!can_act || container.is_empty()}>{ "OOM-kill it" }</button>
                </div>
                <div class="action-row">
                    <button type="button" onclick={set_image} disabled={!can_act || container.is_empty() || image.trim().is_empty()}>
                        { "Set its image" }
                    </button>
                    <input type="text" class="image-input" placeholder={current_image} list="pod-images"
                        value={(*image).clone()} oninput={text_input(&image)} aria-label="New image" spellcheck="false" />
                    <datalist id="pod-images">
                        { for images.iter().map(|n| html! { <option value={n.clone()} /> }) }
                    </datalist>
                </div>
                <div class="action-row">
                    <select onchange={on_world_kind} aria-label="Kind of object">
                        { for WORLD_KINDS.iter().enumerate().map(|(i, (word, _))| html! {
                            <option value={i.to_string()} selected={i == *world_kind}>{ *word }</option>
                        }) }
                    </select>
                    <input type="text" class="image-input" placeholder="name" list="world-names"
                        value={(*world_name).clone()} oninput={text_input(&world_name)}
                        aria-label="Object name" spellcheck="false" />
                    <datalist id="world-names">
                        { for suggestions.iter().map(|n| html! { <option value={n.clone()} /> }) }
                    </datalist>
                    <button type="button" onclick={create} disabled={!can_act || !valid_name(world_name.trim())}>{ "Create" }</button>
                    <button type="button" onclick={delete_object} disabled={!can_act || !valid_name(world_name.trim())}>{ "Delete" }</button>
                </div>
                <div class="action-row">
                    <button type="button" onclick={kubelet} disabled={!can_act}>{ "Restart the kubelet" }</button>
                    <button type="button" onclick={reboot} disabled={!can_act}>{ "Reboot the node" }</button>
                </div>
            </div>
            <h3>{ "Scenario" }</h3>
            if props.actions.is_empty() {
                <p class="summary">{ "No actions: the pod runs undisturbed. Move the cursor and add one." }</p>
            } else {
                <ol class="scenario">{ scenario_list(&props.actions, &containers, &props.on_remove) }</ol>
            }
            <h3>{ "Settings" }</h3>
            <div class="settings">
                <label>{ "Kubernetes " }
                    <select onchange={on_minor} aria-label="Kubernetes version">
                        { for MINORS.map(|m| html! {
                            <option value={m.to_string()} selected={m == props.minor}>{ format!("1.{m}") }</option>
                        }) }
                    </select>
                </label>
                <fieldset class="gates">
                    <legend>{ format!("Feature gates of 1.{}", props.minor) }</legend>
                    { for gate_boxes(props.minor, &props.gates, &props.on_gate) }
                    if cap_applies {
                        <label class="kubelet-setting">{ "kubelet crashLoopBackOff.maxContainerRestartPeriod " }
                            <input type="number" min="1" max="300" class="num-input" placeholder="300"
                                value={props.max_restart_s.map_or(String::new(), |s| s.to_string())}
                                onchange={on_max_restart} aria-label="The kubelet's maxContainerRestartPeriod in seconds" />
                            { " s (empty: the kubelet's default, 300 s)" }
                        </label>
                    }
                </fieldset>
                <label>{ "Run for at most " }
                    <input type="number" min="1" max={lifecycle::limits::MAX_HORIZON_S.to_string()} class="num-input"
                        value={if props.until_s == 0 { lifecycle::limits::DEFAULT_HORIZON_S.to_string() } else { props.until_s.to_string() }}
                        onchange={on_until} aria-label="Simulated horizon in seconds" />
                    { " s" }
                </label>
            </div>
        </section>
    }
}
