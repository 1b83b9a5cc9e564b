//! Fixes as text edits on the source the person wrote, never a re-serialization: comments, quoting,
//! key order and blank lines outside the edited lines stay as they were. Positions come from our YAML
//! reader (the document tree remembers where every node starts); where a node ends is found here, from
//! the block structure of the lines (a block item ends before the next line indented no deeper than its
//! dash). Anything this cannot place exactly — flow style, multi-line scalars — gets no fix rather than
//! a wrong one.

use crate::tree::{Node, Pos, Value};

/// Replace the text from `start` up to (not including) `end` with `text`. Lines and columns are
/// 1-based; columns count characters.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TextEdit {
    pub start: Pos,
    pub end: Pos,
    pub text: String,
}

/// Applies `edits` (which must not overlap) to `source`.
pub fn apply(source: &str, edits: &[TextEdit]) -> String {
    let starts = line_starts(source);
    let offset = |p: Pos| -> usize {
        let line = (p.line.max(1) as usize - 1).min(starts.len());
        if line == starts.len() {
            return source.len();
        }
        let begin = starts[line];
        let end = starts.get(line + 1).copied().unwrap_or(source.len());
        let text = &source[begin..end];
        let col = p.column.max(1) as usize - 1;
        begin + text.char_indices().nth(col).map_or(text.len(), |(i, _)| i)
    };
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| (offset(e.start), offset(e.end), e.text.as_str()))
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse((s.0, s.1)));
    let mut out = source.to_string();
    for (a, b, text) in spans {
        out.replace_range(a..b.max(a), text);
    }
    out
}

fn line_starts(source: &str) -> Vec<usize> {
    let mut v = vec![0];
    v.extend(source.match_indices('\n').map(|(i, _)| i + 1));
    if v.last() == Some(&source.len()) && !source.is_empty() {
        v.pop();
    }
    v
}

/// The source split into lines, with the helpers the fixes need.
pub struct Lines<'a> {
    lines: Vec<&'a str>,
}

impl<'a> Lines<'a> {
    pub fn new(source: &'a str) -> Lines<'a> {
        Lines {
            lines: source.split('\n').collect(),
        }
    }
    /// Line `n` (1-based), without its newline.
    pub fn get(&self, n: u32) -> &'a str {
        self.lines
            .get(n as usize - 1)
            .copied()
            .unwrap_or("")
            .trim_end_matches('\r')
    }
    fn count(&self) -> u32 {
        self.lines.len() as u32
    }
    /// The indentation of line `n`, in spaces.
    pub fn indent_of(&self, n: u32) -> usize {
        self.indent(n)
    }
    fn indent(&self, n: u32) -> usize {
        let l = self.get(n);
        l.len() - l.trim_start_matches(' ').len()
    }
    fn blank_or_comment(&self, n: u32) -> bool {
        let t = self.get(n).trim_start();
        t.is_empty() || t.starts_with('#')
    }
    /// The column (0-based) of the dash that opens the block sequence item whose first key is at
    /// `key`, if the item is written in block style.
    pub fn dash_col(&self, key: Pos) -> Option<usize> {
        let line = self.get(key.line);
        let before: String = line.chars().take(key.column as usize - 1).collect();
        let dash = before.rfind('-')?;
        before[dash + 1..]
            .chars()
            .all(|c| c == ' ')
            .then_some(dash)
            .filter(|d| before[..*d].chars().all(|c| c == ' '))
    }
    /// The first line of the comments right above line `first` that are indented like `col` or
    /// deeper (they describe what follows, so they move with it); `first` itself when there are none.
    pub fn comments_above(&self, first: u32, col: usize) -> u32 {
        let mut n = first;
        while n > 1 {
            let t = self.get(n - 1).trim_start();
            if !t.starts_with('#') || self.indent(n - 1) < col {
                break;
            }
            n -= 1;
        }
        n
    }
    /// The last line of a block that starts on `first` and whose lines are indented deeper than
    /// `col` (0-based); trailing blank and comment lines are left to what follows.
    pub fn block_end(&self, first: u32, col: usize) -> u32 {
        let mut last = first;
        let mut n = first + 1;
        while n <= self.count() {
            if self.blank_or_comment(n) {
                n += 1;
                continue;
            }
            if self.indent(n) <= col {
                break;
            }
            last = n;
            n += 1;
        }
        last
    }
    /// Where the scalar starting at `pos` ends, and what a replacement must end with: a block scalar
    /// (`|`, `>`) takes its whole block of deeper lines, newline included, so its replacement ends
    /// with one; any other is [`Lines::scalar_end`].
    pub fn scalar_span(&self, pos: Pos, in_flow: bool) -> Option<(Pos, &'static str)> {
        let first = self.get(pos.line).chars().nth(pos.column as usize - 1)?;
        if matches!(first, '|' | '>') && !in_flow {
            let last = self.block_end(pos.line, self.indent(pos.line));
            return Some((Pos::new(last + 1, 1), "\n"));
        }
        self.scalar_end(pos, in_flow).map(|end| (end, ""))
    }
    /// The end (exclusive) of a single-line scalar starting at `pos`: a quoted one's closing quote,
    /// a plain one's end of line (before a comment) or, in flow style, its `,` `]` or `}`. `None` for a
    /// block scalar or a quoted one that goes on past its line.
    pub fn scalar_end(&self, pos: Pos, in_flow: bool) -> Option<Pos> {
        let line: Vec<char> = self.get(pos.line).chars().collect();
        let start = pos.column as usize - 1;
        let first = *line.get(start)?;
        let end = match first {
            '|' | '>' => return None,
            '"' => {
                let mut i = start + 1;
                loop {
                    match line.get(i)? {
                        '\\' => i += 2,
                        '"' => break i + 1,
                        _ => i += 1,
                    }
                }
            }
            '\'' => {
                let mut i = start + 1;
                loop {
                    match line.get(i)? {
                        '\'' if line.get(i + 1) == Some(&'\'') => i += 2,
                        '\'' => break i + 1,
                        _ => i += 1,
                    }
                }
            }
            _ => {
                let mut i = start;
                while i < line.len() {
                    let c = line[i];
                    if in_flow && matches!(c, ',' | ']' | '}') {
                        break;
                    }
                    if c == '#' && i > 0 && line[i - 1] == ' ' {
                        break;
                    }
                    i += 1;
                }
                while i > start && line[i - 1] == ' ' {
                    i -= 1;
                }
                // A plain scalar continued on the next, deeper line is multi-line: not placed here.
                if !in_flow
                    && pos.line < self.count()
                    && !self.blank_or_comment(pos.line + 1)
                    && self.indent(pos.line + 1) > start
                {
                    return None;
                }
                i
            }
        };
        Some(Pos::new(pos.line, end as u32 + 1))
    }
}

