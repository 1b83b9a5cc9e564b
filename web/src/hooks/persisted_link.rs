//! The scenario in the page's URL fragment and in autosave, both ways: every change is compressed
//! into a share link shortly after it is made and written to the URL, and, once the person has edited
//! it, saved as their draft (IndexedDB, whatever its size); a link navigated to (pasted into the
//! address bar, Back/Forward) is opened; opening a gallery example adds a history entry, so that Back
//! returns to what was there before.
//!
//! Links are compressed by the browser, asynchronously, so a link finished for an older state is never
//! written over a newer one. A scenario too large for a link Podstep would read back gets none: the
//! URL loses its fragment (an older scenario's link there would lie) and the share bar says why.

use crate::components::{bad_link, example_shared};
use crate::gallery::Example;
use crate::session::{self, Draft, Page};
use crate::state::{Action, Notice, NoticeKind, NoticeLink, Reopen, State, SAMPLE};
use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use share::Shared;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// How long the URL and autosave wait after the last change (typing stays cheap; browsers also limit
/// how often `history.replaceState` may be called).
const PERSIST_DELAY_MS: u32 = 300;

/// What this page last put in its URL fragment (or found there), and the way it writes a new one.
/// Cheap to clone: the clones share the one record.
#[derive(Clone, Default)]
pub struct PageUrl(Rc<RefCell<String>>, Rc<std::cell::Cell<bool>>);

impl PageUrl {
    /// Replaces the URL's fragment with `fragment` (no history entry) and remembers it. Not while a
    /// gallery example's history entry is being made: the entry being left would get the example's
    /// link, and Back would not return to what was there.
    pub fn write(&self, fragment: &str) {
        if self.1.get() {
            return;
        }
        session::replace_fragment(fragment);
        *self.0.borrow_mut() = fragment.to_string();
    }

    /// Holds [`PageUrl::write`] back until a new history entry is pushed (`true`), or lets it write.
    fn entering(&self, on: bool) {
        self.1.set(on);
    }

    /// Remembers a fragment the URL already holds (one navigated to).
    fn found(&self, fragment: String) {
        *self.0.borrow_mut() = fragment;
    }

    fn holds(&self, fragment: &str) -> bool {
        *self.0.borrow() == fragment
    }

    fn is_clean(&self) -> bool {
        self.0.borrow().is_empty()
    }
}

/// What [`use_persisted_link`] gives `App`.
pub struct PersistedLink {
    /// The share link as of the last persisted change (`None` until the first is compressed, a few
    /// hundred milliseconds after opening, and while the scenario is too large for one).
    pub fragment: Option<String>,
    /// Why the scenario on screen has no link, when it is too large for one.
    pub too_large: Option<share::TooLarge>,
    pub url: PageUrl,
    /// Opens a gallery example in place of the scenario on screen.
    pub open_example: Callback<&'static Example>,
}

/// What the person has done to the scenario on screen since it was opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Changes {
    /// Anything, stepping included: the URL follows.
    pub touched: bool,
    /// An edit of their own: only this replaces the autosave.
    pub edited: bool,
    /// The scenario came from a link or an example: the first autosave keeps the draft it replaces.
    pub foreign: bool,
}

