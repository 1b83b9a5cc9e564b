//! Word expansion: parameters, `$(…)` and backquotes, `$((…))`, quote removal and field splitting of
//! unquoted results (on blanks). Pathname globbing is not done: Podstep cannot list directories, so
//! a `*` stays as written.

use super::{arith, pattern, Dest, Exec, Io, Ms, Scope, World, Yield, MAX_DEPTH};
use crate::limits;

pub(super) enum Error {
    /// The shell exits 1 (`set -u`, `${X:?msg}`).
    Fatal(String),
    /// The command fails with status 1 (a note says why, if not empty).
    Fail(String),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Words of a command: unquoted results are split into fields.
    Fields,
    /// One string (assignments, redirections, `case`).
    One,
    /// A glob pattern: quoted characters are escaped.
    Pattern,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Unquoted,
    Double,
    Heredoc,
}

struct Out {
    fields: Vec<String>,
    cur: String,
    has: bool,
    mode: Mode,
    size: usize,
}

impl Out {
    fn push(&mut self, s: &str, quoted: bool) {
        self.size += s.len();
        if self.size > limits::MAX_FILE_BYTES {
            return;
        }
        self.has = true;
        if quoted && self.mode == Mode::Pattern {
            for c in s.chars() {
                if matches!(c, '*' | '?' | '[' | ']' | '\\') {
                    self.cur.push('\\');
                }
                self.cur.push(c);
            }
        } else {
            self.cur.push_str(s);
        }
    }
    /// An expansion's result: split on blanks when unquoted in a command's words.
    fn expansion(&mut self, s: &str, quoted: bool) {
        if quoted || self.mode != Mode::Fields {
            if !s.is_empty() || quoted {
                self.push(s, quoted);
            }
            return;
        }
        self.size += s.len();
        if self.size > limits::MAX_FILE_BYTES {
            return;
        }
        for c in s.chars() {
            if matches!(c, ' ' | '\t' | '\n') {
                self.end_field();
            } else {
                self.cur.push(c);
                self.has = true;
            }
        }
    }
    fn end_field(&mut self) {
        if self.has {
            self.fields.push(std::mem::take(&mut self.cur));
            self.has = false;
        }
    }
}

impl Exec {
    pub(super) fn expand_words(
        &mut self,
        words: &[String],
        now: Ms,
        world: &mut dyn World,
    ) -> Result<Vec<String>, Error> {
        let mut out = Out {
            fields: Vec::new(),
            cur: String::new(),
            has: false,
            mode: Mode::Fields,
            size: 0,
        };
        for w in words {
            let c: Vec<char> = w.chars().collect();
            self.expand_chars(&c, Ctx::Unquoted, &mut out, now, world)?;
            out.end_field();
        }
        self.check_size(out.size);
        Ok(out.fields)
    }

    fn one(
        &mut self,
        raw: &str,
        mode: Mode,
        ctx: Ctx,
        now: Ms,
        world: &mut dyn World,
    ) -> Result<String, Error> {
        let mut out = Out {
            fields: Vec::new(),
            cur: String::new(),
            has: false,
            mode,
            size: 0,
        };
        let c: Vec<char> = raw.chars().collect();
        self.expand_chars(&c, ctx, &mut out, now, world)?;
        self.check_size(out.size);
        Ok(out.cur)
    }

    fn check_size(&mut self, size: usize) {
        if size > limits::MAX_FILE_BYTES {
            self.note(format!(
                "a word grew past {} bytes: Podstep cut it",
                limits::MAX_FILE_BYTES
            ));
        }
    }

    /// One string, not split (assignment values, redirection targets, `case` words).
    pub(super) fn expand_one(
        &mut self,
        raw: &str,
        now: Ms,
        world: &mut dyn World,
    ) -> Result<String, Error> {
        self.one(raw, Mode::One, Ctx::Unquoted, now, world)
    }

    /// A glob pattern, quoted parts escaped.
    pub(super) fn expand_pattern(
        &mut self,
        raw: &str,
        now: Ms,
        world: &mut dyn World,
    ) -> Result<String, Error> {
        self.one(raw, Mode::Pattern, Ctx::Unquoted, now, world)
    }

