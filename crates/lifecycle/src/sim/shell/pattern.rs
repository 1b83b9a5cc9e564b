//! Matching: shell glob patterns (`case`, `[[ == ]]`, `${X#pat}`) and a small regular-expression
//! engine for `grep`, `[[ =~ ]]` and `sed s///` (`. [] [^] ^ $ * + ? {m,n} ( | )`, classes like
//! `[[:digit:]]`, `\d`). Regexes run as a set of positions per step, so no input makes them exponential.

use crate::limits::SHELL_MAX_REGEX_INPUT as MAX_REGEX_INPUT;

/// `s` matches the glob `pat` in full (`*`, `?`, `[…]`, `[!…]`, `\x`).
pub(super) fn glob(pat: &str, s: &str) -> bool {
    let p: Vec<char> = pat.chars().collect();
    let s: Vec<char> = s.chars().collect();
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() {
            match p[pi] {
                '*' => {
                    star = Some((pi, si));
                    pi += 1;
                    continue;
                }
                '?' => {
                    pi += 1;
                    si += 1;
                    continue;
                }
                '[' => {
                    if let Some((ok, next)) = bracket(&p, pi, s[si]) {
                        if ok {
                            pi = next;
                            si += 1;
                            continue;
                        }
                    } else if s[si] == '[' {
                        pi += 1;
                        si += 1;
                        continue;
                    }
                }
                '\\' if pi + 1 < p.len() && p[pi + 1] == s[si] => {
                    pi += 2;
                    si += 1;
                    continue;
                }
                '\\' if pi + 1 < p.len() => {}
                c if c == s[si] => {
                    pi += 1;
                    si += 1;
                    continue;
                }
                _ => {}
            }
        }
        match star {
            Some((sp, ss)) => {
                pi = sp + 1;
                si = ss + 1;
                star = Some((sp, ss + 1));
            }
            None => return false,
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// A `[…]` at `p[i]`: whether `c` is in it and the index after it (`None`: not a bracket).
fn bracket(p: &[char], i: usize, c: char) -> Option<(bool, usize)> {
    let mut j = i + 1;
    let negate = matches!(p.get(j), Some('!') | Some('^'));
    if negate {
        j += 1;
    }
    let mut found = false;
    let mut first = true;
    while j < p.len() {
        if p[j] == ']' && !first {
            return Some((found != negate, j + 1));
        }
        first = false;
        if p[j] == '[' && p.get(j + 1) == Some(&':') {
            if let Some(end) =
                (j + 2..p.len().saturating_sub(1)).find(|&k| p[k] == ':' && p[k + 1] == ']')
            {
                let name: String = p[j + 2..end].iter().collect();
                found |= class(&name, c);
                j = end + 2;
                continue;
            }
        }
        let lo = if p[j] == '\\' && j + 1 < p.len() {
            j += 1;
            p[j]
        } else {
            p[j]
        };
        if p.get(j + 1) == Some(&'-') && p.get(j + 2).is_some_and(|&h| h != ']') {
            let hi = p[j + 2];
            found |= lo <= c && c <= hi;
            j += 3;
        } else {
            found |= lo == c;
            j += 1;
        }
    }
    None
}

fn class(name: &str, c: char) -> bool {
    match name {
        "digit" => c.is_ascii_digit(),
        "alpha" => c.is_alphabetic(),
        "alnum" => c.is_alphanumeric(),
        "upper" => c.is_uppercase(),
        "lower" => c.is_lowercase(),
        "space" => c.is_whitespace(),
        "blank" => c == ' ' || c == '\t',
        "punct" => c.is_ascii_punctuation(),
        "xdigit" => c.is_ascii_hexdigit(),
        _ => false,
    }
}

/// The shortest or longest prefix (or suffix) of `s` matching `pat`: `${X#pat}` and friends. Returns
/// the byte length removed.
pub(super) fn strip(s: &str, pat: &str, suffix: bool, longest: bool) -> usize {
    let bounds: Vec<usize> = s
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(s.len()))
        .collect();
    let mut cands: Vec<usize> = if suffix {
        bounds.iter().rev().copied().collect()
    } else {
        bounds.clone()
    };
    if longest {
        cands.reverse();
    }
    for i in cands {
        let part = if suffix { &s[i..] } else { &s[..i] };
        if glob(pat, part) {
            return part.len();
        }
    }
    0
}

#[derive(Clone, Debug)]
enum Atom {
    Char(char),
    Any,
    Set(Vec<char>, bool, Vec<String>),
    Group(Vec<Vec<Piece>>),
    Start,
    End,
}

#[derive(Clone, Debug)]
struct Piece {
    atom: Atom,
    min: usize,
    max: Option<usize>,
}

/// A parsed regular expression (extended syntax; basic syntax is translated first).
#[derive(Clone, Debug)]
pub(super) struct Regex {
    alts: Vec<Vec<Piece>>,
    icase: bool,
}

impl Regex {
    /// Parses `re` (`ere`: extended syntax, as `grep -E`, `[[ =~ ]]`; else basic, as `grep`, `sed`).
    pub fn new(re: &str, ere: bool, icase: bool) -> Option<Regex> {
        let src: Vec<char> = if ere {
            re.chars().collect()
        } else {
            bre_to_ere(re)
        };
        let mut pos = 0;
        let alts = parse_alts(&src, &mut pos, 0)?;
        (pos == src.len()).then_some(Regex { alts, icase })
    }

    /// A literal string to look for (`grep -F`).
    pub fn literal(s: &str, icase: bool) -> Regex {
        let pieces = s
            .chars()
            .map(|c| Piece {
                atom: Atom::Char(c),
                min: 1,
                max: Some(1),
            })
            .collect();
        Regex {
            alts: vec![pieces],
            icase,
        }
    }

    fn chars(&self, s: &str) -> Vec<char> {
        let it = s.chars().take(MAX_REGEX_INPUT);
        if self.icase {
            it.flat_map(char::to_lowercase).collect()
        } else {
            it.collect()
        }
    }

    /// Some substring of `s` matches.
    pub fn is_match(&self, s: &str) -> bool {
        let c = self.chars(s);
        let start = vec![true; c.len() + 1];
        alts_step(&self.alts, &c, &start, self.icase, 0)
            .iter()
            .any(|&b| b)
    }

    /// The whole of `s` matches (`grep -x`).
    pub fn full_match(&self, s: &str) -> bool {
        let c = self.chars(s);
        let mut start = vec![false; c.len() + 1];
        start[0] = true;
        alts_step(&self.alts, &c, &start, self.icase, 0)[c.len()]
    }

    /// The leftmost-longest match at or after char index `from`: (start, end) in chars.
    pub fn find(&self, c: &[char], from: usize) -> Option<(usize, usize)> {
        for s0 in from..=c.len() {
            let mut start = vec![false; c.len() + 1];
            start[s0] = true;
            let ends = alts_step(&self.alts, c, &start, self.icase, 0);
            if let Some(e) = (s0..=c.len()).rev().find(|&e| ends[e]) {
                return Some((s0, e));
            }
        }
        None
    }

    /// `s` with matches replaced by `rep` (`&` is the match), all of them or the first.
    pub fn replace(&self, s: &str, rep: &str, all: bool) -> String {
        let c: Vec<char> = s.chars().collect();
        let folded = self.chars(s);
        let mut out = String::new();
        let mut i = 0;
        while i <= c.len() && i <= folded.len() {
            let Some((a, b)) = self.find(&folded, i) else {
                break;
            };
            out.extend(&c[i..a]);
            let matched: String = c[a..b].iter().collect();
            let mut chars = rep.chars();
            while let Some(r) = chars.next() {
                match r {
                    '&' => out.push_str(&matched),
                    '\\' => out.extend(chars.next().map(|n| if n == 'n' { '\n' } else { n })),
                    _ => out.push(r),
                }
            }
            if b == a {
                if a < c.len() {
                    out.push(c[a]);
                }
                i = a + 1;
            } else {
                i = b;
            }
            if !all {
                break;
            }
        }
        if i < c.len() {
            out.extend(&c[i..]);
        }
        out
    }
}

fn bre_to_ere(re: &str) -> Vec<char> {
    let mut out = Vec::new();
    let mut it = re.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '\\' => match it.next() {
                Some(n @ ('(' | ')' | '|' | '+' | '?' | '{' | '}')) => out.push(n),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            },
            '(' | ')' | '|' | '+' | '?' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

fn parse_alts(c: &[char], pos: &mut usize, depth: usize) -> Option<Vec<Vec<Piece>>> {
    if depth > 32 {
        return None;
    }
    let mut alts = vec![Vec::new()];
    while *pos < c.len() {
        let ch = c[*pos];
        let atom = match ch {
            ')' => break,
            '|' => {
                *pos += 1;
                alts.push(Vec::new());
                continue;
            }
            '(' => {
                *pos += 1;
                let inner = parse_alts(c, pos, depth + 1)?;
                if c.get(*pos) != Some(&')') {
                    return None;
                }
                *pos += 1;
                Atom::Group(inner)
            }
            '.' => {
                *pos += 1;
                Atom::Any
            }
            '^' => {
                *pos += 1;
                Atom::Start
            }
            '$' => {
                *pos += 1;
                Atom::End
            }
            '[' => {
                let (set, neg, classes, next) = parse_set(c, *pos)?;
                *pos = next;
                Atom::Set(set, neg, classes)
            }
            '\\' => {
                let n = *c.get(*pos + 1)?;
                *pos += 2;
                match n {
                    'd' => Atom::Set(Vec::new(), false, vec!["digit".into()]),
                    's' => Atom::Set(Vec::new(), false, vec!["space".into()]),
                    'w' => Atom::Set(vec!['_'], false, vec!["alnum".into()]),
                    'n' => Atom::Char('\n'),
                    't' => Atom::Char('\t'),
                    other => Atom::Char(other),
                }
            }
            _ => {
                *pos += 1;
                Atom::Char(ch)
            }
        };
        let (min, max) = match c.get(*pos) {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') => {
                let close = (*pos..c.len()).find(|&k| c[k] == '}')?;
                let inner: String = c[*pos + 1..close].iter().collect();
                let (lo, hi): (usize, Option<usize>) = match inner.split_once(',') {
                    Some((lo, "")) => (lo.parse().ok()?, None),
                    Some((lo, hi)) => (lo.parse().ok()?, Some(hi.parse().ok()?)),
                    None => {
                        let n: usize = inner.parse().ok()?;
                        (n, Some(n))
                    }
                };
                *pos = close;
                (lo.min(255), hi.map(|h: usize| h.min(255)))
            }
            _ => (1, Some(1)),
        };
        if (min, max) != (1, Some(1)) {
            *pos += 1;
        }
        alts.last_mut()?.push(Piece { atom, min, max });
    }
    Some(alts)
}

type Set = (Vec<char>, bool, Vec<String>, usize);

fn parse_set(c: &[char], at: usize) -> Option<Set> {
    let mut j = at + 1;
    let neg = c.get(j) == Some(&'^');
    if neg {
        j += 1;
    }
    let mut set = Vec::new();
    let mut classes = Vec::new();
    let mut first = true;
    while j < c.len() {
        if c[j] == ']' && !first {
            return Some((set, neg, classes, j + 1));
        }
        first = false;
        if c[j] == '[' && c.get(j + 1) == Some(&':') {
            let end =
                (j + 2..c.len().saturating_sub(1)).find(|&k| c[k] == ':' && c[k + 1] == ']')?;
            classes.push(c[j + 2..end].iter().collect());
            j = end + 2;
            continue;
        }
        if c.get(j + 1) == Some(&'-') && c.get(j + 2).is_some_and(|&h| h != ']') {
            let (lo, hi) = (c[j] as u32, c[j + 2] as u32);
            // A range of at most a few hundred characters (`a-z`, `0-9`, `!-~`).
            for x in lo..=hi.min(lo.saturating_add(512)) {
                set.extend(char::from_u32(x));
            }
            j += 3;
        } else {
            set.push(c[j]);
            j += 1;
        }
    }
    None
}

fn atom_matches(a: &Atom, ch: char, icase: bool) -> bool {
    match a {
        Atom::Char(x) => {
            if icase {
                x.to_lowercase().eq(ch.to_lowercase())
            } else {
                *x == ch
            }
        }
        Atom::Any => ch != '\n',
        Atom::Set(set, neg, classes) => {
            let hit = set
                .iter()
                .any(|&x| x == ch || (icase && x.to_lowercase().eq(ch.to_lowercase())))
                || classes.iter().any(|n| class(n, ch));
            hit != *neg
        }
        _ => false,
    }
}

/// From the positions in `from`, the positions reachable after matching one of `alts`.
fn alts_step(
    alts: &[Vec<Piece>],
    c: &[char],
    from: &[bool],
    icase: bool,
    depth: usize,
) -> Vec<bool> {
    let mut out = vec![false; c.len() + 1];
    for seq in alts {
        let mut cur = from.to_vec();
        for piece in seq {
            cur = piece_step(piece, c, &cur, icase, depth);
            if !cur.iter().any(|&b| b) {
                break;
            }
        }
        for (o, x) in out.iter_mut().zip(cur) {
            *o |= x;
        }
    }
    out
}

fn piece_step(p: &Piece, c: &[char], from: &[bool], icase: bool, depth: usize) -> Vec<bool> {
    let once = |set: &[bool]| -> Vec<bool> {
        let mut out = vec![false; c.len() + 1];
        match &p.atom {
            Atom::Start => out[0] = set[0],
            Atom::End => out[c.len()] = set[c.len()],
            Atom::Group(alts) if depth < 32 => out = alts_step(alts, c, set, icase, depth + 1),
            Atom::Group(_) => {}
            a => {
                for i in 0..c.len() {
                    if set[i] && atom_matches(a, c[i], icase) {
                        out[i + 1] = true;
                    }
                }
            }
        }
        out
    };
    let mut cur = from.to_vec();
    for _ in 0..p.min {
        cur = once(&cur);
    }
    let mut reach = cur.clone();
    let extra = p.max.map_or(c.len() + 1, |m| m.saturating_sub(p.min));
    let mut frontier = cur;
    for _ in 0..extra {
        let next = once(&frontier);
        let mut grew = false;
        for (r, n) in reach.iter_mut().zip(&next) {
            if *n && !*r {
                *r = true;
                grew = true;
            }
        }
        if !grew {
            break;
        }
        frontier = next;
    }
    reach
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        for (p, s, ok) in [
            ("*", "", true),
            ("a*", "abc", true),
            ("*.txt", "x.txt", true),
            ("*.txt", "x.tx", false),
            ("web-?", "web-0", true),
            ("[0-9]*", "42", true),
            ("[!0-9]*", "42", false),
            ("\\*", "*", true),
            ("\\*", "a", false),
            ("start|stop", "start|stop", true),
        ] {
            assert_eq!(glob(p, s), ok, "{p} {s}");
        }
        assert_eq!(strip("web-3", "*-", false, true), 4);
        assert_eq!(strip("a.b.c", ".*", true, false), 2);
    }

    #[test]
    fn regexes() {
        for (re, ere, s, ok) in [
            ("ready", false, "server ready", true),
            ("^ready$", false, "server ready", false),
            ("^[0-9]+$", true, "123", true),
            ("^[0-9]+$", true, "12a", false),
            ("a\\|b", false, "xbx", true),
            ("(foo|bar)-[[:digit:]]", true, "bar-1", true),
            ("x{2,3}", true, "axxb", true),
            ("x{2,3}", true, "axb", false),
            ("-([0-9]+)$", true, "web-12", true),
        ] {
            let r = Regex::new(re, ere, false).unwrap();
            assert_eq!(r.is_match(s), ok, "{re} {s}");
        }
        let r = Regex::new("o", false, false).unwrap();
        assert_eq!(r.replace("foo boo", "0", true), "f00 b00");
        assert_eq!(r.replace("foo", "[&]", false), "f[o]o");
    }
}
