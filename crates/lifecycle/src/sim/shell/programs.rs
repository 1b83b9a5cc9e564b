//! The builtins and the library of programs a command can name, by the basename of its first word.
//! What each program prints and how it exits follows busybox (the image most manifests run), with
//! GNU's behaviour where they agree. A program outside the library succeeds at once, with a note.

use super::pattern::{self, Regex};
use super::{parse_signal, signal_of, Exec, Fg, Frame, JobRun, Ms, NetError, Node, World, Yield};

/// Shell builtins.
const BUILTINS: &[&str] = &[
    ":", ".", "[", "[[", "alias", "bg", "break", "builtin", "cd", "command", "continue", "declare",
    "echo", "eval", "exec", "exit", "export", "false", "fg", "getopts", "hash", "jobs", "kill",
    "let", "local", "printf", "pwd", "read", "readonly", "return", "set", "shift", "source",
    "test", "times", "trap", "true", "type", "typeset", "ulimit", "umask", "unalias", "unset",
    "wait",
];

/// Programs the library runs.
const PROGRAMS: &[&str] = &[
    "sh",
    "bash",
    "ash",
    "dash",
    "zsh",
    "sleep",
    "usleep",
    "tail",
    "head",
    "cat",
    "grep",
    "egrep",
    "fgrep",
    "wc",
    "tr",
    "cut",
    "sort",
    "uniq",
    "seq",
    "expr",
    "basename",
    "dirname",
    "realpath",
    "readlink",
    "tee",
    "touch",
    "mkdir",
    "rm",
    "rmdir",
    "cp",
    "mv",
    "ln",
    "chmod",
    "chown",
    "chgrp",
    "ls",
    "stat",
    "mkfifo",
    "sync",
    "logger",
    "printenv",
    "env",
    "hostname",
    "date",
    "id",
    "whoami",
    "uname",
    "nproc",
    "arch",
    "nslookup",
    "getent",
    "host",
    "dig",
    "wget",
    "curl",
    "nc",
    "netcat",
    "ncat",
    "timeout",
    "nohup",
    "nice",
    "time",
    "setsid",
    "tini",
    "dumb-init",
    "su-exec",
    "gosu",
    "stress",
    "stress-ng",
    "yes",
    "watch",
    "top",
    "perl",
    "python",
    "python2",
    "python3",
    "node",
    "ruby",
    "php",
    "sed",
    "awk",
    "which",
];

/// Interpreters that run an inline program (`python -c`, `node -e`…) and exit.
const INTERPRETERS: &[&str] = &[
    "perl", "python", "python2", "python3", "node", "ruby", "php",
];

const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh"];

fn base(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or(p)
}

/// The shell or its library has `program` (a builtin, or a program by its basename).
pub fn knows(program: &str) -> bool {
    let b = base(program);
    BUILTINS.contains(&b) || PROGRAMS.contains(&b)
}

/// One `sleep` operand: `Ok(None)` for `infinity`, `Err` when unreadable.
pub(super) fn sleep_arg(arg: &str) -> Result<Option<Ms>, ()> {
    if matches!(arg, "infinity" | "inf" | "Infinity") {
        return Ok(None);
    }
    let mut total = 0.0f64;
    let mut rest = arg;
    if rest.is_empty() {
        return Err(());
    }
    while !rest.is_empty() {
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let v: f64 = rest[..n].parse().map_err(|_| ())?;
        rest = &rest[n..];
        let mult = match rest.chars().next() {
            Some('s') => 1.0,
            Some('m') => 60.0,
            Some('h') => 3600.0,
            Some('d') => 86_400.0,
            None => 1.0,
            Some(_) => return Err(()),
        };
        if !rest.is_empty() {
            rest = &rest[1..];
        }
        total += v * mult;
    }
    let ms = total * 1000.0;
    if !ms.is_finite() || ms > 1e15 {
        Ok(None)
    } else {
        Ok(Some(Ms(ms.round() as u64)))
    }
}

/// `sleep A B …`: the sum (GNU); `Ok(None)` if any is infinite.
pub(super) fn sleep_duration(args: &[String]) -> Result<Option<Ms>, ()> {
    if args.is_empty() {
        return Err(());
    }
    let mut total = Ms(0);
    for a in args {
        match sleep_arg(a)? {
            None => return Ok(None),
            Some(d) => total = Ms(total.0.saturating_add(d.0).min(1_000_000_000_000_000)),
        }
    }
    Ok(Some(total))
}

/// A size such as `150M`, `1G`, `512k`, `1048576` (stress counts in powers of 1024).
fn size_bytes(s: &str) -> Option<u64> {
    let s = s.trim();
    let n = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let v: f64 = s[..n].parse().ok()?;
    let mult = match s[n..].to_ascii_lowercase().trim_end_matches(['b', 'i']) {
        "" => 1.0,
        "k" => 1024.0,
        "m" => 1024.0 * 1024.0,
        "g" => 1024.0 * 1024.0 * 1024.0,
        "t" => 1024.0f64.powi(4),
        _ => return None,
    };
    let b = v * mult;
    b.is_finite().then_some(b.min(u64::MAX as f64 / 2.0) as u64)
}

/// `http://host[:port]/path`: (host, port, path).
fn url(u: &str) -> Option<(String, u16, String)> {
    let (scheme, rest) = match u.split_once("://") {
        Some((s, r)) => (s.to_ascii_lowercase(), r),
        None => ("http".to_string(), u),
    };
    let default_port = if scheme == "https" { 443 } else { 80 };
    let (hostport, path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].to_string()),
        None => (rest, "/".to_string()),
    };
    let hostport = hostport.rsplit('@').next().unwrap_or(hostport);
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || hostport.starts_with('[') => {
            (h.trim_matches(['[', ']']).to_string(), p.parse().ok()?)
        }
        _ => (hostport.to_string(), default_port),
    };
    (!host.is_empty()).then_some((host, port, path))
}

/// Days since 1970-01-01 → (year, month, day).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Simulated time 0 is this Unix time (2025-01-01T00:00:00Z), so `date` is deterministic.
const EPOCH: i64 = 1_735_689_600;

fn date(now: Ms, fmt: Option<&str>) -> String {
    let t = EPOCH + (now.0 / 1000) as i64;
    let (y, mo, d) = civil(t.div_euclid(86_400));
    let secs = t.rem_euclid(86_400);
    let (h, mi, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let wd = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        [t.div_euclid(86_400).rem_euclid(7) as usize];
    let mon = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(mo as usize).saturating_sub(1).min(11)];
    let Some(fmt) = fmt else {
        return format!("{wd} {mon} {d:2} {h:02}:{mi:02}:{s:02} UTC {y}");
    };
    let mut out = String::new();
    let mut it = fmt.chars();
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('s') => out.push_str(&t.to_string()),
            Some('Y') => out.push_str(&y.to_string()),
            Some('m') => out.push_str(&format!("{mo:02}")),
            Some('d') => out.push_str(&format!("{d:02}")),
            Some('H') => out.push_str(&format!("{h:02}")),
            Some('M') => out.push_str(&format!("{mi:02}")),
            Some('S') => out.push_str(&format!("{s:02}")),
            Some('F') => out.push_str(&format!("{y}-{mo:02}-{d:02}")),
            Some('T') => out.push_str(&format!("{h:02}:{mi:02}:{s:02}")),
            Some('N') => out.push_str(&format!("{:09}", (now.0 % 1000) * 1_000_000)),
            Some('z') => out.push_str("+0000"),
            Some('Z') => out.push_str("UTC"),
            Some('a') => out.push_str(wd),
            Some('b') => out.push_str(mon),
            Some('%') => out.push('%'),
            Some(x) => {
                out.push('%');
                out.push(x);
            }
            None => out.push('%'),
        }
    }
    out
}

/// `echo -e` / `printf` escapes.
fn escapes(s: &str) -> (String, bool) {
    let mut out = String::new();
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('a') => out.push('\u{7}'),
            Some('e') => out.push('\u{1b}'),
            Some('\\') => out.push('\\'),
            Some('c') => return (out, true),
            Some('0') => {
                let mut n = 0u32;
                for _ in 0..3 {
                    match it.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            n = n * 8 + d;
                            it.next();
                        }
                        None => break,
                    }
                }
                out.extend(char::from_u32(n));
            }
            Some(x) => {
                out.push('\\');
                out.push(x);
            }
            None => out.push('\\'),
        }
    }
    (out, false)
}

fn printf(fmt: &str, args: &[String]) -> String {
    let mut out = String::new();
    let mut args = args.iter();
    let mut rounds = 0;
    loop {
        let mut used = false;
        let mut it = fmt.chars().peekable();
        while let Some(c) = it.next() {
            if c == '\\' {
                let mut e = String::from('\\');
                e.extend(it.next());
                out.push_str(&escapes(&e).0);
                continue;
            }
            if c != '%' {
                out.push(c);
                continue;
            }
            let mut spec = String::new();
            while let Some(&n) = it.peek() {
                if n.is_ascii_digit() || matches!(n, '-' | '+' | ' ' | '0' | '.' | '#') {
                    spec.push(n);
                    it.next();
                } else {
                    break;
                }
            }
            let Some(conv) = it.next() else {
                out.push('%');
                break;
            };
            if conv == '%' {
                out.push('%');
                continue;
            }
            used = true;
            let arg = args.next().map(String::as_str).unwrap_or("");
            let left = spec.starts_with('-');
            let zero = spec.starts_with('0');
            let (width, prec) = match spec
                .trim_start_matches(['-', '+', ' ', '0', '#'])
                .split_once('.')
            {
                Some((w, p)) => (w.parse::<usize>().unwrap_or(0), p.parse::<usize>().ok()),
                None => (
                    spec.trim_start_matches(['-', '+', ' ', '0', '#'])
                        .parse()
                        .unwrap_or(0),
                    None,
                ),
            };
            let width = width.min(1024);
            let int = || -> i64 {
                let a = arg.trim();
                a.parse::<i64>()
                    .ok()
                    .or_else(|| {
                        a.strip_prefix('\'')
                            .and_then(|r| r.chars().next())
                            .map(|c| c as i64)
                    })
                    .unwrap_or(0)
            };
            let body = match conv {
                's' => match prec {
                    Some(p) => arg.chars().take(p).collect(),
                    None => arg.to_string(),
                },
                'b' => escapes(arg).0,
                'c' => arg.chars().next().map(String::from).unwrap_or_default(),
                'd' | 'i' | 'u' => int().to_string(),
                'x' => format!("{:x}", int()),
                'X' => format!("{:X}", int()),
                'o' => format!("{:o}", int()),
                'f' | 'g' | 'e' => {
                    let v: f64 = arg.trim().parse().unwrap_or(0.0);
                    format!("{:.*}", prec.unwrap_or(6).min(30), v)
                }
                other => format!("%{spec}{other}"),
            };
            let pad = width.saturating_sub(body.chars().count());
            if left {
                out.push_str(&body);
                out.extend(std::iter::repeat_n(' ', pad));
            } else if zero && conv != 's' {
                let (sign, digits) = match body.strip_prefix('-') {
                    Some(d) => ("-", d),
                    None => ("", body.as_str()),
                };
                out.push_str(sign);
                out.extend(std::iter::repeat_n('0', pad));
                out.push_str(digits);
            } else {
                out.extend(std::iter::repeat_n(' ', pad));
                out.push_str(&body);
            }
        }
        rounds += 1;
        if !used || args.len() == 0 || rounds > 1000 || out.len() > crate::limits::MAX_FILE_BYTES {
            break;
        }
    }
    out
}

