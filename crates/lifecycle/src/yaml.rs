//! The only module that reads YAML: Podstep's own reader, from text straight to our
//! [`tree`](crate::tree), every node and key with its line and column.
//!
//! Why our own: `serde_yaml` (named in the design) cannot say where a node came from, and located
//! diagnostics are the point of Podstep; `yaml-rust2`'s event parser, used before, can, but it was a
//! sixth of the playground's code for features manifests do not use, and its messages ("did not find
//! expected key") point past the mistake. This reader covers the YAML that Kubernetes users write —
//! block and flow collections, plain, quoted and block scalars with YAML 1.2's folding rules, anchors,
//! aliases, tags, comments, directives and `---`/`...` documents — and a test reads every fixture and
//! thousands of generated documents with `yaml-rust2` too and requires the same tree
//! (`tests/yaml_reference.rs`). Not read: complex keys (`? `), and collections as keys; both are
//! refused with a located message. Tags are skipped, except that `!!str` (and `!`) keep a plain
//! scalar a string, as Kubernetes' own reader does.
//!
//! Limits live here too, because a YAML file can be small on disk and huge in memory: aliases are
//! expanded against a node budget (the "billion laughs" guard) and nesting depth is capped (which
//! also bounds this recursive reader's stack).

use crate::limits;
use crate::tree::{Key, Node, Pos, Value};
use std::cell::Cell;
use std::collections::HashMap;

/// A YAML error, located where the reader found it, in our words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    pub pos: Pos,
    pub message: String,
}

type Read<T> = Result<T, YamlError>;

/// Parses every `---` document of `source`. Documents before a syntax error are returned with the error;
/// nothing after it is read.
pub fn parse_documents(source: &str) -> (Vec<Node>, Option<YamlError>) {
    // A byte order mark (editors on Windows write one) is not content and not a column.
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    // YAML ends lines with `\n`, `\r\n` or a lone `\r`; written as `\n` each, lines and columns stay
    // where they were.
    let normalized;
    let text = if source.contains('\r') {
        normalized = source.replace("\r\n", "\n").replace('\r', "\n");
        &normalized
    } else {
        source
    };
    let mut reader = Reader {
        s: text,
        b: text.as_bytes(),
        i: 0,
        line: 1,
        line_start: 0,
        anchors: HashMap::new(),
        nodes: 0,
        depth: 0,
        column_cache: Cell::new((0, 0, 1)),
        closed: None,
    };
    let mut documents = Vec::new();
    let error = reader.stream(&mut documents).err();
    (documents, error)
}

/// Where a node starts, which decides what may start there.
#[derive(Clone, Copy, PartialEq)]
enum After {
    /// After `key:` (or `---`) on the same line: a scalar, a flow collection, an alias or a block
    /// scalar; a block collection must start on a line of its own.
    Key,
    /// After `- ` on the same line: anything, including a mapping or list at this column.
    Dash,
    /// At the first character of a line.
    Line,
}

/// Where the reader is, to come back to after looking ahead.
#[derive(Clone, Copy)]
struct Mark {
    i: usize,
    line: u32,
    line_start: usize,
}

/// Anchor and tag in front of a node.
#[derive(Default)]
struct Props<'s> {
    anchor: Option<&'s str>,
    tag: bool,
    /// `!!str` or `!`: the scalar is a string even if it looks like a number.
    string: bool,
}

struct Reader<'s> {
    s: &'s str,
    b: &'s [u8],
    /// Byte offset of the next character.
    i: usize,
    line: u32,
    line_start: usize,
    /// Anchored nodes of the current document by name (an anchor may be redefined: the latest wins).
    /// Hashed, so that thousands of aliases stay linear; never walked, so its order cannot show.
    anchors: HashMap<&'s str, Node>,
    /// Nodes created so far, aliases counted at their expanded size.
    nodes: usize,
    /// Collections open around the current position.
    depth: usize,
    /// `(line start, offset, column)` of the last position computed.
    column_cache: Cell<(usize, usize, u32)>,
    /// The block collection that ended last (its column and what its entries are), for the message
    /// about a line that lines up with nothing.
    closed: Option<(u32, &'static str)>,
}

impl<'s> Reader<'s> {
    // ---- Characters and positions.

    /// The byte `k` ahead, or 0 past the end.
    fn peek(&self, k: usize) -> u8 {
        self.b.get(self.i + k).copied().unwrap_or(0)
    }

    fn eof(&self) -> bool {
        self.i >= self.b.len()
    }

    /// Whether the byte `k` ahead is a space, a tab, a line break or the end.
    fn blank_at(&self, k: usize) -> bool {
        self.i + k >= self.b.len() || matches!(self.b[self.i + k], b' ' | b'\t' | b'\n')
    }

    /// Whether the byte `k` ahead ends a name or a plain scalar's `:`: a blank, or inside brackets also
    /// a flow indicator.
    fn ends_at(&self, k: usize, flow: bool) -> bool {
        self.blank_at(k) || flow && is_flow_indicator(self.peek(k))
    }

    /// Moves past the line break at the reader to the start of the next line.
    fn newline(&mut self) {
        self.i += 1;
        self.line += 1;
        self.line_start = self.i;
    }

