//! The flag tables and the one parser that reads them.
//!
//! Each command (the top level, `check`, `run`) describes its interface once, as a [`Spec`]: every
//! flag with its value placeholder and one-line meaning, the usage lines, the exit codes. Parsing
//! looks each flag up in that table and `--help` is rendered from it, so a flag cannot be parsed
//! without being documented or documented without being parsed. `lexopt` splits the words
//! (`--format=json` and `--format json`, `-h`, `--`, `-` as an operand); everything else is here.

use lifecycle::quote::quote;
use lifecycle::sim::Version;
use std::fmt::{self, Write as _};
use std::ops::RangeInclusive;

/// Kubernetes minor versions whose kubelet Podstep simulates (`--kube-version 1.28` … `1.35`).
pub const KUBE_MINORS: RangeInclusive<u32> = Version::MINORS;

/// Exit status when the input was read and has errors (`check` found one; `run` refuses the workload).
pub const EXIT_ERRORS_FOUND: u8 = 1;
/// Exit status for input or arguments Podstep cannot use.
pub const EXIT_UNUSABLE: u8 = 2;

/// One flag of a command.
pub struct Flag<K> {
    /// What the command matches on when the flag is given.
    pub key: K,
    pub short: Option<char>,
    /// Without the leading `--`.
    pub long: &'static str,
    /// The value's placeholder as help shows it (`SECONDS`); `None` for a switch, which takes no value.
    pub value: Option<&'static str>,
    /// One line: what the flag does, and its default.
    pub help: String,
}

