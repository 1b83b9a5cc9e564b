//! `podstep lint`: what `check` says, then what running each workload shows will go wrong — as text,
//! JSON or SARIF 2.1.0 for code scanning — and with `--fix`, the files rewritten with every fix.

use crate::args::{self, Flag, Item, Spec, EXIT_ERRORS_FOUND, EXIT_UNUSABLE};
use crate::read_input;
use anyhow::{Context, Result};
use lifecycle::lint::{self, edit, Finding, RULES};
use lifecycle::quote::quote;
use lifecycle::sim::Version;
use lifecycle::Severity;
use serde_json::{json, Value};
use std::process::ExitCode;

pub const ABOUT: &str = "find what will go wrong when the pods run, with fixes";

/// Most rounds of `--fix`: each applies one fix and lints again, so fixes never collide.
const MAX_FIX_ROUNDS: usize = 50;

#[derive(Clone, Copy)]
pub enum Opt {
    Format,
    Fix,
    KubeVersion,
    FeatureGates,
    Validate,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Json,
    Sarif,
}

pub fn spec() -> Spec<Opt> {
    let rules: Vec<(String, &str)> = RULES
        .iter()
        .map(|r| (format!("{} {} ({})", r.code, r.name, r.severity), r.summary))
        .collect();
    Spec {
        name: "lint",
        about: format!("podstep lint: {ABOUT}"),
        usage: vec!["podstep lint [OPTIONS] FILE...".into()],
        description: "\
Checks each FILE as 'podstep check' does, then runs every workload without errors twice: undisturbed,
and deleted once it is up. Each finding is printed as FILE:LINE:COL: severity CODE name: PATH:
MESSAGE, with its fix below it. A fix is offered only if, applied, the manifest still checks clean
and the finding is gone. docs/lints.md explains every rule."
            .into(),
        flags: vec![
            Flag {
                key: Opt::Format,
                short: None,
                long: "format",
                value: Some("text|json|sarif"),
                help: "text (default): one line per diagnostic and finding, each fix under it\n\
                       json: {files: [{file, diagnostics, findings}]} (docs/lints.md)\n\
                       sarif: SARIF 2.1.0, for GitHub code scanning; fixes as SARIF fixes"
                    .into(),
            },
            Flag {
                key: Opt::Fix,
                short: None,
                long: "fix",
                value: None,
                help: "rewrite each FILE with every fix (text edits: comments and layout are kept),\n\
                       then report what is left"
                    .into(),
            },
            args::kube_version_flag(Opt::KubeVersion, "the Kubernetes version to lint against"),
            args::feature_gates_flag(Opt::FeatureGates),
            args::validate_flag(Opt::Validate),
        ],
        sections: vec![("RULES", args::rows(&rules))],
        exit_codes: vec![
            (0, "no errors and no warnings (notes may be printed)"),
            (
                EXIT_ERRORS_FOUND,
                "an error or a warning finding in some FILE (after --fix: one that is left)",
            ),
            (
                EXIT_UNUSABLE,
                "unusable input or arguments: unknown flag, missing value, unreadable file,\n\
                 bad version, --fix on standard input",
            ),
        ],
    }
}

pub fn main(parser: &mut lexopt::Parser) -> Result<ExitCode> {
    let spec = spec();
    let mut format = Format::Text;
    let mut fix = false;
    let mut version = Version::default();
    let mut gates = None;
    let mut strict = true;
    let mut files = Vec::new();
    while let Some(item) = spec.next(parser)? {
        let usage = |m| spec.error(m);
        match item {
            Item::Help => {
                crate::emit(&spec.help())?;
                return Ok(ExitCode::SUCCESS);
            }
            Item::Flag(Opt::Format, v) => {
                format = match v.as_str() {
                    "text" => Format::Text,
                    "json" => Format::Json,
                    "sarif" => Format::Sarif,
                    other => {
                        return Err(usage(format!(
                            "--format takes text, json or sarif, not {}",
                            quote(other)
                        ))
                        .into())
                    }
                }
            }
            Item::Flag(Opt::Fix, _) => fix = true,
            Item::Flag(Opt::KubeVersion, v) => {
                version = args::parse_kube_version(&v).map_err(usage)?
            }
            Item::Flag(Opt::FeatureGates, v) => gates = Some(v),
            Item::Flag(Opt::Validate, v) => strict = args::parse_validate(&v).map_err(usage)?,
            Item::Operand(f) => files.push(f),
        }
    }
    if files.is_empty() {
        return Err(spec
            .error("lint needs a FILE, or - for standard input")
            .into());
    }
    if fix && files.iter().any(|f| f == "-") {
        return Err(spec
            .error("--fix rewrites files; it cannot rewrite standard input")
            .into());
    }
    let kube = args::kube(version, gates.as_deref(), strict).map_err(|m| spec.error(m))?;
    let mut results = Vec::new();
    for file in &files {
        let mut source = read_input(file)?;
        if fix {
            let (fixed, applied) = fix_all(&source, &kube);
            if applied > 0 {
                std::fs::write(file, &fixed).with_context(|| format!("writing {file}"))?;
                eprintln!(
                    "{file}: applied {applied} fix{}",
                    if applied == 1 { "" } else { "es" }
                );
                source = fixed;
            }
        }
        let linted = lint::lint(&source, &kube);
        let name = if file == "-" {
            "<stdin>".to_string()
        } else {
            file.clone()
        };
        results.push((name, source, linted));
    }
    let failing = results.iter().any(|(_, _, l)| {
        l.checked.has_errors() || l.findings.iter().any(|f| f.severity() != Severity::Info)
    });
    let out = match format {
        Format::Text => text(&results),
        Format::Json => serde_json::to_string_pretty(&json_of(&results))? + "\n",
        Format::Sarif => serde_json::to_string_pretty(&sarif(&results))? + "\n",
    };
    crate::emit(&out)?;
    Ok(if failing {
        ExitCode::from(EXIT_ERRORS_FOUND)
    } else {
        ExitCode::SUCCESS
    })
}