/// `tr` sets: ranges, escapes and `[:class:]`.
fn tr_set(s: &str) -> Vec<char> {
    let s = s
        .replace("[:upper:]", "A-Z")
        .replace("[:lower:]", "a-z")
        .replace("[:digit:]", "0-9")
        .replace("[:alpha:]", "a-zA-Z")
        .replace("[:alnum:]", "a-zA-Z0-9")
        .replace("[:space:]", " \t\n\r");
    let (s, _) = escapes(&s);
    let c: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        if i + 2 < c.len() && c[i + 1] == '-' && c[i] <= c[i + 2] {
            for x in c[i] as u32..=(c[i + 2] as u32).min(c[i] as u32 + 1024) {
                out.extend(char::from_u32(x));
            }
            i += 3;
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

/// `cut` lists: `1`, `1,3`, `2-`, `-2`, `1-3` (1-based, inclusive).
fn ranges(list: &str) -> Vec<(usize, usize)> {
    list.split(',')
        .filter_map(|r| match r.split_once('-') {
            Some((a, b)) => Some((a.parse().unwrap_or(1), b.parse().unwrap_or(usize::MAX))),
            None => r.parse().ok().map(|n| (n, n)),
        })
        .collect()
}

fn in_ranges(r: &[(usize, usize)], i: usize) -> bool {
    r.iter().any(|&(a, b)| a <= i && i <= b)
}

/// `argv` split into flags (`-abc`, `--long`, `--long=v`) and operands, with flags that take a
/// value (`with_value`) given theirs.
struct Args {
    flags: Vec<(String, Option<String>)>,
    operands: Vec<String>,
}

fn getopt(args: &[String], with_value: &[&str]) -> Args {
    let mut flags = Vec::new();
    let mut operands = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--" {
            operands.extend(it.cloned());
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (k, v) = match long.split_once('=') {
                Some((k, v)) => (format!("--{k}"), Some(v.to_string())),
                None => (a.clone(), None),
            };
            let v = match v {
                None if with_value.contains(&k.as_str()) => it.next().cloned(),
                v => v,
            };
            flags.push((k, v));
        } else if a.len() > 1
            && a.starts_with('-')
            && !a[1..].starts_with(|c: char| c.is_ascii_digit())
        {
            let chars: Vec<char> = a[1..].chars().collect();
            for (i, c) in chars.iter().enumerate() {
                let k = format!("-{c}");
                if with_value.contains(&k.as_str()) {
                    let rest: String = chars[i + 1..].iter().collect();
                    let v = if rest.is_empty() {
                        it.next().cloned()
                    } else {
                        Some(rest)
                    };
                    flags.push((k, v));
                    break;
                }
                flags.push((k, None));
            }
        } else {
            operands.push(a.clone());
        }
    }
    Args { flags, operands }
}

impl Args {
    fn has(&self, names: &[&str]) -> bool {
        self.flags.iter().any(|(k, _)| names.contains(&k.as_str()))
    }
    fn value(&self, names: &[&str]) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .find(|(k, _)| names.contains(&k.as_str()))
            .and_then(|(_, v)| v.as_deref())
    }
}

fn lines(s: &str) -> Vec<&str> {
    let mut v: Vec<&str> = s.split('\n').collect();
    if s.ends_with('\n') || s.is_empty() {
        v.pop();
    }
    v
}

fn join_lines(v: &[&str]) -> String {
    let mut s = v.join("\n");
    if !v.is_empty() {
        s.push('\n');
    }
    s
}

impl Exec {
    /// The first `n` operands (or standard input): their contents concatenated, and whether all
    /// could be read.
    fn inputs_of(&mut self, files: &[String], tool: &str, world: &mut dyn World) -> (String, bool) {
        if files.is_empty() {
            return (self.stdin_all().unwrap_or_default(), true);
        }
        let mut all = String::new();
        let mut ok = true;
        for f in files {
            match self.read_file(f, tool, world) {
                Ok(c) => {
                    if all.len() + c.len() <= crate::limits::MAX_FILE_BYTES {
                        all.push_str(&c);
                    }
                }
                Err(_) => ok = false,
            }
        }
        (all, ok)
    }

    fn unknown(&mut self, argv: &[String]) {
        let mut cmd = argv.join(" ");
        if cmd.len() > 200 {
            cmd.truncate(super::floor_char(&cmd, 200));
            cmd.push('…');
        }
        self.note(format!(
            "Podstep does not know the command \"{cmd}\": assumed it exits 0 at once"
        ));
        self.status = 0;
    }

    fn block(&mut self, until: Option<Ms>, status: i32) {
        self.fg = Some(Fg::Sleep { until, status });
    }

