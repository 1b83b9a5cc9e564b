//! The web crate's pure modules: the trace folded into lanes and per-step state, the reducer, share
//! links of the whole state, the sentences, the highlighter, markup written as text, and how the page
//! was opened. They touch no browser API, so each test runs natively (`cargo test -p web`) and in
//! headless Chromium (`cargo test -p web --target wasm32-unknown-unknown`), where `#[test]` is
//! wasm-bindgen-test's.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use lifecycle::sim::trace::StepKind;
use std::rc::Rc;
use web::components::{action_problem, example_shared, kubectl_row, status_yaml};
use web::gallery::EXAMPLES;
use web::highlight::{self, Carry, Tok};
use web::hooks::play_delay_ms;
use web::markup::{num, Markup};
use web::narrate::{plain, sentence};
use web::session::{Page, View};
use web::state::{utf16_offset, Action, Go, State, SAMPLE};
use web::timeline::{secs, ticks, ApiState, Seg, Timeline};
use yew::Reducible;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const BROKEN: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: \"\"\n";

fn reduce(state: State, action: Action) -> State {
    (*Rc::new(state).reduce(action)).clone()
}

fn sample() -> State {
    State::default()
}

// ----- the reducer -----

#[test]
fn the_sample_checks_without_errors_and_runs() {
    let state = sample();
    assert!(
        !state.checked.has_errors(),
        "{:?}",
        state.checked.diagnostics
    );
    assert_eq!(state.checked.workloads.len(), 1);
    let run = state.run.as_ref().expect("the sample is simulated");
    assert!(!state.stale);
    assert_eq!(run.trace.final_state.kubectl.status, "Running");
}

#[test]
fn editing_reruns_the_check() {
    let state = reduce(sample(), Action::Edit(BROKEN.to_string()));
    let lines: Vec<String> = state
        .checked
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("8:") && l.contains("spec.containers[0].image")),
        "{lines:?}"
    );
}

#[test]
fn a_broken_edit_keeps_the_last_good_run_stale_and_a_fix_replaces_it() {
    let good = sample();
    let first = good.run.clone().unwrap();
    let broken = reduce(
        good,
        Action::Edit(SAMPLE.replace("image: nginx:1.27", "image:")),
    );
    assert!(broken.stale);
    assert!(
        broken.blocked().unwrap().contains("error"),
        "{:?}",
        broken.blocked()
    );
    assert!(
        Rc::ptr_eq(broken.run.as_ref().unwrap(), &first),
        "the old run is kept as it was"
    );
    let fixed = reduce(
        broken,
        Action::Edit(SAMPLE.replace("nginx:1.27", "nginx:1.26")),
    );
    assert!(!fixed.stale);
    assert!(!Rc::ptr_eq(fixed.run.as_ref().unwrap(), &first));
    assert_eq!(
        fixed.run.as_ref().unwrap().workload.pod.containers[0].image,
        "nginx:1.26"
    );
}

#[test]
fn a_manifest_broken_from_the_start_has_no_run() {
    let state = State::new(BROKEN);
    assert!(state.run.is_none());
    assert!(!state.stale);
    assert!(state.blocked().is_some());
}

#[test]
fn jumping_twice_to_the_same_place_makes_two_requests() {
    let state = State::new(BROKEN);
    let first = reduce(
        state,
        Action::JumpTo {
            line: 8,
            column: 12,
        },
    );
    let second = reduce(
        first.clone(),
        Action::JumpTo {
            line: 8,
            column: 12,
        },
    );
    let (a, b) = (first.jump.unwrap(), second.jump.unwrap());
    assert_eq!(a.offset_utf16, b.offset_utf16);
    assert_ne!(a, b);
}

#[test]
fn offsets_count_utf16_units() {
    let text = "a: 1\nb: \"é😀x\"\n";
    assert_eq!(utf16_offset(text, 1, 1), 0);
    assert_eq!(utf16_offset(text, 2, 1), 5);
    // "é" is one unit, "😀" two: column 7 ("x") is 5 + 6 + 1.
    assert_eq!(utf16_offset(text, 2, 7), 5 + 7);
    assert_eq!(utf16_offset(text, 9, 1), text.encode_utf16().count() as u32);
    assert_eq!(utf16_offset(text, 1, 99), 4);
}

// ----- the stepper -----

#[test]
fn the_cursor_moves_and_stays_in_bounds() {
    let state = sample();
    let last = state.run.as_ref().unwrap().last_step();
    assert_eq!(state.step, 0);
    let s = reduce(state, Action::Go(Go::Prev));
    assert_eq!(s.step, 0);
    let s = reduce(s, Action::Go(Go::Next));
    assert_eq!(s.step, 1);
    let s = reduce(s, Action::Go(Go::Last));
    assert_eq!(s.step, last);
    let s = reduce(s, Action::Go(Go::Next));
    assert_eq!(s.step, last);
    let s = reduce(s, Action::Go(Go::To(usize::MAX)));
    assert_eq!(s.step, last);
    let s = reduce(s, Action::Go(Go::First));
    assert_eq!(s.step, 0);
    // A click at 8.5 s: the last step at or before it.
    let s = reduce(s, Action::Go(Go::Time(8.5)));
    let run = s.run.clone().unwrap();
    assert!(run.trace.steps[s.step].t.as_secs_f64() <= 8.5);
    assert!(run.trace.steps[s.step + 1].t.as_secs_f64() > 8.5);
}

#[test]
fn playing_ticks_to_the_end_and_stops_and_replays_from_the_start() {
    let s = reduce(sample(), Action::TogglePlay);
    assert!(s.playing);
    let s = reduce(s, Action::Tick);
    assert_eq!(s.step, 1);
    let s = reduce(s, Action::Go(Go::Last));
    assert!(!s.playing, "moving by hand pauses");
    let s = reduce(s, Action::TogglePlay);
    assert!(s.playing);
    assert_eq!(s.step, 0, "play at the end starts over");
    let s = reduce(s, Action::Go(Go::Last));
    let s = reduce(s, Action::TogglePlay);
    let s = reduce(s, Action::Go(Go::Last));
    let s = State { playing: true, ..s };
    let s = reduce(s, Action::Tick);
    assert!(!s.playing, "a tick at the end stops");
    assert_eq!(reduce(s.clone(), Action::SetSpeed(4)).speed, 4);
    assert_eq!(reduce(s, Action::SetSpeed(3)).speed, 1, "only 1, 4 and 16");
}

