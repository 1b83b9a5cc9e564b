//! Where the playground's state lives outside the page: the URL (settings in the query, the scenario
//! in the fragment), IndexedDB (the autosaved drafts, `drafts.js`), localStorage (the theme, the crash
//! marker, the stamp that tells other tabs of a save) and the clipboard.
//!
//! [`Page::from_query`] and [`choose`] are pure (tested). Links are written and read asynchronously,
//! compressed by the browser (`compress.js`); the rest are thin wrappers over web APIs that never
//! panic: storage or history being unavailable (private modes, sandboxed iframes) only turns the
//! feature off.

use share::Shared;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(module = "/src/compress.js")]
extern "C" {
    #[wasm_bindgen(js_name = deflateRaw)]
    fn deflate_raw(bytes: &[u8]) -> js_sys::Promise;
    #[wasm_bindgen(js_name = inflateRaw)]
    fn inflate_raw(bytes: &[u8], limit: u32) -> js_sys::Promise;
}

#[wasm_bindgen(module = "/src/drafts.js")]
extern "C" {
    #[wasm_bindgen(js_name = draftGet)]
    fn draft_get(key: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = draftPut)]
    fn draft_put(key: &str, text: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = draftDelete)]
    fn draft_delete(key: &str) -> js_sys::Promise;
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

/// The link found in the URL when the page opens, read (`decode_link`) before anything is mounted;
/// `None` when absent or empty.
pub async fn read_link(text: &str) -> Option<Found> {
    if text.trim_start_matches('#').is_empty() {
        return None;
    }
    Some((text.to_string(), decode_link(text).await))
}

/// The share link (`v2/…`) for `shared`, compressed by the browser (`compress.js`): the wasm carries
/// a decompressor but no compressor. Where the browser cannot compress, the link holds DEFLATE's stored
/// blocks: longer, equally valid. A scenario whose link Podstep would not read back gets none.
pub async fn encode_link(shared: &Shared) -> Result<String, share::TooLarge> {
    let json = share::to_json(shared);
    let deflated = wasm_bindgen_futures::JsFuture::from(deflate_raw(&json)).await;
    match deflated {
        Ok(bytes) if bytes.is_instance_of::<js_sys::Uint8Array>() => {
            share::link(&json, &js_sys::Uint8Array::new(&bytes).to_vec())
        }
        _ => share::encode_stored(shared),
    }
}

/// The drafts kept in IndexedDB (`drafts.js`), each the scenario's JSON ([`share::draft`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Draft {
    /// The last scenario edited in the full playground.
    Autosave,
    /// The autosave that an edit of a shared link's scenario replaced, kept so that it can be restored.
    Previous,
    /// An autosave that could not be read, moved aside instead of being overwritten by the next edit.
    Unreadable,
}

impl Draft {
    /// Its key in the `podstep` database's `drafts` store.
    pub fn key(self) -> &'static str {
        match self {
            Draft::Autosave => "autosave",
            Draft::Previous => "previous",
            Draft::Unreadable => "unreadable",
        }
    }
}

/// The text of `draft`: `None` when there is none; the reason when the browser refuses to say.
pub async fn load_draft(draft: Draft) -> Result<Option<String>, String> {
    let value = wasm_bindgen_futures::JsFuture::from(draft_get(draft.key()))
        .await
        .map_err(|e| format!("{e:?}"))?;
    if let Some(text) = value.as_string() {
        return Ok(Some(text));
    }
    if value.is_null() {
        return Ok(None);
    }
    Err(js_sys::Reflect::get(&value, &"error".into())
        .ok()
        .and_then(|e| e.as_string())
        .unwrap_or_else(|| "IndexedDB did not answer".into()))
}

/// Stores `text` as `draft`; the reason when the browser refused (storage full or blocked).
pub async fn save_draft(draft: Draft, text: &str) -> Result<(), String> {
    let value = wasm_bindgen_futures::JsFuture::from(draft_put(draft.key(), text))
        .await
        .map_err(|e| format!("{e:?}"))?;
    match value.as_string() {
        Some(reason) => Err(reason),
        None => Ok(()),
    }
}

pub async fn forget_draft(draft: Draft) {
    let _ = wasm_bindgen_futures::JsFuture::from(draft_delete(draft.key())).await;
}

/// The autosave as the page opens: its text and what reading it gave. Drafts live in IndexedDB; an
/// autosave written by an earlier build (a link under [`LEGACY_AUTOSAVE_KEY`] in localStorage) is read
/// when IndexedDB holds none, and removed once a draft replaces it.
pub async fn read_autosave() -> Option<Found> {
    // IndexedDB is opened only if a draft was ever saved here (its stamp is in localStorage): on a
    // first visit, creating the database would delay the first timeline for nothing.
    let saved = load(SAVED_STAMP_KEY).is_some();
    if saved {
        if let Ok(Some(text)) = load_draft(Draft::Autosave).await {
            let read = share::read_draft(&text).map_err(|e| e.to_string());
            return Some((text, read));
        }
    }
    let legacy = load(LEGACY_AUTOSAVE_KEY).filter(|t| !t.is_empty())?;
    let read = decode_link(&legacy).await;
    Some((legacy, read))
}

