//! Installing what the playground's build and tests need, each only when it is missing or at the wrong
//! version, so that `cargo xtask serve` and `cargo xtask test` work on a fresh machine and cost seconds on
//! a prepared one.
//!
//! The recipe is the one verified on these machines (crates, npm and Debian registries only; GitHub
//! downloads fail): trunk and the wasm-bindgen CLI from crates.io, wasm-opt and Playwright from npm
//! (`package-lock.json`), Chromium and chromedriver from Debian. Versions are pinned here and must match
//! `Trunk.toml` and the web crate's `wasm-bindgen = "=…"`: trunk uses a tool on PATH only at exactly the
//! version it was told, and never downloads one (`offline = true`).

use anyhow::{bail, Context, Result};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

pub const TRUNK_VERSION: &str = "0.21.14";
/// Also the version of `wasm-bindgen-test-runner`, which comes in the same package.
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";
/// npm's `binaryen` package; Debian's (108) and the `wasm-opt` crate (116) reject rustc 1.95's output.
pub const WASM_OPT_VERSION: &str = "132";
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// What a command needs before it can run.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// trunk, wasm-bindgen, wasm-opt: enough to build and serve the playground.
    Build,
    /// Also rustfmt, clippy, Chromium with chromedriver, and Playwright.
    Test,
}

/// The repository root (this crate lives in `crates/xtask`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/xtask has a grandparent")
        .to_path_buf()
}

