//! Decimal text to `f64`, for `sleep` durations in the simulator's shell (`sim/shell.rs`). It is std's
//! parser; the function stays only so that the shell compiles unchanged until its rewrite, which should
//! parse durations straight to milliseconds (or call `str::parse` itself) and delete this file.

/// `text.parse::<f64>().ok()`.
pub(crate) fn parse_f64(text: &str) -> Option<f64> {
    text.parse().ok()
}
