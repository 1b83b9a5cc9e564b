//! The whole screen: holds the reducer, passes it to the panels, lays out the panes for the page's
//! view (full playground or embed), and owns the effects that reach outside the page: the URL fragment,
//! autosave, the clipboard, the keyboard, the theme, large text and `hashchange`; the stepper's
//! playback timer runs here too, through its hook.

use super::{
    conventions, gallery, inspector, problems, resources, stepper, workloads, Actions, Editor,
    TimelinePanel,
};
use crate::hooks::{
    use_appearance, use_copy, use_embed_height, use_global_keys, use_persisted_link, use_playback,
    CopyState,
};
use crate::session::{self, Page, Theme, View};
use crate::state::{Action, Notice, NoticeKind, State, SAMPLE};
use crate::timeline::Timeline;
use share::Shared;
use yew::prelude::*;

/// The shared state as the panels receive it.
pub type StateHandle = UseReducerHandle<State>;

/// The props of the panels that are components (editor, timeline, actions): the shared state,
/// passed down rather than through a context, which would add Yew's context provider and its
/// subscriptions to the wasm. Compared as the state is (`State`'s `eq`), so a panel redraws only
/// when it changed.
#[derive(Properties, PartialEq)]
pub struct StateProps {
    pub state: StateHandle,
}

#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// The text the editor opens with; the built-in sample when `None` (and no `shared`).
    #[prop_or_default]
    pub initial: Option<AttrValue>,
    /// A whole scenario to open (a share link or autosave), which wins over `initial`.
    #[prop_or_default]
    pub shared: Option<Shared>,
    #[prop_or_default]
    pub page: Page,
    /// A message to show at the top from the start.
    #[prop_or_default]
    pub notice: Option<Notice>,
}

#[component]
pub fn App(props: &AppProps) -> Html {
    let state = {
        let shared = props.shared.clone().unwrap_or_else(|| Shared {
            manifest: props
                .initial
                .as_ref()
                .map_or(SAMPLE.to_string(), |t| t.to_string()),
            ..Shared::default()
        });
        let (page, notice) = (props.page, props.notice.clone());
        use_reducer(move || State {
            notice,
            ..State::from_shared(page, &shared)
        })
    };
    let page = state.page;

    let look = use_appearance(page);
    let shared = state.to_shared();
    let link = use_persisted_link(page, &shared, state.touched, state.dispatcher());
    // An embed's "Open in Podstep" link: until the compressed link is ready, the longer uncompressed
    // one opens the same scenario.
    let open_full = page.embed.then(|| {
        session::full_link(
            &link
                .fragment
                .clone()
                .unwrap_or_else(|| share::encode_stored(&shared)),
        )
    });

    // The button and Ctrl/Cmd+S both bump `copy_seq`.
    let copied = use_copy(
        page,
        state.copy_seq,
        &shared,
        &link.url,
        link.fragment.as_ref(),
    );

    use_global_keys(state.dispatcher());
    use_playback(&state, state.dispatcher());

    use_embed_height(page);

    let text_button = html! {
        <button type="button" class="text-size" onclick={look.toggle_text.reform(|_| ())} aria-pressed={look.large_text.to_string()}
            title="Large text, for a projector">
            { if look.large_text { "A− Normal text" } else { "A+ Large text" } }
        </button>
    };
    let copy = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::RequestCopy))
    };
    let link_chars = link
        .fragment
        .as_ref()
        .map_or(0, |f| f.len() + session::base_url().len() + 1);
    let long_link = link_chars > share::LONG_LINK_CHARS;

    let notice = state.notice.as_ref().map(|n| notice_view(&state, n));
    let share_bar = html! {
        <div class="share">
            <button type="button" class="primary" onclick={copy} title="Copy a link to this exact scenario (Ctrl+S)">
                { "Copy link" }
            </button>
            <span class="share-status" role="status" aria-live="polite">
                { match &copied {
                    Some((CopyState::Pending, _)) => "Copying…",
                    Some((CopyState::Done, _)) => "Link copied",
                    Some((CopyState::Manual, _)) => "Copy this link:",
                    None => "",
                } }
            </span>
            if let Some((CopyState::Manual, link)) = &copied {
                <input class="share-link" readonly=true aria-label="Share link" value={link.clone()} />
            }
            if long_link {
                <span class="share-warning">
                    { format!("This link is {} characters long; some chat and mail tools cut links past {}.",
                        link_chars, share::LONG_LINK_CHARS) }
                </span>
            }
        </div>
    };
    let theme_label = match look.theme {
        Some(Theme::Dark) => "Dark theme",
        Some(Theme::Light) => "Light theme",
        None => "System theme",
    };
    let theme_button = html! {
        <button type="button" class="theme" onclick={look.toggle_theme.reform(|_| ())} aria-label={format!("{theme_label}: switch")}
            title="Switch between light and dark">
            { match look.theme { Some(Theme::Dark) => "☾ Dark", Some(Theme::Light) => "☀ Light", None => "◐ Auto" } }
        </button>
    };

    // The pod at the cursor, which the stepper's sentence and the inspector both show: folded once.
    let view = state
        .run
        .as_ref()
        .and_then(|r| Timeline::view_at(&r.workload, &r.trace, state.step));
    let right = html! {
        <div class="right">
            <TimelinePanel state={state.clone()} />
            { stepper(&state, view.as_ref()) }
            { inspector(&state, view.as_ref()) }
            if !page.readonly && page.view == View::Full {
                <Actions state={state.clone()} />
            }
        </div>
    };
    let left = html! {
        <div class="left">
            <Editor state={state.clone()} />
            { problems(&state) }
            if page.view == View::Full {
                { resources(&state) }
                { workloads(&state) }
                { conventions() }
            }
        </div>
    };

    let body = if let Some(open) = open_full {
        html! {
            <>
                <header class="top compact">
                    <span class="brand">{ "Podstep" }</span>
                    <a class="open-full" href={open} target="_blank" rel="noopener">{ "Open in Podstep ↗" }</a>
                </header>
                { for notice }
                <main class={classes!("panes", match page.view { View::Timeline => "view-timeline", _ => "view-split" })}>
                    if page.view != View::Timeline {
                        { left }
                    }
                    { right }
                </main>
            </>
        }
    } else {
        html! {
            <>
                <header class="top">
                    <h1>{ "Podstep" }</h1>
                    <p class="tagline">{ "What the kubelet does with your pod, step by step." }</p>
                    <div class="toolbar">
                        { gallery(&state) }
                        { share_bar }
                        { text_button }
                        { theme_button }
                    </div>
                </header>
                { for notice }
                <main class="panes">
                    { left }
                    { right }
                </main>
            </>
        }
    };
    html! {
            <div class={classes!("app", page.embed.then_some("embed"), page.readonly.then_some("readonly"))}>
                { body }
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

fn notice_view(state: &StateHandle, n: &Notice) -> Html {
    let dismiss = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::DismissNotice))
    };
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
