//! Markup written by `markup.rs` (escaped text and tags of its own), placed on the page through the
//! one Trusted Types policy (`trusted.js`): the container is Yew's, its children are the markup's.
//! Yew's own raw nodes set `innerHTML` from a string, which the page's Content-Security-Policy
//! (`require-trusted-types-for 'script'`) refuses.
//!
//! The container is `<div class="raw">` (`display: contents` in style.css, so it does not change the
//! layout) or, inside an `<svg>`, `<g class="raw">`. Its children are replaced only when the markup
//! changes: Yew compares the props as one string, as it compared its raw nodes.

use wasm_bindgen::prelude::*;
use yew::prelude::*;

#[wasm_bindgen(module = "/src/trusted.js")]
extern "C" {
    #[wasm_bindgen(js_name = placeMarkup)]
    fn place_markup(element: &web_sys::Element, markup: &str);
}

#[derive(Properties, PartialEq)]
pub struct RawProps {
    pub markup: AttrValue,
    /// Placed inside an `<svg>` (a `<g>` container, SVG children).
    #[prop_or_default]
    pub svg: bool,
}

#[component]
pub fn Raw(props: &RawProps) -> Html {
    let container = use_node_ref();
    {
        let container = container.clone();
        use_effect_with(props.markup.clone(), move |markup| {
            if let Some(el) = container.cast::<web_sys::Element>() {
                place_markup(&el, markup);
            }
        });
    }
    if props.svg {
        html! { <g class="raw" ref={container} /> }
    } else {
        html! { <div class="raw" ref={container} /> }
    }
}
