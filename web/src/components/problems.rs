//! The problems list: every diagnostic as `line:col severity path: message`, each a button that puts the
//! editor's caret on its line; then the lint's findings (what running the pod shows will go wrong),
//! each with its rule and, where it has one, buttons to preview and apply its fix, which can be undone.

use super::FixPreview;
use crate::by_id::ById;
use crate::state::{Lint, Preview, Run};
use lifecycle::hidden::reveal;
use lifecycle::lint::Finding;
use lifecycle::{Checked, Diagnostic, Severity};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ProblemsProps {
    pub checked: ById<Checked>,
    /// The lint of `checked`, once it has run.
    pub lint: Option<ById<Lint>>,
    pub preview: Option<ById<Preview>>,
    /// The title of the fix just applied, while it can be undone.
    pub undo_fix: Option<AttrValue>,
    /// The run on screen, shown beside a previewed fix.
    pub run: Option<ById<Run>>,
    pub readonly: bool,
    /// A problem was clicked: its line and column.
    pub on_jump: Callback<(u32, u32)>,
    pub on_preview: Callback<Option<usize>>,
    pub on_fix: Callback<usize>,
    pub on_undo: Callback<()>,
}

#[component]
pub fn Problems(props: &ProblemsProps) -> Html {
    let diagnostics = &props.checked.diagnostics;
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let findings: &[Finding] = props.lint.as_ref().map_or(&[], |l| &l.findings);
    let lintable = props.checked.workloads.iter().any(|w| w.errors == 0);
    let summary = match (diagnostics.len(), errors) {
        (0, _) => "No problems".to_string(),
        (n, e) => format!("{n} problem{}, {e} error{}", plural(n), plural(e)),
    };
    let lint_summary = match &props.lint {
        None if lintable => "Running the pods for the lints…".to_string(),
        None => String::new(),
        Some(_) if findings.is_empty() => "The lints find nothing.".to_string(),
        Some(_) => format!(
            "{} finding{} from running the pod{}",
            findings.len(),
            plural(findings.len()),
            if props.checked.workloads.len() == 1 {
                ""
            } else {
                "s"
            }
        ),
    };
    let undo = props.undo_fix.as_ref().map(|title| {
        let onclick = props.on_undo.reform(|_: MouseEvent| ());
        html! {
            <p class="fix-applied" role="status">
                { format!("Applied: {title}. ") }
                <button type="button" class="undo-fix" {onclick}>{ "Undo" }</button>
            </p>
        }
    });
    html! {
        <section class="problems" aria-labelledby="problems-title">
            <h2 id="problems-title" class="pane-title">{ "Problems" }</h2>
            <p class="summary" role="status">{ summary }</p>
            <ul class="problem-list">
                { for diagnostics.iter().map(|d| problem(d, &props.on_jump)) }
            </ul>
            { for undo }
            if !lint_summary.is_empty() {
                <p class="lint-summary" role="status">{ lint_summary }</p>
            }
            <ul class="problem-list findings">
                { for findings.iter().enumerate().map(|(i, f)| finding(i, f, props)) }
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
                    <span class="path">{ reveal(&d.path).into_owned() }</span>{ ": " }
                }
                <span class="message">{ reveal(&d.message).into_owned() }</span>
            </button>
            if let Some(hint) = &d.hint {
                <p class="hint">{ reveal(hint).into_owned() }</p>
            }
        </li>
    }
}

/// One finding: where it is, its rule (linked to the docs), and its fix's buttons.
fn finding(i: usize, f: &Finding, props: &ProblemsProps) -> Html {
    let rule = f.rule.rule();
    let (line, column) = (f.pos.line, f.pos.column);
    let onclick = props.on_jump.reform(move |_: MouseEvent| (line, column));
    let severity = match rule.severity {
        Severity::Info => "note".to_string(),
        s => s.to_string(),
    };
    let previewing = props.preview.as_ref().filter(|p| p.finding == i);
    let buttons = f.fix.as_ref().filter(|_| !props.readonly).map(|fix| {
        let preview = if previewing.is_some() {
            props.on_preview.reform(|_: MouseEvent| None)
        } else {
            props.on_preview.reform(move |_: MouseEvent| Some(i))
        };
        let apply = props.on_fix.reform(move |_: MouseEvent| i);
        html! {
            <p class="fix-row">
                <span class="fix-title">{ format!("Fix: {}", reveal(&fix.title)) }</span>{ " " }
                <button type="button" class="preview-fix" aria-expanded={previewing.is_some().to_string()} onclick={preview}>
                    { if previewing.is_some() { "Hide preview" } else { "Preview" } }
                </button>{ " " }
                <button type="button" class="apply-fix" onclick={apply}>{ "Fix" }</button>
            </p>
        }
    });
    let preview = previewing.map(|p| {
        html! {
            <FixPreview finding={f.clone()} preview={p.clone()} now={props.run.clone()}
                on_apply={props.on_fix.clone()} on_close={props.on_preview.reform(|()| None)} />
        }
    });
    html! {
        <li class={format!("problem finding {severity}")}>
            <button type="button" title="Show in the manifest" {onclick}>
                <span class="loc">{ format!("{line}:{column}") }</span>{ " " }
                <span class="severity">{ severity }</span>{ " " }
                <span class="rule">{ format!("{} {}", rule.code, rule.name) }</span>{ ": " }
                <span class="message">{ reveal(&f.message).into_owned() }</span>
            </button>
            <p class="hint"><a href={rule.help} target="_blank" rel="noopener noreferrer">{ "Why" }</a></p>
            { for buttons }
            { for preview }
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
