//! Reading a script: words and operators into a small tree (commands, lists, `&&`/`||`/`!`, loops,
//! `if`), kept in an arena so the executor can point into it by index.

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Node {
    /// A simple command: words and an optional output redirection `(path, append)`.
    Cmd {
        words: Vec<String>,
        redirect: Option<String>,
        background: bool,
    },
    List(Vec<usize>),
    And(usize, usize),
    Or(usize, usize),
    Not(usize),
    Loop {
        cond: usize,
        body: usize,
        until: bool,
    },
    If {
        branches: Vec<(usize, usize)>,
        otherwise: Option<usize>,
    },
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
}

fn tokenize(src: &str) -> Result<Vec<Tok>, String> {
    let mut toks = Vec::new();
    let chars: Vec<char> = src.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' | '\r' => i += 1,
            '\\' if chars.get(i + 1) == Some(&'\n') => i += 2,
            '\n' | ';' => {
                toks.push(Tok::Op(";"));
                i += 1;
            }
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '&' if chars.get(i + 1) == Some(&'&') => {
                toks.push(Tok::Op("&&"));
                i += 2;
            }
            '|' if chars.get(i + 1) == Some(&'|') => {
                toks.push(Tok::Op("||"));
                i += 2;
            }
            '&' => {
                toks.push(Tok::Op("&"));
                i += 1;
            }
            '|' => {
                toks.push(Tok::Op("|"));
                i += 1;
            }
            '>' => {
                if chars.get(i + 1) == Some(&'>') {
                    i += 1;
                }
                toks.push(Tok::Op(">"));
                i += 1;
            }
            '<' => {
                toks.push(Tok::Op("<"));
                i += 1;
            }
            '(' | ')' | '{' | '}'
                if !matches!(toks.last(), Some(Tok::Word(_))) || c == ')' || c == '}' =>
            {
                // Subshells and groups run like a plain list here.
                toks.push(Tok::Op(";"));
                i += 1;
            }
            _ => {
                let mut word = String::new();
                while i < chars.len() {
                    let c = chars[i];
                    match c {
                        ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '>' | '<' => break,
                        ')' | '}' if !word.is_empty() && !word.contains('$') => break,
                        '\'' => {
                            i += 1;
                            while i < chars.len() && chars[i] != '\'' {
                                word.push(chars[i]);
                                i += 1;
                            }
                            if i >= chars.len() {
                                return Err("unterminated single quote".into());
                            }
                            i += 1;
                        }
                        '"' => {
                            i += 1;
                            while i < chars.len() && chars[i] != '"' {
                                if chars[i] == '\\' && i + 1 < chars.len() {
                                    i += 1;
                                }
                                word.push(chars[i]);
                                i += 1;
                            }
                            if i >= chars.len() {
                                return Err("unterminated double quote".into());
                            }
                            i += 1;
                        }
                        '\\' if i + 1 < chars.len() => {
                            word.push(chars[i + 1]);
                            i += 2;
                        }
                        _ => {
                            word.push(c);
                            i += 1;
                        }
                    }
                }
                toks.push(Tok::Word(word));
            }
        }
    }
    Ok(toks)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    nodes: Vec<Node>,
    depth: usize,
}

const KEYWORDS_END: &[&str] = &["do", "done", "then", "fi", "elif", "else"];