/// Applies fixes one at a time, linting again after each, until none is left to apply.
fn fix_all(source: &str, kube: &lifecycle::features::Kube) -> (String, usize) {
    let mut text = source.to_string();
    let mut applied = 0;
    for _ in 0..MAX_FIX_ROUNDS {
        let linted = lint::lint(&text, kube);
        let Some(fix) = linted.findings.iter().find_map(|f| f.fix.as_ref()) else {
            break;
        };
        let next = edit::apply(&text, &fix.edits);
        if next == text {
            break;
        }
        text = next;
        applied += 1;
    }
    (text, applied)
}

type Results = Vec<(String, String, lint::Linted)>;

fn text(results: &Results) -> String {
    let mut out = String::new();
    for (name, _, linted) in results {
        for d in &linted.checked.diagnostics {
            if d.severity != Severity::Info {
                out.push_str(&format!("{name}:{d}\n"));
            }
        }
        for f in &linted.findings {
            out.push_str(&format!("{name}:{f}\n"));
            if let Some(fix) = &f.fix {
                out.push_str(&format!("    fix: {}\n", fix.title));
            }
        }
    }
    out
}

fn finding_json(f: &Finding) -> Value {
    let r = f.rule.rule();
    json!({
        "line": f.pos.line,
        "column": f.pos.column,
        "severity": r.severity,
        "rule": r.code,
        "name": r.name,
        "path": f.path,
        "message": f.message,
        "help": r.help,
        "fix": f.fix.as_ref().map(|x| json!({"title": x.title, "edits": x.edits})),
    })
}

fn json_of(results: &Results) -> Value {
    let files: Vec<Value> = results
        .iter()
        .map(|(name, _, l)| {
            json!({
                "file": name,
                "diagnostics": l.checked.diagnostics.iter().map(|d| json!({
                    "line": d.line, "column": d.column, "severity": d.severity,
                    "path": d.path, "message": d.message, "hint": d.hint,
                })).collect::<Vec<_>>(),
                "findings": l.findings.iter().map(finding_json).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({ "files": files })
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A SARIF 2.1.0 log: one run, Podstep as the tool with every rule, one result per check error or
/// warning (rule `check`) and per finding, fixes as SARIF fixes.
fn sarif(results: &Results) -> Value {
    let mut rules: Vec<Value> = vec![json!({
        "id": "check",
        "name": "check",
        "shortDescription": {"text": "What the API server or kubectl's field validation would say about the manifest."},
        "helpUri": "https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation",
        "defaultConfiguration": {"level": "error"},
    })];
    rules.extend(RULES.iter().map(|r| {
        json!({
            "id": r.code,
            "name": r.name,
            "shortDescription": {"text": r.summary},
            "helpUri": r.help,
            "defaultConfiguration": {"level": level(r.severity)},
        })
    }));
    let mut out = Vec::new();
    for (name, _, linted) in results {
        let uri = if name == "<stdin>" {
            "stdin"
        } else {
            name.as_str()
        };
        let location = |line: u32, column: u32, path: &str| {
            json!({
                "physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": {"startLine": line.max(1), "startColumn": column.max(1)},
                },
                "logicalLocations": [{"fullyQualifiedName": path, "kind": "member"}],
            })
        };
        for d in linted
            .checked
            .diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Info)
        {
            out.push(json!({
                "ruleId": "check",
                "ruleIndex": 0,
                "level": level(d.severity),
                "message": {"text": format!("{}: {}", d.path, d.message)},
                "locations": [location(d.line, d.column, &d.path)],
            }));
        }
        for f in &linted.findings {
            let r = f.rule.rule();
            let index = RULES.iter().position(|x| x.id == r.id).map_or(0, |i| i + 1);
            let mut result = json!({
                "ruleId": r.code,
                "ruleIndex": index,
                "level": level(r.severity),
                "message": {"text": f.message},
                "locations": [location(f.pos.line, f.pos.column, &f.path)],
            });
            if let Some(fix) = &f.fix {
                let replacements: Vec<Value> = fix
                    .edits
                    .iter()
                    .map(|e| {
                        json!({
                            "deletedRegion": {
                                "startLine": e.start.line, "startColumn": e.start.column,
                                "endLine": e.end.line, "endColumn": e.end.column,
                            },
                            "insertedContent": {"text": e.text},
                        })
                    })
                    .collect();
                result["fixes"] = json!([{
                    "description": {"text": fix.title},
                    "artifactChanges": [{"artifactLocation": {"uri": uri}, "replacements": replacements}],
                }]);
            }
            out.push(result);
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "Podstep",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": out,
        }],
    })
}