    /// The line and column of the next character. Columns count characters, so they are counted from
    /// the last position asked for on the same line: a megabyte on one line stays linear.
    fn pos(&self) -> Pos {
        let (start, mut from, mut column) = self.column_cache.get();
        if start != self.line_start || from > self.i {
            (from, column) = (self.line_start, 1);
        }
        column += self.b[from..self.i]
            .iter()
            .filter(|&&c| c & 0xC0 != 0x80)
            .count() as u32;
        self.column_cache.set((self.line_start, self.i, column));
        Pos::new(self.line, column)
    }

    /// The column of the current character when only spaces are before it on its line.
    fn col(&self) -> u32 {
        (self.i - self.line_start) as u32 + 1
    }

    /// Indentation of the current line (when at its first character), or -1 at the end.
    fn indent(&self) -> i64 {
        if self.eof() {
            -1
        } else {
            (self.i - self.line_start) as i64
        }
    }

    fn mark(&self) -> Mark {
        Mark {
            i: self.i,
            line: self.line,
            line_start: self.line_start,
        }
    }

    fn reset(&mut self, m: Mark) {
        self.i = m.i;
        self.line = m.line;
        self.line_start = m.line_start;
    }

    fn error<T>(&self, pos: Pos, message: String) -> Read<T> {
        Err(YamlError { pos, message })
    }

    fn skip_spaces(&mut self) {
        while matches!(self.peek(0), b' ' | b'\t') {
            self.i += 1;
        }
    }

    /// At a `#` comment, a line break or the end (after spaces).
    fn at_line_end(&mut self) -> bool {
        self.skip_spaces();
        self.eof() || matches!(self.peek(0), b'\n' | b'#')
    }

    fn skip_comment(&mut self) {
        if self.peek(0) == b'#' {
            while !self.eof() && self.peek(0) != b'\n' {
                self.i += 1;
            }
        }
    }

    /// `---` or `...` at the start of a line, followed by a blank: a document boundary.
    fn at_marker(&self) -> bool {
        self.i == self.line_start
            && self.b.len() >= self.i + 3
            && matches!(&self.b[self.i..self.i + 3], b"---" | b"...")
            && self.blank_at(3)
    }

    /// The text from here to the end of the line.
    fn rest_of_line(&self) -> &'s str {
        let end = self.b[self.i..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(self.b.len(), |p| self.i + p);
        &self.s[self.i..end]
    }

    /// `-` followed by a blank: a block list item.
    fn at_dash(&self) -> bool {
        self.peek(0) == b'-' && self.blank_at(1)
    }

    /// From a line break (or the end), to the first character of the next line with content, skipping
    /// blank lines and comment lines. Returns whether a comment line was skipped. In block context a
    /// tab in the indentation is an error (YAML indents with spaces only).
    fn next_line(&mut self, block: bool) -> Read<bool> {
        let mut comment = false;
        while self.peek(0) == b'\n' {
            self.newline();
            comment |= self.indentation(block)?;
        }
        Ok(comment)
    }

    /// From the start of a line, past its indentation; a comment line is skipped to its end (and
    /// reported as `true`). In block context a tab in the indentation of a line with content is an
    /// error.
    fn indentation(&mut self, block: bool) -> Read<bool> {
        let mut tab = None;
        while matches!(self.peek(0), b' ' | b'\t') {
            if self.peek(0) == b'\t' && tab.is_none() {
                tab = Some(self.pos());
            }
            self.i += 1;
        }
        match self.peek(0) {
            b'#' => {
                self.skip_comment();
                Ok(true)
            }
            _ if self.eof() || self.peek(0) == b'\n' => Ok(false),
            _ => match (tab, block) {
                (Some(tab), true) => self.error(
                    tab,
                    "a tab indents this line; YAML indentation must be spaces".into(),
                ),
                _ => Ok(false),
            },
        }
    }

    /// After a value that ends on its line: only spaces and a comment may follow; then on to the next
    /// line with content.
    /// `first_line` is the line the value began on: a `:` on a later one means the value ran on into
    /// a line meant as a key.
    fn end_line(&mut self, first_line: u32) -> Read<()> {
        let start = self.i;
        if self.at_line_end() && self.peek(0) == b'#' && self.i == start {
            return self.error(self.pos(), "a comment needs a space before its '#'".into());
        }
        if !self.at_line_end() {
            let pos = self.pos();
            let message = if self.peek(0) != b':' {
                "unexpected text after the value"
            } else if self.line > first_line {
                "mapping values are not allowed here: this line is indented more than the key above \
                 it, so it continues that key's value (indent it like the other keys?)"
            } else {
                "mapping values are not allowed here (a nested mapping starts on a line of its own, \
                 indented under its key; a value that holds ': ' needs quotes)"
            };
            return self.error(pos, message.into());
        }
        self.skip_comment();
        self.next_line(true).map(drop)
    }

    // ---- Documents.

