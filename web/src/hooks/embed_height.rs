//! An embed tells the page embedding it how tall its content is, after every render, so that page can
//! size the iframe (`session::post_height`; nothing else is ever posted).

use crate::session::{self, Page};
use yew::prelude::*;

/// Posts the height after every render of the component calling it, in an embed that owns its page.
#[hook]
pub fn use_embed_height(page: Page) {
    use_effect(move || {
        if page.embed && page.persist {
            session::post_height();
        }
    });
}
