//! The kubelet's decisions, pure: what a sync should kill and start, given what the runtime and the
//! probes report (`computePodActions`, `computeInitContainerActions`, `ShouldContainerBeRestarted`;
//! spec §2, §2.3, §5.1). They read a [`Facts`] per container and return a plan; the pod worker carries
//! it out. Nothing here knows of time, timers or the trace, so each rule is a row in a table test.

use super::container::Ctr;
use crate::spec::{ContainerKind, ProbeKind, RestartPolicy};

/// Why a container is killed; the `Killing` step's reason and the event's wording follow from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum KillWhy {
    /// Deletion or a whole-pod kill: sidecars wait their turn.
    Pod,
    Liveness,
    Startup,
    /// The spec changed while it ran (an image update).
    Changed,
    PostStart,
    /// KEP-5532: a `RestartAllContainers` rule matched: no grace period, so no preStop hook.
    RestartAll,
}

/// What the runtime reports of a container, as a sync sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Seen {
    /// No record: never created, or purged with an old sandbox.
    Nothing,
    Running,
    Exited(i32),
}

/// The facts about one container a decision reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Facts {
    pub kind: ContainerKind,
    pub seen: Seen,
    /// Its spec changed while it ran.
    pub changed: bool,
    /// The startup probe's result: `None` without a probe, `Some(None)` while Unknown.
    pub startup: Option<Option<bool>>,
    pub liveness: Option<Option<bool>>,
    /// Its own restart policy (KEP-5307), when it has one: it replaces the pod's for this container.
    pub own_policy: Option<RestartPolicy>,
    /// Its own rules' and policy's answer for its exit, when it has its own.
    pub own_restart: Option<bool>,
}

impl Facts {
    pub fn of(c: &Ctr) -> Facts {
        let seen = if !c.has_status() {
            Seen::Nothing
        } else if c.running() {
            Seen::Running
        } else {
            Seen::Exited(c.exited().map_or(0, |e| e.code))
        };
        Facts {
            kind: c.spec.kind,
            seen,
            changed: c.changed,
            startup: c.probe_result(ProbeKind::Startup),
            liveness: c.probe_result(ProbeKind::Liveness),
            own_policy: c.own.as_ref().map(|o| o.policy),
            own_restart: match seen {
                Seen::Exited(code) => c.own.as_ref().map(|o| o.restarts(code, c.spec.is_init())),
                _ => None,
            },
        }
    }
    fn running(&self) -> bool {
        self.seen == Seen::Running
    }
    /// A probe that failed its threshold (the worker published Failure).
    fn failed(probe: Option<Option<bool>>) -> bool {
        probe == Some(Some(false))
    }
}

/// The pod as a sync sees it: its containers (init containers first, in spec order, then the app
/// containers), its restart policy, and whether it is being deleted.
pub(super) struct View<'a> {
    pub containers: &'a [Facts],
    pub n_init: usize,
    pub restart_policy: RestartPolicy,
    pub deleting: bool,
    pub sandbox_ready: bool,
}

/// One thing a sync does, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Act {
    /// Kill the container and wait for it to be gone.
    Kill(usize, KillWhy),
    Start(usize),
}

/// What a sync does with a pod whose phase is not terminal and that is not being deleted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum PodActions {
    /// No sandbox: create one, then start these (the first init container, or every app container).
    CreateSandbox { starts: Vec<usize> },
    /// Kills and starts, in this order.
    Act(Vec<Act>),
    /// Nothing is left to run (or an init container failed for good): stop the whole pod.
    KillPod,
}

/// `ShouldContainerBeRestarted` (spec §5.1) for a container that is not running.
pub(super) fn should_restart(view: &View, c: usize) -> bool {
    if view.deleting {
        return false;
    }
    match view.containers[c].seen {
        Seen::Running => false,
        Seen::Nothing => true,
        Seen::Exited(code) => view.containers[c]
            .own_restart
            .unwrap_or_else(|| view.restart_policy.restarts(code)),
    }
}