    fn stream(&mut self, documents: &mut Vec<Node>) -> Read<()> {
        // The first line is not reached through a line break: its indentation is read as the
        // others' are.
        self.indentation(true)?;
        self.next_line(true)?;
        loop {
            // Directives (`%YAML`, `%TAG`) and stray document ends before a document.
            let mut directive = false;
            while !self.eof() && self.i == self.line_start {
                if self.peek(0) == b'%' {
                    directive = true;
                    let name = self.b[self.i + 1..]
                        .iter()
                        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-'))
                        .count();
                    if name == 0 || !self.blank_at(1 + name) {
                        return self.error(
                            self.pos(),
                            "a directive needs a name of letters, digits, '_' or '-' after '%'"
                                .into(),
                        );
                    }
                    while !self.eof() && self.peek(0) != b'\n' {
                        self.i += 1;
                    }
                } else if self.at_marker() && self.peek(0) == b'.' {
                    self.i += 3;
                    self.end_line(self.line)?;
                    continue;
                } else {
                    break;
                }
                self.next_line(true)?;
            }
            if self.eof() && !directive {
                return Ok(());
            }
            if directive && !self.at_marker() {
                return self.error(
                    self.pos(),
                    "expected '---' after the directives ('%' lines) that start a document".into(),
                );
            }
            self.anchors.clear();
            let explicit = self.at_marker();
            let root = if explicit {
                self.i += 3;
                self.node(-1, After::Key)?
            } else {
                self.node(-1, After::Line)?
            };
            documents.push(root);
            if self.eof() {
                return Ok(());
            }
            if !self.at_marker() {
                return self.error(
                    self.pos(),
                    "expected the end of the document here (or '---' before the next one)".into(),
                );
            }
        }
    }

    // ---- Nodes.

