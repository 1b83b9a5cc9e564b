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

/// Reads one scenario header line of a fixture (`# at: SECONDS ACTION`, `# until: SECONDS`,
/// `# version: 1.NN`, `# gates: A=true,B=false`, as `--feature-gates` takes them, after `version`;
/// `# max-container-restart-period: SECONDS`, the kubelet's crash back-off cap)
/// into `scenario`; `Ok(false)` if `key` is none of them.
pub fn scenario_line(
    key: &str,
    value: &str,
    scenario: &mut lifecycle::sim::Scenario,
) -> Result<bool, String> {
    use lifecycle::sim::{Action, Ms, Version};
    match key {
        "at" => {
            let (t, action) = value
                .split_once(char::is_whitespace)
                .ok_or_else(|| format!("`# at: {value}`: expected SECONDS ACTION"))?;
            let t: f64 = t
                .parse()
                .map_err(|_| format!("`# at: {value}`: {t:?} is not a number"))?;
            let action = Action::parse(action.trim())?;
            scenario
                .actions
                .push((Ms((t * 1000.0).round() as u64), action));
        }
        "until" => {
            scenario.until_s = value
                .parse()
                .map_err(|_| format!("`# until: {value}`: not a whole number"))?
        }
        "version" => {
            let minor = value
                .strip_prefix("1.")
                .and_then(|m| m.parse().ok())
                .ok_or_else(|| format!("`# version: {value}`: use 1.MINOR"))?;
            scenario.version = Version { minor };
        }
        "max-container-restart-period" => {
            let s: u64 = value
                .trim_end_matches('s')
                .parse()
                .map_err(|_| format!("`# max-container-restart-period: {value}`: seconds"))?;
            scenario.max_container_restart_period = Some(Ms::from_s(s));
        }
        "gates" => {
            let mut kube = scenario.kube();
            kube.parse_overrides(value)?;
            scenario.gates = kube.overrides;
        }
        _ => return Ok(false),
    }
    Ok(true)
}