#[test]
fn playback_waits_follow_simulated_time_within_bounds() {
    assert_eq!(play_delay_ms(0.0, 2.0, 1), 2000);
    assert_eq!(play_delay_ms(0.0, 2.0, 4), 500);
    assert_eq!(
        play_delay_ms(5.0, 5.0, 1),
        300,
        "simultaneous steps stay readable"
    );
    assert_eq!(
        play_delay_ms(0.0, 300.0, 1),
        4000,
        "long back-offs do not stall"
    );
    assert_eq!(play_delay_ms(0.0, 300.0, 16), 250);
}

#[test]
fn an_edit_that_keeps_the_trace_keeps_the_cursor() {
    let s = reduce(sample(), Action::Go(Go::To(12)));
    let s = reduce(s, Action::Edit(SAMPLE.replace("# A pod", "# The pod")));
    assert_eq!(s.step, 12);
    let s = reduce(s, Action::Go(Go::Last));
    let s = reduce(s, Action::Edit(SAMPLE.replace("sleep 3", "sleep 30")));
    assert_eq!(
        s.step,
        s.run.as_ref().unwrap().last_step(),
        "the end stays the end"
    );
}

// ----- scenario actions -----

#[test]
fn an_action_at_the_cursor_joins_the_scenario_and_the_cursor_lands_on_it() {
    let s = reduce(sample(), Action::Go(Go::Last));
    let at = s.run.as_ref().unwrap().trace.steps[s.step].t;
    let s = reduce(
        s,
        Action::AddAction(lifecycle::sim::Action::Delete { grace_s: Some(5) }),
    );
    assert_eq!(*s.actions, vec![(at.0, "delete grace=5".to_string())]);
    let run = s.run.clone().unwrap();
    assert_eq!(run.trace.steps[s.step].event(), "Action");
    assert_eq!(run.trace.final_state.phase, "Succeeded");
    let s = reduce(s, Action::RemoveAction(0));
    assert!(s.actions.is_empty());
    assert_eq!(s.run.as_ref().unwrap().trace.final_state.phase, "Running");
}

#[test]
fn actions_on_missing_containers_are_flagged() {
    let names = vec!["app".to_string()];
    assert_eq!(action_problem("kill app exit=1", &names), None);
    assert!(action_problem("kill web exit=1", &names)
        .unwrap()
        .contains("\"web\""));
    assert!(action_problem("explode", &names).is_some());
    assert_eq!(action_problem("node-reboot", &names), None);
}

// ----- share links of the whole state -----

fn same_scenario(a: &State, b: &State) {
    assert_eq!(a.source, b.source);
    assert_eq!(a.actions, b.actions);
    assert_eq!(a.until_s, b.until_s);
    assert_eq!(a.minor, b.minor);
    assert_eq!(a.workload, b.workload);
    assert_eq!(a.step, b.step);
    assert_eq!(
        a.run.as_ref().map(|r| &r.trace),
        b.run.as_ref().map(|r| &r.trace),
        "the same trace"
    );
}

#[test]
fn the_state_round_trips_through_a_share_link() {
    let s = reduce(sample(), Action::Go(Go::To(9)));
    let s = reduce(s, Action::AddAction(lifecycle::sim::Action::KubeletRestart));
    let s = reduce(s, Action::SetMinor(35));
    let s = reduce(s, Action::SetUntil(120));
    let s = reduce(s, Action::Go(Go::To(20)));
    let link = share::encode(&s.to_shared()).unwrap();
    assert!(link.starts_with("v2/"));
    let back = State::from_shared(Page::default(), &share::decode(&link).unwrap());
    same_scenario(&s, &back);
}

#[test]
fn every_gallery_example_round_trips_through_a_share_link_exactly() {
    assert!(EXAMPLES.len() >= 12);
    for example in EXAMPLES {
        let shared = example_shared(example);
        let opened = State::from_shared(Page::default(), &shared);
        let last = opened.run.as_ref().map_or(0, |r| r.last_step());
        let opened = reduce(opened, Action::Go(Go::To(last / 2)));
        let link = share::encode(&opened.to_shared()).unwrap();
        let back = State::from_shared(Page::default(), &share::decode(&link).unwrap());
        same_scenario(&opened, &back);
        assert_eq!(back.to_shared(), opened.to_shared(), "{}", example.id);
    }
}

// ----- the trace folded -----

#[test]
fn the_sample_has_a_lane_per_container_grouped_init_sidecar_app() {
    let s = sample();
    let run = s.run.unwrap();
    let lanes: Vec<(&str, lifecycle::spec::ContainerKind)> = run
        .timeline
        .lanes
        .iter()
        .map(|l| (l.name.as_str(), l.kind))
        .collect();
    use lifecycle::spec::ContainerKind::*;
    assert_eq!(lanes, [("migrate", Init), ("proxy", Sidecar), ("app", App)]);
    let segs = |i: usize| -> Vec<Seg> {
        run.timeline.lanes[i]
            .segments
            .iter()
            .map(|s| s.seg)
            .collect()
    };
    assert_eq!(
        segs(0),
        [Seg::Waiting, Seg::Creating, Seg::Running, Seg::ExitedOk]
    );
    assert_eq!(
        segs(1),
        [Seg::Waiting, Seg::Creating, Seg::Starting, Seg::Ready]
    );
    assert_eq!(
        segs(2),
        [Seg::Waiting, Seg::Creating, Seg::Starting, Seg::Ready]
    );
    // Segments tile each lane from 0 to the end of the axis.
    for lane in &run.timeline.lanes {
        assert_eq!(lane.segments[0].from_s, 0.0);
        for w in lane.segments.windows(2) {
            assert_eq!(w[0].to_s, w[1].from_s);
        }
        assert_eq!(lane.segments.last().unwrap().to_s, run.timeline.span_s);
    }
    assert!(run.timeline.span_s > run.timeline.end_s);
}

