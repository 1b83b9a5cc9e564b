//! Light YAML highlighting for the editor, one line at a time, and the stretch of a line a diagnostic
//! underlines.
//!
//! Not a parser: it colours keys, quoted and plain values, numbers and literals, comments, anchors,
//! tags and block scalars well enough to read a manifest. The engine's parser decides what the text
//! means. Spans are byte ranges that cover the whole line, in order.

use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tok {
    Plain,
    Key,
    Str,
    Num,
    /// `true`, `false`, `null`, `~`.
    Lit,
    Comment,
    Punct,
    /// Anchors, aliases, tags and directives.
    Meta,
}

impl Tok {
    pub fn class(self) -> &'static str {
        match self {
            Tok::Plain => "",
            Tok::Key => "hl-key",
            Tok::Str => "hl-str",
            Tok::Num => "hl-num",
            Tok::Lit => "hl-lit",
            Tok::Comment => "hl-comment",
            Tok::Punct => "hl-punct",
            Tok::Meta => "hl-meta",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub range: Range<usize>,
    pub tok: Tok,
}

/// Carries what one line tells about the next: whether a block scalar (`|`, `>`) is open, and the
/// indentation its content must exceed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Carry {
    block_parent: Option<usize>,
}

struct Out {
    spans: Vec<Span>,
}