/// Puts cargo's bin directory and `node_modules/.bin` first on PATH (for this process and all it starts),
/// and tells trunk not to ask the registry about its own updates.
pub fn prepare_env(root: &Path) -> Result<()> {
    let mut dirs = vec![root.join("node_modules/.bin"), cargo_home().join("bin")];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    let path: OsString =
        std::env::join_paths(dirs).context("PATH holds a directory with a `:` in its name")?;
    std::env::set_var("PATH", path);
    std::env::set_var("TRUNK_SKIP_VERSION_CHECK", "true");
    // Playwright drives Debian's chromium; it must never try to download a browser of its own.
    std::env::set_var("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    Ok(())
}

/// Installs whatever `need` requires and is missing; says what it found or did, one line per tool.
pub fn ensure(root: &Path, need: Need) -> Result<()> {
    let started = Instant::now();
    if need == Need::Test {
        ensure_rustup_components(&["rustfmt", "clippy"])?;
    }
    ensure_wasm_target()?;
    ensure_cargo_tool("trunk", &[], "trunk", TRUNK_VERSION, true)?;
    // No --locked: the package's own lock file wants a crate version this registry lacks.
    ensure_cargo_tool(
        "wasm-bindgen",
        &["wasm-bindgen-test-runner"],
        "wasm-bindgen-cli",
        WASM_BINDGEN_VERSION,
        false,
    )?;
    if need == Need::Test {
        ensure_chromium()?;
    }
    ensure_node_modules(root)?;
    println!(
        "xtask: tools ready ({:.1} s)",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn cargo_home() -> PathBuf {
    match std::env::var_os("CARGO_HOME") {
        Some(home) => PathBuf::from(home),
        None => PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo"),
    }
}

/// The cargo that runs xtask (`cargo run` says which in `CARGO`), so nested builds use the same toolchain.
pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// `program args…`'s standard output, or `None` if it cannot be run or fails.
fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program)
        .args(args)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Runs a command to completion, failing unless it succeeds.
pub fn run(cmd: &mut Command) -> Result<()> {
    println!("xtask: $ {}", describe(cmd));
    let status = cmd
        .status()
        .with_context(|| format!("cannot start `{}`", describe(cmd)))?;
    if !status.success() {
        bail!("`{}` failed ({status})", describe(cmd));
    }
    Ok(())
}

pub fn describe(cmd: &Command) -> String {
    let mut words = vec![cmd.get_program().to_string_lossy().into_owned()];
    words.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    words.join(" ")
}

fn ensure_rustup_components(components: &[&str]) -> Result<()> {
    let installed = output_of("rustup", &["component", "list", "--installed"]).unwrap_or_default();
    for component in components {
        if installed
            .lines()
            .any(|l| l == *component || l.starts_with(&format!("{component}-")))
        {
            println!("xtask: rustup component {component}: present");
        } else {
            run(Command::new("rustup").args(["component", "add", component]))?;
        }
    }
    Ok(())
}

fn ensure_wasm_target() -> Result<()> {
    let installed = output_of("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        println!("xtask: rust target {WASM_TARGET}: present");
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

/// True if `program --version` names exactly `version` (`trunk 0.21.14`).
fn has_version(program: &str, version: &str) -> bool {
    output_of(program, &["--version"])
        .is_some_and(|out| out.split_whitespace().any(|w| w == version))
}

fn ensure_cargo_tool(
    program: &str,
    also: &[&str],
    package: &str,
    version: &str,
    locked: bool,
) -> Result<()> {
    if std::iter::once(&program)
        .chain(also)
        .all(|p| has_version(p, version))
    {
        println!("xtask: {package} {version}: present");
        return Ok(());
    }
    println!("xtask: installing {package} {version} with cargo install (this takes minutes, once)");
    let mut cmd = cargo();
    cmd.args(["install", package, "--version", version]);
    if locked {
        cmd.arg("--locked");
    }
    run(&mut cmd)?;
    if !has_version(program, version) {
        bail!("installed {package} {version}, but `{program} --version` on PATH says otherwise");
    }
    Ok(())
}

fn is_root() -> bool {
    output_of("id", &["-u"]).is_some_and(|uid| uid.trim() == "0")
}

/// `apt-get install -y packages…` (after `apt-get update`), through sudo when not root.
fn apt_install(packages: &[&str]) -> Result<()> {
    if output_of("apt-get", &["--version"]).is_none() {
        bail!(
            "{} are missing and this machine has no apt-get: install them by hand",
            packages.join(", ")
        );
    }
    let apt = |args: &[&str]| {
        let mut cmd = if is_root() {
            Command::new("apt-get")
        } else {
            Command::new("sudo")
        };
        if !is_root() {
            cmd.arg("apt-get");
        }
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    };
    run(&mut apt(&["update"]))?;
    let mut install = apt(&["install", "-y"]);
    install.args(packages);
    run(&mut install)
}

fn ensure_chromium() -> Result<()> {
    if Path::new(CHROMIUM).exists() && output_of("chromedriver", &["--version"]).is_some() {
        println!("xtask: chromium and chromedriver: present");
        return Ok(());
    }
    println!("xtask: installing chromium and chromedriver from Debian");
    apt_install(&["chromium", "chromium-driver"])
}

/// `npm ci` unless `node_modules` already matches `package-lock.json` and holds the right wasm-opt.
fn ensure_node_modules(root: &Path) -> Result<()> {
    if output_of("npm", &["--version"]).is_none() {
        println!("xtask: installing node and npm from Debian");
        apt_install(&["nodejs", "npm"])?;
    }
    let lock = root.join("package-lock.json");
    let installed = root.join("node_modules/.package-lock.json");
    let fresh = match (modified(&lock), modified(&installed)) {
        (Some(lock), Some(installed)) => installed >= lock,
        _ => false,
    };
    let wasm_opt = output_of("wasm-opt", &["--version"]).unwrap_or_default();
    let wasm_opt_ok = wasm_opt.split_whitespace().any(|w| w == WASM_OPT_VERSION);
    let playwright_ok = root
        .join("node_modules/@playwright/test/package.json")
        .exists();
    if fresh && wasm_opt_ok && playwright_ok {
        println!("xtask: node_modules (wasm-opt {WASM_OPT_VERSION}, Playwright): present");
        return Ok(());
    }
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(root))?;
    let wasm_opt = output_of("wasm-opt", &["--version"]).unwrap_or_default();
    if !wasm_opt.split_whitespace().any(|w| w == WASM_OPT_VERSION) {
        bail!(
            "after npm ci, `wasm-opt --version` says {wasm_opt:?}, not version {WASM_OPT_VERSION}"
        );
    }
    Ok(())
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}