#[test]
fn the_fold_agrees_with_the_engines_final_statuses_on_every_example() {
    for example in EXAMPLES {
        let state = State::from_shared(Page::default(), &example_shared(example));
        let Some(run) = state.run.as_ref() else {
            continue; // the example full of mistakes
        };
        let mut fold = web::timeline::Fold::new(&run.workload);
        for step in &run.trace.steps {
            fold.apply(step);
        }
        let f = &run.trace.final_state;
        for api in f
            .init_container_statuses
            .iter()
            .chain(&f.container_statuses)
        {
            let mine = fold.containers.iter().find(|c| c.name == api.name).unwrap();
            let kind = |s: &ApiState| match s {
                ApiState::Waiting { .. } => "waiting",
                ApiState::Running { .. } => "running",
                ApiState::Terminated { .. } => "terminated",
            };
            let engine = lifecycle::sim::trace::state_text(&api.state);
            // A pod the kubelet has finished reports unfinished statuses as ContainerStatusUnknown; the
            // view at the last step uses the engine's own statuses for exactly that reason.
            if engine.contains("ContainerStatusUnknown") {
                continue;
            }
            assert_eq!(
                (
                    mine.state.short(),
                    mine.ready,
                    mine.started,
                    mine.restart_count
                ),
                (engine.clone(), api.ready, api.started, api.restart_count),
                "{}: container {} ({})",
                example.id,
                api.name,
                kind(&mine.state)
            );
        }
    }
}

#[test]
fn the_view_at_the_cursor_shows_the_kubectl_row_and_conditions() {
    let s = sample();
    let run = s.run.unwrap();
    let at = |step: usize| Timeline::view_at(&run.workload, &run.trace, step).unwrap();
    assert_eq!(
        kubectl_row("shop", &at(0)),
        ["shop", "0/2", "Init:0/2", "0", "0s"]
    );
    let last = at(run.last_step());
    assert_eq!(
        kubectl_row("shop", &last),
        ["shop", "2/2", "Running", "0", "10s"]
    );
    assert!(last.conditions.iter().all(|c| c.status == Some(true)));
    // Before the app is ready, Ready is False and says why.
    let before = (0..run.trace.steps.len())
        .map(at)
        .find(|v| v.kubectl.status == "PodInitializing" && v.kubectl.ready == "1/2")
        .unwrap();
    let ready = before
        .conditions
        .iter()
        .find(|c| c.kind == "Ready")
        .unwrap();
    assert_eq!(ready.status, Some(false));
    assert_eq!(
        ready.message.as_deref(),
        Some("containers with unready status: [app]")
    );
    let yaml = status_yaml(&last.containers[0]);
    assert!(yaml.contains("- name: migrate\n"), "{yaml}");
    assert!(
        yaml.contains("    terminated:\n      exitCode: 0\n      reason: Completed\n"),
        "{yaml}"
    );
}

#[test]
fn a_crash_loop_folds_to_back_off_with_a_last_state_and_restart_markers() {
    let manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: crash\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [sh, -c, \"sleep 2; exit 3\"]\n";
    let s = State::new(manifest);
    let run = s.run.clone().unwrap();
    let lane = &run.timeline.lanes[0];
    assert!(lane.segments.iter().any(|s| s.seg == Seg::BackOff));
    assert!(lane.segments.iter().any(|s| s.seg == Seg::ExitedFailed));
    assert!(lane.markers.iter().any(|m| m.label.starts_with("restart")));
    // The kubelet writes the status at the start of a sync, so the sync that refuses the restart still
    // shows the last exit; the next status written says CrashLoopBackOff, in step with the kubectl row.
    let backoff = run
        .trace
        .steps
        .iter()
        .position(|s| s.event() == "BackOff")
        .unwrap();
    let view = Timeline::view_at(&run.workload, &run.trace, backoff).unwrap();
    assert!(matches!(
        view.containers[0].state,
        ApiState::Terminated { exit_code: 3, .. }
    ));
    assert_eq!(view.kubectl.status, "Error");
    let looping = run
        .trace
        .steps
        .iter()
        .position(|s| s.kubectl.status == "CrashLoopBackOff")
        .unwrap();
    let view = Timeline::view_at(&run.workload, &run.trace, looping).unwrap();
    let app = &view.containers[0];
    assert_eq!(
        app.state,
        ApiState::Waiting {
            reason: "CrashLoopBackOff".into()
        }
    );
    assert!(matches!(
        app.last_state,
        Some(ApiState::Terminated { exit_code: 3, .. })
    ));
    assert!(app.restart_count >= 1);
}

#[test]
fn clicks_map_to_the_last_step_at_or_before_them() {
    let s = sample();
    let tl = &s.run.as_ref().unwrap().timeline;
    assert_eq!(tl.step_at(-1.0), 0);
    assert_eq!(
        tl.step_at(0.0),
        tl.times.iter().rposition(|&t| t == 0.0).unwrap()
    );
    assert_eq!(tl.step_at(1e9), tl.times.len() - 1);
}

#[test]
fn axis_ticks_are_round_numbers() {
    assert_eq!(ticks(12.0, 6), [0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0]);
    assert_eq!(ticks(600.0, 5)[1], 200.0);
    assert_eq!(ticks(0.0, 5), [0.0]);
}

// ----- sentences -----

#[test]
fn each_step_reads_as_one_sentence() {
    let s = sample();
    let run = s.run.unwrap();
    let say = |event: &str, container: &str| {
        let i = run
            .trace
            .steps
            .iter()
            .position(|s| s.event() == event && s.container.as_deref() == Some(container))
            .unwrap();
        let view = Timeline::view_at(&run.workload, &run.trace, i).unwrap();
        plain(&sentence(
            &run.workload,
            &run.trace.steps,
            i,
            &view,
            run.version,
        ))
    };
    assert_eq!(
        say("StartupSucceeded", "proxy"),
        "t=8 s — sidecar `proxy` passed its startup probe, so the kubelet may start `app`"
    );
    assert_eq!(
        say("Exited", "migrate"),
        "t=5 s — init container `migrate` exited with code 0 (Completed), so the kubelet may start `proxy`"
    );
    assert!(say("Ready", "app").contains("passed its readiness probe"));
    let first = Timeline::view_at(&run.workload, &run.trace, 0).unwrap();
    assert_eq!(
        plain(&sentence(
            &run.workload,
            &run.trace.steps,
            0,
            &first,
            run.version
        )),
        "t=0 s — the scheduler bound pod `shop` to the node; the kubelet starts its first sync"
    );
}

/// The runtime, not the kubelet, sends the signals, and it sends the image's stop signal: nginx's is
/// SIGQUIT (gallery 09's app), envoy's the usual SIGTERM.
#[test]
fn the_stop_signal_is_the_images() {
    let example = EXAMPLES
        .iter()
        .find(|e| e.id == "delete-prestop-sidecars")
        .unwrap();
    let checked = lifecycle::check(example.manifest);
    let workload = &checked.workloads[0];
    let scenario = lifecycle::sim::Scenario {
        actions: vec![(
            lifecycle::sim::Ms(30_000),
            lifecycle::sim::Action::Delete { grace_s: None },
        )],
        ..Default::default()
    };
    let trace = lifecycle::sim::simulate(workload, &scenario);
    let say = |container: &str| {
        let i = trace
            .steps
            .iter()
            .position(|s| {
                matches!(s.kind, StepKind::Signal { .. })
                    && s.container.as_deref() == Some(container)
            })
            .unwrap();
        let view = Timeline::view_at(workload, &trace, i).unwrap();
        plain(&sentence(
            workload,
            &trace.steps,
            i,
            &view,
            scenario.version,
        ))
    };
    assert!(
        say("app").contains("the runtime sends SIGQUIT to container `app`, its image's stop signal (STOPSIGNAL) in place of SIGTERM"),
        "{}",
        say("app")
    );
    assert!(
        say("proxy").contains("the runtime sends SIGTERM to sidecar `proxy`"),
        "{}",
        say("proxy")
    );
}

/// Every sentence of a run of `manifest` under `actions` (`SECONDS ACTION`), with its step.
fn told(
    manifest: &str,
    actions: &[&str],
    minor: u32,
) -> Vec<(lifecycle::sim::trace::Step, String)> {
    let checked = lifecycle::check(manifest);
    let workload = &checked.workloads[0];
    assert_eq!(workload.errors, 0, "{:?}", checked.diagnostics);
    let scenario = lifecycle::sim::Scenario {
        actions: actions
            .iter()
            .map(|a| {
                let (t, action) = a.split_once(' ').unwrap();
                (
                    lifecycle::sim::Ms::from_s(t.parse().unwrap()),
                    lifecycle::sim::Action::parse(action).unwrap(),
                )
            })
            .collect(),
        version: lifecycle::sim::Version { minor },
        ..Default::default()
    };
    let trace = lifecycle::sim::simulate(workload, &scenario);
    (0..trace.steps.len())
        .map(|i| {
            let view = Timeline::view_at(workload, &trace, i).unwrap();
            let text = plain(&sentence(
                workload,
                &trace.steps,
                i,
                &view,
                scenario.version,
            ));
            (trace.steps[i].clone(), text)
        })
        .collect()
}

/// The sentences about `container`'s `event` steps.
fn about<'a>(
    told: &'a [(lifecycle::sim::trace::Step, String)],
    container: &'a str,
    event: &'a str,
) -> impl Iterator<Item = &'a str> + 'a {
    told.iter()
        .filter(move |(s, _)| s.container.as_deref() == Some(container) && s.event() == event)
        .map(|(_, t)| t.as_str())
}

