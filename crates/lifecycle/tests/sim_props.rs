//! Property tests for [`lifecycle::sim::simulate`]: random pods (init containers, sidecars and app
//! containers running small `sh` scripts, random probes and restart policies) under random timed actions.
//!
//! Whatever the input, a run must be reproducible (the same input gives the same trace), move forward in
//! time, keep a terminal phase once reached, and end within its limits with a stated reason. Case counts
//! stay small so that the suite stays fast; a failure prints the manifest and actions to replay with
//! `podstep run`.

use lifecycle::sim::trace::EndReason;
use lifecycle::sim::{self, Action, Ms, Scenario, Trace};
use proptest::prelude::*;
use std::fmt::Write as _;

#[derive(Clone, Debug)]
enum Kind {
    Init,
    Sidecar,
    App,
}

#[derive(Clone, Debug)]
struct Probe {
    kind: &'static str,
    /// `cat /tmp/ok` or the like; a file the scripts may touch.
    command: &'static str,
    initial_delay_s: u8,
    period_s: u8,
    failure_threshold: u8,
    success_threshold: u8,
}

#[derive(Clone, Debug)]
struct Ctr {
    kind: Kind,
    script: String,
    probes: Vec<Probe>,
    pre_stop_s: Option<u8>,
    post_start_s: Option<u8>,
}

#[derive(Clone, Debug)]
struct Pod {
    policy: &'static str,
    grace_s: u8,
    containers: Vec<Ctr>,
    actions: Vec<(u16, String)>,
    until_s: u64,
    minor: u32,
}

/// One command of the script grammar: sleeps, exits, traps, background waits and file writes.
fn command() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u8..20).prop_map(|n| format!("sleep {n}")),
        (0u8..4).prop_map(|n| format!("exit {n}")),
        Just("trap 'exit 0' TERM".to_string()),
        Just("trap 'sleep 3; exit 1' TERM".to_string()),
        (1u8..30).prop_map(|n| format!("sleep {n} & wait")),
        Just("touch /tmp/ok".to_string()),
        Just("rm -f /tmp/ok".to_string()),
        Just("true".to_string()),
        Just("false".to_string()),
        Just("sleep infinity & wait".to_string()),
    ]
}

fn script() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(command(), 1..5),
        prop::collection::vec(prop_oneof![Just("; "), Just(" && "), Just(" || ")], 4),
    )
        .prop_map(|(cmds, seps)| {
            let mut out = String::new();
            for (i, c) in cmds.iter().enumerate() {
                if i > 0 {
                    out.push_str(seps[i - 1]);
                }
                out.push_str(c);
            }
            out
        })
}

fn probe() -> impl Strategy<Value = Probe> {
    (
        prop_oneof![
            Just("startupProbe"),
            Just("readinessProbe"),
            Just("livenessProbe")
        ],
        prop_oneof![Just("cat /tmp/ok"), Just("test -f /tmp/ok"), Just("true")],
        0u8..4,
        1u8..6,
        1u8..4,
        1u8..3,
    )
        .prop_map(
            |(kind, command, initial_delay_s, period_s, failure_threshold, s)| Probe {
                kind,
                command,
                initial_delay_s,
                period_s,
                failure_threshold,
                // successThreshold must be 1 for liveness and startup probes.
                success_threshold: if kind == "readinessProbe" { s } else { 1 },
            },
        )
}

fn container(kind: Kind) -> impl Strategy<Value = Ctr> {
    let hooks_and_probes = !matches!(kind, Kind::Init);
    (
        script(),
        prop::collection::vec(probe(), 0..3),
        prop::option::of(0u8..6),
        prop::option::of(0u8..4),
    )
        .prop_map(move |(script, mut probes, pre_stop_s, post_start_s)| {
            // One probe of each kind at most; regular init containers may have none (validation).
            probes.sort_by_key(|p| p.kind);
            probes.dedup_by_key(|p| p.kind);
            if !hooks_and_probes {
                probes.clear();
            }
            Ctr {
                kind: kind.clone(),
                script,
                probes,
                pre_stop_s: pre_stop_s.filter(|_| hooks_and_probes),
                post_start_s: post_start_s.filter(|_| hooks_and_probes),
            }
        })
}

