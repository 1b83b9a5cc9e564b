//! The only module that knows which YAML library we use.
//!
//! `serde_yaml` (named in the design) cannot report where a node came from, and located diagnostics are
//! the point of Podstep, so documents are read with `yaml-rust2`'s event parser and turned into our own
//! [`tree`](crate::tree) here. Swapping the library means rewriting this file and nothing else.
//!
//! Limits live here too, because a YAML file can be small on disk and huge in memory: aliases are
//! expanded against a node budget (the "billion laughs" guard) and nesting depth is capped.

use crate::limits;
use crate::tree::{Key, Node, Pos, Value};
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A YAML error, located at the parser's own position, with the parser's own message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    pub pos: Pos,
    pub message: String,
}

/// Parses every `---` document of `source`. Documents before a syntax error are returned with the error;
/// the parser cannot resynchronise after one, so nothing after it is read.
pub fn parse_documents(source: &str) -> (Vec<Node>, Option<YamlError>) {
    // A byte order mark (editors on Windows write one) is not content and not a column; the parser would
    // otherwise read it as the first character of the first key.
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let end = End::of(source);
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(source);
    loop {
        match parser.next_token() {
            Ok((Event::StreamEnd, _)) => return (builder.documents, None),
            Ok((event, mark)) => {
                if let Err(e) = builder.push(event, end.clamp(to_pos(&mark))) {
                    return (builder.documents, Some(e));
                }
            }
            Err(e) => {
                let mut pos = to_pos(e.marker());
                let mut message = e.info().to_string();
                // The parser marks a forbidden tab just after it; the gutter should show the tab itself.
                if message.contains("tabs")
                    && pos.column > 1
                    && char_before(source, pos) == Some('\t')
                {
                    pos.column -= 1;
                }
                // The parser notices an unclosed `[` or `{` only lines later, where its message alone
                // ("invalid indentation") is puzzling; saying which bracket is still open points back.
                if let Some((bracket, at)) = builder.open_flow(source, pos) {
                    message.push_str(&format!(
                        " (the '{bracket}' at {}:{} is still open here)",
                        at.line, at.column
                    ));
                }
                let pos = end.clamp(pos);
                return (builder.documents, Some(YamlError { pos, message }));
            }
        }
    }
}

/// Where the text ends: its number of lines (as YAML counts them: `\n`, `\r\n` and a lone `\r` each
/// end one) and the length in characters of the last one.
#[derive(Clone, Copy)]
struct End {
    lines: u32,
    last_len: u32,
}

impl End {
    fn of(source: &str) -> End {
        let mut end = End {
            lines: 1,
            last_len: 0,
        };
        let mut chars = source.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\r' | '\n' => {
                    if c == '\r' && chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    end.lines += 1;
                    end.last_len = 0;
                }
                _ => end.last_len += 1,
            }
        }
        end
    }

    /// The parser marks events and errors found at the very end of a text that does not end in a line
    /// break one line past the last one; a gutter marker must land on a line that exists (fuzzing
    /// found both: an error, and an empty list item closed by the end of the text).
    fn clamp(self, pos: Pos) -> Pos {
        if pos.line > self.lines {
            Pos::new(self.lines, self.last_len + 1)
        } else {
            pos
        }
    }
}

/// The character just left of `pos` (columns count characters).
fn char_before(source: &str, pos: Pos) -> Option<char> {
    let line = source.lines().nth(pos.line.checked_sub(1)? as usize)?;
    line.chars().nth(pos.column.checked_sub(2)? as usize)
}

fn to_pos(mark: &Marker) -> Pos {
    // yaml-rust2 counts lines from 1 and columns from 0.
    Pos::new(
        mark.line().min(u32::MAX as usize) as u32,
        (mark.col() + 1).min(u32::MAX as usize) as u32,
    )
}

enum Frame {
    Seq {
        pos: Pos,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        pos: Pos,
        anchor: usize,
        entries: Vec<(Key, Node)>,
        pending_key: Option<Key>,
    },
}

#[derive(Default)]
struct Builder {
    documents: Vec<Node>,
    stack: Vec<Frame>,
    /// Anchored nodes by anchor id, for aliases.
    anchors: Vec<(usize, Node)>,
    /// Nodes created so far, aliases counted at their expanded size.
    nodes: usize,
}