const JOB_WITH_SIDECAR: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: job\nspec:\n  restartPolicy: Never\n  initContainers:\n  - name: logs\n    image: fluent/fluent-bit:3.1\n    restartPolicy: Always\n  containers:\n  - name: work\n    image: busybox:1.36\n    command: [sh, -c, 'sleep 5']\n";

/// Issue 19's narration review: each template said where it must not be said.
#[test]
fn sentences_say_only_what_the_trace_shows() {
    // A Job's sidecar is stopped when the work is done: it is not "always restarted" then.
    let job = told(JOB_WITH_SIDECAR, &[], 33);
    let exit = about(&job, "logs", "Exited").next().unwrap();
    assert!(!exit.contains("restart"), "{exit}");
    // Its first start gates `work`; nothing is said to gate once `work` began.
    assert!(about(&job, "logs", "StartupSucceeded")
        .next()
        .unwrap()
        .contains("may start `work`"));
    // Without sidecars a deletion names none; before 1.29 sidecars are not stopped in order.
    let plain_pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n";
    let deleted = told(plain_pod, &["5 delete"], 33);
    let d = deleted
        .iter()
        .find(|(s, _)| s.event() == "DeletionRequested")
        .unwrap();
    assert!(!d.1.contains("sidecar"), "{}", d.1);
    let sidecar_pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n  - name: proxy\n    image: envoyproxy/envoy:v1.31.0\n    restartPolicy: Always\n  containers:\n  - name: app\n    image: nginx:1.27\n";
    for (minor, ordered) in [(28, false), (33, true)] {
        let t = told(sidecar_pod, &["5 delete"], minor);
        let d = &t
            .iter()
            .find(|(s, _)| s.event() == "DeletionRequested")
            .unwrap()
            .1;
        assert_eq!(d.contains("reverse order"), ordered, "1.{minor}: {d}");
    }
    // A ready container: Services follow the pod's Ready condition, not the container's.
    let ready = about(&deleted, "app", "Ready").next().unwrap();
    assert!(!ready.contains("it receives Service traffic"), "{ready}");
    // Under restartPolicy Never a liveness kill is not followed by a restart.
    let never = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  restartPolicy: Never\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [sh, -c, 'sleep 600']\n    livenessProbe:\n      exec: {command: [cat, /tmp/healthy]}\n      periodSeconds: 2\n  - name: other\n    image: busybox:1.36\n    command: [sh, -c, 'sleep 600']\n";
    let k = told(never, &[], 33);
    let kill = about(&k, "app", "Killing").next().unwrap();
    assert!(!kill.contains("will be restarted"), "{kill}");
    assert!(kill.contains("not restarted"), "{kill}");
    // An exited container is not ready because it exited, not because it "is stopping".
    let crash = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [sh, -c, 'sleep 3; exit 1']\n";
    let c = told(crash, &[], 33);
    let not_ready = about(&c, "app", "NotReady").next().unwrap();
    assert!(not_ready.contains("it has exited"), "{not_ready}");
    // The first restart has no back-off; the next ones wait for it, and say how much is left.
    let exits: Vec<&str> = about(&c, "app", "Exited").collect();
    assert!(exits[0].contains("at once"), "{}", exits[0]);
    assert!(!exits[0].contains("after its back-off"), "{}", exits[0]);
    assert!(exits[1].contains("after its back-off"), "{}", exits[1]);
    let backoffs: Vec<&str> = about(&c, "app", "BackOff").collect();
    assert!(
        backoffs
            .iter()
            .any(|b| b.contains("more (of a 20 s back-off)")),
        "{backoffs:?}"
    );
}

