//! Where the playground's state lives outside the page: the URL (settings in the query, the scenario
//! in the fragment), localStorage (autosave, the theme, the crash marker) and the clipboard.
//!
//! [`Page::from_query`] and [`choose`] are pure (tested). Links are written and read asynchronously,
//! compressed by the browser (`compress.js`); the rest are thin wrappers over web APIs that never
//! panic: storage or history being unavailable (private modes, sandboxed iframes) only turns the
//! feature off.

use share::Shared;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/compress.js")]
extern "C" {
    #[wasm_bindgen(js_name = deflateRaw)]
    fn deflate_raw(bytes: &[u8]) -> js_sys::Promise;
    #[wasm_bindgen(js_name = inflateRaw)]
    fn inflate_raw(bytes: &[u8], limit: u32) -> js_sys::Promise;
}

/// Reads a share link (`v2/…` or `v1/…`, with or without `#`) as [`share::decode`] does, inflating with the
/// browser's decompressor (`compress.js`). The error is the message to show.
pub async fn decode_link(fragment: &str) -> Result<Shared, String> {
    let packed = share::unpack(fragment).map_err(|e| e.to_string())?;
    let limit = u32::try_from(share::MAX_DECODED_BYTES).unwrap_or(u32::MAX);
    let inflated =
        wasm_bindgen_futures::JsFuture::from(inflate_raw(packed.deflated(), limit)).await;
    let error = match inflated {
        Ok(bytes) if bytes.is_instance_of::<js_sys::Uint8Array>() => {
            let json = js_sys::Uint8Array::new(&bytes).to_vec();
            return packed.finish(&json).map_err(|e| e.to_string());
        }
        Ok(code) if code.as_f64() == Some(2.0) => share::DecodeError::TooLarge,
        Ok(code) if code.as_f64() == Some(0.0) => {
            return Err(
                "this browser cannot open share links (it has no DecompressionStream \
                        for deflate-raw: Chrome 103, Firefox 113 and Safari 16.4 have)"
                    .into(),
            )
        }
        _ => share::DecodeError::Corrupt,
    };
    Err(error.to_string())
}

/// The links found when the page opens, read (`decode_link`) before anything is mounted: the
/// fragment, the autosave and the crash marker, each `None` when absent or empty.
pub async fn read_links(texts: [Option<&str>; 3]) -> [Option<Found>; 3] {
    let mut out = [None, None, None];
    for (slot, text) in out.iter_mut().zip(texts) {
        if let Some(text) = text.filter(|t| !t.trim_start_matches('#').is_empty()) {
            *slot = Some((text.to_string(), decode_link(text).await));
        }
    }
    out
}

/// The share link (`v2/…`) for `shared`, compressed by the browser (`compress.js`): the wasm carries
/// a decompressor but no compressor. Where the browser cannot compress, the link holds DEFLATE's stored
/// blocks: longer, equally valid.
pub async fn encode_link(shared: &Shared) -> String {
    let json = share::to_json(shared);
    let deflated = wasm_bindgen_futures::JsFuture::from(deflate_raw(&json)).await;
    match deflated {
        Ok(bytes) if bytes.is_instance_of::<js_sys::Uint8Array>() => {
            share::link(&json, &js_sys::Uint8Array::new(&bytes).to_vec())
        }
        _ => share::encode_stored(shared),
    }
}

/// localStorage key of the last scenario edited in the full playground (a link's fragment).
pub const AUTOSAVE_KEY: &str = "podstep:autosave";
/// The autosave a shared link's scenario replaced, kept so that it can be restored.
pub const PREVIOUS_DRAFT_KEY: &str = "podstep:autosave:previous";
/// An autosave that could not be read, moved here instead of being overwritten by the next edit.
pub const UNREADABLE_KEY: &str = "podstep:autosave:unreadable";

