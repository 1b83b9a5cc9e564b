//! The playground's gallery (`web/gallery/NN-id.yaml`): every example is checked, simulated with its
//! actions and compared with a golden text in `tests/gallery/<id>.txt` (the trace, then `events:` and the
//! describe-style events; for the mistakes example, the diagnostics). Goldens pin what the engine prints;
//! the lesson each example teaches is asserted separately, in code, from the spec's words, so a golden
//! refreshed with `UPDATE_EXPECT=1 cargo test -p lifecycle --test gallery` cannot quietly unteach it.
//!
//! `web/src/gallery.rs` is compiled here too (it is plain Rust), which proves it builds without the web
//! crate and lets this test check that its literals repeat the files' headers exactly.

#[path = "../../../web/src/gallery.rs"]
mod gallery;

use common::yaml_files;
use lifecycle::sim::status::Phase;
use lifecycle::sim::trace::{ContainerState, ContainerStatus, EndReason, Step, Trace};
use lifecycle::sim::{self, Action, Ms, Scenario};
use lifecycle::Severity;
use std::path::Path;

mod common;

/// Issue 5 asks for at least 12 examples; the gallery brief for 14.
const MIN_EXAMPLES: usize = 14;
/// The only example allowed errors, and how many lessons it must hold at least.
const MISTAKES: &str = "mistakes";
const MIN_MISTAKES: usize = 5;

struct Header {
    title: String,
    explanation: String,
    /// In milliseconds, as `gallery::Example::actions` holds them.
    actions: Vec<(u64, String)>,
    until_s: Option<u64>,
}

fn header(source: &str) -> Result<Header, String> {
    let mut title = None;
    let mut explanation: Vec<&str> = Vec::new();
    let mut actions = Vec::new();
    let mut until_s = None;
    for line in source.lines() {
        let Some(comment) = line.strip_prefix("# ") else {
            break;
        };
        let Some((key, value)) = comment.split_once(':') else {
            return Err(format!("header line {line:?} is not `# key: value`"));
        };
        let value = value.trim();
        match key {
            "title" if title.is_none() => title = Some(value.to_string()),
            "explanation" => explanation.push(value),
            "at" => {
                let (t, action) = value
                    .split_once(char::is_whitespace)
                    .ok_or_else(|| format!("`# at: {value}`: expected SECONDS ACTION"))?;
                let t: f64 = t
                    .parse()
                    .map_err(|_| format!("`# at: {value}`: {t:?} is not a number"))?;
                let action = action.trim();
                Action::parse(action)?;
                actions.push(((t * 1000.0).round() as u64, action.to_string()));
            }
            "until" => {
                until_s = Some(
                    value
                        .parse()
                        .map_err(|_| format!("`# until: {value}`: not a whole number"))?,
                )
            }
            _ => return Err(format!("unknown header line {line:?}")),
        }
    }
    let title = title.ok_or("no `# title:` line")?;
    if explanation.is_empty() {
        return Err("no `# explanation:` line".into());
    }
    Ok(Header {
        title,
        explanation: explanation.join(" "),
        actions,
        until_s,
    })
}

/// A rough sentence count: full stops followed by a space, plus the last one.
fn sentences(text: &str) -> usize {
    text.matches(". ").count() + usize::from(text.ends_with('.'))
}

fn scenario(h: &Header) -> Scenario {
    let mut s = Scenario::default();
    for (ms, action) in &h.actions {
        s.actions
            .push((Ms(*ms), Action::parse(action).expect("checked in header()")));
    }
    if let Some(u) = h.until_s {
        s.until_s = u;
    }
    s
}

/// `NN-id` → (NN, id).
fn split_name(stem: &str) -> Result<(u32, &str), String> {
    let (nn, id) = stem
        .split_once('-')
        .ok_or_else(|| format!("{stem}: name the file NN-id.yaml"))?;
    let n = nn
        .parse()
        .ok()
        .filter(|_| nn.len() == 2)
        .ok_or_else(|| format!("{stem}: {nn:?} is not two digits"))?;
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(format!("{stem}: the id must be lowercase kebab-case"));
    }
    Ok((n, id))
}

