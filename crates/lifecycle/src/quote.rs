//! User text quoted inside messages: `"my app"`, as the API server's `%q` shows it.
//!
//! Why not `{:?}`: Rust's debug escaping writes control characters its own way (`\u{1b}`) and escapes
//! the non-ASCII characters it deems unprintable. Here `"` and `\` are escaped, ASCII control characters
//! are written as Go writes them (`\n`, `\t`, `\r`, else `\x1b`), and every other character is kept as
//! typed. Unlike Go's `%q` (and Rust's `{:?}`), invisible non-ASCII characters such as U+200B are kept
//! as they are, so a message shows the name as the manifest has it.

/// `text` in double quotes, escaped as described above.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_ascii_control() => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let b = c as u8;
                out.push_str("\\x");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 15)]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quotes_like_debug_for_ordinary_text() {
        for text in [
            "",
            "app",
            "my app",
            "exit=1@3",
            "naïve café",
            "日本",
            "it's",
        ] {
            assert_eq!(quote(text), format!("{text:?}"), "{text}");
        }
    }

    #[test]
    fn escapes_quotes_backslashes_and_controls_as_go_does() {
        assert_eq!(quote(r#"say "hi"\now"#), r#""say \"hi\"\\now""#);
        assert_eq!(quote("a\nb\tc\rd"), r#""a\nb\tc\rd""#);
        assert_eq!(quote("\u{1b}[31m\u{0}\u{7f}"), r#""\x1b[31m\x00\x7f""#);
    }
}
