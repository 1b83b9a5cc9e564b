//! The stepper: first / previous / play-pause / next / last, a slider over the steps, the playback
//! speed, and the current step told as one plain sentence. Playback itself is a timer
//! ([`crate::hooks::use_playback`]).

use super::StateHandle;
use crate::markup::{trusted_html, Markup};
use crate::narrate::{self, Piece};
use crate::state::{Action, Go, SPEEDS};
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

fn sentence_markup(pieces: &[Piece]) -> Html {
    let mut m = Markup::new();
    for p in pieces {
        match p {
            Piece::Text(t) => m.text(t),
            Piece::Code(c) => m.leaf("code", &[], c),
        };
    }
    m.into_html()
}

/// The stepper's markup; its playback timer is [`crate::hooks::use_playback`], which `App` runs.
pub fn stepper(state: &StateHandle, view: Option<&PodView>) -> Html {
    let go = |g: Go| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::Go(g)))
    };
    let toggle = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::TogglePlay))
    };
    let onslide = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(i) = input.value().parse::<usize>() {
                state.dispatch(Action::Go(Go::To(i)));
            }
        })
    };

    let Some(run) = state.run.clone() else {
        return html! {
            <section class="stepper" aria-label="Stepper">
                <p class="sentence">{ "No steps yet." }</p>
            </section>
        };
    };
    let last = run.last_step();
    let step = state.step.min(last);
    let sentence = view
        .map(|view| narrate::sentence(&run.workload, &run.trace.steps, step, view))
        .unwrap_or_default();
    let at_start = step == 0;
    let at_end = step >= last;
    let play_label = if state.playing {
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
                    aria-pressed={if state.playing { "true" } else { "false" }}>
                    { if state.playing { icon!("M4 3h3v10H4zM9 3h3v10H9z") } else { icon!("M4 3v10l9-5z") } }
                </button>
                <button type="button" onclick={go(Go::Next)} disabled={at_end} aria-label="Next step (→)" title="Next step (→)">{ icon!("M4 3v10l7-5z") }</button>
                <button type="button" onclick={go(Go::Last)} disabled={at_end} aria-label="Last step (End)" title="Last step (End)">{ icon!("M3 3v10l6-5zM10 3h2v10h-2z") }</button>
                <div class="speeds" role="group" aria-label="Playback speed">
                    { for SPEEDS.iter().map(|&s| {
                        let pressed = s == state.speed;
                        let state = state.clone();
                        let onclick = Callback::from(move |_: MouseEvent| state.dispatch(Action::SetSpeed(s)));
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
            <p class="sentence" aria-live={if state.playing { "off" } else { "polite" }}>
                { sentence_markup(&sentence) }
            </p>
        </section>
    }
}
