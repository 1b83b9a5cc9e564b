//! A small, deterministic `sh` for the idioms of Kubernetes docs and e2e tests.
//!
//! Manifests say what a container runs, not how long it runs, so the simulator reads `sh -c` scripts:
//! `sleep N`, `sleep N & wait`, `exit N`, `;` `&&` `||` `!`, `trap "…" TERM`, `while`/`until` loops,
//! `if`, `[ -f f ]`/`test -f`, `touch`/`rm`/`cat`/`ls` of files, `echo … > f`, `true`, `false`, `exec`.
//! Anything else succeeds at once. The executor is resumable: it runs until the script needs simulated
//! time (a sleep, a `wait`) and yields, so files written by other containers are seen when they appear.
//!
//! Signals follow PID-1 rules: a shell running as PID 1 without a trap ignores SIGTERM; with a trap the
//! handler runs at once during `wait`, but only after the current foreground `sleep` ends.

mod parse;

use super::time::Ms;
use super::trace::Signal;
pub use parse::Script;

/// The signals a script's `trap` can catch that Podstep ever sends (SIGKILL cannot be caught).
const TRAPPABLE: [Signal; 4] = [Signal::Term, Signal::Quit, Signal::Int, Signal::Winch];
use parse::{shift, Node};

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
    /// After a loop's condition (`body` runs if it allows) or after its body (re-check).
    LoopCond(usize),
    LoopBody(usize),
    IfCond {
        node: usize,
        branch: usize,
    },
    /// Restores the status that a trap handler interrupted.
    TrapDone,
}

/// A running script: a continuation stack over the script's arena.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exec {
    script: Script,
    stack: Vec<Frame>,
    status: i32,
    /// A foreground `sleep` ends at this time.
    sleeping_until: Option<Ms>,
    /// `wait` is blocked until background jobs end at this time (`None`: for ever).
    waiting: Option<Option<Ms>>,
    /// Background `sleep`s end at this time (`None` inside: `sleep infinity &`).
    background_until: Option<Option<Ms>>,
    /// The handlers set by `trap`, one per signal (a script, parsed).
    traps: Vec<(Signal, Script)>,
    /// A trapped signal arrived while in a foreground sleep; its handler runs when the sleep ends.
    trap_pending: Option<Signal>,
    /// False after `exec` replaced the shell: then no trap can exist.
    pub is_shell: bool,
    /// The process is PID 1 of its container, so the kernel drops signals it has no handler for.
    /// False with `shareProcessNamespace: true`, where the pause container is PID 1.
    pub pid1: bool,
    /// What the script did that Podstep assumed something about (an unknown command, a file taken
    /// to be in the image), for the trace's notes; drained by [`Exec::take_notes`].
    notes: Vec<String>,
}

/// Longest one `resume` may run without simulated time passing: a loop that never sleeps spins for
/// ever, and is let through a second of simulated time per this many steps (its file effects at
/// sub-second granularity are not observable by probes anyway).
const MAX_STEPS_PER_RESUME: usize = 1_000;

impl Exec {
    pub fn new(script: Script, is_shell: bool) -> Exec {
        let root = script.root;
        Exec {
            script,
            stack: vec![Frame::Run(root)],
            status: 0,
            sleeping_until: None,
            waiting: None,
            background_until: None,
            traps: Vec::new(),
            trap_pending: None,
            is_shell,
            pid1: true,
            notes: Vec::new(),
        }
    }

