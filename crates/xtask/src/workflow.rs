//! `serve` builds and serves the playground; `test` runs every check CI runs, in order.
//!
//! `test` runs all its steps even after one fails (so one run shows every problem), except that the
//! e2e tests need the release build; it prints each runner's own output, a timed summary, and exits
//! non-zero if anything failed.

use crate::tools::{self, cargo, describe, Need, WASM_TARGET};
use anyhow::{Context, Result};
use std::process::{Command, ExitCode};
use std::time::Instant;

pub fn serve() -> Result<ExitCode> {
    let root = tools::repo_root();
    tools::prepare_env(&root)?;
    tools::ensure(&root, Need::Build)?;
    println!("xtask: serving the playground on http://127.0.0.1:8080 (Ctrl+C stops)");
    // `Trunk.toml` binds 127.0.0.1:8080. Its public URL is relative so that dist/ works under any
    // sub-path; the dev server serves at the root, so it gets the plain absolute one.
    let mut cmd = Command::new("trunk");
    cmd.args(["serve", "--public-url", "/"]).current_dir(&root);
    let status = cmd
        .status()
        .with_context(|| format!("cannot start `{}`", describe(&cmd)))?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

struct Step {
    name: &'static str,
    cmd: Command,
    /// A step that must have passed for this one to run (by name).
    needs: Option<&'static str>,
}

fn step(name: &'static str, mut cmd: Command, args: &[&str]) -> Step {
    cmd.args(args);
    Step {
        name,
        cmd,
        needs: None,
    }
}

#[derive(PartialEq)]
enum Outcome {
    Passed,
    Failed,
    Skipped,
}

pub fn test() -> Result<ExitCode> {
    let root = tools::repo_root();
    tools::prepare_env(&root)?;
    tools::ensure(&root, Need::Test)?;

    let mut steps = [
        step("fmt", cargo(), &["fmt", "--all", "--check"]),
        // The web crate is built for the browser only: it is linted and tested on wasm32, not natively.
        step(
            "clippy (native)",
            cargo(),
            &[
                "clippy",
                "--workspace",
                "--exclude",
                "web",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        ),
        step(
            "clippy (web, wasm32)",
            cargo(),
            &[
                "clippy",
                "-p",
                "web",
                "--target",
                WASM_TARGET,
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        ),
        // The web crate's pure view logic (tests/logic.rs) runs natively too.
        step("native tests", cargo(), &["test", "--workspace"]),
        // The runner is `wasm-bindgen-test-runner` (.cargo/config.toml); it drives headless Chromium
        // through chromedriver, both found on PATH.
        step(
            "wasm tests (headless Chromium)",
            cargo(),
            &["test", "-p", "web", "--target", WASM_TARGET],
        ),
        step(
            "trunk build --release",
            Command::new("trunk"),
            &["build", "--release"],
        ),
        Step {
            needs: Some("trunk build --release"),
            ..step(
                "e2e (Playwright)",
                Command::new("playwright"),
                &["test", "-c", "tests/playwright.config.mjs"],
            )
        },
    ];

    let total = steps.len();
    let mut results: Vec<(&'static str, Outcome, f64)> = Vec::new();
    for (i, s) in steps.iter_mut().enumerate() {
        s.cmd.current_dir(&root);
        println!("\n==> [{}/{total}] {}: {}", i + 1, s.name, describe(&s.cmd));
        if let Some(needed) = s.needs {
            if !results
                .iter()
                .any(|(name, outcome, _)| *name == needed && *outcome == Outcome::Passed)
            {
                println!("xtask: skipped: `{needed}` did not pass");
                results.push((s.name, Outcome::Skipped, 0.0));
                continue;
            }
        }
        let started = Instant::now();
        let ok = match s.cmd.status() {
            Ok(status) => status.success(),
            Err(e) => {
                eprintln!("xtask: cannot start `{}`: {e}", describe(&s.cmd));
                false
            }
        };
        let outcome = if ok { Outcome::Passed } else { Outcome::Failed };
        results.push((s.name, outcome, started.elapsed().as_secs_f64()));
    }

    println!("\nxtask: summary");
    for (name, outcome, secs) in &results {
        let word = match outcome {
            Outcome::Passed => "ok",
            Outcome::Failed => "FAILED",
            Outcome::Skipped => "skipped",
        };
        println!("  {word:<8} {name:<32} {secs:>6.1} s");
    }
    let passed = results
        .iter()
        .filter(|(_, o, _)| *o == Outcome::Passed)
        .count();
    let failed = results.len() - passed;
    println!("steps: {passed} passed, {failed} failed");
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