/// A command's whole interface: `--help` is rendered from it and arguments are parsed against it.
pub struct Spec<K> {
    /// `"run"`; empty for the top level. Names the command in errors and in the help hint.
    pub name: &'static str,
    /// The first line of help.
    pub about: String,
    pub usage: Vec<String>,
    /// A paragraph after the usage lines (may be empty).
    pub description: String,
    pub flags: Vec<Flag<K>>,
    /// Titled sections after the flags, bodies already laid out (see [`rows`]).
    pub sections: Vec<(&'static str, String)>,
    pub exit_codes: Vec<(u8, &'static str)>,
}

/// One argument, as the command's table reads it.
pub enum Item<K> {
    /// A flag of the table with its value (empty for a switch).
    Flag(K, String),
    /// A word that is not a flag (`-` included: it names standard input).
    Operand(String),
    /// `-h` or `--help`, which every command takes.
    Help,
}

/// Arguments that cannot be used; printed with a pointer to the command's help, exit status 2.
#[derive(Debug)]
pub struct Usage {
    command: &'static str,
    message: String,
}

impl Usage {
    /// Where to read about the command: `(see 'podstep run --help')`.
    pub fn hint(&self) -> String {
        match self.command {
            "" => "(see 'podstep --help')".to_string(),
            name => format!("(see 'podstep {name} --help')"),
        }
    }
}

impl fmt::Display for Usage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Usage {}

/// The help line `-h, --help` that every command has besides its own flags.
const HELP_FLAG: (&str, &str) = ("-h, --help", "print this help");

impl<K: Copy> Spec<K> {
    /// The next argument, or `None` when all are read. Flags not in the table, a missing value and
    /// a value given to a switch are [`Usage`] errors.
    pub fn next(&self, parser: &mut lexopt::Parser) -> Result<Option<Item<K>>, Usage> {
        use lexopt::Arg;
        let arg = parser.next().map_err(|e| self.lexopt_error(e))?;
        let flag = match arg {
            None => return Ok(None),
            Some(Arg::Value(word)) => return self.utf8(word).map(|w| Some(Item::Operand(w))),
            Some(Arg::Short('h') | Arg::Long("help")) => return Ok(Some(Item::Help)),
            Some(Arg::Short(c)) => self
                .flags
                .iter()
                .find(|f| f.short == Some(c))
                .ok_or_else(|| self.unknown(&format!("-{c}")))?,
            Some(Arg::Long(name)) => match self.flags.iter().find(|f| f.long == name) {
                Some(flag) => flag,
                // `run --version X` chose the simulated kubelet before `--version` became Podstep's.
                None if name == "version" && !self.name.is_empty() => {
                    return Err(self.error(
                        "'--version' is Podstep's own ('podstep --version'); the simulated \
                         Kubernetes version is --kube-version 1.MINOR",
                    ))
                }
                None => return Err(self.unknown(&format!("--{name}"))),
            },
        };
        let value = match flag.value {
            None => String::new(),
            Some(placeholder) => match parser.value() {
                Ok(v) => self.utf8(v)?,
                Err(_) => return Err(self.error(format!("--{} needs {placeholder}", flag.long))),
            },
        };
        Ok(Some(Item::Flag(flag.key, value)))
    }

    /// A [`Usage`] error of this command.
    pub fn error(&self, message: impl Into<String>) -> Usage {
        Usage {
            command: self.name,
            message: message.into(),
        }
    }

    fn unknown(&self, flag: &str) -> Usage {
        match self.name {
            "" => self.error(format!("unknown flag '{flag}'")),
            name => self.error(format!("unknown flag '{flag}' for {name}")),
        }
    }

    fn utf8(&self, word: std::ffi::OsString) -> Result<String, Usage> {
        word.into_string()
            .map_err(|w| self.error(format!("argument {w:?} is not valid UTF-8")))
    }

    /// What lexopt reports between flags: a value attached to a switch (`--events=yes`).
    fn lexopt_error(&self, e: lexopt::Error) -> Usage {
        match e {
            lexopt::Error::UnexpectedValue { option, .. } => {
                self.error(format!("{option} takes no value"))
            }
            other => self.error(other.to_string()),
        }
    }

    /// The `--help` text.
    pub fn help(&self) -> String {
        let mut out = format!("{}\n\nUSAGE:\n", self.about);
        for line in &self.usage {
            let _ = writeln!(out, "    {line}");
        }
        if !self.description.is_empty() {
            let _ = writeln!(out, "\n{}", self.description.trim_end());
        }
        let mut flags: Vec<(String, &str)> = self
            .flags
            .iter()
            .map(|f| {
                let short = f.short.map_or("    ".to_string(), |c| format!("-{c}, "));
                let value = f.value.map_or(String::new(), |v| format!(" {v}"));
                (format!("{short}--{}{value}", f.long), f.help.as_str())
            })
            .collect();
        flags.push((HELP_FLAG.0.to_string(), HELP_FLAG.1));
        section(&mut out, "OPTIONS", &rows(&flags));
        for (title, body) in &self.sections {
            section(&mut out, title, body);
        }
        let codes: Vec<(String, &str)> = self
            .exit_codes
            .iter()
            .map(|(code, meaning)| (code.to_string(), *meaning))
            .collect();
        section(&mut out, "EXIT CODES", &rows(&codes));
        out
    }
}

fn section(out: &mut String, title: &str, body: &str) {
    let _ = write!(out, "\n{title}:\n{body}");
}

/// Two aligned columns, indented: the layout of flags, actions and exit codes. A `\n` in the right
/// column continues it on the next line, under itself.
pub fn rows<S: AsRef<str>>(rows: &[(S, &str)]) -> String {
    let width = rows
        .iter()
        .map(|(l, _)| l.as_ref().len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (left, right) in rows {
        let mut lines = right.split('\n');
        let first = lines.next().unwrap_or_default();
        let _ = writeln!(out, "    {:width$}  {first}", left.as_ref());
        for more in lines {
            let _ = writeln!(out, "    {:width$}  {more}", "");
        }
    }
    out
}

/// The output format of `check` and `run`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// The `--format` flag, the same on every command that prints.
pub fn format_flag<K>(key: K, help: &str) -> Flag<K> {
    Flag {
        key,
        short: None,
        long: "format",
        value: Some("text|json"),
        help: help.to_string(),
    }
}

pub fn parse_format(value: &str) -> Result<Format, String> {
    match value {
        "text" => Ok(Format::Text),
        "json" => Ok(Format::Json),
        other => Err(format!("--format takes text or json, not {}", quote(other))),
    }
}

/// The `--kube-version` flag of `check` and `run`; `what` says what the version decides.
pub fn kube_version_flag<K>(key: K, what: &str) -> Flag<K> {
    Flag {
        key,
        short: None,
        long: "kube-version",
        value: Some("1.MINOR"),
        help: format!(
            "{what} (1.{} to 1.{}, default 1.{})",
            KUBE_MINORS.start(),
            KUBE_MINORS.end(),
            Version::default().minor
        ),
    }
}

/// The `--feature-gates` flag of `check` and `run`.
pub fn feature_gates_flag<K>(key: K) -> Flag<K> {
    Flag {
        key,
        short: None,
        long: "feature-gates",
        value: Some("A=true,B=false"),
        help: format!(
            "turn lifecycle feature gates of that version on or off, as the API server's and\n\
             kubelet's --feature-gates do (Podstep follows {})",
            lifecycle::features::GATES
                .iter()
                .map(|(_, n, _)| *n)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The `--validate` flag of `check` and `run`: kubectl's field validation.
pub fn validate_flag<K>(key: K) -> Flag<K> {
    Flag {
        key,
        short: None,
        long: "validate",
        value: Some("strict|warn"),
        help: "strict (default, as kubectl apply since 1.27): an unknown field is an error;\n\
               warn: it is a warning"
            .into(),
    }
}

/// `--validate`'s value: whether unknown fields are errors.
pub fn parse_validate(value: &str) -> Result<bool, String> {
    match value {
        "strict" | "true" => Ok(true),
        "warn" => Ok(false),
        other => Err(format!(
            "--validate takes strict or warn, not {}",
            quote(other)
        )),
    }
}

/// The version and gates `check` and `run` were given (gates are read once the version is known).
pub fn kube(
    version: Version,
    gates: Option<&str>,
    strict: bool,
) -> Result<lifecycle::features::Kube, String> {
    let mut kube = lifecycle::features::Kube::new(version.minor);
    kube.strict = strict;
    if let Some(text) = gates {
        kube.parse_overrides(text)
            .map_err(|e| format!("--feature-gates: {e}"))?;
    }
    Ok(kube)
}

/// `1.33` → `Version { minor: 33 }`, for the versions Podstep simulates only.
pub fn parse_kube_version(value: &str) -> Result<Version, String> {
    let supported = format!(
        "Podstep simulates Kubernetes 1.{} to 1.{}",
        KUBE_MINORS.start(),
        KUBE_MINORS.end()
    );
    // Digits only, so `1.+33` and `1. 33` are not read as 1.33.
    let minor = value
        .strip_prefix("1.")
        .filter(|m| !m.is_empty() && m.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|m| m.parse::<u32>().ok())
        .ok_or_else(|| {
            format!(
                "--kube-version {}: expected 1.MINOR, e.g. 1.{}; {supported}",
                quote(value),
                Version::default().minor
            )
        })?;
    if !KUBE_MINORS.contains(&minor) {
        return Err(format!("--kube-version {}: {supported}", quote(value)));
    }
    Ok(Version { minor })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kube_versions_are_the_simulated_ones() {
        assert_eq!(parse_kube_version("1.28").map(|v| v.minor), Ok(28));
        assert_eq!(parse_kube_version("1.35").map(|v| v.minor), Ok(35));
        for bad in [
            "1.27", "1.36", "1.", "1.+33", "2.33", "33", "v1.33", "1.33.0", "",
        ] {
            assert!(parse_kube_version(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