/// localStorage key where builds before IndexedDB drafts kept the autosave (a link's fragment).
pub const LEGACY_AUTOSAVE_KEY: &str = "podstep:autosave";
/// localStorage key that holds the fingerprint ([`share::fingerprint`]) of the autosave last written by
/// any tab: writing it fires `storage` in the others, which IndexedDB does not.
pub const SAVED_STAMP_KEY: &str = "podstep:autosave:saved";

/// localStorage key of the fingerprint ([`share::fingerprint`]) of the scenario that crashed Podstep
/// last: a marker, small whatever the scenario's size.
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
    /// The page's own editor (a textarea over highlighted text) instead of the code editor
    /// (`?editor=plain`): no CodeMirror is loaded.
    pub plain_editor: bool,
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
                "editor" => page.plain_editor = value == "plain",
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
    /// Autosave holds something that cannot be read: the message and the text, which is kept aside.
    UnreadableAutosave {
        message: String,
        text: String,
    },
    /// Autosave holds the scenario that crashed Podstep last time: not reopened automatically.
    Crashed(Shared),
    Default,
}

/// A link found when the page opens: its text, and what reading it gave (the scenario, or the message).
pub type Found = (String, Result<Shared, String>);

/// Decides the first state from the URL fragment and the autosave, each already read ([`read_links`],
/// [`read_autosave`]; `None` when absent or empty), and the crash marker's fingerprint.
pub fn choose(
    fragment: Option<Found>,
    autosave: Option<Found>,
    crashed: Option<&str>,
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
    let shared = match autosave {
        None => return Start::Default,
        Some((text, Err(message))) => return Start::UnreadableAutosave { message, text },
        Some((_, Ok(shared))) => shared,
    };
    if crashed.is_some_and(|c| c == crash_fingerprint(&shared)) {
        return Start::Crashed(shared);
    }
    Start::Autosave(shared)
}

/// What the crash marker holds for `shared`: its fingerprint at the first step, so that a crash while
/// stepping through the autosaved scenario (the autosave keeps the step of the last edit) is still
/// recognised as that scenario's.
pub fn crash_fingerprint(shared: &Shared) -> String {
    share::fingerprint(&Shared {
        step: 0,
        ..shared.clone()
    })
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

/// Saves `value` under `key`; a refusal (storage full or blocked) only turns the feature off.
pub fn save(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
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

/// Replaces the page's fragment without adding a history entry (or firing `hashchange`); an empty
/// one leaves the URL without `#`. The entry keeps its state (the example it shows, if any).
pub fn replace_fragment(fragment: &str) {
    if let Some(h) = window().and_then(|w| w.history().ok()) {
        let state = h.state().unwrap_or(JsValue::NULL);
        let _ = h.replace_state_with_url(&state, "", Some(&url_with(fragment)));
    }
}

/// Replaces the page's fragment and records which gallery example the entry shows (`None`: none),
/// so that Back and Forward reopen it as that example.
pub fn replace_fragment_for(fragment: &str, example: Option<&str>) {
    if let Some(h) = window().and_then(|w| w.history().ok()) {
        let state = example.map_or(JsValue::NULL, JsValue::from_str);
        let _ = h.replace_state_with_url(&state, "", Some(&url_with(fragment)));
    }
}

/// Adds a history entry with `fragment`, so that Back returns to what was there before; `example`: the
/// gallery example it shows.
pub fn push_fragment(fragment: &str, example: Option<&str>) {
    if let Some(h) = window().and_then(|w| w.history().ok()) {
        let state = example.map_or(JsValue::NULL, JsValue::from_str);
        let _ = h.push_state_with_url(&state, "", Some(&url_with(fragment)));
    }
}

/// The gallery example the current history entry shows, as [`push_fragment`] recorded it.
pub fn history_example() -> Option<String> {
    window()?.history().ok()?.state().ok()?.as_string()
}

fn url_with(fragment: &str) -> String {
    match fragment {
        "" => query_and_path(),
        f => format!("{}#{f}", query_and_path()),
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

/// A `blob:` URL for `text` (a YAML file), or `None` if the browser refused.
pub fn object_url(text: &str) -> Option<String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/yaml");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

/// Saves `text` as a file named `name` in the browser's downloads (a `Blob` and a link with
/// `download`): the way out for a scenario too large for a link. `false` if the browser refused.
pub fn download(name: &str, text: &str) -> bool {
    let Some(document) = window().and_then(|w| w.document()) else {
        return false;
    };
    let Some(url) = object_url(text) else {
        return false;
    };
    let saved = document
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .map(|a| {
            a.set_href(&url);
            a.set_download(name);
            a.click();
        })
        .is_some();
    // The click has started the download; the URL is released once it has been read.
    gloo::timers::callback::Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    saved
}
