//! The playground's components, one per file. Each panel gets the data it shows — the state's shared
//! parts as [`ById`](crate::by_id::ById), compared by identity — and narrow callbacks that dispatch
//! its actions; only `App` holds the reducer, and only the hooks `App` runs (`crate::hooks`) reach
//! outside the page.

mod actions;
mod app;
mod appearance;
mod assumptions;
mod code_editor;
mod conventions;
mod editor;
mod fix_preview;
mod gallery;
mod inspector;
mod notice;
mod problems;
mod raw;
mod resources;
mod share_bar;
mod stepper;
mod timeline;
mod workloads;

pub use actions::{action_problem, Actions};
pub use app::{App, AppProps};
pub use appearance::AppearanceSwitches;
pub use assumptions::Assumptions;
pub use code_editor::CodeEditor;
pub use conventions::Conventions;
pub use editor::Editor;
pub use fix_preview::FixPreview;
pub use gallery::{example_shared, Gallery};
pub use inspector::{kubectl_row, status_yaml, Inspector};
pub use notice::{bad_link, NoticeBar};
pub use problems::Problems;
pub use raw::Raw;
pub use resources::Resources;
pub use share_bar::ShareBar;
pub use stepper::Stepper;
pub use timeline::{MiniTimeline, TimelinePanel};
pub use workloads::Workloads;

use yew::Callback;

/// An event handler that passes on to `to` what `read` finds in the event, if it finds anything (a
/// value that parses, an example that exists).
fn emit_some<E: 'static, T: 'static>(
    to: &Callback<T>,
    read: impl Fn(E) -> Option<T> + 'static,
) -> Callback<E> {
    let to = to.clone();
    Callback::from(move |e| {
        if let Some(value) = read(e) {
            to.emit(value);
        }
    })
}