/// `computePodActions` (spec §2).
pub(super) fn compute_pod_actions(view: &View) -> PodActions {
    if !view.sandbox_ready {
        let starts = if view.n_init > 0 {
            vec![0]
        } else {
            (view.n_init..view.containers.len()).collect()
        };
        return PodActions::CreateSandbox { starts };
    }
    let init = compute_init_actions(view);
    if init.kill_pod {
        return PodActions::KillPod;
    }
    let mut acts = init.acts;
    if init.initialized {
        let mut keep = 0;
        let mut kills = Vec::new();
        let mut starts = Vec::new();
        for c in view.n_init..view.containers.len() {
            let f = &view.containers[c];
            if !f.running() {
                if should_restart(view, c) {
                    starts.push(c);
                }
                continue;
            }
            let why = if f.changed {
                Some(KillWhy::Changed)
            } else if Facts::failed(f.liveness) {
                Some(KillWhy::Liveness)
            } else if Facts::failed(f.startup) {
                Some(KillWhy::Startup)
            } else {
                None
            };
            match why {
                None => keep += 1,
                Some(w) => {
                    kills.push(Act::Kill(c, w));
                    let policy = f.own_policy.unwrap_or(view.restart_policy);
                    if w == KillWhy::Changed || policy != RestartPolicy::Never {
                        starts.push(c);
                    }
                }
            }
        }
        if keep == 0 && starts.is_empty() {
            return PodActions::KillPod;
        }
        acts.extend(kills);
        acts.extend(starts.into_iter().map(Act::Start));
    }
    PodActions::Act(acts)
}

/// What `computeInitContainerActions` decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct InitActions {
    /// Every init container is done (or an app container already runs): app containers may start.
    pub initialized: bool,
    /// An init container failed under `restartPolicy: Never`.
    pub kill_pod: bool,
    pub acts: Vec<Act>,
}

/// `computeInitContainerActions` (spec §2.3): walks the init containers from the last one back, as
/// the kubelet does, starting the next one after the last that is done (or started, for a sidecar),
/// restarting sidecars that exited, and killing sidecars whose probes failed.
pub(super) fn compute_init_actions(view: &View) -> InitActions {
    let n_init = view.n_init;
    let cs = view.containers;
    if n_init == 0 {
        return InitActions {
            initialized: true,
            kill_pod: false,
            acts: Vec::new(),
        };
    }
    let app_alive = cs[n_init..].iter().any(Facts::running);
    let mut initialized = app_alive;
    let mut previously = app_alive;
    let mut starts: Vec<usize> = Vec::new();
    let mut kills: Vec<(usize, KillWhy)> = Vec::new();
    let last = n_init - 1;
    for i in (0..n_init).rev() {
        let f = &cs[i];
        let sidecar = f.kind == ContainerKind::Sidecar;
        if f.seen == Seen::Nothing {
            if previously && sidecar {
                starts.push(i);
            }
            continue;
        }
        if previously && !sidecar {
            continue;
        }
        match f.seen {
            Seen::Running if sidecar => {
                let blocked = match f.startup {
                    Some(None) => true,
                    Some(Some(false)) => {
                        kills.push((i, KillWhy::Startup));
                        starts.push(i);
                        true
                    }
                    _ => false,
                };
                if !blocked {
                    if i == last {
                        initialized = true;
                    } else if !previously {
                        starts.push(i + 1);
                    }
                    if f.changed {
                        kills.push((i, KillWhy::Changed));
                        starts.push(i);
                    } else if Facts::failed(f.liveness) {
                        kills.push((i, KillWhy::Liveness));
                        starts.push(i);
                    }
                }
            }
            // A regular init container still running: wait for it.
            Seen::Running | Seen::Nothing => {}
            Seen::Exited(_) if sidecar => starts.push(i),
            Seen::Exited(code) if code != 0 => {
                if !f
                    .own_restart
                    .unwrap_or(view.restart_policy != RestartPolicy::Never)
                {
                    return InitActions {
                        initialized: false,
                        kill_pod: true,
                        acts: Vec::new(),
                    };
                }
                starts.push(i);
            }
            Seen::Exited(_) if i == last => initialized = true,
            Seen::Exited(_) => starts.push(i + 1),
        }
        previously = true;
    }
    if !previously {
        starts.push(0);
    }
    starts.reverse();
    starts.dedup();
    let mut acts: Vec<Act> = kills.iter().map(|&(c, why)| Act::Kill(c, why)).collect();
    // A container that is still running (or already done) is not started twice, unless this sync
    // kills it first.
    for c in starts {
        if !cs[c].running() || kills.iter().any(|&(k, _)| k == c) {
            acts.push(Act::Start(c));
        }
    }
    InitActions {
        initialized,
        kill_pod: false,
        acts,
    }
}

#[cfg(test)]
mod tests {
    //! One row per situation, as the kubelet's `TestComputePodActions` has them: the pod's restart
    //! policy and containers in, what the sync does out. A container is `KIND:STATE[,FLAG…]`: kind `i`
    //! (init), `s` (sidecar) or `a` (app); state `none`, `run`, `exit0`, `exit1`; flags `su?`, `su+`,
    //! `su-` (a startup probe Unknown, succeeded, failed), `lv-` (liveness failed), `chg` (spec changed).

    use super::*;
    use expect_test::expect;

