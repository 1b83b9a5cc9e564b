//! Reading a script: words and operators into a small tree (simple commands, lists, pipelines,
//! `&&`/`||`/`!`, loops, `if`, `for`, `case`, functions, groups, subshells, `[[ ]]`, `(( ))`), kept in
//! an arena so the executor can point into it by index. Words keep their quotes: the executor expands
//! them (parameters, `$(…)`, `$((…))`, quote removal, field splitting) when it runs them.

/// An I/O redirection: `fd` (0 in, 1 out, 2 err; 3 for `&>`, both) and what it points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Redir {
    pub fd: u8,
    pub kind: RKind,
    /// A file name (still to be expanded), the fd a `>&` duplicates, or a here-document's body.
    pub target: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum RKind {
    Out,
    Append,
    In,
    /// `2>&1`, `>&2`: `target` is the fd copied.
    Dup,
    /// `<<EOF`: `target` is the body; `true` when it is expanded (an unquoted delimiter).
    Here(bool),
    /// `<<< word`: `target` is the word.
    HereStr,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Node {
    /// A simple command: leading `NAME=value` assignments, words and redirections, all unexpanded.
    Cmd {
        assigns: Vec<(String, String)>,
        words: Vec<String>,
        redirs: Vec<Redir>,
    },
    /// Words that are already final (a container's argv, what `exec` runs).
    Argv(Vec<String>),
    /// Items in order; `true` runs the item in the background (`&`).
    List(Vec<(usize, bool)>),
    And(usize, usize),
    Or(usize, usize),
    Not(usize),
    Pipe(Vec<usize>),
    Loop {
        cond: usize,
        body: usize,
        until: bool,
    },
    If {
        branches: Vec<(usize, usize)>,
        otherwise: Option<usize>,
    },
    /// `for var in items; do body; done` (`None`: over `"$@"`).
    For {
        var: String,
        items: Option<Vec<String>>,
        body: usize,
    },
    /// `for ((init; cond; step)); do body; done`.
    ArithFor {
        init: String,
        cond: String,
        step: String,
        body: usize,
    },
    Case {
        word: String,
        arms: Vec<(Vec<String>, usize)>,
    },
    Func {
        name: String,
        body: usize,
    },
    Group(usize),
    Subshell(usize),
    /// A compound command with redirections (`while …; done < file`, `{ …; } > log`).
    Redirected {
        inner: usize,
        redirs: Vec<Redir>,
    },
    /// `[[ … ]]`: its words, unexpanded.
    Test(Vec<String>),
    /// `(( … ))`.
    Arith(String),
}

/// A parsed script: nodes in an arena, the root last.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Script {
    pub(super) nodes: Vec<Node>,
    pub(super) root: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Word(String),
    Op(&'static str),
    Redir(Redir),
    /// `(( … ))` at the start of a command.
    Arith(String),
}

pub(super) use crate::limits::SHELL_MAX_NODES as MAX_NODES;

type Chars = [char];

/// Index just past the `)` closing a `$(` or `(` whose body starts at `i`.
pub(super) fn skip_paren(c: &Chars, mut i: usize) -> Result<usize, String> {
    let mut depth = 1usize;
    while i < c.len() {
        match c[i] {
            '\\' => i += 2,
            '\'' => i = skip_single(c, i + 1)?,
            '"' => i = skip_double(c, i + 1)?,
            '`' => i = skip_backtick(c, i + 1)?,
            '(' => {
                depth += 1;
                i += 1;
            }
            ')' => {
                depth -= 1;
                i += 1;
                if depth == 0 {
                    return Ok(i);
                }
            }
            _ => i += 1,
        }
    }
    Err("unterminated `$(`".into())
}

pub(super) fn skip_brace(c: &Chars, mut i: usize) -> Result<usize, String> {
    let mut depth = 1usize;
    while i < c.len() {
        match c[i] {
            '\\' => i += 2,
            '\'' => i = skip_single(c, i + 1)?,
            '"' => i = skip_double(c, i + 1)?,
            '$' if c.get(i + 1) == Some(&'(') => i = skip_paren(c, i + 2)?,
            '{' => {
                depth += 1;
                i += 1;
            }
            '}' => {
                depth -= 1;
                i += 1;
                if depth == 0 {
                    return Ok(i);
                }
            }
            _ => i += 1,
        }
    }
    Err("unterminated `${`".into())
}

fn skip_single(c: &Chars, mut i: usize) -> Result<usize, String> {
    while i < c.len() {
        if c[i] == '\'' {
            return Ok(i + 1);
        }
        i += 1;
    }
    Err("unterminated single quote".into())
}

pub(super) fn skip_double(c: &Chars, mut i: usize) -> Result<usize, String> {
    while i < c.len() {
        match c[i] {
            '\\' => i += 2,
            '"' => return Ok(i + 1),
            '$' if c.get(i + 1) == Some(&'(') => i = skip_paren(c, i + 2)?,
            '$' if c.get(i + 1) == Some(&'{') => i = skip_brace(c, i + 2)?,
            '`' => i = skip_backtick(c, i + 1)?,
            _ => i += 1,
        }
    }
    Err("unterminated double quote".into())
}

fn skip_backtick(c: &Chars, mut i: usize) -> Result<usize, String> {
    while i < c.len() {
        match c[i] {
            '\\' => i += 2,
            '`' => return Ok(i + 1),
            _ => i += 1,
        }
    }
    Err("unterminated backquote".into())
}

/// Index just past the `))` that closes a `((` whose body starts at `i`, if it is arithmetic.
fn arith_end(c: &Chars, mut i: usize) -> Option<usize> {
    let mut depth = 0usize;
    while i < c.len() {
        match c[i] {
            '(' => depth += 1,
            ')' if depth == 0 => return (c.get(i + 1) == Some(&')')).then_some(i + 2),
            ')' => depth -= 1,
            '\n' if depth == 0 => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

fn is_meta(ch: char) -> bool {
    matches!(
        ch,
        ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')'
    )
}

/// One word from `i`, with its quotes: the index after it.
fn scan_word(c: &Chars, mut i: usize, word: &mut String) -> Result<usize, String> {
    let start = i;
    while i < c.len() {
        let ch = c[i];
        if is_meta(ch) {
            break;
        }
        let end = match ch {
            '\\' if c.get(i + 1) == Some(&'\n') => {
                i += 2;
                continue;
            }
            '\\' => (i + 2).min(c.len()),
            '\'' => skip_single(c, i + 1)?,
            '"' => skip_double(c, i + 1)?,
            '`' => skip_backtick(c, i + 1)?,
            '$' if c.get(i + 1) == Some(&'(') => skip_paren(c, i + 2)?,
            '$' if c.get(i + 1) == Some(&'{') => skip_brace(c, i + 2)?,
            _ => i + 1,
        };
        word.extend(&c[i..end]);
        i = end;
    }
    debug_assert!(i > start || i >= c.len() || is_meta(c[i]));
    Ok(i)
}

fn tokenize(src: &str) -> Result<Vec<Tok>, String> {
    let mut toks = Vec::new();
    let c: Vec<char> = src.chars().collect();
    // Here-documents whose bodies start at the next newline: (token index, delimiter, strip tabs).
    let mut pending: Vec<(usize, String, bool)> = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        match ch {
            ' ' | '\t' | '\r' => i += 1,
            '\\' if c.get(i + 1) == Some(&'\n') => i += 2,
            '\n' => {
                toks.push(Tok::Op(";"));
                i += 1;
                for (tok, delim, strip) in pending.drain(..) {
                    let mut body = String::new();
                    loop {
                        if i >= c.len() {
                            break;
                        }
                        let end = c[i..]
                            .iter()
                            .position(|&x| x == '\n')
                            .map_or(c.len(), |p| i + p);
                        let line: String = c[i..end].iter().collect();
                        i = (end + 1).min(c.len().max(end));
                        let line = if strip {
                            line.trim_start_matches('\t').to_string()
                        } else {
                            line
                        };
                        if line == delim {
                            break;
                        }
                        body.push_str(&line);
                        body.push('\n');
                    }
                    if let Some(Tok::Redir(r)) = toks.get_mut(tok) {
                        r.target = body;
                    }
                }
            }
            '#' => {
                while i < c.len() && c[i] != '\n' {
                    i += 1;
                }
            }
            ';' if c.get(i + 1) == Some(&';') => {
                toks.push(Tok::Op(";;"));
                i += 2;
            }
            ';' => {
                toks.push(Tok::Op(";"));
                i += 1;
            }
            '&' if c.get(i + 1) == Some(&'&') => {
                toks.push(Tok::Op("&&"));
                i += 2;
            }
            '&' if c.get(i + 1) == Some(&'>') => {
                let append = c.get(i + 2) == Some(&'>');
                i += if append { 3 } else { 2 };
                let kind = if append { RKind::Append } else { RKind::Out };
                toks.push(Tok::Redir(Redir {
                    fd: 3,
                    kind,
                    target: String::new(),
                }));
            }
            '|' if c.get(i + 1) == Some(&'|') => {
                toks.push(Tok::Op("||"));
                i += 2;
            }
            '&' => {
                toks.push(Tok::Op("&"));
                i += 1;
            }
            '|' => {
                // `|&` is `2>&1 |`.
                if c.get(i + 1) == Some(&'&') {
                    toks.push(Tok::Redir(Redir {
                        fd: 2,
                        kind: RKind::Dup,
                        target: "1".into(),
                    }));
                    i += 1;
                }
                toks.push(Tok::Op("|"));
                i += 1;
            }
            '(' if c.get(i + 1) == Some(&'(') && arith_end(&c, i + 2).is_some() => {
                let end = arith_end(&c, i + 2).unwrap_or(c.len());
                toks.push(Tok::Arith(c[i + 2..end - 2].iter().collect()));
                i = end;
            }
            '(' => {
                toks.push(Tok::Op("("));
                i += 1;
            }
            ')' => {
                toks.push(Tok::Op(")"));
                i += 1;
            }
            '>' | '<' => i = redirection(&c, i, 1 - u8::from(ch == '<'), &mut toks, &mut pending)?,
            d if d.is_ascii_digit() && matches!(c.get(i + 1), Some('>') | Some('<')) => {
                let fd = d as u8 - b'0';
                i = redirection(&c, i + 1, fd, &mut toks, &mut pending)?;
            }
            _ => {
                let mut word = String::new();
                i = scan_word(&c, i, &mut word)?;
                toks.push(Tok::Word(word));
            }
        }
    }
    Ok(toks)
}

/// A redirection operator at `i` (`>`, `>>`, `<`, `>&N`, `<<EOF`, `<<<`).
fn redirection(
    c: &Chars,
    mut i: usize,
    fd: u8,
    toks: &mut Vec<Tok>,
    pending: &mut Vec<(usize, String, bool)>,
) -> Result<usize, String> {
    let kind = if c[i] == '<' {
        if c.get(i + 1) == Some(&'<') && c.get(i + 2) != Some(&'<') {
            // A here-document: the delimiter word, then the body after the next newline.
            i += 2;
            let strip = c.get(i) == Some(&'-');
            if strip {
                i += 1;
            }
            while matches!(c.get(i), Some(' ') | Some('\t')) {
                i += 1;
            }
            let mut delim = String::new();
            i = scan_word(c, i, &mut delim)?;
            let quoted = delim.contains(['\'', '"', '\\']);
            let delim: String = delim
                .chars()
                .filter(|ch| !matches!(ch, '\'' | '"' | '\\'))
                .collect();
            pending.push((toks.len(), delim, strip));
            toks.push(Tok::Redir(Redir {
                fd: 0,
                kind: RKind::Here(!quoted),
                target: String::new(),
            }));
            return Ok(i);
        }
        if c.get(i + 1) == Some(&'<') {
            // `<<< word`: a here-string, read like a one-line here-document.
            i += 3;
            toks.push(Tok::Redir(Redir {
                fd: 0,
                kind: RKind::HereStr,
                target: String::new(),
            }));
            return Ok(i);
        }
        i += 1;
        RKind::In
    } else if c.get(i + 1) == Some(&'>') {
        i += 2;
        RKind::Append
    } else if c.get(i + 1) == Some(&'&') {
        i += 2;
        let mut target = String::new();
        while let Some(d) = c.get(i).filter(|d| d.is_ascii_digit() || **d == '-') {
            target.push(*d);
            i += 1;
        }
        if target.is_empty() {
            // `>& file` is `&> file`.
            toks.push(Tok::Redir(Redir {
                fd: 3,
                kind: RKind::Out,
                target,
            }));
        } else {
            toks.push(Tok::Redir(Redir {
                fd,
                kind: RKind::Dup,
                target,
            }));
        }
        return Ok(i);
    } else {
        i += 1;
        if c.get(i) == Some(&'|') {
            i += 1;
        }
        RKind::Out
    };
    toks.push(Tok::Redir(Redir {
        fd,
        kind,
        target: String::new(),
    }));
    Ok(i)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    nodes: Vec<Node>,
    depth: usize,
}

const KEYWORDS_END: &[&str] = &["do", "done", "then", "fi", "elif", "else", "esac", "}"];

fn is_name(s: &str) -> bool {
    let mut ch = s.chars();
    ch.next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && ch.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn split_assignment(w: &str) -> Option<(String, String)> {
    let (name, value) = w.split_once('=')?;
    let name = name.strip_suffix('+').unwrap_or(name);
    is_name(name).then(|| (w[..w.find('=').unwrap_or(0)].to_string(), value.to_string()))
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn peek_word(&self) -> Option<&str> {
        match self.toks.get(self.pos) {
            Some(Tok::Word(w)) => Some(w),
            _ => None,
        }
    }
    fn peek_op(&self) -> Option<&'static str> {
        match self.toks.get(self.pos) {
            Some(Tok::Op(o)) => Some(o),
            _ => None,
        }
    }
    fn add(&mut self, n: Node) -> Result<usize, String> {
        if self.nodes.len() >= MAX_NODES {
            return Err(format!("script longer than {MAX_NODES} commands"));
        }
        self.nodes.push(n);
        Ok(self.nodes.len() - 1)
    }
    fn skip_separators(&mut self) {
        while self.peek_op() == Some(";") {
            self.pos += 1;
        }
    }
    fn expect_word(&mut self, w: &str) -> Result<(), String> {
        self.skip_separators();
        if self.peek_word() == Some(w) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!("expected `{w}`"))
        }
    }
    fn expect_op(&mut self, o: &str) -> Result<(), String> {
        if self.peek_op() == Some(o) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!("expected `{o}`"))
        }
    }
    fn unexpected(&self) -> String {
        match self.peek() {
            Some(Tok::Op(o)) => format!("unexpected `{o}`"),
            Some(Tok::Word(w)) => format!("unexpected `{w}`"),
            Some(Tok::Redir(_)) => "unexpected redirection".into(),
            Some(Tok::Arith(_)) => "unexpected `((`".into(),
            None => "unexpected end of script".into(),
        }
    }

    /// A list of and-or items up to a closing keyword, `)`, `;;` or the end.
    fn list(&mut self) -> Result<usize, String> {
        self.depth += 1;
        if self.depth > 50 {
            return Err("script nested too deeply".into());
        }
        let mut items = Vec::new();
        loop {
            self.skip_separators();
            match self.peek() {
                None | Some(Tok::Op(")")) | Some(Tok::Op(";;")) => break,
                Some(Tok::Word(w)) if KEYWORDS_END.contains(&w.as_str()) => break,
                _ => {}
            }
            let item = self.and_or()?;
            let background = self.peek_op() == Some("&");
            if background {
                self.pos += 1;
            }
            items.push((item, background));
        }
        self.depth -= 1;
        self.add(Node::List(items))
    }

    fn and_or(&mut self) -> Result<usize, String> {
        let mut left = self.pipeline()?;
        loop {
            let op = self.peek_op();
            if !matches!(op, Some("&&") | Some("||")) {
                return Ok(left);
            }
            self.pos += 1;
            self.skip_separators();
            let right = self.pipeline()?;
            left = self.add(if op == Some("&&") {
                Node::And(left, right)
            } else {
                Node::Or(left, right)
            })?;
        }
    }

    fn pipeline(&mut self) -> Result<usize, String> {
        if self.peek_word() == Some("!") {
            self.pos += 1;
            let inner = self.pipeline()?;
            return self.add(Node::Not(inner));
        }
        let mut parts = vec![self.command()?];
        while self.peek_op() == Some("|") {
            self.pos += 1;
            self.skip_separators();
            parts.push(self.command()?);
        }
        if parts.len() == 1 {
            Ok(parts[0])
        } else {
            self.add(Node::Pipe(parts))
        }
    }

    /// Redirections after a compound command.
    fn trailing_redirs(&mut self, inner: usize) -> Result<usize, String> {
        let mut redirs = Vec::new();
        while let Some(Tok::Redir(_)) = self.peek() {
            redirs.push(self.redir()?);
        }
        if redirs.is_empty() {
            Ok(inner)
        } else {
            self.add(Node::Redirected { inner, redirs })
        }
    }

    fn redir(&mut self) -> Result<Redir, String> {
        let Some(Tok::Redir(r)) = self.peek().cloned() else {
            return Err(self.unexpected());
        };
        self.pos += 1;
        let mut r = r;
        let needs_word = r.fd == 3 && r.target.is_empty()
            || matches!(
                r.kind,
                RKind::Out | RKind::Append | RKind::In | RKind::HereStr
            );
        if needs_word {
            match self.peek() {
                Some(Tok::Word(w)) => {
                    r.target = w.clone();
                    self.pos += 1;
                }
                _ => return Err("expected a file name after a redirection".into()),
            }
        }
        Ok(r)
    }

    fn command(&mut self) -> Result<usize, String> {
        let node = match self.peek() {
            Some(Tok::Arith(a)) => {
                let a = a.clone();
                self.pos += 1;
                self.add(Node::Arith(a))?
            }
            Some(Tok::Op("(")) => {
                self.pos += 1;
                let body = self.list()?;
                self.expect_op(")")?;
                self.add(Node::Subshell(body))?
            }
            Some(Tok::Word(w)) => match w.as_str() {
                "while" | "until" => {
                    let until = w == "until";
                    self.pos += 1;
                    let cond = self.list()?;
                    self.expect_word("do")?;
                    let body = self.list()?;
                    self.expect_word("done")?;
                    self.add(Node::Loop { cond, body, until })?
                }
                "if" => {
                    self.pos += 1;
                    self.if_rest()?
                }
                "for" => {
                    self.pos += 1;
                    self.for_rest()?
                }
                "case" => {
                    self.pos += 1;
                    self.case_rest()?
                }
                "{" => {
                    self.pos += 1;
                    let body = self.list()?;
                    self.expect_word("}")?;
                    self.add(Node::Group(body))?
                }
                "[[" => {
                    self.pos += 1;
                    let mut words = Vec::new();
                    loop {
                        match self.peek().cloned() {
                            None => return Err("expected `]]`".into()),
                            Some(Tok::Word(w)) if w == "]]" => {
                                self.pos += 1;
                                break;
                            }
                            Some(Tok::Word(w)) => words.push(w),
                            Some(Tok::Op(o)) => words.push(o.to_string()),
                            Some(Tok::Redir(r)) => words.push(match r.kind {
                                RKind::In => "<".to_string(),
                                _ => ">".to_string(),
                            }),
                            Some(Tok::Arith(a)) => words.push(format!("(({a}))")),
                        }
                        self.pos += 1;
                    }
                    self.add(Node::Test(words))?
                }
                "function" => {
                    self.pos += 1;
                    let Some(name) = self.peek_word().map(str::to_string) else {
                        return Err("expected a function name".into());
                    };
                    self.pos += 1;
                    if self.peek_op() == Some("(") {
                        self.pos += 1;
                        self.expect_op(")")?;
                    }
                    self.func_body(name)?
                }
                _ if matches!(self.toks.get(self.pos + 1), Some(Tok::Op("(")))
                    && matches!(self.toks.get(self.pos + 2), Some(Tok::Op(")")))
                    && is_name(w.trim_end_matches(['-', '.', ':'])) =>
                {
                    let name = w.clone();
                    self.pos += 3;
                    self.func_body(name)?
                }
                _ => return self.simple(),
            },
            _ => return self.simple(),
        };
        self.trailing_redirs(node)
    }

    fn func_body(&mut self, name: String) -> Result<usize, String> {
        self.skip_separators();
        let body = self.command()?;
        self.add(Node::Func { name, body })
    }

    fn if_rest(&mut self) -> Result<usize, String> {
        let mut branches = Vec::new();
        let mut otherwise = None;
        loop {
            let cond = self.list()?;
            self.expect_word("then")?;
            let body = self.list()?;
            branches.push((cond, body));
            self.skip_separators();
            match self.peek_word() {
                Some("elif") => self.pos += 1,
                Some("else") => {
                    self.pos += 1;
                    otherwise = Some(self.list()?);
                    self.expect_word("fi")?;
                    break;
                }
                _ => {
                    self.expect_word("fi")?;
                    break;
                }
            }
        }
        self.add(Node::If {
            branches,
            otherwise,
        })
    }

    fn for_rest(&mut self) -> Result<usize, String> {
        if let Some(Tok::Arith(a)) = self.peek().cloned() {
            self.pos += 1;
            let mut parts = a.splitn(3, ';').map(|s| s.trim().to_string());
            let init = parts.next().unwrap_or_default();
            let cond = parts.next().unwrap_or_default();
            let step = parts.next().unwrap_or_default();
            self.expect_word("do")?;
            let body = self.list()?;
            self.expect_word("done")?;
            return self.add(Node::ArithFor {
                init,
                cond,
                step,
                body,
            });
        }
        let Some(var) = self.peek_word().map(str::to_string) else {
            return Err("expected a variable after `for`".into());
        };
        if !is_name(&var) {
            return Err(format!("`{var}` is not a variable name"));
        }
        self.pos += 1;
        self.skip_separators();
        let mut items = None;
        if self.peek_word() == Some("in") {
            self.pos += 1;
            let mut words = Vec::new();
            while let Some(w) = self.peek_word() {
                words.push(w.to_string());
                self.pos += 1;
            }
            items = Some(words);
        }
        self.expect_word("do")?;
        let body = self.list()?;
        self.expect_word("done")?;
        self.add(Node::For { var, items, body })
    }

    fn case_rest(&mut self) -> Result<usize, String> {
        let Some(word) = self.peek_word().map(str::to_string) else {
            return Err("expected a word after `case`".into());
        };
        self.pos += 1;
        self.expect_word("in")?;
        let mut arms = Vec::new();
        loop {
            self.skip_separators();
            if self.peek_word() == Some("esac") || self.peek().is_none() {
                break;
            }
            if self.peek_op() == Some("(") {
                self.pos += 1;
            }
            let mut pats = Vec::new();
            loop {
                let Some(p) = self.peek_word().map(str::to_string) else {
                    return Err(self.unexpected());
                };
                pats.push(p);
                self.pos += 1;
                if self.peek_op() == Some("|") {
                    self.pos += 1;
                } else {
                    break;
                }
            }
            self.expect_op(")")?;
            let body = self.list()?;
            arms.push((pats, body));
            if self.peek_op() == Some(";;") {
                self.pos += 1;
            }
        }
        self.expect_word("esac")?;
        self.add(Node::Case { word, arms })
    }

    fn simple(&mut self) -> Result<usize, String> {
        let mut assigns = Vec::new();
        let mut words = Vec::new();
        let mut redirs = Vec::new();
        loop {
            match self.peek() {
                Some(Tok::Word(w)) => {
                    match split_assignment(w).filter(|_| words.is_empty()) {
                        Some(a) => assigns.push(a),
                        None => words.push(w.clone()),
                    }
                    self.pos += 1;
                }
                Some(Tok::Redir(_)) => redirs.push(self.redir()?),
                _ => break,
            }
        }
        if words.is_empty() && redirs.is_empty() && assigns.is_empty() {
            return Err(self.unexpected());
        }
        self.add(Node::Cmd {
            assigns,
            words,
            redirs,
        })
    }
}