/// `text` as a YAML double-quoted scalar. Unlike [`crate::quote::quote`], which quotes for messages
/// and keeps non-ASCII characters as typed, every control character is escaped (`\u0085` too): YAML
/// refuses non-printable characters in a scalar.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The node at a dotted field path with `[i]` indexes (`spec.template.spec.containers[1]`) under `root`.
pub fn node_at<'n>(root: &'n Node, path: &str) -> Option<&'n Node> {
    let mut node = root;
    for part in path.split('.') {
        let (key, rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            node = node.get(key)?;
        }
        for index in rest.split(']').filter(|s| !s.is_empty()) {
            let i: usize = index.trim_start_matches('[').parse().ok()?;
            match &node.value {
                Value::Seq(items) => node = items.get(i)?,
                _ => return None,
            }
        }
    }
    Some(node)
}

/// The position of `key` in the mapping `map` (where its name starts).
pub fn key_pos(map: &Node, key: &str) -> Option<Pos> {
    map.entries()
        .iter()
        .find(|(k, _)| k.name == key)
        .map(|(k, _)| k.pos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_apply_at_character_positions() {
        let src = "a: 1\nb: é2\nc: 3\n";
        let edits = [
            TextEdit {
                start: Pos::new(2, 5),
                end: Pos::new(2, 6),
                text: "9".into(),
            },
            TextEdit {
                start: Pos::new(1, 1),
                end: Pos::new(2, 1),
                text: String::new(),
            },
            TextEdit {
                start: Pos::new(4, 1),
                end: Pos::new(4, 1),
                text: "d: 4\n".into(),
            },
        ];
        assert_eq!(apply(src, &edits), "b: é9\nc: 3\nd: 4\n");
    }

    #[test]
    fn blocks_and_scalars_end_where_yaml_says() {
        let src = "spec:\n  containers:\n  - name: a\n    image: x # note\n\n    args: ['q', \"r\\\"s\"]\n  - name: b\n    command: |\n      echo\n";
        let l = Lines::new(src);
        assert_eq!(l.dash_col(Pos::new(3, 5)), Some(2));
        assert_eq!(l.block_end(3, 2), 6);
        assert_eq!(l.block_end(7, 2), 9);
        assert_eq!(l.scalar_end(Pos::new(4, 12), false), Some(Pos::new(4, 13)));
        assert_eq!(l.scalar_end(Pos::new(6, 12), true), Some(Pos::new(6, 15)));
        assert_eq!(l.scalar_end(Pos::new(6, 17), true), Some(Pos::new(6, 23)));
        assert_eq!(l.scalar_end(Pos::new(8, 14), false), None);
        assert_eq!(
            l.scalar_span(Pos::new(8, 14), false),
            Some((Pos::new(10, 1), "\n"))
        );
        assert_eq!(quoted("say \"hi\"\\"), "\"say \\\"hi\\\"\\\\\"");
    }
}
