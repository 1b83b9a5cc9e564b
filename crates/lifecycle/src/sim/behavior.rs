//! What a container's process does: exit when, with what code, how it answers SIGTERM and probes.
//!
//! Manifests don't say, so behaviour is resolved in a fixed order (first match wins):
//! 1. the pod annotation `behavior.podstep.dev/<container>` (see `docs/behavior.md` for the grammar);
//! 2. the container's `command`/`args`, read by the small shell in [`shell`](super::shell);
//! 3. defaults for well-known images (plain shells exit 0 at once; servers run until SIGTERM);
//! 4. otherwise a stated default (runs until SIGTERM, then exits 0; serves its ports), with a warning.
//!
//! Everything compiles down to a shell script plus a few flags, so the engine drives one kind of process.

use super::catalog::{self, Listening};
use super::shell::{self, parse_sleep, Script};
use super::time::Ms;
use super::trace::Signal;
use crate::quote::quote;
use crate::spec::{Container, ContainerKind, EnvValue, PodSpec, ProbeKind, RestartPolicy};

pub const ANNOTATION_PREFIX: &str = "behavior.podstep.dev/";

/// A probe result scripted over the container's age: `(from, ok)` steps, sorted by `from`.
pub type Timeline = Vec<(Ms, bool)>;

pub fn timeline_at(t: &Timeline, age: Ms) -> Option<bool> {
    t.iter()
        .rev()
        .find(|(from, _)| *from <= age)
        .map(|(_, ok)| *ok)
}

/// A hook's scripted outcome: how long it runs and whether it succeeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HookPlan {
    pub duration: Ms,
    pub ok: bool,
}

/// How one instance of a container behaves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Behavior {
    /// What PID 1 runs.
    pub script: Script,
    /// PID 1 is a shell (so a `trap` can exist); false for an exec'd binary.
    pub is_shell: bool,
    /// What the process listens on while it runs (what probes, hooks and other containers reach).
    pub listening: Listening,
    /// Scripted probe results that replace evaluation.
    pub probes: [Option<Timeline>; 3],
    pub oom_after: Option<Ms>,
    pub post_start: Option<HookPlan>,
    pub pre_stop: Option<HookPlan>,
    /// Where the behaviour came from, for the trace's explanation.
    pub source: Source,
    /// What the runtime sends when the kubelet stops the container: the image's `STOPSIGNAL`.
    pub stop_signal: Signal,
    /// The argv Podstep did not know (the default applies), for the warning.
    pub unknown: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Annotation,
    Command,
    Image(&'static str),
    Default,
}

pub fn probe_index(kind: ProbeKind) -> usize {
    match kind {
        ProbeKind::Startup => 0,
        ProbeKind::Readiness => 1,
        ProbeKind::Liveness => 2,
    }
}

/// Servers: run until signalled, exit 0 promptly on SIGTERM, answer their network probes.
const SERVERS: &[&str] = &[
    "nginx",
    "envoy",
    "haproxy",
    "fluent-bit",
    "fluentd",
    "vector",
    "redis",
    "memcached",
    "postgres",
    "mysql",
    "mariadb",
    "proxyv2",
    "proxy-init",
    "linkerd-proxy",
    "proxy",
    "cloud-sql-proxy",
    "oauth2-proxy",
    "httpd",
    "caddy",
    "traefik",
    "pause",
    "agnhost",
    "mongo",
    "rabbitmq",
    "etcd",
    "kafka",
    "zookeeper",
    "prometheus",
    "grafana",
    "node-exporter",
    "coredns",
    "echoserver",
    "http-echo",
    "whoami",
    "tomcat",
    "jetty",
    "otel",
    "opentelemetry-collector",
    "opentelemetry-collector-contrib",
    "istio-proxy",
    "consul",
    "vault",
    "minio",
    "elasticsearch",
    "logstash",
    "filebeat",
    "promtail",
    "jaeger",
    "nats",
    "memcache",
    "apache",
    "python",
    "node",
    "golang",
    "openjdk",
];
/// Images whose `STOPSIGNAL` is not SIGTERM (their official Dockerfiles): the runtime sends it when the
/// kubelet stops the container, whatever the container's command.
const STOP_SIGNALS: &[(&str, Signal)] = &[
    ("nginx", Signal::QUIT),
    ("postgres", Signal::INT),
    ("httpd", Signal::WINCH),
];