/// Whether `text` has the shape of a link Podstep writes (`v1/` and base64url, or `v2/`, base64url, `.`
/// and base64url): only such a text, read back from storage, is ever put in an `href`.
pub fn link_shaped(text: &str) -> bool {
    let b64 = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if let Some(rest) = text.strip_prefix("v2/") {
        return rest
            .split_once('.')
            .is_some_and(|(data, sum)| b64(data) && b64(sum));
    }
    text.strip_prefix("v1/").is_some_and(b64)
}
/// localStorage key of the scenario that crashed Podstep last (a link's fragment).
pub const CRASHED_KEY: &str = "podstep:crashed";
/// localStorage key of the theme override (`light` or `dark`; absent: follow the system).
pub const THEME_KEY: &str = "podstep:theme";

/// What an embedding page shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum View {
    /// The whole playground.
    #[default]
    Full,
    /// The editor beside the timeline and the state.
    Split,
    /// The timeline, stepper and state only.
    Timeline,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
    pub fn parse(s: &str) -> Option<Theme> {
        match s {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }
}

/// How the page was opened: from the query string (`?embed=1&view=timeline&readonly=1&theme=dark`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Page {
    pub embed: bool,
    pub view: View,
    /// The manifest and the scenario cannot be changed (stepping still works).
    pub readonly: bool,
    pub theme: Option<Theme>,
    /// Large text for projectors and workshops (`?text=large`).
    pub large_text: bool,
    /// Whether this page owns the URL and localStorage (the real app: yes; components mounted by
    /// tests: no). An embed reads its fragment but never autosaves.
    pub persist: bool,
}

impl Page {
    pub fn from_query(query: &str) -> Page {
        let mut page = Page::default();
        let mut view = None;
        for pair in query.trim_start_matches('?').split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let on = matches!(value, "" | "1" | "true" | "yes");
            match key {
                "embed" => page.embed = on,
                "readonly" => page.readonly = on,
                "view" => {
                    view = match value {
                        "timeline" => Some(View::Timeline),
                        "split" => Some(View::Split),
                        "full" => Some(View::Full),
                        _ => None,
                    }
                }
                "theme" => page.theme = Theme::parse(value),
                "text" => page.large_text = value == "large",
                _ => {}
            }
        }
        page.view = match (page.embed, view) {
            (true, Some(v)) => v,
            (true, None) => View::Split,
            (false, _) => View::Full,
        };
        page
    }

    /// Whether the scenario is autosaved (the full playground only: embeds on one page must not share
    /// or overwrite a person's work).
    pub fn autosaves(&self) -> bool {
        self.persist && !self.embed
    }
}

/// Where the playground's first state comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Start {
    /// A share link: it always wins over autosave.
    Link(Shared),
    /// The link could not be read: the message, and the default example is shown.
    BadLink(String),
    Autosave(Shared),
    /// Autosave holds something that cannot be read: it is kept aside, and said so.
    UnreadableAutosave(String),
    /// Autosave holds the scenario that crashed Podstep last time: not reopened automatically.
    Crashed(String),
    Default,
}

/// A link found when the page opens: its text, and what reading it gave (the scenario, or the message).
pub type Found = (String, Result<Shared, String>);

/// Decides the first state from the URL fragment and what localStorage holds, each already read
/// ([`read_links`]; `None` when absent or empty).
pub fn choose(
    fragment: Option<Found>,
    autosave: Option<Found>,
    crashed: Option<Found>,
    page: &Page,
) -> Start {
    if let Some((_, read)) = fragment {
        return match read {
            Ok(shared) => Start::Link(shared),
            Err(message) => Start::BadLink(message),
        };
    }
    if !page.autosaves() {
        return Start::Default;
    }
    let (saved, shared) = match autosave {
        None => return Start::Default,
        Some((_, Err(message))) => return Start::UnreadableAutosave(message),
        Some((saved, Ok(shared))) => (saved, shared),
    };
    // Compared as scenarios, not as text: the crash report's link is written uncompressed (a panic
    // hook cannot wait for the browser's compressor), autosave's compressed.
    if crashed.and_then(|(_, read)| read.ok()).as_ref() == Some(&shared) {
        return Start::Crashed(saved);
    }
    Start::Autosave(shared)
}

// ----- thin wrappers over web APIs -----

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

fn storage() -> Option<web_sys::Storage> {
    window()?.local_storage().ok().flatten()
}