/// A failing readiness probe keeps failing past its threshold: the count never reads "5 of 2".
#[test]
fn probe_counts_stop_at_the_threshold() {
    let flap = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [sh, -c, 'sleep 600']\n    readinessProbe:\n      exec: {command: [cat, /tmp/ready]}\n      periodSeconds: 2\n      failureThreshold: 2\n";
    let t = told(flap, &[], 33);
    let fails: Vec<&str> = about(&t, "app", "ProbeFailed").collect();
    assert!(fails.len() > 3);
    assert!(
        fails[1].contains("(2 of 2 in a row), so it is not ready"),
        "{}",
        fails[1]
    );
    assert!(
        fails[2].contains("failed again (3 in a row, past its failureThreshold of 2)"),
        "{}",
        fails[2]
    );
    assert!(fails.iter().all(|f| !f.contains("3 of 2")));
}

/// During a deletion a sidecar's preStop is followed by its wait for its turn, not at once by its
/// signal; a pull failure after a set-image on a Running pod leaves it Running.
#[test]
fn stop_and_pull_sentences_follow_the_pod() {
    let t = told(
        EXAMPLES
            .iter()
            .find(|e| e.id == "delete-prestop-sidecars")
            .unwrap()
            .manifest,
        &["30 delete"],
        33,
    );
    let pre = about(&t, "proxy", "PreStopStarted").next().unwrap();
    assert!(pre.contains("waits for its turn"), "{pre}");
    assert!(about(&t, "app", "PreStopStarted")
        .next()
        .unwrap()
        .contains("stop signal follows"));
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n";
    let t = told(pod, &["10 set-image app registry.invalid/app:2"], 33);
    let failed = about(&t, "app", "PullFailed").next().unwrap();
    assert!(!failed.contains("stays Pending"), "{failed}");
}

// ----- highlighting -----

fn toks(line: &str) -> Vec<(String, Tok)> {
    highlight::line(line, Carry::default())
        .0
        .into_iter()
        .filter(|s| s.tok != Tok::Plain)
        .map(|s| (line[s.range].to_string(), s.tok))
        .collect()
}

#[test]
fn yaml_lines_are_highlighted() {
    assert_eq!(
        toks("  - name: app # the app"),
        [
            ("-".into(), Tok::Punct),
            ("name".into(), Tok::Key),
            (":".into(), Tok::Punct),
            ("app".into(), Tok::Str),
            ("# the app".into(), Tok::Comment)
        ]
    );
    assert_eq!(
        toks("port: 80"),
        [
            ("port".into(), Tok::Key),
            (":".into(), Tok::Punct),
            ("80".into(), Tok::Num)
        ]
    );
    assert_eq!(toks("a: true")[2], ("true".into(), Tok::Lit));
    assert_eq!(
        toks("\"k: x\": 'v # not a comment'")[0],
        ("\"k: x\"".into(), Tok::Key)
    );
    assert_eq!(toks("\"k: x\": 'v # not a comment'")[2].1, Tok::Str);
    let flow = toks("command: [\"sh\", \"-c\", \"sleep 3\"]");
    assert!(flow.contains(&("\"sleep 3\"".into(), Tok::Str)));
    assert!(toks("meta: {name: p}").contains(&("name".into(), Tok::Key)));
    assert_eq!(toks("x: &anchor 1")[2], ("&anchor".into(), Tok::Meta));
    assert_eq!(toks("---"), [("---".into(), Tok::Punct)]);
    // Spans cover the line exactly, in order.
    let line = "  image: nginx:1.27   # pinned";
    let spans = highlight::line(line, Carry::default()).0;
    assert_eq!(spans.first().unwrap().range.start, 0);
    assert_eq!(spans.last().unwrap().range.end, line.len());
    for w in spans.windows(2) {
        assert_eq!(w[0].range.end, w[1].range.start);
    }
}

#[test]
fn block_scalars_carry_over_lines() {
    let (_, carry) = highlight::line("    script: |", Carry::default());
    let (spans, carry) = highlight::line("      echo hi: there", carry);
    assert_eq!(spans.iter().map(|s| s.tok).collect::<Vec<_>>(), [Tok::Str]);
    let (spans, _) = highlight::line("    next: 1", carry);
    assert_eq!(
        spans
            .iter()
            .find(|s| s.tok == Tok::Key)
            .map(|s| s.range.clone()),
        Some(4..8)
    );
}

#[test]
fn diagnostics_underline_a_key_or_a_value() {
    let line = "    imagePullPolicy: Sometimes # oops";
    assert_eq!(
        &line[highlight::underline(line, 5).unwrap()],
        "imagePullPolicy"
    );
    assert_eq!(&line[highlight::underline(line, 22).unwrap()], "Sometimes");
    // Past the text (a missing value): the last character.
    let line = "    image:";
    assert_eq!(&line[highlight::underline(line, 11).unwrap()], ":");
    assert_eq!(highlight::underline("   ", 1), None);
    // Multibyte text never splits a character.
    let line = "  name: é😀";
    let r = highlight::underline(line, 9).unwrap();
    assert_eq!(&line[r], "é😀");
}

// ----- where the first state comes from -----

#[test]
fn the_query_says_how_the_page_is_shown() {
    let p = Page::from_query("?embed=1&view=timeline&readonly=1&theme=dark");
    assert!(p.embed && p.readonly);
    assert_eq!(p.view, View::Timeline);
    assert_eq!(p.theme.map(|t| t.as_str()), Some("dark"));
    assert_eq!(Page::from_query("?embed=1").view, View::Split);
    assert_eq!(
        Page::from_query("?view=timeline").view,
        View::Full,
        "views are for embeds"
    );
    assert_eq!(Page::from_query(""), Page::default());
    assert!(Page::from_query("?text=large").large_text);
    assert!(!Page::from_query("?text=normal").large_text);
}

