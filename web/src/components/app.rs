//! The whole screen: holds the reducer, runs the hooks that reach outside the page (`crate::hooks`),
//! hands each panel the data it shows and callbacks that dispatch its actions, and lays out the
//! panes for the page's view (full playground or embed).

use super::{
    Actions, AppearanceSwitches, Assumptions, CodeEditor, Conventions, Gallery, Inspector,
    NoticeBar, Problems, Resources, ShareBar, Stepper, TimelinePanel, Workloads,
};
use crate::by_id::ById;
use crate::hooks::{
    use_action, use_appearance, use_copy, use_embed_height, use_global_keys, use_lint,
    use_persisted_link, use_playback, Changes,
};
use crate::session::{self, Page, View};
use crate::state::{Action, Notice, NoticeLink, State, SAMPLE};
use crate::timeline::Timeline;
use share::Shared;
use yew::prelude::*;

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
    /// The scenario comes from someone's link, not from the person's own autosave.
    #[prop_or_default]
    pub from_link: bool,
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
        let foreign = props.from_link;
        use_reducer(move || {
            let state = State::from_shared(page, &shared);
            State {
                notice: notice.or(state.notice.clone()),
                foreign,
                ..state
            }
        })
    };
    let page = state.page;

    let look = use_appearance(page);
    let shared = state.to_shared();
    let changes = Changes {
        touched: state.touched,
        edited: state.edited,
        foreign: state.foreign,
    };
    let link = use_persisted_link(
        page,
        &shared,
        state.example.as_deref(),
        changes,
        state.dispatcher(),
    );
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
    use_lint(&state, state.dispatcher());

    let dispatcher = state.dispatcher();
    let on_edit = use_action(&dispatcher, Action::Edit);
    let on_jump = use_action(&dispatcher, |(line, column)| Action::JumpTo {
        line,
        column,
    });
    let on_go = use_action(&dispatcher, Action::Go);
    let on_toggle_play = use_action(&dispatcher, |()| Action::TogglePlay);
    let on_speed = use_action(&dispatcher, Action::SetSpeed);
    let on_select_workload = use_action(&dispatcher, Action::SelectWorkload);
    let on_add = use_action(&dispatcher, Action::AddAction);
    let on_remove = use_action(&dispatcher, Action::RemoveAction);
    let on_minor = use_action(&dispatcher, Action::SetMinor);
    let on_gate = use_action(&dispatcher, |(gate, on)| Action::SetGate(gate, on));
    let on_until = use_action(&dispatcher, Action::SetUntil);
    let on_max_restart = use_action(&dispatcher, Action::SetMaxRestart);
    let on_dismiss = use_action(&dispatcher, |()| Action::DismissNotice);
    let on_copy = use_action(&dispatcher, |()| Action::RequestCopy);
    let on_open_notice = use_action(&dispatcher, |l: NoticeLink| {
        Action::Reopen(l.shared, l.reopen)
    });
    let on_save_file = {
        let source = state.source.clone();
        use_callback(source, |(), source| {
            session::download("podstep-manifest.yaml", source);
        })
    };
    let on_preview = use_action(&dispatcher, Action::PreviewFix);
    let on_fix = use_action(&dispatcher, Action::ApplyFix);
    let on_undo = use_action(&dispatcher, |()| Action::UndoFix);

    let run = state.run.as_ref().map(ById::new);
    let checked = ById::new(&state.checked);
    // The pod at the cursor, which the stepper's sentence and the inspector both show: folded once
    // for each run and step.
    let view = ById::from(use_memo((run.clone(), state.step), |(run, step)| {
        run.as_ref()
            .and_then(|r| Timeline::view_at(&r.workload, &r.trace, *step))
    }));

    // An embed's "Open in Podstep" link: until the compressed link is ready, the longer uncompressed
    // one opens the same scenario.
    let open_full = page.embed.then(|| {
        session::full_link(
            &link
                .fragment
                .clone()
                .or_else(|| share::encode_stored(&shared).ok())
                .unwrap_or_default(),
        )
    });
    let link_chars = link
        .fragment
        .as_ref()
        .map_or(0, |f| f.len() + session::base_url().len() + 1);
    let example: Option<AttrValue> = state.example.clone().map(AttrValue::from);

    let notice = state.notice.clone().map(|notice| {
        html! { <NoticeBar {notice} on_dismiss={on_dismiss.clone()} on_open={on_open_notice.clone()} /> }
    });
    let right = html! {
        <div class="right">
            <TimelinePanel run={run.clone()} step={state.step} checked={checked.clone()}
                workload={state.workload} readonly={page.readonly} example={example.clone()}
                blocked={state.blocked()} stale={state.stale} on_go={on_go.clone()} {on_select_workload} />
            <Assumptions run={run.clone()} source={ById::new(&state.source)} readonly={page.readonly}
                on_edit={on_edit.clone()} />
            <Stepper run={run.clone()} view={view.clone()} step={state.step} playing={state.playing}
                speed={state.speed} {on_go} {on_toggle_play} {on_speed} />
            <Inspector run={run.clone()} {view} stale={state.stale} />
            if !page.readonly && page.view == View::Full {
                <Actions checked={checked.clone()} workload={state.workload} {run} step={state.step}
                    actions={ById::new(&state.actions)} minor={state.minor} gates={state.gates.clone()}
                    until_s={state.until_s} max_restart_s={state.max_restart_s}
                    {on_add} {on_remove} {on_minor} {on_gate} {on_until} {on_max_restart} />
            }
        </div>
    };
    let left = html! {
        <div class="left">
            <CodeEditor source={ById::new(&state.source)} checked={checked.clone()}
                lint={state.lint.as_ref().map(ById::new)} jump={state.jump}
                readonly={page.readonly} plain={page.plain_editor} {on_edit} on_fix={on_fix.clone()} />
            <Problems checked={checked.clone()} lint={state.lint.as_ref().map(ById::new)}
                preview={state.preview.as_ref().map(ById::new)}
                undo_fix={state.undo_fix.as_ref().map(|(_, t)| AttrValue::from(t.clone()))}
                run={state.run.as_ref().map(ById::new)} readonly={page.readonly}
                {on_jump} {on_preview} {on_fix} {on_undo} />
            if page.view == View::Full {
                <Resources checked={checked.clone()} workload={state.workload} />
                <Workloads {checked} />
                <Conventions />
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
                        <Gallery current={example} on_open={link.open_example} />
                        <ShareBar {copied} {link_chars} too_large={link.too_large} {on_copy} {on_save_file} />
                        <AppearanceSwitches theme={look.theme} large_text={look.large_text}
                            on_toggle_theme={look.toggle_theme} on_toggle_text={look.toggle_text} />
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
