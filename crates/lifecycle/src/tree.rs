//! A parser-neutral document tree in which every node remembers where it came from.
//!
//! The YAML module builds it; everything after parsing (decoding, validation, the CLI's messages, the
//! editor's gutter markers) reads positions from here. Keeping this type free of any YAML crate is what
//! lets the YAML library be swapped without touching the rest of the engine.

/// A 1-based line and column in the source text (columns count characters, not bytes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl Pos {
    pub const fn new(line: u32, column: u32) -> Pos {
        Pos { line, column }
    }
}

/// One node of a document: a scalar, a sequence or a mapping, with the position of its first character.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `~`, `null`, or nothing at all.
    Null,
    /// Any other scalar. `plain` is false for quoted and block scalars, which are always strings.
    Scalar {
        text: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    /// Entries in source order; keys are kept with their own positions.
    Map(Vec<(Key, Node)>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
}

impl Node {
    /// Places every part of this node, keys included, at `pos`: a copy made for a YAML alias is
    /// reported where the alias is, since an error inside it is about that use.
    pub fn relocate(&mut self, pos: Pos) {
        self.pos = pos;
        match &mut self.value {
            Value::Seq(items) => items.iter_mut().for_each(|i| i.relocate(pos)),
            Value::Map(entries) => {
                for (key, value) in entries {
                    key.pos = pos;
                    value.relocate(pos);
                }
            }
            Value::Null | Value::Scalar { .. } => {}
        }
    }

    /// The value under `key` when this is a mapping (the first one, if the key repeats).
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn entries(&self) -> &[(Key, Node)] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    /// The scalar's text, whatever its YAML type (numbers and booleans included).
    pub fn scalar(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// A short name of the node's type for messages, in the words Kubernetes' decoder uses.
    pub fn type_name(&self) -> &'static str {
        match &self.value {
            Value::Null => "null",
            Value::Scalar { plain: false, .. } => "string",
            Value::Scalar { text, plain: true } => plain_scalar_type(text),
            Value::Seq(_) => "array",
            Value::Map(_) => "object",
        }
    }
}

/// The YAML 1.2 core-schema type of a plain scalar, as a Kubernetes decoder would see it.
pub fn plain_scalar_type(text: &str) -> &'static str {
    match text {
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" => "boolean",
        _ if parse_int(text).is_some() => "number",
        _ if text.parse::<f64>().is_ok() && text.chars().any(|c| c.is_ascii_digit()) => "number",
        _ => "string",
    }
}

/// Integers as YAML 1.2 writes them: decimal with an optional sign, `0x` hex, `0o` octal.
pub fn parse_int(text: &str) -> Option<i64> {
    let (neg, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let magnitude: i128 = if let Some(hex) = digits.strip_prefix("0x") {
        i128::from_str_radix(hex, 16).ok()?
    } else if let Some(oct) = digits.strip_prefix("0o") {
        i128::from_str_radix(oct, 8).ok()?
    } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().ok()?
    } else {
        return None;
    };
    let value = if neg { -magnitude } else { magnitude };
    i64::try_from(value).ok()
}
