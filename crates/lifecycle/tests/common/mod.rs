//! What the golden-file harnesses (`check.rs`, `sim.rs`, `gallery.rs`) share: finding fixtures,
//! comparing with a golden file while collecting every failure, and refusing orphan goldens.
#![allow(dead_code)] // each harness uses a different part

use std::path::{Path, PathBuf};

/// The `*.yaml` fixtures of `dir`, in name order.
pub fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

/// Compares `actual` with the golden file (`UPDATE_EXPECT=1` rewrites it); false when they differ, after
/// expect-test has printed the diff, so one run reports every fixture that changed.
pub fn matches_golden(golden: &Path, actual: &str) -> bool {
    let golden = golden.to_path_buf();
    std::panic::catch_unwind(|| expect_test::expect_file![golden].assert_eq(actual)).is_ok()
}

/// Golden `*.txt` files of `dir` without a `*.yaml` fixture beside them: dead weight that would hide a
/// renamed fixture.
pub fn orphan_goldens(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt") && !p.with_extension("yaml").exists())
        .collect()
}

/// Fails with every collected problem at once.
pub fn assert_none_failed(failed: &[String], what: &str) {
    assert!(
        failed.is_empty(),
        "{} {what}:\n{}",
        failed.len(),
        failed.join("\n")
    );
}