    /// A here-document's body (and arithmetic text): `$` and backquotes expand, quotes stay.
    pub(super) fn expand_heredoc(
        &mut self,
        raw: &str,
        now: Ms,
        world: &mut dyn World,
    ) -> Result<String, Error> {
        self.one(raw, Mode::One, Ctx::Heredoc, now, world)
    }

    fn expand_chars(
        &mut self,
        c: &[char],
        ctx: Ctx,
        out: &mut Out,
        now: Ms,
        world: &mut dyn World,
    ) -> Result<(), Error> {
        let quoted = ctx != Ctx::Unquoted;
        let mut i = 0;
        while i < c.len() {
            let ch = c[i];
            match ch {
                '\\' => {
                    let next = c.get(i + 1).copied();
                    match (ctx, next) {
                        (_, None) => out.push("\\", quoted),
                        (Ctx::Unquoted, Some(n)) => out.push(&n.to_string(), true),
                        (_, Some('\n')) => {}
                        (Ctx::Double, Some(n @ ('$' | '`' | '"' | '\\'))) => {
                            out.push(&n.to_string(), true)
                        }
                        (Ctx::Heredoc, Some(n @ ('$' | '`' | '\\'))) => {
                            out.push(&n.to_string(), true)
                        }
                        (_, Some(n)) => {
                            out.push("\\", true);
                            out.push(&n.to_string(), true);
                        }
                    }
                    i += 2;
                }
                '\'' if ctx == Ctx::Unquoted => {
                    let end = c[i + 1..]
                        .iter()
                        .position(|&x| x == '\'')
                        .map_or(c.len(), |p| i + 1 + p);
                    let s: String = c[i + 1..end].iter().collect();
                    out.push(&s, true);
                    i = end + 1;
                }
                '"' if ctx == Ctx::Unquoted => {
                    let end = super::parse::skip_double(c, i + 1).unwrap_or(c.len());
                    let inner = &c[i + 1..end.saturating_sub(1).max(i + 1)];
                    out.has = true;
                    self.expand_chars(inner, Ctx::Double, out, now, world)?;
                    i = end;
                }
                '`' => {
                    let mut j = i + 1;
                    let mut src = String::new();
                    while j < c.len() && c[j] != '`' {
                        if c[j] == '\\'
                            && matches!(c.get(j + 1), Some('`') | Some('\\') | Some('$'))
                        {
                            j += 1;
                        }
                        if let Some(&x) = c.get(j) {
                            src.push(x);
                        }
                        j += 1;
                    }
                    let v = self.substitute(&src, now, world)?;
                    out.expansion(&v, quoted);
                    i = j + 1;
                }
                '$' => i = self.dollar(c, i, quoted, out, now, world)?,
                '~' if ctx == Ctx::Unquoted && i == 0 && matches!(c.get(1), None | Some('/')) => {
                    let home = self
                        .get_var("HOME", world)
                        .unwrap_or_else(|| "/root".into());
                    out.push(&home, true);
                    i += 1;
                }
                _ => {
                    out.push(&ch.to_string(), quoted);
                    i += 1;
                }
            }
        }
        Ok(())
    }