impl Builder {
    fn push(&mut self, event: Event, pos: Pos) -> Result<(), YamlError> {
        match event {
            Event::Scalar(text, style, anchor, _tag) => {
                let value = if style == TScalarStyle::Plain && is_null(&text) {
                    Value::Null
                } else {
                    Value::Scalar {
                        text,
                        plain: style == TScalarStyle::Plain,
                    }
                };
                self.count(1, pos)?;
                self.finish(Node { pos, value }, anchor)
            }
            Event::Alias(id) => {
                let Some(at) = self.anchors.iter().rposition(|(a, _)| *a == id) else {
                    return Err(YamlError {
                        pos,
                        message: "unknown anchor".into(),
                    });
                };
                // Charge the budget before copying, so that a refused bomb costs nothing to refuse.
                self.count(size_of(&self.anchors[at].1), pos)?;
                let mut node = self.anchors[at].1.clone();
                // Every part of the copy is placed at the alias: an error inside it is about this use.
                relocate(&mut node, pos);
                self.finish(node, 0)
            }
            Event::SequenceStart(anchor, _) => {
                self.open(pos)?;
                self.stack.push(Frame::Seq {
                    pos,
                    anchor,
                    items: Vec::new(),
                });
                Ok(())
            }
            Event::MappingStart(anchor, _) => {
                self.open(pos)?;
                self.stack.push(Frame::Map {
                    pos,
                    anchor,
                    entries: Vec::new(),
                    pending_key: None,
                });
                Ok(())
            }
            Event::SequenceEnd | Event::MappingEnd => match self.stack.pop() {
                Some(Frame::Seq { pos, anchor, items }) => self.finish(
                    Node {
                        pos,
                        value: Value::Seq(items),
                    },
                    anchor,
                ),
                Some(Frame::Map {
                    pos,
                    anchor,
                    entries,
                    ..
                }) => self.finish(
                    Node {
                        pos,
                        value: Value::Map(entries),
                    },
                    anchor,
                ),
                None => Ok(()),
            },
            Event::DocumentEnd => {
                self.anchors.clear();
                Ok(())
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentStart | Event::Nothing => Ok(()),
        }
    }

    /// The innermost flow collection (`[` or `{`) still open at `at` that began on an earlier line.
    fn open_flow(&self, source: &str, at: Pos) -> Option<(char, Pos)> {
        let flow = self.stack.iter().rev().find_map(|frame| {
            let (Frame::Seq { pos, .. } | Frame::Map { pos, .. }) = frame;
            let c = source
                .lines()
                .nth(pos.line.checked_sub(1)? as usize)?
                .chars()
                .nth(pos.column.checked_sub(1)? as usize)?;
            matches!(c, '[' | '{').then_some((c, *pos))
        })?;
        (flow.1.line < at.line).then_some(flow)
    }

    fn open(&mut self, pos: Pos) -> Result<(), YamlError> {
        self.count(1, pos)?;
        if self.stack.len() >= limits::MAX_NESTING_DEPTH {
            return Err(YamlError {
                pos,
                message: format!(
                    "nesting deeper than {} levels (Podstep's limit)",
                    limits::MAX_NESTING_DEPTH
                ),
            });
        }
        Ok(())
    }

    fn count(&mut self, n: usize, pos: Pos) -> Result<(), YamlError> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > limits::MAX_YAML_NODES {
            return Err(YamlError {
                pos,
                message: format!(
                    "more than {} YAML nodes after expanding aliases (Podstep's limit; a \"billion laughs\" file?)",
                    limits::MAX_YAML_NODES
                ),
            });
        }
        Ok(())
    }

    /// Places a completed node into its parent, or closes a document when there is no parent.
    fn finish(&mut self, node: Node, anchor: usize) -> Result<(), YamlError> {
        if anchor != 0 {
            self.anchors.push((anchor, node.clone()));
        }
        match self.stack.last_mut() {
            None => self.documents.push(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                pending_key,
                pos,
                ..
            }) => match pending_key.take() {
                None => {
                    let name = match &node.value {
                        Value::Null => String::new(),
                        Value::Scalar { text, .. } => text.clone(),
                        _ => {
                            return Err(YamlError {
                                pos: node.pos,
                                message: "a mapping key must be a plain value, not a collection"
                                    .into(),
                            })
                        }
                    };
                    // A block mapping's start event is marked at its first `:`; its first key is where
                    // a reader sees it begin.
                    if entries.is_empty() && node.pos < *pos {
                        *pos = node.pos;
                    }
                    *pending_key = Some(Key {
                        name,
                        pos: node.pos,
                    });
                }
                Some(key) => entries.push((key, node)),
            },
        }
        Ok(())
    }
}

fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
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

fn relocate(node: &mut Node, pos: Pos) {
    node.pos = pos;
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|i| relocate(i, pos)),
        Value::Map(entries) => {
            for (key, value) in entries {
                key.pos = pos;
                relocate(value, pos);
            }
        }
        Value::Null | Value::Scalar { .. } => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        let (docs, err) = parse_documents("a:\n  b: 1\n");
        assert!(err.is_none());
        let b = docs[0].get("a").unwrap().get("b").unwrap();
        assert_eq!(b.pos, Pos::new(2, 6));
        assert_eq!(docs[0].get("a").unwrap().entries()[0].0.pos, Pos::new(2, 3));
    }

    #[test]
    fn syntax_error_is_located() {
        let (_, err) = parse_documents("a: [1, 2\nb: 3\n");
        let err = err.unwrap();
        assert!(err.pos.line >= 1, "{err:?}");
    }

    #[test]
    fn an_error_at_the_end_stays_on_the_last_line() {
        // Regression: fuzzing (`check` target) found a position one line past the text.
        let (_, err) = parse_documents("a: 1\nb: [1,\n\u{fffd}");
        let err = err.expect("syntax error");
        assert!(err.pos.line <= 3, "{err:?}");
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
}