    /// Counts one more node against the budget.
    fn count(&mut self, n: usize, pos: Pos) -> Read<()> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > limits::MAX_YAML_NODES {
            return self.error(
                pos,
                format!(
                    "more than {} YAML nodes after expanding aliases (Podstep's limit; a \"billion laughs\" file?)",
                    limits::MAX_YAML_NODES
                ),
            );
        }
        Ok(())
    }

    /// An empty node (nothing, where a value may be left out), counted against the budget.
    fn null(&mut self, pos: Pos) -> Read<Node> {
        self.count(1, pos)?;
        Ok(Node {
            pos,
            value: Value::Null,
        })
    }

    /// Enters a collection.
    fn open(&mut self, pos: Pos) -> Read<()> {
        self.count(1, pos)?;
        if self.depth >= limits::MAX_NESTING_DEPTH {
            return self.error(
                pos,
                format!(
                    "nesting deeper than {} levels (Podstep's limit)",
                    limits::MAX_NESTING_DEPTH
                ),
            );
        }
        self.depth += 1;
        Ok(())
    }

    /// A node starting at the current position (after spaces). `n` is the indentation of the block
    /// collection around it: lines that continue this node are indented more. Returns at the first
    /// character of the next line with content (or the end).
    fn node(&mut self, n: i64, mut after: After) -> Read<Node> {
        let mut props = Props::default();
        loop {
            let start = self.i;
            self.skip_spaces();
            if after != After::Key && !self.at_line_end() {
                let col = self.col();
                // A list item, or a key: a block collection starts at this column.
                let list = self.at_dash();
                if list || self.key_ahead() {
                    if let Some(tab) = self.b[start..self.i].iter().position(|&c| c == b'\t') {
                        self.i = start + tab;
                        return self.error(
                            self.pos(),
                            "a tab indents this list or mapping; YAML indentation must be spaces"
                                .into(),
                        );
                    }
                    let node = if list {
                        self.block_seq(col)?
                    } else {
                        self.block_map(col)?
                    };
                    return self.finish(node, props);
                }
            }
            self.props(&mut props, false)?;
            if !self.at_line_end() {
                break;
            }
            // Nothing more on this line: the node is on the lines below, or there is none.
            let here = self.pos();
            self.skip_comment();
            self.next_line(true)?;
            let indent = self.indent();
            let below = !self.eof()
                && !self.at_marker()
                && (indent > n || (after == After::Key && indent == n && self.at_dash()));
            if !below {
                let empty = self.null(here)?;
                return self.finish(empty, props);
            }
            after = After::Line;
        }
        let node = match self.peek(0) {
            b'|' | b'>' => self.block_scalar(n)?,
            b'-' if self.at_dash() => return self.error(
                self.pos(),
                "a list item cannot start on the same line as its key; start it on the next line"
                    .into(),
            ),
            _ => {
                let node = self.inline(n, false)?;
                self.end_line(node.pos.line)?;
                node
            }
        };
        self.finish(node, props)
    }

    /// A scalar, flow collection or alias, ending on its last line.
    fn inline(&mut self, n: i64, flow: bool) -> Read<Node> {
        match self.peek(0) {
            b'[' | b'{' => self.flow(),
            b'*' => self.alias(flow),
            b'"' | b'\'' => self.quoted(flow),
            _ => self.plain(n, flow, false),
        }
    }

    /// Registers the node's anchor and applies its tag.
    fn finish(&mut self, mut node: Node, props: Props<'s>) -> Read<Node> {
        if props.string {
            if let Value::Scalar { plain, .. } = &mut node.value {
                *plain = false;
            }
        }
        if let Some(name) = props.anchor {
            self.anchors.insert(name, node.clone());
        }
        Ok(node)
    }

    /// Anchors (`&a`) and tags (`!t`, `!!str`, `!<uri>`) in front of a node, with the spaces after
    /// them, added to `props` (which may hold some from the line above: one of each per node).
    fn props(&mut self, props: &mut Props<'s>, flow: bool) -> Read<()> {
        while matches!(self.peek(0), b'&' | b'!') {
            let pos = self.pos();
            let anchor = self.peek(0) == b'&';
            let start = self.i;
            self.i += 1;
            if !anchor && self.peek(0) == b'<' {
                while !self.eof() && !matches!(self.peek(0), b'>' | b'\n') {
                    self.i += 1;
                }
                self.i += usize::from(self.peek(0) == b'>');
            } else {
                self.name_end(flow);
            }
            let text = &self.s[start..self.i];
            let (seen, what) = if anchor {
                (props.anchor.is_some(), "anchor")
            } else {
                (props.tag, "tag")
            };
            if seen {
                return self.error(pos, format!("a node can have only one {what}"));
            }
            if anchor {
                if text.len() == 1 {
                    return self.error(pos, "an anchor needs a name after '&'".into());
                }
                props.anchor = Some(&text[1..]);
            } else {
                props.tag = true;
                props.string = matches!(text, "!" | "!!str" | "!<tag:yaml.org,2002:str>");
            }
            if !(self.blank_at(0) || flow && matches!(self.peek(0), b',' | b']' | b'}')) {
                return self.error(
                    self.pos(),
                    "expected a space after the anchor or tag".into(),
                );
            }
            self.skip_spaces();
        }
        self.no_alias_after(props)
    }

    /// An alias stands for a node that has its properties already.
    fn no_alias_after(&self, props: &Props) -> Read<()> {
        if self.peek(0) == b'*' && (props.anchor.is_some() || props.tag) {
            return self.error(
                self.pos(),
                "an alias cannot have an anchor or tag of its own".into(),
            );
        }
        Ok(())
    }

    /// Moves past an anchor, alias or tag name: up to a blank (or a flow indicator in flow context).
    fn name_end(&mut self, flow: bool) {
        while !self.ends_at(0, flow) {
            self.i += 1;
        }
    }

    fn alias(&mut self, flow: bool) -> Read<Node> {
        let pos = self.pos();
        self.i += 1;
        let start = self.i;
        self.name_end(flow);
        let name = &self.s[start..self.i];
        let Some(size) = self.anchors.get(name).map(size_of) else {
            return self.error(
                pos,
                format!("unknown anchor: no '&{name}' above this '*{name}' in this document"),
            );
        };
        // Charge the budget before copying, so that a refused bomb costs nothing to refuse.
        self.count(size, pos)?;
        let mut node = self.anchors[name].clone();
        // Every part of the copy is placed at the alias: an error inside it is about this use.
        node.relocate(pos);
        Ok(node)
    }

    /// Whether a `key:` starts here: an anchor or tag, then a quoted or plain scalar or an alias on this
    /// line, then `:` and a blank.
    fn key_ahead(&mut self) -> bool {
        let start = self.mark();
        let found = (|| {
            while matches!(self.peek(0), b'&' | b'!') {
                self.name_end(false);
                self.skip_spaces();
            }
            match self.peek(0) {
                q @ (b'"' | b'\'') => {
                    self.i += 1;
                    loop {
                        match self.peek(0) {
                            b'\n' | 0 if self.blank_at(0) => return false,
                            b'\\' if q == b'"' => self.i += 2,
                            c if c == q => {
                                self.i += 1;
                                if q == b'\'' && self.peek(0) == b'\'' {
                                    self.i += 1;
                                    continue;
                                }
                                break;
                            }
                            _ => self.i += 1,
                        }
                    }
                    self.skip_spaces();
                }
                b'*' => {
                    self.name_end(false);
                    self.skip_spaces();
                }
                // A flow collection as a key is not read (see the module's notes).
                b'[' | b'{' => return false,
                // An empty key: `: value`.
                b':' if self.blank_at(1) => {}
                // Only properties and a comment on this line; a list item.
                b'#' => return false,
                b'-' if self.blank_at(1) => return false,
                _ => loop {
                    match self.peek(0) {
                        b':' if self.blank_at(1) => break,
                        b' ' | b'\t' if self.peek(1) == b'#' => return false,
                        b'\n' => return false,
                        _ if self.eof() => return false,
                        _ => self.i += 1,
                    }
                },
            }
            self.peek(0) == b':' && self.blank_at(1)
        })();
        self.reset(start);
        found
    }

    // ---- Block collections.

    fn block_map(&mut self, col: u32) -> Read<Node> {
        let n = i64::from(col) - 1;
        let mut pos = None;
        let mut entries = Vec::new();
        loop {
            let mut props = Props::default();
            self.props(&mut props, false)?;
            let key_pos = self.pos();
            if pos.is_none() {
                self.open(key_pos)?;
                pos = Some(key_pos);
            }
            let key = match self.peek(0) {
                b'"' | b'\'' => self.quoted(false)?,
                b'*' => self.alias(false)?,
                b':' if self.blank_at(1) => self.null(key_pos)?,
                _ => self.plain(n, false, true)?,
            };
            let key = self.finish(key, props)?;
            self.skip_spaces();
            if self.peek(0) != b':' || !self.blank_at(1) {
                return self.error(self.pos(), "expected ':' after the key".into());
            }
            self.i += 1;
            let name = self.key_name(key)?;
            let value = self.node(n, After::Key)?;
            entries.push((Key { name, pos: key_pos }, value));
            if self.eof() || self.at_marker() || self.col() < col {
                break;
            }
            if self.col() > col {
                return self.misaligned(col, "keys");
            }
            if !self.key_ahead() {
                let message = if self.peek(0) == b'?' && self.blank_at(1) {
                    "complex keys ('? ') are not read by Podstep"
                } else if self.at_dash() {
                    "a '- ' list item where this mapping expects a key: indent the list under its key \
                     like the items above it"
                } else if self.rest_of_line().contains(':') {
                    "expected 'key: value' here (is a space missing after the ':'?)"
                } else {
                    "expected 'key: value' here (this line lines up with the keys of the mapping above)"
                };
                return self.error(self.pos(), message.into());
            }
        }
        self.depth -= 1;
        self.closed = Some((col, "keys"));
        Ok(Node {
            pos: pos.unwrap_or_default(),
            value: Value::Map(entries),
        })
    }

    fn block_seq(&mut self, col: u32) -> Read<Node> {
        let pos = self.pos();
        self.open(pos)?;
        let mut items = Vec::new();
        loop {
            self.i += 1;
            items.push(self.node(i64::from(col) - 1, After::Dash)?);
            if self.eof() || self.at_marker() || self.col() < col {
                break;
            }
            if self.col() > col {
                return self.misaligned(col, "'- ' items");
            }
            if !self.at_dash() {
                // The next key of the mapping this list is the value of (`key:` then `- ` lines at the
                // key's own column); the mapping checks it.
                break;
            }
        }
        self.depth -= 1;
        self.closed = Some((col, "'- ' items"));
        Ok(Node {
            pos,
            value: Value::Seq(items),
        })
    }

    /// A key's text: a scalar's, or "" for an empty or null key.
    fn key_name(&self, key: Node) -> Read<String> {
        match key.value {
            Value::Null => Ok(String::new()),
            Value::Scalar { text, .. } => Ok(text),
            _ => self.error(
                key.pos,
                "a mapping key must be a plain value, not a collection".into(),
            ),
        }
    }

    /// A line indented more than the collection it falls in, and not lining up with a deeper one.
    fn misaligned<T>(&self, col: u32, what: &str) -> Read<T> {
        let mut message =
            format!("bad indentation: this line should line up with the {what} at column {col}");
        if let Some((inner, inner_what)) = self.closed.filter(|(c, _)| *c > self.col()) {
            message.push_str(&format!(" or the {inner_what} at column {inner}"));
        }
        self.error(self.pos(), message)
    }

    // ---- Scalars.

    /// A plain (unquoted) scalar. In block context it may continue on lines indented more than `n`;
    /// a key (`key == true`) stays on its line.
    fn plain(&mut self, n: i64, flow: bool, key: bool) -> Read<Node> {
        let pos = self.pos();
        let c = self.peek(0);
        let forbidden = matches!(c, b'@' | b'`' | b'%' | b'#' | b'|' | b'>' | b'!' | b'&')
            || (c < b' ' && c != b'\t')
            || (matches!(c, b'-' | b'?' | b':') && self.ends_at(1, flow))
            || is_flow_indicator(c)
            || c == 0x7f;
        if forbidden || self.eof() {
            let what = if self.eof() || c == b'\n' {
                "a value".to_string()
            } else if c < b' ' || c == 0x7f {
                format!("a value, not the control character U+{c:04X}")
            } else if c == b'?' {
                "a value; complex keys ('? ') are not read by Podstep".to_string()
            } else {
                format!(
                    "a value; a plain value cannot start with '{}' (quote it)",
                    c as char
                )
            };
            return self.error(pos, format!("expected {what}"));
        }
        let mut text = String::new();
        let mut breaks = 0;
        let mut resume = None;
        loop {
            let start = self.i;
            let mut end = self.i;
            loop {
                match self.peek(0) {
                    b'\n' => break,
                    b' ' | b'\t' if self.peek(1) == b'#' => break,
                    b' ' | b'\t' => {}
                    b':' if self.ends_at(1, flow) => break,
                    c if flow && is_flow_indicator(c) => break,
                    _ if self.eof() => break,
                    _ => end = self.i + 1,
                }
                self.i += 1;
            }
            if start == end {
                // A next line that has nothing this scalar can take (a flow collection's `[` or `{`).
                if let Some(m) = resume {
                    self.reset(m);
                }
                break;
            }
            match breaks {
                0 => {}
                1 => text.push(' '),
                _ => (1..breaks).for_each(|_| text.push('\n')),
            }
            text.push_str(&self.s[start..end]);
            self.i = end;
            // Continue on the next line?
            let line_end = self.mark();
            if key || !self.at_line_end() || self.peek(0) == b'#' || self.eof() {
                self.reset(line_end);
                break;
            }
            let comment = self.next_line(!flow)?;
            // What ends it: a comment, a document boundary, a line not indented under its key (in
            // block context), a `,` or closing bracket (in flow context), or a `: `.
            let ends = comment
                || self.eof()
                || self.at_marker()
                || !flow && self.indent() <= n
                || flow && matches!(self.peek(0), b',' | b']' | b'}')
                || self.peek(0) == b':' && self.blank_at(1);
            if ends {
                self.reset(line_end);
                break;
            }
            breaks = self.line - line_end.line;
            resume = Some(line_end);
        }
        self.count(1, pos)?;
        let value = if matches!(text.as_str(), "~" | "null" | "Null" | "NULL") {
            Value::Null
        } else {
            Value::Scalar { text, plain: true }
        };
        Ok(Node { pos, value })
    }

    /// A single- or double-quoted scalar; its lines fold as YAML says.
    fn quoted(&mut self, flow: bool) -> Read<Node> {
        let pos = self.pos();
        let q = self.peek(0);
        let what = if q == b'"' {
            "double-quoted"
        } else {
            "single-quoted"
        };
        self.i += 1;
        let mut text = String::new();
        // Text before this length is not trimmed at a line break (it came from an escape).
        let mut kept = 0;
        loop {
            if self.eof() {
                return self.error(pos, format!("this {what} string is never closed"));
            }
            let c = self.peek(0);
            if c == q {
                self.i += 1;
                if q == b'\'' && self.peek(0) == b'\'' {
                    self.i += 1;
                    text.push('\'');
                    kept = text.len();
                    continue;
                }
                break;
            }
            match c {
                b'\\' if q == b'"' => {
                    let at = self.pos();
                    let e = self.peek(1);
                    self.i += 2;
                    let ch = match e {
                        b'0' => '\0',
                        b'a' => '\x07',
                        b'b' => '\x08',
                        b't' | b'\t' => '\t',
                        b'n' => '\n',
                        b'v' => '\x0b',
                        b'f' => '\x0c',
                        b'r' => '\r',
                        b'e' => '\x1b',
                        b' ' => ' ',
                        b'"' => '"',
                        // Not YAML 1.2, but Kubernetes' reader (go-yaml) takes it.
                        b'\'' => '\'',
                        b'/' => '/',
                        b'\\' => '\\',
                        b'N' => '\u{85}',
                        b'_' => '\u{a0}',
                        b'L' => '\u{2028}',
                        b'P' => '\u{2029}',
                        b'x' | b'u' | b'U' => {
                            let len = match e {
                                b'x' => 2,
                                b'u' => 4,
                                _ => 8,
                            };
                            let digits = self.s.get(self.i..self.i + len).unwrap_or("");
                            let code = (digits.len() == len
                                && digits.bytes().all(|d| d.is_ascii_hexdigit()))
                            .then(|| u32::from_str_radix(digits, 16).ok())
                            .flatten()
                            .and_then(char::from_u32);
                            let Some(ch) = code else {
                                return self.error(
                                    at,
                                    format!("invalid escape: '\\{}' needs {len} hexadecimal digits of a Unicode character", e as char),
                                );
                            };
                            self.i += len;
                            ch
                        }
                        b'\n' => {
                            // An escaped line break: the lines join without a space.
                            self.i -= 1;
                            let before = self.line;
                            self.continue_quoted(pos, what)?;
                            (1..self.line - before).for_each(|_| text.push('\n'));
                            kept = text.len();
                            continue;
                        }
                        _ => {
                            let shown = self.s[self.i - 1..].chars().next().unwrap_or(' ');
                            return self.error(
                                at,
                                format!("unknown escape '\\{shown}' in a double-quoted string"),
                            );
                        }
                    };
                    text.push(ch);
                    kept = text.len();
                }
                b'\n' => {
                    let trimmed = text.trim_end_matches([' ', '\t']).len().max(kept);
                    text.truncate(trimmed);
                    let before = self.line;
                    self.continue_quoted(pos, what)?;
                    match self.line - before {
                        1 => text.push(' '),
                        k => (1..k).for_each(|_| text.push('\n')),
                    }
                }
                _ => {
                    let start = self.i;
                    while !self.eof() && !matches!(self.peek(0), b'\n' | b'\\' | b'"' | b'\'') {
                        self.i += 1;
                    }
                    if self.i == start {
                        self.i += 1;
                    }
                    text.push_str(&self.s[start..self.i]);
                }
            }
        }
        self.count(1, pos)?;
        if !flow && self.peek(0) == b':' && !self.blank_at(1) {
            return self.error(self.pos(), "expected a space after ':'".into());
        }
        Ok(Node {
            pos,
            value: Value::Scalar { text, plain: false },
        })
    }

    /// Moves from a line break inside a quoted string to its next line's first character. Like
    /// Kubernetes' reader (go-yaml), any indentation continues it; a document boundary cannot.
    fn continue_quoted(&mut self, pos: Pos, what: &str) -> Read<()> {
        while self.peek(0) == b'\n' {
            self.newline();
            self.skip_spaces();
        }
        if self.eof() || self.at_marker() {
            return self.error(pos, format!("this {what} string is never closed"));
        }
        Ok(())
    }

    /// A literal (`|`) or folded (`>`) block scalar, with its indentation and chomping indicators.
    fn block_scalar(&mut self, n: i64) -> Read<Node> {
        let pos = self.pos();
        let literal = self.peek(0) == b'|';
        self.i += 1;
        let mut increment = 0;
        let mut chomp = 0i8; // -1 strip, 0 clip, 1 keep
        for _ in 0..2 {
            match self.peek(0) {
                d @ b'1'..=b'9' if increment == 0 => {
                    increment = i64::from(d - b'0');
                }
                b'-' if chomp == 0 => chomp = -1,
                b'+' if chomp == 0 => chomp = 1,
                _ => break,
            }
            self.i += 1;
        }
        if !self.at_line_end() {
            return self.error(
                self.pos(),
                "expected the end of the line after a block scalar's '|' or '>' (and its indicators)"
                    .into(),
            );
        }
        self.skip_comment();
        // The content's indentation: given (relative to the collection around it), or that of the
        // first line with text, and at least one more than the collection's.
        let mut indent = if increment > 0 {
            n.max(0) + increment
        } else {
            0
        };
        let mut text = String::new();
        // The end of the last line read: the reader goes back there, since the lines after it (blank,
        // or less indented) belong to what follows.
        let mut end = self.mark();
        let mut trailing = self.block_breaks(&mut indent, n).saturating_sub(1);
        let mut leading_break = false;
        let mut leading_blank = false;
        while !self.eof() && self.indent() == indent && !self.at_marker() {
            // Folding joins two lines of text with a space, unless either is more indented.
            let blank = matches!(self.peek(0), b' ' | b'\t');
            if !literal && leading_break && !leading_blank && !blank {
                if trailing == 0 {
                    text.push(' ');
                }
            } else if leading_break {
                text.push('\n');
            }
            (0..trailing).for_each(|_| text.push('\n'));
            leading_blank = blank;
            let start = self.i;
            while !self.eof() && self.peek(0) != b'\n' {
                self.i += 1;
            }
            text.push_str(&self.s[start..self.i]);
            end = self.mark();
            let breaks = self.block_breaks(&mut indent, n);
            leading_break = breaks > 0;
            trailing = breaks.saturating_sub(1);
        }
        // Line breaks after the last text: kept by `+`, one kept by default, none by `-`.
        if chomp >= 0 && leading_break {
            text.push('\n');
        }
        if chomp > 0 {
            (0..trailing).for_each(|_| text.push('\n'));
        }
        self.reset(end);
        self.next_line(true)?;
        self.count(1, pos)?;
        Ok(Node {
            pos,
            value: Value::Scalar { text, plain: false },
        })
    }

    /// From the end of a block scalar's line, over the line breaks to the next line with text, eating
    /// each line's indentation up to `indent` (which the first line with text sets when it is 0).
    /// Returns the number of line breaks crossed.
    fn block_breaks(&mut self, indent: &mut i64, n: i64) -> usize {
        let mut deepest = 0;
        let mut breaks = 0;
        while self.peek(0) == b'\n' {
            self.newline();
            breaks += 1;
            while self.peek(0) == b' ' && (*indent == 0 || self.indent() < *indent) {
                self.i += 1;
            }
            deepest = deepest.max(self.indent());
        }
        if *indent == 0 {
            // At least one space, also at the top level, as Kubernetes' reader (go-yaml) has it.
            *indent = deepest.max(n + 1).max(1);
        }
        breaks
    }

    // ---- Flow collections.

    /// A `[…]` or `{…}` collection, possibly over several lines.
    fn flow(&mut self) -> Read<Node> {
        let pos = self.pos();
        self.open(pos)?;
        let open = self.peek(0);
        let map = open == b'{';
        let close = closer(open);
        self.i += 1;
        let mut items = Vec::new();
        let mut entries = Vec::new();
        loop {
            self.flow_space(open, pos)?;
            if self.peek(0) == close {
                self.i += 1;
                break;
            }
            let first = self.flow_node(open, pos, false)?;
            let entry_pos = first.pos;
            self.flow_space(open, pos)?;
            // After a quoted or bracketed key (JSON-like) the ':' may touch the value; after any other
            // it needs a space (or a bracket or comma) after it.
            let json_like = !matches!(first.value, Value::Null | Value::Scalar { plain: true, .. });
            let separator = self.peek(0) == b':' && (json_like || self.ends_at(1, true));
            let pair = if separator {
                // In a list, `key: value` is a one-entry mapping whose key fits on one line; a
                // mapping's own keys may end a line before their ':' (as libyaml reads them).
                if !map && self.line != entry_pos.line {
                    return self.error(
                        self.pos(),
                        format!(
                            "this ':' must be on the line where its key starts (is a ']' missing for the '[' at {}:{}?)",
                            pos.line, pos.column
                        ),
                    );
                }
                self.i += 1;
                self.flow_space(open, pos)?;
                Some(self.flow_node(open, pos, true)?)
            } else {
                None
            };
            if map || pair.is_some() {
                let name = self.key_name(first)?;
                let key = Key {
                    name,
                    pos: entry_pos,
                };
                let value = pair.unwrap_or(Node {
                    pos: entry_pos,
                    value: Value::Null,
                });
                if map {
                    entries.push((key, value));
                } else {
                    // `[a: b]`: a one-entry mapping inside the list.
                    self.count(1, entry_pos)?;
                    items.push(Node {
                        pos: entry_pos,
                        value: Value::Map(vec![(key, value)]),
                    });
                }
            } else {
                items.push(first);
            }
            self.flow_space(open, pos)?;
            match self.peek(0) {
                b',' => self.i += 1,
                c if c == close => {
                    self.i += 1;
                    break;
                }
                _ => {
                    let what = if map { "mapping" } else { "list" };
                    return self.error(
                        self.pos(),
                        format!(
                            "expected ',' or '{}' in the flow {what} opened at {}:{} (is one missing?)",
                            close as char, pos.line, pos.column
                        ),
                    );
                }
            }
        }
        self.depth -= 1;
        Ok(Node {
            pos,
            value: if map {
                Value::Map(entries)
            } else {
                Value::Seq(items)
            },
        })
    }

    /// A node inside brackets: properties, then a value, or nothing before a `,`, a closing bracket or
    /// the `:` after an empty key (nothing is a null where `empty` allows it, or after properties).
    fn flow_node(&mut self, open: u8, at: Pos, empty: bool) -> Read<Node> {
        let mut props = Props::default();
        self.props(&mut props, true)?;
        if props.anchor.is_some() || props.tag {
            self.flow_space(open, at)?;
            self.no_alias_after(&props)?;
        }
        let close = closer(open);
        let pos = self.pos();
        let separator = self.peek(0) == b':' && self.ends_at(1, true);
        let node = if matches!(self.peek(0), b',' | b']' | b'}') || separator {
            if !empty && !separator && props.anchor.is_none() && !props.tag {
                return self.error(pos, format!("expected a value or '{}' here", close as char));
            }
            self.null(pos)?
        } else {
            self.inline(-1, true)?
        };
        self.finish(node, props)
    }

    /// Spaces, line breaks and comments inside a flow collection. Its lines may be indented any
    /// way (Kubernetes' reader, go-yaml, does not check); only a document boundary or the end of the
    /// text cannot be inside it.
    fn flow_space(&mut self, open: u8, at: Pos) -> Read<()> {
        loop {
            self.skip_spaces();
            self.skip_comment();
            if self.peek(0) != b'\n' {
                break;
            }
            self.next_line(false)?;
        }
        if self.eof() || self.at_marker() {
            return self.error(
                self.pos(),
                format!(
                    "the '{}' at {}:{} is never closed (is a '{}' missing?)",
                    open as char,
                    at.line,
                    at.column,
                    closer(open) as char
                ),
            );
        }
        Ok(())
    }
}

