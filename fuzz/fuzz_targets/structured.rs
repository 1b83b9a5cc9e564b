//! Structured pods from `arbitrary`: shapes that random text rarely reaches (sidecars with probes and
//! hooks, scripts with traps, actions at odd times) rendered as YAML, then checked and simulated.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use lifecycle::sim::{simulate, Action, Ms, Scenario};

#[derive(Arbitrary, Debug)]
struct Pod {
    policy: u8,
    grace: u8,
    init: Vec<Ctr>,
    app: Vec<Ctr>,
    actions: Vec<(u16, Act)>,
}

#[derive(Arbitrary, Debug)]
struct Ctr {
    sidecar: bool,
    script: Vec<Cmd>,
    startup: Option<(u8, u8, u8)>,
    readiness: Option<(u8, u8, u8)>,
    liveness: Option<(u8, u8, u8)>,
    pre_stop: Option<u8>,
    post_start: Option<u8>,
    image: u8,
}

#[derive(Arbitrary, Debug)]
enum Cmd {
    Sleep(u8),
    SleepWait(u8),
    Exit(u8),
    Trap,
    Touch(bool),
    Rm(bool),
    Loop(u8),
}

#[derive(Arbitrary, Debug)]
enum Act {
    Delete(Option<u8>),
    Kill(u8, u8),
    Oom(u8),
    SetImage(u8),
    KubeletRestart,
    NodeReboot,
}

fn script(cmds: &[Cmd]) -> String {
    let parts: Vec<String> = cmds
        .iter()
        .take(8)
        .map(|c| match c {
            Cmd::Sleep(n) => format!("sleep {}", n % 40),
            Cmd::SleepWait(n) => format!("sleep {} & wait", n % 40),
            Cmd::Exit(n) => format!("exit {}", n % 3),
            Cmd::Trap => "trap 'exit 0' TERM".into(),
            Cmd::Touch(shared) => format!("touch {}/ok", if *shared { "/shared" } else { "/tmp" }),
            Cmd::Rm(shared) => format!("rm -f {}/ok", if *shared { "/shared" } else { "/tmp" }),
            Cmd::Loop(n) => format!("while true; do sleep {}; done", 1 + n % 10),
        })
        .collect();
    parts.join("; ").replace('\'', "\\'")
}

fn probe(name: &str, p: &Option<(u8, u8, u8)>, out: &mut String) {
    if let Some((kind, period, threshold)) = p {
        let handler = match kind % 3 {
            0 => "exec: {command: [cat, /shared/ok]}".to_string(),
            1 => "httpGet: {path: /, port: 8080}".to_string(),
            _ => "tcpSocket: {port: 8080}".to_string(),
        };
        let st = if name == "readinessProbe" { 1 + threshold % 3 } else { 1 };
        out.push_str(&format!(
            "    {name}:\n      {handler}\n      periodSeconds: {}\n      failureThreshold: {}\n      successThreshold: {st}\n",
            1 + period % 10,
            1 + threshold % 5
        ));
    }
}

fn container(i: usize, c: &Ctr, init: bool, out: &mut String) {
    let image = ["busybox:1.36", "nginx:1.27", "registry.invalid/x:1", "envoyproxy/envoy:v1.30"][c.image as usize % 4];
    out.push_str(&format!("  - name: c{i}\n    image: {image}\n"));
    if !c.script.is_empty() {
        out.push_str(&format!("    command: [sh, -c, '{}']\n", script(&c.script).replace('\'', "''")));
    }
    out.push_str("    volumeMounts: [{name: shared, mountPath: /shared}]\n");
    let may_probe = !init || c.sidecar;
    if init && c.sidecar {
        out.push_str("    restartPolicy: Always\n");
    }
    if may_probe {
        probe("startupProbe", &c.startup, out);
        probe("readinessProbe", &c.readiness, out);
        probe("livenessProbe", &c.liveness, out);
        if c.pre_stop.is_some() || c.post_start.is_some() {
            out.push_str("    lifecycle:\n");
            if let Some(s) = c.post_start {
                out.push_str(&format!("      postStart: {{exec: {{command: [sh, -c, 'sleep {}']}}}}\n", s % 5));
            }
            if let Some(s) = c.pre_stop {
                out.push_str(&format!("      preStop: {{sleep: {{seconds: {}}}}}\n", s % 20));
            }
        }
    }
}

fuzz_target!(|pod: Pod| {
    let policy = ["Always", "OnFailure", "Never"][pod.policy as usize % 3];
    let mut y = format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: f}}\nspec:\n  restartPolicy: {policy}\n  terminationGracePeriodSeconds: {}\n  volumes: [{{name: shared, emptyDir: {{}}}}]\n",
        20 + pod.grace % 20
    );
    if !pod.init.is_empty() {
        y.push_str("  initContainers:\n");
        for (i, c) in pod.init.iter().take(4).enumerate() {
            container(i, c, true, &mut y);
        }
    }
    y.push_str("  containers:\n");
    container(10, &Ctr { sidecar: false, script: vec![], startup: None, readiness: None, liveness: None, pre_stop: None, post_start: None, image: 1 }, false, &mut y);
    for (i, c) in pod.app.iter().take(4).enumerate() {
        container(20 + i, c, false, &mut y);
    }
    let checked = lifecycle::check(&y);
    let Some(w) = checked.workloads.first() else { return };
    if w.errors > 0 {
        return;
    }
    let names = ["c0", "c10", "c20", "c1"];
    let actions = pod
        .actions
        .iter()
        .take(4)
        .map(|(t, a)| {
            let action = match a {
                Act::Delete(g) => Action::Delete { grace_s: g.map(|g| i64::from(g % 40)) },
                Act::Kill(c, code) => Action::Kill { container: names[*c as usize % 4].into(), exit_code: i32::from(*code) },
                Act::Oom(c) => Action::Oom { container: names[*c as usize % 4].into() },
                Act::SetImage(c) => Action::SetImage { container: names[*c as usize % 4].into(), image: "nginx:1.28".into() },
                Act::KubeletRestart => Action::KubeletRestart,
                Act::NodeReboot => Action::NodeReboot,
            };
            (Ms(u64::from(*t % 400) * 1000), action)
        })
        .collect();
    let scenario = Scenario { actions, until_s: 400, ..Scenario::default() };
    let a = simulate(w, &scenario);
    let b = simulate(w, &scenario);
    assert_eq!(a, b);
    common::check_trace(&a, 400);
});

#[path = "common.rs"]
mod common;
