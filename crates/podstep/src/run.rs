//! `podstep run`: simulate one workload of a file and print its trace (text or JSON).

use crate::{parse_format, read_input, Format};
use anyhow::{anyhow, bail, Context, Result};
use lifecycle::sim::{self, Action, Ms, Scenario};
use std::process::ExitCode;

pub fn main(args: &[String]) -> Result<ExitCode> {
    let mut format = Format::Text;
    let mut file = None;
    let mut pod = None;
    let mut scenario = Scenario::default();
    let mut events = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--format" => format = parse_format(it.next())?,
            "--until" => {
                let v = it.next().ok_or_else(|| anyhow!("--until needs SECONDS"))?;
                let s: u64 = v
                    .parse()
                    .with_context(|| format!("--until {v:?} is not a whole number of seconds"))?;
                if s > lifecycle::limits::MAX_HORIZON_S {
                    bail!(
                        "--until {s}: at most {} simulated seconds",
                        lifecycle::limits::MAX_HORIZON_S
                    );
                }
                scenario.until_s = s;
            }
            "--at" => {
                let v = it
                    .next()
                    .ok_or_else(|| anyhow!("--at needs 'SECONDS ACTION'"))?;
                let (t, action) = v
                    .trim()
                    .split_once(char::is_whitespace)
                    .ok_or_else(|| anyhow!("--at {v:?}: expected 'SECONDS ACTION'"))?;
                let t: f64 = t
                    .parse()
                    .with_context(|| format!("--at {v:?}: {t:?} is not a number of seconds"))?;
                if !(0.0..=lifecycle::limits::MAX_HORIZON_S as f64).contains(&t) {
                    bail!(
                        "--at {v:?}: time must be between 0 and {} seconds",
                        lifecycle::limits::MAX_HORIZON_S
                    );
                }
                let action = Action::parse(action).map_err(|e| anyhow!("--at {v:?}: {e}"))?;
                scenario
                    .actions
                    .push((Ms((t * 1000.0).round() as u64), action));
            }
            "--pod" => {
                pod = Some(
                    it.next()
                        .ok_or_else(|| anyhow!("--pod needs NAME"))?
                        .clone(),
                )
            }
            "--version" => {
                let v = it
                    .next()
                    .ok_or_else(|| anyhow!("--version needs 1.MINOR"))?;
                let minor = v
                    .strip_prefix("1.")
                    .and_then(|m| m.parse().ok())
                    .ok_or_else(|| anyhow!("--version {v:?}: use 1.MINOR, e.g. 1.33"))?;
                scenario.version = sim::Version { minor };
            }
            "--events" => events = true,
            s if s.starts_with('-') && s != "-" => bail!("unknown option {s:?} for run"),
            _ if file.is_none() => file = Some(arg.clone()),
            _ => bail!("run takes one FILE"),
        }
    }
    let file = file.ok_or_else(|| anyhow!("run needs a FILE (or - for standard input)"))?;
    let source = read_input(&file)?;
    let checked = lifecycle::check(&source);
    let name = if file == "-" {
        "<stdin>"
    } else {
        file.as_str()
    };
    for d in &checked.diagnostics {
        if d.severity != lifecycle::Severity::Info {
            eprintln!("{name}:{d}");
        }
    }
    let workload = match &pod {
        Some(p) => checked
            .workloads
            .iter()
            .find(|w| &w.name == p || &w.pod.name == p)
            .ok_or_else(|| {
                let names: Vec<&str> = checked.workloads.iter().map(|w| w.name.as_str()).collect();
                anyhow!(
                    "no workload named {p:?} in {name} (found: {})",
                    names.join(", ")
                )
            })?,
        None => checked
            .workloads
            .first()
            .ok_or_else(|| anyhow!("{name} has no pod template to simulate"))?,
    };
    if workload.errors > 0 {
        eprintln!(
            "podstep: {} {} has {} error(s); fix them to simulate it",
            workload.kind, workload.name, workload.errors
        );
        return Ok(ExitCode::from(1));
    }
    let trace = sim::simulate(workload, &scenario);
    match format {
        Format::Text => {
            let mut out = trace.to_text();
            if events {
                out.push_str("events:\n");
                out.push_str(&trace.events_text());
            }
            crate::emit(&out)?;
        }
        Format::Json => crate::emit(&(serde_json::to_string_pretty(&trace)? + "\n"))?,
    }
    Ok(ExitCode::SUCCESS)
}
