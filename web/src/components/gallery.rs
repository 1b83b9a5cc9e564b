//! The gallery picker: choosing an example opens it (`App` replaces the scenario and adds a history
//! entry, so that Back returns to what was there before and nothing typed is lost).

use crate::gallery::{Example, EXAMPLES};
use share::Shared;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// An example as a share link carries it.
pub fn example_shared(example: &Example) -> Shared {
    Shared {
        manifest: example.manifest.to_string(),
        actions: example
            .actions()
            .into_iter()
            .map(|(at, text)| (at, text.to_string()))
            .collect(),
        ..Shared::default()
    }
}

#[derive(Properties, PartialEq)]
pub struct GalleryProps {
    /// The id of the example on screen, if one is.
    pub current: Option<AttrValue>,
    pub on_open: Callback<&'static Example>,
}

#[component]
pub fn Gallery(props: &GalleryProps) -> Html {
    let onchange = super::emit_some(&props.on_open, |e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        let id = select.value();
        EXAMPLES.iter().find(|x| x.id == id)
    });
    let current = props.current.as_deref().unwrap_or("");
    // Once a person has picked an option, the browser's select no longer follows the options'
    // `selected` attributes: its value is set to the example on screen whenever that changes (Back,
    // Forward, an edit that leaves the example).
    let select = use_node_ref();
    {
        let select = select.clone();
        use_effect_with(current.to_string(), move |current| {
            if let Some(s) = select.cast::<HtmlSelectElement>() {
                if s.value() != *current {
                    s.set_value(current);
                }
            }
        });
    }
    html! {
        <label class="gallery">
            <span class="sr-only">{ "Example" }</span>
            <select ref={select} {onchange} aria-label="Open an example">
                <option value="" selected={current.is_empty()}>{ "Examples…" }</option>
                { for EXAMPLES.iter().map(|x| html! {
                    <option value={x.id} selected={x.id == current}>{ x.title() }</option>
                }) }
            </select>
        </label>
    }
}