#[test]
fn gallery_examples() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/gallery");
    let goldens = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/gallery");
    let files = yaml_files(&dir);
    assert!(
        files.len() >= MIN_EXAMPLES,
        "only {} examples in {}",
        files.len(),
        dir.display()
    );
    assert_eq!(
        gallery::EXAMPLES.len(),
        files.len(),
        "web/src/gallery.rs must list every web/gallery/*.yaml, in order"
    );
    let mut failed = Vec::new();
    let mut last_nn = 0;
    for (file, example) in files.iter().zip(gallery::EXAMPLES) {
        let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("?");
        let (nn, id) = match split_name(stem) {
            Ok(x) => x,
            Err(e) => {
                failed.push(e);
                continue;
            }
        };
        if nn <= last_nn {
            failed.push(format!("{stem}: NN must increase ({nn} after {last_nn})"));
        }
        last_nn = nn;
        let source =
            std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let h = match header(&source) {
            Ok(h) => h,
            Err(e) => {
                failed.push(format!("{stem}: {e}"));
                continue;
            }
        };
        if let Err(e) = same_as_listed(&source, id, &h, example) {
            failed.push(format!("{stem}: web/src/gallery.rs: {e}"));
        }
        let n = sentences(&h.explanation);
        if !(2..=4).contains(&n) {
            failed.push(format!(
                "{stem}: the explanation has {n} sentences, not 2 to 4"
            ));
        }
        if h.until_s.is_some() {
            // gallery::Example has no horizon: the playground would not see it.
            failed.push(format!(
                "{stem}: `# until:` is not carried to the playground"
            ));
        }

        let checked = lifecycle::check(&source);
        let actual = if id == MISTAKES {
            if let Err(e) = mistakes_lesson(&checked) {
                failed.push(format!("{stem}: lesson: {e}"));
            }
            let lines: Vec<String> = checked.diagnostics.iter().map(|d| d.to_string()).collect();
            format!("{}\n", lines.join("\n"))
        } else {
            if !checked.diagnostics.is_empty() {
                let all: Vec<String> = checked.diagnostics.iter().map(|d| d.to_string()).collect();
                failed.push(format!(
                    "{stem}: a worked example must check clean:\n{}",
                    all.join("\n")
                ));
                continue;
            }
            let Some(workload) = checked.workloads.first() else {
                failed.push(format!("{stem}: no workload"));
                continue;
            };
            let trace = sim::simulate(workload, &scenario(&h));
            if !trace.notes.is_empty() {
                // A teaching example says what its containers do; it does not lean on assumptions.
                failed.push(format!("{stem}: the trace has notes: {:?}", trace.notes));
            }
            if let Err(e) = lesson(id, &trace) {
                failed.push(format!("{stem}: lesson: {e}"));
            }
            format!("{}events:\n{}", trace.to_text(), trace.events_text())
        };
        let golden = goldens.join(format!("{id}.txt"));
        if !common::matches_golden(&golden, &actual) {
            failed.push(format!(
                "{stem}: differs from tests/gallery/{id}.txt (diff above)"
            ));
        }
    }
    assert!(
        failed.is_empty(),
        "{} problem(s) in the gallery:\n{}",
        failed.len(),
        failed.join("\n")
    );
}

fn same_as_listed(source: &str, id: &str, h: &Header, e: &gallery::Example) -> Result<(), String> {
    if e.id != id {
        return Err(format!("id {:?}, the file says {id:?}", e.id));
    }
    if gallery::by_id(id) != Some(e) {
        return Err(format!("by_id({id:?}) does not find it"));
    }
    if e.manifest != source {
        return Err(format!("{id}: manifest is not this file"));
    }
    // The playground reads the header itself: it must read what this harness reads.
    if e.title() != h.title {
        return Err(format!(
            "{id}: title {:?} vs header {:?}",
            e.title(),
            h.title
        ));
    }
    if e.explanation() != h.explanation {
        return Err(format!(
            "{id}: explanation read as:\n  {}\n  {}",
            e.explanation(),
            h.explanation
        ));
    }
    let listed: Vec<(u64, String)> = e
        .actions()
        .into_iter()
        .map(|(t, a)| (t, a.to_string()))
        .collect();
    if listed != h.actions {
        return Err(format!(
            "{id}: actions {listed:?} vs header {:?}",
            h.actions
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------------
// Lessons: what each example claims, asserted on the trace.

type Lesson = Result<(), String>;

fn ensure(ok: bool, what: impl FnOnce() -> String) -> Lesson {
    if ok {
        Ok(())
    } else {
        Err(what())
    }
}

fn steps<'a: 'b, 'b>(
    t: &'a Trace,
    container: &'b str,
    event: &'b str,
) -> impl Iterator<Item = &'a Step> + 'b {
    t.steps
        .iter()
        .filter(move |s| s.container.as_deref() == Some(container) && s.event() == event)
}

fn pod_steps<'a: 'b, 'b>(t: &'a Trace, event: &'b str) -> impl Iterator<Item = &'a Step> + 'b {
    t.steps
        .iter()
        .filter(move |s| s.container.is_none() && s.event() == event)
}

fn first<'a>(t: &'a Trace, container: &str, event: &str) -> Result<&'a Step, String> {
    steps(t, container, event)
        .next()
        .ok_or_else(|| format!("no {event} step for {container}"))
}