#[test]
fn the_workload_picker_chooses_which_document_is_simulated() {
    let two = format!(
        "{SAMPLE}---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: once\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: work\n        image: busybox:1.36\n        command: [sh, -c, \"sleep 2\"]\n"
    );
    let s = State::new(&two);
    assert_eq!(s.checked.workloads.len(), 2);
    assert_eq!(s.run.as_ref().unwrap().trace.pod, "shop");
    let s = reduce(s, Action::SelectWorkload(1));
    let run = s.run.clone().unwrap();
    assert!(run.trace.pod.starts_with("once-"), "{}", run.trace.pod);
    assert_eq!(run.trace.final_state.phase, "Succeeded");
    assert_eq!(s.step, 0);
    // The link keeps the choice.
    let back = State::from_shared(Page::default(), &s.to_shared());
    assert_eq!(back.run.unwrap().trace.pod, run.trace.pod);
    // A workload that no longer exists blocks the run, with a reason.
    let gone = reduce(s, Action::Edit(SAMPLE.to_string()));
    assert!(gone.stale);
    assert!(gone
        .blocked()
        .unwrap()
        .contains("Workload 2 does not exist"));
}

#[test]
fn flapping_faster_than_a_pixel_stays_drawable() {
    // Many state changes: segments never outnumber what the width can show.
    let manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: flap\n  annotations:\n    behavior.podstep.dev/app: \"readiness=fail,ok@1,fail@2,ok@3,fail@4,ok@5,fail@6,ok@7\"\nspec:\n  containers:\n  - name: app\n    image: nginx\n    readinessProbe:\n      httpGet: {path: /, port: 80}\n      periodSeconds: 1\n      failureThreshold: 1\n";
    let s = State::new(manifest);
    let run = s.run.unwrap();
    for lane in &run.timeline.lanes {
        assert!(lane.segments.len() <= 2000);
        for w in lane.segments.windows(2) {
            assert_eq!(w[0].to_s, w[1].from_s);
        }
    }
}

#[test]
fn a_node_reboot_ends_every_container_and_the_kubelet_starts_them_again() {
    let s = reduce(sample(), Action::Go(Go::Last));
    let s = reduce(s, Action::AddAction(lifecycle::sim::Action::NodeReboot));
    let run = s.run.clone().unwrap();
    let exits: Vec<&str> = run
        .trace
        .steps
        .iter()
        .filter(|st| matches!(st.kind, StepKind::Exited { code: 255, .. }))
        .filter_map(|st| st.container.as_deref())
        .collect();
    assert_eq!(exits, ["proxy", "app"]);
    let after = run
        .trace
        .steps
        .iter()
        .rposition(|st| matches!(st.kind, StepKind::Exited { .. }))
        .unwrap();
    let view = Timeline::view_at(&run.workload, &run.trace, after).unwrap();
    assert!(matches!(
        &view.containers[2].state,
        ApiState::Terminated { exit_code: 255, reason, .. } if reason == "Unknown"
    ));
    let app = run.timeline.lanes.iter().find(|l| l.name == "app").unwrap();
    assert!(app.segments.iter().any(|seg| seg.seg == Seg::ExitedFailed));
    assert_eq!(
        run.timeline.pod_markers.len(),
        2,
        "the reboot and the kubelet coming back"
    );
}

#[test]
fn opening_what_is_already_on_screen_changes_nothing() {
    let s = Rc::new(reduce(sample(), Action::Go(Go::To(5))));
    let same = s.clone().reduce(Action::Load {
        shared: s.to_shared(),
        example: None,
        notice: None,
    });
    assert!(Rc::ptr_eq(&s, &same));
    let other = s.clone().reduce(Action::Load {
        shared: share::Shared {
            manifest: BROKEN.into(),
            ..Default::default()
        },
        example: None,
        notice: None,
    });
    assert_eq!(&*other.source, BROKEN);
    assert!(
        !other.touched,
        "opening is not editing: autosave waits for an edit"
    );
}

// ----- markup written as text -----

#[test]
fn markup_escapes_every_value_and_text() {
    let mut m = Markup::new();
    m.open("p", &[("title", "\"><script>x</script>")])
        .text("<b>Tom & 'Jerry'</b>")
        .close("p")
        .empty("rect", &[("x", "1")]);
    assert_eq!(
        m.as_str(),
        "<p title=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt;\">&lt;b&gt;Tom &amp; &#39;Jerry&#39;&lt;/b&gt;</p><rect x=\"1\"/>"
    );
}

#[test]
fn svg_numbers_have_at_most_one_decimal() {
    let cases = [
        (3.0, "3"),
        (12.34, "12.3"),
        (12.36, "12.4"),
        (-2.5, "-2.5"),
        (-0.04, "0"),
        (0.96, "1"),
    ];
    for (v, want) in cases {
        assert_eq!(num(v), want, "{v}");
    }
}

#[test]
fn seconds_print_to_the_millisecond_without_trailing_zeros() {
    let cases = [
        (0.0, "0 s"),
        (12.0, "12 s"),
        (1.5, "1.5 s"),
        (0.25, "0.25 s"),
        (2.9996, "3 s"),
        (61.001, "61.001 s"),
    ];
    for (t, want) in cases {
        assert_eq!(secs(t), want);
    }
}

/// The annotation a "say what it does" click writes, in each shape of metadata people write.
#[test]
fn saying_what_a_container_does_edits_only_the_template_metadata() {
    use web::annotate::with_annotation;
    let cases: [(&str, &str, Option<&str>); 6] = [
        (
            "metadata with labels, no annotations",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    app: x\nspec:\n  containers:\n  - name: app\n    image: my/app:1\n",
            Some("apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    behavior.podstep.dev/app: \"run=forever\"\n  name: p\n  labels:\n    app: x\nspec:\n  containers:\n  - name: app\n    image: my/app:1\n"),
        ),
        (
            "existing annotations keep theirs",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    team: a\nspec:\n  containers:\n  - name: app\n    image: my/app:1\n",
            Some("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    behavior.podstep.dev/app: \"run=forever\"\n    team: a\nspec:\n  containers:\n  - name: app\n    image: my/app:1\n"),
        ),
        (
            "an earlier answer is replaced",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    behavior.podstep.dev/app: \"exit=1@0\"\nspec:\n  containers:\n  - name: app\n    image: my/app:1\n",
            Some("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    behavior.podstep.dev/app: \"run=forever\"\nspec:\n  containers:\n  - name: app\n    image: my/app:1\n"),
        ),
        (
            "a Deployment's template, not the Deployment's own metadata",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector:\n    matchLabels: {app: x}\n  template:\n    metadata:\n      labels:\n        app: x\n    spec:\n      containers:\n      - name: app\n        image: my/app:1\n",
            Some("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector:\n    matchLabels: {app: x}\n  template:\n    metadata:\n      annotations:\n        behavior.podstep.dev/app: \"run=forever\"\n      labels:\n        app: x\n    spec:\n      containers:\n      - name: app\n        image: my/app:1\n"),
        ),
        (
            "flow-style metadata is left alone",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: my/app:1\n",
            None,
        ),
        (
            "CRLF line endings are kept",
            "apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: p\r\nspec:\r\n  containers:\r\n  - name: app\r\n    image: my/app:1\r\n",
            Some("apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  annotations:\r\n    behavior.podstep.dev/app: \"run=forever\"\r\n  name: p\r\nspec:\r\n  containers:\r\n  - name: app\r\n    image: my/app:1\r\n"),
        ),
    ];
    for (what, source, want) in cases {
        let checked = lifecycle::check(source);
        let w = &checked.workloads[0];
        let got = with_annotation(source, w, "app", "run=forever");
        assert_eq!(got.as_deref(), want, "{what}");
        if let Some(edited) = got {
            // The edit is a valid manifest whose container now has the behaviour it says.
            let again = lifecycle::check(&edited);
            assert!(!again.has_errors(), "{what}: {:?}", again.diagnostics);
            assert_eq!(
                again.workloads[0]
                    .pod
                    .annotation("behavior.podstep.dev/app"),
                Some("run=forever"),
                "{what}"
            );
        }
    }
}

