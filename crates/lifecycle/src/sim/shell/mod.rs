//! A small, deterministic, resumable `sh` for what Kubernetes docs, e2e tests and popular charts write
//! in `command`/`args` (`sh -c`, `bash -c`) and exec probes and hooks.
//!
//! The language: simple commands with `NAME=value` prefixes; `;` `&&` `||` `!` `&`; pipelines (each
//! stage's output is the next one's input; the last stage's status counts, or the first failure with
//! `set -o pipefail`); `if`/`elif`/`else`, `while`/`until`, `for x in …`, `for ((…))`, `case … esac`
//! with glob patterns, `break`/`continue`, functions with `return`, `{ …; }` groups and `( … )`
//! subshells (whose variables, traps and options do not leak); parameters (`$X`, `${X:-d}`, `${X:=d}`,
//! `${X:+a}`, `${X:?msg}`, `${#X}`, `${X#p}`, `${X%p}`, `${X/a/b}`, `${X:o:l}`, `$?`, `$$`, `$!`, `$#`,
//! `$0`, `$1…`, `$@`), the container's environment (from [`World::env`]; assignments override it),
//! `$(…)` and backquotes, `$((…))`, `((…))` and `let` arithmetic on wrapping 64-bit integers, single
//! and double quotes, field splitting of unquoted expansions, here-documents, `[ ]`/`test` and
//! `[[ ]]` (globs with `==`, regexes with `=~`), redirections (`>`, `>>`, `<`, `2>&1`, `&>`, `/dev/null`),
//! `set -e` (outside conditions), `-u`, `-x`, `-o pipefail`, `trap` on `TERM`/`INT`/`QUIT`/`WINCH` and
//! `EXIT`, `exec`, `wait [PID]`, `kill [-SIG] PID|%N`, `read`, `shift`, `eval`, `source`/`.`.
//! Background jobs (`cmd &`, at most 16) are continuations of their own stepped in lockstep with the
//! shell, and die with it.
//!
//! The programs (see [`programs`]) are a library that plain argv commands use too: `sleep`, `tail -f`,
//! `cat`/`head`/`grep`/`wc`/`tr`/`cut`/`sort`/`seq`/`expr`, file commands on the simulated files,
//! `echo`/`printf`/`env`/`hostname`/`date`, DNS lookups, `wget`/`curl`/`nc` against [`World`]'s
//! network, `timeout`, `stress` against the memory limit, inline `python -c`-style interpreters.
//! A command outside the library succeeds at once, with a note naming it; [`knows`] tells which
//! programs the library has.
//!
//! The executor runs until the script needs simulated time (a sleep, a `wait`, a job) and yields, so
//! files written by other containers are seen when they appear. It is bounded: every step counts
//! against a per-resume budget (a script that never sleeps is let through a second of simulated time
//! per budget), and nesting, jobs, variable and output sizes are capped, with a note when a cap hits.
//!
//! Signals follow PID-1 rules: a shell running as PID 1 without a trap ignores SIGTERM, SIGINT,
//! SIGQUIT and SIGWINCH; not PID 1 (`shareProcessNamespace: true`), an untrapped TERM/INT/QUIT ends it
//! at once with 128+signo. A trap's handler runs at once during `wait` (which returns 128+signo), but
//! only after the current foreground command (a `sleep`) ends.

mod arith;
mod expand;
mod parse;
mod pattern;
mod programs;
#[cfg(test)]
mod tests;

use super::time::Ms;
use super::trace::{DefaultAction, Signal};
use crate::limits;
pub use parse::Script;
use parse::{parse_into, Node, RKind, Redir};
pub use programs::knows;
use std::collections::{BTreeMap, BTreeSet};

/// Why a connection from a container failed, as the tools report it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetError {
    /// The name does not resolve (busybox `wget`: "bad address"; `curl`: exit 6 "Could not resolve host").
    NoSuchHost,
    /// The address resolves but nothing listens on that port ("Connection refused"; `curl` exit 7).
    Refused,
}

/// What a script's commands can see and touch besides the executor's own state. The runtime
/// implements it for one container instance: its files through its volume mounts, its environment,
/// and the network as seen from the pod (this pod's containers on `localhost`, the world's Services).
/// Tests implement it with plain maps.
pub trait World {
    /// A file or directory exists at `path` (directories are implied by the files under them).
    fn exists(&self, path: &str) -> bool;
    /// A file's content; `None` if there is no such file. Files Podstep places (service-account
    /// token files, ConfigMap and Secret volumes, the downward API) have their real content.
    fn read(&self, path: &str) -> Option<String>;
    /// Writes `data` to `path` (appends with `append`), creating the file.
    fn write(&mut self, path: &str, data: &str, append: bool);
    /// Creates an empty file if none exists (`touch`, `mkdir`); an existing one keeps its content.
    fn create(&mut self, path: &str) {
        if !self.exists(path) {
            self.write(path, "", false);
        }
    }
    fn remove(&mut self, path: &str);
    /// `path` would be one of the image's own files, and Podstep does not know that image's
    /// contents: a command that reads it assumes it is there (and says so in a note).
    fn maybe_in_image(&self, path: &str) -> bool;
    /// A variable of the container's environment (`env`, `envFrom`, and what the kubelet adds:
    /// `HOSTNAME`, `KUBERNETES_SERVICE_HOST`, …).
    fn env(&self, name: &str) -> Option<String>;
    /// The container's `limits.memory` in bytes.
    fn memory_limit(&self) -> Option<u64>;
    /// The address `host` resolves to from this pod, if it resolves.
    fn resolve(&self, host: &str) -> Option<String>;
    /// Opens a TCP connection to `host:port`.
    fn connect(&self, host: &str, port: u16) -> Result<(), NetError>;
    /// An HTTP GET of `path` on `host:port`: the status code the server answers.
    fn http_get(&self, host: &str, port: u16, path: &str) -> Result<u16, NetError>;
}

/// Why the executor stopped running.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Yield {
    /// Call [`Exec::resume`] again at this time.
    Until(Ms),
    /// Blocked for ever (e.g. `sleep infinity`, `wait` with nothing to wait for that never ends).
    Forever,
    /// The process exited with this code.
    Exit(i32),
    /// The process allocated more than the container's `limits.memory`: the kernel OOM-kills it.
    OomKilled,
}

use crate::limits::{
    SHELL_MAX_DEPTH as MAX_DEPTH, SHELL_MAX_JOBS as MAX_JOBS,
    SHELL_MAX_STEPS_PER_RESUME as MAX_STEPS_PER_RESUME, SHELL_MAX_VARS as MAX_VARS,
};