    /// What the script assumed since the last call (each note once per run).
    pub fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notes)
    }

    fn handler(&self, signal: Signal) -> Option<Script> {
        self.traps
            .iter()
            .find_map(|(s, h)| (*s == signal).then(|| h.clone()))
    }

    /// Delivers SIGTERM at `now`. Returns true if the caller should `resume` now (the trap runs).
    pub fn term(&mut self, now: Ms) -> bool {
        self.signal(Signal::Term, now)
    }

    /// Delivers `signal` at `now`: a shell that trapped it runs its handler (after the current
    /// foreground sleep); as PID 1 it ignores any signal it did not trap. Returns true if the caller
    /// should `resume` now.
    pub fn signal(&mut self, signal: Signal, now: Ms) -> bool {
        let Some(trap) = self.handler(signal) else {
            return false;
        };
        if self.sleeping_until.is_some_and(|t| t > now) {
            self.trap_pending = Some(signal);
            return false;
        }
        // `wait` returns 128+15 when a trapped signal arrives.
        if self.waiting.take().is_some() {
            self.status = 143;
        }
        self.push_trap(trap);
        true
    }

    fn push_trap(&mut self, trap: Script) {
        // The handler runs as its own list; the shell then continues where it was.
        let offset = self.script.nodes.len();
        let mut nodes = trap.nodes;
        for n in &mut nodes {
            shift(n, offset);
        }
        self.script.nodes.extend(nodes);
        self.stack.push(Frame::TrapDone);
        self.stack.push(Frame::Run(trap.root + offset));
    }

    /// Runs from `now` until the script needs time or exits.
    pub fn resume(&mut self, now: Ms, world: &mut dyn World) -> Yield {
        if let Some(until) = self.sleeping_until {
            if until > now {
                return Yield::Until(until);
            }
            self.sleeping_until = None;
            self.status = 0;
            if let Some(signal) = self.trap_pending.take() {
                if let Some(trap) = self.handler(signal) {
                    self.push_trap(trap);
                }
            }
        }
        if let Some(waiting) = self.waiting {
            match waiting {
                Some(until) if until <= now => {
                    self.waiting = None;
                    self.background_until = None;
                    self.status = 0;
                }
                Some(until) => return Yield::Until(until),
                None => return Yield::Forever,
            }
        }
        let mut steps = 0;
        while let Some(frame) = self.stack.pop() {
            steps += 1;
            if steps > MAX_STEPS_PER_RESUME {
                // A loop that never sleeps spins for ever; let simulated time pass a second at a time.
                self.stack.push(frame);
                return Yield::Until(now + Ms(1000));
            }
            match frame {
                Frame::Run(id) => {
                    if let Some(y) = self.run(id, now, world) {
                        return y;
                    }
                }
                Frame::List { node, next } => {
                    let Node::List(items) = &self.script.nodes[node] else {
                        continue;
                    };
                    if let Some(&item) = items.get(next) {
                        self.stack.push(Frame::List {
                            node,
                            next: next + 1,
                        });
                        self.stack.push(Frame::Run(item));
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
                Frame::LoopCond(id) => {
                    let Node::Loop { body, until, .. } = self.script.nodes[id] else {
                        continue;
                    };
                    if (self.status == 0) != until {
                        self.stack.push(Frame::LoopBody(id));
                        self.stack.push(Frame::Run(body));
                    } else {
                        self.status = 0;
                    }
                }
                Frame::LoopBody(id) => {
                    let Node::Loop { cond, .. } = self.script.nodes[id] else {
                        continue;
                    };
                    self.stack.push(Frame::LoopCond(id));
                    self.stack.push(Frame::Run(cond));
                }
                Frame::IfCond { node, branch } => {
                    let Node::If {
                        branches,
                        otherwise,
                    } = &self.script.nodes[node]
                    else {
                        continue;
                    };
                    if self.status == 0 {
                        let body = branches[branch].1;
                        self.stack.push(Frame::Run(body));
                    } else if let Some(&(cond, _)) = branches.get(branch + 1) {
                        self.stack.push(Frame::IfCond {
                            node,
                            branch: branch + 1,
                        });
                        self.stack.push(Frame::Run(cond));
                    } else if let Some(o) = *otherwise {
                        self.stack.push(Frame::Run(o));
                    } else {
                        self.status = 0;
                    }
                }
                Frame::TrapDone => {}
            }
        }
        Yield::Exit(self.status)
    }

    /// Runs one node; `Some` when the process must yield.
    fn run(&mut self, id: usize, now: Ms, world: &mut dyn World) -> Option<Yield> {
        match self.script.nodes[id].clone() {
            Node::List(_) => self.stack.push(Frame::List { node: id, next: 0 }),
            Node::And(l, r) => {
                self.stack.push(Frame::AndThen(r));
                self.stack.push(Frame::Run(l));
            }
            Node::Or(l, r) => {
                self.stack.push(Frame::OrElse(r));
                self.stack.push(Frame::Run(l));
            }
            Node::Not(inner) => {
                self.stack.push(Frame::Not);
                self.stack.push(Frame::Run(inner));
            }
            Node::Loop { cond, .. } => {
                self.stack.push(Frame::LoopCond(id));
                self.stack.push(Frame::Run(cond));
            }
            Node::If { branches, .. } => {
                self.stack.push(Frame::IfCond {
                    node: id,
                    branch: 0,
                });
                self.stack.push(Frame::Run(branches[0].0));
            }
            Node::Cmd {
                words,
                redirect,
                background,
            } => return self.command(&words, redirect.as_deref(), background, now, world),
        }
        None
    }

    fn command(
        &mut self,
        words: &[String],
        redirect: Option<&str>,
        background: bool,
        now: Ms,
        world: &mut dyn World,
    ) -> Option<Yield> {
        // Leading `VAR=value` assignments do nothing here.
        let words: Vec<&str> = words
            .iter()
            .map(String::as_str)
            .skip_while(|w| is_assignment(w))
            .collect();
        if let Some(path) = redirect {
            if !path.starts_with("/dev/") {
                world.create(path);
            }
        }
        let Some((&name, args)) = words.split_first() else {
            self.status = 0;
            return None;
        };
        let name = name.rsplit('/').next().unwrap_or(name);
        self.status = 0;
        match name {
            "sleep" => {
                let d = args.first().map(|a| parse_sleep(a)).unwrap_or(Some(Ms(0)));
                if background {
                    let end = d.map(|d| now + d);
                    self.background_until = Some(match (self.background_until, end) {
                        (Some(Some(a)), Some(b)) => Some(a.max(b)),
                        (None, e) => e,
                        _ => None,
                    });
                    return None;
                }
                match d {
                    Some(Ms(0)) => {}
                    Some(d) => {
                        self.sleeping_until = Some(now + d);
                        return Some(Yield::Until(now + d));
                    }
                    None => {
                        self.sleeping_until = Some(Ms(u64::MAX));
                        return Some(Yield::Forever);
                    }
                }
            }
            "wait" => {
                if let Some(end) = self.background_until {
                    match end {
                        Some(t) if t <= now => self.background_until = None,
                        Some(t) => {
                            self.waiting = Some(Some(t));
                            return Some(Yield::Until(t));
                        }
                        None => {
                            self.waiting = Some(None);
                            return Some(Yield::Forever);
                        }
                    }
                }
            }
            "exit" => {
                let code = args
                    .first()
                    .and_then(|a| a.parse::<i64>().ok())
                    .map(|c| (c & 0xff) as i32)
                    .unwrap_or(self.status);
                self.stack.clear();
                self.status = code;
                return Some(Yield::Exit(code));
            }
            "exec" => {
                self.is_shell = false;
                self.traps.clear();
                let rest: Vec<String> = args.iter().map(|s| s.to_string()).collect();
                self.stack.clear();
                if !rest.is_empty() {
                    self.script.nodes.push(Node::Cmd {
                        words: rest,
                        redirect: None,
                        background: false,
                    });
                    let id = self.script.nodes.len() - 1;
                    self.stack.push(Frame::Run(id));
                }
            }
            "trap" => {
                // `trap 'handler' TERM INT …` (names, SIG names or numbers); an EXIT trap also runs
                // when TERM ends the shell. `trap - TERM` or an empty handler removes it.
                if let Some((handler, sigs)) = args.split_first() {
                    if self.is_shell {
                        let handler = if handler.is_empty() || *handler == "-" {
                            None
                        } else {
                            Script::parse(handler).ok()
                        };
                        for signal in TRAPPABLE {
                            let named = sigs.iter().any(|s| {
                                signal.trap_names().contains(s)
                                    || (signal == Signal::Term && matches!(*s, "EXIT" | "0"))
                            });
                            if named {
                                self.traps.retain(|(s, _)| *s != signal);
                                if let Some(h) = &handler {
                                    self.traps.push((signal, h.clone()));
                                }
                            }
                        }
                    }
                }
            }
            "false" => self.status = 1,
            "touch" | "mkdir" => {
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    world.create(a);
                }
            }
            "rm" | "rmdir" => {
                let force = args.iter().any(|a| a.starts_with('-') && a.contains('f'));
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    if world.exists(a) {
                        world.remove(a);
                    } else if !force {
                        self.status = 1;
                    }
                }
            }
            "cat" | "ls" | "stat" | "head" | "tail"
                if args
                    .iter()
                    .filter(|a| !a.starts_with('-'))
                    .any(|a| !world.exists(a)) =>
            {
                self.status = 1;
            }
            "test" | "[" | "[[" => self.status = i32::from(!test(args, world)),
            _ => {}
        }
        None
    }
}

