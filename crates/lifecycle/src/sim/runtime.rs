//! The container runtime: the pod sandbox, container instances and their processes, the files scripts
//! create, exits and signals. Starting a container here is what happens after the image is present:
//! `Created`, `Started`, the process begins, and postStart runs in the pod worker's sync (§4.1).

use super::behavior::{self, HookPlan, Source};
use super::container::{Exit, Inst, RunState};
use super::decide::KillWhy;
use super::kubelet::Sim;
use super::pod_env::{around, Around, Listeners};
use super::prober::resolve_port;
use super::shell::{floor_char, Exec, NetError, Script, World, Yield};
use super::time::Ms;
use super::timers::Timer;
use super::trace::{EventType, StepKind};
use super::worker::Op;
use crate::limits;
use crate::spec::{Container, Handler, VolumeMount, VolumeSource};
use std::collections::HashMap;

/// How long the runtime takes to create a sandbox (Podstep's convention).
pub(super) const SANDBOX: Ms = Ms(1000);

/// The files scripts have written, with their contents, by where they live: a volume (shared,
/// survives restarts) or one container instance's writable layer. Hashed: a script names its files
/// literally, so a long one can create tens of thousands; never walked. Looking a file up allocates
/// nothing, which matters in a loop of `touch`/`rm`/`test -f`.
#[derive(Clone, Debug, Default)]
pub(super) struct Files {
    /// By volume name: paths relative to the mount point.
    volumes: HashMap<String, Dir>,
    /// By (container, instance): paths in that instance's own layer.
    layers: HashMap<(usize, u32), Dir>,
}

/// One place's files: path → content.
type Dir = HashMap<String, String>;

/// Where one path lives, as [`FsView::place`] resolves it.
enum Place<'a> {
    Volume { name: &'a str, path: &'a str },
    Layer(&'a str),
}

impl Files {
    /// Every file is gone (the sandbox and its emptyDir volumes with it).
    pub fn clear(&mut self) {
        self.volumes.clear();
        self.layers.clear();
    }
    fn paths(&self, place: &Place, layer: (usize, u32)) -> Option<&Dir> {
        match place {
            Place::Volume { name, .. } => self.volumes.get(*name),
            Place::Layer(_) => self.layers.get(&layer),
        }
    }
    /// The paths of `place`, made if it has none yet.
    fn paths_mut(&mut self, place: &Place, layer: (usize, u32)) -> &mut Dir {
        match place {
            Place::Volume { name, .. } => self.volumes.entry(name.to_string()).or_default(),
            Place::Layer(_) => self.layers.entry(layer).or_default(),
        }
    }
    fn remove(&mut self, place: &Place, layer: (usize, u32)) {
        let paths = match place {
            Place::Volume { name, .. } => self.volumes.get_mut(*name),
            Place::Layer(_) => self.layers.get_mut(&layer),
        };
        if let Some(p) = paths {
            p.remove(place.path());
        }
    }
}

impl Place<'_> {
    fn path(&self) -> &str {
        match self {
            Place::Volume { path, .. } => path,
            Place::Layer(path) => path,
        }
    }
}

/// The node's runtime as the pod sees it.
#[derive(Default)]
pub(super) struct Runtime {
    /// Sandbox generation: 0 before the first, bumped at each creation.
    pub sandbox: u32,
    pub sandbox_ready: bool,
    pub files: Files,
    /// Who listens on which port (see [`Listeners`]).
    pub listeners: Listeners,
}

/// What one container instance's process sees: the files through its volume mounts (and those the
/// kubelet placed), its environment, the pod's network.
struct FsView<'a> {
    files: &'a mut Files,
    mounts: &'a [VolumeMount],
    /// The instance whose layer holds paths outside the mounts: (container, instance).
    layer: (usize, u32),
    around: Around<'a>,
    spec: &'a Container,
    env: &'a [(String, String)],
    /// Containers whose quit endpoint a request reached: they exit once the process yields.
    quits: std::cell::RefCell<Vec<usize>>,
}

impl<'v> FsView<'v> {
    /// A path under a volume mount lives in the volume; any other path in the instance's own layer.
    fn place<'p>(&self, path: &'p str) -> Place<'p>
    where
        'v: 'p,
    {
        let best = self
            .mounts
            .iter()
            .filter(|m| {
                let mp = m.mount_path.trim_end_matches('/');
                path == mp || path.strip_prefix(mp).is_some_and(|r| r.starts_with('/'))
            })
            .max_by_key(|m| m.mount_path.len());
        match best {
            Some(m) => Place::Volume {
                name: m.name.as_str(),
                path: &path[m.mount_path.trim_end_matches('/').len()..],
            },
            None => Place::Layer(path),
        }
    }
}

