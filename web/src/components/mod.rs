//! The playground's components, one per file. They read the shared [`State`](crate::state::State)
//! (a prop of the components, an argument of the view functions; not a context, whose provider
//! and subscriptions would add to the wasm) and change it only by dispatching actions. The panels
//! with no state of their own (inspector, problems, resources, workloads, conventions, gallery
//! picker) are view functions that `App` calls with the state: the same markup, without a
//! component's cost in wasm. So is the stepper, whose one effect (playback) is a hook `App` calls.

mod actions;
mod app;
mod conventions;
mod editor;
mod gallery;
mod inspector;
mod problems;
mod resources;
mod stepper;
mod timeline;
mod workloads;

pub use actions::{action_problem, Actions};
pub use app::{bad_link, App, AppProps, StateHandle, StateProps};
pub use conventions::conventions;
pub use editor::Editor;
pub use gallery::{example_shared, gallery};
pub use inspector::{inspector, kubectl_row, status_yaml};
pub use problems::problems;
pub use resources::resources;
pub use stepper::stepper;
pub use timeline::TimelinePanel;
pub use workloads::workloads;
