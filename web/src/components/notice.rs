//! The message at the top of the page (a link that could not be opened, a crash last time), with an
//! optional link and a button that dismisses it.

use crate::state::{Notice, NoticeKind};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NoticeProps {
    pub notice: Notice,
    pub on_dismiss: Callback<()>,
}

#[component]
pub fn NoticeBar(props: &NoticeProps) -> Html {
    let n = &props.notice;
    let dismiss = props.on_dismiss.reform(|_: MouseEvent| ());
    let (class, role) = match n.kind {
        NoticeKind::Error => ("notice error", "alert"),
        NoticeKind::Info => ("notice info", "status"),
    };
    html! {
        <div class={class} role={role}>
            <span class="notice-text">{ &n.text }</span>
            if let Some((label, href)) = &n.link {
                { " " }<a href={href.clone()}>{ label }</a>
            }
            <button type="button" class="dismiss" onclick={dismiss} aria-label="Dismiss">{ "×" }</button>
        </div>
    }
}

/// The notice for a link that could not be opened.
pub fn bad_link(message: &str) -> Notice {
    Notice {
        kind: NoticeKind::Error,
        text: format!(
            "This link could not be opened: {message}. Showing the default example instead."
        ),
        link: None,
    }
}