fn action(names: Vec<String>) -> impl Strategy<Value = String> {
    let pick = prop::sample::select(names);
    prop_oneof![
        prop::option::of(0u8..6).prop_map(|g| match g {
            Some(g) => format!("delete grace={g}"),
            None => "delete".to_string(),
        }),
        (pick.clone(), 0u8..3).prop_map(|(c, code)| format!("kill {c} exit={code}")),
        pick.clone().prop_map(|c| format!("oom {c}")),
        pick.prop_map(|c| format!("set-image {c} busybox:1.37")),
        Just("kubelet-restart".to_string()),
        Just("node-reboot".to_string()),
    ]
}

fn pod() -> impl Strategy<Value = Pod> {
    let inits = prop::collection::vec(
        prop_oneof![container(Kind::Init), container(Kind::Sidecar)],
        0..3,
    );
    let apps = prop::collection::vec(container(Kind::App), 1..3);
    (
        prop_oneof![Just("Always"), Just("OnFailure"), Just("Never")],
        0u8..8,
        inits,
        apps,
        30u64..200,
        prop_oneof![Just(28u32), Just(33), Just(35)],
    )
        .prop_flat_map(|(policy, grace_s, inits, apps, until_s, minor)| {
            let containers: Vec<Ctr> = inits.into_iter().chain(apps).collect();
            let names: Vec<String> = (0..containers.len()).map(|i| format!("c{i}")).collect();
            let actions = prop::collection::vec((0u16..120, action(names)), 0..4);
            (
                Just(policy),
                Just(grace_s),
                Just(containers),
                actions,
                Just(until_s),
                Just(minor),
            )
        })
        .prop_map(
            |(policy, grace_s, containers, actions, until_s, minor)| Pod {
                policy,
                grace_s,
                containers,
                actions,
                until_s,
                minor,
            },
        )
}

fn manifest(p: &Pod) -> String {
    let mut y = String::new();
    writeln!(
        y,
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: prop}}\nspec:"
    )
    .unwrap();
    writeln!(y, "  restartPolicy: {}", p.policy).unwrap();
    writeln!(y, "  terminationGracePeriodSeconds: {}", p.grace_s).unwrap();
    let section = |y: &mut String, title: &str, init: bool| {
        let list: Vec<(usize, &Ctr)> = p
            .containers
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c.kind, Kind::App) != init)
            .collect();
        if list.is_empty() {
            return;
        }
        writeln!(y, "  {title}:").unwrap();
        for (i, c) in list {
            writeln!(y, "  - name: c{i}\n    image: busybox:1.36").unwrap();
            if matches!(c.kind, Kind::Sidecar) {
                writeln!(y, "    restartPolicy: Always").unwrap();
            }
            writeln!(y, "    command: [sh, -c, {:?}]", c.script).unwrap();
            for pr in &c.probes {
                writeln!(
                    y,
                    "    {}:\n      exec: {{command: [sh, -c, {:?}]}}\n      initialDelaySeconds: {}\n      periodSeconds: {}\n      failureThreshold: {}\n      successThreshold: {}",
                    pr.kind, pr.command, pr.initial_delay_s, pr.period_s, pr.failure_threshold, pr.success_threshold
                )
                .unwrap();
            }
            if c.pre_stop_s.is_some() || c.post_start_s.is_some() {
                writeln!(y, "    lifecycle:").unwrap();
                if let Some(s) = c.post_start_s {
                    writeln!(
                        y,
                        "      postStart:\n        exec: {{command: [sh, -c, \"sleep {s}\"]}}"
                    )
                    .unwrap();
                }
                if let Some(s) = c.pre_stop_s {
                    writeln!(
                        y,
                        "      preStop:\n        exec: {{command: [sh, -c, \"sleep {s}\"]}}"
                    )
                    .unwrap();
                }
            }
        }
    };
    section(&mut y, "initContainers", true);
    section(&mut y, "containers", false);
    y
}

fn scenario(p: &Pod) -> Scenario {
    Scenario {
        actions: p
            .actions
            .iter()
            .map(|(t, a)| {
                (
                    Ms::from_s(u64::from(*t)),
                    Action::parse(a).expect("generated actions parse"),
                )
            })
            .collect(),
        until_s: p.until_s,
        version: sim::Version { minor: p.minor },
        // The generator writes sidecars for every version: in 1.28 they need their alpha gate on.
        gates: if p.minor < 29 {
            vec![(lifecycle::features::Gate::SidecarContainers, true)]
        } else {
            Vec::new()
        },
        max_container_restart_period: None,
    }
}