fn field_i64(s: &Step, key: &str) -> Option<i64> {
    s.field(key).and_then(|v| v.as_i64())
}

fn field_str(s: &Step, key: &str) -> Option<String> {
    s.field(key).and_then(|v| v.as_str().map(str::to_string))
}

fn exits(t: &Trace, container: &str) -> Vec<(f64, i64)> {
    steps(t, container, "Exited")
        .map(|s| (s.t.as_secs_f64(), field_i64(s, "exitCode").unwrap_or(-1)))
        .collect()
}

fn status<'a>(t: &'a Trace, name: &str) -> Result<&'a ContainerStatus, String> {
    let f = &t.final_state;
    f.init_container_statuses
        .iter()
        .chain(&f.container_statuses)
        .find(|c| c.name == name)
        .ok_or_else(|| format!("no final status for {name}"))
}

fn is_running(c: &ContainerStatus) -> bool {
    matches!(c.state, ContainerState::Running(_))
}

fn terminated_code(c: &ContainerStatus) -> Option<i32> {
    match &c.state {
        ContainerState::Terminated(d) => d.exit_code,
        _ => None,
    }
}

/// The distinct STATUS values in order of first appearance.
fn statuses(t: &Trace) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for s in &t.steps {
        if !out.contains(&s.kubectl.status.as_str()) {
            out.push(&s.kubectl.status);
        }
    }
    out
}

fn final_row(t: &Trace) -> String {
    let f = &t.final_state;
    format!(
        "{} {} {} {}",
        f.phase, f.kubectl.ready, f.kubectl.status, f.kubectl.restarts
    )
}

fn delete_time(t: &Trace) -> Result<f64, String> {
    pod_steps(t, "DeletionRequested")
        .next()
        .map(|s| s.t.as_secs_f64())
        .ok_or_else(|| "no DeletionRequested step".into())
}

fn lesson(id: &str, t: &Trace) -> Lesson {
    match id {
        "init-chain" => init_chain(t),
        "logging-sidecar" => logging_sidecar(t),
        "job-classic-sidecar" => job_classic_sidecar(t),
        "job-native-sidecar" => job_native_sidecar(t),
        "sidecar-startup-probe" => sidecar_startup_probe(t),
        "init-crash-loop" => init_crash_loop(t),
        "liveness-restart" => liveness_restart(t),
        "pid1-sigterm" => pid1_sigterm(t),
        "delete-prestop-sidecars" => delete_prestop_sidecars(t),
        "proxy-before-app" => proxy_before_app(t),
        "effective-requests" => effective_requests(t),
        "image-pull-backoff" => image_pull_backoff(t),
        "readiness-flap" => readiness_flap(t),
        "cronjob-onfailure" => cronjob_onfailure(t),
        "shared-emptydir" => shared_emptydir(t),
        "wait-for-services" => wait_for_services(t),
        "classic-sidecar-before" => classic_sidecar(t, false),
        "classic-sidecar-after" => classic_sidecar(t, true),
        other => Err(format!(
            "no lesson asserted for {other:?}: add one to tests/gallery.rs"
        )),
    }
}

/// The seed example, before and after its lint fix: as a second app container the shipper starts in
/// the same second as the app; as a native sidecar it starts first, the app only once it has started,
/// and on deletion it gets its stop signal only after the app has exited.
fn classic_sidecar(t: &Trace, native: bool) -> Lesson {
    let index = |c: &str, event: &str| -> Result<usize, String> {
        t.steps
            .iter()
            .position(|s| s.container.as_deref() == Some(c) && s.event() == event)
            .ok_or_else(|| format!("no {event} for {c}"))
    };
    let app = first(t, "main-app-container", "Started")?.t;
    let shipper = first(t, "sidecar-container", "Started")?.t;
    if native {
        ensure(shipper < app, || {
            format!("the sidecar started at {shipper:?}, not before the app at {app:?}")
        })?;
        ensure(
            index("sidecar-container", "StartupSucceeded")?
                < index("main-app-container", "Started")?,
            || "the app started before the sidecar had started".into(),
        )?;
        ensure(
            index("main-app-container", "Exited")? < index("sidecar-container", "Signal")?,
            || "the sidecar was signalled before the app had exited".into(),
        )
    } else {
        ensure(shipper == app, || {
            format!("the shipper started at {shipper:?}, not with the app at {app:?}")
        })?;
        ensure(
            steps(t, "sidecar-container", "Killing").next().map(|s| s.t)
                == steps(t, "main-app-container", "Killing")
                    .next()
                    .map(|s| s.t),
            || "both containers are not stopped at once".into(),
        )
    }
}

