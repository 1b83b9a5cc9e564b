//! The keyboard, for the whole page: ← → Home End step and space plays (not while typing in a field),
//! and Ctrl/Cmd+S copies the share link instead of saving the page.

use crate::state::{Action, Go, State};
use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Listens to `keydown` on the document for the page's lifetime and dispatches what a key asks for.
#[hook]
pub fn use_global_keys(dispatcher: UseReducerDispatcher<State>) {
    use_effect_with((), move |_| {
        let keys = gloo::utils::window().document().map(|document| {
            EventListener::new_with_options(
                &document,
                "keydown",
                EventListenerOptions::enable_prevent_default(),
                move |e| {
                    let Some(e) = e.dyn_ref::<KeyboardEvent>() else {
                        return;
                    };
                    if let Some(action) = key_action(e) {
                        e.prevent_default();
                        dispatcher.dispatch(action);
                    }
                },
            )
        });
        move || drop(keys)
    });
}

/// What a key press asks for, if anything: stepping keys are ignored while typing in a field, and space
/// on a button is left to the button.
fn key_action(e: &KeyboardEvent) -> Option<Action> {
    let key = e.key();
    if (e.ctrl_key() || e.meta_key()) && !e.alt_key() && key.eq_ignore_ascii_case("s") {
        return Some(Action::RequestCopy);
    }
    if e.ctrl_key() || e.meta_key() || e.alt_key() || e.default_prevented() {
        return None;
    }
    // The element the key went to, inside a shadow root too (the code editor's): `target` would be
    // the shadow host.
    let target = e
        .composed_path()
        .get(0)
        .dyn_into::<web_sys::Element>()
        .ok()
        .or_else(|| {
            e.target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        });
    let tag = target
        .as_ref()
        .map(|t| t.tag_name().to_ascii_lowercase())
        .unwrap_or_default();
    if matches!(tag.as_str(), "textarea" | "input" | "select")
        || target
            .as_ref()
            .is_some_and(|t| t.has_attribute("contenteditable"))
    {
        return None;
    }
    match key.as_str() {
        "ArrowLeft" => Some(Action::Go(Go::Prev)),
        "ArrowRight" => Some(Action::Go(Go::Next)),
        "Home" => Some(Action::Go(Go::First)),
        "End" => Some(Action::Go(Go::Last)),
        " " if !matches!(tag.as_str(), "button" | "a" | "summary") => Some(Action::TogglePlay),
        _ => None,
    }
}