/// The signal the runtime stops `image`'s containers with.
pub fn stop_signal(image: &str) -> Signal {
    let repo = image_repo(image);
    STOP_SIGNALS
        .iter()
        .find_map(|(name, s)| (*name == repo).then_some(*s))
        .unwrap_or(Signal::TERM)
}

/// Plain shells and tools: with no command they exit 0 at once.
const SHELLS: &[&str] = &[
    "busybox",
    "alpine",
    "ubuntu",
    "debian",
    "centos",
    "fedora",
    "bash",
    "curl",
    "curlimages/curl",
    "rockylinux",
    "amazonlinux",
    "bitnami/kubectl",
    "kubectl",
    "jq",
];

/// The image's repository name without registry, tag or digest: `docker.io/library/nginx:1.27` → `nginx`.
pub fn image_repo(image: &str) -> &str {
    let no_digest = image.split('@').next().unwrap_or(image);
    let last = no_digest.rsplit('/').next().unwrap_or(no_digest);
    last.split(':').next().unwrap_or(last)
}

/// A plain shell or tool image (busybox, alpine, …), whose files Podstep knows to be only the OS's.
pub fn is_plain_shell(image: &str) -> bool {
    well_known(image).is_some_and(|(_, server)| !server)
}

fn well_known(image: &str) -> Option<(&'static str, bool)> {
    let repo = image_repo(image);
    let full = image.split([':', '@']).next().unwrap_or(image);
    if let Some(s) = SHELLS.iter().find(|s| **s == repo || full.ends_with(*s)) {
        return Some((s, false));
    }
    if let Some(s) = SERVERS.iter().find(|s| **s == repo) {
        // `python`, `node`… run a REPL-less server only when given a command; with none they exit.
        let exits = matches!(*s, "python" | "node" | "golang" | "openjdk");
        return Some((s, !exits));
    }
    None
}

/// Resolves the behaviour of `c`'s instance number `attempt` (1-based). The warning, if any, says what was
/// assumed and how to override it.
pub fn resolve(
    pod: &PodSpec,
    c: &Container,
    image: &str,
    attempt: u32,
    env: &dyn Fn(&str) -> Option<String>,
) -> (Behavior, Option<String>) {
    let key = format!("{ANNOTATION_PREFIX}{}", c.name);
    let mut warning = None;
    let image_signal = stop_signal(image);
    // `lifecycle.stopSignal` (with ContainerStopSignals; validation dropped it otherwise) wins over
    // the image's STOPSIGNAL, as the runtime picks it.
    let signal = c
        .stop_signal
        .as_deref()
        .and_then(Signal::from_name)
        .unwrap_or(image_signal);
    // A batch pod (restartPolicy Never or OnFailure: a Job's) runs its regular containers to
    // completion: a program Podstep does not know there is taken to do its work and exit 0.
    let batch = c.kind == ContainerKind::App && pod.restart_policy != RestartPolicy::Always;
    let assumed = if batch {
        "assumed it does its work and exits 0 at once, as a batch pod's container (restartPolicy is not Always)"
    } else {
        "assumed it runs until SIGTERM, then exits 0, and answers its network probes"
    };
    let mut b = from_command(c, image, env, batch).unwrap_or_else(|| {
        if let Some((name, server)) = well_known(image) {
            if server {
                image_server(name, c, image_signal)
            } else {
                exits_at_once(name, image_signal)
            }
        } else {
            warning = Some(format!(
                "Podstep does not know what image \"{image}\" does without a command: {assumed}; set the annotation {key} to say otherwise"
            ));
            server_behavior(Source::Default, image_signal)
        }
    });
    if let Some(unknown) = b.unknown.take() {
        let what = match &c.command {
            Some(_) => "command",
            None => "args",
        };
        warning = Some(format!(
            "Podstep does not know what the {what} {} does: {assumed}; set the annotation {key} to say otherwise",
            quote(&unknown)
        ));
    }
    // A script's unknown last program already stands in as `exit 0` there (`from_command`).
    if batch && b.source == Source::Default {
        b = Behavior {
            source: Source::Default,
            ..exits_at_once("", image_signal)
        };
    }
    b.stop_signal = signal;
    let server = matches!(b.source, Source::Image(_) | Source::Default) && b.is_shell;
    let handled = [
        Signal::TERM,
        Signal::INT,
        Signal::QUIT,
        Signal::KILL,
        image_signal,
    ];
    if server && !handled.contains(&signal) && warning.is_none() {
        warning = Some(format!(
            "Podstep assumes image \"{image}\" ends on SIGTERM, SIGINT and SIGQUIT{} and, as PID 1, ignores its stop signal SIG{}: it is SIGKILLed when the grace period ends; set the annotation {key} (term=) to say otherwise",
            if [Signal::TERM, Signal::INT, Signal::QUIT].contains(&image_signal) {
                String::new()
            } else {
                format!(" (and its STOPSIGNAL SIG{})", image_signal.as_str())
            },
            signal.as_str()
        ));
    }
    if let Some(value) = pod.annotation(&key) {
        match apply_annotation(&mut b, value, attempt) {
            Ok(()) => {
                b.source = Source::Annotation;
                warning = None;
            }
            Err(e) => warning = Some(format!("annotation {key}: {e}")),
        }
    }
    (b, warning)
}