/// The pod's world: each init container's nslookup loop ends only once its Service exists (created at
/// 20 s and 40 s), within one 2 s poll; until then the pod is Init:0/2, then Init:1/2, then Running.
fn wait_for_services(t: &Trace) -> Lesson {
    let done = |c: &str| -> Result<f64, String> {
        let e = first(t, c, "Exited")?;
        ensure(field_i64(e, "exitCode") == Some(0), || {
            format!("{c} failed")
        })?;
        Ok(e.t.as_secs_f64())
    };
    let first_done = done("init-myservice")?;
    ensure((20.0..=23.0).contains(&first_done), || {
        format!("init-myservice finished at {first_done}, not within a poll of 20 s")
    })?;
    let second_done = done("init-mydb")?;
    ensure((40.0..=43.0).contains(&second_done), || {
        format!("init-mydb finished at {second_done}, not within a poll of 40 s")
    })?;
    let before: Vec<&str> = t
        .steps
        .iter()
        .filter(|s| s.t.as_secs_f64() > 5.0 && s.t.as_secs_f64() < 20.0)
        .map(|s| s.kubectl.status.as_str())
        .collect();
    ensure(before.iter().all(|s| *s == "Init:0/2"), || {
        format!("before the Services: {before:?}")
    })?;
    let app = first(t, "myapp-container", "Started")?;
    ensure(app.t.as_secs_f64() > second_done, || {
        "the app started early".into()
    })?;
    ensure(final_row(t) == "Running 1/1 Running 0", || final_row(t))
}

/// §2.3/§9: one init container at a time, each after the previous exited 0, on a later sync;
/// STATUS walks Init:0/3 → Init:1/3 → Init:2/3 → PodInitializing → Running.
fn init_chain(t: &Trace) -> Lesson {
    let chain = ["wait-for-db", "migrate", "warm-cache", "app"];
    for pair in chain.windows(2) {
        let exited = first(t, pair[0], "Exited")?;
        ensure(field_i64(exited, "exitCode") == Some(0), || {
            format!("{} did not exit 0", pair[0])
        })?;
        let started = first(t, pair[1], "Started")?;
        ensure(started.t > exited.t, || {
            format!(
                "{} started at {} s, not after {} exited at {} s",
                pair[1], started.t, pair[0], exited.t
            )
        })?;
    }
    let seen = statuses(t);
    let want = [
        "Init:0/3",
        "Init:1/3",
        "Init:2/3",
        "PodInitializing",
        "Running",
    ];
    ensure(seen == want, || {
        format!("STATUS went {seen:?}, not {want:?}")
    })?;
    ensure(final_row(t) == "Running 1/1 Running 0", || final_row(t))
}

/// §1: a native sidecar starts first, keeps running, lives in initContainerStatuses and counts in READY.
fn logging_sidecar(t: &Trace) -> Lesson {
    ensure(t.pod.starts_with("web-"), || format!("pod name {}", t.pod))?;
    let sidecar_started = first(t, "log-shipper", "StartupSucceeded")?;
    let app = first(t, "app", "Started")?;
    ensure(app.t > sidecar_started.t, || {
        "the app started before the sidecar had".into()
    })?;
    let f = &t.final_state;
    ensure(
        f.init_container_statuses
            .iter()
            .any(|c| c.name == "log-shipper" && is_running(c) && c.ready && c.started),
        || "log-shipper is not a running, ready entry of initContainerStatuses".into(),
    )?;
    ensure(final_row(t) == "Running 2/2 Running 0", || final_row(t))
}

/// §6/§10.1: a classic sidecar in containers[] keeps a Job's pod Running after the worker exits 0.
fn job_classic_sidecar(t: &Trace) -> Lesson {
    ensure(
        exits(t, "worker") == vec![(exits(t, "worker")[0].0, 0)],
        || format!("worker exits: {:?}", exits(t, "worker")),
    )?;
    ensure(t.end.why != EndReason::Terminal, || {
        "the pod reached a terminal phase".into()
    })?;
    ensure(t.final_state.phase == "Running", || final_row(t))?;
    ensure(t.final_state.kubectl.status == "NotReady", || final_row(t))?;
    ensure(is_running(status(t, "proxy")?), || {
        "proxy is not running".into()
    })?;
    ensure(steps(t, "proxy", "Killing").next().is_none(), || {
        "proxy was stopped".into()
    })
}