/// A signal from a `trap` or `kill` operand: a name (`TERM`, `SIGTERM`, `term`) or a number;
/// `EXIT` (0) is the shell's own exit, not a signal.
fn parse_signal(s: &str) -> Option<i32> {
    if let Ok(n) = s.parse::<i32>() {
        return (0..=64).contains(&n).then_some(n);
    }
    if s.eq_ignore_ascii_case("EXIT") {
        return Some(0);
    }
    Signal::from_name(s).map(|sig| i32::from(sig.number()))
}

fn signal_of(n: i32) -> Option<Signal> {
    Signal::from_number(n.into())
}

/// The shell's variables over the container's environment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Vars {
    set: BTreeMap<String, String>,
    /// Removed by `unset`, so the environment's value no longer shows through.
    unset: BTreeSet<String>,
    exported: BTreeSet<String>,
}

impl Vars {
    fn get(&self, name: &str, world: &dyn World) -> Option<String> {
        if let Some(v) = self.set.get(name) {
            return Some(v.clone());
        }
        if self.unset.contains(name) {
            return None;
        }
        world.env(name)
    }
    fn exported(&self, name: &str, world: &dyn World) -> bool {
        self.exported.contains(name) || (!self.unset.contains(name) && world.env(name).is_some())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Dest {
    /// The container's log (what `kubectl logs` shows; Podstep keeps none of it).
    Log,
    Null,
    File(String),
    Buf(usize),
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Io {
    out: Dest,
    err: Dest,
    input: Option<usize>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Opts {
    errexit: bool,
    nounset: bool,
    pipefail: bool,
    xtrace: bool,
}

/// What a subshell restores when it ends.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Saved {
    vars: Vars,
    funcs: BTreeMap<String, usize>,
    traps: Vec<(Signal, Option<usize>)>,
    exit_trap: Option<usize>,
    opts: Opts,
    args: Vec<String>,
    arg0: String,
    is_shell: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Frame {
    Run(usize),
    /// Continue a list at item `next`.
    List {
        node: usize,
        next: usize,
    },
    /// After the left side of `&&` / `||`.
    AndThen(usize),
    OrElse(usize),
    Not,
    /// Leaves a condition (where `set -e` does not apply).
    Cond,
    /// After a loop's condition (`body` runs if it allows) or after its body (re-check).
    LoopCond(usize),
    LoopBody(usize),
    IfCond {
        node: usize,
        branch: usize,
    },
    For {
        node: usize,
        items: Vec<String>,
        next: usize,
    },
    /// Before a `for ((…))` loop's condition (`step`: after a body, so the step runs first).
    ArithFor {
        node: usize,
        step: bool,
    },
    /// After pipeline stage `stage`, whose output is in `buf`.
    Pipe {
        node: usize,
        stage: usize,
        buf: usize,
        input: Option<usize>,
        fail: i32,
    },
    /// After a pipeline's last stage.
    PipeEnd {
        input: Option<usize>,
        fail: i32,
    },
    /// Ends a redirection's scope.
    PopIo {
        input: Option<usize>,
    },
    /// Returns from a function: the caller's positional parameters.
    Func(Vec<String>),
    /// Returns from `source`.
    Source,
    Subshell(Box<Saved>),
    /// After a trap handler: the status it interrupted.
    Trap(i32),
    /// After the EXIT trap: the status the shell exits with.
    ExitWith(i32),
}

/// A foreground command the shell waits for.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Fg {
    /// Ends at `until` (`None`: never) with `status`.
    Sleep { until: Option<Ms>, status: i32 },
    /// `wait`: for job `pid`, or for all (`any`: for the next one).
    Wait { pid: Option<u32>, any: bool },
    /// The process is OOM-killed at this time.
    Oom(Ms),
    /// A command `timeout` runs as a process of its own.
    Child {
        exec: Box<Exec>,
        next: Option<Ms>,
        deadline: Option<Ms>,
        code: i32,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum JobRun {
    /// `sleep N &`: ends then (`None`: never).
    Sleep(Option<Ms>),
    /// Anything else: its own executor, and when it next needs to run (`None`: never).
    Exec(Box<Exec>, Option<Ms>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Job {
    pid: u32,
    number: usize,
    run: JobRun,
    status: Option<i32>,
}

/// A running script: a continuation stack over the script's arena.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exec {
    script: Script,
    stack: Vec<Frame>,
    status: i32,
    /// Parsed texts (trap handlers, `eval`, `source`, `$(…)`, `sh -c`) by source: their roots.
    parsed: BTreeMap<String, usize>,
    vars: Vars,
    funcs: BTreeMap<String, usize>,
    args: Vec<String>,
    arg0: String,
    opts: Opts,
    /// Directories `mkdir` made (the files of [`World`] do not say which paths are directories).
    dirs: BTreeSet<String>,
    io: Vec<Io>,
    bufs: Vec<Option<String>>,
    /// Inputs being read: content and read position.
    inputs: Vec<Option<(String, usize)>>,
    /// The handlers set by `trap` (`None`: ignored, `trap '' SIG`).
    traps: Vec<(Signal, Option<usize>)>,
    exit_trap: Option<usize>,
    /// Trapped signals that arrived during a foreground command; handled when it ends.
    trap_pending: Vec<Signal>,
    fg: Option<Fg>,
    jobs: Vec<Job>,
    jobs_started: usize,
    next_pid: u32,
    last_bg: Option<u32>,
    /// Inside this many conditions (`if`, `while`, `&&`, `!`…), where `set -e` does not apply.
    cond_depth: usize,
    /// Functions, subshells, `source` and `eval` entered; plus `depth`, under [`MAX_DEPTH`].
    nest: usize,
    /// How many executors (jobs, `$(…)`) this one runs inside.
    depth: usize,
    steps_left: usize,
    /// The exit status once the process ended.
    dead: Option<i32>,
    oom: bool,
    /// The status of the last `$(…)` of the current command.
    subst_status: Option<i32>,
    /// `exec` with only redirections: they stay for the rest of the script.
    keep_io: bool,
    shell_pid: u32,
    /// False after `exec` replaced the shell: then no trap can exist.
    pub is_shell: bool,
    /// The process is PID 1 of its container, so the kernel drops signals it has no handler for.
    /// False with `shareProcessNamespace: true`, where the pause container is PID 1.
    pub pid1: bool,
    /// What the script did that Podstep assumed something about (an unknown command, a file taken
    /// to be in the image), for the trace's notes; drained by [`Exec::take_notes`].
    notes: Vec<String>,
    noted: BTreeSet<String>,
}

impl Exec {
    pub fn new(script: Script, is_shell: bool) -> Exec {
        let root = script.root;
        Exec {
            script,
            stack: vec![Frame::Run(root)],
            status: 0,
            parsed: BTreeMap::new(),
            vars: Vars::default(),
            funcs: BTreeMap::new(),
            args: Vec::new(),
            arg0: "sh".into(),
            opts: Opts::default(),
            dirs: BTreeSet::new(),
            io: vec![Io {
                out: Dest::Log,
                err: Dest::Log,
                input: None,
            }],
            bufs: Vec::new(),
            inputs: Vec::new(),
            traps: Vec::new(),
            exit_trap: None,
            trap_pending: Vec::new(),
            fg: None,
            jobs: Vec::new(),
            jobs_started: 0,
            next_pid: 10,
            last_bg: None,
            cond_depth: 0,
            nest: 0,
            depth: 0,
            steps_left: MAX_STEPS_PER_RESUME,
            dead: None,
            oom: false,
            subst_status: None,
            keep_io: false,
            shell_pid: 1,
            is_shell,
            pid1: true,
            notes: Vec::new(),
            noted: BTreeSet::new(),
        }
    }

    /// What the script assumed since the last call (each note once per run).
    pub fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notes)
    }

    fn note(&mut self, note: String) {
        if self.noted.len() < 256 && self.noted.insert(note.clone()) {
            self.notes.push(note);
        }
    }

    fn pid(&self) -> u32 {
        if self.pid1 && self.depth == 0 {
            1
        } else {
            self.shell_pid.max(2)
        }
    }

    /// A copy of this shell that runs `root` as a process of its own (a job, a `$(…)`): variables,
    /// functions and options are copied, traps are not.
    fn fork(&self, root: usize) -> Exec {
        let base = self.io.last().cloned().map(|io| Io {
            out: match io.out {
                Dest::Buf(_) => Dest::Null,
                d => d,
            },
            err: match io.err {
                Dest::Buf(_) => Dest::Null,
                d => d,
            },
            input: None,
        });
        let mut e = Exec::new(self.script.clone(), true);
        e.stack = vec![Frame::Run(root)];
        e.status = self.status;
        e.parsed = self.parsed.clone();
        e.vars = self.vars.clone();
        e.funcs = self.funcs.clone();
        e.args = self.args.clone();
        e.arg0 = self.arg0.clone();
        e.opts = self.opts;
        e.dirs = self.dirs.clone();
        e.io = base.into_iter().collect();
        e.depth = self.depth + 1;
        e.nest = self.nest;
        e.pid1 = false;
        e.shell_pid = self.pid();
        e.noted = self.noted.clone();
        e.next_pid = self.next_pid + 100;
        e
    }

    fn merge_notes(&mut self, notes: Vec<String>) {
        for n in notes {
            self.note(n);
        }
    }

    /// Parses `src` into this shell's arena (once per distinct text).
    fn parse_cached(&mut self, src: &str) -> Result<usize, String> {
        if let Some(&root) = self.parsed.get(src) {
            return Ok(root);
        }
        let root = parse_into(src, &mut self.script.nodes)?;
        if src.len() <= 4096 && self.parsed.len() < 1024 {
            self.parsed.insert(src.to_string(), root);
        }
        Ok(root)
    }

    fn handler(&self, signal: Signal) -> Option<Option<usize>> {
        self.traps
            .iter()
            .find_map(|(s, h)| (*s == signal).then_some(*h))
    }

    /// Delivers SIGTERM at `now`. Returns true if the caller should `resume` now (the trap runs).
    pub fn term(&mut self, now: Ms) -> bool {
        self.signal(Signal::TERM, now)
    }

    /// Delivers `signal` at `now`: a shell that trapped it runs its handler (after the current
    /// foreground command); as PID 1 it ignores any signal it did not trap (SIGKILL aside);
    /// otherwise a signal whose default action terminates ends it with 128+signo. Returns true if the caller should `resume` now.
    pub fn signal(&mut self, signal: Signal, now: Ms) -> bool {
        if self.dead.is_some() {
            return false;
        }
        let code = 128 + i32::from(signal.number());
        match self.handler(signal) {
            Some(Some(handler)) => {
                let busy = match &self.fg {
                    Some(Fg::Sleep { until, .. }) => until.is_none_or(|t| t > now),
                    Some(Fg::Child { .. }) | Some(Fg::Oom(_)) => true,
                    _ => false,
                };
                if busy {
                    if !self.trap_pending.contains(&signal) {
                        self.trap_pending.push(signal);
                    }
                    return false;
                }
                if let Some(Fg::Wait { .. }) = self.fg {
                    // `wait` returns 128+signo when a trapped signal arrives.
                    self.fg = None;
                    self.status = code;
                }
                self.push_trap(handler);
                true
            }
            Some(None) => false,
            None => {
                if signal == Signal::KILL {
                    self.dead = Some(137);
                    return true;
                }
                // PID 1 gets no default action at all; SIGSTOP's stop lasts until the SIGKILL.
                if self.pid1 || signal.default_action() != DefaultAction::Terminate {
                    return false;
                }
                self.dead = Some(code);
                self.fg = None;
                true
            }
        }
    }

    fn push_trap(&mut self, handler: usize) {
        // The handler runs as its own list; the shell then continues where it was.
        self.stack.push(Frame::Trap(self.status));
        self.stack.push(Frame::Run(handler));
    }

    /// Runs from `now` until the script needs time or exits.
    pub fn resume(&mut self, now: Ms, world: &mut dyn World) -> Yield {
        self.steps_left = MAX_STEPS_PER_RESUME;
        self.run_until_blocked(now, world)
    }

    fn run_until_blocked(&mut self, now: Ms, world: &mut dyn World) -> Yield {
        if let Some(code) = self.dead {
            return self.ended(code);
        }
        if self.step_jobs(now, world) {
            self.oom = true;
        }
        loop {
            if self.oom {
                self.dead = Some(137);
                return Yield::OomKilled;
            }
            if let Some(code) = self.dead {
                return self.ended(code);
            }
            if self.fg.is_some() {
                if !self.fg_done(now, world) {
                    if self.oom {
                        continue;
                    }
                    return self.fg_yield();
                }
                continue;
            }
            let Some(frame) = self.stack.pop() else {
                if let Some(h) = self.exit_trap.take() {
                    self.stack.push(Frame::ExitWith(self.status));
                    self.stack.push(Frame::Run(h));
                    continue;
                }
                self.dead = Some(self.status);
                continue;
            };
            if self.steps_left == 0 {
                // A loop that never sleeps spins for ever; let simulated time pass a second at a time.
                self.stack.push(frame);
                return self.wake(Some(now + Ms(1000)));
            }
            self.steps_left -= 1;
            self.step(frame, now, world);
        }
    }

    fn ended(&mut self, code: i32) -> Yield {
        self.jobs.clear();
        self.fg = None;
        if self.oom {
            Yield::OomKilled
        } else {
            Yield::Exit(code)
        }
    }

    /// The earliest of `until` and the jobs' next wake-ups.
    fn wake(&self, until: Option<Ms>) -> Yield {
        let jobs = self
            .jobs
            .iter()
            .filter(|j| j.status.is_none())
            .filter_map(|j| match &j.run {
                JobRun::Sleep(t) => *t,
                JobRun::Exec(_, t) => *t,
            });
        match until.into_iter().chain(jobs).min() {
            Some(t) => Yield::Until(t),
            None => Yield::Forever,
        }
    }

    fn fg_yield(&self) -> Yield {
        match &self.fg {
            Some(Fg::Sleep { until, .. }) => self.wake(*until),
            Some(Fg::Oom(at)) => self.wake(Some(*at)),
            Some(Fg::Child { next, deadline, .. }) => self.wake(match (next, deadline) {
                (Some(a), Some(b)) => Some(*a.min(b)),
                (a, b) => a.or(*b),
            }),
            _ => self.wake(None),
        }
    }

    /// Steps the background jobs to `now`; true if one was OOM-killed (the container's cgroup is).
    fn step_jobs(&mut self, now: Ms, world: &mut dyn World) -> bool {
        let mut notes = Vec::new();
        let mut oom = false;
        for job in self.jobs.iter_mut().filter(|j| j.status.is_none()) {
            match &mut job.run {
                JobRun::Sleep(until) => {
                    if until.is_some_and(|t| t <= now) {
                        job.status = Some(0);
                    }
                }
                JobRun::Exec(e, next) => {
                    if next.is_some_and(|t| t > now) {
                        continue;
                    }
                    let y = e.resume(now, world);
                    notes.extend(e.take_notes());
                    match y {
                        Yield::Exit(c) => job.status = Some(c),
                        Yield::Until(t) => *next = Some(t),
                        Yield::Forever => *next = None,
                        Yield::OomKilled => oom = true,
                    }
                }
            }
        }
        self.merge_notes(notes);
        oom
    }

    /// Whether the foreground command is over (then its status is set).
    fn fg_done(&mut self, now: Ms, world: &mut dyn World) -> bool {
        let Some(fg) = self.fg.take() else {
            return true;
        };
        let status = match fg {
            Fg::Sleep { until, status } => {
                if until.is_none_or(|t| t > now) {
                    self.fg = Some(Fg::Sleep { until, status });
                    return false;
                }
                status
            }
            Fg::Oom(at) => {
                if at <= now {
                    self.oom = true;
                }
                self.fg = Some(Fg::Oom(at));
                return false;
            }
            Fg::Wait { pid, any } => {
                let done = |j: &Job| j.status.is_some();
                let status = match pid {
                    Some(p) => self
                        .jobs
                        .iter()
                        .find(|j| j.pid == p)
                        .map_or(Some(127), |j| j.status),
                    None if any => match self.jobs.iter().position(done) {
                        Some(i) => Some(self.jobs.remove(i).status.unwrap_or(0)),
                        None if self.jobs.is_empty() => Some(127),
                        None => None,
                    },
                    None => self.jobs.iter().all(done).then_some(0),
                };
                let Some(status) = status else {
                    self.fg = Some(Fg::Wait { pid, any });
                    return false;
                };
                match pid {
                    Some(p) => self.jobs.retain(|j| j.pid != p),
                    None if !any => self.jobs.clear(),
                    None => {}
                }
                status
            }
            Fg::Child {
                mut exec,
                next,
                deadline,
                code,
            } => {
                let expired = deadline.is_some_and(|d| d <= now);
                let mut next = next;
                let mut result = None;
                if !expired && next.is_none_or(|t| t <= now) {
                    match exec.resume(now, world) {
                        Yield::Exit(c) => result = Some(c),
                        Yield::Until(t) => next = Some(t),
                        Yield::Forever => next = None,
                        Yield::OomKilled => {
                            self.oom = true;
                            return false;
                        }
                    }
                    let notes = exec.take_notes();
                    self.merge_notes(notes);
                }
                match result {
                    Some(c) => c,
                    None if expired => code,
                    None => {
                        self.fg = Some(Fg::Child {
                            exec,
                            next,
                            deadline,
                            code,
                        });
                        return false;
                    }
                }
            }
        };
        self.status = status;
        for signal in std::mem::take(&mut self.trap_pending) {
            if let Some(Some(h)) = self.handler(signal) {
                self.push_trap(h);
            }
        }
        self.errexit();
        true
    }

    /// `set -e`: a failing command outside a condition ends the shell.
    fn errexit(&mut self) {
        if self.opts.errexit && self.cond_depth == 0 && self.status != 0 {
            self.exit(self.status);
        }
    }

    /// Leaves the innermost subshell, or the shell (after its EXIT trap), with `code`.
    fn exit(&mut self, code: i32) {
        self.fg = None;
        while let Some(frame) = self.stack.pop() {
            if let Frame::Subshell(saved) = frame {
                self.restore(*saved);
                self.status = code;
                return;
            }
            self.leave(frame);
        }
        self.status = code;
        if let Some(h) = self.exit_trap.take() {
            self.stack.push(Frame::ExitWith(code));
            self.stack.push(Frame::Run(h));
        } else {
            self.dead = Some(code);
        }
    }

    /// Undoes what a frame holds when it is popped without running (unwinding).
    fn leave(&mut self, frame: Frame) {
        match frame {
            Frame::Cond => self.cond_depth = self.cond_depth.saturating_sub(1),
            Frame::Pipe { buf, input, .. } => {
                self.io.pop();
                self.free_buf(buf);
                self.free_input(input);
            }
            Frame::PipeEnd { input, .. } | Frame::PopIo { input } => {
                self.io.pop();
                self.free_input(input);
            }
            Frame::Func(args) => {
                self.args = args;
                self.nest = self.nest.saturating_sub(1);
            }
            Frame::Source => self.nest = self.nest.saturating_sub(1),
            Frame::Subshell(saved) => self.restore(*saved),
            _ => {}
        }
    }

    fn save(&self) -> Saved {
        Saved {
            vars: self.vars.clone(),
            funcs: self.funcs.clone(),
            traps: self.traps.clone(),
            exit_trap: self.exit_trap,
            opts: self.opts,
            args: self.args.clone(),
            arg0: self.arg0.clone(),
            is_shell: self.is_shell,
        }
    }

    fn restore(&mut self, s: Saved) {
        self.vars = s.vars;
        self.funcs = s.funcs;
        self.traps = s.traps;
        self.exit_trap = s.exit_trap;
        self.opts = s.opts;
        self.args = s.args;
        self.arg0 = s.arg0;
        self.is_shell = s.is_shell;
        self.nest = self.nest.saturating_sub(1);
    }

    fn too_deep(&mut self, what: &str) -> bool {
        if self.nest + self.depth >= MAX_DEPTH {
            self.note(format!(
                "{what} nested deeper than {MAX_DEPTH} levels: Podstep stops it with status 1"
            ));
            self.status = 1;
            return true;
        }
        false
    }

    /// Runs a subshell `body` (with `saved` restored after it).
    fn subshell(&mut self, body: usize) {
        if self.too_deep("subshells") {
            return;
        }
        let saved = self.save();
        self.nest += 1;
        self.stack.push(Frame::Subshell(Box::new(saved)));
        self.stack.push(Frame::Run(body));
    }

    fn cond(&mut self, node: usize) {
        self.cond_depth += 1;
        self.stack.push(Frame::Cond);
        self.stack.push(Frame::Run(node));
    }

    fn step(&mut self, frame: Frame, now: Ms, world: &mut dyn World) {
        match frame {
            Frame::Run(id) => self.run(id, now, world),
            Frame::List { node, next } => {
                let Some(Node::List(items)) = self.script.nodes.get(node) else {
                    return;
                };
                if let Some(&(item, background)) = items.get(next) {
                    self.stack.push(Frame::List {
                        node,
                        next: next + 1,
                    });
                    if background {
                        self.spawn(item, now, world);
                    } else {
                        self.stack.push(Frame::Run(item));
                    }
                }
            }
            Frame::AndThen(rhs) => {
                if self.status == 0 {
                    self.stack.push(Frame::Run(rhs));
                }
            }
            Frame::OrElse(rhs) => {
                if self.status != 0 {
                    self.stack.push(Frame::Run(rhs));
                }
            }
            Frame::Not => self.status = i32::from(self.status == 0),
            Frame::Cond => self.cond_depth = self.cond_depth.saturating_sub(1),
            Frame::LoopCond(id) => {
                let Some(&Node::Loop { body, until, .. }) = self.script.nodes.get(id) else {
                    return;
                };
                if (self.status == 0) != until {
                    self.stack.push(Frame::LoopBody(id));
                    self.stack.push(Frame::Run(body));
                } else {
                    self.status = 0;
                }
            }
            Frame::LoopBody(id) => {
                let Some(&Node::Loop { cond, .. }) = self.script.nodes.get(id) else {
                    return;
                };
                self.stack.push(Frame::LoopCond(id));
                self.cond(cond);
            }
            Frame::IfCond { node, branch } => {
                let Some(Node::If {
                    branches,
                    otherwise,
                }) = self.script.nodes.get(node)
                else {
                    return;
                };
                if self.status == 0 {
                    let body = branches[branch].1;
                    self.stack.push(Frame::Run(body));
                } else if let Some(&(cond, _)) = branches.get(branch + 1) {
                    self.stack.push(Frame::IfCond {
                        node,
                        branch: branch + 1,
                    });
                    self.cond(cond);
                } else if let Some(o) = *otherwise {
                    self.stack.push(Frame::Run(o));
                } else {
                    self.status = 0;
                }
            }
            Frame::For { node, items, next } => {
                let Some(Node::For { var, body, .. }) = self.script.nodes.get(node) else {
                    return;
                };
                let (var, body) = (var.clone(), *body);
                if let Some(item) = items.get(next) {
                    let item = item.clone();
                    self.assign(&var, item);
                    self.stack.push(Frame::For {
                        node,
                        items,
                        next: next + 1,
                    });
                    self.stack.push(Frame::Run(body));
                }
            }
            Frame::ArithFor { node, step } => {
                let Some(Node::ArithFor {
                    cond,
                    step: step_src,
                    body,
                    ..
                }) = self.script.nodes.get(node)
                else {
                    return;
                };
                let (cond, step_src, body) = (cond.clone(), step_src.clone(), *body);
                if step && self.arith(&step_src, now, world).is_none() {
                    return;
                }
                let go =
                    cond.trim().is_empty() || self.arith(&cond, now, world).is_some_and(|v| v != 0);
                if go {
                    self.stack.push(Frame::ArithFor { node, step: true });
                    self.stack.push(Frame::Run(body));
                }
            }
            Frame::Pipe {
                node,
                stage,
                buf,
                input,
                fail,
            } => {
                self.io.pop();
                self.free_input(input);
                let data = self
                    .bufs
                    .get_mut(buf)
                    .and_then(Option::take)
                    .unwrap_or_default();
                self.free_buf(buf);
                let fail = if self.status != 0 { self.status } else { fail };
                let Some(Node::Pipe(parts)) = self.script.nodes.get(node) else {
                    return;
                };
                let Some(&part) = parts.get(stage + 1) else {
                    return;
                };
                let last = stage + 2 == parts.len();
                let input = Some(self.alloc_input(data));
                let cur = self.io.last().cloned().unwrap_or(Io {
                    out: Dest::Log,
                    err: Dest::Log,
                    input: None,
                });
                if last {
                    self.stack.push(Frame::PipeEnd { input, fail });
                    self.io.push(Io { input, ..cur });
                } else {
                    let buf = self.alloc_buf();
                    self.stack.push(Frame::Pipe {
                        node,
                        stage: stage + 1,
                        buf,
                        input,
                        fail,
                    });
                    self.io.push(Io {
                        out: Dest::Buf(buf),
                        input,
                        ..cur
                    });
                }
                self.stack.push(Frame::Run(part));
            }
            Frame::PipeEnd { input, fail } => {
                self.io.pop();
                self.free_input(input);
                if self.opts.pipefail && self.status == 0 && fail != 0 {
                    self.status = fail;
                }
                self.errexit();
            }
            Frame::PopIo { input } => {
                self.io.pop();
                self.free_input(input);
            }
            Frame::Func(args) => {
                self.args = args;
                self.nest = self.nest.saturating_sub(1);
            }
            Frame::Source => self.nest = self.nest.saturating_sub(1),
            Frame::Subshell(saved) => {
                self.restore(*saved);
                self.errexit();
            }
            Frame::Trap(status) => self.status = status,
            Frame::ExitWith(code) => {
                self.status = code;
                self.dead = Some(code);
            }
        }
    }

    fn alloc_buf(&mut self) -> usize {
        if let Some(i) = self.bufs.iter().position(Option::is_none) {
            self.bufs[i] = Some(String::new());
            return i;
        }
        self.bufs.push(Some(String::new()));
        self.bufs.len() - 1
    }

    fn free_buf(&mut self, i: usize) {
        if let Some(b) = self.bufs.get_mut(i) {
            *b = None;
        }
        while self.bufs.last().is_some_and(Option::is_none) {
            self.bufs.pop();
        }
    }

    fn alloc_input(&mut self, data: String) -> usize {
        if let Some(i) = self.inputs.iter().position(Option::is_none) {
            self.inputs[i] = Some((data, 0));
            return i;
        }
        self.inputs.push(Some((data, 0)));
        self.inputs.len() - 1
    }

    fn free_input(&mut self, i: Option<usize>) {
        if let Some(slot) = i.and_then(|i| self.inputs.get_mut(i)) {
            *slot = None;
        }
        while self.inputs.last().is_some_and(Option::is_none) {
            self.inputs.pop();
        }
    }

    /// Writes to standard output (or error).
    fn write(&mut self, err: bool, s: &str, world: &mut dyn World) {
        let Some(io) = self.io.last() else {
            return;
        };
        let dest = if err { io.err.clone() } else { io.out.clone() };
        match dest {
            Dest::Log | Dest::Null => {}
            Dest::File(p) => world.write(&p, s, true),
            Dest::Buf(b) => {
                if let Some(Some(buf)) = self.bufs.get_mut(b) {
                    let room = limits::MAX_FILE_BYTES.saturating_sub(buf.len());
                    buf.push_str(&s[..floor_char(s, room)]);
                }
            }
        }
    }

    fn out(&mut self, s: &str, world: &mut dyn World) {
        self.write(false, s, world);
    }

    fn err(&mut self, s: &str, world: &mut dyn World) {
        self.write(true, s, world);
    }

    /// All of standard input that is left (`None`: there is none, as with a terminal).
    fn stdin_all(&mut self) -> Option<String> {
        let i = self.io.last()?.input?;
        let (data, pos) = self.inputs.get_mut(i)?.as_mut()?;
        let rest = data.get(*pos..).unwrap_or_default().to_string();
        *pos = data.len();
        Some(rest)
    }

    fn read_line(&mut self) -> Option<String> {
        let i = self.io.last()?.input?;
        let (data, pos) = self.inputs.get_mut(i)?.as_mut()?;
        let rest = data.get(*pos..)?;
        if rest.is_empty() {
            return None;
        }
        let (line, used) = match rest.find('\n') {
            Some(n) => (&rest[..n], n + 1),
            None => (rest, rest.len()),
        };
        let line = line.to_string();
        *pos += used;
        Some(line)
    }

    /// Sets a variable (`NAME+` appends).
    fn assign(&mut self, name: &str, value: String) {
        let (name, append) = match name.strip_suffix('+') {
            Some(n) => (n, true),
            None => (name, false),
        };
        let mut value = if append {
            let mut v = self.vars.set.get(name).cloned().unwrap_or_default();
            v.push_str(&value);
            v
        } else {
            value
        };
        if value.len() > limits::MAX_FILE_BYTES {
            value.truncate(floor_char(&value, limits::MAX_FILE_BYTES));
            self.note(format!(
                "variable {name} grew past {} bytes: Podstep cut it",
                limits::MAX_FILE_BYTES
            ));
        }
        if !self.vars.set.contains_key(name) && self.vars.set.len() >= MAX_VARS {
            self.note(format!(
                "more than {MAX_VARS} variables: Podstep ignores {name}"
            ));
            return;
        }
        self.vars.unset.remove(name);
        self.vars.set.insert(name.to_string(), value);
    }

    fn get_var(&self, name: &str, world: &dyn World) -> Option<String> {
        self.vars.get(name, world)
    }

    /// A path made absolute against `$PWD`, with `.`, `..` and repeated `/` resolved.
    fn abs(&self, p: &str, world: &dyn World) -> String {
        let joined = if p.starts_with('/') {
            p.to_string()
        } else {
            let cwd = self.get_var("PWD", world).unwrap_or_else(|| "/".into());
            format!("{cwd}/{p}")
        };
        let mut parts: Vec<&str> = Vec::new();
        for part in joined.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                x => parts.push(x),
            }
        }
        let mut out = String::from("/");
        out.push_str(&parts.join("/"));
        if p.ends_with('/') && out.len() > 1 {
            out.push('/');
        }
        out
    }

    /// Evaluates arithmetic (after expanding `$` in it): `None` on an error, with a note and status 1.
    fn arith(&mut self, src: &str, now: Ms, world: &mut dyn World) -> Option<i64> {
        let text = match self.expand_heredoc(src, now, world) {
            Ok(t) => t,
            Err(e) => {
                self.expand_failed(e, world);
                return None;
            }
        };
        let mut scope = Scope { exec: self, world };
        match arith::eval(&text, &mut scope) {
            Ok(v) => Some(v),
            Err(e) => {
                self.note(format!("arithmetic `{text}` failed: {e} (status 1)"));
                self.status = 1;
                None
            }
        }
    }

    fn run(&mut self, id: usize, now: Ms, world: &mut dyn World) {
        let Some(node) = self.script.nodes.get(id).cloned() else {
            return;
        };
        match node {
            Node::List(_) => {
                self.status = 0;
                self.stack.push(Frame::List { node: id, next: 0 })
            }
            Node::And(l, r) => {
                self.stack.push(Frame::AndThen(r));
                self.cond(l);
            }
            Node::Or(l, r) => {
                self.stack.push(Frame::OrElse(r));
                self.cond(l);
            }
            Node::Not(inner) => {
                self.stack.push(Frame::Not);
                self.cond(inner);
            }
            Node::Pipe(parts) => {
                let buf = self.alloc_buf();
                let cur = self.io.last().cloned().unwrap_or(Io {
                    out: Dest::Log,
                    err: Dest::Log,
                    input: None,
                });
                self.stack.push(Frame::Pipe {
                    node: id,
                    stage: 0,
                    buf,
                    input: None,
                    fail: 0,
                });
                self.io.push(Io {
                    out: Dest::Buf(buf),
                    ..cur
                });
                self.stack.push(Frame::Run(parts[0]));
            }
            Node::Loop { cond, .. } => {
                self.status = 0;
                self.stack.push(Frame::LoopCond(id));
                self.cond(cond);
            }
            Node::If { branches, .. } => {
                self.stack.push(Frame::IfCond {
                    node: id,
                    branch: 0,
                });
                self.cond(branches[0].0);
            }
            Node::For { items, .. } => {
                let items = match items {
                    Some(words) => match self.expand_words(&words, now, world) {
                        Ok(v) => v,
                        Err(e) => return self.expand_failed(e, world),
                    },
                    None => self.args.clone(),
                };
                self.status = 0;
                self.stack.push(Frame::For {
                    node: id,
                    items,
                    next: 0,
                });
            }
            Node::ArithFor { init, .. } => {
                self.status = 0;
                if init.trim().is_empty() || self.arith(&init, now, world).is_some() {
                    self.stack.push(Frame::ArithFor {
                        node: id,
                        step: false,
                    });
                }
            }
            Node::Case { word, arms } => {
                let w = match self.expand_one(&word, now, world) {
                    Ok(w) => w,
                    Err(e) => return self.expand_failed(e, world),
                };
                self.status = 0;
                for (pats, body) in arms {
                    for p in pats {
                        let p = match self.expand_pattern(&p, now, world) {
                            Ok(p) => p,
                            Err(e) => return self.expand_failed(e, world),
                        };
                        if pattern::glob(&p, &w) {
                            self.stack.push(Frame::Run(body));
                            return;
                        }
                    }
                }
            }
            Node::Func { name, body } => {
                self.funcs.insert(name, body);
                self.status = 0;
            }
            Node::Group(body) => self.stack.push(Frame::Run(body)),
            Node::Subshell(body) => self.subshell(body),
            Node::Redirected { inner, redirs } => match self.push_redirs(&redirs, now, world) {
                Ok(input) => {
                    self.stack.push(Frame::PopIo { input });
                    self.stack.push(Frame::Run(inner));
                }
                Err(()) => {
                    self.status = 1;
                    self.errexit();
                }
            },
            Node::Test(words) => {
                let r = self.dbl_bracket(&words, now, world);
                self.status = match r {
                    Ok(b) => i32::from(!b),
                    Err(e) => {
                        self.note(format!("[[ {} ]]: {e} (status 2)", words.join(" ")));
                        2
                    }
                };
                self.errexit();
            }
            Node::Arith(src) => {
                if let Some(v) = self.arith(&src, now, world) {
                    self.status = i32::from(v == 0);
                }
                self.errexit();
            }
            Node::Argv(words) => {
                self.command(words, Vec::new(), now, world);
            }
            Node::Cmd {
                assigns,
                words,
                redirs,
            } => {
                self.subst_status = None;
                let argv = match self.expand_words(&words, now, world) {
                    Ok(v) => v,
                    Err(e) => return self.expand_failed(e, world),
                };
                let mut values = Vec::new();
                for (name, raw) in &assigns {
                    match self.expand_one(raw, now, world) {
                        Ok(v) => values.push((name.clone(), v)),
                        Err(e) => return self.expand_failed(e, world),
                    }
                }
                if argv.is_empty() {
                    for (n, v) in values {
                        self.assign(&n, v);
                    }
                    match self.push_redirs(&redirs, now, world) {
                        Ok(input) => {
                            if !redirs.is_empty() {
                                self.io.pop();
                                self.free_input(input);
                            }
                            self.status = self.subst_status.unwrap_or(0);
                        }
                        Err(()) => self.status = 1,
                    }
                    self.errexit();
                    return;
                }
                let input = match self.push_redirs(&redirs, now, world) {
                    Ok(i) => i,
                    Err(()) => {
                        self.status = 1;
                        self.errexit();
                        return;
                    }
                };
                // `VAR=value cmd`: the variables hold for the command only.
                let saved: Vec<(String, Option<String>, bool)> = values
                    .iter()
                    .map(|(n, _)| {
                        (
                            n.clone(),
                            self.vars.set.get(n).cloned(),
                            self.vars.exported.contains(n),
                        )
                    })
                    .collect();
                for (n, v) in values {
                    self.vars.exported.insert(n.clone());
                    self.assign(&n, v);
                }
                let depth = self.stack.len();
                self.keep_io = false;
                self.command(argv, Vec::new(), now, world);
                for (n, old, exported) in saved {
                    match old {
                        Some(v) => {
                            self.vars.set.insert(n.clone(), v);
                        }
                        None => {
                            self.vars.set.remove(&n);
                        }
                    }
                    if !exported {
                        self.vars.exported.remove(&n);
                    }
                }
                if !redirs.is_empty() {
                    if self.keep_io {
                        // `exec >log 2>&1`: the redirections now hold for the whole script.
                        if let Some(top) = self.io.pop() {
                            if let Some(base) = self.io.last_mut() {
                                *base = top;
                            }
                        }
                    } else if self.stack.len() > depth {
                        self.stack.insert(depth, Frame::PopIo { input });
                    } else if self.stack.len() == depth {
                        self.io.pop();
                        self.free_input(input);
                    }
                }
            }
        }
    }

    /// An expansion failed: `set -u` and `${X:?}` end the shell, others fail the command.
    fn expand_failed(&mut self, e: expand::Error, world: &mut dyn World) {
        match e {
            expand::Error::Fatal(msg) => {
                self.err(&format!("sh: {msg}\n"), world);
                self.note(format!("{msg}: the shell exits 1"));
                self.exit(1);
            }
            expand::Error::Fail(msg) => {
                if !msg.is_empty() {
                    self.note(msg);
                }
                self.status = 1;
                self.errexit();
            }
        }
    }

    /// Applies redirections as a new I/O scope (pushed on `self.io`); the input it opened, if any.
    /// `Err` when a file cannot be opened (the message is written, the scope not pushed).
    fn push_redirs(
        &mut self,
        redirs: &[Redir],
        now: Ms,
        world: &mut dyn World,
    ) -> Result<Option<usize>, ()> {
        if redirs.is_empty() {
            return Ok(None);
        }
        let mut io = self.io.last().cloned().unwrap_or(Io {
            out: Dest::Log,
            err: Dest::Log,
            input: None,
        });
        let mut opened: Option<usize> = None;
        for r in redirs {
            match r.kind {
                RKind::Out | RKind::Append => {
                    let target = match self.expand_one(&r.target, now, world) {
                        Ok(t) => t,
                        Err(e) => {
                            self.expand_failed(e, world);
                            self.free_input(opened);
                            return Err(());
                        }
                    };
                    let dest = match target.as_str() {
                        "/dev/null" => Dest::Null,
                        "/dev/stdout" | "/proc/self/fd/1" => io.out.clone(),
                        "/dev/stderr" | "/proc/self/fd/2" => io.err.clone(),
                        "/proc/1/fd/1" | "/proc/1/fd/2" | "/dev/console" | "/dev/tty" => Dest::Log,
                        t => {
                            let path = self.abs(t, world);
                            if r.kind == RKind::Out {
                                world.write(&path, "", false);
                            } else {
                                world.create(&path);
                            }
                            Dest::File(path)
                        }
                    };
                    match r.fd {
                        2 => io.err = dest,
                        3 => {
                            io.err = dest.clone();
                            io.out = dest;
                        }
                        0 => {}
                        _ => io.out = dest,
                    }
                }
                RKind::Dup => {
                    let dest = match r.target.as_str() {
                        "1" => io.out.clone(),
                        "2" => io.err.clone(),
                        _ => Dest::Null,
                    };
                    match r.fd {
                        2 => io.err = dest,
                        1 => io.out = dest,
                        _ => {}
                    }
                }
                RKind::In | RKind::Here(_) | RKind::HereStr => {
                    let data = match r.kind {
                        RKind::In => {
                            let target = match self.expand_one(&r.target, now, world) {
                                Ok(t) => t,
                                Err(e) => {
                                    self.expand_failed(e, world);
                                    self.free_input(opened);
                                    return Err(());
                                }
                            };
                            match self.read_file(&target, "sh", world) {
                                Ok(d) => d,
                                Err(_) => {
                                    self.free_input(opened);
                                    return Err(());
                                }
                            }
                        }
                        RKind::Here(true) => match self.expand_heredoc(&r.target, now, world) {
                            Ok(d) => d,
                            Err(e) => {
                                self.expand_failed(e, world);
                                self.free_input(opened);
                                return Err(());
                            }
                        },
                        RKind::HereStr => match self.expand_one(&r.target, now, world) {
                            Ok(d) => d + "\n",
                            Err(e) => {
                                self.expand_failed(e, world);
                                self.free_input(opened);
                                return Err(());
                            }
                        },
                        _ => r.target.clone(),
                    };
                    self.free_input(opened);
                    let i = self.alloc_input(data);
                    opened = Some(i);
                    io.input = Some(i);
                }
            }
        }
        self.io.push(io);
        Ok(opened)
    }

    /// A file's content for `tool`: an image file Podstep cannot see is assumed (empty, with a note);
    /// a missing one is the tool's error message and status 1.
    fn read_file(&mut self, path: &str, tool: &str, world: &mut dyn World) -> Result<String, i32> {
        if path == "-" {
            return Ok(self.stdin_all().unwrap_or_default());
        }
        if path == "/dev/null" {
            return Ok(String::new());
        }
        let abs = self.abs(path, world);
        if let Some(c) = world.read(&abs) {
            return Ok(c);
        }
        if self.dirs.contains(&abs) || world.exists(&abs) {
            self.err(&format!("{tool}: read error: Is a directory\n"), world);
            self.status = 1;
            return Err(1);
        }
        if world.maybe_in_image(&abs) {
            self.note(format!(
                "assumed {abs} is there (Podstep does not know the files of this image or volume)"
            ));
            return Ok(String::new());
        }
        self.err(
            &format!("{tool}: can't open '{path}': No such file or directory\n"),
            world,
        );
        self.status = 1;
        Err(1)
    }

    /// Runs a command from its final words (`exec`, `timeout` and the like call it again).
    fn command(&mut self, argv: Vec<String>, _prefix: Vec<String>, now: Ms, world: &mut dyn World) {
        let Some(name) = argv.first().cloned() else {
            self.status = 0;
            return;
        };
        if let Some(&body) = self.funcs.get(&name) {
            if self.too_deep("functions") {
                return;
            }
            let old = std::mem::replace(&mut self.args, argv[1..].to_vec());
            self.nest += 1;
            self.stack.push(Frame::Func(old));
            self.stack.push(Frame::Run(body));
            return;
        }
        let depth = self.stack.len();
        self.status = 0;
        self.program(&argv, now, world);
        if self.fg.is_none() && self.stack.len() <= depth && self.dead.is_none() {
            self.errexit();
        }
    }

    /// Starts `node` in the background.
    fn spawn(&mut self, node: usize, now: Ms, world: &mut dyn World) {
        let limit = match self.depth {
            0 => MAX_JOBS,
            1 => 4,
            _ => 0,
        };
        let running = self.jobs.iter().filter(|j| j.status.is_none()).count();
        if running >= limit {
            self.note(format!(
                "more than {limit} background jobs at once: Podstep fails the next one (status 1), as fork would"
            ));
            self.status = 1;
            return;
        }
        // `sleep N &` needs no executor of its own.
        let sleep = match self.script.nodes.get(node) {
            Some(Node::Cmd {
                assigns,
                words,
                redirs,
            }) if assigns.is_empty()
                && redirs.is_empty()
                && words.first().is_some_and(|w| w == "sleep") =>
            {
                let words = words.clone();
                match self.expand_words(&words, now, world) {
                    Ok(argv) => programs::sleep_duration(&argv[1..]).ok(),
                    Err(_) => None,
                }
            }
            _ => None,
        };
        let run = match sleep {
            Some(d) => JobRun::Sleep(d.map(|d| now + d)),
            None => {
                let mut child = self.fork(node);
                let y = child.resume(now, world);
                let notes = child.take_notes();
                self.merge_notes(notes);
                match y {
                    Yield::Exit(c) => {
                        self.push_job(JobRun::Sleep(Some(now)), Some(c));
                        return;
                    }
                    Yield::OomKilled => {
                        self.oom = true;
                        return;
                    }
                    Yield::Until(t) => JobRun::Exec(Box::new(child), Some(t)),
                    Yield::Forever => JobRun::Exec(Box::new(child), None),
                }
            }
        };
        self.push_job(run, None);
    }

    fn push_job(&mut self, run: JobRun, status: Option<i32>) {
        if self.jobs.len() >= 2 * MAX_JOBS {
            if let Some(i) = self.jobs.iter().position(|j| j.status.is_some()) {
                self.jobs.remove(i);
            }
        }
        self.jobs_started += 1;
        let pid = self.next_pid;
        self.next_pid = self.next_pid.saturating_add(1);
        self.jobs.push(Job {
            pid,
            number: self.jobs_started,
            run,
            status,
        });
        self.last_bg = Some(pid);
        self.status = 0;
    }
}

/// Arithmetic's view of the shell's variables.
struct Scope<'a> {
    exec: &'a mut Exec,
    world: &'a mut dyn World,
}

impl arith::Vars for Scope<'_> {
    fn get(&mut self, name: &str) -> Option<String> {
        self.exec.get_var(name, self.world)
    }
    fn set(&mut self, name: &str, value: i64) {
        self.exec.assign(name, value.to_string());
    }
}

/// The largest index ≤ `max` that is a char boundary of `s`.
pub(crate) fn floor_char(s: &str, max: usize) -> usize {
    if s.len() <= max {
        return s.len();
    }
    (0..=max)
        .rev()
        .find(|&i| s.is_char_boundary(i))
        .unwrap_or(0)
}

/// `sleep` arguments: seconds with an optional `s`/`m`/`h`/`d` suffix, decimals, compounds such as
/// `1h30m`; `infinity` (and anything unreadable) is `None`.
pub fn parse_sleep(arg: &str) -> Option<Ms> {
    programs::sleep_arg(arg).ok().flatten()
}