/// Only notes about a container's assumed behaviour offer the fix, and only for that container.
#[test]
fn notes_name_the_container_they_are_about() {
    use web::annotate::assumed_container;
    let cs = vec!["app".to_string(), "proxy".to_string()];
    assert_eq!(
        assumed_container("app: Podstep does not know what image \"x\" does", &cs),
        Some("app")
    );
    assert_eq!(
        assumed_container("proxy: Podstep does not know the command \"python app.py\": assumed it exits 0 at once", &cs),
        Some("proxy")
    );
    assert_eq!(
        assumed_container(
            "only the first 100 actions are applied (Podstep's limit)",
            &cs
        ),
        None
    );
    assert_eq!(assumed_container("other: Podstep does not know", &cs), None);
}

/// A lane whose container's behaviour Podstep assumed carries the assumption; the others do not.
#[test]
fn the_lane_of_an_assumed_container_says_so() {
    let source = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: registry.example.org/team/app:1.0\n  - name: web\n    image: nginx:1.27\n";
    let checked = lifecycle::check(source);
    let w = &checked.workloads[0];
    let trace = lifecycle::sim::simulate(w, &lifecycle::sim::Scenario::default());
    let tl = Timeline::build(w, &trace);
    let assumed: Vec<(&str, bool)> = tl
        .lanes
        .iter()
        .map(|l| (l.name.as_str(), l.assumed.is_some()))
        .collect();
    assert_eq!(assumed, [("app", true), ("web", false)]);
    assert!(tl.lanes[0]
        .assumed
        .as_deref()
        .is_some_and(|a| a.starts_with("Podstep does not know what image")));
}

/// The version picker's gates: 1.28 drops a sidecar unless its gate is turned on, the choice travels in
/// the share link, and a version that locks the gate drops the override.
#[test]
fn feature_gates_change_the_check_and_travel_in_the_link() {
    use lifecycle::features::Gate;
    let sidecar = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers:\n  - name: proxy\n    image: envoyproxy/envoy:v1.31-latest\n    restartPolicy: Always\n  containers:\n  - name: app\n    image: nginx:1.27\n";
    let s = reduce(State::new(sidecar), Action::SetMinor(28));
    let sidecars = |s: &State| s.checked.workloads[0].pod.sidecar_count();
    assert_eq!(
        sidecars(&s),
        0,
        "1.28 drops restartPolicy: Always from init containers"
    );
    let s = reduce(s, Action::SetGate(Gate::SidecarContainers, Some(true)));
    assert_eq!(sidecars(&s), 1, "the gate turned on keeps the sidecar");
    let link = s.to_shared();
    assert_eq!(link.gates, "SidecarContainers=true");
    let back = State::from_shared(Page::default(), &link);
    assert_eq!(back.gates, s.gates);
    assert_eq!(sidecars(&back), 1);
    // 1.33 locks the gate on: the override has nothing left to say.
    let s = reduce(s, Action::SetMinor(33));
    assert!(s.gates.is_empty());
    assert_eq!(s.to_shared().gates, "");
}

/// The kubelet's crash back-off cap: it changes the run only while `KubeletCrashLoopBackOffMax` is on
/// (1.35), travels in the share link, and a value the kubelet refuses is not taken.
#[test]
fn the_kubelet_cap_shortens_crash_loop_back_off_and_travels_in_the_link() {
    let crash = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [sh, -c, 'exit 1']\n";
    let delays = |s: &State| -> Vec<String> {
        let run = s.run.as_ref().expect("a run");
        run.trace
            .to_text()
            .lines()
            .filter_map(|l| l.split("BackOff delaySeconds=").nth(1))
            .filter_map(|d| d.split_whitespace().next().map(String::from))
            .take(4)
            .collect()
    };
    let s = reduce(State::new(crash), Action::SetMinor(35));
    assert_eq!(delays(&s), ["10", "20", "40", "80"]);
    let s = reduce(s, Action::SetMaxRestart(Some(15)));
    assert_eq!(delays(&s), ["10", "15", "15", "15"]);
    assert_eq!(
        reduce(s.clone(), Action::SetMaxRestart(Some(301))).max_restart_s,
        Some(15)
    );
    let link = s.to_shared();
    assert_eq!(link.max_restart_s, 15);
    let back = State::from_shared(Page::default(), &link);
    assert_eq!(delays(&back), ["10", "15", "15", "15"]);
    // 1.34 has the gate off: the kubelet would not read the setting, so the run is the default one.
    let s = reduce(s, Action::SetMinor(34));
    let uncapped = reduce(State::new(crash), Action::SetMinor(34));
    assert_eq!(s.max_restart_s, Some(15));
    assert_eq!(delays(&s), delays(&uncapped));
    assert!(delays(&s).contains(&"40".to_string()));
}