/// §10.1/§6: once the worker is done the kubelet stops the native sidecar; the pod ends Succeeded.
fn job_native_sidecar(t: &Trace) -> Lesson {
    ensure(t.end.why == EndReason::Terminal, || {
        format!("ended {}", t.end.why)
    })?;
    ensure(final_row(t) == "Succeeded 0/2 Completed 0", || final_row(t))?;
    let worker_exit = first(t, "worker", "Exited")?;
    let kill = first(t, "proxy", "Killing")?;
    ensure(kill.t >= worker_exit.t, || {
        "proxy killed before the worker exited".into()
    })?;
    ensure(
        pod_steps(t, "KillPod").any(|s| field_str(s, "reason").as_deref() == Some("Completed")),
        || "no KillPod reason=Completed".into(),
    )?;
    ensure(terminated_code(status(t, "proxy")?).is_some(), || {
        "proxy did not end terminated".into()
    })
}

/// §2.3: only the startup probe gates what follows a sidecar; readiness does not.
fn sidecar_startup_probe(t: &Trace) -> Lesson {
    let startup_failures = steps(t, "mesh", "ProbeFailed")
        .filter(|s| field_str(s, "probe").as_deref() == Some("startup"))
        .collect::<Vec<_>>();
    ensure(!startup_failures.is_empty(), || {
        "no failed startup probe".into()
    })?;
    ensure(
        startup_failures
            .iter()
            .all(|s| s.kubectl.status == "Init:0/1"),
        || "STATUS was not Init:0/1 while the startup probe failed".into(),
    )?;
    let started = first(t, "mesh", "StartupSucceeded")?;
    let app = first(t, "app", "Started")?;
    ensure(app.t > started.t, || {
        "the app started before the sidecar's startup probe passed".into()
    })?;
    ensure(app.kubectl.ready == "0/2", || {
        format!("READY was {} when the app started", app.kubectl.ready)
    })?;
    let ready = first(t, "mesh", "Ready")?;
    ensure(ready.t > app.t, || {
        "the sidecar was ready before the app started".into()
    })
}

/// §5.2/§9: Init:Error and Init:CrashLoopBackOff, first restart free, then 10 s, 20 s, 40 s; Pending.
fn init_crash_loop(t: &Trace) -> Lesson {
    let seen = statuses(t);
    for s in ["Init:Error", "Init:CrashLoopBackOff"] {
        ensure(seen.contains(&s), || {
            format!("STATUS never showed {s}: {seen:?}")
        })?;
    }
    let mut delays: Vec<i64> = steps(t, "migrate", "BackOff")
        .filter_map(|s| field_i64(s, "delaySeconds"))
        .collect();
    delays.dedup();
    ensure(delays.starts_with(&[10, 20, 40]), || {
        format!("back-off delays {delays:?}")
    })?;
    let first_exit = first(t, "migrate", "Exited")?.t.as_secs_f64();
    let second = steps(t, "migrate", "Started")
        .find(|s| field_i64(s, "attempt") == Some(2))
        .ok_or("no second attempt")?;
    ensure(second.t.as_secs_f64() - first_exit <= 1.0, || {
        format!(
            "the first restart came {} s after the exit",
            second.t.as_secs_f64() - first_exit
        )
    })?;
    ensure(steps(t, "app", "Started").next().is_none(), || {
        "the app started".into()
    })?;
    ensure(t.final_state.phase == "Pending", || final_row(t))?;
    ensure(
        t.final_state.kubectl.status == "Init:CrashLoopBackOff",
        || final_row(t),
    )
}

