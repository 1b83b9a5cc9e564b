//! The trace: Podstep's stable output contract, read by the CLI, the web app, golden tests and other tools.
//!
//! See `docs/trace.md` for the documented shape. Field names here are part of the contract: add, never
//! rename. Times are seconds (numbers) since the pod was scheduled.

use crate::names::NameMap;
use crate::quote::quote;
use serde::{Serialize, Serializer};
use std::fmt::Write;

use super::time::Ms;

/// One value of a step's event-specific fields: what JSON can hold, and no more. A typed value rather than
/// a JSON tree keeps a JSON library out of the WebAssembly the playground ships.
#[derive(Clone, Debug, PartialEq)]
pub enum Field {
    Int(i64),
    Num(f64),
    Str(String),
    Bool(bool),
}

impl Field {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Field::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Field::Int(i) => Some(*i),
            Field::Num(f) => Some(*f as i64),
            _ => None,
        }
    }
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Field::Int(i) => Some(*i as f64),
            Field::Num(f) => Some(*f),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Field::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

impl Serialize for Field {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Field::Int(i) => s.serialize_i64(*i),
            Field::Num(f) => s.serialize_f64(*f),
            Field::Str(v) => s.serialize_str(v),
            Field::Bool(b) => s.serialize_bool(*b),
        }
    }
}

impl From<i64> for Field {
    fn from(v: i64) -> Field {
        Field::Int(v)
    }
}
impl From<i32> for Field {
    fn from(v: i32) -> Field {
        Field::Int(v.into())
    }
}
impl From<u32> for Field {
    fn from(v: u32) -> Field {
        Field::Int(v.into())
    }
}
impl From<bool> for Field {
    fn from(v: bool) -> Field {
        Field::Bool(v)
    }
}
impl From<&str> for Field {
    fn from(v: &str) -> Field {
        Field::Str(v.to_string())
    }
}
impl From<String> for Field {
    fn from(v: String) -> Field {
        Field::Str(v)
    }
}

/// A step's event-specific fields, by name (sorted, as JSON objects print them here); it serializes and
/// prints as a `BTreeMap<String, Field>` would.
pub type Fields = NameMap<Field>;

