//! The shell's tests: scripts in, what they did over simulated time out (status, files, notes), against
//! a mock world of plain maps; plus a loop of random hostile scripts that must never panic.

use super::*;
use expect_test::expect;
use std::collections::{BTreeMap, BTreeSet};

/// A container's world as plain maps.
#[derive(Default)]
struct Files {
    files: BTreeMap<String, String>,
    env: BTreeMap<String, String>,
    hosts: BTreeMap<String, String>,
    /// Listening (host, port).
    ports: BTreeSet<(String, u16)>,
    /// HTTP answers by path.
    http: BTreeMap<String, u16>,
    memory: Option<u64>,
    image: BTreeSet<String>,
}

impl Files {
    fn with(files: &[(&str, &str)]) -> Files {
        Files {
            files: files
                .iter()
                .map(|(p, c)| (p.to_string(), c.to_string()))
                .collect(),
            ..Files::default()
        }
    }
}

impl World for Files {
    fn exists(&self, p: &str) -> bool {
        self.files.contains_key(p) || self.files.keys().any(|k| k.starts_with(&format!("{p}/")))
    }
    fn read(&self, p: &str) -> Option<String> {
        self.files.get(p).cloned()
    }
    fn write(&mut self, p: &str, data: &str, append: bool) {
        let f = self.files.entry(p.into()).or_default();
        if !append {
            f.clear();
        }
        if f.len() + data.len() <= limits::MAX_FILE_BYTES {
            f.push_str(data);
        }
    }
    fn remove(&mut self, p: &str) {
        self.files.remove(p);
    }
    fn maybe_in_image(&self, p: &str) -> bool {
        self.image.contains(p)
    }
    fn env(&self, n: &str) -> Option<String> {
        self.env.get(n).cloned()
    }
    fn memory_limit(&self) -> Option<u64> {
        self.memory
    }
    fn resolve(&self, h: &str) -> Option<String> {
        self.hosts.get(h).cloned()
    }
    fn connect(&self, h: &str, port: u16) -> Result<(), NetError> {
        if self.resolve(h).is_none() {
            return Err(NetError::NoSuchHost);
        }
        if self.ports.contains(&(h.to_string(), port)) {
            Ok(())
        } else {
            Err(NetError::Refused)
        }
    }
    fn http_get(&self, h: &str, port: u16, path: &str) -> Result<u16, NetError> {
        self.connect(h, port)?;
        Ok(self.http.get(path).copied().unwrap_or(404))
    }
}