    fn facts(token: &str) -> Facts {
        let mut parts = token.split(',');
        let (kind, state) = parts.next().unwrap().split_once(':').unwrap();
        let mut f = Facts {
            kind: match kind {
                "i" => ContainerKind::Init,
                "s" => ContainerKind::Sidecar,
                _ => ContainerKind::App,
            },
            seen: match state {
                "none" => Seen::Nothing,
                "run" => Seen::Running,
                "exit0" => Seen::Exited(0),
                _ => Seen::Exited(1),
            },
            changed: false,
            startup: None,
            liveness: None,
            own_policy: None,
            own_restart: None,
        };
        for flag in parts {
            match flag {
                "su?" => f.startup = Some(None),
                "su+" => f.startup = Some(Some(true)),
                "su-" => f.startup = Some(Some(false)),
                "lv-" => f.liveness = Some(Some(false)),
                "chg" => f.changed = true,
                // Its own policy (KEP-5307), with the answer for its exit code.
                "own:Always" => {
                    (f.own_policy, f.own_restart) = (Some(RestartPolicy::Always), Some(true))
                }
                "own:Never" => {
                    (f.own_policy, f.own_restart) = (Some(RestartPolicy::Never), Some(false))
                }
                other => panic!("unknown flag {other}"),
            }
        }
        f
    }

    /// A row `POLICY [nosandbox] [deleting] | CONTAINERS`: its containers' facts, and `f` of the view.
    fn with_view<T>(row: &str, f: impl FnOnce(&View) -> T) -> T {
        let (head, containers) = row.split_once('|').unwrap();
        let mut words = head.split_whitespace();
        let restart_policy = match words.next().unwrap() {
            "Always" => RestartPolicy::Always,
            "OnFailure" => RestartPolicy::OnFailure,
            _ => RestartPolicy::Never,
        };
        let flags: Vec<&str> = words.collect();
        let facts: Vec<Facts> = containers.split_whitespace().map(facts).collect();
        f(&View {
            n_init: facts
                .iter()
                .filter(|f| f.kind != ContainerKind::App)
                .count(),
            containers: &facts,
            restart_policy,
            deleting: flags.contains(&"deleting"),
            sandbox_ready: !flags.contains(&"nosandbox"),
        })
    }

    /// What a sync does in the situation `row` describes.
    fn decide(row: &str) -> String {
        with_view(row, decide_view)
    }

    fn decide_view(view: &View) -> String {
        let acts = |acts: &[Act]| -> String {
            if acts.is_empty() {
                return "nothing".into();
            }
            let words: Vec<String> = acts
                .iter()
                .map(|a| match a {
                    Act::Kill(c, why) => format!("kill {c} ({why:?})"),
                    Act::Start(c) => format!("start {c}"),
                })
                .collect();
            words.join(", ")
        };
        match compute_pod_actions(view) {
            PodActions::CreateSandbox { starts } => {
                format!("create sandbox, then start {starts:?}")
            }
            PodActions::KillPod => "kill the pod".into(),
            PodActions::Act(a) => acts(&a),
        }
    }

    fn table(rows: &[&str]) -> String {
        let width = rows.iter().map(|r| r.len()).max().unwrap_or(0);
        rows.iter()
            .map(|r| format!("{r:<width$} => {}\n", decide(r)))
            .collect()
    }