/// Builds [`Fields`] from name/value pairs. A later duplicate name overwrites an earlier one, as with a
/// map's `collect`.
pub fn fields<const N: usize>(pairs: [(&str, Field); N]) -> Fields {
    let mut out = Fields::new();
    for (k, v) in pairs {
        out.insert(k.to_string(), v);
    }
    out
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Kubectl {
    pub ready: String,
    pub status: String,
    pub restarts: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Step {
    pub t: f64,
    pub container: Option<String>,
    pub event: String,
    /// The fields this event needs (`attempt`, `exitCode`, `reason`, `probe`, `signal`, …).
    #[serde(flatten)]
    pub fields: Fields,
    pub phase: String,
    pub kubectl: Kubectl,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct End {
    pub t: f64,
    /// `terminal`, `steady`, `horizon` or `limit`.
    pub why: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Condition {
    #[serde(rename = "type")]
    pub kind: String,
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StateDetail {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_at: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<f64>,
}

/// `{"waiting": {...}}`, `{"running": {...}}` or `{"terminated": {...}}`, as the API shapes it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ContainerState {
    Waiting(StateDetail),
    Running(StateDetail),
    Terminated(StateDetail),
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerStatus {
    pub name: String,
    pub image: String,
    pub ready: bool,
    pub started: bool,
    pub restart_count: u32,
    pub state: ContainerState,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_state: Option<ContainerState>,
}

/// A container status as the kubelet wrote it, shown from step `step` on (an index into `steps`; equal
/// to `steps.len()` when written after the last step). Only changes are listed, so folding them in order
/// gives every container's exact API status at any step.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StatusChange {
    pub step: usize,
    #[serde(flatten)]
    pub status: ContainerStatus,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Final {
    pub phase: String,
    pub kubectl: Kubectl,
    pub conditions: Vec<Condition>,
    pub init_container_statuses: Vec<ContainerStatus>,
    pub container_statuses: Vec<ContainerStatus>,
    pub effective_requests: Requests,
}

/// The pod's effective requests as text (`cpu` → `2700m`), in name order; it serializes and prints as a
/// `BTreeMap<String, String>` would.
pub type Requests = NameMap<String>;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    pub t: f64,
    #[serde(rename = "type")]
    pub kind: String,
    pub reason: String,
    pub object: String,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trace {
    pub pod: String,
    pub end: End,
    pub steps: Vec<Step>,
    #[serde(rename = "final")]
    pub final_state: Final,
    pub events: Vec<Event>,
    /// Every container status the kubelet wrote, when it changed.
    #[serde(rename = "statusChanges")]
    pub status_changes: Vec<StatusChange>,
    /// What was assumed about containers' behaviour, and limits hit.
    pub notes: Vec<String>,
    /// Internal events the simulation handled (syncs, process wake-ups, probe runs, timers): the
    /// throughput benchmark's unit. Not part of the JSON contract.
    #[serde(skip)]
    pub events_handled: u64,
}

/// A time or duration in seconds as text, `12`, `1.5`. The engine's times are whole milliseconds, so
/// going through [`Ms`] prints what `{}` of the float would, without core's float formatter in the
/// WebAssembly; a hand-built trace with finer times would print them to the millisecond.
fn secs(t: f64) -> String {
    Ms::from_secs_f64(t).secs_text()
}

fn value_text(v: &Field) -> String {
    match v {
        Field::Str(s) if s.contains(' ') || s.is_empty() => quote(s),
        Field::Str(s) => s.clone(),
        Field::Int(i) => i.to_string(),
        // The engine's only non-integer fields are durations in whole milliseconds (`secs_field`).
        Field::Num(f) => secs(*f),
        Field::Bool(b) => b.to_string(),
    }
}

impl Trace {
    /// One dense line per step: `t  container  Event key=value…  │ phase READY STATUS RESTARTS`. The
    /// golden-file format.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "pod {}", self.pod);
        for n in &self.notes {
            let _ = writeln!(out, "note: {n}");
        }
        let width = self
            .steps
            .iter()
            .map(|s| s.container.as_deref().map_or(1, str::len))
            .max()
            .unwrap_or(1);
        for s in &self.steps {
            let mut line = format!(
                "{:>6}  {:<width$}  {}",
                secs(s.t),
                s.container.as_deref().unwrap_or("-"),
                s.event
            );
            for (k, v) in &s.fields {
                let _ = write!(line, " {k}={}", value_text(v));
            }
            let _ = writeln!(
                out,
                "{line:<70} | {} {} {} {}",
                s.phase, s.kubectl.ready, s.kubectl.status, s.kubectl.restarts
            );
        }
        let _ = writeln!(out, "end t={} why={}", secs(self.end.t), self.end.why);
        let f = &self.final_state;
        let _ = writeln!(
            out,
            "final {} {} {} {}",
            f.phase, f.kubectl.ready, f.kubectl.status, f.kubectl.restarts
        );
        for c in &f.conditions {
            let _ = write!(out, "  {}={}", c.kind, c.status);
            match (&c.reason, &c.message) {
                (Some(r), Some(m)) => {
                    let _ = write!(out, " ({r}: {m})");
                }
                (Some(r), None) => {
                    let _ = write!(out, " ({r})");
                }
                _ => {}
            }
            out.push('\n');
        }
        for (label, list) in [
            ("init", &f.init_container_statuses),
            ("ctr", &f.container_statuses),
        ] {
            for c in list {
                let _ = writeln!(
                    out,
                    "  {label} {} ready={} started={} restarts={} {}",
                    c.name,
                    c.ready,
                    c.started,
                    c.restart_count,
                    state_text(&c.state)
                );
            }
        }
        if !f.effective_requests.is_empty() {
            let parts: Vec<String> = f
                .effective_requests
                .iter()
                .map(|(k, v)| format!("{k}={}", value_text(&Field::Str(v.clone()))))
                .collect();
            let _ = writeln!(out, "  requests {}", parts.join(" "));
        }
        out
    }

    /// The describe-style event list, one line each.
    pub fn events_text(&self) -> String {
        let mut out = String::new();
        for e in &self.events {
            let _ = writeln!(
                out,
                "{:>6}  {:<7} {:<22} {:<24} {}",
                secs(e.t),
                e.kind,
                e.reason,
                e.object,
                e.message
            );
        }
        out
    }
}

pub fn state_text(s: &ContainerState) -> String {
    match s {
        ContainerState::Waiting(d) => format!("waiting({})", d.reason.as_deref().unwrap_or("")),
        ContainerState::Running(_) => "running".into(),
        ContainerState::Terminated(d) => {
            format!(
                "terminated({} {})",
                d.reason.as_deref().unwrap_or(""),
                d.exit_code.unwrap_or(0)
            )
        }
    }
}
