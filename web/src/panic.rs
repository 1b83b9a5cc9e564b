//! A panic never blanks the page: the hook logs it (as `console_error_panic_hook` does) and shows a
//! short report with a link that reopens the exact scenario being worked on, so nothing typed is lost
//! and the bug can be reproduced.
//!
//! The reducer leaves a breadcrumb (the scenario as a share link carries it) before it runs the engine
//! and after every change; the hook encodes it. In the full playground the hook also remembers the
//! crashing scenario, so that the next visit does not reopen it from autosave into the same crash.
//! The report is built with DOM calls and text nodes only: the panic message may quote user input.

use crate::session;
use share::Shared;
use std::cell::RefCell;
use wasm_bindgen::JsCast;

thread_local! {
    static BREADCRUMB: RefCell<Option<Shared>> = const { RefCell::new(None) };
}

/// Notes the scenario being worked on (cheap: a copy of the text, no encoding).
pub fn breadcrumb(shared: Shared) {
    BREADCRUMB.with(|b| {
        if let Ok(mut b) = b.try_borrow_mut() {
            *b = Some(shared);
        }
    });
}

/// The last breadcrumb as a link's fragment, uncompressed: a panic hook cannot wait for the
/// browser's compressor (the link is longer, and opens the same).
pub fn last_fragment() -> Option<String> {
    BREADCRUMB.with(|b| b.try_borrow().ok()?.as_ref().map(share::encode_stored))
}

/// Installs the hook (replacing Yew's default). `persist`: this page owns localStorage.
pub fn install(persist: bool) {
    yew::set_custom_panic_hook(Box::new(move |info| {
        console_error_panic_hook::hook(info);
        let fragment = last_fragment();
        if persist {
            if let Some(f) = &fragment {
                session::save(session::CRASHED_KEY, f);
            }
        }
        show_report(&info.to_string(), fragment.as_deref());
    }));
}

/// Puts the crash report at the top of the page; returns it (for tests).
pub fn show_report(message: &str, fragment: Option<&str>) -> Option<web_sys::Element> {
    let document = web_sys::window()?.document()?;
    let body = document.body()?;
    let el = |tag: &str, class: Option<&str>, text: Option<&str>| -> Option<web_sys::Element> {
        let e = document.create_element(tag).ok()?;
        if let Some(c) = class {
            e.set_class_name(c);
        }
        if let Some(t) = text {
            e.set_text_content(Some(t));
        }
        Some(e)
    };
    let report = el("div", Some("crash"), None)?;
    let _ = report.set_attribute("role", "alert");
    let title = el("h2", None, Some("Podstep stopped: this is a bug"))?;
    report.append_child(&title).ok()?;
    let explain = el(
        "p",
        None,
        Some("What you were working on is not lost: the first link reopens it exactly (and reproduces the problem, so please attach it to a bug report)."),
    )?;
    report.append_child(&explain).ok()?;
    let links = el("p", Some("crash-links"), None)?;
    if let Some(f) = fragment {
        let a = el(
            "a",
            Some("crash-reopen"),
            Some("Reopen what you were working on"),
        )?;
        let _ = a.set_attribute("href", &session::full_link(f));
        links.append_child(&a).ok()?;
        links
            .append_child(&document.create_text_node(" · ").unchecked_into())
            .ok()?;
    }
    let home = el("a", None, Some("Start again with the default example"))?;
    let _ = home.set_attribute("href", &session::base_url());
    links.append_child(&home).ok()?;
    report.append_child(&links).ok()?;
    let pre = el("pre", Some("crash-message"), Some(message))?;
    report.append_child(&pre).ok()?;
    body.prepend_with_node_1(&report).ok()?;
    Some(report)
}
