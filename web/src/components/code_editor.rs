//! The manifest editor as people know code editors: CodeMirror (`web/editor/`), loaded after the first
//! timeline is on screen. Until it has loaded (or if it cannot be), the page's own editor
//! ([`super::Editor`]: a textarea over highlighted text) is shown and fully usable; then CodeMirror
//! takes its place with the same text.
//!
//! CodeMirror holds the text while it is shown: each change comes back as `on_edit`, and a text that
//! changes from outside (an example, a fix, undo of a fix) is handed to it. What it knows of
//! Kubernetes comes from here: completion and hover from `lifecycle::schema`, the check's diagnostics
//! and the lints' findings as its diagnostics, their fixes as quick fixes (`on_fix`).
//!
//! A text past the line limit keeps the page's own editor (which says why nothing is checked).

use super::Editor;
use crate::by_id::ById;
use crate::offsets::{byte_of_utf16, utf16_of_byte, Lines};
use crate::state::{Jump, Lint};
use gloo::timers::callback::Timeout;
use js_sys::{Array, Object, Reflect};
use lifecycle::{Checked, Severity};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

#[wasm_bindgen(module = "/src/editor_bridge.js")]
extern "C" {
    /// The handle `web/editor/main.js` returns from `mount`.
    pub type CodeMirror;
    #[wasm_bindgen(js_name = mountEditor)]
    fn mount_editor(
        url: &str,
        parent: &web_sys::Element,
        text: &str,
        read_only: bool,
        hooks: &JsValue,
    ) -> js_sys::Promise;
    #[wasm_bindgen(method, js_name = setText)]
    fn set_text(this: &CodeMirror, text: &str);
    #[wasm_bindgen(method, js_name = setReadOnly)]
    fn set_read_only(this: &CodeMirror, on: bool);
    #[wasm_bindgen(method, js_name = setDiagnostics)]
    fn set_diagnostics(this: &CodeMirror, list: &JsValue);
    #[wasm_bindgen(method)]
    fn jump(this: &CodeMirror, line: u32, column: u32);
    #[wasm_bindgen(method)]
    fn destroy(this: &CodeMirror);
}

/// How long after the page's first render the editor starts loading: the first timeline is drawn in
/// that render, so the download never competes with what the first timeline needs.
const LOAD_AFTER_MS: u32 = 50;

#[derive(Properties, PartialEq)]
pub struct CodeEditorProps {
    pub source: ById<str>,
    pub checked: ById<Checked>,
    /// The lint of `checked`, once it has run (its findings are diagnostics too).
    pub lint: Option<ById<Lint>>,
    pub jump: Option<Jump>,
    pub readonly: bool,
    /// Keep the page's own editor, and load no CodeMirror (`?editor=plain`).
    pub plain: bool,
    pub on_edit: Callback<String>,
    /// A finding's fix, chosen from the editor's quick fixes.
    pub on_fix: Callback<usize>,
}

/// The callbacks CodeMirror calls, kept alive as long as the editor.
struct Hooks {
    object: JsValue,
    _closures: Vec<Box<dyn std::any::Any>>,
}