/// A well-known server image run without a command, with what its entrypoint does differently:
/// postgres's refuses to initialize without a superuser password (it prints "Database is uninitialized
/// and superuser password is not specified" and exits 1), and cloud-sql-proxy v2 exits 143 on SIGTERM
/// unless given `--exit-zero-on-sigterm`.
fn image_server(name: &'static str, c: &Container, signal: Signal) -> Behavior {
    let has_env = |var: &str| c.env.iter().any(|e| e.name == var);
    match name {
        "postgres"
            if c.env_from.is_empty()
                && !has_env("POSTGRES_PASSWORD")
                && !has_env("POSTGRES_PASSWORD_FILE")
                && !c.env.iter().any(|e| {
                    e.name == "POSTGRES_HOST_AUTH_METHOD"
                        && e.value == EnvValue::Literal("trust".into())
                }) =>
        {
            Behavior {
                script: Script::from_argv(&["false".into()]),
                is_shell: false,
                listening: Listening::none(),
                ..server_behavior(Source::Image(name), signal)
            }
        }
        "cloud-sql-proxy"
            if !c
                .args
                .iter()
                .flatten()
                .any(|a| a == "--exit-zero-on-sigterm") =>
        {
            Behavior {
                script: server_script(signal, 143),
                ..image_listening(server_behavior(Source::Image(name), signal), c)
            }
        }
        // The meshes' init containers set up the pod's iptables and exit: istio's `istio-iptables`
        // (proxyv2 run with that argument) and linkerd's proxy-init.
        "proxyv2"
            if c.args
                .iter()
                .flatten()
                .next()
                .is_some_and(|a| a == "istio-iptables") =>
        {
            exits_at_once(name, signal)
        }
        "proxy-init" => exits_at_once(name, signal),
        _ => image_listening(server_behavior(Source::Image(name), signal), c),
    }
}

/// An image's entrypoint that does its work and exits 0 at once.
fn exits_at_once(name: &'static str, signal: Signal) -> Behavior {
    Behavior {
        script: Script::from_argv(&["true".into()]),
        is_shell: false,
        listening: Listening::none(),
        ..server_behavior(Source::Image(name), signal)
    }
}

/// A server's sockets from the image table (every port answers if the image is not in it).
fn image_listening(b: Behavior, c: &Container) -> Behavior {
    let listening = catalog::listening(image_repo(&c.image), &c.image, c).unwrap_or(Listening::Any);
    Behavior { listening, ..b }
}

/// PID 1 of a server: runs until SIGTERM, SIGINT, SIGQUIT or its image's stop signal, then exits
/// with `code`; as PID 1 it ignores any other signal.
fn server_script(stop_signal: Signal, code: i32) -> Script {
    // Every server container's start needs one: parsed once per (signal, code), then cloned.
    thread_local! {
        static PARSED: std::cell::RefCell<Vec<((Signal, i32), Script)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    PARSED.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some((_, s)) = cache.iter().find(|(k, _)| *k == (stop_signal, code)) {
            return s.clone();
        }
        // A server ends on SIGTERM, SIGINT and SIGQUIT, as servers do, and on its image's STOPSIGNAL.
        let mut signals = vec!["TERM".to_string(), "INT".into(), "QUIT".into()];
        if !signals.contains(&stop_signal.as_str()) {
            signals.push(stop_signal.as_str());
        }
        let text = format!(
            "trap 'exit {code}' {}; sleep infinity & wait",
            signals.join(" ")
        );
        let script = Script::parse(&text).expect("fixed script parses");
        cache.push(((stop_signal, code), script.clone()));
        script
    })
}