pub fn load(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

pub fn save(key: &str, value: &str) {
    let _ = try_save(key, value);
}

/// Saves `value` under `key`; `false` when the browser refused (storage full or blocked).
pub fn try_save(key: &str, value: &str) -> bool {
    storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

pub fn forget(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// The fragment (without `#`) and the query (with `?`) of the page's URL.
pub fn location() -> (String, String) {
    let Some(l) = window().map(|w| w.location()) else {
        return (String::new(), String::new());
    };
    let hash = l.hash().unwrap_or_default();
    (
        hash.trim_start_matches('#').to_string(),
        l.search().unwrap_or_default(),
    )
}

/// The URL of this page without query or fragment.
pub fn base_url() -> String {
    let Some(l) = window().map(|w| w.location()) else {
        return String::new();
    };
    format!(
        "{}{}",
        l.origin().unwrap_or_default(),
        l.pathname().unwrap_or_default()
    )
}

/// A link to the full playground with `fragment` (no `#`).
pub fn full_link(fragment: &str) -> String {
    format!("{}#{fragment}", base_url())
}

/// Replaces the page's fragment without adding a history entry (or firing `hashchange`).
pub fn replace_fragment(fragment: &str) {
    if let Some(h) = window().and_then(|w| w.history().ok()) {
        let url = format!("{}#{fragment}", query_and_path());
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Adds a history entry with `fragment`, so that Back returns to what was there before.
pub fn push_fragment(fragment: &str) {
    if let Some(h) = window().and_then(|w| w.history().ok()) {
        let url = format!("{}#{fragment}", query_and_path());
        let _ = h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

fn query_and_path() -> String {
    let Some(l) = window().map(|w| w.location()) else {
        return String::new();
    };
    format!(
        "{}{}",
        l.pathname().unwrap_or_default(),
        l.search().unwrap_or_default()
    )
}

/// Sets (or clears) the theme override on `<html data-theme>`.
pub fn apply_theme(theme: Option<Theme>) {
    set_root_attribute("data-theme", theme.map(Theme::as_str));
}

/// Large text for a projector: `data-text="large"` on the root element scales the whole page (style.css).
pub fn apply_large_text(large: bool) {
    set_root_attribute("data-text", large.then_some("large"));
}

/// The page's `<html>` element.
fn root() -> Option<web_sys::Element> {
    window()?.document()?.document_element()
}

/// Sets `name` on `<html>` to `value`, or removes it for `None` (style.css keys page-wide modes on it).
fn set_root_attribute(name: &str, value: Option<&str>) {
    let Some(root) = root() else {
        return;
    };
    let _ = match value {
        Some(v) => root.set_attribute(name, v),
        None => root.remove_attribute(name),
    };
}

/// Whether the system prefers a dark theme.
pub fn system_dark() -> bool {
    window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// In an embed, tells the embedding page how tall the content is (`{type: "podstep:height", height}`
/// posted to the parent), so it can size the iframe. Nothing else is ever posted.
pub fn post_height() {
    let Some(w) = window() else {
        return;
    };
    let Some(parent) = w.parent().ok().flatten() else {
        return;
    };
    if parent == w {
        return;
    }
    let Some(height) = root().map(|e| e.scroll_height()) else {
        return;
    };
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"type".into(), &"podstep:height".into());
    let _ = js_sys::Reflect::set(&message, &"height".into(), &height.into());
    let _ = parent.post_message(&message, "*");
}

/// `performance.mark(name)`, for benchmarks to read.
pub fn mark(name: &str) {
    if let Some(p) = window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// Writes `text` to the clipboard; `done(true)` once written, `done(false)` if refused.
pub fn copy_to_clipboard(text: String, done: impl FnOnce(bool) + 'static) {
    let Some(w) = window() else {
        done(false);
        return;
    };
    // `navigator.clipboard` is missing outside secure contexts: calling into it would throw.
    let navigator = w.navigator();
    let present = js_sys::Reflect::get(&navigator, &"clipboard".into())
        .is_ok_and(|c| !c.is_undefined() && !c.is_null());
    if !present {
        done(false);
        return;
    }
    let promise = navigator.clipboard().write_text(&text);
    wasm_bindgen_futures::spawn_local(async move {
        let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
        done(ok);
    });
}