fn run(p: &Pod) -> Option<Trace> {
    // Checked against the version simulated, as the CLI and the playground do.
    let checked = lifecycle::check_with(&manifest(p), &scenario(p).kube());
    let w = checked.workloads.first()?;
    // The generator only makes valid pods; a validation error here is a generator bug worth seeing.
    assert_eq!(
        w.errors,
        0,
        "generated an invalid pod:\n{}\n{:?}",
        manifest(p),
        checked.diagnostics
    );
    Some(sim::simulate(w, &scenario(p)))
}

fn describe(p: &Pod) -> String {
    let at: Vec<String> = p
        .actions
        .iter()
        .map(|(t, a)| format!("--at '{t} {a}'"))
        .collect();
    format!(
        "{}\npodstep run FILE --until {} --kube-version 1.{} {}",
        manifest(p),
        p.until_s,
        p.minor,
        at.join(" ")
    )
}

proptest! {
    // 64 cases by default; `PROPTEST_CASES=5000` searches deeper locally.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn same_input_same_trace(p in pod()) {
        let (Some(a), Some(b)) = (run(&p), run(&p)) else { return Ok(()) };
        prop_assert_eq!(a.to_text(), b.to_text(), "{}", describe(&p));
        prop_assert_eq!(a.events_text(), b.events_text(), "{}", describe(&p));
        let (ja, jb) = (serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
        prop_assert_eq!(ja, jb, "{}", describe(&p));
    }

    #[test]
    fn time_never_goes_back_and_runs_end_within_limits(p in pod()) {
        let Some(t) = run(&p) else { return Ok(()) };
        let until = p.until_s as f64;
        prop_assert!(["terminal", "steady", "horizon", "limit"].contains(&t.end.why.as_str()),
            "end.why = {}\n{}", t.end.why, describe(&p));
        prop_assert!(t.end.t <= until, "end.t {} > until {}\n{}", t.end.t, until, describe(&p));
        let mut last = 0.0;
        for s in &t.steps {
            prop_assert!(s.t.as_secs_f64() >= last, "step at {} after {}\n{}", s.t, last, describe(&p));
            prop_assert!(s.t.as_secs_f64() <= t.end.t, "step at {} after the end {}\n{}", s.t, t.end.t, describe(&p));
            last = s.t.as_secs_f64();
        }
        let mut last = 0.0;
        for e in &t.events {
            prop_assert!(e.t >= last, "event at {} after {}\n{}", e.t, last, describe(&p));
            last = e.t;
        }
    }

    #[test]
    fn a_terminal_phase_is_final(p in pod()) {
        let Some(t) = run(&p) else { return Ok(()) };
        let mut terminal: Option<&str> = None;
        for s in &t.steps {
            match terminal {
                Some(phase) => prop_assert_eq!(s.phase.as_str(), phase, "at {}\n{}", s.t, describe(&p)),
                None if s.phase.terminal() => terminal = Some(s.phase.as_str()),
                None => {}
            }
        }
        if let Some(phase) = terminal {
            prop_assert_eq!(t.final_state.phase.as_str(), phase, "{}", describe(&p));
        }
        if t.end.why == EndReason::Terminal {
            prop_assert!(t.final_state.phase == "Succeeded" || t.final_state.phase == "Failed",
                "ended terminal in phase {}\n{}", t.final_state.phase, describe(&p));
        }
    }

    /// Folding the status changes in order ends on exactly the final statuses (the web app shows the
    /// status at any step this way), and they are listed in step order.
    #[test]
    fn status_changes_fold_to_the_final_statuses(p in pod()) {
        let Some(t) = run(&p) else { return Ok(()) };
        let mut last_step = 0;
        let mut latest = std::collections::BTreeMap::new();
        for c in &t.status_changes {
            prop_assert!(c.step >= last_step && c.step <= t.steps.len(), "{}", describe(&p));
            last_step = c.step;
            latest.insert(c.status.name.clone(), c.status.clone());
        }
        let f = &t.final_state;
        for status in f.init_container_statuses.iter().chain(&f.container_statuses) {
            prop_assert_eq!(latest.get(&status.name), Some(status), "{}", describe(&p));
        }
    }
}
