//! The command line as a user meets it: help, version, exit codes, output shapes and error messages
//! of `check` and `run`. Snapshots hold exactly what the terminal shows (exit status, stdout, stderr).

use expect_test::expect;
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

/// What a user sees from one invocation: the exit status, then stdout and stderr when not empty.
fn seen(args: &[&str], stdin: Option<&str>) -> String {
    let out = podstep(args, stdin);
    let mut s = match out.status.code() {
        Some(code) => format!("exit {code}\n"),
        None => "killed by a signal\n".to_string(),
    };
    for (name, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        if !bytes.is_empty() {
            s.push_str(&format!("{name}:\n{}", text(bytes)));
        }
    }
    s
}

#[test]
fn top_level_help_names_the_commands_and_exit_codes() {
    let help = seen(&["--help"], None);
    expect![[r#"
        exit 0
        stdout:
        podstep 0.1.0: step through what the kubelet does with a pod

        USAGE:
            podstep [OPTIONS]
            podstep COMMAND [ARGS]

        'podstep COMMAND --help' lists a command's flags; 'podstep run --help' also lists the actions
        and where container behaviour comes from.

        OPTIONS:
            -V, --version  print Podstep's version
            -h, --help     print this help

        COMMANDS:
            podstep check [OPTIONS] FILE...  print located diagnostics for Kubernetes manifests
            podstep run [OPTIONS] FILE       simulate what the kubelet does with a pod and print the trace
            podstep lint [OPTIONS] FILE...   find what will go wrong when the pods run, with fixes
            podstep help [COMMAND]           print a command's help, like --help

        EXIT CODES:
            0  success
            1  errors found: check found an error, lint an error or a warning, or run refused a
               workload with errors
            2  unusable input or arguments: unknown flag, missing value, unreadable file,
               bad action, bad version
    "#]]
    .assert_eq(&help);
    assert_eq!(seen(&["-h"], None), help);
    assert_eq!(seen(&["help"], None), help);
    // No command at all is a request for help, not an error.
    assert_eq!(seen(&[], None), help);
}

#[test]
fn check_help_lists_every_flag_and_the_exit_codes() {
    let help = seen(&["check", "--help"], None);
    expect![[r#"
        exit 0
        stdout:
        podstep check: print located diagnostics for Kubernetes manifests

        USAGE:
            podstep check [OPTIONS] FILE...

        Each FILE holds one or more YAML documents (Pod, Deployment, Job, List, …); '-' reads standard
        input. Each diagnostic is printed as FILE:LINE:COL: severity: PATH: MESSAGE. The checks follow
        the Kubernetes version and its feature gates: a field of a gate that is off is dropped with a
        warning naming the gate, as the API server drops it.

        OPTIONS:
                --format text|json              text (default): one line per diagnostic
                                                json: an array of {file, line, column, severity, path, message, hint}
                --kube-version 1.MINOR          the Kubernetes version to check against (1.28 to 1.35, default 1.33)
                --feature-gates A=true,B=false  turn lifecycle feature gates of that version on or off, as the API server's and
                                                kubelet's --feature-gates do (Podstep follows SidecarContainers, PodReadyToStartContainersCondition, PodLifecycleSleepAction, PodLifecycleSleepActionAllowZero, ContainerRestartRules, ContainerStopSignals, ImageVolume, RestartAllContainersOnContainerExits, PodObservedGenerationTracking, ReduceDefaultCrashLoopBackOffDecay, KubeletCrashLoopBackOffMax)
                --validate strict|warn          strict (default, as kubectl apply since 1.27): an unknown field is an error;
                                                warn: it is a warning
            -h, --help                          print this help

        EXIT CODES:
            0  no errors (warnings and infos may be printed)
            1  an error was found in some FILE
            2  unusable input or arguments: unknown flag, missing value, unreadable file,
               bad version
    "#]]
    .assert_eq(&help);
    assert_eq!(seen(&["check", "-h"], None), help);
    assert_eq!(seen(&["help", "check"], None), help);
}

#[test]
fn run_help_lists_every_flag_the_actions_and_the_exit_codes() {
    let help = seen(&["run", "--help"], None);
    expect![[r#"
        exit 0
        stdout:
        podstep run: simulate what the kubelet does with a pod and print the trace

        USAGE:
            podstep run [OPTIONS] FILE

        FILE holds one or more YAML documents; '-' reads standard input. Its warnings and errors go to
        standard error, and a workload with errors is not simulated. The trace is one line per step, then
        the final status; docs/trace.md documents it and its JSON form.

        OPTIONS:
                --format text|json                       text (default): one line per step
                                                         json: the trace object of docs/trace.md
                --until SECONDS                          simulate at most this many whole seconds (default 600, at most 86400)
                --at 'SECONDS ACTION'                    apply ACTION (below) at SECONDS; repeatable
                --pod NAME                               the workload to simulate, by object or pod name (default: the first)
                --kube-version 1.MINOR                   the Kubernetes version simulated (1.28 to 1.35, default 1.33)
                --feature-gates A=true,B=false           turn lifecycle feature gates of that version on or off, as the API server's and
                                                         kubelet's --feature-gates do (Podstep follows SidecarContainers, PodReadyToStartContainersCondition, PodLifecycleSleepAction, PodLifecycleSleepActionAllowZero, ContainerRestartRules, ContainerStopSignals, ImageVolume, RestartAllContainersOnContainerExits, PodObservedGenerationTracking, ReduceDefaultCrashLoopBackOffDecay, KubeletCrashLoopBackOffMax)
                --validate strict|warn                   strict (default, as kubectl apply since 1.27): an unknown field is an error;
                                                         warn: it is a warning
                --max-container-restart-period DURATION  the kubelet's crashLoopBackOff.maxContainerRestartPeriod (1s to 300s, e.g. 30s),
                                                         which caps CrashLoopBackOff; needs the KubeletCrashLoopBackOffMax gate (on from 1.35,
                                                         where the kubelet's default is 300s)
                --kubelet-config FILE                    a KubeletConfiguration (kubelet.config.k8s.io/v1beta1): its featureGates (the
                                                         kubelet's own gates) and crashLoopBackOff.maxContainerRestartPeriod are simulated,
                                                         other fields are listed as ignored; flags win over the file, as with the kubelet
                --events                                 append kubectl describe-style events to the text trace
            -h, --help                                   print this help

        ACTIONS:
            delete [grace=N]           delete the pod (optionally with a grace period in seconds)
            set-image CONTAINER IMAGE  change a container's image
            kill CONTAINER [exit=N]    the container's process exits with N (default 137)
            oom CONTAINER              the container is OOM-killed
            kubelet-restart            restart the kubelet
            node-reboot                reboot the node
            create KIND NAME           create a service, configmap, secret or pvc the pod depends on
            delete KIND NAME           delete one (KIND: service, configmap, secret, pvc)

        CONTAINER BEHAVIOUR:
            First match wins: the pod annotation behavior.podstep.dev/<container>, the container's
            command/args (a small sh interpreter), well-known images (busybox/alpine exit 0 at once;
            nginx, envoy, redis… serve until SIGTERM), else a stated default with a warning. Images
            under .invalid/.example/.test/.localhost or localhost can never be pulled. See
            docs/behavior.md.

        EXIT CODES:
            0  the trace was printed
            1  the workload has errors (printed to standard error), so it was not simulated
            2  unusable input or arguments: unknown flag, missing value, unreadable file,
               bad action, bad version, no such workload
    "#]]
    .assert_eq(&help);
    assert_eq!(seen(&["run", "-h"], None), help);
    assert_eq!(seen(&["help", "run"], None), help);
    // Help wins over the rest of the arguments once it is reached.
    assert_eq!(seen(&["run", "pod.yaml", "--help"], None), help);
}

#[test]
fn version_prints_podsteps_own() {
    let want = format!("exit 0\nstdout:\npodstep {}\n", env!("CARGO_PKG_VERSION"));
    assert_eq!(seen(&["--version"], None), want);
    assert_eq!(seen(&["-V"], None), want);
}

#[test]
fn kube_version_picks_the_simulated_kubelet_on_run() {
    // The PodReadyToStartContainers condition is gated off in 1.28 and on from 1.29.
    let conditions = |version: &str| {
        let out = podstep(
            &["run", "--format", "json", "--kube-version", version, "-"],
            Some(GOOD),
        );
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        v["final"]["conditions"]
            .as_array()
            .expect("conditions")
            .iter()
            .map(|c| c["type"].as_str().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
    };
    assert!(!conditions("1.28").contains(&"PodReadyToStartContainers".to_string()));
    assert!(conditions("1.35").contains(&"PodReadyToStartContainers".to_string()));
    // The default is 1.33.
    assert_eq!(
        seen(&["run", "-"], Some(GOOD)),
        seen(&["run", "--kube-version=1.33", "-"], Some(GOOD))
    );
}

#[test]
fn kube_version_on_check_is_validated() {
    expect![[r#"
        exit 1
        stdout:
        <stdin>:6:5: error: spec.containers[0].image: Required value
    "#]]
    .assert_eq(&seen(&["check", "--kube-version", "1.28", "-"], Some(BAD)));
    expect![[r#"
        exit 2
        stderr:
        podstep: --kube-version "1.36": Podstep simulates Kubernetes 1.28 to 1.35 (see 'podstep check --help')
    "#]]
    .assert_eq(&seen(&["check", "--kube-version", "1.36", "-"], Some(GOOD)));
    expect![[r#"
        exit 2
        stderr:
        podstep: --kube-version "latest": expected 1.MINOR, e.g. 1.33; Podstep simulates Kubernetes 1.28 to 1.35 (see 'podstep check --help')
    "#]]
    .assert_eq(&seen(&["check", "--kube-version", "latest", "-"], Some(GOOD)));
}

#[test]
fn bad_kube_versions_on_run_exit_2() {
    expect![[r#"
        exit 2
        stderr:
        podstep: --kube-version "1.27": Podstep simulates Kubernetes 1.28 to 1.35 (see 'podstep run --help')
    "#]]
    .assert_eq(&seen(&["run", "--kube-version", "1.27", "-"], Some(GOOD)));
    expect![[r#"
        exit 2
        stderr:
        podstep: --kube-version needs 1.MINOR (see 'podstep run --help')
    "#]]
    .assert_eq(&seen(&["run", "-", "--kube-version"], Some(GOOD)));
    // `--version` once chose the kubelet; now it is Podstep's own, and run says where the old one went.
    expect![[r#"
        exit 2
        stderr:
        podstep: '--version' is Podstep's own ('podstep --version'); the simulated Kubernetes version is --kube-version 1.MINOR (see 'podstep run --help')
    "#]]
    .assert_eq(&seen(&["run", "--version", "1.33", "-"], Some(GOOD)));
}

#[test]
fn unusable_arguments_exit_2_with_a_pointer_to_help() {
    expect![[r#"
        exit 2
        stderr:
        podstep: unknown flag '--strict' for check (see 'podstep check --help')
    "#]]
    .assert_eq(&seen(&["check", "--strict", "-"], Some(GOOD)));
    expect![[r#"
        exit 2
        stderr:
        podstep: unknown flag '-x' for run (see 'podstep run --help')
    "#]]
    .assert_eq(&seen(&["run", "-x", "-"], Some(GOOD)));
    expect![[r#"
        exit 2
        stderr:
        podstep: --events takes no value (see 'podstep run --help')
    "#]]
    .assert_eq(&seen(&["run", "--events=yes", "-"], Some(GOOD)));
    expect![[r#"
        exit 2
        stderr:
        podstep: --format takes text or json, not "yaml" (see 'podstep run --help')
    "#]]
    .assert_eq(&seen(&["run", "--format", "yaml", "-"], Some(GOOD)));
    expect![[r#"
        exit 2
        stderr:
        podstep: run takes one FILE; "other.yaml" is a second (see 'podstep run --help')
    "#]]
    .assert_eq(&seen(&["run", "-", "other.yaml"], Some(GOOD)));
    expect![[r#"
        exit 2
        stderr:
        podstep: check needs a FILE, or - for standard input (see 'podstep check --help')
    "#]]
    .assert_eq(&seen(&["check"], None));
    expect![[r#"
        exit 2
        stderr:
        podstep: unknown command "lnit": use check, run or lint (see 'podstep --help')
    "#]]
    .assert_eq(&seen(&["lnit", "pod.yaml"], None));
    expect![[r#"
        exit 2
        stderr:
        podstep: unknown flag '--format' (see 'podstep --help')
    "#]]
    .assert_eq(&seen(&["--format", "json"], None));
}

#[test]
fn an_unreadable_file_exits_2() {
    expect![[r#"
        exit 2
        stderr:
        podstep: reading /nonexistent/pod.yaml: No such file or directory (os error 2)
    "#]]
    .assert_eq(&seen(&["check", "/nonexistent/pod.yaml"], None));
}

#[test]
fn flags_take_their_value_attached_or_separate() {
    assert_eq!(
        seen(&["check", "--format=json", "-"], Some(BAD)),
        seen(&["check", "--format", "json", "-"], Some(BAD))
    );
    assert_eq!(
        seen(
            &["run", "--at=3 delete grace=1", "--until=60", "-"],
            Some(GOOD)
        ),
        seen(
            &["run", "-", "--at", "3 delete grace=1", "--until", "60"],
            Some(GOOD)
        )
    );
}

const SIDECAR: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers:\n  - name: migrate\n    image: busybox:1.36\n    command: [sh, -c, 'sleep 2']\n  - name: proxy\n    image: envoyproxy/envoy:v1.31-latest\n    restartPolicy: Always\n  containers:\n  - name: app\n    image: nginx:1.27\n";

/// 1.28's API server drops a sidecar's restartPolicy (SidecarContainers is alpha and off): check says
/// so, and run shows the pod stuck behind it; the gate turned on brings the sidecar back.
#[test]
fn the_version_and_its_gates_decide_what_a_sidecar_is() {
    expect![[r#"
        exit 0
        stdout:
        <stdin>:11:5: warning: spec.initContainers[1].restartPolicy: dropped: the SidecarContainers feature gate is off (alpha in 1.28), so the API server drops restartPolicy from init containers and proxy runs as a regular init container, which must exit before the next one starts
    "#]]
    .assert_eq(&seen(&["check", "--kube-version", "1.28", "-"], Some(SIDECAR)));
    let stuck = seen(
        &["run", "--kube-version", "1.28", "--until", "60", "-"],
        Some(SIDECAR),
    );
    assert!(stuck.contains("final Pending 0/1 Init:1/2 0"), "{stuck}");
    let gated = seen(
        &[
            "run",
            "--kube-version",
            "1.28",
            "--feature-gates",
            "SidecarContainers=true",
            "--until",
            "60",
            "-",
        ],
        Some(SIDECAR),
    );
    assert!(gated.contains("final Running 2/2 Running 0"), "{gated}");
    expect![[r#"
        exit 2
        stderr:
        podstep: --feature-gates: cannot set feature gate SidecarContainers to false, feature is locked to true (see 'podstep check --help')
    "#]].assert_eq(&seen(
        &["check", "--kube-version", "1.33", "--feature-gates", "SidecarContainers=false", "-"],
        Some(SIDECAR),
    ));
}

/// An unknown field is an error by default (kubectl apply's strict field validation) and a warning with
/// --validate=warn.
#[test]
fn unknown_fields_are_errors_unless_validate_warn() {
    let typo = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    imagePullPolicyy: Always\n";
    expect![[r#"
        exit 1
        stdout:
        <stdin>:8:5: error: spec.containers[0].imagePullPolicyy: unknown field "spec.containers[0].imagePullPolicyy" (hint: did you mean "imagePullPolicy"?)
    "#]].assert_eq(&seen(&["check", "-"], Some(typo)));
    expect![[r#"
        exit 0
        stdout:
        <stdin>:8:5: warning: spec.containers[0].imagePullPolicyy: unknown field "spec.containers[0].imagePullPolicyy" (hint: did you mean "imagePullPolicy"?)
    "#]].assert_eq(&seen(&["check", "--validate=warn", "-"], Some(typo)));
}

/// `--kubelet-config` reads a KubeletConfiguration: its crash back-off cap and the kubelet's own gates
/// change the run, every other field is named as ignored, and a file the kubelet would refuse stops
/// the run with the kubelet's message, located in the file.
#[test]
fn a_kubelet_configuration_file_sets_the_crash_back_off() {
    let crash = "apiVersion: v1\nkind: Pod\nmetadata: {name: crash}\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [sh, -c, 'exit 1']\n";
    let dir = std::env::temp_dir().join(format!("podstep-kubelet-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("kubelet.yaml");
    std::fs::write(
        &config,
        "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nfeatureGates:\n  ReduceDefaultCrashLoopBackOffDecay: true\ncrashLoopBackOff:\n  maxContainerRestartPeriod: 5s\nmaxPods: 110\n",
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let delays = |args: &[&str]| {
        let out = podstep(args, Some(crash));
        let delays: Vec<String> = text(&out.stdout)
            .lines()
            .filter_map(|l| l.split("BackOff delaySeconds=").nth(1))
            .map(|d| d.split_whitespace().next().unwrap_or("").to_string())
            .collect();
        (delays.join(" "), text(&out.stderr))
    };
    let (capped, note) = delays(&[
        "run",
        "--kube-version",
        "1.35",
        "--kubelet-config",
        config,
        "--until",
        "60",
        "-",
    ]);
    assert_eq!(
        capped, "2 4 5 5 5 5 5 5 5 5 5 5",
        "1 s doubling, capped at the file's 5 s"
    );
    assert_eq!(
        note,
        format!("{config}: note: Podstep simulates featureGates and crashLoopBackOff of a kubelet configuration; ignored: maxPods\n")
    );
    let (flag_wins, _) = delays(&[
        "run",
        "--kube-version",
        "1.35",
        "--kubelet-config",
        config,
        "--max-container-restart-period",
        "3s",
        "--until",
        "30",
        "-",
    ]);
    assert!(flag_wins.starts_with("2 3 3 3"), "{flag_wins}");
    let refused = seen(
        &[
            "run",
            "--kube-version",
            "1.34",
            "--kubelet-config",
            config,
            "-",
        ],
        Some(crash),
    );
    assert_eq!(
        refused,
        format!("exit 2\nstderr:\npodstep: {config}:6:30: crashLoopBackOff.maxContainerRestartPeriod: invalid configuration: FeatureGate KubeletCrashLoopBackOffMax not enabled, CrashLoopBackOff.MaxContainerRestartPeriod must not be set (the gate is off in 1.34; --feature-gates KubeletCrashLoopBackOffMax=true, or 1.35)\n")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `podstep lint`: check's diagnostics and the findings, each with its fix; exit 1 on a warning;
/// `--fix` rewrites the file (and refuses standard input); JSON and SARIF carry the same findings.
#[test]
fn lint_reports_findings_with_fixes_and_fix_rewrites_the_file() {
    let job = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: report}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: worker\n        image: busybox:1.36\n        command: [sh, -c, \"sleep 5\"]\n      # the proxy\n      - name: envoy-proxy\n        image: envoyproxy/envoy:v1.31.0\n";
    expect![[r#"
        exit 1
        stdout:
        <stdin>:13:9: warning PS001 classic-sidecar: spec.template.spec.containers[1]: worker finished its work at 7 s, but envoy-proxy keeps running in containers[], so the pod stays Running and the Job never completes; as a native sidecar it would be stopped once worker exited
            fix: move envoy-proxy to initContainers with restartPolicy: Always (a native sidecar)
    "#]]
    .assert_eq(&seen(&["lint", "-"], Some(job)));
    expect![[r#"
        exit 2
        stderr:
        podstep: --fix rewrites files; it cannot rewrite standard input (see 'podstep lint --help')
    "#]]
    .assert_eq(&seen(&["lint", "--fix", "-"], Some(job)));
    let dir = std::env::temp_dir().join(format!("podstep-lint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("job.yaml");
    std::fs::write(&file, job).unwrap();
    let path = file.to_str().unwrap();
    let fixed = podstep(&["lint", "--fix", path], None);
    assert_eq!(fixed.status.code(), Some(0), "{}", text(&fixed.stdout));
    assert_eq!(text(&fixed.stderr), format!("{path}: applied 1 fix\n"));
    expect![[r#"
        apiVersion: batch/v1
        kind: Job
        metadata: {name: report}
        spec:
          template:
            spec:
              restartPolicy: Never
              initContainers:
              # the proxy
              - name: envoy-proxy
                image: envoyproxy/envoy:v1.31.0
                restartPolicy: Always
              containers:
              - name: worker
                image: busybox:1.36
                command: [sh, -c, "sleep 5"]
    "#]]
    .assert_eq(&std::fs::read_to_string(&file).unwrap());
    let run = seen(&["run", path], None);
    assert!(run.contains("final Succeeded 0/2 Completed 0"), "{run}");
    std::fs::remove_dir_all(&dir).unwrap();

    let json: serde_json::Value =
        serde_json::from_slice(&podstep(&["lint", "--format", "json", "-"], Some(job)).stdout)
            .unwrap();
    let finding = &json["files"][0]["findings"][0];
    assert_eq!(finding["rule"], "PS001");
    assert_eq!(finding["fix"]["edits"].as_array().map(Vec::len), Some(2));
    let sarif: serde_json::Value =
        serde_json::from_slice(&podstep(&["lint", "--format", "sarif", "-"], Some(job)).stdout)
            .unwrap();
    let help = seen(&["lint", "--help"], None);
    for rule in lifecycle::lint::RULES {
        assert!(
            help.contains(&format!("{} {}", rule.code, rule.name)),
            "{help}"
        );
    }
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "PS001");
    assert_eq!(
        sarif["runs"][0]["results"][0]["fixes"][0]["artifactChanges"][0]["replacements"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
}