impl World for FsView<'_> {
    fn exists(&self, path: &str) -> bool {
        let place = self.place(path);
        self.files
            .paths(&place, self.layer)
            .is_some_and(|p| p.contains_key(place.path()))
            || self.around.placed_file(self.spec, path).is_some()
            || self.mounts.iter().any(|m| {
                // A mount point is a directory, except on a volume filled from outside the pod, which
                // may mount a single file (a host path of type File): Podstep cannot say.
                m.mount_path.trim_end_matches('/') == path.trim_end_matches('/')
                    && self.around.pod.volume(&m.name).is_some_and(|v| {
                        !matches!(
                            v.source,
                            VolumeSource::External
                                | VolumeSource::Claim(_)
                                | VolumeSource::Image(_)
                        )
                    })
            })
    }
    fn read(&self, path: &str) -> Option<String> {
        let place = self.place(path);
        self.files
            .paths(&place, self.layer)
            .and_then(|p| p.get(place.path()).cloned())
            .or_else(|| self.around.placed_file(self.spec, path))
    }
    fn write(&mut self, path: &str, data: &str, append: bool) {
        let place = self.place(path);
        let layer = self.layer;
        let dir = self.files.paths_mut(&place, layer);
        match dir.get_mut(place.path()) {
            Some(content) if append => {
                if content.len() + data.len() <= limits::MAX_FILE_BYTES {
                    content.push_str(data);
                }
            }
            Some(content) => {
                content.clear();
                content.push_str(&data[..floor_char(data, limits::MAX_FILE_BYTES)]);
            }
            None => {
                let data = &data[..floor_char(data, limits::MAX_FILE_BYTES)];
                dir.insert(place.path().to_string(), data.to_string());
            }
        }
    }
    fn remove(&mut self, path: &str) {
        let place = self.place(path);
        self.files.remove(&place, self.layer);
    }
    fn maybe_in_image(&self, path: &str) -> bool {
        // Files whose presence Podstep cannot know: in the container's own layer of an image it does
        // not know the contents of (an app image's `cp /sample.war /app`), or on a volume filled from
        // outside the pod (a host path, a network volume, a claim).
        match self.place(path) {
            Place::Layer(_) => {
                !behavior::is_plain_shell(&self.spec.image)
                    && !path.starts_with("/tmp/")
                    && !path.starts_with("/var/run/")
            }
            Place::Volume { name, .. } => self.around.pod.volume(name).is_some_and(|v| {
                matches!(
                    v.source,
                    VolumeSource::External | VolumeSource::Claim(_) | VolumeSource::Image(_)
                )
            }),
        }
    }
    fn env(&self, name: &str) -> Option<String> {
        self.env
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
    fn memory_limit(&self) -> Option<u64> {
        let q = self.spec.limits.get("memory")?;
        u64::try_from(q.nanos / 1_000_000_000).ok()
    }
    fn resolve(&self, host: &str) -> Option<String> {
        self.around.resolve(host)
    }
    fn connect(&self, host: &str, port: u16) -> Result<(), NetError> {
        self.around.connect(host, port)
    }
    fn http_get(&self, host: &str, port: u16, path: &str) -> Result<u16, NetError> {
        let status = self.around.http_get(host, port, path)?;
        if let Some(c) = self.around.quit_target(host, port, path) {
            self.quits.borrow_mut().push(c);
            return Ok(200);
        }
        Ok(status)
    }
}

