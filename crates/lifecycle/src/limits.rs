//! Every limit the engine enforces, in one place, so the README, the diagnostics and the tests agree.
//!
//! Each one is reported when hit (a diagnostic naming the limit and its value, or a trace that ends with
//! `why: "limit"`), never applied silently.

/// Largest manifest accepted, in bytes of UTF-8.
pub const MAX_INPUT_BYTES: usize = 1024 * 1024;
/// Most lines Podstep reads (and the playground's editor highlights): a megabyte of YAML is some
/// 30,000 lines, and a short text of nothing but newlines must not cost a page a line of DOM each.
pub const MAX_INPUT_LINES: usize = 50_000;
/// Most hidden-character warnings for one input; the rest are counted in the last one.
pub const MAX_HIDDEN_CHAR_WARNINGS: usize = 20;
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

/// The container shell's bounds (`sim/shell/`); each one hit is said in a note.
///
/// Longest one `resume` may run without simulated time passing: a loop that never sleeps spins for
/// ever, and is let through a second of simulated time per this many steps (its file effects at
/// sub-second granularity are not observable by probes anyway). Command substitutions share it.
pub const SHELL_MAX_STEPS_PER_RESUME: usize = 1_000;
/// How deep functions, subshells, `source`, `eval` and `$(…)` may nest.
pub const SHELL_MAX_DEPTH: usize = 32;
/// Most background jobs running at once (fewer inside a job; none two levels down).
pub const SHELL_MAX_JOBS: usize = 16;
/// Most variables one shell holds.
pub const SHELL_MAX_VARS: usize = 4096;
/// Most nodes one script may have (with everything `source`, `eval` and traps add to it).
pub const SHELL_MAX_NODES: usize = 20_000;
/// Longest text a regex is run over (longer lines are cut): keeps matching quadratic at worst.
pub const SHELL_MAX_REGEX_INPUT: usize = 4096;
/// Most numbers one `seq` prints.
pub const SHELL_SEQ_MAX: usize = 10_000;