/// A server: runs until its stop signal, then exits 0, and answers its network probes.
fn server_behavior(source: Source, stop_signal: Signal) -> Behavior {
    Behavior {
        script: server_script(stop_signal, 0),
        is_shell: true,
        listening: Listening::Any,
        probes: [None, None, None],
        oom_after: None,
        post_start: None,
        pre_stop: None,
        source,
        stop_signal,
        unknown: None,
    }
}

/// `command`/`args` as PID 1, after the kubelet's `$(VAR)` expansion: `sh -c SCRIPT`, a program of the
/// shell's library, a server image's own binary, or an unknown binary (the default, noted).
fn from_command(
    c: &Container,
    image: &str,
    env: &dyn Fn(&str) -> Option<String>,
    batch: bool,
) -> Option<Behavior> {
    let argv: Vec<String> = match (&c.command, &c.args) {
        (Some(cmd), Some(args)) => cmd.iter().chain(args.iter()).cloned().collect(),
        (Some(cmd), None) => cmd.clone(),
        // Args alone go to the image's entrypoint: a shell image's entrypoint is a shell (or none),
        // so `args: [sh, -c, …]` runs as argv there.
        (None, Some(args)) if well_known(image).is_some_and(|(_, server)| !server) => args.clone(),
        _ => return None,
    };
    let argv: Vec<String> = argv.iter().map(|a| expand_vars(a, env)).collect();
    let base = Behavior {
        script: Script::from_argv(&argv),
        is_shell: false,
        listening: Listening::none(),
        ..server_behavior(Source::Command, stop_signal(image))
    };
    let prog = argv
        .first()
        .map(|p| p.rsplit('/').next().unwrap_or(p))
        .unwrap_or("");
    match prog {
        "sh" | "bash" | "ash" | "dash" | "zsh" => {
            let script_arg = argv
                .iter()
                .position(|a| a == "-c" || (a.starts_with('-') && a.ends_with('c') && a.len() <= 4))
                .and_then(|i| argv.get(i + 1));
            let mut unknown = None;
            let script = match script_arg {
                Some(s) => match Script::parse(s) {
                    Ok(mut script) => {
                        // A script that ends in a program Podstep does not know runs it as the
                        // container's main process: the stated default for it, after the rest.
                        let stand_in = if batch {
                            "exit 0".to_string()
                        } else {
                            format!(
                                "trap 'exit 0' {}; sleep infinity & wait",
                                stop_signal(image).as_str()
                            )
                        };
                        if let Some(program) = script.replace_unknown_main(&stand_in) {
                            unknown = Some(program);
                        }
                        script
                    }
                    Err(e) => {
                        unknown = Some(format!("{s} (a script Podstep cannot read: {e})"));
                        return Some(Behavior {
                            unknown,
                            ..server_behavior(Source::Default, stop_signal(image))
                        });
                    }
                },
                None => Script::from_argv(&["true".into()]),
            };
            let listening = if unknown.is_some() && !batch {
                Listening::Any
            } else {
                Listening::none()
            };
            Some(Behavior {
                script,
                is_shell: true,
                listening,
                unknown,
                ..base
            })
        }
        "linkerd-await" => Some(Behavior {
            script: linkerd_await(&argv[1..]),
            is_shell: true,
            ..base
        }),
        _ if well_known(image).is_some_and(|(_, server)| server) => {
            // A server image with its own binary named: still that server.
            let name = well_known(image).map_or("", |(n, _)| n);
            let signal = stop_signal(image);
            Some(Behavior {
                source: Source::Command,
                ..image_server(name, c, signal)
            })
        }
        // An interpreter with a program file (`python app.py`) runs an application Podstep does not
        // know; with an inline program (`-c`, `-e`) it is the shell library's.
        "python" | "python3" | "python2" | "node" | "perl" | "ruby" | "php" | "java"
            if !argv.iter().skip(1).any(|a| {
                matches!(
                    a.as_str(),
                    "-c" | "-e" | "-E" | "--eval" | "-r" | "-wle" | "-le" | "-we"
                )
            }) && !argv
                .iter()
                .skip(1)
                .any(|a| a.starts_with('-') && a.ends_with('e') && a.len() <= 5) =>
        {
            Some(Behavior {
                unknown: Some(argv.join(" ")),
                ..server_behavior(Source::Default, stop_signal(image))
            })
        }
        _ if shell::knows(prog) => Some(base),
        _ => Some(Behavior {
            unknown: Some(argv.join(" ")),
            ..server_behavior(Source::Default, stop_signal(image))
        }),
    }
}