/// The programs and builtins the shell knows what they do, by argv[0]'s basename.
pub fn knows(program: &str) -> bool {
    let name = program.rsplit('/').next().unwrap_or(program);
    matches!(
        name,
        "sleep"
            | "true"
            | "false"
            | "exit"
            | "exec"
            | "trap"
            | "wait"
            | "touch"
            | "mkdir"
            | "rm"
            | "rmdir"
            | "cat"
            | "ls"
            | "stat"
            | "head"
            | "tail"
            | "test"
            | "["
            | "[["
            | "echo"
            | ":"
    )
}

fn is_assignment(w: &str) -> bool {
    match w.find('=') {
        Some(i) if i > 0 => w[..i]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_'),
        _ => false,
    }
}

/// `sleep` arguments: seconds with an optional `s`/`m`/`h`/`d` suffix; `infinity` is `None`.
pub fn parse_sleep(arg: &str) -> Option<Ms> {
    if arg == "infinity" || arg == "inf" {
        return None;
    }
    let (num, mult) = match arg.chars().last() {
        Some('s') => (&arg[..arg.len() - 1], 1000.0),
        Some('m') => (&arg[..arg.len() - 1], 60_000.0),
        Some('h') => (&arg[..arg.len() - 1], 3_600_000.0),
        Some('d') => (&arg[..arg.len() - 1], 86_400_000.0),
        _ => (arg, 1000.0),
    };
    let v: f64 = num.parse().ok()?;
    if !v.is_finite() || v < 0.0 {
        return Some(Ms(0));
    }
    let ms = v * mult;
    if ms > 1e15 {
        None
    } else {
        Some(Ms(ms.round() as u64))
    }
}