/// §3.4/§8: liveness failure → kill; PID-1 shell ignores TERM → SIGKILL after 30 s → 137; restarted.
fn liveness_restart(t: &Trace) -> Lesson {
    let kill = first(t, "liveness", "Killing")?;
    ensure(
        field_str(kill, "reason").as_deref() == Some("LivenessProbe"),
        || "first kill is not for the liveness probe".into(),
    )?;
    let failures_before = steps(t, "liveness", "ProbeFailed")
        .filter(|s| s.t <= kill.t && field_str(s, "probe").as_deref() == Some("liveness"))
        .count();
    ensure(failures_before == 3, || {
        format!("{failures_before} liveness failures before the kill, not failureThreshold 3")
    })?;
    let exit = first(t, "liveness", "Exited")?;
    ensure(field_i64(exit, "exitCode") == Some(137), || {
        "first exit is not 137".into()
    })?;
    ensure(exit.t.as_secs_f64() - kill.t.as_secs_f64() == 30.0, || {
        format!(
            "SIGKILL came {} s after the kill, not the 30 s grace",
            exit.t - kill.t
        )
    })?;
    ensure(
        t.events
            .iter()
            .any(|e| e.message == "Container liveness failed liveness probe, will be restarted"),
        || "no Killing event with the liveness message".into(),
    )?;
    let restarts = status(t, "liveness")?.restart_count;
    ensure(restarts >= 2, || format!("only {restarts} restarts"))?;
    // §5.2: a kill the kubelet made itself is followed by the restart in the same sync, and doBackOff
    // reads the status from before the kill: the first five restarts are immediate (no back-off yet,
    // then 10, 20, 40 s, all shorter than the container's 70 s life); the sixth waits out 80 s.
    let exits = exits(t, "liveness");
    let starts: Vec<f64> = steps(t, "liveness", "Started")
        .map(|s| s.t.as_secs_f64())
        .collect();
    for (i, (at, _)) in exits.iter().take(5).enumerate() {
        ensure(starts.get(i + 1) == Some(at), || {
            format!(
                "restart {} is not immediate: exits {exits:?}, starts {starts:?}",
                i + 1
            )
        })?;
    }
    ensure(
        exits.len() > 5 && starts.get(6).is_some_and(|s| *s > exits[5].0 + 80.0),
        || format!("the sixth restart does not wait out 80 s: exits {exits:?}, starts {starts:?}"),
    )
}

/// §8/§10.2: SIGTERM to both; the plain PID-1 shell is SIGKILLed at the deadline (137), the trapped exits 0.
fn pid1_sigterm(t: &Trace) -> Lesson {
    let deleted = delete_time(t)?;
    ensure(exits(t, "plain") == vec![(deleted + 10.0, 137)], || {
        format!("plain exits {:?}", exits(t, "plain"))
    })?;
    ensure(exits(t, "trapped") == vec![(deleted, 0)], || {
        format!("trapped exits {:?}", exits(t, "trapped"))
    })?;
    ensure(
        steps(t, "plain", "Signal").any(|s| field_str(s, "signal").as_deref() == Some("KILL")),
        || "plain got no SIGKILL".into(),
    )?;
    ensure(
        steps(t, "trapped", "Signal").all(|s| field_str(s, "signal").as_deref() == Some("TERM")),
        || "trapped was SIGKILLed".into(),
    )?;
    ensure(t.final_state.phase == "Failed", || final_row(t))
}

/// §4.2/§10.3: all preStops start together; the stop signal to the app (SIGQUIT, nginx's), then proxy, then log-shipper.
fn delete_prestop_sidecars(t: &Trace) -> Lesson {
    let deleted = delete_time(t)?;
    let order = ["app", "proxy", "log-shipper"];
    for c in order {
        let s = first(t, c, "PreStopStarted")?;
        ensure(s.t.as_secs_f64() == deleted, || {
            format!("{c}'s preStop started at {} s", s.t)
        })?;
    }
    let mut previous_exit = deleted;
    // Each gets its image's stop signal: nginx's STOPSIGNAL is SIGQUIT, envoy and fluent-bit keep SIGTERM.
    for (c, signal) in order.into_iter().zip(["QUIT", "TERM", "TERM"]) {
        let term = steps(t, c, "Signal")
            .find(|s| field_str(s, "signal").as_deref() == Some(signal))
            .ok_or_else(|| format!("{c} got no SIG{signal}"))?;
        ensure(term.t.as_secs_f64() >= previous_exit, || {
            format!(
                "{c} got SIG{signal} at {} s, before the one before it exited",
                term.t
            )
        })?;
        let exit = first(t, c, "Exited")?;
        ensure(field_i64(exit, "exitCode") == Some(0), || {
            format!("{c} did not exit 0")
        })?;
        previous_exit = exit.t.as_secs_f64();
    }
    ensure(previous_exit - deleted <= 30.0, || {
        "the shutdown outlasted the grace period".into()
    })?;
    ensure(t.final_state.phase == "Succeeded", || final_row(t))
}