/// `linkerd-await [--shutdown] [--port N] -- CMD…` (linkerd's wrapper for Jobs): waits until the
/// proxy reports ready on its admin port, runs CMD, and with `--shutdown` asks the proxy to shut down
/// when CMD ends, exiting with CMD's status.
fn linkerd_await(args: &[String]) -> Script {
    let split = args.iter().position(|a| a == "--").unwrap_or(args.len());
    let (opts, cmd) = (&args[..split], args.get(split + 1..).unwrap_or(&[]));
    let shutdown = opts.iter().any(|o| o == "--shutdown" || o == "-S");
    let port = opts
        .iter()
        .find_map(|o| o.strip_prefix("--port="))
        .and_then(|p| p.parse::<u16>().ok())
        .unwrap_or(4191);
    let quote = |w: &String| format!("'{}'", w.replace('\'', "'\\''"));
    let cmd: Vec<String> = cmd.iter().map(quote).collect();
    let mut script =
        format!(
        "until wget -q -O /dev/null http://localhost:{port}/ready; do sleep 1; done; {}; s=$?; ",
        if cmd.is_empty() { "true".to_string() } else { cmd.join(" ") }
    );
    if shutdown {
        script.push_str(&format!(
            "wget -q -O /dev/null http://localhost:{port}/shutdown; "
        ));
    }
    script.push_str("exit $s");
    Script::parse(&script).unwrap_or_else(|_| Script::from_argv(&["true".into()]))
}