/// Parses `src` and appends its nodes to `nodes`: the root's index.
pub(super) fn parse_into(src: &str, nodes: &mut Vec<Node>) -> Result<usize, String> {
    let toks = tokenize(src)?;
    let mut p = Parser {
        toks,
        pos: 0,
        nodes: std::mem::take(nodes),
        depth: 0,
    };
    let start = p.nodes.len();
    let result = p.list().and_then(|root| {
        if p.pos < p.toks.len() {
            Err(p.unexpected())
        } else {
            Ok(root)
        }
    });
    if result.is_err() {
        p.nodes.truncate(start);
    }
    *nodes = p.nodes;
    result
}

impl Script {
    pub fn parse(src: &str) -> Result<Script, String> {
        let mut nodes = Vec::new();
        let root = parse_into(src, &mut nodes)?;
        Ok(Script { nodes, root })
    }

    /// When the script ends by running a program the shell does not know (`…; exec myserver`, a
    /// script that is one `start-zookeeper …` line), that program is the container's main process:
    /// its command is replaced by `stand_in` (parsed), and the program's words are returned for the
    /// note. Earlier commands (waiting for a Service, writing a config) still run first.
    pub fn replace_unknown_main(&mut self, stand_in: &str) -> Option<String> {
        let last = match &self.nodes[self.root] {
            Node::List(items) => match items.last() {
                Some(&(i, false)) => i,
                _ => return None,
            },
            _ => self.root,
        };
        let words: Vec<String> = match &self.nodes[last] {
            Node::Cmd { words, .. } => words.clone(),
            Node::Argv(words) => words.clone(),
            _ => return None,
        };
        let argv: Vec<&String> = words
            .iter()
            .skip_while(|w| {
                matches!(
                    w.as_str(),
                    "exec" | "nohup" | "gosu" | "su-exec" | "tini" | "dumb-init" | "--"
                )
            })
            .collect();
        let program = argv.first()?;
        if program.contains(['$', '`', '"', '\'']) || super::knows(program) {
            return None;
        }
        let text = argv
            .iter()
            .map(|w| w.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let root = parse_into(stand_in, &mut self.nodes).ok()?;
        self.nodes[last] = self.nodes[root].clone();
        Some(text)
    }

    /// A one-command script from argv words (`["sleep", "10"]`), taken literally.
    pub fn from_argv(words: &[String]) -> Script {
        Script {
            nodes: vec![Node::Argv(words.to_vec())],
            root: 0,
        }
    }
}