#[component]
pub fn CodeEditor(props: &CodeEditorProps) -> Html {
    let host = use_node_ref();
    let editor = use_mut_ref(|| None::<(CodeMirror, Hooks)>);
    let ready = use_state_eq(|| false);
    // The texts CodeMirror has reported and the reducer has not yet given back as `source`: a text
    // that comes back is not handed to it again. Several can be in flight (each keystroke reports
    // one, and the reducer renders later), so an older one coming back must not undo newer typing.
    let reported = use_mut_ref(VecDeque::<String>::new);
    let on_edit = use_mut_ref(|| props.on_edit.clone());
    *on_edit.borrow_mut() = props.on_edit.clone();
    let on_fix = use_mut_ref(|| props.on_fix.clone());
    *on_fix.borrow_mut() = props.on_fix.clone();

    let line_count = props.source.bytes().filter(|b| *b == b'\n').count() + 1;
    let too_long = line_count > lifecycle::limits::MAX_INPUT_LINES;

    {
        let (host, editor, ready, reported) = (
            host.clone(),
            editor.clone(),
            ready.clone(),
            reported.clone(),
        );
        let (source, readonly, plain) = (props.source.clone(), props.readonly, props.plain);
        use_effect_with((), move |_| {
            let mounted = editor.clone();
            let timer = (!plain).then(|| {
                Timeout::new(LOAD_AFTER_MS, move || {
                    let Some(parent) = host.cast::<web_sys::Element>() else {
                        return;
                    };
                    let hooks = make_hooks(on_edit, on_fix, reported.clone());
                    let url = editor_url();
                    let promise = mount_editor(&url, &parent, &source, readonly, &hooks.object);
                    wasm_bindgen_futures::spawn_local(async move {
                        match wasm_bindgen_futures::JsFuture::from(promise).await {
                        Ok(handle) => {
                            *mounted.borrow_mut() = Some((handle.unchecked_into(), hooks));
                            ready.set(true);
                            crate::session::mark("podstep:editor-ready");
                        }
                        // The page's own editor stays: it is a whole editor, only a plainer one.
                        Err(e) => web_sys::console::warn_2(
                            &"Podstep: the code editor could not be loaded; the plain editor stays."
                                .into(),
                            &e,
                        ),
                    }
                    });
                })
            });
            move || {
                drop(timer);
                if let Some((cm, _)) = editor.borrow_mut().take() {
                    cm.destroy();
                }
            }
        });
    }
    // A text from outside: handed to CodeMirror (a change it reported itself is already there).
    {
        let (editor, reported) = (editor.clone(), reported.clone());
        use_effect_with((props.source.clone(), *ready), move |(source, _)| {
            if let Some((cm, _)) = editor.borrow().as_ref() {
                let mut pending = reported.borrow_mut();
                match pending.iter().position(|t| **t == **source) {
                    // Its own change, come back (and any older ones it replaced).
                    Some(i) => drop(pending.drain(..=i)),
                    None => {
                        pending.clear();
                        cm.set_text(source);
                    }
                }
            }
        });
    }
    {
        let editor = editor.clone();
        use_effect_with((props.readonly, *ready), move |(readonly, _)| {
            if let Some((cm, _)) = editor.borrow().as_ref() {
                cm.set_read_only(*readonly);
            }
        });
    }
    {
        let editor = editor.clone();
        let deps = (
            props.source.clone(),
            props.checked.clone(),
            props.lint.clone(),
            *ready,
        );
        use_effect_with(deps, move |(source, checked, lint, _)| {
            if let Some((cm, _)) = editor.borrow().as_ref() {
                // A lint counts only for the check it was made for (the reducer's rule too).
                let lint = lint
                    .as_ref()
                    .filter(|l| std::ptr::eq(&*l.checked, &**checked));
                cm.set_diagnostics(&diagnostics(source, checked, lint.map(|l| &**l)));
            }
        });
    }
    {
        let editor = editor.clone();
        use_effect_with((props.jump, *ready), move |(jump, _)| {
            if let (Some(jump), Some((cm, _))) = (jump, editor.borrow().as_ref()) {
                cm.jump(jump.line, jump.column);
            }
        });
    }

    let show_plain = !*ready || too_long;
    let lines = line_count;
    // Pasted `kubectl get -o yaml` output: offered cleaned of what only the API server writes.
    let strip = (!props.readonly && lifecycle::server_fields::present(&props.source)).then(|| {
        let (source, on_edit) = (props.source.clone(), props.on_edit.clone());
        let onclick = Callback::from(move |_: MouseEvent| {
            if let Some(clean) = lifecycle::server_fields::strip(&source) {
                on_edit.emit(clean);
            }
        });
        html! {
            <p class="paste-note" role="status">
                { "This looks like kubectl get -o yaml output: the API server ignores its status and server fields on create. " }
                <button type="button" class="strip-server-fields" {onclick}>{ "Strip status and server fields" }</button>
            </p>
        }
    });
    html! {
        <>
            { for strip }
            if show_plain {
                <Editor source={props.source.clone()} checked={props.checked.clone()} jump={props.jump}
                    readonly={props.readonly} on_edit={props.on_edit.clone()} />
            }
            <section class={classes!("code-editor", show_plain.then_some("waiting"))}
                aria-labelledby="code-editor-label">
                <div class="pane-head">
                    <span id="code-editor-label" class="pane-title">{ "Manifest" }</span>
                    <span class="pane-note">
                        { format!("{lines} line{}", if lines == 1 { "" } else { "s" }) }
                        if props.readonly { { " · read-only" } }
                        { " · Ctrl+Space completes, Ctrl+F finds" }
                    </span>
                </div>
                <div class="cm-host" ref={host} />
            </section>
        </>
    }
}

/// editor.js beside the page, named for this build's wasm file (which trunk names by content), so that
/// a new deployment is never paired with an old cached editor.
fn editor_url() -> String {
    let wasm = gloo::utils::document()
        .query_selector("meta[name=podstep-app]")
        .ok()
        .flatten()
        .and_then(|m| m.get_attribute("data-wasm"))
        .unwrap_or_default();
    let version = wasm
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .trim_end_matches(".wasm");
    // Resolved against the page's base URL as the browser resolves links (its fragment and query,
    // which hold share links, are not part of it).
    let base = gloo::utils::document()
        .base_uri()
        .ok()
        .flatten()
        .unwrap_or_default();
    let relative = format!("editor.js?v={version}");
    web_sys::Url::new_with_base(&relative, &base)
        .map(|u| u.href())
        .unwrap_or(relative)
}

fn set(object: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(object, &key.into(), &value.into());
}

/// Most texts kept while waiting for the reducer to give them back (a burst of typing is a few).
const MAX_IN_FLIGHT: usize = 32;

