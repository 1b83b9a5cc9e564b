//! `podstep`: the command line over the same engine the playground runs.
//!
//! `podstep check FILE...` prints located diagnostics; `podstep run FILE` prints the kubelet trace;
//! `podstep lint FILE...` adds what the runs show will go wrong, with fixes.
//! This file reads the command word and hands the rest of the arguments to that command; each
//! command's flags, and the help printed from them, are in its own [`args::Spec`].

mod args;
mod check;
mod lint;
mod run;

/// The engine allocates many small strings and nodes; mimalloc is faster at that than the system
/// allocator (measured on `check` of 2,000 containers). The web app keeps Rust's default.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::{Context, Result};
use args::{Flag, Item, Spec, Usage, EXIT_UNUSABLE};
use lifecycle::quote::quote;
use std::io::Read;
use std::process::ExitCode;

fn main() -> ExitCode {
    match real_main() {
        Ok(code) => code,
        Err(e) => {
            match e.downcast_ref::<Usage>() {
                Some(usage) => eprintln!("podstep: {usage} {}", usage.hint()),
                None => eprintln!("podstep: {e:#}"),
            }
            ExitCode::from(EXIT_UNUSABLE)
        }
    }
}

#[derive(Clone, Copy)]
enum Top {
    Version,
}

/// The top level: the commands, `--version`, and the exit codes every command shares.
fn spec() -> Spec<Top> {
    let commands = [
        (check::spec().usage[0].clone(), check::ABOUT),
        (run::spec().usage[0].clone(), run::ABOUT),
        (lint::spec().usage[0].clone(), lint::ABOUT),
        (
            "podstep help [COMMAND]".to_string(),
            "print a command's help, like --help",
        ),
    ];
    Spec {
        name: "",
        about: format!(
            "podstep {}: step through what the kubelet does with a pod",
            env!("CARGO_PKG_VERSION")
        ),
        usage: vec!["podstep [OPTIONS]".into(), "podstep COMMAND [ARGS]".into()],
        description: "'podstep COMMAND --help' lists a command's flags; 'podstep run --help' also \
                      lists the actions\nand where container behaviour comes from."
            .into(),
        flags: vec![Flag {
            key: Top::Version,
            short: Some('V'),
            long: "version",
            value: None,
            help: "print Podstep's version".into(),
        }],
        sections: vec![("COMMANDS", args::rows(&commands))],
        exit_codes: vec![
            (0, "success"),
            (
                args::EXIT_ERRORS_FOUND,
                "errors found: check found an error, lint an error or a warning, or run refused a\n\
                 workload with errors",
            ),
            (
                EXIT_UNUSABLE,
                "unusable input or arguments: unknown flag, missing value, unreadable file,\n\
                 bad action, bad version",
            ),
        ],
    }
}

fn real_main() -> Result<ExitCode> {
    let mut parser = lexopt::Parser::from_env();
    let top = spec();
    let command = match top.next(&mut parser)? {
        None | Some(Item::Help) => return help(&top),
        Some(Item::Flag(Top::Version, _)) => {
            emit(&format!("podstep {}\n", env!("CARGO_PKG_VERSION")))?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(Item::Operand(command)) => command,
    };
    match command.as_str() {
        "check" => check::main(&mut parser),
        "run" => run::main(&mut parser),
        "lint" => lint::main(&mut parser),
        "help" => match top.next(&mut parser)? {
            Some(Item::Operand(c)) if c == "check" => help(&check::spec()),
            Some(Item::Operand(c)) if c == "run" => help(&run::spec()),
            Some(Item::Operand(c)) if c == "lint" => help(&lint::spec()),
            None | Some(Item::Help) => help(&top),
            Some(Item::Operand(c)) => {
                Err(top.error(format!("unknown command {}", quote(&c))).into())
            }
            Some(Item::Flag(..)) => Err(top
                .error("help takes a command name: check, run or lint")
                .into()),
        },
        other => Err(top
            .error(format!(
                "unknown command {}: use check, run or lint",
                quote(other)
            ))
            .into()),
    }
}

/// Prints a command's `--help`; asking for help succeeds.
fn help<K: Copy>(spec: &Spec<K>) -> Result<ExitCode> {
    emit(&spec.help())?;
    Ok(ExitCode::SUCCESS)
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
