//! Positions in the manifest three ways: the engine's (1-based line and column in characters, byte
//! offsets), and the code editor's (UTF-16 code units, as JavaScript strings count). One pass builds a
//! line index; each conversion after it costs the length of one line.

/// Where each line starts, in bytes and in UTF-16 units.
pub struct Lines<'t> {
    text: &'t str,
    starts: Vec<(usize, u32)>,
}

impl<'t> Lines<'t> {
    pub fn new(text: &'t str) -> Lines<'t> {
        let mut starts = vec![(0, 0)];
        let mut utf16 = 0u32;
        for (i, c) in text.char_indices() {
            utf16 += c.len_utf16() as u32;
            if c == '\n' {
                starts.push((i + 1, utf16));
            }
        }
        Lines { text, starts }
    }

    /// The text of 1-based `line` without its newline (empty past the end).
    pub fn line(&self, line: u32) -> &'t str {
        let Some(&(start, _)) = self.starts.get(line.max(1) as usize - 1) else {
            return "";
        };
        let end = self
            .starts
            .get(line.max(1) as usize)
            .map_or(self.text.len(), |&(next, _)| next - 1);
        &self.text[start..end]
    }

    /// The UTF-16 offset of byte `byte` of 1-based `line` (clamped to the line).
    pub fn utf16_at(&self, line: u32, byte: usize) -> u32 {
        let Some(&(_, start16)) = self.starts.get(line.max(1) as usize - 1) else {
            return self.starts.last().map_or(0, |&(_, s)| s) + self.line(line).len() as u32;
        };
        let text = self.line(line);
        let mut byte = byte.min(text.len());
        while !text.is_char_boundary(byte) {
            byte -= 1;
        }
        start16 + text[..byte].encode_utf16().count() as u32
    }

    /// The UTF-16 offset of 1-based `column` (in characters) of 1-based `line`.
    pub fn utf16_of(&self, line: u32, column: u32) -> u32 {
        let text = self.line(line);
        let byte = text
            .char_indices()
            .nth(column.saturating_sub(1) as usize)
            .map_or(text.len(), |(b, _)| b);
        self.utf16_at(line, byte)
    }
}

/// The byte offset in `text` of UTF-16 offset `utf16` (clamped to the text; inside a surrogate pair,
/// the character's start).
pub fn byte_of_utf16(text: &str, utf16: u32) -> usize {
    let mut seen = 0u32;
    for (i, c) in text.char_indices() {
        let next = seen + c.len_utf16() as u32;
        if next > utf16 {
            return i;
        }
        seen = next;
    }
    text.len()
}

/// The UTF-16 offset of byte offset `byte` in `text` (clamped; inside a character, its start).
pub fn utf16_of_byte(text: &str, byte: usize) -> u32 {
    let mut byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    text[..byte].encode_utf16().count() as u32
}
