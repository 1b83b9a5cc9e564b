//! A fix before it is applied: the run on screen and the fixed manifest's run, one timeline above the
//! other on the same scenario, each with its final `kubectl get pod` row, and the buttons to apply the
//! fix or close the preview.

use super::MiniTimeline;
use crate::by_id::ById;
use crate::state::{Preview, Run};
use lifecycle::lint::Finding;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FixPreviewProps {
    pub finding: Finding,
    pub preview: ById<Preview>,
    /// The run on screen.
    pub now: Option<ById<Run>>,
    pub on_apply: Callback<usize>,
    pub on_close: Callback<()>,
}

fn final_row(run: &Run) -> String {
    let f = &run.trace.final_state;
    format!(
        "at {} s: {} {} {} (RESTARTS {})",
        run.trace.end.t, f.phase, f.kubectl.ready, f.kubectl.status, f.kubectl.restarts
    )
}

#[component]
pub fn FixPreview(props: &FixPreviewProps) -> Html {
    let i = props.preview.finding;
    let title = props
        .finding
        .fix
        .as_ref()
        .map_or(String::new(), |f| f.title.clone());
    let apply = props.on_apply.reform(move |_: MouseEvent| i);
    let close = props.on_close.reform(|_: MouseEvent| ());
    let side = |label: &str, run: Option<&ById<Run>>| match run {
        Some(run) => html! {
            <figure class="fix-side">
                <figcaption>{ format!("{label}, {}", final_row(run)) }</figcaption>
                <MiniTimeline run={run.clone()} label={AttrValue::from(format!("Timeline {label}"))} />
            </figure>
        },
        None => html! {
            <figure class="fix-side">
                <figcaption>{ format!("{label}: cannot be simulated") }</figcaption>
            </figure>
        },
    };
    let fixed = props.preview.run.clone().map(ById::from);
    html! {
        <div class="fix-preview" role="region" aria-label="Fix preview">
            <p class="fix-title">{ format!("Fix: {title}") }</p>
            { side("Now", props.now.as_ref()) }
            { side("With the fix", fixed.as_ref()) }
            <div class="fix-buttons">
                <button type="button" class="apply-fix" onclick={apply}>{ "Apply fix" }</button>
                <button type="button" onclick={close}>{ "Close" }</button>
            </div>
        </div>
    }
}
