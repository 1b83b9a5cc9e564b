//! Diagnostics: what the engine says about an input, located by line, column and Kubernetes field path.
//!
//! Messages follow the API server's wording (`spec.containers[0].image: Required value`) so that what
//! Podstep says is what `kubectl apply` would say; `hint` adds Podstep's own explanation where it helps.

use crate::tree::Pos;
use serde::Serialize;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The Kubernetes field path (`spec.template.spec.initContainers[0].restartPolicy`); empty for errors
    /// about the text itself (YAML syntax, size limits).
    pub path: String,
    pub message: String,
    pub hint: Option<String>,
    /// 1-based line of the offending key or value.
    pub line: u32,
    /// 1-based column (in characters).
    pub column: u32,
}

impl Diagnostic {
    pub fn new(
        severity: Severity,
        pos: Pos,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            path: path.into(),
            message: message.into(),
            hint: None,
            line: pos.line,
            column: pos.column,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn pos(&self) -> Pos {
        Pos::new(self.line, self.column)
    }
}

/// `LINE:COL: severity: PATH: MESSAGE`, the CLI's line without the file name.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}: ", self.line, self.column, self.severity)?;
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// Sorts diagnostics into reading order, errors first among those on the same spot.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    // Stable: diagnostics on the same spot with the same severity keep the order they were found in.
    diagnostics.sort_by_key(|d| (d.line, d.column, d.severity));
}