impl Out {
    fn push(&mut self, range: Range<usize>, tok: Tok) {
        if range.is_empty() {
            return;
        }
        if let Some(last) = self.spans.last_mut() {
            if last.tok == tok && last.range.end == range.start {
                last.range.end = range.end;
                return;
            }
        }
        self.spans.push(Span { range, tok });
    }
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Highlights one line (without its `\n`), given what the previous lines carried; returns the spans
/// and what this line carries to the next.
pub fn line(text: &str, carry: Carry) -> (Vec<Span>, Carry) {
    let mut out = Out { spans: Vec::new() };
    let indent = indent_of(text);
    let blank = text.trim().is_empty();
    if let Some(parent) = carry.block_parent {
        if blank || indent > parent {
            out.push(0..text.len(), Tok::Str);
            return (out.spans, carry);
        }
    }
    let mut next = Carry::default();
    let bytes = text.as_bytes();
    let mut i = indent;
    out.push(0..i, Tok::Plain);
    let rest = &text[i..];
    if rest.starts_with('#') {
        out.push(i..text.len(), Tok::Comment);
        return (out.spans, next);
    }
    if rest.starts_with('%') {
        out.push(i..text.len(), Tok::Meta);
        return (out.spans, next);
    }
    if (rest.starts_with("---") || rest.starts_with("..."))
        && rest.as_bytes().get(3).is_none_or(|b| *b == b' ')
    {
        out.push(i..i + 3, Tok::Punct);
        i += 3;
    }
    // Sequence indicators: `- `, possibly several (`- - a`).
    let mut parent = indent;
    while i < bytes.len() && bytes[i] == b'-' && bytes.get(i + 1).is_none_or(|b| *b == b' ') {
        parent = i;
        out.push(i..i + 1, Tok::Punct);
        i += 1;
        let spaces = text[i..].len() - text[i..].trim_start_matches(' ').len();
        out.push(i..i + spaces, Tok::Plain);
        i += spaces;
    }
    // A key: a quoted or plain scalar followed by `:` and a space (or the end of the line).
    if let Some((key_end, colon)) = find_key(text, i) {
        parent = i;
        out.push(i..key_end, Tok::Key);
        out.push(key_end..colon, Tok::Plain);
        out.push(colon..colon + 1, Tok::Punct);
        i = colon + 1;
    }
    if value(text, i, &mut out) {
        next.block_parent = Some(parent);
    }
    (out.spans, next)
}

/// Where a key that starts at `at` ends, and where its `:` is.
fn find_key(text: &str, at: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let first = *bytes.get(at)?;
    if matches!(first, b'[' | b'{' | b'#' | b'|' | b'>' | b'&' | b'*' | b'!') {
        return None;
    }
    let key_end = if first == b'"' || first == b'\'' {
        quoted_end(text, at)?
    } else {
        let mut j = at;
        loop {
            match bytes.get(j) {
                None => return None,
                Some(b':') if bytes.get(j + 1).is_none_or(|b| *b == b' ') => break,
                Some(b'#') if j > at && bytes[j - 1] == b' ' => return None,
                Some(_) => j += 1,
            }
        }
        // Trailing spaces before the colon are not part of the key.
        at + text[at..j].trim_end().len()
    };
    let mut colon = key_end;
    while bytes.get(colon) == Some(&b' ') {
        colon += 1;
    }
    (bytes.get(colon) == Some(&b':') && bytes.get(colon + 1).is_none_or(|b| *b == b' '))
        .then_some((key_end, colon))
}

/// The end (exclusive) of the quoted scalar that starts at `at`, if it closes on this line.
fn quoted_end(text: &str, at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let quote = bytes[at];
    let mut j = at + 1;
    while j < bytes.len() {
        let b = bytes[j];
        if quote == b'"' && b == b'\\' {
            j += 2;
            continue;
        }
        if b == quote {
            if quote == b'\'' && bytes.get(j + 1) == Some(&b'\'') {
                j += 2;
                continue;
            }
            return Some(j + 1);
        }
        j += 1;
    }
    None
}

fn scalar_tok(word: &str) -> Tok {
    match word {
        "true" | "false" | "True" | "False" | "TRUE" | "FALSE" | "null" | "Null" | "NULL" | "~" => {
            Tok::Lit
        }
        _ if is_number(word) => Tok::Num,
        _ => Tok::Str,
    }
}

fn is_number(word: &str) -> bool {
    let w = word.strip_prefix(['-', '+']).unwrap_or(word);
    if w.is_empty() {
        return false;
    }
    if let Some(hex) = w.strip_prefix("0x") {
        return !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    if let Some(oct) = w.strip_prefix("0o") {
        return !oct.is_empty() && oct.bytes().all(|b| (b'0'..=b'7').contains(&b));
    }
    let mut digits = 0;
    let mut dots = 0;
    for (k, b) in w.bytes().enumerate() {
        match b {
            b'0'..=b'9' => digits += 1,
            b'.' => dots += 1,
            b'e' | b'E' if k > 0 => return digits > 0 && is_exponent(&w[k + 1..]),
            _ => return false,
        }
    }
    digits > 0 && dots <= 1
}

fn is_exponent(w: &str) -> bool {
    let w = w.strip_prefix(['-', '+']).unwrap_or(w);
    !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit())
}

/// Highlights a value from `at` to the end of the line; true if it opens a block scalar.
fn value(text: &str, mut i: usize, out: &mut Out) -> bool {
    let bytes = text.as_bytes();
    let mut block = false;
    let mut depth = 0usize;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b' ' => {
                out.push(i..i + 1, Tok::Plain);
                i += 1;
            }
            b'#' if i == 0 || bytes[i - 1] == b' ' => {
                out.push(i..bytes.len(), Tok::Comment);
                return block;
            }
            b'"' | b'\'' => {
                let end = quoted_end(text, i).unwrap_or(bytes.len());
                out.push(i..end, Tok::Str);
                i = end;
            }
            b'&' | b'*' | b'!' => {
                let end = word_end(text, i, false);
                out.push(i..end, Tok::Meta);
                i = end;
            }
            b'|' | b'>' if block_header(&text[i + 1..]).is_some() => {
                let end = i + 1 + block_header(&text[i + 1..]).unwrap_or(0);
                out.push(i..end, Tok::Punct);
                i = end;
                block = true;
            }
            b'[' | b']' | b'{' | b'}' | b',' => {
                match b {
                    b'[' | b'{' => depth += 1,
                    b']' | b'}' => depth = depth.saturating_sub(1),
                    _ => {}
                }
                out.push(i..i + 1, Tok::Punct);
                i += 1;
                // Inside a flow collection a key may follow.
                let spaces = text[i..].len() - text[i..].trim_start_matches(' ').len();
                out.push(i..i + spaces, Tok::Plain);
                i += spaces;
                if let Some((key_end, colon)) = find_flow_key(text, i) {
                    out.push(i..key_end, Tok::Key);
                    out.push(key_end..colon, Tok::Plain);
                    out.push(colon..colon + 1, Tok::Punct);
                    i = colon + 1;
                }
            }
            _ => {
                let end = if depth > 0 {
                    word_end(text, i, true)
                } else {
                    plain_end(text, i)
                };
                let end = end.max(i + text[i..].chars().next().map_or(1, char::len_utf8));
                out.push(i..end, scalar_tok(&text[i..end]));
                i = end;
            }
        }
    }
    block
}