impl Sim<'_> {
    /// Creates and starts container `c` (its image is present).
    pub(super) fn create_and_start(&mut self, c: usize) {
        if self.worker.deleting() || self.worker.finished() {
            return;
        }
        let name = self.name(c);
        let attempt = self.cs[c].attempts + 1;
        let image = self.cs[c].image.clone();
        // generateContainerConfig: the environment comes first, and a missing ConfigMap, Secret or
        // key stops the creation (`CreateContainerConfigError`); the next sync tries again.
        let env = match self.around(Some(c), c).environment(&self.cs[c].spec) {
            Ok(env) => env,
            Err(msg) => {
                self.cevent(c, EventType::Warning, "Failed", format!("Error: {msg}"));
                self.cs[c].start_error = Some(("CreateContainerConfigError".into(), msg.into()));
                self.step(
                    c,
                    StepKind::StartFailed {
                        reason: "CreateContainerConfigError",
                    },
                );
                self.start_refused();
                return;
            }
        };
        let lookup = |n: &str| {
            env.iter()
                .rev()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.clone())
        };
        let (behavior, warning) =
            behavior::resolve(self.pod, &self.cs[c].spec, &image, attempt, &lookup);
        if let Some(w) = warning {
            self.rec.note_once(format!("{name}: {w}"));
        }
        self.cevent(
            c,
            EventType::Normal,
            "Created",
            format!("Created container: {name}"),
        );
        self.step(c, StepKind::Created);
        let sandbox = self.runtime.sandbox;
        let ctr = &mut self.cs[c];
        if let Some(Inst {
            state: RunState::Exited(e),
            ..
        }) = &ctr.inst
        {
            ctr.prev_exit = Some(*e);
        }
        ctr.attempts = attempt;
        ctr.start_error = None;
        ctr.changed = false;
        ctr.purged = false;
        let has_post_start = ctr.spec.post_start.is_some() || behavior.post_start.is_some();
        let mut exec = Exec::new(behavior.script.clone(), behavior.is_shell);
        // With a shared process namespace the pause container is PID 1, so the kernel's PID-1 rule
        // (no handler, no signal) does not protect the container's process.
        exec.pid1 = !self.pod.share_process_namespace;
        let oom = behavior.oom_after;
        self.runtime
            .listeners
            .add(c, &ctr.spec, &behavior.listening);
        let source = match &behavior.source {
            Source::Annotation => "annotation".to_string(),
            Source::Command => "command".to_string(),
            Source::Image(n) => format!("image:{n}"),
            _ => "default".to_string(),
        };
        ctr.inst = Some(Inst {
            id: attempt,
            started: self.now,
            state: RunState::Running,
            visible: !has_post_start,
            exec,
            behavior,
            sandbox,
            env,
        });
        // A new container ID: probe results start from their initial values (§3.2).
        for (kind, w) in ctr.probes.iter_mut() {
            w.reset_for_new_container(kind);
        }
        self.cevent(
            c,
            EventType::Normal,
            "Started",
            format!("Started container {name}"),
        );
        self.step(
            c,
            StepKind::Started {
                attempt,
                behavior: source,
            },
        );
        if let Some(after) = oom {
            self.timers
                .push(self.now + after, Timer::Oom { c, inst: attempt });
        }
        self.resume_process(c, attempt);
        // postStart runs synchronously in this sync: nothing else starts until it returns (§4.1).
        if has_post_start && self.cs[c].runs(attempt) {
            let plan = self.hook_plan(c, true);
            self.step(c, StepKind::PostStartStarted);
            self.worker
                .wait_until(&mut self.timers, self.now + plan.duration);
            self.worker.ops.push_front(Op::PostStartDone {
                c,
                inst: attempt,
                ok: plan.ok,
            });
        } else if has_post_start {
            // The process died at once: the hook has nothing to run in.
            if let Some(i) = self.cs[c].inst.as_mut() {
                i.visible = true;
            }
        }
        // The runtime reports the start; the pod worker sees it at the next relist.
        self.timers.request_sync(self.now + super::kubelet::PLEG);
    }

    pub(super) fn post_start_done(&mut self, c: usize, inst: u32, ok: bool) {
        if let Some(i) = self.cs[c].inst.as_mut() {
            if i.id == inst {
                i.visible = true;
            }
        }
        if !self.cs[c].runs(inst) {
            return;
        }
        self.step(c, StepKind::PostStartFinished { ok });
        if !ok {
            self.cevent(
                c,
                EventType::Warning,
                "FailedPostStartHook",
                "PostStartHook failed".into(),
            );
            self.cs[c].start_error =
                Some(("PostStartHookError".into(), "PostStartHook failed".into()));
            self.worker.ops.push_front(Op::AwaitKills);
            self.worker.ops.push_front(Op::Kill {
                c,
                why: KillWhy::PostStart,
            });
        }
    }

    /// How long a hook runs and whether it succeeds: the behaviour override, else its handler.
    pub(super) fn hook_plan(&mut self, c: usize, post_start: bool) -> HookPlan {
        let ctr = &self.cs[c];
        let over = ctr.inst.as_ref().and_then(|i| {
            if post_start {
                i.behavior.post_start
            } else {
                i.behavior.pre_stop
            }
        });
        if let Some(p) = over {
            return p;
        }
        let handler = if post_start {
            ctr.spec.post_start.clone()
        } else {
            ctr.spec.pre_stop.clone()
        }
        .flatten();
        let around = around!(self, None, c);
        match handler {
            Some(Handler::Sleep { seconds }) => HookPlan {
                duration: Ms::from_s(seconds.max(0) as u64),
                ok: true,
            },
            Some(Handler::Exec { command }) => {
                let (d, code) = run_command(
                    around,
                    c,
                    &command,
                    Ms::from_s(limits::MAX_HORIZON_S),
                    &mut self.runtime.files,
                );
                HookPlan {
                    duration: d,
                    ok: code == Some(0),
                }
            }
            Some(Handler::HttpGet { path, port, .. }) => HookPlan {
                duration: Ms::ZERO,
                ok: resolve_port(&ctr.spec, &port)
                    .ok()
                    .and_then(|p| around.probe(p, Some(&path)).ok().flatten())
                    .is_some_and(|code| (200..400).contains(&code)),
            },
            Some(_) => HookPlan {
                duration: Ms::ZERO,
                ok: false,
            },
            None => HookPlan {
                duration: Ms::ZERO,
                ok: true,
            },
        }
    }

    /// Runs instance `inst` of `c`'s process until it sleeps, waits forever or exits.
    pub(super) fn resume_process(&mut self, c: usize, inst: u32) {
        if !self.cs[c].runs(inst) {
            return;
        }
        // The process is taken out of its record while it runs, so that what it reaches (the other
        // containers, on localhost) can be read.
        let Some(mut exec) = self.cs[c]
            .inst
            .as_mut()
            .map(|i| std::mem::replace(&mut i.exec, Exec::new(Script::from_argv(&[]), false)))
        else {
            return;
        };
        let ctr = &self.cs[c];
        let env = ctr.inst.as_ref().map_or(&[][..], |i| &i.env[..]);
        let around = around!(self, Some(c), c);
        let mut view = FsView {
            files: &mut self.runtime.files,
            mounts: &ctr.spec.volume_mounts,
            layer: (c, inst),
            around,
            spec: &ctr.spec,
            env,
            quits: Default::default(),
        };
        let y = exec.resume(self.now, &mut view);
        let quits = view.quits.into_inner();
        let notes = exec.take_notes();
        if let Some(i) = self.cs[c].inst.as_mut() {
            i.exec = exec;
        }
        if !notes.is_empty() {
            let name = self.name(c);
            for n in notes {
                self.rec.note_once(format!("{name}: {n}"));
            }
        }
        // A sidecar asked to quit shuts down cleanly.
        for q in quits {
            if q != c {
                self.exit(q, 0, "Completed");
            }
        }
        match y {
            Yield::Until(t) => self.timers.push(t, Timer::Resume { c, inst }),
            Yield::Forever => {}
            Yield::Exit(code) => {
                let reason = if code == 0 { "Completed" } else { "Error" };
                self.exit(c, code, reason);
            }
            Yield::OomKilled => self.exit(c, 137, "OOMKilled"),
        }
    }

    /// The current instance of `c` exits now.
    pub(super) fn exit(&mut self, c: usize, code: i32, reason: &'static str) {
        let now = self.now;
        let Some(i) = self.cs[c].inst.as_mut() else {
            return;
        };
        if !matches!(i.state, RunState::Running) {
            return;
        }
        i.state = RunState::Exited(Exit {
            code,
            reason,
            at: now,
        });
        i.visible = true;
        self.step(c, StepKind::Exited { code, reason });
        // A killed container is done; sidecars waiting for their turn may go now.
        if self.cs[c].killer.take().is_some() {
            self.killer_finished();
        }
        if self.worker.deleting() || self.worker.completing() {
            self.check_turns();
        }
        self.timers.request_sync(now + super::kubelet::PLEG);
    }
}

