//! House rules checked as plain tests: every Rust file opens with a `//!` paragraph saying why it exists,
//! and no test is switched off with an ignore attribute.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            if !matches!(
                name.to_str(),
                Some("target" | "node_modules" | "corpus" | "artifacts")
            ) {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn all_rust_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for dir in ["crates", "web", "fuzz/fuzz_targets"] {
        rust_files(&root.join(dir), &mut files);
    }
    files.sort();
    assert!(
        files.len() > 30,
        "found only {} Rust files: wrong root?",
        files.len()
    );
    files
}

#[test]
fn every_rust_file_says_why_it_exists() {
    let missing: Vec<_> = all_rust_files()
        .into_iter()
        .filter(|f| {
            !std::fs::read_to_string(f)
                .unwrap_or_default()
                .starts_with("//!")
        })
        .collect();
    assert!(
        missing.is_empty(),
        "files without a `//!` opening paragraph: {missing:?}"
    );
}

#[test]
fn no_test_is_ignored() {
    let marker = concat!("#[", "ignore");
    let ignored: Vec<_> = all_rust_files()
        .into_iter()
        .filter(|f| {
            std::fs::read_to_string(f)
                .unwrap_or_default()
                .contains(marker)
        })
        .collect();
    assert!(ignored.is_empty(), "ignored tests: {ignored:?}");
}