/// §2.3/§9: the init container after a sidecar waits for its startup probe; the sidecar keeps running.
fn proxy_before_app(t: &Trace) -> Lesson {
    let proxy = first(t, "cloud-sql-proxy", "StartupSucceeded")?;
    let migrate = first(t, "migrate", "Started")?;
    ensure(migrate.t >= proxy.t, || {
        "migrate started before the proxy had".into()
    })?;
    ensure(
        migrate.kubectl.ready == "1/2" && migrate.kubectl.status == "Init:1/2",
        || {
            format!(
                "at migrate's start: {} {}",
                migrate.kubectl.ready, migrate.kubectl.status
            )
        },
    )?;
    let done = first(t, "migrate", "Exited")?;
    let app = first(t, "app", "Started")?;
    ensure(app.t > done.t, || {
        "the app started before the migration ended".into()
    })?;
    ensure(is_running(status(t, "cloud-sql-proxy")?), || {
        "the proxy stopped".into()
    })?;
    ensure(final_row(t) == "Running 2/2 Running 0", || final_row(t))
}

/// §12 worked example: 2700m CPU, 2048Mi memory (canonical 2Gi).
fn effective_requests(t: &Trace) -> Lesson {
    let r = &t.final_state.effective_requests;
    let get = |k: &str| r.get(k).map(String::as_str).unwrap_or("?").to_string();
    ensure(get("cpu") == "2700m" && get("memory") == "2Gi", || {
        format!(
            "effective requests cpu={} memory={}",
            get("cpu"),
            get("memory")
        )
    })
}

/// §5.2/§8: an unpullable image never fails the pod, even under Never: Pending, ImagePullBackOff.
fn image_pull_backoff(t: &Trace) -> Lesson {
    ensure(steps(t, "app", "PullFailed").next().is_some(), || {
        "no failed pull".into()
    })?;
    ensure(steps(t, "app", "Started").next().is_none(), || {
        "the app started".into()
    })?;
    ensure(t.steps.iter().all(|s| s.phase == Phase::Pending), || {
        "the phase left Pending".into()
    })?;
    let seen = statuses(t);
    for s in ["ErrImagePull", "ImagePullBackOff"] {
        ensure(seen.contains(&s), || {
            format!("STATUS never showed {s}: {seen:?}")
        })?;
    }
    ensure(final_row(t) == "Pending 0/1 ImagePullBackOff 0", || {
        final_row(t)
    })
}

/// §3.2/§3.4: readiness flips READY without restarts, and keeps running during termination.
fn readiness_flap(t: &Trace) -> Lesson {
    let deleted = delete_time(t)?;
    let flips: Vec<(f64, &str)> = t
        .steps
        .iter()
        .filter(|s| {
            s.container.as_deref() == Some("app")
                && (s.event() == "Ready" || s.event() == "NotReady")
        })
        .map(|s| (s.t.as_secs_f64(), s.event()))
        .collect();
    let kinds: Vec<&str> = flips.iter().map(|f| f.1).collect();
    ensure(
        kinds.starts_with(&["Ready", "NotReady", "Ready", "NotReady"]),
        || format!("readiness went {flips:?}"),
    )?;
    let term = steps(t, "app", "Signal")
        .find(|s| field_str(s, "signal").as_deref() == Some("TERM"))
        .ok_or("no SIGTERM")?;
    ensure(
        flips[3].0 > deleted && flips[3].0 < term.t.as_secs_f64(),
        || {
            format!(
                "NotReady at {} s is not between the delete and SIGTERM",
                flips[3].0
            )
        },
    )?;
    ensure(steps(t, "app", "Killing").count() == 1, || {
        "the app was killed more than once".into()
    })?;
    ensure(status(t, "app")?.restart_count == 0, || {
        "the app restarted".into()
    })
}

/// §5.1 (OnFailure): exit 1 restarts in place at once; exit 0 completes the pod.
fn cronjob_onfailure(t: &Trace) -> Lesson {
    ensure(t.pod.starts_with("nightly-backup-"), || {
        format!("pod name {}", t.pod)
    })?;
    let e = exits(t, "backup");
    ensure(e.len() == 2 && e[0].1 == 1 && e[1].1 == 0, || {
        format!("exits {e:?}")
    })?;
    let second = steps(t, "backup", "Started")
        .find(|s| field_i64(s, "attempt") == Some(2))
        .ok_or("no second attempt")?;
    ensure(second.t.as_secs_f64() - e[0].0 <= 1.0, || {
        "the first restart was not immediate".into()
    })?;
    ensure(t.end.why == EndReason::Terminal, || {
        format!("ended {}", t.end.why)
    })?;
    ensure(t.final_state.phase == "Succeeded", || final_row(t))?;
    ensure(t.final_state.kubectl.status == "Completed", || final_row(t))?;
    ensure(status(t, "backup")?.restart_count == 1, || final_row(t))
}