/// `,`, `[`, `]`, `{` and `}`: inside brackets they end names and plain scalars.
fn is_flow_indicator(c: u8) -> bool {
    matches!(c, b',' | b'[' | b']' | b'{' | b'}')
}

/// The bracket that closes `open` (`[` or `{`).
fn closer(open: u8) -> u8 {
    if open == b'[' {
        b']'
    } else {
        b'}'
    }
}

/// What an alias of `node` costs against the node budget. A scalar also counts one node per 64 bytes
/// of text, so that aliases of a long string cannot grow a small file into gigabytes either.
fn size_of(node: &Node) -> usize {
    match &node.value {
        Value::Seq(items) => items
            .iter()
            .fold(1usize, |n, i| n.saturating_add(size_of(i))),
        Value::Map(entries) => entries.iter().fold(1usize, |n, (_, v)| {
            n.saturating_add(1).saturating_add(size_of(v))
        }),
        Value::Scalar { text, .. } => 1 + text.len() / 64,
        Value::Null => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let (docs, err) = parse_documents("a:\n  b: 1\nc: é é x\n");
        assert!(err.is_none(), "{err:?}");
        let b = docs[0].get("a").unwrap().get("b").unwrap();
        assert_eq!(b.pos, Pos::new(2, 6));
        assert_eq!(docs[0].get("a").unwrap().entries()[0].0.pos, Pos::new(2, 3));
        let (docs, _) = parse_documents("a: [é, é, x]\n");
        let Value::Seq(items) = &docs[0].get("a").unwrap().value else {
            panic!("a list")
        };
        assert_eq!(items[2].pos, Pos::new(1, 11));
    }

    #[test]
    fn syntax_errors_are_located_at_the_mistake() {
        let err = parse_documents("a: [1, 2\nb: 3\n").1.unwrap();
        assert_eq!(err.pos, Pos::new(2, 2));
        assert!(err.message.contains("'[' at 1:4"), "{err:?}");
        let err = parse_documents("a:\n  b: 1\n c: 2\n").1.unwrap();
        assert_eq!(err.pos, Pos::new(3, 2));
        let err = parse_documents("a: b: c\n").1.unwrap();
        assert_eq!(err.pos, Pos::new(1, 5));
    }

    #[test]
    fn an_error_at_the_end_stays_on_the_last_line() {
        // Regression: fuzzing (`check` target) found a position one line past the text.
        let err = parse_documents("a: 1\nb: [1,\n\u{fffd}")
            .1
            .expect("syntax error");
        assert!(err.pos.line <= 3, "{err:?}");
        let err = parse_documents("a: \"x").1.expect("syntax error");
        assert_eq!(err.pos, Pos::new(1, 4));
    }

    #[test]
    fn documents_before_an_error_are_kept() {
        let (docs, err) = parse_documents("a: 1\n---\nb: [\n");
        assert_eq!(docs.len(), 1);
        assert!(err.is_some());
    }

    #[test]
    fn billion_laughs_is_refused() {
        let mut src = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            src.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        let (_, err) = parse_documents(&src);
        assert!(err.unwrap().message.contains("YAML nodes"));
    }

    #[test]
    fn nesting_is_capped_in_every_form() {
        let deep_flow = "[".repeat(200);
        let deep_block: String = (0..200)
            .map(|i| format!("{}- \n", " ".repeat(i * 2)))
            .collect();
        let deep_props: String = (0..200)
            .map(|i| format!("{}&a{i}\n", " ".repeat(i)))
            .collect();
        for text in [deep_flow, deep_block] {
            let err = parse_documents(&text).1.expect("refused");
            assert!(err.message.contains("nesting deeper than 64"), "{err:?}");
        }
        // Lines of properties alone do not nest: they belong to the one node below them.
        let err = parse_documents(&deep_props).1.expect("refused");
        assert!(err.message.contains("only one anchor"), "{err:?}");
    }

    #[test]
    fn one_long_line_is_read_in_linear_time() {
        // 100k list items on one line, each needing its column (counted in characters): quadratic
        // counting would take minutes; the test finishing at all is the check.
        let text = format!("a: [{}]\n", vec!["é"; 100_000].join(", "));
        let (docs, err) = parse_documents(&text);
        assert!(err.is_none());
        let Value::Seq(items) = &docs[0].get("a").unwrap().value else {
            panic!("a list")
        };
        assert_eq!(items.last().unwrap().pos.column, 5 + 3 * 99_999);
    }
}
