//! The documentation corpus: real manifests, each written by us to the facts of a documented example
//! (the Kubernetes docs' `content/en/examples/`, istio, linkerd, cloud-sql-proxy), with the outcome its
//! documentation states. This harness runs every one and checks that Podstep does what the docs say.
//!
//! A fixture `tests/corpus/NAME.yaml` opens with `# ` header lines:
//! - `# source: REPOSITORY PATH` — where the example comes from (required);
//! - `# page: REPOSITORY PATH` — the page that states the outcome (optional);
//! - `# documented: …` — the documented outcome, in our words (required);
//! - `# at: SECONDS ACTION`, `# until: SECONDS`, `# version: 1.NN` — as in `tests/sim/`;
//! - `# expect SECONDS: KEY=VALUE …` — the `kubectl get pod` columns (`READY`, `STATUS`, `RESTARTS`,
//!   `RESTARTS>=N`) and `phase` at that time; `# expect: …` the same at the end of the run (required);
//! - `# order: A B C` — these containers first start in this order (others may start in between);
//! - `# cannot: WHY` — Podstep does not do what the docs say yet, and why.
//!
//! Every fixture without `cannot` must behave as documented; one with `cannot` that now does must lose
//! its `cannot` line. `tests/corpus/REPORT.txt` (refreshed with `UPDATE_EXPECT=1`) lists every
//! fixture's result and the totals, so a change in any of them shows in review.

use common::yaml_files;
use lifecycle::sim::trace::{Step, StepKind};
use lifecycle::sim::{self, Ms, Scenario, Trace};
use std::fmt::Write;
use std::path::Path;

mod common;

#[derive(Default)]
struct Header {
    source: Option<String>,
    documented: Option<String>,
    cannot: Option<String>,
    scenario: Scenario,
    /// `(time, None = the end; KEY, op, VALUE)`.
    expects: Vec<(Option<Ms>, String, String, String)>,
    order: Vec<String>,
    has_final: bool,
}

fn header(source: &str) -> Result<Header, String> {
    let mut h = Header::default();
    for line in source.lines() {
        let Some(comment) = line.strip_prefix('#') else {
            break;
        };
        let Some((key, value)) = comment.trim().split_once(':') else {
            continue;
        };
        let value = value.trim();
        let key = key.trim();
        match key {
            "source" => h.source = Some(value.to_string()),
            "documented" => h.documented = Some(value.to_string()),
            "cannot" => h.cannot = Some(value.to_string()),
            "order" => h.order = value.split_whitespace().map(str::to_string).collect(),
            _ if common::scenario_line(key, value, &mut h.scenario)? => {}
            _ if key == "expect" || key.starts_with("expect ") => {
                let at = match key.strip_prefix("expect ") {
                    Some(t) => {
                        let t: f64 = t
                            .trim()
                            .trim_end_matches('s')
                            .parse()
                            .map_err(|_| format!("`# {key}:` bad time"))?;
                        Some(Ms((t * 1000.0).round() as u64))
                    }
                    None => {
                        h.has_final = true;
                        None
                    }
                };
                for pair in value.split_whitespace() {
                    let (k, op, v) = if let Some((k, v)) = pair.split_once(">=") {
                        (k, ">=", v)
                    } else if let Some((k, v)) = pair.split_once('=') {
                        (k, "=", v)
                    } else {
                        return Err(format!("`# {key}: {value}`: {pair:?} is not KEY=VALUE"));
                    };
                    h.expects
                        .push((at, k.to_string(), op.to_string(), v.to_string()));
                }
            }
            _ => {}
        }
    }
    Ok(h)
}

/// The step in effect at `at` (the last one at or before it), or the last step.
fn at(trace: &Trace, t: Option<Ms>) -> Option<&Step> {
    match t {
        None => trace.steps.last(),
        Some(t) => trace.steps.iter().rev().find(|s| s.t <= t),
    }
}

fn observed(step: Option<&Step>, trace: &Trace, key: &str, is_final: bool) -> String {
    if is_final {
        let f = &trace.final_state;
        return match key {
            "READY" => f.kubectl.ready.clone(),
            "STATUS" => f.kubectl.status.clone(),
            "RESTARTS" => f.kubectl.restarts.clone(),
            "phase" => f.phase.clone(),
            _ => "?".into(),
        };
    }
    let Some(s) = step else {
        return "(nothing yet)".into();
    };
    match key {
        "READY" => s.kubectl.ready.clone(),
        "STATUS" => s.kubectl.status.clone(),
        "RESTARTS" => s.kubectl.restarts.clone(),
        "phase" => s.phase.as_str().to_string(),
        _ => "?".into(),
    }
}