    /// A `$…` at `c[i]`: the index after it.
    fn dollar(
        &mut self,
        c: &[char],
        i: usize,
        quoted: bool,
        out: &mut Out,
        now: Ms,
        world: &mut dyn World,
    ) -> Result<usize, Error> {
        self.steps_left = self.steps_left.saturating_sub(1);
        let Some(&next) = c.get(i + 1) else {
            out.push("$", quoted);
            return Ok(i + 1);
        };
        match next {
            '(' => {
                let end = super::parse::skip_paren(c, i + 2).unwrap_or(c.len());
                let arith =
                    c.get(i + 2) == Some(&'(') && end >= i + 5 && c.get(end - 2) == Some(&')');
                if arith {
                    let src: String = c[i + 3..end - 2].iter().collect();
                    let text = self.expand_heredoc(&src, now, world)?;
                    let mut scope = Scope { exec: self, world };
                    match arith::eval(&text, &mut scope) {
                        Ok(v) => out.expansion(&v.to_string(), quoted),
                        Err(e) => {
                            return Err(Error::Fail(format!(
                                "arithmetic `{text}` failed: {e} (status 1)"
                            )))
                        }
                    }
                } else {
                    let src: String = c[i + 2..end.saturating_sub(1).max(i + 2)].iter().collect();
                    let v = self.substitute(&src, now, world)?;
                    out.expansion(&v, quoted);
                }
                Ok(end)
            }
            '{' => {
                let end = super::parse::skip_brace(c, i + 2).unwrap_or(c.len());
                let inner: String = c[i + 2..end.saturating_sub(1).max(i + 2)].iter().collect();
                self.braced(&inner, quoted, out, now, world)?;
                Ok(end)
            }
            '\'' if !quoted => {
                // `$'…'`: C escapes.
                let mut j = i + 2;
                let mut s = String::new();
                while j < c.len() && c[j] != '\'' {
                    if c[j] == '\\' && j + 1 < c.len() {
                        j += 1;
                        s.push(match c[j] {
                            'n' => '\n',
                            't' => '\t',
                            'r' => '\r',
                            'e' => '\u{1b}',
                            x => x,
                        });
                    } else {
                        s.push(c[j]);
                    }
                    j += 1;
                }
                out.push(&s, true);
                Ok(j + 1)
            }
            '@' | '*' => {
                if next == '@' && quoted && out.mode == Mode::Fields {
                    let args = self.args.clone();
                    for (k, a) in args.iter().enumerate() {
                        if k > 0 {
                            out.end_field();
                            out.has = true;
                        }
                        out.push(a, true);
                    }
                } else {
                    let joined = self.args.join(" ");
                    out.expansion(&joined, quoted);
                }
                Ok(i + 2)
            }
            c1 if c1.is_ascii_alphabetic() || c1 == '_' => {
                let mut j = i + 1;
                while j < c.len() && (c[j].is_ascii_alphanumeric() || c[j] == '_') {
                    j += 1;
                }
                let name: String = c[i + 1..j].iter().collect();
                let v = self.param(&name, world)?;
                if v.is_none() && self.opts.nounset {
                    return Err(Error::Fatal(format!("{name}: parameter not set")));
                }
                out.expansion(&v.unwrap_or_default(), quoted);
                Ok(j)
            }
            c1 if c1.is_ascii_digit() || matches!(c1, '?' | '$' | '!' | '#' | '-') => {
                let v = self.param(&c1.to_string(), world)?;
                if v.is_none() && self.opts.nounset && c1 != '!' {
                    return Err(Error::Fatal(format!("{c1}: parameter not set")));
                }
                out.expansion(&v.unwrap_or_default(), quoted);
                Ok(i + 2)
            }
            _ => {
                out.push("$", quoted);
                Ok(i + 1)
            }
        }
    }

    /// A parameter's value by name (special parameters included).
    fn param(&mut self, name: &str, world: &dyn World) -> Result<Option<String>, Error> {
        Ok(match name {
            "?" => Some(self.status.to_string()),
            "$" => Some(self.pid().to_string()),
            "!" => self.last_bg.map(|p| p.to_string()),
            "#" => Some(self.args.len().to_string()),
            "-" => {
                let o = self.opts;
                let mut f = String::new();
                for (on, c) in [(o.errexit, 'e'), (o.nounset, 'u'), (o.xtrace, 'x')] {
                    if on {
                        f.push(c);
                    }
                }
                Some(f)
            }
            "@" | "*" => Some(self.args.join(" ")),
            "0" => Some(self.arg0.clone()),
            n if n.chars().all(|c| c.is_ascii_digit()) => {
                let k: usize = n.parse().unwrap_or(usize::MAX);
                self.args.get(k.wrapping_sub(1)).cloned()
            }
            n => self.get_var(n, world),
        })
    }

