//! What Podstep assumed in this run (a command or image it does not know, a limit it hit), each said
//! where the user sees it; for a container whose behaviour was assumed, one click writes the
//! annotation that tells Podstep better into the manifest.

use crate::annotate::{self, CHOICES};
use crate::by_id::ById;
use crate::state::Run;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AssumptionsProps {
    pub run: Option<ById<Run>>,
    /// The text in the editor, which a choice edits.
    pub source: ById<str>,
    pub readonly: bool,
    pub on_edit: Callback<String>,
}

#[component]
pub fn Assumptions(props: &AssumptionsProps) -> Html {
    let Some(run) = &props.run else {
        return Html::default();
    };
    if run.trace.notes.is_empty() {
        return Html::default();
    }
    let containers: Vec<String> = run
        .workload
        .pod
        .all_containers()
        .map(|c| c.name.clone())
        .collect();
    let item = |note: &String| {
        let container = annotate::assumed_container(note, &containers)
            .filter(|_| !props.readonly)
            .map(str::to_string);
        let fix = container.map(|c| {
            let buttons = CHOICES.iter().filter_map(|(label, value)| {
                let edited = annotate::with_annotation(&props.source, &run.workload, &c, value)?;
                let onclick = props.on_edit.reform(move |_: MouseEvent| edited.clone());
                Some(html! {
                    <button type="button" class="say" {onclick}
                        title={format!("Writes {}: \"{value}\" into the pod template's annotations", annotate::key(&c))}>
                        { *label }
                    </button>
                })
            });
            let buttons: Vec<Html> = buttons.collect();
            if buttons.is_empty() {
                html! {
                    <span class="say-copy">{ " Say what it does: add the annotation " }
                        <code>{ format!("{}: \"run=forever\"", annotate::key(&c)) }</code>
                        { " to the pod template (see Podstep's conventions)." }
                    </span>
                }
            } else {
                html! {
                    <span class="say-what">{ format!(" Say what {c} does: ") }{ for buttons }</span>
                }
            }
        });
        html! { <li>{ lifecycle::hidden::reveal(note).into_owned() }{ for fix }</li> }
    };
    html! {
        <ul class="notes" aria-label="What Podstep assumed">
            { for run.trace.notes.iter().map(item) }
        </ul>
    }
}
