//! The playground's entry point: reads how the page was opened (query, fragment, autosave), installs
//! the crash report, and mounts the app on `<body>` once the links are read (the browser inflates
//! them, asynchronously). Nothing else belongs here.

use std::rc::Rc;
use web::components::{bad_link, App, AppProps};
use web::session::{self, Draft, Page, Start};
use web::state::{Notice, NoticeKind, NoticeLink, Reopen};

fn main() {
    session::mark("podstep:start");
    let (fragment, query) = session::location();
    let page = Page {
        persist: true,
        ..Page::from_query(&query)
    };
    web::panic::install(page.autosaves());
    // A link in the URL wins over autosave (`session::choose`), so storage is read only without one:
    // each read is a round trip through IndexedDB or the browser's inflater before the first paint.
    let from_storage = page.autosaves() && fragment.trim_start_matches('#').is_empty();
    wasm_bindgen_futures::spawn_local(async move {
        let fragment = session::read_link(&fragment).await;
        let autosave = if from_storage {
            session::read_autosave().await
        } else {
            None
        };
        // The crash marker matters only beside an autosave it might match.
        let crashed = autosave
            .is_some()
            .then(|| session::load(session::CRASHED_KEY))
            .flatten();
        let start = session::choose(fragment, autosave, crashed.as_deref(), &page);
        let notice = match &start {
            Start::UnreadableAutosave { message, text } => Some(keep_aside(message, text).await),
            _ => None,
        };
        mount(page, start, notice);
    });
}

/// Moves an autosave that cannot be read to [`Draft::Unreadable`], so that the next edit's autosave
/// does not overwrite it, and says so.
async fn keep_aside(message: &str, text: &str) -> Notice {
    let moved = session::save_draft(Draft::Unreadable, text).await.is_ok();
    let kept = if moved {
        session::forget_draft(Draft::Autosave).await;
        session::forget(session::LEGACY_AUTOSAVE_KEY);
        format!(
            "it is kept in this browser's storage (IndexedDB \"podstep\", as \"{}\")",
            Draft::Unreadable.key()
        )
    } else {
        "it could not be kept aside either".to_string()
    };
    Notice {
        kind: NoticeKind::Error,
        text: format!("Your autosaved work could not be read ({message}); {kept}."),
        link: None,
    }
}

fn mount(page: Page, start: Start, kept_aside: Option<Notice>) {
    let from_link = matches!(start, Start::Link(_));
    let (shared, notice) = match start {
        Start::Link(s) | Start::Autosave(s) => (Some(s), None),
        Start::BadLink(message) => (None, Some(bad_link(&message))),
        Start::Crashed(saved) => {
            session::forget(session::CRASHED_KEY);
            (
                None,
                Some(Notice {
                    kind: NoticeKind::Info,
                    text: "Last time, what you were working on made Podstep crash, so it was not reopened."
                        .into(),
                    link: Some(NoticeLink {
                        label: "Reopen it anyway".into(),
                        shared: Rc::new(saved),
                        reopen: Reopen::Autosaved,
                    }),
                }),
            )
        }
        Start::UnreadableAutosave { .. } => (None, kept_aside),
        Start::Default => (None, None),
    };
    yew::Renderer::<App>::with_props(AppProps {
        initial: None,
        shared,
        page,
        notice,
        from_link,
    })
    .render();
}