/// Keeps `shared` in the URL and autosave (where `page` owns them) and opens links navigated to.
#[hook]
pub fn use_persisted_link(
    page: Page,
    shared: &Shared,
    current_example: Option<&str>,
    changes: Changes,
    dispatcher: UseReducerDispatcher<State>,
) -> PersistedLink {
    let Changes {
        touched,
        edited,
        foreign,
    } = changes;
    // The fingerprint of what this page last wrote to the autosave: another tab's write is told apart
    // from ours.
    let last_saved = use_mut_ref(|| None::<String>);
    let fragment = use_state_eq(|| None::<Result<String, share::TooLarge>>);
    let url = (*use_memo((), |_| {
        let url = PageUrl::default();
        if page.persist {
            url.found(session::location().0);
        }
        url
    }))
    .clone();
    // Bumped by every run of the effect, so that a link compressed for an older state is dropped.
    let generation = use_mut_ref(|| 0u64);
    {
        let (url, set_fragment) = (url.clone(), fragment.setter());
        let (notify, last_saved) = (dispatcher.clone(), last_saved.clone());
        use_effect_with(shared.clone(), move |shared| {
            let shared = shared.clone();
            let this_run = {
                let mut g = generation.borrow_mut();
                *g += 1;
                *g
            };
            let timer = Timeout::new(PERSIST_DELAY_MS, move || {
                wasm_bindgen_futures::spawn_local(async move {
                    let link = session::encode_link(&shared).await;
                    if *generation.borrow() != this_run {
                        return;
                    }
                    // Before the person touches anything, a clean URL stays clean; a scenario with
                    // no link leaves none of an older one behind.
                    let f = link.as_deref().unwrap_or("");
                    if page.persist && !url.holds(f) && (touched || !url.is_clean()) {
                        url.write(f);
                    }
                    if let Ok(f) = &link {
                        crate::panic::link_made(&shared, f);
                    }
                    set_fragment.set(Some(link));
                    if page.autosaves() && edited {
                        autosave(&shared, foreign, &notify, &last_saved).await;
                    }
                });
            });
            move || drop(timer)
        });
    }
    {
        let (url, dispatcher) = (url.clone(), dispatcher.clone());
        use_effect_with((), move |_| {
            // Only navigation fires `hashchange` (this page writes with replaceState/pushState, which
            // do not), so every one is the person's; a link to what is already on screen changes
            // nothing (the reducer sees to that).
            let listener = page.persist.then(|| {
                EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
                    let (f, _) = session::location();
                    if f.is_empty() {
                        return;
                    }
                    url.found(f.clone());
                    let dispatcher = dispatcher.clone();
                    // An entry this page added for a gallery example (Back, Forward) reopens as it.
                    let example = session::history_example();
                    wasm_bindgen_futures::spawn_local(async move {
                        let read = session::decode_link(&f).await;
                        dispatcher.dispatch(open_link(read, example));
                    });
                })
            });
            move || drop(listener)
        });
    }
    {
        // Another tab of the playground saved its scenario over this one's autosave: say so here,
        // with what it saved to open (both are the person's; the next edit here wins again).
        let (dispatcher, last_saved) = (dispatcher.clone(), last_saved.clone());
        use_effect_with((), move |_| {
            let listener = page.autosaves().then(|| {
                EventListener::new(&gloo::utils::window(), "storage", move |e| {
                    let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() else {
                        return;
                    };
                    if e.key().as_deref() != Some(session::SAVED_STAMP_KEY) {
                        return;
                    }
                    let Some(theirs) = e.new_value() else {
                        return;
                    };
                    if last_saved.borrow().as_deref() == Some(theirs.as_str()) {
                        return;
                    }
                    let dispatcher = dispatcher.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        let saved = session::load_draft(Draft::Autosave).await.ok().flatten();
                        let link = saved
                            .and_then(|text| share::read_draft(&text).ok())
                            .map(|shared| NoticeLink {
                                label: "Open what the other tab saved".into(),
                                shared: Rc::new(shared),
                                reopen: Reopen::Autosaved,
                            });
                        dispatcher.dispatch(Action::Notify(Notice {
                            kind: NoticeKind::Info,
                            text: "Another tab saved its scenario as your autosave; your next edit here saves this one instead.".into(),
                            link,
                        }));
                    });
                })
            });
            move || drop(listener)
        });
    }
    // What is on screen as of the last render, read when an example is opened (a callback made for an
    // earlier render would leave an older scenario in the entry being left).
    let on_screen = use_mut_ref(|| (Shared::default(), None::<String>));
    *on_screen.borrow_mut() = (shared.clone(), current_example.map(str::to_string));
    let open_example = {
        let (dispatcher, url) = (dispatcher.clone(), url.clone());
        use_callback((), move |example: &'static Example, ()| {
            let shared = example_shared(example);
            if page.persist {
                // The entry being left keeps what was on screen (and the example it was, if one),
                // and a new one holds the example.
                let (current, shown) = on_screen.borrow().clone();
                let next = shared.clone();
                let url = url.clone();
                url.entering(true);
                wasm_bindgen_futures::spawn_local(async move {
                    let left = session::encode_link(&current).await.unwrap_or_default();
                    session::replace_fragment_for(&left, shown.as_deref());
                    let link = session::encode_link(&next).await.unwrap_or_default();
                    session::push_fragment(&link, Some(example.id));
                    url.found(link);
                    url.entering(false);
                });
            }
            dispatcher.dispatch(Action::Load {
                shared,
                example: Some(example.id.to_string()),
                notice: None,
            });
        })
    };
    PersistedLink {
        fragment: fragment.as_ref().and_then(|f| f.clone().ok()),
        too_large: fragment.as_ref().and_then(|f| f.clone().err()),
        url,
        open_example,
    }
}