/// Runs an exec command inside container `c` to completion; files it touches change at once.
/// Returns how long it took and its exit code (`None` if it outlived `cap`).
pub(super) fn run_command(
    around: Around<'_>,
    c: usize,
    argv: &[String],
    cap: Ms,
    files: &mut Files,
) -> (Ms, Option<i32>) {
    let ctr = &around.cs[c];
    let mut exec = Exec::new(command_script(argv), false);
    let env = ctr.inst.as_ref().map_or(&[][..], |i| &i.env[..]);
    let mut view = FsView {
        files,
        mounts: &ctr.spec.volume_mounts,
        layer: (c, ctr.inst.as_ref().map_or(0, |i| i.id)),
        spec: &ctr.spec,
        env,
        around,
        quits: Default::default(),
    };
    let mut t = Ms::ZERO;
    for _ in 0..1000 {
        match exec.resume(t, &mut view) {
            Yield::Exit(code) => return (t, Some(code)),
            Yield::OomKilled => return (t, Some(137)),
            Yield::Until(next) if next <= cap => t = next,
            _ => return (cap, None),
        }
    }
    (cap, None)
}

/// An exec handler's argv as a script: `sh -c '…'` is interpreted, anything else runs as a command.
fn command_script(argv: &[String]) -> Script {
    let prog = argv
        .first()
        .map(|p| p.rsplit('/').next().unwrap_or(p))
        .unwrap_or("");
    if matches!(prog, "sh" | "bash" | "ash" | "dash") {
        if let Some(i) = argv.iter().position(|a| a == "-c") {
            if let Some(s) = argv.get(i + 1) {
                return Script::parse(s).unwrap_or_else(|_| Script::from_argv(&["false".into()]));
            }
        }
    }
    Script::from_argv(argv)
}