/// The kubelet's expansion of `$(VAR)` in `command` and `args` from the container's environment:
/// `$$` is a literal `$`, and a reference to an unset variable stays as written.
pub fn expand_vars(s: &str, env: &dyn Fn(&str) -> Option<String>) -> String {
    if !s.contains('$') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(inner) = after.strip_prefix('(') {
            match inner.find(')') {
                Some(j) => {
                    let name = &inner[..j];
                    match env(name) {
                        Some(v) => out.push_str(&v),
                        None => {
                            out.push_str("$(");
                            out.push_str(name);
                            out.push(')');
                        }
                    }
                    rest = &inner[j + 1..];
                }
                None => {
                    out.push_str(&rest[i..]);
                    rest = "";
                }
            }
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Applies the override grammar: `;`-separated clauses, each optionally prefixed `N:` (from attempt N on).
/// Clauses: `exit=CODE@SECONDS`, `run=forever`, `term=ignore|exit:CODE@SECONDS`, `oom=SECONDS`,
/// `startup|readiness|liveness=ok|fail|RESULT@S,…`, `serve=yes|no`, `poststart|prestop=ok|fail[@SECONDS]`.
pub fn apply_annotation(b: &mut Behavior, value: &str, attempt: u32) -> Result<(), String> {
    let mut exit: Option<(i32, Ms)> = None;
    let mut forever = false;
    let mut term: Option<Option<(i32, Ms)>> = None;
    for clause in value
        .split([';', '\n'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        let (from_attempt, clause) = match clause.split_once(':') {
            Some((n, rest))
                if n.trim().chars().all(|c| c.is_ascii_digit()) && !n.trim().is_empty() =>
            {
                (
                    n.trim()
                        .parse::<u32>()
                        .map_err(|_| format!("bad attempt number in {}", quote(clause)))?,
                    rest.trim(),
                )
            }
            _ => (1, clause),
        };
        if attempt < from_attempt {
            continue;
        }
        let (key, val) = clause
            .split_once('=')
            .ok_or_else(|| format!("{} is not KEY=VALUE", quote(clause)))?;
        let (key, val) = (key.trim(), val.trim());
        match key {
            "exit" => {
                let (code, at) = val.split_once('@').unwrap_or((val, "0"));
                let code: i32 = code
                    .trim()
                    .parse()
                    .map_err(|_| format!("exit code {} is not a number", quote(code)))?;
                exit = Some((code & 0xff, seconds(at)?));
                forever = false;
            }
            "run" if val == "forever" => {
                forever = true;
                exit = None;
            }
            "term" => {
                term = Some(if val == "ignore" {
                    None
                } else {
                    let rest = val.strip_prefix("exit:").ok_or_else(|| {
                        format!("term={}: use ignore or exit:CODE@SECONDS", quote(val))
                    })?;
                    let (code, at) = rest.split_once('@').unwrap_or((rest, "0"));
                    Some((
                        code.trim()
                            .parse()
                            .map_err(|_| format!("exit code {} is not a number", quote(code)))?,
                        seconds(at)?,
                    ))
                });
            }
            "oom" => b.oom_after = Some(seconds(val)?),
            "serve" => {
                b.listening = if matches!(val, "yes" | "true" | "ok") {
                    Listening::Any
                } else {
                    Listening::none()
                }
            }
            "startup" | "readiness" | "ready" | "liveness" => {
                let idx = match key {
                    "startup" => 0,
                    "liveness" => 2,
                    _ => 1,
                };
                b.probes[idx] = Some(timeline(val)?);
            }
            "poststart" | "prestop" => {
                let (res, at) = val.split_once('@').unwrap_or((val, "0"));
                let ok = match res.trim() {
                    "ok" => true,
                    "fail" => false,
                    other => {
                        return Err(format!(
                            "{key}={}: use ok or fail, optionally @SECONDS",
                            quote(other)
                        ))
                    }
                };
                let plan = HookPlan {
                    duration: seconds(at)?,
                    ok,
                };
                if key == "poststart" {
                    b.post_start = Some(plan);
                } else {
                    b.pre_stop = Some(plan);
                }
            }
            other => return Err(format!("unknown key {}", quote(other))),
        }
    }
    if exit.is_some() || forever || term.is_some() {
        // The main work runs in the background so that a trapped TERM is handled at once.
        let body = match exit {
            Some((code, at)) => format!("sleep {} & wait; exit {code}", at.secs_text()),
            None => "sleep infinity & wait".to_string(),
        };
        // `term=` says what the container does on its stop signal.
        let sig = b.stop_signal.as_str();
        let trap = match term {
            Some(None) => String::new(),
            Some(Some((code, at))) => {
                format!("trap 'sleep {}; exit {code}' {sig}; ", at.secs_text())
            }
            None => format!("trap 'exit 0' {sig}; "),
        };
        b.script =
            Script::parse(&format!("{trap}{body}")).map_err(|e| format!("internal script: {e}"))?;
        b.is_shell = true;
    }
    Ok(())
}

fn seconds(s: &str) -> Result<Ms, String> {
    let s = s.trim();
    parse_sleep(s)
        .filter(|_| !s.is_empty())
        .ok_or_else(|| format!("{} is not a number of seconds", quote(s)))
}

fn timeline(val: &str) -> Result<Timeline, String> {
    let mut t = Timeline::new();
    for part in val.split(',').map(str::trim) {
        let (res, at) = part.split_once('@').unwrap_or((part, "0"));
        let ok = match res.trim() {
            "ok" | "success" | "pass" => true,
            "fail" | "failure" => false,
            other => return Err(format!("probe result {}: use ok or fail", quote(other))),
        };
        t.push((seconds(at)?, ok));
    }
    // Stable, so results given for the same second keep their order.
    t.sort_by_key(|r| r.0);
    Ok(t)
}

/// An image whose repository path says it does not exist (`non-existing-repo/non-existing-image`,
/// the docs' example of a broken image): its registry answers that the repository does not exist.
pub fn says_it_does_not_exist(image: &str) -> bool {
    let path = image
        .split(['@'])
        .next()
        .unwrap_or(image)
        .to_ascii_lowercase();
    [
        "non-existing",
        "nonexisting",
        "non-existent",
        "nonexistent",
        "does-not-exist",
        "doesnotexist",
    ]
    .iter()
    .any(|w| path.contains(w))
}

/// The reserved names that can never be pulled (Podstep convention, spec "Podstep conventions").
pub fn unpullable(image: &str) -> bool {
    if says_it_does_not_exist(image) {
        return true;
    }
    let first = image.split('/').next().unwrap_or("");
    if !image.contains('/') {
        return false;
    }
    let host = first.split(':').next().unwrap_or(first);
    host == "localhost"
        || [".invalid", ".example", ".test", ".localhost"]
            .iter()
            .any(|s| host.ends_with(s))
}

/// A syntactically valid image reference (`InvalidImageName` otherwise), by the distribution reference
/// grammar the kubelet parses with: `[domain[:port]/]path[:tag][@digest]`, lowercase path components
/// separated by `.`, `_`, `__` or dashes, a tag of at most 128 word characters, dots and dashes.
pub fn valid_image(image: &str) -> bool {
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    if let Some(d) = digest {
        let Some((alg, hex)) = d.split_once(':') else {
            return false;
        };
        let alg_ok = !alg.is_empty()
            && alg
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "+._-".contains(c));
        if !alg_ok || hex.len() < 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return false;
        }
    }
    // The tag follows the last `:` after the last `/` (a `:` before a `/` is a registry port).
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[last_slash..].find(':') {
        Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
        None => (rest, None),
    };
    if let Some(t) = tag {
        let mut chars = t.chars();
        let first_ok = chars
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        if !first_ok
            || t.len() > 128
            || !chars.all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
        {
            return false;
        }
    }
    let mut parts: Vec<&str> = name.split('/').collect();
    if parts.len() > 1 {
        let first = parts[0];
        let is_domain = first.contains(['.', ':'])
            || first == "localhost"
            || first.chars().any(|c| c.is_ascii_uppercase());
        if is_domain {
            if !valid_domain(first) {
                return false;
            }
            parts.remove(0);
        }
    }
    !parts.is_empty() && parts.iter().all(|p| valid_path_component(p))
}

fn valid_domain(d: &str) -> bool {
    let (host, port) = match d.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (d, None),
    };
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    port_ok && host.split('.').all(label_ok)
}