/// Podstep's volume convention: a file the sidecar writes in the shared emptyDir makes the app ready.
fn shared_emptydir(t: &Trace) -> Lesson {
    let loader = first(t, "config-loader", "Started")?;
    let app = first(t, "app", "Started")?;
    ensure(app.kubectl.ready == "1/2", || {
        format!("READY {} when the app started", app.kubectl.ready)
    })?;
    ensure(
        steps(t, "app", "ProbeFailed")
            .any(|s| field_str(s, "probe").as_deref() == Some("readiness")),
        || "the readiness probe never failed".into(),
    )?;
    let ready = first(t, "app", "Ready")?;
    ensure(ready.t >= loader.t + Ms::from_s(10), || {
        format!(
            "the app was ready at {} s, before the file was written",
            ready.t
        )
    })?;
    ensure(final_row(t) == "Running 2/2 Running 0", || final_row(t))
}

/// §11: every mistake is an error on its own line; nothing is simulated.
fn mistakes_lesson(checked: &lifecycle::Checked) -> Lesson {
    let errors: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    ensure(errors.len() >= MIN_MISTAKES, || {
        format!("only {} errors", errors.len())
    })?;
    let mut lines: Vec<_> = errors.iter().map(|d| d.line).collect();
    lines.dedup();
    ensure(lines.len() == errors.len(), || {
        "two errors share a line".into()
    })?;
    ensure(errors.iter().all(|d| !d.path.is_empty()), || {
        "an error has no field path".into()
    })?;
    ensure(
        checked.has_errors() && checked.workloads.iter().all(|w| w.errors > 0),
        || "the workload would be simulated".into(),
    )
}

/// Claims issue 19's review found untrue, each with what the example says instead: a lesson must not
/// teach them again.
#[test]
fn the_gallery_does_not_teach_what_the_review_found_untrue() {
    let rows: &[(&str, &str, &str)] = &[
        // Native sidecars are on by default from 1.29 (alpha and off in 1.28).
        ("job-classic-sidecar", "pre-1.28", "1.29"),
        // Deletion takes the pod out of its Services; removing a readiness file drains nothing.
        ("readiness-flap", "to drain traffic", "drains nothing"),
        // The effective-requests rule is KEP-753's, not a "spec" a reader could mistake for Kubernetes'.
        ("effective-requests", "the spec's section 12", "KEP-753"),
        // The runtime, not the kubelet, sends the signal; PID 1's rule has exceptions.
        (
            "pid1-sigterm",
            "the kubelet sends SIGTERM",
            "shareProcessNamespace",
        ),
        // nginx stops with SIGQUIT.
        (
            "delete-prestop-sidecars",
            "gets SIGTERM and exits",
            "SIGQUIT",
        ),
        // An app container's restartPolicy is valid from 1.35; strict field validation refuses typos.
        ("mistakes", "\u{0}", "ContainerRestartRules"),
        ("mistakes", "\u{0}", "strict"),
        // A sidecar's wait for its turn counts against the same grace period.
        ("delete-prestop-sidecars", "\u{0}", "same grace period"),
        // postStart gates the next container too; the two probes are scripted apart.
        (
            "sidecar-startup-probe",
            "only the startup probe does",
            "postStart",
        ),
        // OnFailure restarts count toward the Job's backoffLimit.
        ("cronjob-onfailure", "\u{0}", "backoffLimit"),
        // The emptyDir hides nginx's stdout links, and fluent-bit needs a configuration.
        ("logging-sidecar", "\u{0}", "configuration"),
        // cloud-sql-proxy listens on 127.0.0.1 unless told otherwise, so the kubelet probes its HTTP
        // health check on 0.0.0.0; READY counts a sidecar that is ready, not one merely started.
        (
            "proxy-before-app",
            "a started sidecar already counts",
            "--http-address=0.0.0.0",
        ),
        // The kubelet's own kills restart at once until the back-off outgrows the container's life.
        ("liveness-restart", "\u{0}", "outgrows"),
    ];
    let mut bad = Vec::new();
    for (id, untrue, instead) in rows {
        let e = gallery::by_id(id).unwrap_or_else(|| panic!("no example {id}"));
        let text = e.explanation();
        if text.contains(untrue) {
            bad.push(format!("{id} still says {untrue:?}"));
        }
        if !text.contains(instead) {
            bad.push(format!("{id} does not say {instead:?}"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
