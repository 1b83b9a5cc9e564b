//! Characters that change what a reader sees without being seen: bidirectional controls, which can
//! make `exit 1` read as `exit 0`, and zero-width characters, which make two names that look alike
//! differ. Code hosts warn about them; so does Podstep, at each one, with its code point and name.

use crate::diag::{Diagnostic, Severity};
use crate::limits::MAX_HIDDEN_CHAR_WARNINGS;
use crate::tree::Pos;

/// The name of a hidden character, or `None` for any other.
pub fn name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{202A}' => "LEFT-TO-RIGHT EMBEDDING",
        '\u{202B}' => "RIGHT-TO-LEFT EMBEDDING",
        '\u{202C}' => "POP DIRECTIONAL FORMATTING",
        '\u{202D}' => "LEFT-TO-RIGHT OVERRIDE",
        '\u{202E}' => "RIGHT-TO-LEFT OVERRIDE",
        '\u{2066}' => "LEFT-TO-RIGHT ISOLATE",
        '\u{2067}' => "RIGHT-TO-LEFT ISOLATE",
        '\u{2068}' => "FIRST STRONG ISOLATE",
        '\u{2069}' => "POP DIRECTIONAL ISOLATE",
        '\u{200E}' => "LEFT-TO-RIGHT MARK",
        '\u{200F}' => "RIGHT-TO-LEFT MARK",
        '\u{061C}' => "ARABIC LETTER MARK",
        '\u{200B}' => "ZERO WIDTH SPACE",
        '\u{200C}' => "ZERO WIDTH NON-JOINER",
        '\u{200D}' => "ZERO WIDTH JOINER",
        '\u{2060}' => "WORD JOINER",
        '\u{FEFF}' => "ZERO WIDTH NO-BREAK SPACE",
        _ => return None,
    })
}

/// `text` with each hidden character shown as its code point, `⟨U+202E⟩`, for places that show user
/// text outside the editor (messages, tooltips, action lists): what reads as `exit 0` there must not
/// run as `exit 1`. Borrowed when there is none.
pub fn reveal(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| name(c).is_some()) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match name(c) {
            Some(_) => out.push_str(&format!("⟨U+{:04X}⟩", c as u32)),
            None => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Adds a warning at each hidden character of `source` (a byte order mark at the very start is
/// not one: editors write it), at most [`MAX_HIDDEN_CHAR_WARNINGS`], the last counting the rest.
pub(crate) fn warn(source: &str, out: &mut Vec<Diagnostic>) {
    let body = source.strip_prefix('\u{feff}').unwrap_or(source);
    let offset_col = u32::from(body.len() != source.len());
    let mut found = 0usize;
    for (n, line) in body.split('\n').enumerate() {
        for (col, c) in line.chars().enumerate() {
            let Some(what) = name(c) else {
                continue;
            };
            found += 1;
            if found > MAX_HIDDEN_CHAR_WARNINGS {
                continue;
            }
            let column = col as u32 + 1 + if n == 0 { offset_col } else { 0 };
            out.push(
                Diagnostic::new(
                    Severity::Warning,
                    Pos::new(n as u32 + 1, column),
                    "",
                    format!(
                        "hidden character U+{:04X} {what}: the text may not read as it runs",
                        c as u32
                    ),
                )
                .with_hint(
                    "delete it unless you put it there on purpose; the editor does not show it",
                ),
            );
        }
    }
    if found > MAX_HIDDEN_CHAR_WARNINGS {
        if let Some(last) = out.last_mut() {
            last.message.push_str(&format!(
                " ({} more hidden characters are not listed)",
                found - MAX_HIDDEN_CHAR_WARNINGS
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_hidden_character_is_located_up_to_the_limit() {
        let mut out = Vec::new();
        warn("\u{feff}a: b\u{200b}\n", &mut out);
        let at: Vec<(u32, u32)> = out.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(
            at,
            [(1, 6)],
            "the byte order mark at the start is not one, but counts as a column"
        );
        let mut out = Vec::new();
        warn(&"x\u{202e}\n".repeat(25), &mut out);
        assert_eq!(out.len(), MAX_HIDDEN_CHAR_WARNINGS);
        assert!(out[19]
            .message
            .ends_with("(5 more hidden characters are not listed)"));
        let mut out = Vec::new();
        warn("name: café — ok\n", &mut out);
        assert!(out.is_empty(), "visible non-ASCII text is not hidden");
    }

    #[test]
    fn reveal_shows_each_hidden_character_as_its_code_point() {
        for (text, shown) in [
            ("exit 1", "exit 1"),
            ("café 😀", "café 😀"),
            (
                "exit 1 \u{202e}; 0 tixe\u{202c}",
                "exit 1 ⟨U+202E⟩; 0 tixe⟨U+202C⟩",
            ),
            ("app\u{200b}", "app⟨U+200B⟩"),
            ("\u{feff}", "⟨U+FEFF⟩"),
            ("\u{61c}x", "⟨U+061C⟩x"),
        ] {
            assert_eq!(reveal(text), shown, "{text:?}");
        }
        assert!(matches!(reveal("plain"), std::borrow::Cow::Borrowed(_)));
    }
}
