//! Project automation, run as `cargo xtask <command>` (an alias in `.cargo/config.toml`).
//!
//! The README promises two set-up commands and this crate keeps that promise: `serve` and `test` each
//! install whatever this machine lacks (see [`tools`]), then build, serve or test. Written in Rust so that
//! it needs nothing beyond cargo to start.

mod bench;
mod breakdown;
mod tools;
mod workflow;

use anyhow::{bail, Result};
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  serve   install what is missing, then build and serve the playground on http://127.0.0.1:8080
  test    install what is missing, then fmt, clippy, native tests, wasm tests in headless Chromium,
          trunk release build and Playwright e2e; exits non-zero if any step fails
  bench   measure `podstep check` on 2,000 containers and the playground's transfer size";

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("xtask: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<ExitCode> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(command) = args.first() else {
        println!("{USAGE}");
        return Ok(ExitCode::FAILURE);
    };
    if args.len() > 1 {
        bail!("`{command}` takes no arguments\n\n{USAGE}");
    }
    match command.as_str() {
        "serve" => workflow::serve(),
        "test" => workflow::test(),
        "bench" => bench::bench(),
        "help" | "-h" | "--help" => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => bail!("unknown command `{other}`\n\n{USAGE}"),
    }
}
