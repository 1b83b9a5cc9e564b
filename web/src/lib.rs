//! Podstep's playground: a Yew app over the `lifecycle` engine, with no server behind it.
//!
//! The app lives in this library so that `tests/` can render its components in a browser; `main.rs`
//! reads the page's URL and storage and mounts [`components::App`]. Pure modules hold what has logic
//! — [`timeline`] (the trace folded into lanes and per-step state), [`narrate`] (one sentence per
//! step), [`highlight`] (YAML colouring), [`session`] (what the URL and storage say) — and the
//! components only draw them. The kubelet itself is the engine's: nothing here decides what it does.

pub mod annotate;
pub mod by_id;
pub mod components;
pub mod gallery;
pub mod highlight;
pub mod hooks;
pub mod markup;
pub mod narrate;
pub mod offsets;
pub mod panic;
pub mod session;
pub mod state;
pub mod timeline;

use wasm_bindgen::prelude::*;

/// Panics on purpose, to check in a real browser that a panic shows the crash report instead of a
/// blank page (the e2e tests call it through `window.wasmBindings`). Harmless: anyone able to call it
/// could already run any script on the page.
#[wasm_bindgen(js_name = selfTestPanic)]
pub fn self_test_panic() {
    panic!("self-test: a deliberate panic");
}