/// The length of a block scalar header's indicators (`|`, `>-`, `|2+`) after the `|` or `>`, if
/// nothing but a comment follows them.
fn block_header(after: &str) -> Option<usize> {
    let indicators = after.len()
        - after
            .trim_start_matches(|c: char| c == '+' || c == '-' || c.is_ascii_digit())
            .len();
    let tail = after[indicators..].trim_start();
    (tail.is_empty() || tail.starts_with('#')).then_some(indicators)
}

/// A key inside a flow mapping (`{name: app}`).
fn find_flow_key(text: &str, at: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut j = at;
    while let Some(&b) = bytes.get(j) {
        match b {
            b':' if bytes
                .get(j + 1)
                .is_none_or(|b| matches!(b, b' ' | b',' | b'}')) =>
            {
                return (j > at).then_some((at + text[at..j].trim_end().len(), j));
            }
            b',' | b'[' | b']' | b'{' | b'}' | b'"' | b'\'' | b'#' => return None,
            _ => j += 1,
        }
    }
    None
}

/// The end of a plain scalar outside flow collections: the line, up to a ` #` comment, trailing
/// spaces excluded.
fn plain_end(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let mut j = at;
    while j < bytes.len() {
        if bytes[j] == b'#' && j > at && bytes[j - 1] == b' ' {
            break;
        }
        j += 1;
    }
    at + text[at..j].trim_end().len()
}

/// The end of a word: up to a space (or, in flow collections, a flow indicator).
fn word_end(text: &str, at: usize, flow: bool) -> usize {
    let bytes = text.as_bytes();
    let mut j = at;
    while j < bytes.len() {
        let b = bytes[j];
        if b == b' ' || (flow && matches!(b, b',' | b']' | b'}')) {
            break;
        }
        if flow && b == b':' && bytes.get(j + 1).is_none_or(|b| *b == b' ') {
            break;
        }
        j += 1;
    }
    j
}

/// The byte range of `line` that a diagnostic at 1-based character `column` underlines: the key
/// there (up to its `:`), or else the value up to a comment. Never empty for a non-blank line; `None`
/// for a blank one.
pub fn underline(line: &str, column: u32) -> Option<Range<usize>> {
    let content_end = plain_end(line, 0);
    if content_end == 0 {
        return None;
    }
    let start = line
        .char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map_or(line.len(), |(b, _)| b);
    if start >= content_end {
        // Past the text (a missing value): mark the last character.
        let last = line[..content_end]
            .char_indices()
            .last()
            .map_or(0, |(b, _)| b);
        return Some(last..content_end);
    }
    if let Some((key_end, _)) = find_key(line, start) {
        return Some(start..key_end.max(start + 1));
    }
    let end = plain_end(line, start).max(start + 1).min(line.len());
    let end = if line.is_char_boundary(end) {
        end
    } else {
        start + line[start..].chars().next().map_or(1, char::len_utf8)
    };
    Some(start..end)
}
