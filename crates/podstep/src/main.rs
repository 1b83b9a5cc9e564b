//! `podstep`: the command line over the same engine the playground runs.
//!
//! `podstep check FILE...` prints located diagnostics; `podstep run FILE` prints the kubelet trace.
//! Argument parsing is by hand to keep the binary's dependencies to the engine and `anyhow`.

mod check;
mod run;

/// The engine allocates many small strings and nodes; mimalloc is faster at that than the system
/// allocator (measured on `check` of 2,000 containers). The web app keeps Rust's default.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::{bail, Context, Result};
use std::io::Read;
use std::process::ExitCode;

const USAGE: &str = "\
podstep — step through what the kubelet does with a pod

USAGE:
    podstep check [--format text|json] FILE...
    podstep run FILE [--format text|json] [--until SECONDS] [--at 'SECONDS ACTION']... [--pod NAME]

FILE may be '-' for standard input.
check exits 1 if any error was found, else 0.

run ACTIONS (each with --at 'SECONDS ACTION'):
    delete [grace=N]            delete the pod (optionally with a grace period)
    set-image CONTAINER IMAGE   change a container's image
    kill CONTAINER [exit=N]     the container's process exits with N (default 137)
    oom CONTAINER               the container is OOM-killed
    kubelet-restart             restart the kubelet
    node-reboot                 reboot the node

Container behaviour comes from (first match wins): the pod annotation
podstep.dev/behavior.<container>, the container's command/args (a small sh interpreter),
well-known images (busybox/alpine exit 0 at once; nginx, envoy, redis… serve until SIGTERM),
else a stated default with a warning. Images under .invalid/.example/.test/.localhost or
localhost can never be pulled. See docs/behavior.md.
";

fn main() -> ExitCode {
    match real_main() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("podstep: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn real_main() -> Result<ExitCode> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("check") => check::main(&args[1..]),
        Some("run") => run::main(&args[1..]),
        Some("-h" | "--help" | "help") | None => {
            emit(USAGE)?;
            Ok(ExitCode::SUCCESS)
        }
        Some("-V" | "--version") => {
            emit(&format!("podstep {}\n", env!("CARGO_PKG_VERSION")))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(other) => bail!("unknown command {other:?}\n\n{USAGE}"),
    }
}

/// Writes to standard output; a reader that went away (`podstep run … | head`) is not an error.
pub(crate) fn emit(text: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// Reads a FILE argument, `-` meaning standard input. Bytes that are not UTF-8 become U+FFFD with a
/// warning, so a stray Latin-1 character still gets located diagnostics instead of a refusal.
pub(crate) fn read_input(file: &str) -> Result<String> {
    let bytes = if file == "-" {
        let mut b = Vec::new();
        std::io::stdin()
            .read_to_end(&mut b)
            .context("reading standard input")?;
        b
    } else {
        std::fs::read(file).with_context(|| format!("reading {file}"))?
    };
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            eprintln!("podstep: {file} is not valid UTF-8 (first bad byte at offset {at}); bad bytes are read as U+FFFD");
            Ok(String::from_utf8_lossy(e.as_bytes()).into_owned())
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Text,
    Json,
}

pub(crate) fn parse_format(value: Option<&String>) -> Result<Format> {
    match value.map(String::as_str) {
        Some("text") => Ok(Format::Text),
        Some("json") => Ok(Format::Json),
        Some(other) => bail!("--format takes text or json, not {other:?}"),
        None => bail!("--format needs a value"),
    }
}
