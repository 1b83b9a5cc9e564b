//! The trace: Podstep's stable output contract, read by the CLI, the web app, golden tests and other tools.
//!
//! See `docs/trace.md` for the documented shape. Field names here are part of the contract: add, never
//! rename. Times are seconds (numbers) since the pod was scheduled.

use serde::Serialize;
use serde_json::{Map, Value};
use std::fmt::Write;

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
    pub fields: Map<String, Value>,
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
    pub effective_requests: Map<String, Value>,
}

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

fn secs(t: f64) -> String {
    if t.fract() == 0.0 {
        format!("{}", t as u64)
    } else {
        format!("{t}")
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) if s.contains(' ') || s.is_empty() => format!("{s:?}"),
        Value::String(s) => s.clone(),
        other => other.to_string(),
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
                .map(|(k, v)| format!("{k}={}", value_text(v)))
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
