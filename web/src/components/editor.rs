//! The manifest editor: a transparent textarea over a highlighted copy of its text, with line numbers
//! and diagnostics in the gutter (hover for the message) and underlined in the text.
//!
//! The textarea is the only input and always holds exactly what was typed; the highlighted `<pre>`
//! under it is drawn from the state and sets the size of both, so the outer box scrolls them together.
//! Every input re-runs the engine through the reducer.

use crate::by_id::ById;
use crate::highlight::{self, Carry, Span};
use crate::markup::Markup;
use crate::state::Jump;
use lifecycle::{Checked, Severity};
use std::ops::Range;
use std::rc::Rc;
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

/// The editor's line height in CSS pixels (`.code` in style.css uses the same).
pub const LINE_PX: f64 = 22.0;
/// Padding above the first line, in CSS pixels (style.css too).
const PAD_TOP_PX: f64 = 8.0;

/// One diagnostic as the editor draws it on a line.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub range: Range<usize>,
    pub severity: Severity,
}

fn severity_class(s: Severity) -> &'static str {
    match s {
        Severity::Error => "sq-error",
        Severity::Warning => "sq-warning",
        _ => "sq-info",
    }
}

/// One highlighted line and its newline, as markup: spans cut where underlines start and end. Yew
/// compares each line's text and redraws only the lines that changed.
fn code_line(text: &str, spans: &[Span], marks: &[Mark]) -> Html {
    let mut cuts: Vec<usize> = marks
        .iter()
        .flat_map(|m| [m.range.start, m.range.end])
        .collect();
    cuts.sort_unstable();
    let mut m = Markup::new();
    for span in spans {
        let mut start = span.range.start;
        let inner = cuts
            .iter()
            .copied()
            .filter(|&c| c > span.range.start && c < span.range.end);
        for end in inner.chain(std::iter::once(span.range.end)) {
            if end > start && text.is_char_boundary(start) && text.is_char_boundary(end) {
                let mark = marks
                    .iter()
                    .filter(|m| m.range.start <= start && end <= m.range.end)
                    .map(|m| m.severity)
                    .min();
                let class = match (span.tok.class(), mark.map(severity_class)) {
                    ("", None) => String::new(),
                    (tok, None) => tok.to_string(),
                    ("", Some(sq)) => sq.to_string(),
                    (tok, Some(sq)) => format!("{tok} {sq}"),
                };
                let piece = &text[start..end];
                // A hidden character is drawn as a mark of no width instead of itself: a bidi
                // control then no longer reorders what is shown, which reads as the text runs.
                for (i, part) in piece
                    .split(|c| lifecycle::hidden::name(c).is_some())
                    .enumerate()
                {
                    if i > 0 {
                        m.leaf("span", &[("class", "hidden-char")], "");
                    }
                    if part.is_empty() {
                        continue;
                    }
                    if class.is_empty() {
                        m.text(part);
                    } else {
                        m.leaf("span", &[("class", &class)], part);
                    }
                }
            }
            start = end;
        }
    }
    m.text("\n");
    m.into_html()
}

/// A line's worst severity, and every message on it (one per line of text), for the gutter.
type GutterMark = (Severity, String);

/// Line numbers, with the worst severity of each line's diagnostics and their messages on hover.
fn gutter(lines: usize, marks: &[Option<GutterMark>]) -> Html {
    let mut m = Markup::new();
    m.open("div", &[("class", "gutter"), ("aria-hidden", "true")]);
    for n in 1..=lines {
        let number = n.to_string();
        match marks.get(n - 1).and_then(Option::as_ref) {
            Some((severity, message)) => {
                let class = format!("ln marked {severity}");
                m.leaf("div", &[("class", &class), ("title", message)], &number)
            }
            None => m.leaf("div", &[("class", "ln")], &number),
        };
    }
    m.close("div");
    m.into_html()
}

/// Sets or removes an element's `title`, touching the DOM only when it changes.
fn set_title(el: &HtmlElement, title: Option<&str>) {
    match title {
        Some(t) if el.title() != t => el.set_title(t),
        None if el.has_attribute("title") => {
            let _ = el.remove_attribute("title");
        }
        _ => {}
    }
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// The text, exactly as typed.
    pub source: ById<str>,
    /// What `lifecycle::check` says about `source`.
    pub checked: ById<Checked>,
    /// The last request to put the caret somewhere.
    pub jump: Option<Jump>,
    pub readonly: bool,
    /// The text after an input.
    pub on_edit: Callback<String>,
}