fn holds(op: &str, want: &str, got: &str) -> bool {
    match op {
        ">=" => {
            let n = |s: &str| {
                s.split_whitespace()
                    .next()
                    .and_then(|n| n.parse::<u64>().ok())
            };
            matches!((n(got), n(want)), (Some(g), Some(w)) if g >= w)
        }
        _ if want.chars().all(|c| c.is_ascii_digit()) => {
            got.split_whitespace().next() == Some(want)
        }
        _ => got == want,
    }
}

/// Runs one fixture: `Ok(differences)` (empty: as documented), `Err` for a fixture that cannot run.
fn run(source: &str, h: &Header) -> Result<Vec<String>, String> {
    let checked = lifecycle::check_with(source, &h.scenario.kube());
    let workload = checked
        .workloads
        .first()
        .ok_or("no workload in the fixture")?;
    if workload.errors > 0 {
        let first = checked
            .diagnostics
            .iter()
            .find(|d| d.severity == lifecycle::Severity::Error)
            .map(|d| d.to_string())
            .unwrap_or_default();
        return Err(format!("check reports errors: {first}"));
    }
    let trace = sim::simulate(workload, &h.scenario);
    let mut diffs = Vec::new();
    for (t, key, op, want) in &h.expects {
        let step = at(&trace, *t);
        let got = observed(step, &trace, key, t.is_none());
        if !holds(op, want, &got) {
            let when = t.map_or("end".to_string(), |t| format!("{}s", t.secs_text()));
            diffs.push(format!("{when} {key}{op}{want}, got {got}"));
        }
    }
    if !h.order.is_empty() {
        let mut started: Vec<&str> = Vec::new();
        for s in &trace.steps {
            if let (StepKind::Started { .. }, Some(c)) = (&s.kind, &s.container) {
                if !started.contains(&c.as_str()) {
                    started.push(c);
                }
            }
        }
        // The containers named start in that order (others may start in between).
        let want: Vec<&str> = h.order.iter().map(String::as_str).collect();
        started.retain(|c| want.contains(c));
        if started != want {
            diffs.push(format!(
                "order {}, got {}",
                want.join(" "),
                if started.is_empty() {
                    "none started".to_string()
                } else {
                    started.join(" ")
                }
            ));
        }
    }
    Ok(diffs)
}

#[test]
fn the_corpus_behaves_as_documented() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let files = yaml_files(&dir);
    assert!(
        files.len() >= 100,
        "the corpus lost fixtures: {}",
        files.len()
    );
    let mut report = String::new();
    let mut problems = Vec::new();
    let (mut ok, mut cannot) = (0, 0);
    for path in &files {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let source = std::fs::read_to_string(path).unwrap();
        let h = match header(&source) {
            Ok(h) => h,
            Err(e) => {
                problems.push(format!("{name}: {e}"));
                continue;
            }
        };
        let cited = h
            .source
            .as_deref()
            .is_some_and(|s| s.split_whitespace().count() >= 2 && s.contains('/'));
        if !cited || h.documented.is_none() || !h.has_final {
            problems.push(format!(
                "{name}: the header needs `# source: REPOSITORY PATH`, `# documented:` and `# expect:`"
            ));
            continue;
        }
        let result = run(&source, &h);
        let line = match (&result, &h.cannot) {
            (Ok(d), None) if d.is_empty() => {
                ok += 1;
                format!("ok        {name}")
            }
            (Ok(d), Some(_)) if d.is_empty() => {
                problems.push(format!(
                    "{name}: behaves as documented now; remove its `# cannot:` line"
                ));
                format!("ok        {name} (still marked cannot)")
            }
            (Ok(d), Some(why)) => {
                cannot += 1;
                format!("cannot    {name}: {}\n            why: {why}", d.join("; "))
            }
            (Err(e), Some(why)) => {
                cannot += 1;
                format!("cannot    {name}: {e}\n            why: {why}")
            }
            (Ok(d), None) => {
                problems.push(format!("{name}: {}", d.join("; ")));
                format!("DIFFERS   {name}: {}", d.join("; "))
            }
            (Err(e), None) => {
                problems.push(format!("{name}: {e}"));
                format!("DIFFERS   {name}: {e}")
            }
        };
        let _ = writeln!(report, "{line}");
    }
    let total = files.len();
    let summary = format!(
        "{ok} of {total} documented examples behave as documented; {cannot} cannot yet (see `why`)\n\n"
    );
    let golden = dir.join("REPORT.txt");
    let same = common::matches_golden(&golden, &(summary + &report));
    assert!(
        problems.is_empty(),
        "{} corpus fixtures do not behave as documented:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(
        same,
        "tests/corpus/REPORT.txt changed (UPDATE_EXPECT=1 refreshes it)"
    );
}
