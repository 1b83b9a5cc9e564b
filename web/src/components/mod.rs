//! The playground's components, one per file. They read the shared [`State`](crate::state::State)
//! through a context and change it only by dispatching actions.

mod app;
mod editor;
mod problems;
mod workloads;

pub use app::{App, AppProps, StateHandle};
pub use editor::Editor;
pub use problems::Problems;
pub use workloads::Workloads;
