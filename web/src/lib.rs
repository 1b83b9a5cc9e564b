//! Podstep's playground: a Yew app over the `lifecycle` engine, with no server behind it.
//!
//! The app lives in this library so that `tests/` can render its components in a browser; `main.rs`
//! only mounts [`components::App`]. The crate holds no lifecycle logic: it shows what
//! `lifecycle::check` returns.

pub mod components;
pub mod state;
