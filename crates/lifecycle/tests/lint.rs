//! Golden tests for [`lifecycle::lint`]. Every `tests/lint/NAME.yaml` is linted and compared with
//! `tests/lint/NAME.txt`: each finding exactly as `podstep lint` prints it, then for each fix its title,
//! the fixed YAML and what the fixed manifest's run shows instead (its final `kubectl get pod` row and
//! phase, and the findings left). A fix that does not remove its finding is a failure here, not just a
//! diff. `# version: 1.NN` and `# gates: A=true` lint against another Kubernetes than the default.
//!
//! Two more goldens keep false positives in view: `tests/lint/GALLERY.txt` and `tests/lint/CORPUS.txt`
//! list the exact findings for every gallery example and every documentation-corpus fixture.
//! Refresh with `UPDATE_EXPECT=1 cargo test -p lifecycle --test lint`, then read the diff.

use common::yaml_files;
use lifecycle::features::Kube;
use lifecycle::lint::{self, edit, Finding};
use std::fmt::Write as _;
use std::path::Path;

mod common;

fn kube_of(source: &str) -> Kube {
    let mut kube = Kube::default();
    for line in source.lines().take_while(|l| l.starts_with('#')) {
        let line = line.trim_start_matches('#').trim();
        if let Some(v) = line.strip_prefix("version: 1.") {
            kube.minor = v.trim().parse().expect("# version: 1.NN");
        }
        if let Some(g) = line.strip_prefix("gates:") {
            kube.parse_overrides(g.trim()).expect("# gates:");
        }
    }
    kube
}

fn outcome(source: &str, kube: &Kube) -> String {
    let linted = lint::lint(source, kube);
    let mut out = String::new();
    for w in &linted.checked.workloads {
        if w.errors > 0 {
            let _ = writeln!(out, "  {} {}: {} error(s)", w.kind, w.name, w.errors);
            continue;
        }
        let trace = lifecycle::sim::simulate(
            w,
            &lifecycle::sim::Scenario {
                version: lifecycle::sim::Version { minor: kube.minor },
                gates: kube.overrides.clone(),
                ..Default::default()
            },
        );
        let f = &trace.final_state;
        let _ = writeln!(
            out,
            "  run {} {}: end t={} {} {} {} {}",
            w.kind,
            w.name,
            trace.end.t,
            f.phase,
            f.kubectl.ready,
            f.kubectl.status,
            f.kubectl.restarts
        );
        if !matches!(f.phase.as_str(), "Succeeded" | "Failed") {
            // How it stops: deleted at 60 s, when each container exits and with what.
            let deleted = lifecycle::sim::simulate(
                w,
                &lifecycle::sim::Scenario {
                    version: lifecycle::sim::Version { minor: kube.minor },
                    gates: kube.overrides.clone(),
                    actions: vec![(
                        lifecycle::sim::Ms::from_s(60),
                        lifecycle::sim::Action::Delete { grace_s: None },
                    )],
                    ..Default::default()
                },
            );
            let exits: Vec<String> = deleted
                .steps
                .iter()
                .filter(|s| s.t >= lifecycle::sim::Ms::from_s(60))
                .filter_map(|s| match s.kind {
                    lifecycle::sim::trace::StepKind::Exited { code, .. } => Some(format!(
                        "{} exit {code} at {}",
                        s.container.as_deref().unwrap_or("-"),
                        s.t.secs_text()
                    )),
                    _ => None,
                })
                .collect();
            let _ = writeln!(
                out,
                "  delete at 60: {}; gone at {}",
                exits.join(", "),
                deleted.end.t
            );
        }
    }
    for f in &linted.findings {
        let _ = writeln!(out, "  left: {f}");
    }
    out
}

fn render(source: &str) -> String {
    let kube = kube_of(source);
    let linted = lint::lint(source, &kube);
    let mut out = String::new();
    for f in &linted.findings {
        let _ = writeln!(out, "{f}");
    }
    let _ = writeln!(out, "before:\n{}", outcome(source, &kube));
    for (i, f) in linted.findings.iter().enumerate() {
        let Some(fix) = &f.fix else {
            continue;
        };
        let fixed = edit::apply(source, &fix.edits);
        let _ = writeln!(out, "fix {} ({}): {}", i + 1, f.rule.rule().code, fix.title);
        let _ = writeln!(out, "--- fixed YAML");
        out.push_str(&fixed);
        let _ = writeln!(out, "--- after:\n{}", outcome(&fixed, &kube));
    }
    out
}