#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let textarea = use_node_ref();
    let scroller = use_node_ref();
    let readonly = props.readonly;
    // Past the line limit the text is not put in the page unless the person asks for it.
    let edit_anyway = use_state(|| false);

    let oninput = props.on_edit.reform(|e: InputEvent| {
        let area: HtmlTextAreaElement = e.target_unchecked_into();
        area.value()
    });

    // Moving the caret is a side effect of a jump request, so it happens here and not in the reducer.
    {
        let textarea = textarea.clone();
        let scroller = scroller.clone();
        use_effect_with(props.jump, move |jump| {
            if let (Some(jump), Some(area)) = (jump, textarea.cast::<HtmlTextAreaElement>()) {
                // Blur first: Chromium scrolls a textarea to its caret when it regains focus.
                let _ = area.blur();
                let _ = area.set_selection_range(jump.offset_utf16, jump.offset_utf16);
                let _ = area.focus();
                if let Some(s) = scroller.cast::<HtmlElement>() {
                    let y = (jump.line.saturating_sub(3)) as f64 * LINE_PX;
                    s.set_scroll_top(y as i32);
                }
            }
        });
    }
    // The textarea is sized by the text under it and never scrolls itself.
    {
        let textarea = textarea.clone();
        use_effect_with(props.source.clone(), move |_| {
            if let Some(area) = textarea.cast::<HtmlElement>() {
                area.set_scroll_top(0);
                area.set_scroll_left(0);
            }
        });
    }

    // Lines, their highlighting and their diagnostics.
    let source: &str = &props.source;
    let line_count = source.bytes().filter(|b| *b == b'\n').count() + 1;
    let limit = lifecycle::limits::MAX_INPUT_LINES;
    if line_count > limit {
        // Past the line limit no line gets DOM of its own, not even in a textarea (a browser lays out
        // half a million lines for seconds): the text is kept as it is, its start shown, and put in a
        // plain textarea only on request. The problems list says why nothing is checked.
        let note = format!("{line_count} lines: over {limit}, so not highlighted");
        if *edit_anyway {
            return html! {
                <section class="editor" aria-labelledby="manifest-label">
                    <div class="pane-head">
                        <label id="manifest-label" for="manifest" class="pane-title">{ "Manifest" }</label>
                        <span class="pane-note">{ note }</span>
                    </div>
                    <textarea id="manifest" class="code-input plain" ref={textarea} spellcheck="false"
                        autocomplete="off" autocapitalize="off" wrap="off" readonly={readonly}
                        aria-describedby="problems-title" aria-invalid="true"
                        value={props.source.to_string()} {oninput} />
                </section>
            };
        }
        let start: String = source.split('\n').take(200).collect::<Vec<_>>().join("\n");
        let onclick = {
            let edit_anyway = edit_anyway.clone();
            Callback::from(move |_: MouseEvent| edit_anyway.set(true))
        };
        return html! {
            <section class="editor" aria-labelledby="manifest-label">
                <div class="pane-head">
                    <span id="manifest-label" class="pane-title">{ "Manifest" }</span>
                    <span class="pane-note">{ note }</span>
                </div>
                <p class="too-long" role="status">
                    { format!("This text has {line_count} lines, more than Podstep reads ({limit}), so it is not checked and not drawn line by line. It is kept as it is, in the autosave and, while it fits in one, the link. Its first lines:") }
                </p>
                <pre class="hl too-long-start">{ start }</pre>
                if !readonly {
                    <button type="button" class="edit-anyway" {onclick}>{ "Edit it anyway (slow)" }</button>
                }
            </section>
        };
    }
    let lines: Vec<&str> = source.split('\n').collect();
    // Per line (index 0 is line 1).
    let diagnostics = &props.checked.diagnostics;
    let last_line = diagnostics
        .iter()
        .map(|d| d.line as usize)
        .max()
        .unwrap_or(0);
    let mut by_line: Vec<Vec<&lifecycle::Diagnostic>> =
        vec![Vec::new(); lines.len().max(last_line)];
    for d in diagnostics {
        by_line[(d.line as usize).max(1) - 1].push(d);
    }
    let gutter_marks: Rc<Vec<Option<GutterMark>>> = Rc::new(
        by_line
            .iter()
            .map(|ds| {
                let worst = ds.iter().map(|d| d.severity).min()?;
                let message = ds
                    .iter()
                    .map(|d| {
                        if d.path.is_empty() {
                            format!("{}: {}", d.severity, d.message)
                        } else {
                            format!("{}: {}: {}", d.severity, d.path, d.message)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                Some((worst, message))
            })
            .collect(),
    );
    let mut carry = Carry::default();
    let code_lines: Vec<Html> = lines
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let text = text.strip_suffix('\r').unwrap_or(text);
            let (spans, next) = highlight::line(text, carry);
            carry = next;
            let marks: Vec<Mark> = by_line
                .get(i)
                .map(|ds| {
                    ds.iter()
                        .filter_map(|d| {
                            highlight::underline(text, d.column).map(|range| Mark {
                                range,
                                severity: d.severity,
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            code_line(text, &spans, &marks)
        })
        .collect();

    // The textarea's tooltip is the message of the line under the pointer. It is set on the element
    // itself: hovering changes nothing else, and a state would redraw the whole editor.
    let onmousemove = {
        let marks = gutter_marks.clone();
        Callback::from(move |e: MouseEvent| {
            let line = ((e.offset_y() as f64 - PAD_TOP_PX) / LINE_PX).floor() as i64 + 1;
            let title = usize::try_from(line - 1)
                .ok()
                .and_then(|i| marks.get(i)?.as_ref())
                .map(|(_, m)| m.as_str());
            set_title(&e.target_unchecked_into(), title);
        })
    };
    let onmouseleave = Callback::from(|e: MouseEvent| set_title(&e.target_unchecked_into(), None));

    let errors = props.checked.has_errors();
    html! {
        <section class="editor" aria-labelledby="manifest-label">
            <div class="pane-head">
                <label id="manifest-label" for="manifest" class="pane-title">{ "Manifest" }</label>
                <span class="pane-note">
                    { format!("{} line{}", lines.len(), if lines.len() == 1 { "" } else { "s" }) }
                    if readonly { { " · read-only" } }
                </span>
            </div>
            <div class="code" ref={scroller}>
                { gutter(lines.len(), &gutter_marks) }
                <div class="code-stack">
                    <pre class="hl" aria-hidden="true">{ for code_lines }</pre>
                    <textarea
                        id="manifest"
                        class="code-input"
                        ref={textarea}
                        spellcheck="false"
                        autocomplete="off"
                        autocapitalize="off"
                        wrap="off"
                        readonly={readonly}
                        aria-describedby="problems-title"
                        aria-invalid={if errors { "true" } else { "false" }}
                        value={props.source.to_string()}
                        {oninput}
                        {onmousemove}
                        {onmouseleave}
                    />
                </div>
            </div>
        </section>
    }
}