    /// Runs the builtin or program `argv[0]`: sets the status, or blocks (`self.fg`), or pushes
    /// frames (a script it runs).
    pub(super) fn program(&mut self, argv: &[String], now: Ms, world: &mut dyn World) {
        let name = base(&argv[0]).to_string();
        let args = &argv[1..];
        match name.as_str() {
            ":" | "true" | "alias" | "unalias" | "hash" | "ulimit" | "umask" | "times" | "sync"
            | "logger" | "bg" | "fg" | "jobs" => self.status = 0,
            "false" => self.status = 1,
            "exit" => {
                let code = match args.first() {
                    Some(a) => a.trim().parse::<i64>().map_or(2, |c| (c & 0xff) as i32),
                    None => self.status,
                };
                self.exit(code);
            }
            "return" => {
                let code = args
                    .first()
                    .and_then(|a| a.parse::<i64>().ok())
                    .map_or(self.status, |c| (c & 0xff) as i32);
                self.unwind_return(code);
            }
            "break" | "continue" => {
                let n = args
                    .first()
                    .and_then(|a| a.parse::<usize>().ok())
                    .unwrap_or(1)
                    .max(1);
                self.unwind_loop(n, name == "continue");
            }
            "shift" => {
                let n = args
                    .first()
                    .and_then(|a| a.parse::<usize>().ok())
                    .unwrap_or(1);
                if n > self.args.len() {
                    self.status = 1;
                } else {
                    self.args.drain(..n);
                }
            }
            "set" => self.set(args),
            "export" | "readonly" | "local" | "declare" | "typeset" => {
                let export =
                    name == "export" || args.iter().any(|a| a.starts_with('-') && a.contains('x'));
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    let (n, v) = match a.split_once('=') {
                        Some((n, v)) => (n, Some(v.to_string())),
                        None => (a.as_str(), None),
                    };
                    if let Some(v) = v {
                        self.assign(n, v);
                    } else if name == "local" && !self.vars.set.contains_key(n) {
                        self.assign(n, String::new());
                    }
                    if export {
                        self.vars.exported.insert(n.to_string());
                    }
                }
            }
            "unset" => {
                let funcs = args.first().is_some_and(|a| a == "-f");
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    if funcs {
                        self.funcs.remove(a);
                    } else {
                        self.vars.set.remove(a);
                        self.vars.unset.insert(a.clone());
                        self.vars.exported.remove(a);
                    }
                }
            }
            "cd" => {
                let dir = args
                    .iter()
                    .find(|a| !a.starts_with('-'))
                    .cloned()
                    .unwrap_or_else(|| self.get_var("HOME", world).unwrap_or_else(|| "/".into()));
                let d = self.abs(&dir, world);
                let d = d.trim_end_matches('/');
                self.assign("PWD", if d.is_empty() { "/".into() } else { d.into() });
            }
            "pwd" => {
                let d = self.get_var("PWD", world).unwrap_or_else(|| "/".into());
                self.out(&format!("{d}\n"), world);
            }
            "read" => self.read(args),
            "eval" => {
                let src = args.join(" ");
                self.run_text(&src, "eval");
            }
            "source" | "." => {
                let Some(file) = args.first() else {
                    self.status = 2;
                    return;
                };
                let Ok(src) = self.read_file(file, &name, world) else {
                    return;
                };
                self.run_text(&src, &name);
            }
            "trap" => self.trap(args, world),
            "wait" => self.wait(args, now),
            "kill" => self.kill(args, now, world),
            "exec" => {
                if args.is_empty() {
                    self.keep_io = true;
                    return;
                }
                // The program replaces the shell: nothing after it runs, no trap is left.
                self.stack.clear();
                self.traps.clear();
                self.exit_trap = None;
                self.is_shell = false;
                self.cond_depth = 0;
                let rest = args.to_vec();
                self.wrapped(rest, now, world);
            }
            "command" | "builtin" | "type" | "which" => {
                let a = getopt(args, &[]);
                if name == "command" && !a.has(&["-v", "-V"]) {
                    self.wrapped(a.operands, now, world);
                    return;
                }
                for p in &a.operands {
                    if !knows(p) && !self.funcs.contains_key(p) {
                        self.note(format!("assumed the image has the program {p}"));
                    }
                    let line = if BUILTINS.contains(&p.as_str()) {
                        p.clone()
                    } else {
                        format!("/usr/bin/{}", base(p))
                    };
                    self.out(&format!("{line}\n"), world);
                }
            }
            "let" => {
                let mut last = 0;
                for a in args {
                    match self.arith(a, now, world) {
                        Some(v) => last = v,
                        None => return,
                    }
                }
                self.status = i32::from(last == 0);
            }
            "test" | "[" => {
                let mut a: Vec<String> = args.to_vec();
                if name == "[" {
                    if a.last().map(String::as_str) != Some("]") {
                        self.err("[: missing ]\n", world);
                        self.status = 2;
                        return;
                    }
                    a.pop();
                }
                self.status = match self.test(&a, world) {
                    Ok(b) => i32::from(!b),
                    Err(e) => {
                        self.err(&format!("{name}: {e}\n"), world);
                        2
                    }
                };
            }
            "echo" => {
                let mut newline = true;
                let mut interpret = false;
                let mut i = 0;
                while let Some(a) = args.get(i) {
                    if a.len() > 1
                        && a.starts_with('-')
                        && a[1..].chars().all(|c| "neE".contains(c))
                    {
                        newline &= !a.contains('n');
                        interpret = a.contains('e') || (interpret && !a.contains('E'));
                        i += 1;
                    } else {
                        break;
                    }
                }
                let mut s = args[i..].join(" ");
                if interpret {
                    let (e, stop) = escapes(&s);
                    s = e;
                    newline &= !stop;
                }
                if newline {
                    s.push('\n');
                }
                self.out(&s, world);
            }
            "printf" => {
                let (fmt, rest) = match args.split_first() {
                    Some((f, r)) if f == "--" => match r.split_first() {
                        Some((f, r)) => (f.clone(), r),
                        None => (String::new(), r),
                    },
                    Some((f, r)) => (f.clone(), r),
                    None => {
                        self.status = 2;
                        return;
                    }
                };
                let s = printf(&fmt, rest);
                self.out(&s, world);
            }
            "sleep" | "usleep" => {
                let d = if name == "usleep" {
                    args.first()
                        .and_then(|a| a.parse::<u64>().ok())
                        .map(|us| Ok(Some(Ms(us / 1000))))
                        .unwrap_or(Err(()))
                } else {
                    sleep_duration(args)
                };
                match d {
                    Err(()) => {
                        self.err("sleep: invalid number\n", world);
                        self.status = 1;
                    }
                    Ok(Some(Ms(0))) => {}
                    Ok(Some(d)) => self.block(Some(now + d), 0),
                    Ok(None) => self.block(None, 0),
                }
            }
            "yes" | "watch" | "top" => self.block(None, 0),
            "sh" | "bash" | "ash" | "dash" | "zsh" => self.shell(args, world),
            "timeout" => self.timeout(args, now, world),
            "nohup" | "nice" | "time" | "setsid" => {
                let a = getopt(args, &["-n"]);
                self.wrapped(a.operands, now, world);
            }
            "tini" | "dumb-init" => {
                // An init forwards signals to its child, which is then not PID 1.
                let a = getopt(args, &["-e", "-l", "-r", "--rewrite"]);
                self.pid1 = false;
                self.wrapped(a.operands, now, world);
            }
            "su-exec" | "gosu" => self.wrapped(args.iter().skip(1).cloned().collect(), now, world),
            "env" => {
                let mut i = 0;
                let mut assigns = Vec::new();
                while let Some(a) = args.get(i) {
                    if a.starts_with('-') {
                        i += 1;
                        if a == "-u" {
                            i += 1;
                        }
                    } else if let Some((n, v)) = a.split_once('=') {
                        assigns.push((n.to_string(), v.to_string()));
                        i += 1;
                    } else {
                        break;
                    }
                }
                if i >= args.len() {
                    let mut s = String::new();
                    for (n, v) in &self.vars.set {
                        if self.vars.exported(n, world) {
                            s.push_str(&format!("{n}={v}\n"));
                        }
                    }
                    for n in [
                        "HOSTNAME",
                        "HOME",
                        "PATH",
                        "KUBERNETES_SERVICE_HOST",
                        "KUBERNETES_SERVICE_PORT",
                    ] {
                        if !self.vars.set.contains_key(n) {
                            if let Some(v) = self.get_var(n, world) {
                                s.push_str(&format!("{n}={v}\n"));
                            }
                        }
                    }
                    for (n, v) in assigns {
                        s.push_str(&format!("{n}={v}\n"));
                    }
                    self.out(&s, world);
                } else {
                    for (n, v) in assigns {
                        self.assign(&n, v);
                        self.vars.exported.insert(n);
                    }
                    self.wrapped(args[i..].to_vec(), now, world);
                }
            }
            "printenv" => {
                if args.is_empty() {
                    self.program(&["env".to_string()], now, world);
                    return;
                }
                let mut found = true;
                for n in args {
                    match self
                        .get_var(n, world)
                        .filter(|_| self.vars.exported(n, world))
                    {
                        Some(v) => self.out(&format!("{v}\n"), world),
                        None => found = false,
                    }
                }
                self.status = i32::from(!found);
            }
            "hostname" => {
                let h = self
                    .get_var("HOSTNAME", world)
                    .unwrap_or_else(|| "localhost".into());
                let s = if args.iter().any(|a| a == "-i" || a == "-I") {
                    world.resolve(&h).unwrap_or_default()
                } else {
                    h
                };
                self.out(&format!("{s}\n"), world);
            }
            "date" => {
                let fmt = args.iter().find_map(|a| a.strip_prefix('+'));
                let s = date(now, fmt);
                self.out(&format!("{s}\n"), world);
            }
            "id" => {
                let s = if args.iter().any(|a| a == "-u" || a == "-g") {
                    "0".to_string()
                } else if args.iter().any(|a| a == "-un" || a == "-nu") {
                    "root".to_string()
                } else {
                    "uid=0(root) gid=0(root) groups=0(root)".to_string()
                };
                self.out(&format!("{s}\n"), world);
            }
            "whoami" => self.out("root\n", world),
            "uname" => {
                let s = if args.iter().any(|a| a == "-a") {
                    "Linux pod 6.1.0 #1 SMP x86_64 GNU/Linux"
                } else if args.iter().any(|a| a == "-m") {
                    "x86_64"
                } else if args.iter().any(|a| a == "-r") {
                    "6.1.0"
                } else {
                    "Linux"
                };
                self.out(&format!("{s}\n"), world);
            }
            "arch" => self.out("x86_64\n", world),
            "nproc" => self.out("1\n", world),
            "basename" => {
                let Some(p) = args.first() else {
                    self.status = 1;
                    return;
                };
                let mut b = base(p.trim_end_matches('/')).to_string();
                if let Some(suffix) = args.get(1) {
                    if b != *suffix {
                        if let Some(s) = b.strip_suffix(suffix.as_str()) {
                            b = s.to_string();
                        }
                    }
                }
                self.out(&format!("{b}\n"), world);
            }
            "dirname" => {
                let Some(p) = args.first() else {
                    self.status = 1;
                    return;
                };
                let t = p.trim_end_matches('/');
                let d = match t.rfind('/') {
                    Some(0) => "/",
                    Some(i) => &t[..i],
                    None => ".",
                };
                self.out(&format!("{d}\n"), world);
            }
            "realpath" | "readlink" => {
                let a = getopt(args, &[]);
                for p in &a.operands {
                    let abs = self.abs(p, world);
                    self.out(&format!("{abs}\n"), world);
                }
            }
            "cat" => {
                let files: Vec<String> = args
                    .iter()
                    .filter(|a| !a.starts_with('-') || *a == "-")
                    .cloned()
                    .collect();
                let (data, ok) = self.inputs_of(&files, "cat", world);
                self.out(&data, world);
                self.status = i32::from(!ok);
            }
            "head" | "tail" => self.head_tail(&name, args, world),
            "tee" => {
                let a = getopt(args, &[]);
                let append = a.has(&["-a", "--append"]);
                let data = self.stdin_all().unwrap_or_default();
                for f in &a.operands {
                    let p = self.abs(f, world);
                    world.write(&p, &data, append);
                }
                self.out(&data, world);
            }
            "grep" | "egrep" | "fgrep" => self.grep(&name, args, world),
            "wc" => {
                let a = getopt(args, &[]);
                let (data, ok) = self.inputs_of(&a.operands, "wc", world);
                let l = data.matches('\n').count();
                let w = data.split_whitespace().count();
                let c = data.len();
                let mut parts = Vec::new();
                if a.has(&["-l", "--lines"]) {
                    parts.push(l);
                }
                if a.has(&["-w", "--words"]) {
                    parts.push(w);
                }
                if a.has(&["-c", "-m", "--bytes", "--chars"]) {
                    parts.push(c);
                }
                if parts.is_empty() {
                    parts = vec![l, w, c];
                }
                let mut s = parts
                    .iter()
                    .map(|n| n.to_string())
                    .collect::<Vec<_>>()
                    .join(" ");
                if a.operands.len() == 1 {
                    s = format!("{s} {}", a.operands[0]);
                }
                self.out(&format!("{s}\n"), world);
                self.status = i32::from(!ok);
            }
            "tr" => {
                let a = getopt(args, &[]);
                let delete = a.has(&["-d"]);
                let squeeze = a.has(&["-s"]);
                let set1 = a.operands.first().map(|s| tr_set(s)).unwrap_or_default();
                let set2 = a.operands.get(1).map(|s| tr_set(s)).unwrap_or_default();
                let data = self.stdin_all().unwrap_or_default();
                let mut out = String::new();
                for ch in data.chars() {
                    let pos = set1.iter().position(|&x| x == ch);
                    let mapped = match pos {
                        Some(_) if delete => continue,
                        Some(p) if !set2.is_empty() => set2[p.min(set2.len() - 1)],
                        _ => ch,
                    };
                    let squeeze_set = if set2.is_empty() || delete {
                        &set1
                    } else {
                        &set2
                    };
                    if squeeze && out.ends_with(mapped) && squeeze_set.contains(&mapped) {
                        continue;
                    }
                    out.push(mapped);
                }
                self.out(&out, world);
            }
            "cut" => {
                let a = getopt(args, &["-d", "-f", "-c", "-b"]);
                let (data, ok) = self.inputs_of(&a.operands, "cut", world);
                let delim = a
                    .value(&["-d"])
                    .and_then(|d| d.chars().next())
                    .unwrap_or('\t');
                let mut out = String::new();
                for line in lines(&data) {
                    if let Some(f) = a.value(&["-f"]) {
                        let r = ranges(f);
                        if !line.contains(delim) {
                            if !a.has(&["-s"]) {
                                out.push_str(line);
                                out.push('\n');
                            }
                            continue;
                        }
                        let picked: Vec<&str> = line
                            .split(delim)
                            .enumerate()
                            .filter(|(i, _)| in_ranges(&r, i + 1))
                            .map(|(_, f)| f)
                            .collect();
                        out.push_str(&picked.join(&delim.to_string()));
                    } else if let Some(c) = a.value(&["-c", "-b"]) {
                        let r = ranges(c);
                        out.extend(
                            line.chars()
                                .enumerate()
                                .filter(|(i, _)| in_ranges(&r, i + 1))
                                .map(|(_, c)| c),
                        );
                    }
                    out.push('\n');
                }
                self.out(&out, world);
                self.status = i32::from(!ok);
            }
            "sort" => {
                let a = getopt(args, &["-k", "-t", "-o"]);
                let (data, _) = self.inputs_of(&a.operands, "sort", world);
                let mut v = lines(&data);
                if a.has(&["-n", "-g", "-h"]) {
                    let key = |s: &str| {
                        s.trim()
                            .split(|c: char| !c.is_ascii_digit() && c != '-')
                            .next()
                            .and_then(|n| n.parse::<i64>().ok())
                            .unwrap_or(0)
                    };
                    v.sort_by(|x, y| key(x).cmp(&key(y)).then(x.cmp(y)));
                } else {
                    v.sort();
                }
                if a.has(&["-r"]) {
                    v.reverse();
                }
                if a.has(&["-u"]) {
                    v.dedup();
                }
                let s = join_lines(&v);
                self.out(&s, world);
            }
            "uniq" => {
                let a = getopt(args, &[]);
                let (data, _) = self.inputs_of(&a.operands, "uniq", world);
                let mut groups: Vec<(&str, usize)> = Vec::new();
                for l in lines(&data) {
                    match groups.last_mut() {
                        Some((g, n)) if *g == l => *n += 1,
                        _ => groups.push((l, 1)),
                    }
                }
                let mut s = String::new();
                for (l, n) in groups {
                    if (a.has(&["-d"]) && n < 2) || (a.has(&["-u"]) && n > 1) {
                        continue;
                    }
                    if a.has(&["-c"]) {
                        s.push_str(&format!("{n:7} {l}\n"));
                    } else {
                        s.push_str(l);
                        s.push('\n');
                    }
                }
                self.out(&s, world);
            }
            "seq" => self.seq(args, world),
            "expr" => self.expr(args, world),
            "touch" | "mkfifo" => {
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    let p = self.abs(a, world);
                    world.create(&p);
                }
            }
            "mkdir" => {
                let a = getopt(args, &["-m"]);
                let parents = a.has(&["-p", "--parents"]);
                for d in &a.operands {
                    let p = self.abs(d, world);
                    let p = p.trim_end_matches('/').to_string();
                    if !parents && (world.exists(&p) || self.dirs.contains(&p)) {
                        self.err(
                            &format!("mkdir: can't create directory '{d}': File exists\n"),
                            world,
                        );
                        self.status = 1;
                        continue;
                    }
                    if self.dirs.len() < 4096 {
                        self.dirs.insert(p.clone());
                    }
                    world.create(&p);
                }
            }
            "rm" | "rmdir" => {
                let a = getopt(args, &[]);
                let force = a.has(&["-f", "--force"]);
                for f in &a.operands {
                    let p = self.abs(f, world);
                    let p = p.trim_end_matches('/');
                    if f.contains(['*', '?']) {
                        continue;
                    }
                    if world.exists(p) || self.dirs.contains(p) {
                        world.remove(p);
                        self.dirs.remove(p);
                    } else if !force {
                        self.err(
                            &format!("rm: can't remove '{f}': No such file or directory\n"),
                            world,
                        );
                        self.status = 1;
                    }
                }
            }
            "cp" | "mv" | "ln" => self.copy(&name, args, world),
            "chmod" | "chown" | "chgrp" | "ls" | "stat" => {
                let skip = usize::from(matches!(name.as_str(), "chmod" | "chown" | "chgrp"));
                let a = getopt(args, &[]);
                let mut out = String::new();
                for f in a.operands.iter().skip(skip) {
                    let p = self.abs(f, world);
                    if f.contains(['*', '?']) {
                        self.note(format!(
                            "assumed {f} matches files (Podstep cannot list directories)"
                        ));
                    } else if world.exists(&p) || self.dirs.contains(&p) {
                        out.push_str(f);
                        out.push('\n');
                    } else if world.maybe_in_image(&p) {
                        self.note(format!("assumed {p} is there (Podstep does not know the files of this image or volume)"));
                    } else {
                        self.err(&format!("{name}: {f}: No such file or directory\n"), world);
                        self.status = 1;
                    }
                }
                if name == "ls" {
                    self.out(&out, world);
                }
            }
            "nslookup" | "host" | "dig" | "getent" => {
                let a = getopt(args, &["-t", "-p", "-type"]);
                let ops: Vec<&String> = a.operands.iter().filter(|o| !o.starts_with('+')).collect();
                let host = if name == "getent" {
                    ops.get(1)
                } else {
                    ops.first()
                };
                let Some(host) = host.map(|h| h.to_string()) else {
                    self.status = if name == "getent" { 2 } else { 1 };
                    return;
                };
                match world.resolve(&host) {
                    Some(addr) => {
                        let s = match name.as_str() {
                            "nslookup" => format!("Name:\t{host}\nAddress: {addr}\n"),
                            "getent" => format!("{addr}       {host}\n"),
                            "host" => format!("{host} has address {addr}\n"),
                            _ => format!("{addr}\n"),
                        };
                        self.out(&s, world);
                    }
                    None => {
                        self.err(&format!("** server can't find {host}: NXDOMAIN\n"), world);
                        // `dig` exits 0 on NXDOMAIN; `getent` says "not found" with 2.
                        self.status = match name.as_str() {
                            "dig" => 0,
                            "getent" => 2,
                            _ => 1,
                        };
                    }
                }
            }
            "wget" => {
                let a = getopt(
                    args,
                    &[
                        "-O",
                        "-T",
                        "-t",
                        "-U",
                        "--header",
                        "-o",
                        "-P",
                        "--timeout",
                        "--tries",
                        "--user-agent",
                        "--output-document",
                    ],
                );
                let Some(u) = a.operands.first().cloned() else {
                    self.status = 1;
                    return;
                };
                let Some((host, port, path)) = url(&u) else {
                    self.err(&format!("wget: bad address '{u}'\n"), world);
                    self.status = 1;
                    return;
                };
                self.status = match world.http_get(&host, port, &path) {
                    Err(NetError::NoSuchHost) => {
                        self.err(&format!("wget: bad address '{host}'\n"), world);
                        1
                    }
                    Err(NetError::Refused) => {
                        self.err(
                            "wget: can't connect to remote host: Connection refused\n",
                            world,
                        );
                        1
                    }
                    Ok(code) if code >= 400 => {
                        self.err(
                            &format!("wget: server returned error: HTTP/1.1 {code}\n"),
                            world,
                        );
                        1
                    }
                    Ok(_) => {
                        if !a.has(&["--spider"]) {
                            let out = a
                                .value(&["-O", "--output-document"])
                                .map(str::to_string)
                                .unwrap_or_else(|| {
                                    let b = base(path.split('?').next().unwrap_or(""));
                                    if b.is_empty() {
                                        "index.html".into()
                                    } else {
                                        b.into()
                                    }
                                });
                            if out != "-" && out != "/dev/null" {
                                let p = self.abs(&out, world);
                                world.write(&p, "", false);
                            }
                        }
                        0
                    }
                };
            }
            "curl" => {
                let a = getopt(
                    args,
                    &[
                        "-o",
                        "-m",
                        "-H",
                        "-X",
                        "-w",
                        "-d",
                        "-u",
                        "-A",
                        "-e",
                        "-x",
                        "--connect-timeout",
                        "--max-time",
                        "--retry",
                        "--retry-delay",
                        "--retry-max-time",
                        "--data",
                        "--header",
                        "--request",
                        "--output",
                        "--write-out",
                        "--user",
                        "--cacert",
                        "--cert",
                        "--key",
                        "--resolve",
                        "--unix-socket",
                        "--data-raw",
                        "--data-binary",
                    ],
                );
                let Some(u) = a.operands.first().cloned() else {
                    self.status = 2;
                    return;
                };
                let fail = a.has(&["-f", "--fail", "--fail-with-body"]);
                let Some((host, port, path)) = url(&u) else {
                    self.status = 3;
                    return;
                };
                let (status, code) = match world.http_get(&host, port, &path) {
                    Err(NetError::NoSuchHost) => (6, 0),
                    Err(NetError::Refused) => (7, 0),
                    Ok(c) if c >= 400 && fail => (22, c),
                    Ok(c) => (0, c),
                };
                if let Some(o) = a.value(&["-o", "--output"]).filter(|_| status == 0) {
                    if o != "/dev/null" && o != "-" {
                        let p = self.abs(o, world);
                        world.write(&p, "", false);
                    }
                }
                if let Some(w) = a.value(&["-w", "--write-out"]) {
                    let s = escapes(
                        &w.replace("%{http_code}", &format!("{code:03}"))
                            .replace("%{response_code}", &format!("{code:03}")),
                    )
                    .0;
                    self.out(&s, world);
                }
                self.status = status;
            }
            "nc" | "netcat" | "ncat" => {
                let a = getopt(args, &["-w", "-p", "-s", "-i", "-q", "-W"]);
                if a.has(&["-l", "--listen"]) {
                    self.block(None, 0);
                    return;
                }
                let (Some(host), Some(port)) = (a.operands.first(), a.operands.get(1)) else {
                    self.status = 1;
                    return;
                };
                let port = port.split('-').next().and_then(|p| p.parse::<u16>().ok());
                let ok = port.is_some_and(|p| world.connect(host, p).is_ok());
                self.status = i32::from(!ok);
            }
            "stress" | "stress-ng" => self.stress(args, now, world),
            "sed" => self.sed(argv, world),
            "awk" => self.awk(argv, world),
            p if INTERPRETERS.contains(&p) => {
                let code_flag = args
                    .iter()
                    .position(|a| matches!(a.as_str(), "-c" | "-e" | "-E" | "--eval" | "-r"));
                match code_flag.and_then(|i| args.get(i + 1)) {
                    Some(code) => self.status = inline_exit(code),
                    None if args.iter().any(|a| a == "--version" || a == "-V") => {}
                    None => self.unknown(argv),
                }
            }
            _ => {
                // A script file whose content Podstep knows (a ConfigMap volume) runs in a new shell.
                if argv[0].contains('/') {
                    let p = self.abs(&argv[0], world);
                    if world.read(&p).is_some() {
                        let mut a = vec!["sh".to_string(), p];
                        a.extend(args.iter().cloned());
                        self.shell(&a[1..], world);
                        return;
                    }
                }
                self.unknown(argv);
            }
        }
    }

    /// `exec`, `nohup`, `env`… run the rest of the words as a command (no function lookup).
    fn wrapped(&mut self, rest: Vec<String>, now: Ms, world: &mut dyn World) {
        if rest.is_empty() {
            self.status = 0;
            return;
        }
        self.status = 0;
        self.program(&rest, now, world);
    }

    /// Runs `src` in this shell (`eval`, `source`).
    fn run_text(&mut self, src: &str, what: &str) {
        if self.too_deep(what) {
            return;
        }
        match self.parse_cached(src) {
            Ok(root) => {
                self.nest += 1;
                self.stack.push(Frame::Source);
                self.stack.push(Frame::Run(root));
            }
            Err(e) => {
                self.note(format!("{what}: the script does not parse: {e} (status 2)"));
                self.status = 2;
            }
        }
    }

    /// `sh -c SCRIPT [NAME ARGS…]`, `sh FILE ARGS…`: a new shell, as a subshell of this one that
    /// keeps only exported variables.
    fn shell(&mut self, args: &[String], world: &mut dyn World) {
        let mut opts = super::Opts::default();
        let mut command = false;
        let mut i = 0;
        while let Some(a) = args.get(i) {
            if a == "-o" || a == "+o" {
                if args.get(i + 1).is_some_and(|o| o == "pipefail") {
                    opts.pipefail = true;
                }
                i += 2;
                continue;
            }
            if (a.starts_with('-') || a.starts_with('+')) && a.len() > 1 && a != "--" {
                command |= a.contains('c');
                opts.errexit |= a.starts_with('-') && a.contains('e');
                opts.nounset |= a.starts_with('-') && a.contains('u');
                i += 1;
                continue;
            }
            if a == "--" {
                i += 1;
            }
            break;
        }
        let rest = &args[i.min(args.len())..];
        let (src, arg0, params) = if command {
            let Some(src) = rest.first() else {
                self.err("sh: -c requires an argument\n", world);
                self.status = 2;
                return;
            };
            let arg0 = rest.get(1).cloned().unwrap_or_else(|| "sh".into());
            (
                src.clone(),
                arg0,
                rest.iter().skip(2).cloned().collect::<Vec<_>>(),
            )
        } else if let Some(file) = rest.first() {
            let Ok(src) = self.read_file(file, "sh", world) else {
                self.status = 127;
                return;
            };
            (src, file.clone(), rest[1..].to_vec())
        } else {
            (
                self.stdin_all().unwrap_or_default(),
                "sh".into(),
                Vec::new(),
            )
        };
        if self.too_deep("shells") {
            return;
        }
        let root = match self.parse_cached(&src) {
            Ok(r) => r,
            Err(e) => {
                self.note(format!("sh: the script does not parse: {e} (status 2)"));
                self.status = 2;
                return;
            }
        };
        let saved = self.save();
        self.nest += 1;
        self.stack.push(Frame::Subshell(Box::new(saved)));
        self.stack.push(Frame::Run(root));
        let exported: Vec<String> = self
            .vars
            .set
            .keys()
            .filter(|n| !self.vars.exported(n, world))
            .cloned()
            .collect();
        for n in exported {
            self.vars.set.remove(&n);
        }
        self.funcs.clear();
        self.traps.clear();
        self.exit_trap = None;
        self.opts = opts;
        self.args = params;
        self.arg0 = arg0;
        self.is_shell = true;
    }

    fn set(&mut self, args: &[String]) {
        let mut i = 0;
        while let Some(a) = args.get(i) {
            let on = a.starts_with('-');
            if a == "--" {
                self.args = args[i + 1..].to_vec();
                return;
            }
            if a == "-o" || a == "+o" {
                match args.get(i + 1).map(String::as_str) {
                    Some("errexit") => self.opts.errexit = on,
                    Some("nounset") => self.opts.nounset = on,
                    Some("pipefail") => self.opts.pipefail = on,
                    Some("xtrace") => self.opts.xtrace = on,
                    _ => {}
                }
                i += 2;
                continue;
            }
            if (on || a.starts_with('+')) && a.len() > 1 {
                for c in a[1..].chars() {
                    match c {
                        'e' => self.opts.errexit = on,
                        'u' => self.opts.nounset = on,
                        'x' => self.opts.xtrace = on,
                        _ => {}
                    }
                }
                i += 1;
                continue;
            }
            self.args = args[i..].to_vec();
            return;
        }
    }

    fn read(&mut self, args: &[String]) {
        let a = getopt(args, &["-p", "-t", "-n", "-d", "-u", "-a"]);
        let raw = a.has(&["-r"]);
        let names: Vec<String> = if a.operands.is_empty() {
            vec!["REPLY".into()]
        } else {
            a.operands.clone()
        };
        let line = self.read_line();
        self.status = i32::from(line.is_none());
        let mut line = line.unwrap_or_default();
        if !raw {
            let mut s = String::new();
            let mut it = line.chars();
            while let Some(c) = it.next() {
                if c == '\\' {
                    s.extend(it.next());
                } else {
                    s.push(c);
                }
            }
            line = s;
        }
        if names.len() == 1 && names[0] == "REPLY" {
            self.assign("REPLY", line);
            return;
        }
        let mut rest = line.trim_start_matches([' ', '\t']);
        for (k, n) in names.iter().enumerate() {
            if k + 1 == names.len() {
                self.assign(n, rest.trim_end_matches([' ', '\t']).to_string());
            } else {
                let end = rest.find([' ', '\t']).unwrap_or(rest.len());
                self.assign(n, rest[..end].to_string());
                rest = rest[end..].trim_start_matches([' ', '\t']);
            }
        }
    }

    fn trap(&mut self, args: &[String], world: &mut dyn World) {
        let args: Vec<&str> = args
            .iter()
            .map(String::as_str)
            .filter(|a| *a != "--")
            .collect();
        let Some((&first, rest)) = args.split_first() else {
            return;
        };
        if first == "-p" || first == "-l" {
            return;
        }
        // `trap SIG…` (a first operand that is a signal) resets them.
        let (handler, sigs): (Option<&str>, Vec<&str>) =
            if rest.is_empty() || (parse_signal(first).is_some() && first.parse::<i32>().is_ok()) {
                (None, args.clone())
            } else {
                (Some(first), rest.to_vec())
            };
        if !self.is_shell {
            return;
        }
        let handler: Option<Option<usize>> = match handler {
            None | Some("-") => None,
            Some("") => Some(None),
            Some(h) => match self.parse_cached(h) {
                Ok(root) => Some(Some(root)),
                Err(e) => {
                    self.err(&format!("trap: {e}\n"), world);
                    self.status = 1;
                    return;
                }
            },
        };
        for s in sigs {
            let Some(n) = parse_signal(s) else {
                self.err(&format!("trap: {s}: bad trap\n"), world);
                self.status = 1;
                continue;
            };
            if n == 0 {
                self.exit_trap = handler.flatten();
                continue;
            }
            if let Some(signal) = signal_of(n).filter(|s| s.catchable()) {
                self.traps.retain(|(x, _)| *x != signal);
                if let Some(h) = handler {
                    self.traps.push((signal, h));
                }
            }
        }
    }

    fn job_index(&self, spec: &str) -> Option<usize> {
        if let Some(n) = spec.strip_prefix('%') {
            let number = match n {
                "" | "%" | "+" => self.jobs.last()?.number,
                "-" => self.jobs.iter().rev().nth(1)?.number,
                n => n.parse().ok()?,
            };
            return self.jobs.iter().position(|j| j.number == number);
        }
        let pid: u32 = spec.parse().ok()?;
        self.jobs.iter().position(|j| j.pid == pid)
    }

    fn wait(&mut self, args: &[String], _now: Ms) {
        let a = getopt(args, &[]);
        let any = a.has(&["-n"]);
        if a.operands.is_empty() {
            if self.jobs.iter().all(|j| j.status.is_some()) && !any {
                self.jobs.clear();
                self.status = 0;
                return;
            }
            self.fg = Some(Fg::Wait { pid: None, any });
            return;
        }
        for spec in &a.operands {
            match self.job_index(spec) {
                Some(i) => {
                    let pid = self.jobs[i].pid;
                    match self.jobs[i].status {
                        Some(s) => {
                            self.jobs.remove(i);
                            self.status = s;
                        }
                        None => {
                            // The last PID named is what `wait` blocks on after the others end.
                            self.fg = Some(Fg::Wait {
                                pid: Some(pid),
                                any: false,
                            });
                        }
                    }
                }
                None => self.status = 127,
            }
        }
    }

    fn kill(&mut self, args: &[String], now: Ms, world: &mut dyn World) {
        let mut sig = 15;
        let mut i = 0;
        if let Some(a) = args.first() {
            if a == "-l" || a == "-L" {
                self.out(
                    "HUP INT QUIT KILL USR1 SEGV USR2 PIPE ALRM TERM CHLD CONT STOP WINCH\n",
                    world,
                );
                return;
            }
            if a == "-s" || a == "-n" {
                sig = args.get(1).and_then(|s| parse_signal(s)).unwrap_or(15);
                i = 2;
            } else if let Some(s) = a.strip_prefix('-').and_then(parse_signal) {
                sig = s;
                i = 1;
            }
        }
        if args.get(i).is_some_and(|a| a == "--") {
            i += 1;
        }
        if i >= args.len() {
            self.err("kill: usage: kill [-s sigspec] pid\n", world);
            self.status = 2;
            return;
        }
        let mut status = 0;
        for t in &args[i..] {
            if let Some(j) = self.job_index(t) {
                if self.jobs[j].status.is_none() {
                    self.kill_job(j, sig, now, world);
                }
                continue;
            }
            let me = self.pid().to_string();
            if *t == me || *t == "0" {
                if sig == 0 {
                    continue;
                }
                if *t == "0" {
                    for j in 0..self.jobs.len() {
                        if self.jobs[j].status.is_none() {
                            self.kill_job(j, sig, now, world);
                        }
                    }
                }
                if let Some(s) = signal_of(sig) {
                    self.signal(s, now);
                } else if !self.pid1 {
                    self.dead = Some(128 + sig);
                }
                continue;
            }
            if *t == "1" || *t == "-1" {
                // The pause process or init: not this shell's business.
                continue;
            }
            self.err(&format!("kill: ({t}) - No such process\n"), world);
            status = 1;
        }
        self.status = status;
    }

    fn kill_job(&mut self, j: usize, sig: i32, now: Ms, world: &mut dyn World) {
        if sig == 0 {
            return;
        }
        let job = &mut self.jobs[j];
        let mut notes = Vec::new();
        match &mut job.run {
            JobRun::Sleep(_) => {
                if !matches!(sig, 17 | 18 | 28) {
                    job.status = Some(128 + sig);
                }
            }
            JobRun::Exec(e, next) => match signal_of(sig) {
                Some(s) if e.signal(s, now) => {
                    match e.resume(now, world) {
                        Yield::Exit(c) => job.status = Some(c),
                        Yield::Until(t) => *next = Some(t),
                        Yield::Forever => *next = None,
                        Yield::OomKilled => job.status = Some(137),
                    }
                    notes = e.take_notes();
                }
                Some(_) => {}
                None if !matches!(sig, 17 | 18 | 28) => job.status = Some(128 + sig),
                None => {}
            },
        }
        self.merge_notes(notes);
    }

    /// `return`: to the innermost function or `source`.
    fn unwind_return(&mut self, code: i32) {
        let target = self
            .stack
            .iter()
            .rposition(|f| matches!(f, Frame::Func(_) | Frame::Source));
        let Some(target) = target else {
            self.status = 1;
            return;
        };
        while self.stack.len() > target {
            if let Some(f) = self.stack.pop() {
                self.leave(f);
            }
        }
        self.status = code;
    }

    /// `break N` / `continue N`.
    fn unwind_loop(&mut self, mut n: usize, cont: bool) {
        let is_loop = |f: &Frame| {
            matches!(
                f,
                Frame::LoopCond(_)
                    | Frame::LoopBody(_)
                    | Frame::For { .. }
                    | Frame::ArithFor { .. }
            )
        };
        let boundary = |f: &Frame| {
            matches!(
                f,
                Frame::Func(_) | Frame::Subshell(_) | Frame::Trap(_) | Frame::Source
            )
        };
        // Only loops of this function or subshell can be left.
        let loops = self
            .stack
            .iter()
            .rev()
            .take_while(|f| !boundary(f))
            .filter(|f| is_loop(f))
            .count();
        if loops == 0 {
            self.status = 0;
            return;
        }
        n = n.min(loops);
        while let Some(f) = self.stack.pop() {
            if is_loop(&f) {
                n -= 1;
                if n == 0 {
                    if cont {
                        let keep = match f {
                            Frame::LoopCond(id) => Frame::LoopBody(id),
                            other => other,
                        };
                        self.stack.push(keep);
                    }
                    break;
                }
            } else {
                self.leave(f);
            }
        }
        self.status = 0;
    }

    /// `timeout [-s SIG] [-k D] [--preserve-status] DURATION CMD…`.
    fn timeout(&mut self, args: &[String], now: Ms, world: &mut dyn World) {
        let mut i = 0;
        let mut sig = 15;
        let mut preserve = false;
        while let Some(a) = args.get(i) {
            match a.as_str() {
                "-s" | "--signal" => {
                    sig = args.get(i + 1).and_then(|s| parse_signal(s)).unwrap_or(15);
                    i += 2;
                }
                "-k" | "--kill-after" => i += 2,
                "--preserve-status" => {
                    preserve = true;
                    i += 1;
                }
                "--foreground" | "-v" | "--verbose" => i += 1,
                s if s.starts_with("--signal=") => {
                    sig = parse_signal(&s[9..]).unwrap_or(15);
                    i += 1;
                }
                s if s.starts_with("-s") && s.len() > 2 => {
                    sig = parse_signal(&s[2..]).unwrap_or(15);
                    i += 1;
                }
                _ => break,
            }
        }
        let Some(d) = args.get(i).and_then(|d| sleep_arg(d).ok()) else {
            self.err("timeout: invalid time interval\n", world);
            self.status = 125;
            return;
        };
        let cmd: Vec<String> = args[(i + 1).min(args.len())..].to_vec();
        if cmd.is_empty() {
            self.status = 125;
            return;
        }
        let code = if preserve || sig == 9 { 128 + sig } else { 124 };
        let deadline = d.filter(|d| d.0 > 0).map(|d| now + d);
        let prog = base(&cmd[0]);
        let runs_script = SHELLS.contains(&prog)
            || (cmd[0].contains('/') && world.read(&self.abs(&cmd[0], world)).is_some());
        if runs_script {
            // A script runs as a process of its own that `timeout` can stop.
            let id = self.script.nodes.len();
            self.script.nodes.push(Node::Argv(cmd));
            let mut child = self.fork(id);
            let y = child.resume(now, world);
            let notes = child.take_notes();
            self.merge_notes(notes);
            match y {
                Yield::Exit(c) => self.status = c,
                Yield::OomKilled => self.oom = true,
                Yield::Until(t) => {
                    self.fg = Some(Fg::Child {
                        exec: Box::new(child),
                        next: Some(t),
                        deadline,
                        code,
                    })
                }
                Yield::Forever => {
                    self.fg = Some(Fg::Child {
                        exec: Box::new(child),
                        next: None,
                        deadline,
                        code,
                    })
                }
            }
            return;
        }
        self.program(&cmd, now, world);
        let Some(deadline) = deadline else {
            return;
        };
        match self.fg.take() {
            Some(Fg::Sleep { until, status }) => {
                self.fg = Some(if until.is_none_or(|u| u > deadline) {
                    Fg::Sleep {
                        until: Some(deadline),
                        status: code,
                    }
                } else {
                    Fg::Sleep { until, status }
                });
            }
            Some(Fg::Oom(at)) if at > deadline => {
                self.fg = Some(Fg::Sleep {
                    until: Some(deadline),
                    status: code,
                })
            }
            other => self.fg = other,
        }
    }

    /// `stress`/`stress-ng`: `--vm N --vm-bytes SIZE` beyond the memory limit is OOM-killed about a
    /// second in; otherwise it runs until `--timeout`, or for ever.
    fn stress(&mut self, args: &[String], now: Ms, world: &mut dyn World) {
        let a = getopt(
            args,
            &[
                "--vm",
                "--vm-bytes",
                "--cpu",
                "--io",
                "--hdd",
                "--timeout",
                "-t",
                "-m",
                "-c",
                "-i",
                "-d",
                "--vm-hang",
                "--backoff",
                "--hdd-bytes",
                "--vm-stride",
            ],
        );
        let vms: u64 = a
            .value(&["--vm", "-m"])
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let bytes = a
            .value(&["--vm-bytes"])
            .and_then(size_bytes)
            .unwrap_or(256 * 1024 * 1024);
        let total = bytes.saturating_mul(vms);
        let timeout = a
            .value(&["--timeout", "-t"])
            .and_then(|t| sleep_arg(t).ok().flatten());
        if vms > 0 && world.memory_limit().is_some_and(|limit| total > limit) {
            let at = now + Ms(1000);
            if timeout.is_none_or(|t| now + t > at) {
                self.fg = Some(Fg::Oom(at));
                return;
            }
        }
        self.block(timeout.map(|t| now + t), 0);
    }

    fn head_tail(&mut self, name: &str, args: &[String], world: &mut dyn World) {
        let mut norm: Vec<String> = Vec::new();
        for a in args {
            // `-5`, `+5` mean `-n 5`, `-n +5`.
            if a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| c.is_ascii_digit()) {
                norm.push("-n".into());
                norm.push(a[1..].to_string());
            } else {
                norm.push(a.clone());
            }
        }
        let a = getopt(
            &norm,
            &[
                "-n",
                "-c",
                "-s",
                "--lines",
                "--bytes",
                "--pid",
                "--sleep-interval",
            ],
        );
        let follow = name == "tail" && a.has(&["-f", "-F", "--follow", "--retry"]);
        let retry = a.has(&["-F", "--retry"])
            || a.value(&["--follow"]).is_some_and(|v| v == "name") && a.has(&["--retry"]);
        if follow && !a.operands.is_empty() {
            let mut any = false;
            for f in &a.operands {
                let p = self.abs(f, world);
                if f == "/dev/null" || f == "-" || world.exists(&p) || retry {
                    any = true;
                } else if world.maybe_in_image(&p) {
                    self.note(format!("assumed {p} is there (Podstep does not know the files of this image or volume)"));
                    any = true;
                } else {
                    self.err(
                        &format!("tail: can't open '{f}': No such file or directory\n"),
                        world,
                    );
                }
            }
            if any {
                self.block(None, 0);
            } else {
                self.err("tail: no files remaining\n", world);
                self.status = 1;
            }
            return;
        }
        let n_raw = a.value(&["-n", "--lines"]).unwrap_or("10").to_string();
        let from_start = n_raw.starts_with('+');
        let n: usize = n_raw.trim_start_matches(['+', '-']).parse().unwrap_or(10);
        let (data, ok) = self.inputs_of(&a.operands, name, world);
        let out = if let Some(c) = a
            .value(&["-c", "--bytes"])
            .and_then(|c| c.parse::<usize>().ok())
        {
            let chars: Vec<char> = data.chars().collect();
            if name == "head" {
                chars[..c.min(chars.len())].iter().collect()
            } else {
                chars[chars.len().saturating_sub(c)..].iter().collect()
            }
        } else {
            let v = lines(&data);
            let picked: &[&str] = if name == "head" {
                &v[..n.min(v.len())]
            } else if from_start {
                &v[n.saturating_sub(1).min(v.len())..]
            } else {
                &v[v.len().saturating_sub(n)..]
            };
            join_lines(picked)
        };
        self.out(&out, world);
        self.status = i32::from(!ok);
    }

    fn grep(&mut self, name: &str, args: &[String], world: &mut dyn World) {
        let a = getopt(
            args,
            &[
                "-e",
                "-f",
                "-m",
                "-A",
                "-B",
                "-C",
                "--regexp",
                "--max-count",
                "--color",
                "--colour",
            ],
        );
        let mut pats: Vec<String> = a
            .flags
            .iter()
            .filter(|(k, _)| k == "-e" || k == "--regexp")
            .filter_map(|(_, v)| v.clone())
            .collect();
        let mut files = a.operands.clone();
        if pats.is_empty() {
            if files.is_empty() {
                self.err("grep: no pattern\n", world);
                self.status = 2;
                return;
            }
            pats.push(files.remove(0));
        }
        let ere = name == "egrep" || a.has(&["-E", "--extended-regexp"]);
        let fixed = name == "fgrep" || a.has(&["-F", "--fixed-strings"]);
        let icase = a.has(&["-i", "--ignore-case", "-y"]);
        let invert = a.has(&["-v", "--invert-match"]);
        let quiet = a.has(&["-q", "--quiet", "--silent"]);
        let count = a.has(&["-c", "--count"]);
        let whole = a.has(&["-x", "--line-regexp"]);
        let word = a.has(&["-w", "--word-regexp"]);
        let only = a.has(&["-o", "--only-matching"]);
        let list = a.has(&["-l", "--files-with-matches"]);
        let mut res = Vec::new();
        for p in pats.iter().flat_map(|p| p.split('\n')) {
            let r = if fixed {
                Some(Regex::literal(p, icase))
            } else {
                Regex::new(p, ere, icase)
            };
            match r {
                Some(r) => res.push(r),
                None => {
                    self.err(&format!("grep: bad regex '{p}'\n"), world);
                    self.status = 2;
                    return;
                }
            }
        }
        let (data, ok) = self.inputs_of(&files, "grep", world);
        let mut out = String::new();
        let mut n = 0;
        for line in lines(&data) {
            let chars: Vec<char> = line.chars().collect();
            let hit = res.iter().any(|r| {
                if whole {
                    r.full_match(line)
                } else if word {
                    let mut from = 0;
                    while let Some((s, e)) = r.find(&chars, from) {
                        let before =
                            s == 0 || !(chars[s - 1].is_alphanumeric() || chars[s - 1] == '_');
                        let after =
                            e >= chars.len() || !(chars[e].is_alphanumeric() || chars[e] == '_');
                        if before && after && e > s {
                            return true;
                        }
                        from = s + 1;
                        if from > chars.len() {
                            break;
                        }
                    }
                    false
                } else {
                    r.is_match(line)
                }
            });
            if hit != invert {
                n += 1;
                if only && !invert {
                    for r in &res {
                        let mut from = 0;
                        while let Some((s, e)) = r.find(&chars, from) {
                            if e == s {
                                from = s + 1;
                                if from > chars.len() {
                                    break;
                                }
                                continue;
                            }
                            out.extend(&chars[s..e]);
                            out.push('\n');
                            from = e;
                        }
                    }
                } else {
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
        if !quiet {
            if count {
                self.out(&format!("{n}\n"), world);
            } else if list {
                if n > 0 {
                    let f = files
                        .first()
                        .cloned()
                        .unwrap_or_else(|| "(standard input)".into());
                    self.out(&format!("{f}\n"), world);
                }
            } else {
                self.out(&out, world);
            }
        }
        self.status = if n > 0 && (ok || quiet) {
            0
        } else if !ok {
            2
        } else {
            1
        };
    }

    fn seq(&mut self, args: &[String], world: &mut dyn World) {
        let a = getopt(args, &["-s", "-f"]);
        let nums: Vec<i64> = a.operands.iter().filter_map(|s| s.parse().ok()).collect();
        if nums.len() != a.operands.len() || nums.is_empty() {
            self.err("seq: invalid argument\n", world);
            self.status = 1;
            return;
        }
        let (first, step, last) = match nums[..] {
            [l] => (1, 1, l),
            [f, l] => (f, 1, l),
            [f, s, l, ..] => (f, s, l),
            [] => return,
        };
        if step == 0 {
            self.status = 1;
            return;
        }
        let sep = a.value(&["-s"]).unwrap_or("\n").to_string();
        let mut out = String::new();
        let mut x = first;
        let mut count = 0;
        while (step > 0 && x <= last) || (step < 0 && x >= last) {
            if count >= SEQ_MAX {
                self.note(format!(
                    "seq {}: Podstep stops after {SEQ_MAX} numbers",
                    args.join(" ")
                ));
                break;
            }
            if count > 0 {
                out.push_str(&sep);
            }
            out.push_str(&x.to_string());
            count += 1;
            let Some(next) = x.checked_add(step) else {
                break;
            };
            x = next;
        }
        if count > 0 {
            out.push('\n');
        }
        self.out(&out, world);
    }

    fn expr(&mut self, args: &[String], world: &mut dyn World) {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let num = |s: &str| s.parse::<i64>().ok();
        let result: Result<String, &str> = match a[..] {
            ["length", s] => Ok(s.chars().count().to_string()),
            [s] => Ok(s.to_string()),
            [x, op, y] => match op {
                "+" | "-" | "*" | "/" | "%" => match (num(x), num(y)) {
                    (Some(x), Some(y)) => match op {
                        "+" => Ok(x.wrapping_add(y).to_string()),
                        "-" => Ok(x.wrapping_sub(y).to_string()),
                        "*" => Ok(x.wrapping_mul(y).to_string()),
                        _ if y == 0 => Err("division by zero"),
                        "/" => Ok(x.wrapping_div(y).to_string()),
                        _ => Ok(x.wrapping_rem(y).to_string()),
                    },
                    _ => Err("non-integer argument"),
                },
                "=" | "!=" | "<" | "<=" | ">" | ">=" => {
                    let ord = match (num(x), num(y)) {
                        (Some(x), Some(y)) => x.cmp(&y),
                        _ => x.cmp(y),
                    };
                    let b = match op {
                        "=" => ord.is_eq(),
                        "!=" => ord.is_ne(),
                        "<" => ord.is_lt(),
                        "<=" => ord.is_le(),
                        ">" => ord.is_gt(),
                        _ => ord.is_ge(),
                    };
                    Ok(i32::from(b).to_string())
                }
                "&" => Ok(if x.is_empty() || x == "0" || y.is_empty() || y == "0" {
                    "0".into()
                } else {
                    x.into()
                }),
                "|" => Ok(if x.is_empty() || x == "0" {
                    y.into()
                } else {
                    x.into()
                }),
                ":" => Ok(Regex::new(&format!("^{y}"), false, false)
                    .and_then(|r| {
                        r.find(&x.chars().collect::<Vec<_>>(), 0)
                            .filter(|p| p.0 == 0)
                    })
                    .map_or(0, |(_, e)| e)
                    .to_string()),
                _ => Err("syntax error"),
            },
            _ => Err("syntax error"),
        };
        match result {
            Ok(v) => {
                self.status = i32::from(v.is_empty() || v == "0");
                self.out(&format!("{v}\n"), world);
            }
            Err(e) => {
                self.err(&format!("expr: {e}\n"), world);
                self.status = 2;
            }
        }
    }

    fn copy(&mut self, name: &str, args: &[String], world: &mut dyn World) {
        let a = getopt(args, &["-t", "-S"]);
        let ops = &a.operands;
        let (srcs, dest) = match ops.split_last() {
            Some((d, s)) if !s.is_empty() => (s.to_vec(), d.clone()),
            _ => {
                self.err(&format!("{name}: missing file operand\n"), world);
                self.status = 1;
                return;
            }
        };
        let dest_abs = self.abs(&dest, world);
        let dest_dir = dest.ends_with('/')
            || srcs.len() > 1
            || self.dirs.contains(dest_abs.trim_end_matches('/'))
            || (world.exists(&dest_abs) && world.read(&dest_abs).is_none());
        let symbolic = name == "ln";
        for s in &srcs {
            let src = self.abs(s, world);
            let target = if dest_dir {
                format!(
                    "{}/{}",
                    dest_abs.trim_end_matches('/'),
                    base(src.trim_end_matches('/'))
                )
            } else {
                dest_abs.clone()
            };
            if s.contains(['*', '?']) {
                self.note(format!(
                    "assumed {s} matches files (Podstep cannot list directories)"
                ));
                continue;
            }
            let content = match world.read(&src) {
                Some(c) => Some(c),
                None if self.dirs.contains(&src) || world.exists(&src) => None,
                None if symbolic || world.maybe_in_image(&src) => {
                    if !symbolic {
                        self.note(format!("assumed {src} is there (Podstep does not know the files of this image or volume)"));
                    }
                    Some(String::new())
                }
                None => {
                    let msg = match name {
                        "mv" => format!("mv: can't rename '{s}': No such file or directory\n"),
                        _ => format!("{name}: can't stat '{s}': No such file or directory\n"),
                    };
                    self.err(&msg, world);
                    self.status = 1;
                    continue;
                }
            };
            match content {
                Some(c) => world.write(&target, &c, false),
                None => {
                    self.dirs.insert(target.clone());
                    world.create(&target);
                }
            }
            if name == "mv" {
                world.remove(&src);
                self.dirs.remove(&src);
            }
        }
    }

    /// `sed [-n] [-i] [-e] 's/re/rep/[g]' [FILE…]`; other scripts are noted and pass input through.
    fn sed(&mut self, argv: &[String], world: &mut dyn World) {
        let a = getopt(&argv[1..], &["-e", "-f"]);
        let mut scripts: Vec<String> = a
            .flags
            .iter()
            .filter(|(k, _)| k == "-e")
            .filter_map(|(_, v)| v.clone())
            .collect();
        let mut files = a.operands.clone();
        if scripts.is_empty() && !files.is_empty() {
            scripts.push(files.remove(0));
        }
        let ere = a.has(&["-E", "-r"]);
        let mut subs = Vec::new();
        for s in &scripts {
            for cmd in s
                .split([';', '\n'])
                .map(str::trim)
                .filter(|c| !c.is_empty())
            {
                let Some(rest) = cmd.strip_prefix('s') else {
                    return self.unknown(argv);
                };
                let Some(d) = rest.chars().next() else {
                    return self.unknown(argv);
                };
                let parts: Vec<&str> = rest[d.len_utf8()..].split(d).collect();
                if parts.len() < 3 {
                    return self.unknown(argv);
                }
                let Some(re) = Regex::new(parts[0], ere, parts[2].contains('I')) else {
                    return self.unknown(argv);
                };
                subs.push((re, parts[1].to_string(), parts[2].contains('g')));
            }
        }
        let edit = |text: &str| -> String {
            let mut out = String::new();
            for line in lines(text) {
                let mut l = line.to_string();
                for (re, rep, all) in &subs {
                    l = re.replace(&l, rep, *all);
                }
                out.push_str(&l);
                out.push('\n');
            }
            out
        };
        if a.has(&["-i"]) {
            for f in &files {
                let p = self.abs(f, world);
                match world.read(&p) {
                    Some(c) => {
                        let new = edit(&c);
                        world.write(&p, &new, false);
                    }
                    None if world.maybe_in_image(&p) => {
                        self.note(format!("assumed {p} is there (Podstep does not know the files of this image or volume)"))
                    }
                    None => {
                        self.err(&format!("sed: {f}: No such file or directory\n"), world);
                        self.status = 1;
                    }
                }
            }
            return;
        }
        let (data, ok) = self.inputs_of(&files, "sed", world);
        let out = edit(&data);
        self.out(&out, world);
        self.status = i32::from(!ok);
    }

    /// `awk [-F SEP] '{print $N, …}'`; other programs are noted and print nothing.
    fn awk(&mut self, argv: &[String], world: &mut dyn World) {
        let a = getopt(&argv[1..], &["-F", "-v"]);
        let Some((prog, files)) = a.operands.split_first() else {
            self.status = 2;
            return;
        };
        let body = prog
            .trim()
            .strip_prefix('{')
            .and_then(|p| p.strip_suffix('}'))
            .map(str::trim);
        let Some(fields) = body.and_then(|b| b.strip_prefix("print")) else {
            return self.unknown(argv);
        };
        let mut cols = Vec::new();
        for f in fields.split(',').map(str::trim).filter(|f| !f.is_empty()) {
            match f.strip_prefix('$').and_then(|n| n.parse::<usize>().ok()) {
                Some(n) => cols.push(n),
                None => return self.unknown(argv),
            }
        }
        let sep = a.value(&["-F"]).map(str::to_string);
        let (data, ok) = self.inputs_of(files, "awk", world);
        let mut out = String::new();
        for line in lines(&data) {
            let parts: Vec<&str> = match &sep {
                Some(s) => line.split(s.as_str()).collect(),
                None => line.split_whitespace().collect(),
            };
            let picked: Vec<&str> = if cols.is_empty() {
                vec![line]
            } else {
                cols.iter()
                    .map(|&n| {
                        if n == 0 {
                            line
                        } else {
                            parts.get(n - 1).copied().unwrap_or("")
                        }
                    })
                    .collect()
            };
            out.push_str(&picked.join(" "));
            out.push('\n');
        }
        self.out(&out, world);
        self.status = i32::from(!ok);
    }

    /// `test` / `[ … ]` over expanded words.
    pub(super) fn test(&mut self, args: &[String], world: &mut dyn World) -> Result<bool, String> {
        let mut pos = 0;
        let r = self.test_or(args, &mut pos, world, 0)?;
        if pos < args.len() {
            return Err(format!("{}: unexpected operator", args[pos]));
        }
        Ok(r)
    }

    fn test_or(
        &mut self,
        a: &[String],
        pos: &mut usize,
        world: &mut dyn World,
        depth: usize,
    ) -> Result<bool, String> {
        let mut v = self.test_and(a, pos, world, depth)?;
        while a.get(*pos).is_some_and(|x| x == "-o" || x == "||") {
            *pos += 1;
            v |= self.test_and(a, pos, world, depth)?;
        }
        Ok(v)
    }

    fn test_and(
        &mut self,
        a: &[String],
        pos: &mut usize,
        world: &mut dyn World,
        depth: usize,
    ) -> Result<bool, String> {
        let mut v = self.test_not(a, pos, world, depth)?;
        while a.get(*pos).is_some_and(|x| x == "-a" || x == "&&") {
            *pos += 1;
            v &= self.test_not(a, pos, world, depth)?;
        }
        Ok(v)
    }

    fn test_not(
        &mut self,
        a: &[String],
        pos: &mut usize,
        world: &mut dyn World,
        depth: usize,
    ) -> Result<bool, String> {
        if depth > 64 {
            return Err("expression too deep".into());
        }
        if a.get(*pos).is_some_and(|x| x == "!") && a.len() - *pos > 1 {
            *pos += 1;
            return Ok(!self.test_not(a, pos, world, depth + 1)?);
        }
        if a.get(*pos).is_some_and(|x| x == "(") {
            *pos += 1;
            let v = self.test_or(a, pos, world, depth + 1)?;
            if a.get(*pos).is_some_and(|x| x == ")") {
                *pos += 1;
            }
            return Ok(v);
        }
        self.test_primary(a, pos, world)
    }

    fn test_primary(
        &mut self,
        a: &[String],
        pos: &mut usize,
        world: &mut dyn World,
    ) -> Result<bool, String> {
        let Some(x) = a.get(*pos) else {
            return Ok(false);
        };
        if let Some(op) = a.get(*pos + 1) {
            if a.len() - *pos >= 3 && is_binop(op) {
                let y = &a[*pos + 2];
                *pos += 3;
                return binop(x, op, y);
            }
        }
        if x.len() == 2 && x.starts_with('-') && a.len() - *pos >= 2 && !is_binop(&a[*pos + 1]) {
            let arg = a[*pos + 1].clone();
            let op = x.clone();
            *pos += 2;
            return Ok(self.unary(&op, &arg, world));
        }
        *pos += 1;
        Ok(!x.is_empty())
    }

    fn unary(&mut self, op: &str, arg: &str, world: &mut dyn World) -> bool {
        let p = self.abs(arg, world);
        let p = p.trim_end_matches('/').to_string();
        let p = if p.is_empty() { "/".to_string() } else { p };
        let is_dir =
            self.dirs.contains(&p) || (world.exists(&p) && world.read(&p).is_none()) || p == "/";
        let file = || world.read(&p);
        match op {
            "-z" => arg.is_empty(),
            "-n" => !arg.is_empty(),
            "-t" => false,
            "-f" | "-e" | "-d" | "-s" | "-r" | "-w" | "-x" | "-L" | "-h" | "-a" | "-O" | "-G"
            | "-S" | "-p" | "-b" | "-c" => {
                let exists = world.exists(&p) || is_dir;
                if !exists
                    && world.maybe_in_image(&p)
                    && matches!(op, "-f" | "-e" | "-r" | "-x" | "-s")
                {
                    self.note(format!("assumed {p} is there (Podstep does not know the files of this image or volume)"));
                    return true;
                }
                match op {
                    "-f" => exists && !is_dir,
                    "-d" => is_dir,
                    "-s" => is_dir || file().is_some_and(|c| !c.is_empty()),
                    "-S" | "-p" | "-b" | "-c" => false,
                    _ => exists,
                }
            }
            _ => !op.is_empty(),
        }
    }

    /// `[[ … ]]`: words expanded without splitting; `==`/`!=` compare against glob patterns, `=~`
    /// against an extended regex (setting `BASH_REMATCH`).
    pub(super) fn dbl_bracket(
        &mut self,
        words: &[String],
        now: Ms,
        world: &mut dyn World,
    ) -> Result<bool, String> {
        let mut expanded = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let w = &words[i];
            let op_before = i > 0 && matches!(words[i - 1].as_str(), "==" | "=" | "!=" | "=~");
            if matches!(w.as_str(), "&&" | "||" | "!" | "(" | ")") || (is_binop(w) && i > 0) {
                expanded.push(w.clone());
            } else if op_before {
                let op = words[i - 1].as_str();
                let v = if op == "=~" {
                    self.expand_one(w, now, world)
                } else {
                    self.expand_pattern(w, now, world)
                };
                let v = v.map_err(|e| match e {
                    super::expand::Error::Fatal(m) | super::expand::Error::Fail(m) => m,
                })?;
                if expanded.len() < 2 {
                    return Err(format!("{op}: missing operand"));
                }
                expanded.pop();
                let lhs = expanded.pop().unwrap_or_default();
                let lhs = lhs.strip_suffix('\u{0}').map(str::to_string).unwrap_or(lhs);
                let r = match op {
                    "=~" => {
                        let re = Regex::new(&v, true, false).ok_or("bad regex")?;
                        let chars: Vec<char> = lhs.chars().collect();
                        match re.find(&chars, 0) {
                            Some((s, e)) => {
                                self.assign("BASH_REMATCH", chars[s..e].iter().collect());
                                true
                            }
                            None => false,
                        }
                    }
                    "!=" => !pattern::glob(&v, &lhs),
                    _ => pattern::glob(&v, &lhs),
                };
                expanded.push(if r { "1".into() } else { String::new() });
            } else {
                let v = self.expand_one(w, now, world).map_err(|e| match e {
                    super::expand::Error::Fatal(m) | super::expand::Error::Fail(m) => m,
                })?;
                let is_operand_of_unary = i > 0
                    && words[i - 1].len() == 2
                    && words[i - 1].starts_with('-')
                    && !is_binop(&words[i - 1]);
                // An operand that looks like an operator must not be read as one.
                if !is_operand_of_unary
                    && (v == "!" || v == "(" || v == ")" || is_binop(&v))
                    && !(w.starts_with('-') && w.len() == 2)
                {
                    expanded.push(format!("{v}\u{0}"));
                } else {
                    expanded.push(v);
                }
            }
            i += 1;
        }
        // `<`/`>` in `[[ ]]` compare strings.
        let args: Vec<String> = expanded
            .into_iter()
            .map(|s| s.strip_suffix('\u{0}').map(str::to_string).unwrap_or(s))
            .collect();
        self.test(&args, world)
    }
}

use crate::limits::SHELL_SEQ_MAX as SEQ_MAX;

fn is_binop(op: &str) -> bool {
    matches!(
        op,
        "=" | "=="
            | "!="
            | "<"
            | ">"
            | "-eq"
            | "-ne"
            | "-lt"
            | "-le"
            | "-gt"
            | "-ge"
            | "-nt"
            | "-ot"
            | "-ef"
            | "=~"
    )
}

fn binop(x: &str, op: &str, y: &str) -> Result<bool, String> {
    let int = |s: &str| {
        s.trim()
            .parse::<i64>()
            .map_err(|_| format!("{s}: integer expression expected"))
    };
    Ok(match op {
        "=" | "==" => x == y,
        "!=" => x != y,
        "<" => x < y,
        ">" => x > y,
        "=~" => Regex::new(y, true, false).is_some_and(|r| r.is_match(x)),
        "-eq" => int(x)? == int(y)?,
        "-ne" => int(x)? != int(y)?,
        "-lt" => int(x)? < int(y)?,
        "-le" => int(x)? <= int(y)?,
        "-gt" => int(x)? > int(y)?,
        "-ge" => int(x)? >= int(y)?,
        _ => false,
    })
}

/// An inline program's exit status: `sys.exit(N)`, `exit(N)`, `process.exit(N)`, `exit N`, else 0.
fn inline_exit(code: &str) -> i32 {
    for pat in ["sys.exit(", "process.exit(", "exit(", "exit "] {
        if let Some(i) = code.rfind(pat) {
            let rest = &code[i + pat.len()..];
            let n: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
            if let Ok(n) = n.parse::<i64>() {
                return (n & 0xff) as i32;
            }
        }
    }
    0
}