/// Runs `src` in `w` for at most 50 yields: one line per yield, then the files and notes.
fn trace(src: &str, w: &mut Files) -> String {
    let mut e = Exec::new(Script::parse(src).unwrap(), true);
    let mut now = Ms(0);
    let mut out = Vec::new();
    for _ in 0..50 {
        match e.resume(now, w) {
            Yield::Until(t) => {
                out.push(format!("{now}: until {t}"));
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
    for (p, c) in &w.files {
        out.push(format!("{p} = {c:?}"));
    }
    for n in e.take_notes() {
        out.push(format!("note: {n}"));
    }
    out.join("\n")
}

/// The last yield of `src` in an empty world, and what `/out` holds.
fn run(src: &str) -> (String, String) {
    let mut w = Files::default();
    let t = trace(src, &mut w);
    let last = t
        .lines()
        .find(|l| l.contains(": exit") || l.contains("forever") || l.contains("oom"))
        .unwrap_or("")
        .to_string();
    (last, w.files.get("/out").cloned().unwrap_or_default())
}

#[test]
fn table() {
    for (src, want_end, want_out) in [
        // Variables and expansion.
        ("X=1; echo $X > /out", "0s: exit 0", "1\n"),
        ("X=a; echo \"${X}b ${Y:-dflt} ${#X}\" > /out", "0s: exit 0", "ab dflt 1\n"),
        ("echo ${Z:=zz} $Z > /out", "0s: exit 0", "zz zz\n"),
        ("false; echo $? > /out", "0s: exit 0", "1\n"),
        ("echo \"$0 [$1] [$@] $#\" > /out", "0s: exit 0", "sh [] [] 0\n"),
        ("echo '$X' \"a'b\" > /out", "0s: exit 0", "$X a'b\n"),
        ("H=web-3; echo ${H##*-} ${H%-*} ${H/web/db} > /out", "0s: exit 0", "3 web db-3\n"),
        ("X=\"a  b\"; for w in $X; do echo $w >> /out; done", "0s: exit 0", "a\nb\n"),
        ("X=\"a  b\"; for w in \"$X\"; do echo \"$w\" >> /out; done", "0s: exit 0", "a  b\n"),
        // Command substitution.
        ("echo \"ns=$(cat /ns)\" > /out", "0s: exit 0", "ns=\n"),
        ("X=`echo hi`; echo $X-$(echo there) > /out", "0s: exit 0", "hi-there\n"),
        ("echo $(echo $(echo deep)) > /out", "0s: exit 0", "deep\n"),
        // Arithmetic.
        ("i=3; echo $((i * 2 + 1)) $(( (1+2) % 2 )) $((i > 2 && i < 4)) > /out", "0s: exit 0", "7 1 1\n"),
        ("echo $((1 / 0)) > /out; echo after >> /out", "0s: exit 0", "after\n"),
        ("i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i > /out", "0s: exit 0", "3\n"),
        ("((x = 5 * 5)); let y=x+1; echo $x $y > /out", "0s: exit 0", "25 26\n"),
        // Tests.
        ("[ -z \"\" ] && [ -n x ] && [ 2 -gt 1 ] && [ ! -f /nope ] && echo ok > /out", "0s: exit 0", "ok\n"),
        ("[ a = b -o 1 -eq 1 ] && echo ok > /out", "0s: exit 0", "ok\n"),
        ("[[ web-1 == web-* && abc =~ ^a.c$ ]] && echo ok > /out", "0s: exit 0", "ok\n"),
        ("[[ x == \"*\" ]] || echo quoted > /out", "0s: exit 0", "quoted\n"),
        ("[ abc -eq 1 ]", "0s: exit 2", ""),
        // Loops and control flow.
        ("for i in 1 2 3; do echo $i >> /out; done", "0s: exit 0", "1\n2\n3\n"),
        ("for ((i=0;i<3;i++)); do echo $i >> /out; done", "0s: exit 0", "0\n1\n2\n"),
        ("for i in 1 2 3 4; do [ $i = 2 ] && continue; [ $i = 4 ] && break; echo $i >> /out; done", "0s: exit 0", "1\n3\n"),
        ("n=0; until [ $n = 2 ]; do n=$((n+1)); done; echo $n > /out", "0s: exit 0", "2\n"),
        ("case web-0 in db-*) echo db;; web-*|api-*) echo web;; *) echo other;; esac > /out", "0s: exit 0", "web\n"),
        ("case x in a) ;; *) echo star > /out;; esac", "0s: exit 0", "star\n"),
        ("if false; then echo a; elif true; then echo b > /out; else echo c; fi", "0s: exit 0", "b\n"),
        // Functions, groups, subshells.
        ("f() { echo \"f:$1\" >> /out; return 3; }; f x; echo $? >> /out", "0s: exit 0", "f:x\n3\n"),
        ("function g { echo g > /out; }; g", "0s: exit 0", "g\n"),
        ("X=1; (X=2; echo $X >> /out); echo $X >> /out", "0s: exit 0", "2\n1\n"),
        ("(exit 4); echo $? > /out", "0s: exit 0", "4\n"),
        ("{ echo a; echo b; } > /out", "0s: exit 0", "a\nb\n"),
        ("f() { f; }; f", "0s: exit 1", ""),
        // set -e and friends.
        ("set -e; false; echo no > /out", "0s: exit 1", ""),
        ("set -e; if false; then :; fi; false || true; ! false; echo yes > /out", "0s: exit 0", "yes\n"),
        ("set -eu; echo $NOPE", "0s: exit 1", ""),
        ("set -o pipefail; false | true; echo $? > /out", "0s: exit 0", "1\n"),
        ("false | true; echo $? > /out", "0s: exit 0", "0\n"),
        ("set -x; echo x > /out", "0s: exit 0", "x\n"),
        // Redirections and pipes.
        ("echo a > /out; echo b >> /out; echo c > /dev/null; cat /nope 2>/dev/null", "0s: exit 1", "a\nb\n"),
        ("echo hi | grep -q hi && echo found > /out", "0s: exit 0", "found\n"),
        ("echo hi | grep -q bye || echo missing > /out", "0s: exit 0", "missing\n"),
        ("printf 'a\\nb\\nc\\n' | wc -l > /out", "0s: exit 0", "3\n"),
        ("echo one | tee -a /out | cat >> /out", "0s: exit 0", "one\none\n"),
        ("printf 'x y\\n' > /in; while read a b; do echo $b $a > /out; done < /in", "0s: exit 0", "y x\n"),
        ("cat > /out <<EOF\nname=$HOSTNAME-x\nEOF", "0s: exit 0", "name=-x\n"),
        ("cat > /out <<'EOF'\n$literal\nEOF", "0s: exit 0", "$literal\n"),
        ("echo abc | tr a-z A-Z | cut -c1-2 > /out", "0s: exit 0", "AB\n"),
        ("echo a:b:c | cut -d: -f2 > /out; seq 3 | head -n1 >> /out; seq 2 4 | tail -n 1 >> /out", "0s: exit 0", "b\n1\n4\n"),
        ("echo 'k=v' | sed 's/v/w/' > /out", "0s: exit 0", "k=w\n"),
        ("echo 'a b c' | awk '{print $2}' > /out", "0s: exit 0", "b\n"),
        ("ls /nope 2>&1 > /dev/null; echo $? > /out", "0s: exit 0", "1\n"),
        ("echo x &> /out", "0s: exit 0", "x\n"),
        // Programs.
        ("expr 2 + 3 > /out; printf '%s-%03d\\n' a 7 >> /out", "0s: exit 0", "5\na-007\n"),
        ("date +%F > /out", "0s: exit 0", "2025-01-01\n"),
        ("id -u > /out; whoami >> /out; uname >> /out; pwd >> /out", "0s: exit 0", "0\nroot\nLinux\n/\n"),
        ("cp /nope /x", "0s: exit 1", ""),
        ("echo a > /a; cp /a /b; mv /b /c; cat /c > /out; [ -f /b ] || echo moved >> /out", "0s: exit 0", "a\nmoved\n"),
        ("mkdir -p /d; [ -d /d ] && touch /d/f && [ -f /d/f ] && echo ok > /out", "0s: exit 0", "ok\n"),
        ("python -c 'import sys; sys.exit(3)'", "0s: exit 3", ""),
        ("perl -e 'print 1'", "0s: exit 0", ""),
        ("seq 1 1000000000 | wc -l > /out", "0s: exit 0", "10000\n"),
        ("exit 300", "0s: exit 44", ""),
        ("source /nope", "0s: exit 1", ""),
        ("echo 'X=7' > /env.sh; . /env.sh; echo $X > /out", "0s: exit 0", "7\n"),
        ("eval 'echo ev > /out'", "0s: exit 0", "ev\n"),
        ("sh -c 'echo $0 $1 > /out; exit 5' me arg", "0s: exit 5", "me arg\n"),
        ("X=1; sh -c 'echo [$X] > /out'", "0s: exit 0", "[]\n"),
        ("export X=1; sh -c 'echo [$X] > /out'", "0s: exit 0", "[1]\n"),
        ("exec echo replaced > /out; echo not", "0s: exit 0", "replaced\n"),
        ("exec > /out; echo logged", "0s: exit 0", "logged\n"),
        ("set -- a b c; shift; echo $1 $# > /out", "0s: exit 0", "b 2\n"),
        // Forever.
        ("tail -f /dev/null", "0s: forever", ""),
        ("tail -F /opt/logs.txt", "0s: forever", ""),
        ("tail -f /opt/logs.txt", "0s: exit 1", ""),
        ("sleep infinity", "0s: forever", ""),
        ("yes > /dev/null", "0s: forever", ""),
    ] {
        let (end, out) = run(src);
        assert_eq!((end.as_str(), out.as_str()), (want_end, want_out), "{src}");
    }
}

#[test]
fn environment_comes_from_the_world() {
    let mut w = Files::default();
    w.env.insert("HOSTNAME".into(), "web-0".into());
    w.env.insert("DB".into(), "db:5432".into());
    let t = trace(
        "echo $HOSTNAME $(hostname) ${DB%:*} > /out; DB=other; printenv DB >> /out; unset DB; echo [${DB-}] >> /out",
        &mut w,
    );
    expect![[r#"
        0s: exit 0
        /out = "web-0 web-0 db\nother\n[]\n""#]]
    .assert_eq(&t);
}

#[test]
fn docs_liveness_script() {
    let mut w = Files::default();
    let t = trace(
        "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600",
        &mut w,
    );
    expect![[r#"
        0s: until 30s
        30s: until 630s
        630s: exit 0"#]]
    .assert_eq(&t);
}

#[test]
fn sleep_units() {
    for (arg, want) in [
        ("10", Some(Ms(10_000))),
        ("0.5", Some(Ms(500))),
        ("2m", Some(Ms(120_000))),
        ("1h30m", Some(Ms(5_400_000))),
        ("3650d", Some(Ms(315_360_000_000))),
        ("infinity", None),
    ] {
        assert_eq!(parse_sleep(arg), want, "{arg}");
    }
    assert_eq!(run("sleep 1 2").0, "3s: exit 0");
    assert_eq!(run("sleep abc").0, "0s: exit 1");
}

#[test]
fn init_container_waits_for_its_service() {
    let src = "until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done";
    let mut w = Files::with(&[(
        "/var/run/secrets/kubernetes.io/serviceaccount/namespace",
        "default",
    )]);
    let mut e = Exec::new(Script::parse(src).unwrap(), true);
    assert_eq!(e.resume(Ms(0), &mut w), Yield::Until(Ms(2000)));
    assert_eq!(e.resume(Ms(2000), &mut w), Yield::Until(Ms(4000)));
    w.hosts.insert(
        "myservice.default.svc.cluster.local".into(),
        "10.96.0.10".into(),
    );
    assert_eq!(e.resume(Ms(4000), &mut w), Yield::Exit(0));
    assert!(e.take_notes().is_empty());
}

#[test]
fn logging_sidecar_and_writer() {
    let mut w = Files::default();
    let t = trace(
        "while true; do echo \"logging\" >> /opt/logs.txt; sleep 1; done",
        &mut w,
    );
    assert!(t.starts_with("0s: until 1s\n1s: until 2s"), "{t}");
    assert_eq!(w.files["/opt/logs.txt"].matches("logging\n").count(), 50);
    let mut sidecar = Exec::new(
        Script::from_argv(&["tail".into(), "-F".into(), "/opt/logs.txt".into()]),
        false,
    );
    assert_eq!(sidecar.resume(Ms(0), &mut Files::default()), Yield::Forever);
}

#[test]
fn unknown_commands_are_noted_once() {
    let mut w = Files::default();
    let t = trace("python app.py; python app.py; apk add curl; exit 0", &mut w);
    expect![[r#"
        0s: exit 0
        note: Podstep does not know the command "python app.py": assumed it exits 0 at once
        note: Podstep does not know the command "apk add curl": assumed it exits 0 at once"#]]
    .assert_eq(&t);
    assert!(knows("sleep") && knows("/bin/sh") && knows("wget") && knows("[") && !knows("java"));
}

#[test]
fn image_files_are_assumed() {
    let mut w = Files::default();
    w.image.insert("/etc/nginx/nginx.conf".into());
    let t = trace(
        "cp /etc/nginx/nginx.conf /tmp/n.conf && cat /etc/nginx/nginx.conf",
        &mut w,
    );
    expect![[r#"
        0s: exit 0
        /tmp/n.conf = ""
        note: assumed /etc/nginx/nginx.conf is there (Podstep does not know the files of this image or volume)"#]]
    .assert_eq(&t);
}

#[test]
fn network_tools_exit_like_the_real_ones() {
    let mut w = Files::default();
    w.hosts.insert("web".into(), "10.0.0.1".into());
    w.hosts.insert("db".into(), "10.0.0.2".into());
    w.ports.insert(("web".into(), 80));
    w.ports.insert(("db".into(), 5432));
    w.http.insert("/healthz".into(), 200);
    w.http.insert("/broken".into(), 500);
    for (cmd, code) in [
        ("wget -q -O - http://web/healthz", 0),
        ("wget -q --spider http://web/broken", 1),
        ("wget -T 2 http://nosuch/", 1),
        ("wget http://db/", 1),
        ("curl -s http://web/healthz", 0),
        ("curl -s http://web/broken", 0),
        ("curl -sf http://web/broken", 22),
        ("curl --fail http://nosuch/", 6),
        ("curl -s -o /dev/null http://db:8080/", 7),
        ("nc -z -w 1 db 5432", 0),
        ("nc -z db 5433", 1),
        ("nc -zv nosuch 1", 1),
        ("nslookup web", 0),
        ("nslookup nosuch", 1),
        ("getent hosts web", 0),
        ("getent hosts nosuch", 2),
        ("host nosuch", 1),
        ("dig +short nosuch", 0),
    ] {
        let mut e = Exec::new(Script::parse(cmd).unwrap(), true);
        assert_eq!(e.resume(Ms(0), &mut w), Yield::Exit(code), "{cmd}");
    }
    let t = trace(
        "code=$(curl -s -o /dev/null -w '%{http_code}' http://web/healthz); echo $code > /out",
        &mut w,
    );
    assert!(t.contains("/out = \"200\\n\""), "{t}");
}

#[test]
fn stress_against_the_memory_limit() {
    let argv = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
    let mut w = Files {
        memory: Some(200 * 1024 * 1024),
        ..Files::default()
    };
    let mut over = Exec::new(
        Script::from_argv(&argv("stress --vm 1 --vm-bytes 250M --vm-hang 1")),
        false,
    );
    assert_eq!(over.resume(Ms(0), &mut w), Yield::Until(Ms(1000)));
    assert_eq!(over.resume(Ms(1000), &mut w), Yield::OomKilled);
    let mut under = Exec::new(
        Script::from_argv(&argv("stress --vm 1 --vm-bytes 150M --vm-hang 1")),
        false,
    );
    assert_eq!(under.resume(Ms(0), &mut w), Yield::Forever);
    let mut timed = Exec::new(
        Script::from_argv(&argv("stress-ng --cpu 1 --timeout 60s")),
        false,
    );
    assert_eq!(timed.resume(Ms(0), &mut w), Yield::Until(Ms(60_000)));
    assert_eq!(timed.resume(Ms(60_000), &mut w), Yield::Exit(0));
    let mut bg = Exec::new(
        Script::parse("stress --vm 2 --vm-bytes 150M & wait").unwrap(),
        true,
    );
    assert_eq!(bg.resume(Ms(0), &mut w), Yield::Until(Ms(1000)));
    assert_eq!(bg.resume(Ms(1000), &mut w), Yield::OomKilled);
}

#[test]
fn timeout_stops_what_outlives_it() {
    assert_eq!(run("timeout 5 sleep 10").0, "5s: exit 124");
    assert_eq!(run("timeout 5 sleep 1").0, "1s: exit 0");
    assert_eq!(run("timeout -s KILL 2 tail -f /dev/null").0, "2s: exit 137");
    assert_eq!(
        run("timeout 3 sh -c 'until false; do sleep 1; done'").0,
        "3s: exit 124"
    );
    assert_eq!(run("timeout 3 sh -c 'sleep 1; exit 7'").0, "1s: exit 7");
    assert_eq!(run("timeout 10 false").0, "0s: exit 1");
}

#[test]
fn background_jobs_wait_and_kill() {
    assert_eq!(run("sleep 5 & sleep 3 & wait").0, "5s: exit 0");
    assert_eq!(
        run("sleep 5 & P=$!; wait $P; echo $? > /out"),
        ("5s: exit 0".into(), "0\n".into())
    );
    assert_eq!(
        run("sleep 100 & kill %1; wait %1; echo $? > /out"),
        ("0s: exit 0".into(), "143\n".into())
    );
    assert_eq!(
        run("sleep 100 & kill -9 $!; wait $!; echo $? > /out"),
        ("0s: exit 0".into(), "137\n".into())
    );
    // Any command or loop can run in the background, as its own process.
    let mut w = Files::default();
    let t = trace("(for i in 1 2 3; do echo $i >> /out; sleep 1; done) & echo started > /s; wait; echo done >> /out", &mut w);
    expect![[r#"
        0s: until 1s
        1s: until 2s
        2s: until 3s
        3s: exit 0
        /out = "1\n2\n3\ndone\n"
        /s = "started\n""#]]
    .assert_eq(&t);
    // Jobs die with the shell.
    let mut w = Files::default();
    let t = trace(
        "while true; do echo x >> /bg; sleep 1; done & sleep 2",
        &mut w,
    );
    assert!(
        t.contains("2s: exit 0") && t.contains("/bg = \"x\\nx\\nx\\n\""),
        "{t}"
    );
    // A bounded number of jobs.
    let mut w = Files::default();
    let t = trace(
        "for i in $(seq 20); do sleep 100 & done; echo $? > /out",
        &mut w,
    );
    assert!(
        t.contains("/out = \"1\\n\"") && t.contains("more than 16 background jobs"),
        "{t}"
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

    // `wait` returns 128+15, and the script goes on after the handler.
    let mut on = Exec::new(
        Script::parse("trap 'echo t >> /out' TERM; sleep 100 & wait; echo $? >> /out").unwrap(),
        true,
    );
    on.resume(Ms(0), &mut w);
    assert!(on.term(Ms(1_000)));
    assert_eq!(on.resume(Ms(1_000), &mut w), Yield::Exit(0));
    assert_eq!(w.files["/out"], "t\n143\n");

    let mut none = Exec::new(Script::parse("sleep 100").unwrap(), true);
    none.resume(Ms(0), &mut w);
    assert!(!none.term(Ms(1)));
}

#[test]
fn exit_trap_runs_at_the_end_and_after_a_handler_exits() {
    let (end, out) = run("trap 'echo bye >> /out' EXIT; echo hi > /out");
    assert_eq!((end.as_str(), out.as_str()), ("0s: exit 0", "hi\nbye\n"));
    let (end, out) = run("trap 'echo bye > /out' 0; exit 3");
    assert_eq!((end.as_str(), out.as_str()), ("0s: exit 3", "bye\n"));
    let mut w = Files::default();
    let mut e = Exec::new(
        Script::parse("trap 'echo cleanup > /out' EXIT; trap 'exit 2' TERM; sleep 100 & wait")
            .unwrap(),
        true,
    );
    e.resume(Ms(0), &mut w);
    assert!(e.term(Ms(10)));
    assert_eq!(e.resume(Ms(10), &mut w), Yield::Exit(2));
    assert_eq!(w.files["/out"], "cleanup\n");
    // An EXIT trap alone does not catch SIGTERM: PID 1 still ignores it.
    let mut e = Exec::new(
        Script::parse("trap 'exit 0' EXIT; sleep 9 & wait").unwrap(),
        true,
    );
    e.resume(Ms(0), &mut w);
    assert!(!e.term(Ms(1)));
}

#[test]
fn a_trap_catches_only_the_signals_it_names() {
    let mut w = Files::default();
    let script = "trap 'exit 3' QUIT INT; sleep 100 & wait";
    let mut sh = Exec::new(Script::parse(script).unwrap(), true);
    sh.resume(Ms(0), &mut w);
    assert!(
        !sh.signal(Signal::TERM, Ms(1)),
        "PID 1 ignores an untrapped SIGTERM"
    );
    assert!(!sh.signal(Signal::WINCH, Ms(1)));
    assert!(sh.signal(Signal::QUIT, Ms(2)));
    assert_eq!(sh.resume(Ms(2), &mut w), Yield::Exit(3));
    for (script, caught) in [
        ("trap 'exit 0' SIGINT; sleep 9 & wait", true),
        ("trap 'exit 0' 2; sleep 9 & wait", true),
        ("trap 'exit 0' INT; trap - INT; sleep 9 & wait", false),
        ("trap 'exit 0' EXIT; sleep 9 & wait", false),
        ("trap '' INT; sleep 9 & wait", false),
    ] {
        let mut sh = Exec::new(Script::parse(script).unwrap(), true);
        sh.resume(Ms(0), &mut w);
        assert_eq!(sh.signal(Signal::INT, Ms(1)), caught, "{script}");
    }
}

#[test]
fn not_pid1_an_untrapped_sigterm_ends_the_process() {
    let mut w = Files::default();
    for (script, sig, code) in [
        ("sleep 3600", Signal::TERM, Some(143)),
        ("while true; do sleep 1; done", Signal::INT, Some(130)),
        ("sleep 3600 & wait", Signal::QUIT, Some(131)),
        ("sleep 3600", Signal::WINCH, None),
        ("trap '' TERM; sleep 3600", Signal::TERM, None),
    ] {
        let mut e = Exec::new(Script::parse(script).unwrap(), true);
        e.pid1 = false;
        e.resume(Ms(0), &mut w);
        assert_eq!(e.signal(sig, Ms(500)), code.is_some(), "{script}");
        if let Some(c) = code {
            assert_eq!(e.resume(Ms(500), &mut w), Yield::Exit(c), "{script}");
        }
    }
    let mut argv = Exec::new(Script::from_argv(&["sleep".into(), "3600".into()]), false);
    argv.pid1 = false;
    argv.resume(Ms(0), &mut w);
    assert!(argv.term(Ms(1)));
    assert_eq!(argv.resume(Ms(1), &mut w), Yield::Exit(143));
    // Killing itself.
    let mut e = Exec::new(
        Script::parse("trap 'exit 9' TERM; kill -TERM $$; sleep 5").unwrap(),
        true,
    );
    assert_eq!(e.resume(Ms(0), &mut w), Yield::Exit(9));
}

#[test]
fn loops_yield_and_are_bounded() {
    let mut w = Files::default();
    let t = trace("while true; do :; done", &mut w);
    assert!(t.starts_with("0s: until 1s\n1s: until 2s"), "{t}");
    let t = trace("f() { echo $(f); }; f", &mut w);
    assert!(
        t.contains("0s: exit 0") && t.contains("nested deeper than 32"),
        "{t}"
    );
    let t = trace("x=a; while true; do x=$x$x; done", &mut w);
    assert!(t.contains("grew past 65536 bytes"), "{t}");
}

#[test]
fn parse_errors_are_reported() {
    for bad in [
        "if true; then",
        "echo 'oops",
        "for 1 in a; do :; done",
        "case x in",
        "(",
        "f() {",
        "$(",
        "a | | b",
    ] {
        assert!(Script::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn hostile_scripts_never_panic() {
    // Punctuation, keywords and expansions in random order, run in a small world.
    let pieces = [
        "$(",
        ")",
        "`",
        "'",
        "\"",
        "${",
        "}",
        "$((",
        "))",
        "((",
        "[[",
        "]]",
        "[",
        "]",
        "{",
        "(",
        ";",
        ";;",
        "&",
        "&&",
        "||",
        "|",
        ">",
        ">>",
        "<",
        "<<",
        "2>&1",
        "&>",
        "\n",
        " ",
        "if",
        "then",
        "fi",
        "for",
        "in",
        "do",
        "done",
        "while",
        "case",
        "esac",
        "x",
        "$x",
        "$1",
        "$@",
        "#",
        "\\",
        "=",
        "==",
        "=~",
        "-f",
        "!",
        "*",
        "sleep 1",
        "exit",
        "trap",
        "wait",
        "kill %1",
        "seq 9",
        "1/0",
        "9223372036854775807",
        "-1",
        "EOF",
        "<<EOF",
        ":-",
        "##",
        "%",
        "/",
        "f()",
        "eval",
        "exec",
        "sh -c",
        "break",
        "return",
        "shift",
        "read",
        "timeout 1",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..4000 {
        let mut src = String::new();
        let n = (seed >> 33) % 24;
        for _ in 0..n {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            src.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            if seed & 8 == 0 {
                src.push(' ');
            }
        }
        if let Ok(script) = Script::parse(&src) {
            let mut e = Exec::new(script, true);
            let mut w = Files::with(&[("/f", "a\nb\n")]);
            let mut now = Ms(0);
            for _ in 0..20 {
                match e.resume(now, &mut w) {
                    Yield::Until(t) => now = t,
                    _ => break,
                }
                if seed & 1 == 0 {
                    e.term(now);
                }
            }
        }
    }
}
