//! Lints that simulate: what will actually go wrong with a pod, found by running it — a classic sidecar
//! that keeps a Job from completing, a probe that kills a container before it can start, a stop that
//! outlasts the grace period — each with a fix that rewrites the YAML.
//!
//! A linter that reads fields can say a probe exists; this one runs the pod (and, for termination, runs
//! it again with a deletion) and reports what the runs show. Every fix is a set of text edits on the
//! person's own source ([`edit`]), and before a fix is offered it is applied and the result checked and
//! run again: a fix that leaves the finding in place, or breaks the manifest, is not offered.
//! Rules have stable IDs ([`RULES`]); docs/lints.md lists them with an example each.

pub mod edit;
mod rules;

use crate::diag::Severity;
use crate::features::Kube;
use crate::sim::{self, Ms, Scenario, Trace};
use crate::spec::Workload;
use crate::tree::Pos;
pub use edit::TextEdit;
pub use rules::RuleId;

/// A rule's metadata: what SARIF's `reportingDescriptor` and `podstep lint --help` show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    pub id: RuleId,
    /// Stable, never reused (`PS001`).
    pub code: &'static str,
    /// A short kebab-case name (`classic-sidecar`).
    pub name: &'static str,
    pub severity: Severity,
    /// One sentence: what the rule finds.
    pub summary: &'static str,
    /// Where the behaviour is documented (Kubernetes docs or KEP).
    pub help: &'static str,
}

pub use rules::RULES;

impl RuleId {
    pub fn rule(self) -> &'static Rule {
        RULES
            .iter()
            .find(|r| r.id == self)
            .expect("every rule id has a row")
    }
}

/// A fix: what it does, in a few words, and the edits that do it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<TextEdit>,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: RuleId,
    /// Index into the check's workloads.
    pub workload: usize,
    pub pos: Pos,
    /// The Kubernetes field path the finding is about.
    pub path: String,
    pub message: String,
    pub fix: Option<Fix>,
}

impl Finding {
    pub fn severity(&self) -> Severity {
        self.rule.rule().severity
    }
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let r = self.rule.rule();
        write!(
            f,
            "{}:{}: {} {} {}: {}: {}",
            self.pos.line, self.pos.column, r.severity, r.code, r.name, self.path, self.message
        )
    }
}

/// What `lint` found in one input: the check it ran first, then the findings in reading order.
#[derive(Clone, Debug, Default)]
pub struct Linted {
    pub checked: crate::Checked,
    pub findings: Vec<Finding>,
}

/// Checks `source` against `kube`, then lints every workload without errors: runs it undisturbed and,
/// unless it ends by itself, again with a deletion once it is up.
pub fn lint(source: &str, kube: &Kube) -> Linted {
    let checked = crate::check_with(source, kube);
    let findings = lint_checked(source, &checked, kube);
    Linted { checked, findings }
}

/// [`lint`] over a check already made of `source` with `kube`.
pub fn lint_checked(source: &str, checked: &crate::Checked, kube: &Kube) -> Vec<Finding> {
    let mut out = Vec::new();
    // Parsed once for every workload: the fixes and the notes read the document tree.
    let (docs, _) = crate::yaml::parse_documents(source);
    for (i, w) in checked.workloads.iter().enumerate() {
        if w.errors > 0 {
            continue;
        }
        let ctx = Ctx::new(source, docs.get(w.document), i, w, kube);
        for mut f in rules::findings(&ctx) {
            if let Some(fix) = f.fix.take() {
                f.fix = ctx.verified(f.rule, &f.path, fix);
            }
            out.push(f);
        }
    }
    out.sort_by_key(|f| (f.pos, f.rule));
    out
}

/// What a rule reads about one workload: its source, its spec, and its runs.
pub(crate) struct Ctx<'a> {
    pub source: &'a str,
    /// The workload's document in `source`, as the YAML reader read it.
    pub document: Option<&'a crate::tree::Node>,
    pub index: usize,
    pub workload: &'a Workload,
    pub kube: &'a Kube,
    /// The run undisturbed.
    pub run: Trace,
    /// The run with a deletion once the pod is up (`None` when it ends by itself first), and when
    /// the deletion was.
    pub deleted: Option<(Ms, Trace)>,
}

impl<'a> Ctx<'a> {
    fn new(
        source: &'a str,
        document: Option<&'a crate::tree::Node>,
        index: usize,
        workload: &'a Workload,
        kube: &'a Kube,
    ) -> Ctx<'a> {
        let run = simulate(workload, kube, Vec::new());
        let deleted = deletion_time(&run).map(|at| {
            let trace = simulate(
                workload,
                kube,
                vec![(at, sim::Action::Delete { grace_s: None })],
            );
            (at, trace)
        });
        Ctx {
            source,
            document,
            index,
            workload,
            kube,
            run,
            deleted,
        }
    }

    /// `fix` if it works: applied, the manifest still checks clean, and the rule no longer finds
    /// anything at `path` in the same workload.
    fn verified(&self, rule: RuleId, path: &str, fix: Fix) -> Option<Fix> {
        let fixed = edit::apply(self.source, &fix.edits);
        let checked = crate::check_with(&fixed, self.kube);
        let w = checked.workloads.get(self.index)?;
        if w.errors > 0 || checked.has_errors() {
            return None;
        }
        let (docs, _) = crate::yaml::parse_documents(&fixed);
        let ctx = Ctx::new(&fixed, docs.get(w.document), self.index, w, self.kube);
        let again = rules::findings(&ctx)
            .into_iter()
            .any(|f| f.rule == rule && f.path == path);
        (!again).then_some(fix)
    }
}

/// The scenario a lint runs: the version and gates, the default horizon, and `actions`.
pub(crate) fn scenario(kube: &Kube, actions: Vec<(Ms, sim::Action)>) -> Scenario {
    Scenario {
        actions,
        version: sim::Version { minor: kube.minor },
        gates: kube.overrides.clone(),
        ..Scenario::default()
    }
}

pub(crate) fn simulate(w: &Workload, kube: &Kube, actions: Vec<(Ms, sim::Action)>) -> Trace {
    sim::simulate(w, &scenario(kube, actions))
}

/// When to delete the pod to see how it stops: a second after every container is up (READY n/n), or
/// after it has run a minute; never for a pod that ends by itself before.
fn deletion_time(run: &Trace) -> Option<Ms> {
    if run.final_state.phase == "Succeeded" || run.final_state.phase == "Failed" {
        return None;
    }
    let up = run.steps.iter().find(|s| {
        let (ready, total) = s.kubectl.ready.split_once('/').unwrap_or(("0", "1"));
        ready == total && total != "0"
    });
    let at = up.map_or(Ms::from_s(60), |s| s.t + Ms::from_s(1));
    (at < Ms::from_s(crate::limits::DEFAULT_HORIZON_S / 2)).then_some(at)
}
