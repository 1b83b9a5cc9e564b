//! The stepper: first / previous / play-pause / next / last, a slider over the steps, the playback
//! speed, and the current step told as one plain sentence. Playback itself is a timer
//! ([`crate::hooks::use_playback`]).

use crate::by_id::ById;
use crate::markup::trusted_html;
use crate::narrate::{self, Piece};
use crate::state::{Go, Run, SPEEDS};
use crate::timeline::PodView;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// 16×16 icons drawn from one path each (system fonts lack some media-control glyphs).
macro_rules! icon {
    ($d:literal) => {
        trusted_html(concat!(
            r#"<svg class="icon" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><path d=""#,
            $d,
            r#""/></svg>"#
        ))
    };
}

#[derive(Properties, PartialEq)]
pub struct StepperProps {
    pub run: Option<ById<Run>>,
    /// The pod at the cursor (folded once for the stepper and the inspector).
    pub view: ById<Option<PodView>>,
    pub step: usize,
    pub playing: bool,
    pub speed: u32,
    pub on_go: Callback<Go>,
    pub on_toggle_play: Callback<()>,
    pub on_speed: Callback<u32>,
}

/// The stepper; its playback timer is [`crate::hooks::use_playback`], which `App` runs.
#[component]
pub fn Stepper(props: &StepperProps) -> Html {
    let go = |g: Go| props.on_go.reform(move |_: MouseEvent| g);
    let toggle = props.on_toggle_play.reform(|_: MouseEvent| ());
    let onslide = super::emit_some(&props.on_go, |e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        input.value().parse::<usize>().ok().map(Go::To)
    });

    let Some(run) = &props.run else {
        return html! {
            <section class="stepper" aria-label="Stepper">
                <p class="sentence">{ "No steps yet." }</p>
            </section>
        };
    };
    let last = run.last_step();
    let step = props.step.min(last);
    let sentence = props
        .view
        .as_ref()
        .map(|view| narrate::sentence(&run.workload, &run.trace.steps, step, view, run.version))
        .unwrap_or_default();
    let at_start = step == 0;
    let at_end = step >= last;
    let play_label = if props.playing {
        "Pause (space)"
    } else {
        "Play (space)"
    };

    html! {
        <section class="stepper" aria-label="Stepper">
            <div class="controls">
                <button type="button" onclick={go(Go::First)} disabled={at_start} aria-label="First step (Home)" title="First step (Home)">{ icon!("M4 3h2v10H4zM13 3v10L7 8z") }</button>
                <button type="button" onclick={go(Go::Prev)} disabled={at_start} aria-label="Previous step (←)" title="Previous step (←)">{ icon!("M12 3v10L5 8z") }</button>
                <button type="button" class="play" onclick={toggle} aria-label={play_label} title={play_label}
                    aria-pressed={if props.playing { "true" } else { "false" }}>
                    { if props.playing { icon!("M4 3h3v10H4zM9 3h3v10H9z") } else { icon!("M4 3v10l9-5z") } }
                </button>
                <button type="button" onclick={go(Go::Next)} disabled={at_end} aria-label="Next step (→)" title="Next step (→)">{ icon!("M4 3v10l7-5z") }</button>
                <button type="button" onclick={go(Go::Last)} disabled={at_end} aria-label="Last step (End)" title="Last step (End)">{ icon!("M3 3v10l6-5zM10 3h2v10h-2z") }</button>
                <div class="speeds" role="group" aria-label="Playback speed">
                    { for SPEEDS.iter().map(|&s| {
                        let pressed = s == props.speed;
                        let onclick = props.on_speed.reform(move |_: MouseEvent| s);
                        html! {
                            <button type="button" {onclick} aria-pressed={if pressed { "true" } else { "false" }}>
                                { format!("{s}×") }
                            </button>
                        }
                    }) }
                </div>
                <span class="counter" aria-live="off">{ format!("Step {} of {}", step + 1, last + 1) }</span>
            </div>
            <input class="scrub" type="range" min="0" max={last.to_string()} value={step.to_string()}
                aria-label="Step" oninput={onslide} />
            <p class="sentence" aria-live={if props.playing { "off" } else { "polite" }}>
                { for sentence.into_iter().map(|p| match p {
                    Piece::Text(t) => html! { { lifecycle::hidden::reveal(&t).into_owned() } },
                    Piece::Code(c) => html! { <code>{ lifecycle::hidden::reveal(&c).into_owned() }</code> },
                }) }
            </p>
        </section>
    }
}
