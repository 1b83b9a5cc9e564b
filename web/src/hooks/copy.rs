//! Copying the share link to the clipboard (the Copy link button and Ctrl/Cmd+S): the link is made for
//! the scenario on screen, written to the URL, and handed to the clipboard. If the clipboard refuses,
//! or keeps the page waiting (as it may when the page is not focused), the link is shown to copy by
//! hand.

use super::PageUrl;
use crate::session::{self, Page};
use gloo::timers::callback::Timeout;
use share::Shared;
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;

/// How long to wait for the clipboard before showing the link to copy by hand.
const COPY_WAIT_MS: u32 = 2000;

/// Where copying the share link stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CopyState {
    Pending,
    Done,
    /// The clipboard refused or did not answer: the link is shown to copy by hand.
    Manual,
    /// The scenario is too large for a link ([`share::TooLarge`]); the text says why.
    TooLarge,
}

/// The last copy: how it went, and the link (empty while it is being made).
pub type Copied = (CopyState, String);

#[derive(Clone, Default, PartialEq)]
struct Status(Option<Copied>);

enum Change {
    Copied(CopyState, String),
    /// The scenario's link is now this fragment.
    Fragment(String),
}

impl Reducible for Status {
    type Action = Change;

    fn reduce(self: Rc<Self>, change: Change) -> Rc<Self> {
        match change {
            Change::Copied(state, link) => Rc::new(Status(Some((state, link)))),
            // A link copied before this change no longer describes what is on screen (one copied
            // since, for this very state, still does).
            Change::Fragment(f) => match &self.0 {
                Some((_, link)) if *link != session::full_link(&f) => Rc::new(Status(None)),
                _ => self,
            },
        }
    }
}

/// Copies the link for `shared` each time `request` grows (0: never asked); `fragment` is the link
/// the page holds now ([`super::use_persisted_link`]). Returns how the last copy went.
#[hook]
pub fn use_copy(
    page: Page,
    request: u64,
    shared: &Shared,
    url: &PageUrl,
    fragment: Option<&String>,
) -> Option<Copied> {
    let status = use_reducer_eq(Status::default);
    {
        let status = status.dispatcher();
        use_effect_with(fragment.cloned(), move |f| {
            if let Some(f) = f {
                status.dispatch(Change::Fragment(f.clone()));
            }
        });
    }
    {
        let (status, shared, url) = (status.dispatcher(), shared.clone(), url.clone());
        use_effect_with(request, move |request| {
            if *request > 0 {
                status.dispatch(Change::Copied(CopyState::Pending, String::new()));
                wasm_bindgen_futures::spawn_local(async move {
                    let f = match session::encode_link(&shared).await {
                        Ok(f) => f,
                        Err(why) => {
                            status.dispatch(Change::Copied(CopyState::TooLarge, why.to_string()));
                            return;
                        }
                    };
                    if page.persist {
                        url.write(&f);
                    }
                    let link = session::full_link(&f);
                    status.dispatch(Change::Copied(CopyState::Pending, link.clone()));
                    // Whichever comes first: the clipboard's answer, or the link shown for copying by
                    // hand.
                    let settled = Rc::new(Cell::new(false));
                    let fallback = {
                        let (status, settled, link) =
                            (status.clone(), settled.clone(), link.clone());
                        Timeout::new(COPY_WAIT_MS, move || {
                            if !settled.replace(true) {
                                status.dispatch(Change::Copied(CopyState::Manual, link));
                            }
                        })
                    };
                    let shown = link.clone();
                    session::copy_to_clipboard(link, move |ok| {
                        drop(fallback);
                        if !settled.replace(true) {
                            let state = if ok {
                                CopyState::Done
                            } else {
                                CopyState::Manual
                            };
                            status.dispatch(Change::Copied(state, shown));
                        }
                    });
                });
            }
        });
    }
    status.0.clone()
}
