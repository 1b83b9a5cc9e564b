//! The problems list: every diagnostic as `line:col severity path: message`, each a button that puts the
//! editor's caret on its line.

use crate::by_id::ById;
use crate::markup::{data_attr, Markup};
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
    // One listener for the whole list: each button says where it points in `data-at`.
    let onclick = {
        let on_jump = props.on_jump.clone();
        Callback::from(move |e: MouseEvent| {
            let at = data_attr(e.target(), "data-at");
            let at = at.as_deref().and_then(|at| at.split_once(':'));
            if let Some((Ok(line), Ok(column))) = at.map(|(l, c)| (l.parse(), c.parse())) {
                on_jump.emit((line, column));
            }
        })
    };
    let mut list = Markup::new();
    for d in diagnostics {
        problem(&mut list, d);
    }
    html! {
        <section class="problems" aria-labelledby="problems-title">
            <h2 id="problems-title" class="pane-title">{ "Problems" }</h2>
            <p class="summary" role="status">{ summary }</p>
            <ul class="problem-list" {onclick}>{ list.into_html() }</ul>
        </section>
    }
}

fn problem(m: &mut Markup, d: &Diagnostic) {
    let severity = d.severity.to_string();
    let at = format!("{}:{}", d.line, d.column);
    m.open("li", &[("class", &format!("problem {severity}"))]);
    m.open(
        "button",
        &[
            ("type", "button"),
            ("title", "Show in the manifest"),
            ("data-at", &at),
        ],
    );
    m.leaf("span", &[("class", "loc")], &at).text(" ");
    m.leaf("span", &[("class", "severity")], &severity)
        .text(" ");
    if !d.path.is_empty() {
        m.leaf("span", &[("class", "path")], &d.path).text(": ");
    }
    m.leaf("span", &[("class", "message")], &d.message);
    m.close("button");
    if let Some(hint) = &d.hint {
        m.leaf("p", &[("class", "hint")], hint);
    }
    m.close("li");
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
