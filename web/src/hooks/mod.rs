//! The playground's custom hooks, one per file: the effects that reach outside the page (the URL
//! fragment and autosave, the clipboard, the keyboard, an embed's height, the theme and large text)
//! the stepper's playback timer and the deferred lint; and [`use_action`], the panels' callbacks. `App` calls them and
//! hands what they return to the panels, so no panel touches the world outside its own DOM.

mod action;
mod appearance;
mod copy;
mod embed_height;
mod global_keys;
mod lint;
mod persisted_link;
mod playback;

pub use action::use_action;
pub use appearance::{use_appearance, Appearance};
pub use copy::{use_copy, Copied, CopyState};
pub use embed_height::use_embed_height;
pub use global_keys::use_global_keys;
pub use lint::use_lint;
pub use persisted_link::{use_persisted_link, Changes, PageUrl, PersistedLink};
pub use playback::{play_delay_ms, use_playback};
