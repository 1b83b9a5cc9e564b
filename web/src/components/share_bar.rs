//! The share bar: the Copy link button, how copying went (or the link, to copy by hand), and a warning
//! when the link is long enough for chat and mail tools to cut it.

use crate::hooks::{Copied, CopyState};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ShareBarProps {
    /// How the last copy went ([`crate::hooks::use_copy`]).
    pub copied: Option<Copied>,
    /// The length of the page's share link, in characters (0 until it is made).
    pub link_chars: usize,
    pub on_copy: Callback<()>,
}

#[component]
pub fn ShareBar(props: &ShareBarProps) -> Html {
    let copy = props.on_copy.reform(|_: MouseEvent| ());
    let long_link = props.link_chars > share::LONG_LINK_CHARS;
    html! {
        <div class="share">
            <button type="button" class="primary" onclick={copy} title="Copy a link to this exact scenario (Ctrl+S)">
                { "Copy link" }
            </button>
            <span class="share-status" role="status" aria-live="polite">
                { match &props.copied {
                    Some((CopyState::Pending, _)) => "Copying…",
                    Some((CopyState::Done, _)) => "Link copied",
                    Some((CopyState::Manual, _)) => "Copy this link:",
                    None => "",
                } }
            </span>
            if let Some((CopyState::Manual, link)) = &props.copied {
                <input class="share-link" readonly=true aria-label="Share link" value={link.clone()} />
            }
            if long_link {
                <span class="share-warning">
                    { format!("This link is {} characters long; some chat and mail tools cut links past {}.",
                        props.link_chars, share::LONG_LINK_CHARS) }
                </span>
            }
        </div>
    }
}
