//! The message at the top of the page (a link that could not be opened, a crash last time), with an
//! optional scenario to open and a button that dismisses it.

use crate::state::{Notice, NoticeKind, NoticeLink};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NoticeProps {
    pub notice: Notice,
    pub on_dismiss: Callback<()>,
    /// Opens the scenario the notice offers.
    pub on_open: Callback<NoticeLink>,
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
            if let Some(link) = &n.link {
                { " " }
                <button type="button" class="link" onclick={
                    let (open, link) = (props.on_open.clone(), link.clone());
                    move |_: MouseEvent| open.emit(link.clone())
                }>{ &link.label }</button>
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
