//! The manifest editor: a plain textarea whose every input re-runs the engine, and whose caret moves
//! when a problem is clicked.

use super::StateHandle;
use crate::state::Action;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[component]
pub fn Editor() -> Html {
    let state = use_context::<StateHandle>().expect("Editor is rendered inside App's context");
    let textarea = use_node_ref();

    let oninput = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            state.dispatch(Action::Edit(area.value()));
        })
    };

    // Moving the caret is a side effect of a jump request, so it happens here and not in the reducer.
    {
        let textarea = textarea.clone();
        use_effect_with(state.jump, move |jump| {
            if let (Some(jump), Some(area)) = (jump, textarea.cast::<HtmlTextAreaElement>()) {
                // Blur first: Chromium scrolls a textarea to its caret when it regains focus.
                let _ = area.blur();
                let _ = area.set_selection_range(jump.offset_utf16, jump.offset_utf16);
                let _ = area.focus();
            }
        });
    }

    html! {
        <section class="editor">
            <label for="manifest" class="pane-title">{ "Manifest" }</label>
            <textarea
                id="manifest"
                ref={textarea}
                spellcheck="false"
                autocomplete="off"
                autocapitalize="off"
                wrap="off"
                value={state.source.to_string()}
                {oninput}
            />
        </section>
    }
}