/// `[a-z0-9]+` runs joined by `.`, `_`, `__` or one or more `-`.
fn valid_path_component(p: &str) -> bool {
    let alnum = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    let bytes: Vec<char> = p.chars().collect();
    if bytes.is_empty() || !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if alnum(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !alnum(bytes[i]) {
            i += 1;
        }
        let sep: String = bytes[start..i].iter().collect();
        if !(sep == "." || sep == "_" || sep == "__" || sep.chars().all(|c| c == '-')) {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::{stop_signal, valid_image};
    use crate::sim::trace::Signal;

    #[test]
    fn stop_signals_are_the_images() {
        for (image, signal) in [
            ("nginx:1.27", Signal::QUIT),
            ("docker.io/library/nginx@sha256:0123", Signal::QUIT),
            ("httpd:2.4", Signal::WINCH),
            ("postgres:16", Signal::INT),
            ("envoyproxy/envoy:v1.31.0", Signal::TERM),
            ("busybox:1.36", Signal::TERM),
            ("registry.example/unknown:1", Signal::TERM),
        ] {
            assert_eq!(stop_signal(image), signal, "{image}");
        }
    }

    #[test]
    fn image_references() {
        for ok in [
            "nginx",
            "nginx:1.27",
            "docker.io/library/nginx:1.27",
            "registry.k8s.io/pause:3.9",
            "localhost:5000/team/app_x__y-z:v1.0-rc.1",
            "ghcr.io/org/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "registry.invalid/team/app:1.0",
        ] {
            assert!(valid_image(ok), "{ok}");
        }
        for bad in [
            "",
            "nginx:1.27:extra",
            "Nginx:1.27",
            "nginx:",
            "-nginx",
            "nginx//x",
            "nginx:-tag",
            "team/App",
            "nginx@sha256:short",
            "my image",
        ] {
            assert!(!valid_image(bad), "{bad}");
        }
    }
}