#[test]
fn lint_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lint");
    let updating = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failed = Vec::new();
    for yaml in yaml_files(&dir) {
        let name = yaml
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("?")
            .to_string();
        let source = std::fs::read_to_string(&yaml).unwrap();
        let golden = yaml.with_extension("txt");
        if !golden.exists() && !updating {
            failed.push(format!(
                "{name}: no {name}.txt yet (UPDATE_EXPECT=1, then review it)"
            ));
            continue;
        }
        let kube = kube_of(&source);
        let linted = lint::lint(&source, &kube);
        if linted.findings.is_empty() {
            failed.push(format!("{name}: a lint fixture must have a finding"));
        }
        // Applying a fix removes its finding (the engine verified it; this proves it from outside).
        for f in &linted.findings {
            if let Some(fix) = &f.fix {
                let fixed = edit::apply(&source, &fix.edits);
                let again = lint::lint(&fixed, &kube);
                if again.checked.has_errors() {
                    failed.push(format!(
                        "{name}: the fix for {} leaves errors",
                        f.rule.rule().code
                    ));
                }
                if again.findings.iter().any(|g| same(g, f)) {
                    failed.push(format!(
                        "{name}: the fix for {} leaves it in place",
                        f.rule.rule().code
                    ));
                }
            }
        }
        if !common::matches_golden(&golden, &render(&source)) {
            failed.push(format!(
                "{name}: output differs from {name}.txt (diff above)"
            ));
        }
    }
    common::assert_none_failed(&failed, "lint fixture(s) failed");
}

fn same(a: &Finding, b: &Finding) -> bool {
    a.rule == b.rule && a.path == b.path && a.workload == b.workload
}

#[test]
fn every_golden_file_has_a_fixture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lint");
    let orphans: Vec<_> = common::orphan_goldens(&dir)
        .into_iter()
        .filter(|p| {
            !matches!(
                p.file_name().and_then(|n| n.to_str()),
                Some("GALLERY.txt" | "CORPUS.txt")
            )
        })
        .collect();
    assert!(
        orphans.is_empty(),
        "golden files without a fixture: {orphans:?}"
    );
}

/// The exact findings of every file of `dir`, one block per file.
fn findings_of(dir: &Path) -> String {
    let mut out = String::new();
    let mut total = 0;
    for yaml in yaml_files(dir) {
        let source = std::fs::read_to_string(&yaml).unwrap();
        let kube = kube_of(&source);
        let linted = lint::lint(&source, &kube);
        let name = yaml.file_stem().and_then(|s| s.to_str()).unwrap_or("?");
        if linted.findings.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{name}:");
        for f in &linted.findings {
            total += 1;
            let fix = f
                .fix
                .as_ref()
                .map_or(String::from("no fix"), |x| format!("fix: {}", x.title));
            let _ = writeln!(out, "  {f}\n    {fix}");
        }
    }
    format!("{total} findings\n{out}")
}

#[test]
fn gallery_findings() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/gallery");
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lint/GALLERY.txt");
    assert!(common::matches_golden(&golden, &findings_of(&dir)));
}

#[test]
fn corpus_findings() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lint/CORPUS.txt");
    assert!(common::matches_golden(&golden, &findings_of(&dir)));
}

/// The gallery's "before" examples, fixed: each fix removes its finding and changes the run as the
/// finding says (a Job completes; a stop no longer ends in SIGKILL), and the "after" example is the
/// "before" with exactly the fix applied.
#[test]
fn gallery_fixes_do_what_they_promise() {
    let gallery = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/gallery");
    let body = |text: &str| {
        text.lines()
            .skip_while(|l| l.starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let read = |name: &str| std::fs::read_to_string(gallery.join(name)).unwrap();
    let before = read("18-classic-sidecar-before.yaml");
    let linted = lint::lint(&before, &Kube::default());
    let fix = linted
        .findings
        .iter()
        .find_map(|f| f.fix.as_ref())
        .expect("a fix");
    assert_eq!(
        body(&edit::apply(&before, &fix.edits)),
        body(&read("19-classic-sidecar-after.yaml"))
    );

    let job = read("03-job-classic-sidecar.yaml");
    let fixed = fixed_all(&job);
    let w = &lifecycle::check(&fixed).workloads[0];
    let run = lifecycle::sim::simulate(w, &Default::default());
    assert_eq!(
        run.final_state.phase, "Succeeded",
        "the fixed Job completes"
    );

    let pid1 = read("08-pid1-sigterm.yaml");
    let fixed = fixed_all(&pid1);
    let w = &lifecycle::check(&fixed).workloads[0];
    let at = lifecycle::sim::Ms::from_s(20);
    let run = lifecycle::sim::simulate(
        w,
        &lifecycle::sim::Scenario {
            actions: vec![(at, lifecycle::sim::Action::Delete { grace_s: None })],
            ..Default::default()
        },
    );
    assert_eq!(run.end.t, 20.0, "the fixed pod stops at once on delete");
    assert!(!run.steps.iter().any(|s| matches!(s.kind, lifecycle::sim::trace::StepKind::Signal { signal } if signal == lifecycle::sim::trace::Signal::KILL)));
}

fn fixed_all(source: &str) -> String {
    let mut text = source.to_string();
    for _ in 0..10 {
        let linted = lint::lint(&text, &Kube::default());
        let Some(fix) = linted.findings.iter().find_map(|f| f.fix.as_ref()) else {
            break;
        };
        text = edit::apply(&text, &fix.edits);
    }
    assert!(lint::lint(&text, &Kube::default())
        .findings
        .iter()
        .all(|f| f.fix.is_none()));
    text
}
