//! The problems list: every diagnostic as `line:col severity path: message`, each a button that puts the
//! editor's caret on its line.

use super::StateHandle;
use crate::state::Action;
use lifecycle::{Diagnostic, Severity};
use yew::prelude::*;

#[component]
pub fn Problems() -> Html {
    let state = use_context::<StateHandle>().expect("Problems is rendered inside App's context");
    let diagnostics = &state.checked.diagnostics;
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let summary = match (diagnostics.len(), errors) {
        (0, _) => "No problems".to_string(),
        (n, e) => format!("{n} problem{}, {e} error{}", plural(n), plural(e)),
    };
    html! {
        <section class="problems" aria-labelledby="problems-title">
            <h2 id="problems-title" class="pane-title">{ "Problems" }</h2>
            <p class="summary" role="status">{ summary }</p>
            <ul class="problem-list">
                { for diagnostics.iter().map(|d| problem(&state, d)) }
            </ul>
        </section>
    }
}

fn problem(state: &StateHandle, d: &Diagnostic) -> Html {
    let onclick = {
        let state = state.clone();
        let (line, column) = (d.line, d.column);
        Callback::from(move |_: MouseEvent| state.dispatch(Action::JumpTo { line, column }))
    };
    let severity = d.severity.to_string();
    html! {
        <li class={classes!("problem", severity.clone())}>
            <button type="button" {onclick} title="Show in the manifest">
                <span class="loc">{ format!("{}:{}", d.line, d.column) }</span>
                { " " }
                <span class="severity">{ severity }</span>
                { " " }
                if !d.path.is_empty() {
                    <span class="path">{ &d.path }</span>{ ": " }
                }
                <span class="message">{ &d.message }</span>
            </button>
            if let Some(hint) = &d.hint {
                <p class="hint">{ hint }</p>
            }
        </li>
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
