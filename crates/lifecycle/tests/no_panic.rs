//! `lifecycle::check` never panics, whatever it is given (issue 3: "never panics").
//!
//! Two sources of hostile input: every golden fixture cut short and with a line dropped (half-typed
//! manifests are what an editor sends on every keystroke), and random soups of YAML punctuation,
//! Kubernetes field names and odd scalars.

use proptest::prelude::*;
use std::path::Path;

/// `(name, text)` of every golden fixture.
fn fixtures() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/check");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/check exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let name = p
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_string();
            (name, std::fs::read_to_string(p).expect("fixture is UTF-8"))
        })
        .collect()
}

#[test]
fn truncated_and_edited_fixtures() {
    for (name, source) in fixtures() {
        // The limit fixtures are slow by design (they run up to a limit); a few cuts of them suffice.
        let step = if name.starts_with("limit_") {
            source.len() / 8 + 1
        } else {
            5
        };
        let cuts: Vec<usize> = source
            .char_indices()
            .map(|(i, _)| i)
            .step_by(step)
            .collect();
        for cut in cuts {
            lifecycle::check(&source[..cut]);
        }
        if name.starts_with("limit_") {
            continue;
        }
        let lines: Vec<&str> = source.lines().collect();
        for skip in 0..lines.len() {
            let edited: Vec<&str> = lines
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, l)| *l)
                .collect();
            lifecycle::check(&edited.join("\n"));
        }
    }
}

const TOKENS: &[&str] = &[
    "\n",
    "\n  ",
    "\n    ",
    "\n- ",
    "  - ",
    ": ",
    ":",
    "- ",
    "---\n",
    "...\n",
    "{",
    "}",
    "[",
    "]",
    ", ",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "\"",
    "'",
    "#",
    "\t",
    "|\n",
    ">\n",
    "~",
    "null",
    "0",
    "-1",
    "1e9",
    "1.5",
    "99999999999999999999",
    "0x1F",
    "true",
    "\u{feff}",
    "é",
    "☕",
    "apiVersion",
    "v1",
    "apps/v1",
    "batch/v1",
    "kind",
    "Pod",
    "Deployment",
    "Job",
    "CronJob",
    "List",
    "DeploymentList",
    "items",
    "metadata",
    "name",
    "generateName",
    "spec",
    "template",
    "jobTemplate",
    "containers",
    "initContainers",
    "image",
    "restartPolicy",
    "Always",
    "Never",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "exec",
    "command",
    "httpGet",
    "port",
    "tcpSocket",
    "grpc",
    "lifecycle",
    "preStop",
    "postStart",
    "sleep",
    "seconds",
    "ports",
    "containerPort",
    "hostPort",
    "hostIP",
    "resources",
    "requests",
    "limits",
    "cpu",
    "memory",
    "500m",
    "1Gi",
    "volumeMounts",
    "volumes",
    "mountPath",
    "terminationGracePeriodSeconds",
    "successThreshold",
    "overhead",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn token_soup(picks in proptest::collection::vec(0..TOKENS.len(), 0..80)) {
        let source: String = picks.iter().map(|&i| TOKENS[i]).collect();
        lifecycle::check(&source);
    }

    #[test]
    fn arbitrary_text(source in "\\PC{0,200}") {
        lifecycle::check(&source);
    }
}