impl Parser {
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
    fn add(&mut self, n: Node) -> usize {
        self.nodes.push(n);
        self.nodes.len() - 1
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

    /// A list of and-or items up to a closing keyword or the end.
    fn list(&mut self) -> Result<usize, String> {
        self.depth += 1;
        if self.depth > 50 {
            return Err("script nested too deeply".into());
        }
        let mut items = Vec::new();
        loop {
            self.skip_separators();
            match self.toks.get(self.pos) {
                None => break,
                Some(Tok::Word(w)) if KEYWORDS_END.contains(&w.as_str()) => break,
                _ => {}
            }
            let item = self.and_or()?;
            if self.peek_op() == Some("&") {
                self.pos += 1;
                if let Node::Cmd { background, .. } = &mut self.nodes[item] {
                    *background = true;
                }
            }
            items.push(item);
        }
        self.depth -= 1;
        Ok(self.add(Node::List(items)))
    }

    fn and_or(&mut self) -> Result<usize, String> {
        let mut left = self.pipeline()?;
        loop {
            match self.peek_op() {
                Some("&&") => {
                    self.pos += 1;
                    self.skip_separators();
                    let right = self.pipeline()?;
                    left = self.add(Node::And(left, right));
                }
                Some("||") => {
                    self.pos += 1;
                    self.skip_separators();
                    let right = self.pipeline()?;
                    left = self.add(Node::Or(left, right));
                }
                _ => return Ok(left),
            }
        }
    }

    /// `a | b` runs as `a; b` (the last command's status counts), `! a` negates.
    fn pipeline(&mut self) -> Result<usize, String> {
        if self.peek_word() == Some("!") {
            self.pos += 1;
            let inner = self.pipeline()?;
            return Ok(self.add(Node::Not(inner)));
        }
        let mut parts = vec![self.command()?];
        while self.peek_op() == Some("|") {
            self.pos += 1;
            parts.push(self.command()?);
        }
        Ok(if parts.len() == 1 {
            parts[0]
        } else {
            self.add(Node::List(parts))
        })
    }

    fn command(&mut self) -> Result<usize, String> {
        match self.peek_word() {
            Some("while") | Some("until") => {
                let until = self.peek_word() == Some("until");
                self.pos += 1;
                let cond = self.list()?;
                self.expect_word("do")?;
                let body = self.list()?;
                self.expect_word("done")?;
                Ok(self.add(Node::Loop { cond, body, until }))
            }
            Some("if") => {
                self.pos += 1;
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
                Ok(self.add(Node::If {
                    branches,
                    otherwise,
                }))
            }
            _ => {
                let mut words = Vec::new();
                let mut redirect = None;
                loop {
                    match self.toks.get(self.pos) {
                        Some(Tok::Word(w)) => {
                            words.push(w.clone());
                            self.pos += 1;
                        }
                        Some(Tok::Op(">")) => {
                            self.pos += 1;
                            if let Some(Tok::Word(w)) = self.toks.get(self.pos) {
                                redirect = Some(w.clone());
                                self.pos += 1;
                            }
                        }
                        Some(Tok::Op("<")) => {
                            self.pos += 1;
                            if let Some(Tok::Word(_)) = self.toks.get(self.pos) {
                                self.pos += 1;
                            }
                        }
                        _ => break,
                    }
                }
                if words.is_empty() && redirect.is_none() {
                    return Err(match self.toks.get(self.pos) {
                        Some(Tok::Op(o)) => format!("unexpected `{o}`"),
                        Some(Tok::Word(w)) => format!("unexpected `{w}`"),
                        None => "unexpected end of script".into(),
                    });
                }
                Ok(self.add(Node::Cmd {
                    words,
                    redirect,
                    background: false,
                }))
            }
        }
    }
}

impl Script {
    pub fn parse(src: &str) -> Result<Script, String> {
        let toks = tokenize(src)?;
        let mut p = Parser {
            toks,
            pos: 0,
            nodes: Vec::new(),
            depth: 0,
        };
        let root = p.list()?;
        if p.pos < p.toks.len() {
            return Err(match &p.toks[p.pos] {
                Tok::Word(w) => format!("unexpected `{w}`"),
                Tok::Op(o) => format!("unexpected `{o}`"),
            });
        }
        Ok(Script {
            nodes: p.nodes,
            root,
        })
    }

    /// A one-command script from argv words (`["sleep", "10"]`).
    pub fn from_argv(words: &[String]) -> Script {
        Script {
            nodes: vec![Node::Cmd {
                words: words.to_vec(),
                redirect: None,
                background: false,
            }],
            root: 0,
        }
    }
}

/// Moves a node's child indices by `by` (when one script's arena is appended to another's).
pub(super) fn shift(n: &mut Node, by: usize) {
    match n {
        Node::Cmd { .. } => {}
        Node::List(items) => items.iter_mut().for_each(|i| *i += by),
        Node::And(a, b) | Node::Or(a, b) => {
            *a += by;
            *b += by;
        }
        Node::Not(a) => *a += by,
        Node::Loop { cond, body, .. } => {
            *cond += by;
            *body += by;
        }
        Node::If {
            branches,
            otherwise,
        } => {
            for (c, b) in branches {
                *c += by;
                *b += by;
            }
            if let Some(o) = otherwise {
                *o += by;
            }
        }
    }
}
