//! A panic never blanks the page: the hook logs it (as `console_error_panic_hook` does) and shows a
//! short report with a link that reopens the exact scenario being worked on, so nothing typed is lost
//! and the bug can be reproduced.
//!
//! The reducer leaves a breadcrumb (the scenario as a share link carries it) before it runs the engine
//! and after every change. The hook links to it with the compressed link the page last made, when
//! that link is for the breadcrumb's scenario, and otherwise with one it writes uncompressed (a panic
//! hook cannot wait for the browser's compressor); a scenario too large for either is offered as a
//! file instead. In the full playground the hook also leaves the crashing scenario's fingerprint, so
//! that the next visit does not reopen it from autosave into the same crash.
//! The report is built with DOM calls and text nodes only: the panic message may quote user input.

use crate::session;
use share::Shared;
use std::cell::RefCell;
use wasm_bindgen::JsCast;

thread_local! {
    static BREADCRUMB: RefCell<Option<Shared>> = const { RefCell::new(None) };
    /// The last compressed link the page made, and the scenario it is for.
    static LINK: RefCell<Option<(Shared, String)>> = const { RefCell::new(None) };
}

/// Notes the scenario being worked on (cheap: a copy of the text, no encoding).
pub fn breadcrumb(shared: Shared) {
    BREADCRUMB.with(|b| {
        if let Ok(mut b) = b.try_borrow_mut() {
            *b = Some(shared);
        }
    });
}

/// Notes the compressed link the page made for `shared`, for a report to link with.
pub fn link_made(shared: &Shared, fragment: &str) {
    LINK.with(|l| {
        if let Ok(mut l) = l.try_borrow_mut() {
            *l = Some((shared.clone(), fragment.to_string()));
        }
    });
}

/// What the report offers for the scenario being worked on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reopen {
    /// A link's fragment that reopens it.
    Link(String),
    /// Too large for a link ([`share::TooLarge`]): the manifest, to save as a file.
    File { manifest: String, why: String },
}

/// The last breadcrumb as the report offers it: its compressed link if the page has made one for it,
/// else its link uncompressed (longer, and opens the same), else the manifest as a file.
pub fn last_reopen() -> Option<Reopen> {
    let shared = BREADCRUMB.with(|b| b.try_borrow().ok()?.clone())?;
    let made = LINK.with(|l| {
        let l = l.try_borrow().ok()?;
        let (for_shared, link) = l.as_ref()?;
        (share::fingerprint(for_shared) == share::fingerprint(&shared)).then(|| link.clone())
    });
    Some(
        match made
            .map(Ok)
            .unwrap_or_else(|| share::encode_stored(&shared))
        {
            Ok(link) => Reopen::Link(link),
            Err(why) => Reopen::File {
                manifest: shared.manifest,
                why: why.to_string(),
            },
        },
    )
}

/// The last breadcrumb's fingerprint for the crash marker ([`session::crash_fingerprint`]).
fn last_fingerprint() -> Option<String> {
    BREADCRUMB.with(|b| {
        b.try_borrow()
            .ok()?
            .as_ref()
            .map(session::crash_fingerprint)
    })
}

/// Installs the hook (replacing Yew's default). `persist`: this page owns localStorage.
pub fn install(persist: bool) {
    yew::set_custom_panic_hook(Box::new(move |info| {
        console_error_panic_hook::hook(info);
        if persist {
            if let Some(f) = last_fingerprint() {
                session::save(session::CRASHED_KEY, &f);
            }
        }
        show_report(&info.to_string(), last_reopen().as_ref());
    }));
}

/// Puts the crash report at the top of the page; returns it (for tests).
pub fn show_report(message: &str, reopen: Option<&Reopen>) -> Option<web_sys::Element> {
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
    match reopen {
        Some(Reopen::Link(f)) => {
            let a = el(
                "a",
                Some("crash-reopen"),
                Some("Reopen what you were working on"),
            )?;
            let _ = a.set_attribute("href", &session::full_link(f));
            links.append_child(&a).ok()?;
        }
        Some(Reopen::File { manifest, why }) => {
            // Made now, while the hook runs: after it nothing may call into Rust again, so the
            // file is a plain link to a Blob the browser holds.
            let a = el("a", Some("crash-save"), Some("Save the manifest as a file"))?;
            if let Some(url) = session::object_url(manifest) {
                let _ = a.set_attribute("href", &url);
            }
            let _ = a.set_attribute("download", "podstep-manifest.yaml");
            links.append_child(&a).ok()?;
            let note = el("span", None, Some(&format!(" (no link: {why})")))?;
            links.append_child(&note).ok()?;
        }
        None => {}
    }
    if reopen.is_some() {
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
