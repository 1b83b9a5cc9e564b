//! The playground's components, one per file. They read the shared [`State`](crate::state::State)
//! through a context and change it only by dispatching actions.

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
pub use app::{bad_link, App, AppProps, StateHandle};
pub use conventions::Conventions;
pub use editor::Editor;
pub use gallery::{example_shared, Gallery};
pub use inspector::{kubectl_row, status_yaml, Inspector};
pub use problems::Problems;
pub use resources::Resources;
pub use stepper::{play_delay_ms, Stepper};
pub use timeline::TimelinePanel;
pub use workloads::Workloads;