    /// `${…}`.
    fn braced(
        &mut self,
        inner: &str,
        quoted: bool,
        out: &mut Out,
        now: Ms,
        world: &mut dyn World,
    ) -> Result<(), Error> {
        if let Some(rest) = inner.strip_prefix('#') {
            if !rest.is_empty() && !rest.contains([':', '-', '=', '+', '?', '#', '%', '/']) {
                let n = match rest {
                    "@" | "*" => self.args.len(),
                    _ => self.param(rest, world)?.unwrap_or_default().chars().count(),
                };
                out.expansion(&n.to_string(), quoted);
                return Ok(());
            }
        }
        let name_len = if inner.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            let base = inner
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(inner.len());
            // `NAME[i]`: one variable named so (what `BASH_REMATCH[0]` needs).
            match inner[base..].strip_prefix('[').and_then(|r| r.find(']')) {
                Some(close) => base + close + 2,
                None => base,
            }
        } else if inner.starts_with(|c: char| c.is_ascii_digit()) {
            inner
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(inner.len())
        } else {
            inner.chars().next().map_or(0, char::len_utf8)
        };
        let (name, op) = inner.split_at(name_len);
        if name.is_empty() {
            return Err(Error::Fail(format!("${{{inner}}}: bad substitution")));
        }
        let name = name
            .strip_suffix("[@]")
            .or_else(|| name.strip_suffix("[*]"))
            .unwrap_or(name);
        let name = name.strip_suffix("[0]").unwrap_or(name);
        let value = self.param(name, world)?;
        let (op, word) = split_op(op);
        let set = value.is_some();
        let nonempty = value.as_deref().is_some_and(|v| !v.is_empty());
        let v = value.clone().unwrap_or_default();
        let result = match op {
            "" => {
                if !set && self.opts.nounset {
                    return Err(Error::Fatal(format!("{name}: parameter not set")));
                }
                v
            }
            ":-" | "-" => {
                if (op == ":-" && !nonempty) || (op == "-" && !set) {
                    self.expand_one(word, now, world)?
                } else {
                    v
                }
            }
            ":=" | "=" => {
                if (op == ":=" && !nonempty) || (op == "=" && !set) {
                    let d = self.expand_one(word, now, world)?;
                    self.assign(name, d.clone());
                    d
                } else {
                    v
                }
            }
            ":+" | "+" => {
                if (op == ":+" && nonempty) || (op == "+" && set) {
                    self.expand_one(word, now, world)?
                } else {
                    String::new()
                }
            }
            ":?" | "?" => {
                if (op == ":?" && !nonempty) || (op == "?" && !set) {
                    let msg = self.expand_one(word, now, world)?;
                    let msg = if msg.is_empty() {
                        "parameter null or not set".into()
                    } else {
                        msg
                    };
                    return Err(Error::Fatal(format!("{name}: {msg}")));
                }
                v
            }
            "#" | "##" | "%" | "%%" => {
                let pat = self.expand_pattern(word, now, world)?;
                let suffix = op.starts_with('%');
                let n = pattern::strip(&v, &pat, suffix, op.len() == 2);
                if suffix {
                    v[..v.len() - n].to_string()
                } else {
                    v[n..].to_string()
                }
            }
            "/" | "//" => {
                let (pat, rep) = match word.split_once('/') {
                    Some((p, r)) => (p, r),
                    None => (word, ""),
                };
                let pat = self.expand_pattern(pat, now, world)?;
                let rep = self.expand_one(rep, now, world)?;
                replace_glob(&v, &pat, &rep, op == "//")
            }
            "^^" => v.to_uppercase(),
            ",," => v.to_lowercase(),
            "^" => capitalize(&v, true),
            "," => capitalize(&v, false),
            ":" => {
                let (off, len) = match word.split_once(':') {
                    Some((o, l)) => (o, Some(l)),
                    None => (word, None),
                };
                let chars: Vec<char> = v.chars().collect();
                let n = chars.len() as i64;
                let off = self.arith_word(off, now, world)?;
                let start = if off < 0 {
                    (n + off).max(0)
                } else {
                    off.min(n)
                };
                let end = match len {
                    Some(l) => {
                        let l = self.arith_word(l, now, world)?;
                        if l < 0 {
                            (n + l).max(start)
                        } else {
                            start.saturating_add(l).min(n)
                        }
                    }
                    None => n,
                };
                chars[start as usize..end.max(start) as usize]
                    .iter()
                    .collect()
            }
            _ => return Err(Error::Fail(format!("${{{inner}}}: bad substitution"))),
        };
        out.expansion(&result, quoted);
        Ok(())
    }

    fn arith_word(&mut self, src: &str, now: Ms, world: &mut dyn World) -> Result<i64, Error> {
        let text = self.expand_heredoc(src, now, world)?;
        let mut scope = Scope { exec: self, world };
        arith::eval(&text, &mut scope)
            .map_err(|e| Error::Fail(format!("arithmetic `{text}` failed: {e} (status 1)")))
    }

    /// `$(src)`: runs `src` in a copy of the shell to its end, without simulated time passing: its
    /// output, trailing newlines removed.
    pub(super) fn substitute(
        &mut self,
        src: &str,
        now: Ms,
        world: &mut dyn World,
    ) -> Result<String, Error> {
        if self.nest + self.depth >= MAX_DEPTH {
            return Err(Error::Fail(format!(
                "$(…) nested deeper than {MAX_DEPTH} levels: Podstep stops it with status 1"
            )));
        }
        let root = match self.parse_cached(src) {
            Ok(r) => r,
            Err(e) => {
                return Err(Error::Fail(format!(
                    "the script in $({src}) does not parse: {e}"
                )))
            }
        };
        let mut child = self.fork(root);
        child.bufs = vec![Some(String::new())];
        child.io = vec![Io {
            out: Dest::Buf(0),
            err: Dest::Null,
            input: None,
        }];
        child.steps_left = self.steps_left;
        let mut t = now;
        let mut status = 1;
        let mut slept = false;
        for _ in 0..64 {
            match child.run_until_blocked(t, world) {
                Yield::Exit(c) => {
                    status = c;
                    break;
                }
                Yield::Until(next) if child.steps_left > 0 => {
                    slept = true;
                    t = next;
                }
                Yield::Until(_) => {
                    child.note(format!(
                        "$({src}) ran more than {} steps: Podstep cut it short (status 1)",
                        super::MAX_STEPS_PER_RESUME
                    ));
                    break;
                }
                Yield::Forever => {
                    child.note(format!(
                        "$({src}) never ends: Podstep cut it short (status 1)"
                    ));
                    break;
                }
                Yield::OomKilled => {
                    self.oom = true;
                    break;
                }
            }
        }
        if slept {
            child.note(format!(
                "$({src}) waits: Podstep runs command substitutions without simulated time passing"
            ));
        }
        self.steps_left = child.steps_left;
        let notes = child.take_notes();
        self.merge_notes(notes);
        self.subst_status = Some(status);
        let mut s = child
            .bufs
            .first_mut()
            .and_then(Option::take)
            .unwrap_or_default();
        while s.ends_with('\n') {
            s.pop();
        }
        Ok(s)
    }
}

fn split_op(op: &str) -> (&str, &str) {
    for o in [
        ":-", ":=", ":+", ":?", "##", "%%", "//", "^^", ",,", "-", "=", "+", "?", "#", "%", "/",
        "^", ",", ":",
    ] {
        if let Some(rest) = op.strip_prefix(o) {
            return (o, rest);
        }
    }
    (op, "")
}

fn capitalize(s: &str, upper: bool) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if upper => f.to_uppercase().chain(c).collect(),
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// `${X/pat/rep}`: the first (or every) longest match of a glob replaced.
fn replace_glob(s: &str, pat: &str, rep: &str, all: bool) -> String {
    let chars: Vec<char> = s.chars().take(1024).collect();
    let mut out = String::new();
    let mut i = 0;
    let mut done = false;
    while i < chars.len() {
        if !done {
            let hit = (i + 1..=chars.len()).rev().find(|&j| {
                let part: String = chars[i..j].iter().collect();
                pattern::glob(pat, &part)
            });
            if let Some(j) = hit {
                out.push_str(rep);
                i = j;
                done = !all;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}
