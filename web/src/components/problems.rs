//! The problems list: every diagnostic as `line:col severity path: message`, each a button that puts the
//! editor's caret on its line.

use crate::by_id::ById;
use lifecycle::{Checked, Diagnostic, Severity};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ProblemsProps {
    pub checked: ById<Checked>,
    /// A problem was clicked: its line and column.
    pub on_jump: Callback<(u32, u32)>,
}

#[component]
pub fn Problems(props: &ProblemsProps) -> Html {
    let diagnostics = &props.checked.diagnostics;
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
                { for diagnostics.iter().map(|d| problem(d, &props.on_jump)) }
            </ul>
        </section>
    }
}

/// One diagnostic: a button that puts the caret on it, and its hint.
fn problem(d: &Diagnostic, on_jump: &Callback<(u32, u32)>) -> Html {
    let (line, column) = (d.line, d.column);
    let onclick = on_jump.reform(move |_: MouseEvent| (line, column));
    let severity = d.severity.to_string();
    html! {
        <li class={format!("problem {severity}")}>
            <button type="button" title="Show in the manifest" {onclick}>
                <span class="loc">{ format!("{line}:{column}") }</span>{ " " }
                <span class="severity">{ severity }</span>{ " " }
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