/// `test` / `[ … ]`: file tests, string and integer comparisons.
fn test(args: &[&str], world: &dyn World) -> bool {
    let args: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| *a != "]" && *a != "]]")
        .collect();
    match args.as_slice() {
        ["!", rest @ ..] => !test(rest, world),
        [op, path] if op.starts_with('-') && op.len() == 2 => match *op {
            "-f" | "-e" | "-d" | "-s" | "-r" | "-w" | "-x" => world.exists(path),
            "-z" => path.is_empty(),
            "-n" => !path.is_empty(),
            _ => false,
        },
        [a, "=", b] | [a, "==", b] => a == b,
        [a, "!=", b] => a != b,
        [a, op, b] => {
            let (Ok(x), Ok(y)) = (a.parse::<i64>(), b.parse::<i64>()) else {
                return false;
            };
            match *op {
                "-eq" => x == y,
                "-ne" => x != y,
                "-lt" => x < y,
                "-le" => x <= y,
                "-gt" => x > y,
                "-ge" => x >= y,
                _ => false,
            }
        }
        [s] => !s.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[derive(Default)]
    struct Files(BTreeSet<String>);
    impl World for Files {
        fn exists(&self, p: &str) -> bool {
            self.0.contains(p)
        }
        fn read(&self, p: &str) -> Option<String> {
            self.0.contains(p).then(String::new)
        }
        fn write(&mut self, p: &str, _data: &str, _append: bool) {
            self.0.insert(p.into());
        }
        fn remove(&mut self, p: &str) {
            self.0.remove(p);
        }
        fn maybe_in_image(&self, _: &str) -> bool {
            false
        }
        fn env(&self, _: &str) -> Option<String> {
            None
        }
        fn memory_limit(&self) -> Option<u64> {
            None
        }
        fn resolve(&self, _: &str) -> Option<String> {
            None
        }
        fn connect(&self, _: &str, _: u16) -> Result<(), NetError> {
            Err(NetError::Refused)
        }
        fn http_get(&self, _: &str, _: u16, _: &str) -> Result<u16, NetError> {
            Err(NetError::Refused)
        }
    }

    fn run_to_end(src: &str) -> Vec<String> {
        let mut e = Exec::new(Script::parse(src).unwrap(), true);
        let mut w = Files::default();
        let mut now = Ms(0);
        let mut out = Vec::new();
        for _ in 0..50 {
            match e.resume(now, &mut w) {
                Yield::Until(t) => {
                    out.push(format!("{now}: until {t} files={:?}", w.0));
                    now = t;
                }
                Yield::Forever => {
                    out.push(format!("{now}: forever"));
                    break;
                }
                Yield::Exit(c) => {
                    out.push(format!("{now}: exit {c}"));
                    break;
                }
                Yield::OomKilled => {
                    out.push(format!("{now}: oom-killed"));
                    break;
                }
            }
        }
        out
    }

    #[test]
    fn docs_liveness_script() {
        let out = run_to_end("touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600");
        assert_eq!(
            out,
            [
                "0s: until 30s files={\"/tmp/healthy\"}",
                "30s: until 630s files={}",
                "630s: exit 0"
            ]
        );
    }

    #[test]
    fn exit_codes_and_operators() {
        assert_eq!(
            run_to_end("sleep 2 && exit 3"),
            ["0s: until 2s files={}", "2s: exit 3"]
        );
        assert_eq!(run_to_end("false || exit 4; exit 5"), ["0s: exit 4"]);
        assert_eq!(run_to_end("false"), ["0s: exit 1"]);
        assert_eq!(
            run_to_end("if [ -f /x ]; then exit 1; else exit 2; fi"),
            ["0s: exit 2"]
        );
        assert_eq!(
            run_to_end("i=0; until test -f /x; do sleep 1; touch /x; done; exit 7")
                .last()
                .unwrap(),
            "1s: exit 7"
        );
    }

    #[test]
    fn trap_runs_after_foreground_sleep_but_at_once_in_wait() {
        let mut w = Files::default();
        let mut fg = Exec::new(
            Script::parse("trap 'exit 0' TERM; sleep 100").unwrap(),
            true,
        );
        assert_eq!(fg.resume(Ms(0), &mut w), Yield::Until(Ms(100_000)));
        assert!(!fg.term(Ms(5_000)));
        assert_eq!(fg.resume(Ms(100_000), &mut w), Yield::Exit(0));

        let mut bg = Exec::new(
            Script::parse("trap 'exit 0' TERM; sleep 100 & wait").unwrap(),
            true,
        );
        assert_eq!(bg.resume(Ms(0), &mut w), Yield::Until(Ms(100_000)));
        assert!(bg.term(Ms(5_000)));
        assert_eq!(bg.resume(Ms(5_000), &mut w), Yield::Exit(0));

        let mut none = Exec::new(Script::parse("sleep 100").unwrap(), true);
        none.resume(Ms(0), &mut w);
        assert!(!none.term(Ms(1)));
    }

    #[test]
    fn a_trap_catches_only_the_signals_it_names() {
        let mut w = Files::default();
        let script = "trap 'exit 3' QUIT INT; sleep 100 & wait";
        let mut sh = Exec::new(Script::parse(script).unwrap(), true);
        sh.resume(Ms(0), &mut w);
        assert!(
            !sh.signal(Signal::Term, Ms(1)),
            "PID 1 ignores an untrapped SIGTERM"
        );
        assert!(!sh.signal(Signal::Winch, Ms(1)));
        assert!(sh.signal(Signal::Quit, Ms(2)));
        assert_eq!(sh.resume(Ms(2), &mut w), Yield::Exit(3));
        for (script, caught) in [
            ("trap 'exit 0' SIGINT; sleep 9 & wait", true),
            ("trap 'exit 0' 2; sleep 9 & wait", true),
            ("trap 'exit 0' INT; trap - INT; sleep 9 & wait", false),
            ("trap 'exit 0' EXIT; sleep 9 & wait", false),
        ] {
            let mut sh = Exec::new(Script::parse(script).unwrap(), true);
            sh.resume(Ms(0), &mut w);
            assert_eq!(sh.signal(Signal::Int, Ms(1)), caught, "{script}");
        }
    }

    #[test]
    fn loops_yield() {
        let out = run_to_end("while true; do echo hi >> /tmp/log; sleep 5; done");
        assert_eq!(out.len(), 50);
        assert_eq!(out[1], "5s: until 10s files={\"/tmp/log\"}");
        assert_eq!(
            run_to_end("while true; do :; done")[0],
            "0s: until 1s files={}"
        );
    }

    #[test]
    fn parse_errors_are_reported() {
        assert!(Script::parse("if true; then").is_err());
        assert!(Script::parse("echo 'oops").is_err());
    }
}