    #[test]
    fn compute_pod_actions_table() {
        let rows = [
            // A new pod: the sandbox first, then the first init container or every app container.
            "Always nosandbox | i:none i:none a:none",
            "Always nosandbox | a:none a:none",
            // Init containers one at a time, in order.
            "Always | i:none i:none a:none",
            "Always | i:run i:none a:none",
            "Always | i:exit0 i:none a:none",
            "Always | i:exit0 i:exit0 a:none",
            // A failed init container is retried, unless the pod never restarts anything.
            "Always | i:exit1 i:none a:none",
            "OnFailure | i:exit1 i:none a:none",
            "Never | i:exit1 i:none a:none",
            // A sidecar gates the next container on started, not on exit.
            "Always | s:run i:none a:none",
            "Always | s:run,su? i:none a:none",
            "Always | s:run,su+ i:none a:none",
            "Always | s:run,su- i:none a:none",
            "Always | s:run,su+ a:none",
            // Sidecars are restarted whatever the pod's policy, once the pod is initialized too.
            "Never | s:exit1 a:run",
            "Never | s:exit0 i:exit0 a:run",
            "Always | s:run,lv- a:run",
            "Always | s:run,chg a:run",
            // App containers, by restart policy and exit code.
            "Always | a:exit0 a:run",
            "OnFailure | a:exit0 a:exit1",
            "OnFailure | a:exit0 a:exit0",
            "Never | a:exit1 a:run",
            "Never | a:exit1 a:exit0",
            // Liveness and startup kills restart unless the policy is Never; an image change always does.
            "Always | a:run,lv-",
            "Never | a:run,lv- a:run",
            "Never | a:run,lv-",
            "Always | a:run,su-",
            "Never | a:run,chg",
            // An app container that ran keeps the pod initialized even if init containers are gone.
            "Always | i:none a:run",
            // Deleted: nothing is restarted.
            "Always deleting | a:exit1 a:run",
        ];
        expect![[r#"
            Always nosandbox | i:none i:none a:none => create sandbox, then start [0]
            Always nosandbox | a:none a:none        => create sandbox, then start [0, 1]
            Always | i:none i:none a:none           => start 0
            Always | i:run i:none a:none            => nothing
            Always | i:exit0 i:none a:none          => start 1
            Always | i:exit0 i:exit0 a:none         => start 2
            Always | i:exit1 i:none a:none          => start 0
            OnFailure | i:exit1 i:none a:none       => start 0
            Never | i:exit1 i:none a:none           => kill the pod
            Always | s:run i:none a:none            => start 1
            Always | s:run,su? i:none a:none        => nothing
            Always | s:run,su+ i:none a:none        => start 1
            Always | s:run,su- i:none a:none        => kill 0 (Startup), start 0
            Always | s:run,su+ a:none               => start 1
            Never | s:exit1 a:run                   => start 0
            Never | s:exit0 i:exit0 a:run           => start 0
            Always | s:run,lv- a:run                => kill 0 (Liveness), start 0
            Always | s:run,chg a:run                => kill 0 (Changed), start 0
            Always | a:exit0 a:run                  => start 0
            OnFailure | a:exit0 a:exit1             => start 1
            OnFailure | a:exit0 a:exit0             => kill the pod
            Never | a:exit1 a:run                   => nothing
            Never | a:exit1 a:exit0                 => kill the pod
            Always | a:run,lv-                      => kill 0 (Liveness), start 0
            Never | a:run,lv- a:run                 => kill 0 (Liveness)
            Never | a:run,lv-                       => kill the pod
            Always | a:run,su-                      => kill 0 (Startup), start 0
            Never | a:run,chg                       => kill 0 (Changed), start 0
            Always | i:none a:run                   => nothing
            Always deleting | a:exit1 a:run         => nothing
        "#]]
        .assert_eq(&table(&rows));
    }

    #[test]
    fn compute_init_actions_table() {
        // The init walk alone: whether the pod counts as initialized, and what it starts or kills.
        let rows = [
            "Always | a:none",
            "Always | i:exit0 s:run,su+ a:none",
            "Always | i:exit0 s:run,su? a:none",
            "Always | s:run s:none a:none",
            "Always | s:exit1 s:run a:run",
            "Always | i:exit0 i:run a:none",
        ];
        let mut out = String::new();
        for row in rows {
            let a = with_view(row, compute_init_actions);
            out.push_str(&format!(
                "{row:<36} => initialized={} acts={:?}\n",
                a.initialized, a.acts
            ));
        }
        expect![[r#"
            Always | a:none                      => initialized=true acts=[]
            Always | i:exit0 s:run,su+ a:none    => initialized=true acts=[]
            Always | i:exit0 s:run,su? a:none    => initialized=false acts=[]
            Always | s:run s:none a:none         => initialized=false acts=[Start(1)]
            Always | s:exit1 s:run a:run         => initialized=true acts=[Start(0)]
            Always | i:exit0 i:run a:none        => initialized=false acts=[]
        "#]]
        .assert_eq(&out);
    }

    #[test]
    fn should_restart_table() {
        let mut out = String::new();
        for policy in ["Always", "OnFailure", "Never"] {
            for state in ["none", "exit0", "exit1"] {
                for deleting in ["", " deleting"] {
                    let row = format!("{policy}{deleting} | a:{state}");
                    let restart = with_view(&row, |v| should_restart(v, 0));
                    out.push_str(&format!("{row:<28} => {restart}\n"));
                }
            }
        }
        expect![[r#"
            Always | a:none              => true
            Always deleting | a:none     => false
            Always | a:exit0             => true
            Always deleting | a:exit0    => false
            Always | a:exit1             => true
            Always deleting | a:exit1    => false
            OnFailure | a:none           => true
            OnFailure deleting | a:none  => false
            OnFailure | a:exit0          => false
            OnFailure deleting | a:exit0 => false
            OnFailure | a:exit1          => true
            OnFailure deleting | a:exit1 => false
            Never | a:none               => true
            Never deleting | a:none      => false
            Never | a:exit0              => false
            Never deleting | a:exit0     => false
            Never | a:exit1              => false
            Never deleting | a:exit1     => false
        "#]]
        .assert_eq(&out);
    }
}
