//! The playground's entry point: reads how the page was opened (query, fragment, autosave), installs
//! the crash report, and mounts the app on `<body>` once the links are read (the browser inflates
//! them, asynchronously). Nothing else belongs here.

use web::components::{bad_link, App, AppProps};
use web::session::{self, Page, Start};
use web::state::{Notice, NoticeKind};

fn main() {
    session::mark("podstep:start");
    let (fragment, query) = session::location();
    let page = Page {
        persist: true,
        ..Page::from_query(&query)
    };
    web::panic::install(page.autosaves());
    // A link in the URL wins over autosave (`session::choose`), so storage is read only without one:
    // each link read is a round trip through the browser's inflater before the first paint.
    let from_storage = page.autosaves() && fragment.trim_start_matches('#').is_empty();
    let autosave = from_storage
        .then(|| session::load(session::AUTOSAVE_KEY))
        .flatten();
    // The crash marker matters only beside an autosave it might match.
    let crashed = autosave
        .is_some()
        .then(|| session::load(session::CRASHED_KEY))
        .flatten();
    // Links are inflated by the browser, asynchronously: the app mounts once they are read.
    wasm_bindgen_futures::spawn_local(async move {
        let [fragment, autosave, crashed] =
            session::read_links([Some(&fragment), autosave.as_deref(), crashed.as_deref()]).await;
        mount(page, session::choose(fragment, autosave, crashed, &page));
    });
}

fn mount(page: Page, start: Start) {
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
                    link: Some(("Reopen it anyway".into(), format!("#{saved}"))),
                }),
            )
        }
        Start::UnreadableAutosave(message) => {
            // Kept aside, so that the next edit's autosave does not overwrite it.
            let moved = session::load(session::AUTOSAVE_KEY)
                .is_some_and(|text| session::try_save(session::UNREADABLE_KEY, &text));
            if moved {
                session::forget(session::AUTOSAVE_KEY);
            }
            let kept = if moved {
                format!(
                    "it is kept in this browser's storage as {}",
                    session::UNREADABLE_KEY
                )
            } else {
                "it could not be kept aside either".to_string()
            };
            (
                None,
                Some(Notice {
                    kind: NoticeKind::Error,
                    text: format!("Your autosaved work could not be read ({message}); {kept}."),
                    link: None,
                }),
            )
        }
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
