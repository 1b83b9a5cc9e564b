//! Every limit the engine enforces, in one place, so the README, the diagnostics and the tests agree.
//!
//! Each one is reported when hit (a diagnostic naming the limit and its value, or a trace that ends with
//! `why: "limit"`), never applied silently.

/// Largest manifest accepted, in bytes of UTF-8.
pub const MAX_INPUT_BYTES: usize = 1024 * 1024;
/// Most `---` documents (and `List` items) read from one input.
pub const MAX_DOCUMENTS: usize = 1000;
/// Most containers (init + app) in one pod.
pub const MAX_CONTAINERS_PER_POD: usize = 5000;
/// Deepest nesting of YAML collections.
pub const MAX_NESTING_DEPTH: usize = 64;
/// Most YAML nodes, counting each alias at its expanded size.
pub const MAX_YAML_NODES: usize = 1_000_000;
/// Default simulated horizon of a run, in seconds (`--until`).
pub const DEFAULT_HORIZON_S: u64 = 600;
/// Longest simulated horizon a run may ask for, in seconds (one day).
pub const MAX_HORIZON_S: u64 = 86_400;
/// Most trace steps one run may produce before it stops with `why: "limit"`.
pub const MAX_STEPS: usize = 200_000;
/// Most internal events (syncs, process wake-ups, probe runs) one run may handle before it stops with
/// `why: "limit"`: about 0.1 s of work natively (a 1,000-container pod needs ~200k for 600 s), so a
/// pasted manifest can never hang the page.
pub const MAX_EVENTS: u64 = 400_000;
/// Most timed actions in one scenario.
pub const MAX_ACTIONS: usize = 100;
/// Largest number accepted in a duration field, in seconds (ten years); larger values are clamped
/// with a warning, because Kubernetes accepts them but no simulation can use them.
pub const MAX_SECONDS_FIELD: i64 = 315_360_000;

/// Largest content one simulated file holds; writes beyond it are dropped (a script appending in a
/// loop would otherwise grow without bound). Generous for the files scripts and probes read.
pub const MAX_FILE_BYTES: usize = 64 * 1024;
