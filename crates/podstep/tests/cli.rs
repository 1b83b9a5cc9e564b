//! The command line as a user meets it: exit codes, output shapes and error messages of `check` and `run`.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn podstep(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_podstep"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("podstep runs");
    if let Some(input) = stdin {
        // podstep may exit on bad arguments before reading its input.
        let _ = child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes());
    }
    child.wait_with_output().expect("podstep finishes")
}

const GOOD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [sh, -c, 'sleep 5']\n  restartPolicy: Never\n";
const BAD: &str =
    "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: app\n";

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

#[test]
fn check_prints_located_lines_and_exits_1_on_errors() {
    let out = podstep(&["check", "-"], Some(BAD));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        "<stdin>:6:5: error: spec.containers[0].image: Required value\n"
    );
    let ok = podstep(&["check", "-"], Some(GOOD));
    assert_eq!(ok.status.code(), Some(0));
    assert_eq!(text(&ok.stdout), "");
}

#[test]
fn check_json_has_the_documented_fields() {
    let out = podstep(&["check", "--format", "json", "-"], Some(BAD));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let d = &v[0];
    for key in [
        "file", "line", "column", "severity", "path", "message", "hint",
    ] {
        assert!(d.get(key).is_some(), "missing {key} in {d}");
    }
    assert_eq!(d["severity"], "error");
    assert_eq!(d["line"], 6);
}

#[test]
fn run_prints_a_trace_that_ends_terminal() {
    let out = podstep(&["run", "-"], Some(GOOD));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    assert!(t.starts_with("pod web\n"), "{t}");
    assert!(t.contains("app  Exited exitCode=0 reason=Completed"), "{t}");
    assert!(
        t.lines()
            .any(|l| l.starts_with("end t=") && l.ends_with("why=terminal")),
        "{t}"
    );
    assert!(t.contains("final Succeeded 0/1 Completed 0"), "{t}");
}

#[test]
fn run_json_follows_the_contract() {
    let out = podstep(
        &["run", "--format", "json", "--at", "3 delete grace=1", "-"],
        Some(GOOD),
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["pod"], "web");
    assert_eq!(v["end"]["why"], "terminal");
    let steps = v["steps"].as_array().expect("steps");
    for s in steps {
        for key in ["t", "container", "event", "phase", "kubectl"] {
            assert!(s.get(key).is_some(), "step without {key}: {s}");
        }
    }
    assert!(steps
        .iter()
        .any(|s| s["event"] == "DeletionRequested" && s["graceSeconds"] == 1));
    let f = &v["final"];
    assert!(
        f["containerStatuses"][0]["state"]["terminated"]["exitCode"].is_number(),
        "{f}"
    );
    assert_eq!(f["conditions"].as_array().map(Vec::len), Some(5));
    assert!(v["events"]
        .as_array()
        .is_some_and(|e| e.iter().any(|e| e["reason"] == "Killing")));
}

#[test]
fn run_refuses_an_invalid_workload_and_bad_actions() {
    let out = podstep(&["run", "-"], Some(BAD));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("spec.containers[0].image: Required value"));
    let out = podstep(&["run", "--at", "5 explode", "-"], Some(GOOD));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("unknown action"),
        "{}",
        text(&out.stderr)
    );
    let out = podstep(&["run", "--until", "999999", "-"], Some(GOOD));
    assert!(
        text(&out.stderr).contains("at most 86400"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn run_picks_a_workload_by_name() {
    let two = format!("{GOOD}---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: api}}\nspec:\n  selector: {{matchLabels: {{a: b}}}}\n  template:\n    metadata: {{labels: {{a: b}}}}\n    spec:\n      containers:\n      - {{name: srv, image: nginx:1.27}}\n");
    let out = podstep(&["run", "--pod", "api", "-"], Some(&two));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("pod api-"),
        "{}",
        text(&out.stdout)
    );
    let out = podstep(&["run", "--pod", "nope", "-"], Some(&two));
    assert!(
        text(&out.stderr).contains("found: web, api"),
        "{}",
        text(&out.stderr)
    );
}