/// What opening a link navigated to does: its scenario, or the default example and why not. `example`:
/// the gallery example the history entry recorded, which counts if the scenario is still that
/// example's (the step aside).
fn open_link(read: Result<Shared, String>, example: Option<String>) -> Action {
    match read {
        Ok(shared) => {
            let example = example
                .and_then(|id| crate::gallery::by_id(&id))
                .filter(|e| {
                    Shared {
                        step: 0,
                        made_by: String::new(),
                        ..shared.clone()
                    } == example_shared(e)
                })
                .map(|e| e.id.to_string());
            Action::Load {
                shared,
                example,
                notice: None,
            }
        }
        Err(message) => Action::Load {
            shared: Shared {
                manifest: SAMPLE.into(),
                ..Shared::default()
            },
            example: None,
            notice: Some(bad_link(&message)),
        },
    }
}

/// Saves `shared` as the person's draft; `foreign`: it came from a link or an example, so the draft it
/// replaces is kept first ([`keep_previous_draft`]). A save the browser refuses is said.
async fn autosave(
    shared: &Shared,
    foreign: bool,
    notify: &UseReducerDispatcher<State>,
    last_saved: &Rc<RefCell<Option<String>>>,
) {
    let draft = share::draft(shared);
    if foreign {
        keep_previous_draft(&draft, notify).await;
    }
    match session::save_draft(Draft::Autosave, &draft).await {
        Ok(()) => {
            let stamp = share::fingerprint_of_draft(&draft);
            session::save(session::SAVED_STAMP_KEY, &stamp);
            // A draft now holds the person's work: the older build's copy would only shadow it.
            session::forget(session::LEGACY_AUTOSAVE_KEY);
            *last_saved.borrow_mut() = Some(stamp);
        }
        Err(reason) => notify.dispatch(Action::Notify(Notice {
            kind: NoticeKind::Error,
            text: format!("Podstep could not save your work in this browser ({reason}): copy the link, or save the manifest as a file, to keep it."),
            link: None,
        })),
    }
}

/// The first edit of a scenario opened from someone's link is about to replace the person's own
/// autosave: keep it as the [`Draft::Previous`] and say so, with a way to reopen it.
async fn keep_previous_draft(replacement: &str, dispatcher: &UseReducerDispatcher<State>) {
    let old = match session::load_draft(Draft::Autosave).await {
        Ok(Some(old)) => Some(old),
        // An older build's autosave is the person's draft as much as one in IndexedDB.
        _ => match session::load(session::LEGACY_AUTOSAVE_KEY) {
            Some(link) => session::decode_link(&link)
                .await
                .ok()
                .map(|shared| share::draft(&shared)),
            None => None,
        },
    };
    let Some(old) = old.filter(|old| old != replacement) else {
        dispatcher.dispatch(Action::DraftKept(None));
        return;
    };
    let kept = session::save_draft(Draft::Previous, &old).await.is_ok();
    let link = share::read_draft(&old).ok().map(|shared| NoticeLink {
        label: "Restore your earlier draft".into(),
        shared: Rc::new(shared),
        reopen: Reopen::Restore,
    });
    let text = if kept {
        "Your edit of this opened scenario (a link or an example) is now your autosave; your earlier draft is kept."
    } else {
        "Your edit of this opened scenario (a link or an example) is now your autosave; your earlier draft could not be kept in this browser, but can be restored from here until you leave the page."
    };
    dispatcher.dispatch(Action::DraftKept(Some(Notice {
        kind: NoticeKind::Info,
        text: text.into(),
        link,
    })));
}
