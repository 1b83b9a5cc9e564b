//! The gallery picker: opening an example replaces the scenario, and adds a history entry so that Back
//! returns to what was there before (nothing typed is lost).

use super::StateHandle;
use crate::gallery::{Example, EXAMPLES};
use crate::session;
use crate::state::Action;
use share::Shared;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// An example as a share link carries it.
pub fn example_shared(example: &Example) -> Shared {
    Shared {
        manifest: example.manifest.to_string(),
        actions: example
            .actions
            .iter()
            .map(|(at, text)| (*at, text.to_string()))
            .collect(),
        ..Shared::default()
    }
}

/// A view function rather than a component: it has no state of its own, and each component costs
/// about 1.5 KB of wasm in Yew's machinery.
pub fn gallery(state: &StateHandle) -> Html {
    let onchange = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let id = select.value();
            let Some(example) = EXAMPLES.iter().find(|x| x.id == id) else {
                return;
            };
            let shared = example_shared(example);
            if state.page.persist {
                // The entry being left keeps what was on screen, and a new one holds the example.
                let (current, next) = (state.to_shared(), shared.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    session::replace_fragment(&session::encode_link(&current).await);
                    session::push_fragment(&session::encode_link(&next).await);
                });
            }
            state.dispatch(Action::Load {
                shared,
                example: Some(id),
                notice: None,
            });
        })
    };
    let current = state.example.as_deref().unwrap_or("");
    html! {
        <label class="gallery">
            <span class="sr-only">{ "Example" }</span>
            <select {onchange} aria-label="Open an example">
                <option value="" selected={current.is_empty()}>{ "Examples…" }</option>
                { for EXAMPLES.iter().map(|x| html! {
                    <option value={x.id} selected={x.id == current}>{ x.title }</option>
                }) }
            </select>
        </label>
    }
}