/// The lint in the playground: a result counts only for the check it was made for; a fix applied
/// changes the text and the run as the finding says, and Undo puts the text back.
#[test]
fn a_lint_fix_is_applied_previewed_and_undone() {
    use web::state::Lint;
    let job = web::gallery::by_id("job-classic-sidecar").unwrap().manifest;
    let s = State::new(job);
    let lint = |s: &State| {
        Rc::new(Lint {
            checked: s.checked.clone(),
            findings: lifecycle::lint::lint_checked(&s.source, &s.checked, &s.kube()),
        })
    };
    let stale = lint(&s);
    let edited = reduce(s.clone(), Action::Edit(format!("{job}\n")));
    assert!(
        reduce(edited, Action::Linted(stale.clone())).lint.is_none(),
        "a lint of an older check is ignored"
    );
    let s = reduce(s, Action::Linted(stale));
    let findings = &s.lint.as_ref().unwrap().findings;
    assert_eq!(findings[0].rule.rule().code, "PS001");
    let previewed = reduce(s.clone(), Action::PreviewFix(Some(0)));
    let preview = previewed.preview.as_ref().expect("a preview");
    assert_eq!(
        preview.run.as_ref().unwrap().trace.final_state.phase,
        "Succeeded"
    );
    assert_eq!(
        *previewed.source, *s.source,
        "a preview does not change the text"
    );
    let fixed = reduce(previewed, Action::ApplyFix(0));
    assert!(fixed.source.contains("initContainers:"));
    assert!(fixed.lint.is_none() && fixed.preview.is_none());
    assert_eq!(
        fixed.run.as_ref().unwrap().trace.final_state.phase,
        "Succeeded"
    );
    assert!(fixed
        .undo_fix
        .as_ref()
        .is_some_and(|(_, t)| t.starts_with("move proxy")));
    let undone = reduce(fixed, Action::UndoFix);
    assert_eq!(*undone.source, *job);
    assert!(undone.undo_fix.is_none());
}

/// Only the person's own edits may replace their autosave: stepping, playing and picking a workload
/// change the URL (`touched`) but are not edits (`edited`); a scenario opened from a link or an
/// example is `foreign` until its first autosave has kept the draft it replaces.
#[test]
fn stepping_is_not_an_edit_and_a_loaded_link_is_foreign() {
    let s = State::new(SAMPLE);
    let stepped = reduce(s.clone(), Action::Go(Go::Next));
    assert!(stepped.touched && !stepped.edited);
    let edited = reduce(
        stepped,
        Action::Edit(SAMPLE.replace("name: shop", "name: mine")),
    );
    assert!(edited.edited && !edited.foreign);
    let shared = share::Shared {
        manifest: SAMPLE.replace("name: shop", "name: linked"),
        ..share::Shared::default()
    };
    let loaded = reduce(
        edited,
        Action::Load {
            shared,
            example: None,
            notice: None,
        },
    );
    assert!(loaded.foreign && !loaded.edited && !loaded.touched);
    let stepped = reduce(loaded, Action::Go(Go::Next));
    assert!(!stepped.edited, "stepping a shared link is not an edit");
    let adopted = reduce(stepped, Action::DraftKept(None));
    assert!(!adopted.foreign && adopted.notice.is_none());
}

/// A link's workload index or version that cannot be shown is corrected with a notice, not left on a
/// stuck timeline or silently replaced (issue 18).
#[test]
fn a_link_with_an_impossible_workload_or_version_is_corrected_with_a_notice() {
    for (w, asked) in [(1000usize, "1001"), (u32::MAX as usize, "4294967296")] {
        let shared = share::Shared {
            manifest: SAMPLE.to_string(),
            workload: w,
            ..share::Shared::default()
        };
        let s = State::from_shared(Page::default(), &shared);
        assert_eq!(s.workload, 0);
        assert!(s.run.is_some(), "the timeline is drawn");
        let text = &s.notice.as_ref().expect("a notice").text;
        assert!(
            text.contains(&format!("workload {asked}")) && text.contains("showing workload 1"),
            "{text}"
        );
    }
    let shared = share::Shared {
        manifest: SAMPLE.to_string(),
        minor: 99,
        ..share::Shared::default()
    };
    let s = State::from_shared(Page::default(), &shared);
    assert_eq!(s.minor, 33);
    assert!(s
        .notice
        .as_ref()
        .is_some_and(|n| n.text.contains("Kubernetes 1.99")));
    assert!(State::from_shared(
        Page::default(),
        &share::Shared {
            manifest: SAMPLE.into(),
            ..Default::default()
        }
    )
    .notice
    .is_none());
}

/// A link carries any manifest the engine accepts: the two limits are one.
#[test]
fn links_carry_the_largest_manifest_the_engine_reads() {
    assert_eq!(
        share::MAX_MANIFEST_BYTES,
        lifecycle::limits::MAX_INPUT_BYTES
    );
}

/// The code editor counts UTF-16 units, the engine bytes and characters: each way and back, across
/// multi-byte and astral characters, CRLF and the ends of the text.
#[test]
fn offsets_convert_between_the_editor_and_the_engine() {
    use web::offsets::{byte_of_utf16, utf16_of_byte, Lines};
    let text = "a: é\r\nb: 😀x\nc";
    // (byte, UTF-16) pairs at every character boundary.
    for (byte, utf16) in [
        (0, 0),
        (3, 3),
        (5, 4),
        (6, 5),
        (7, 6),
        (10, 9),
        (14, 11),
        (15, 12),
        (16, 13),
        (17, 14),
    ] {
        assert_eq!(utf16_of_byte(text, byte), utf16, "byte {byte}");
        assert_eq!(byte_of_utf16(text, utf16), byte, "utf16 {utf16}");
    }
    // Inside a character: its start, both ways; past the end: the end.
    assert_eq!(utf16_of_byte(text, 4), 3);
    assert_eq!(byte_of_utf16(text, 10), 10, "between the surrogates of 😀");
    assert_eq!(byte_of_utf16(text, 99), text.len());
    let lines = Lines::new(text);
    assert_eq!(lines.line(1), "a: é\r");
    assert_eq!(lines.line(2), "b: 😀x");
    assert_eq!(lines.line(3), "c");
    assert_eq!(lines.line(9), "");
    // 1-based columns in characters.
    assert_eq!(lines.utf16_of(2, 1), 6);
    assert_eq!(lines.utf16_of(2, 5), 11, "after the emoji: two units");
    assert_eq!(lines.utf16_of(3, 1), 13);
    assert_eq!(
        lines.utf16_at(1, 4),
        3,
        "a byte inside é counts from its start"
    );
}