fn make_hooks(
    on_edit: Rc<RefCell<Callback<String>>>,
    on_fix: Rc<RefCell<Callback<usize>>>,
    reported: Rc<RefCell<VecDeque<String>>>,
) -> Hooks {
    let object = Object::new();
    let on_change = Closure::<dyn FnMut(String)>::new(move |text: String| {
        {
            let mut pending = reported.borrow_mut();
            if pending.len() == MAX_IN_FLIGHT {
                pending.pop_front();
            }
            pending.push_back(text.clone());
        }
        on_edit.borrow().emit(text);
    });
    let complete = Closure::<dyn FnMut(String, u32) -> JsValue>::new(|text: String, at: u32| {
        completions(&text, at)
    });
    let hover = Closure::<dyn FnMut(String, u32) -> JsValue>::new(|text: String, at: u32| {
        hover_at(&text, at)
    });
    let fix = Closure::<dyn FnMut(u32)>::new(move |i: u32| on_fix.borrow().emit(i as usize));
    set(&object, "onChange", on_change.as_ref().clone());
    set(&object, "complete", complete.as_ref().clone());
    set(&object, "hover", hover.as_ref().clone());
    set(&object, "onFix", fix.as_ref().clone());
    Hooks {
        object: object.into(),
        _closures: vec![
            Box::new(on_change),
            Box::new(complete),
            Box::new(hover),
            Box::new(fix),
        ],
    }
}

/// `lifecycle::schema::complete` at UTF-16 offset `at`, as CodeMirror's completion result.
fn completions(text: &str, at: u32) -> JsValue {
    let offset = byte_of_utf16(text, at);
    let Some((from, items)) = lifecycle::schema::complete(text, offset) else {
        return JsValue::NULL;
    };
    let options = Array::new();
    for c in items {
        let o = Object::new();
        set(&o, "label", c.label.as_str());
        set(&o, "detail", c.detail.as_str());
        set(&o, "info", c.info.as_str());
        set(&o, "apply", c.insert.as_str());
        set(
            &o,
            "type",
            match c.kind {
                lifecycle::schema::CompletionKind::Field => "property",
                lifecycle::schema::CompletionKind::Value => "enum",
                lifecycle::schema::CompletionKind::Container => "variable",
            },
        );
        options.push(&o);
    }
    let answer = Object::new();
    set(&answer, "from", utf16_of_byte(text, from));
    set(&answer, "options", options);
    answer.into()
}

/// `lifecycle::schema::hover` at UTF-16 offset `at`, as the editor's tooltip reads it.
fn hover_at(text: &str, at: u32) -> JsValue {
    let Some(h) = lifecycle::schema::hover(text, byte_of_utf16(text, at)) else {
        return JsValue::NULL;
    };
    let o = Object::new();
    set(&o, "from", utf16_of_byte(text, h.from));
    set(&o, "to", utf16_of_byte(text, h.to));
    set(&o, "path", h.path.as_str());
    set(&o, "sentence", h.sentence.as_str());
    if let Some(d) = &h.default {
        set(&o, "default", d.as_str());
    }
    set(&o, "url", h.url.as_str());
    o.into()
}

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        _ => "info",
    }
}

/// The check's diagnostics and the lint's findings as CodeMirror diagnostics (UTF-16 ranges; each
/// fix a quick fix naming the finding).
fn diagnostics(source: &str, checked: &Checked, lint: Option<&Lint>) -> JsValue {
    let lines = Lines::new(source);
    let list = Array::new();
    let add = |line: u32,
               column: u32,
               severity: Severity,
               message: String,
               source_name: &str,
               fix: Option<(String, usize)>| {
        let text = lines.line(line);
        let (from, to) = match crate::highlight::underline(text, column) {
            Some(range) => (
                lines.utf16_at(line, range.start),
                lines.utf16_at(line, range.end),
            ),
            None => {
                let at = lines.utf16_of(line, column);
                (at, at)
            }
        };
        let d = Object::new();
        set(&d, "from", from);
        set(&d, "to", to);
        set(&d, "severity", severity_name(severity));
        set(&d, "message", message);
        set(&d, "source", source_name);
        if let Some((title, index)) = fix {
            let f = Object::new();
            set(&f, "title", title);
            set(&f, "index", index as u32);
            set(&d, "fixes", Array::of1(&f));
        }
        list.push(&d);
    };
    for d in &checked.diagnostics {
        let message = match (&d.path, &d.hint) {
            (p, Some(h)) if !p.is_empty() => format!("{p}: {}\n{h}", d.message),
            (p, None) if !p.is_empty() => format!("{p}: {}", d.message),
            (_, Some(h)) => format!("{}\n{h}", d.message),
            (_, None) => d.message.clone(),
        };
        add(d.line, d.column, d.severity, message, "check", None);
    }
    if let Some(lint) = lint {
        for (i, f) in lint.findings.iter().enumerate() {
            let rule = f.rule.rule();
            let message = format!("{} {}: {}", rule.code, rule.name, f.message);
            let fix = f.fix.as_ref().map(|x| (x.title.clone(), i));
            add(f.pos.line, f.pos.column, f.severity(), message, "lint", fix);
        }
    }
    list.into()
}
