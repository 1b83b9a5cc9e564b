//! The share bar: the Copy link button, how copying went (or the link, to copy by hand), a warning
//! when the link is long enough for chat and mail tools to cut it, and, for a scenario too large for
//! a link, why there is none and the way to keep it instead (the manifest as a file).

use crate::hooks::{Copied, CopyState};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ShareBarProps {
    /// How the last copy went ([`crate::hooks::use_copy`]).
    pub copied: Option<Copied>,
    /// The length of the page's share link, in characters (0 until it is made).
    pub link_chars: usize,
    /// Why the scenario on screen has no link, when it is too large for one.
    pub too_large: Option<share::TooLarge>,
    pub on_copy: Callback<()>,
    /// Saves the manifest as a file.
    pub on_save_file: Callback<()>,
}

#[component]
pub fn ShareBar(props: &ShareBarProps) -> Html {
    let copy = props.on_copy.reform(|_: MouseEvent| ());
    let save = props.on_save_file.reform(|_: MouseEvent| ());
    let long_link = props.link_chars > share::LONG_LINK_CHARS;
    if let Some(why) = props.too_large {
        return html! {
            <div class="share">
                <button type="button" class="primary" onclick={save} title="Save the manifest as a YAML file">
                    { "Save as file" }
                </button>
                <span class="share-warning" role="status">
                    { format!("No share link for this scenario: {why}. It is autosaved in this browser; save it as a file to keep or share it.") }
                </span>
            </div>
        };
    }
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
                    Some((CopyState::TooLarge, _)) => "No link: the scenario is too large for one",
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
