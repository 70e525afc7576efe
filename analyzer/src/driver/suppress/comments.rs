//! Finds the plain line comments (`// …`, not doc comments) of a Rust source text, skipping
//! string, raw string, char and byte literals and (nested) block comments, so that text inside a
//! literal is never taken for a directive. A lexer this small never fails: malformed input only
//! makes it see fewer comments.

use crate::frontend::scan::{is_ident_byte, skip_block_comment, skip_quoted};

/// A `// …` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineComment<'a> {
    /// Byte offset of the `//`.
    pub start: usize,
    /// The text after `//`, up to the end of the line.
    pub body: &'a str,
    /// Whether only whitespace precedes the comment on its line.
    pub own_line: bool,
}

/// The plain line comments of `text`, in order.
pub fn line_comments(text: &str) -> Vec<LineComment<'_>> {
    let bytes = text.as_bytes();
    let mut comments = Vec::new();
    let mut i = 0;
    let mut line_has_code = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                line_has_code = false;
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
                let body = &text[i + 2..end];
                let is_doc =
                    (body.starts_with('/') && !body.starts_with("//")) || body.starts_with('!');
                if !is_doc {
                    comments.push(LineComment {
                        start: i,
                        body,
                        own_line: !line_has_code,
                    });
                }
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = skip_block_comment(bytes, i);
                line_has_code = true;
            }
            b'"' => {
                i = skip_quoted(bytes, i + 1, b'"');
                line_has_code = true;
            }
            b'\'' => {
                i = skip_char_or_lifetime(bytes, i);
                line_has_code = true;
            }
            b'r' | b'b' | b'c' if starts_identifier(bytes, i) => {
                i = skip_prefixed_literal_or_identifier(bytes, i);
                line_has_code = true;
            }
            byte => {
                line_has_code |= !byte.is_ascii_whitespace();
                i += 1;
            }
        }
    }
    comments
}

fn starts_identifier(bytes: &[u8], i: usize) -> bool {
    i == 0 || !is_ident_byte(bytes[i - 1])
}

/// `'x'`, `'\n'`, `'\u{1F600}'` are char literals; `'a` (no closing quote right after one
/// character) is a lifetime or label.
fn skip_char_or_lifetime(bytes: &[u8], i: usize) -> usize {
    match bytes.get(i + 1) {
        Some(b'\\') => skip_quoted(bytes, i + 1, b'\''),
        Some(_) => {
            let char_len = utf8_len(bytes[i + 1]);
            if bytes.get(i + 1 + char_len) == Some(&b'\'') {
                i + 2 + char_len
            } else {
                i + 1
            }
        }
        None => i + 1,
    }
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xf0..=0xff => 4,
        0xe0..=0xef => 3,
        0xc0..=0xdf => 2,
        _ => 1,
    }
}

/// At an identifier starting with `r`, `b` or `c`: a raw/byte/C string or byte char literal
/// (`r"…"`, `r#"…"#`, `b"…"`, `br#"…"#`, `b'x'`, `c"…"`, `cr"…"`), else the identifier itself.
fn skip_prefixed_literal_or_identifier(bytes: &[u8], i: usize) -> usize {
    let mut j = i;
    if matches!(bytes[j], b'b' | b'c') {
        j += 1;
    }
    let raw = bytes.get(j) == Some(&b'r');
    if raw {
        j += 1;
    }
    if raw {
        let hashes = bytes[j..].iter().take_while(|&&b| b == b'#').count();
        if bytes.get(j + hashes) == Some(&b'"') {
            let mut closing = vec![b'"'];
            closing.extend(std::iter::repeat_n(b'#', hashes));
            let body = j + hashes + 1;
            return find(bytes, body, &closing).map_or(bytes.len(), |end| end + closing.len());
        }
    } else if j > i {
        match bytes.get(j) {
            Some(b'"') => return skip_quoted(bytes, j + 1, b'"'),
            Some(b'\'') if bytes[i] == b'b' => return skip_char_or_lifetime(bytes, j),
            _ => {}
        }
    }
    i + bytes[i..].iter().take_while(|&&b| is_ident_byte(b)).count()
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bodies(text: &str) -> Vec<(&str, bool)> {
        line_comments(text)
            .into_iter()
            .map(|c| (c.body, c.own_line))
            .collect()
    }

    #[test]
    fn finds_trailing_and_own_line_comments() {
        let text = "// top\nlet a = 1; // trailing\n    // indented\n";
        assert_eq!(
            bodies(text),
            [(" top", true), (" trailing", false), (" indented", true)]
        );
        assert_eq!(
            line_comments(text)[1].start,
            text.find("// trailing").unwrap()
        );
    }

    #[test]
    fn skips_doc_comments_but_not_four_slashes() {
        assert_eq!(
            bodies("/// doc\n//! inner\n//// rule\n"),
            [("// rule", true)]
        );
    }

    #[test]
    fn literals_and_block_comments_hide_slashes() {
        let text = concat!(
            "let s = \"// not\"; let e = \"\\\"// not\";\n",
            "let r = r#\"// \"not\" \"#; let b = br\"//\"; let c = c\"//\";\n",
            "let ch = '\"'; let q = b'\\''; /* // not /* nested */ // not */\n",
            "fn f<'a>(x: &'a str) -> &'a str { x } // yes\n",
            "let u = 'é'; let raw_ident = r#match; // yes too\n",
        );
        assert_eq!(bodies(text), [(" yes", false), (" yes too", false)]);
    }

    #[test]
    fn unterminated_input_ends_quietly() {
        assert!(bodies("let s = \"open // not").is_empty());
        assert!(bodies("/* open // not").is_empty());
        assert!(bodies("let r = r##\"open").is_empty());
        assert_eq!(bodies("'"), []);
    }
}
