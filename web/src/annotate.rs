//! Telling Podstep what a container does, from the page: the text edit that writes the annotation
//! `behavior.podstep.dev/<container>` into the workload's pod template, next to what the user wrote.
//!
//! The edit is made in the text, not by re-serializing the document, so that comments, order and
//! style stay as they were: a line goes into the template's `metadata.annotations` (made if missing),
//! indented like its neighbours. Flow-style metadata (`metadata: {name: p}`) is not rewritten; the
//! caller then shows the annotation to copy instead.

use lifecycle::sim::ANNOTATION_PREFIX;
use lifecycle::tree::{Node, Value};
use lifecycle::Workload;

/// What a user can say about a container with one click: (label, annotation value).
pub const CHOICES: [(&str, &str); 3] = [
    ("runs until stopped", "run=forever"),
    ("exits 0 at once", "exit=0@0"),
    ("fails at once (exit 1)", "exit=1@0"),
];

/// The annotation line's key for `container`.
pub fn key(container: &str) -> String {
    format!("{ANNOTATION_PREFIX}{container}")
}

/// A YAML double-quoted string.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `source` with `behavior.podstep.dev/<container>: "<value>"` in `workload`'s pod template, or
/// `None` when the template's metadata is written in a style this does not edit.
pub fn with_annotation(
    source: &str,
    workload: &Workload,
    container: &str,
    value: &str,
) -> Option<String> {
    let (docs, error) = lifecycle::yaml::parse_documents(source);
    if error.is_some() || source.starts_with('\u{feff}') {
        return None;
    }
    let doc = docs.get(workload.document)?;
    if doc.get("kind").and_then(Node::scalar) != Some(workload.kind.as_str()) {
        // Inside a List: the document is not the workload itself.
        return None;
    }
    let template_path = workload
        .spec_path
        .strip_suffix("spec")
        .map(|p| p.trim_end_matches('.'))?;
    let mut template = doc;
    for part in template_path.split('.').filter(|p| !p.is_empty()) {
        template = template.get(part)?;
    }
    let eol = if source.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let mut lines: Vec<&str> = source.split_inclusive('\n').collect();
    let line_of = |n: u32| (n as usize).checked_sub(1);
    let entry = format!("{}: {}", key(container), quoted(value));
    let indent = |col: u32| " ".repeat(col.saturating_sub(1) as usize);

    let (meta_key, meta) = template
        .entries()
        .iter()
        .find(|(k, _)| k.name == "metadata")?;
    let block = |node: &Node, key_line: u32| match &node.value {
        Value::Map(entries) => entries.first().is_some_and(|(k, _)| k.pos.line > key_line),
        _ => false,
    };
    if !block(meta, meta_key.pos.line) {
        return None;
    }
    let first_col = meta.entries()[0].0.pos.column;
    let insert: (usize, String) = match meta.entries().iter().find(|(k, _)| k.name == "annotations")
    {
        Some((ak, annotations)) => match &annotations.value {
            Value::Map(entries) if block(annotations, ak.pos.line) => {
                if let Some((k, v)) = entries.iter().find(|(k, _)| k.name == key(container)) {
                    // Replace the existing one-line value.
                    if v.pos.line != k.pos.line {
                        return None;
                    }
                    let at = line_of(k.pos.line)?;
                    lines.remove(at);
                    (at, format!("{}{entry}{eol}", indent(k.pos.column)))
                } else {
                    let first = &entries[0].0;
                    (
                        line_of(first.pos.line)?,
                        format!("{}{entry}{eol}", indent(first.pos.column)),
                    )
                }
            }
            Value::Null => (
                line_of(ak.pos.line)? + 1,
                format!("{}{entry}{eol}", indent(ak.pos.column + 2)),
            ),
            _ => return None,
        },
        None => (
            line_of(meta.entries()[0].0.pos.line)?,
            format!(
                "{i}annotations:{eol}{i}  {entry}{eol}",
                i = indent(first_col)
            ),
        ),
    };
    let (at, text) = insert;
    if at > lines.len() {
        return None;
    }
    let mut out = String::with_capacity(source.len() + text.len() + 1);
    for l in &lines[..at] {
        out.push_str(l);
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str(eol);
    }
    out.push_str(&text);
    for l in &lines[at..] {
        out.push_str(l);
    }
    Some(out)
}

/// The container a trace note is about, when the note says Podstep assumed what it does (and so
/// the annotation would settle it).
pub fn assumed_container<'a>(note: &str, containers: &'a [String]) -> Option<&'a str> {
    let (name, rest) = note.split_once(": ")?;
    (rest.starts_with("Podstep does not know") || rest.starts_with("annotation "))
        .then(|| containers.iter().find(|c| *c == name).map(String::as_str))
        .flatten()
}
