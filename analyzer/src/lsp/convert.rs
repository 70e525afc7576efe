//! Between the analysis's coordinates (byte offsets, paths) and LSP's (0-based lines, characters
//! in the negotiated encoding, `file://` URIs).
use crate::driver::source_map::{floor_char_boundary, to_u32, uri_path, LineIndex};
use gen_lsp_types::{Position, PositionEncodingKind, Range, Uri};
use std::path::{Path, PathBuf};

/// What a `Position.character` counts. UTF-16 unless the client offers another (LSP 3.17).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    /// The first of the client's `general.positionEncodings` that we speak, else UTF-16.
    pub fn negotiate(offered: &[PositionEncodingKind]) -> Encoding {
        offered
            .iter()
            .find_map(|kind| match kind {
                PositionEncodingKind::UTF8 => Some(Encoding::Utf8),
                PositionEncodingKind::UTF16 => Some(Encoding::Utf16),
                PositionEncodingKind::UTF32 => Some(Encoding::Utf32),
                _ => None,
            })
            .unwrap_or(Encoding::Utf16)
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    fn units(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        }
    }
}

/// A text with its line table, for converting positions both ways.
pub struct Text<'a> {
    pub text: &'a str,
    pub lines: &'a LineIndex,
    pub encoding: Encoding,
}

impl Text<'_> {
    pub fn position(&self, byte: usize) -> Position {
        let byte = floor_char_boundary(self.text, byte.min(self.text.len()));
        let line = self.lines.line_of(byte);
        let start = self.line_start(line);
        let character: usize = self.text[start..byte]
            .chars()
            .map(|c| self.encoding.units(c))
            .sum();
        Position::new(to_u32(line), to_u32(character))
    }

    pub fn range(&self, bytes: std::ops::Range<usize>) -> Range {
        Range::new(self.position(bytes.start), self.position(bytes.end))
    }

    /// The byte offset of `position`; past the end of its line it is the line's end, past the
    /// last line the text's end.
    pub fn offset(&self, position: Position) -> usize {
        let Some(line) = self.lines.line_range(self.text, position.line as usize) else {
            return self.text.len();
        };
        let mut units = 0;
        for (i, c) in self.text[line.clone()].char_indices() {
            if units >= position.character as usize {
                return line.start + i;
            }
            units += self.encoding.units(c);
        }
        line.end
    }

    /// Byte offset where 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.lines
            .line_range(self.text, line)
            .map_or(self.text.len(), |r| r.start)
    }
}

/// The `file://` URI of an absolute path.
pub fn uri(path: &Path) -> Uri {
    Uri(format!("file://{}", uri_path(path)))
}

/// The path of a `file://` URI (`file:///a/b`, `file://localhost/a/b`), percent-decoded.
pub fn path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.0.strip_prefix("file://")?;
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let bytes = rest.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok())
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                decoded.push(byte);
                i += 3;
            }
            None => {
                decoded.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(decoded).ok().map(PathBuf::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_the_negotiated_units() {
        let source = "let é = \"😀\"; x\nnext";
        let lines = LineIndex::new(source);
        let x = source.find(" x").unwrap() + 1;
        let at = |encoding| {
            let text = Text {
                text: source,
                lines: &lines,
                encoding,
            };
            let position = text.position(x);
            assert_eq!(text.offset(position), x, "{encoding:?} round trip");
            position.character
        };
        assert_eq!(at(Encoding::Utf8), 17);
        assert_eq!(at(Encoding::Utf16), 14);
        assert_eq!(at(Encoding::Utf32), 13);
        let text = Text {
            text: source,
            lines: &lines,
            encoding: Encoding::Utf16,
        };
        assert_eq!(text.position(source.len()), Position::new(1, 4));
        assert_eq!(
            text.offset(Position::new(0, 999)),
            source.find('\n').unwrap()
        );
        assert_eq!(text.offset(Position::new(9, 0)), source.len());
    }

    #[test]
    fn client_encodings_are_negotiated() {
        assert_eq!(Encoding::negotiate(&[]), Encoding::Utf16);
        assert_eq!(
            Encoding::negotiate(&[PositionEncodingKind::UTF8, PositionEncodingKind::UTF16]),
            Encoding::Utf8
        );
    }

    #[test]
    fn file_uris_round_trip() {
        let file = Path::new("/ws/my crate/src/lib.rs");
        let uri = uri(file);
        assert_eq!(uri.0, "file:///ws/my%20crate/src/lib.rs");
        assert_eq!(path(&uri).as_deref(), Some(file));
        assert_eq!(
            path(&Uri("file://localhost/a%C3%A9.rs".into())).as_deref(),
            Some(Path::new("/aé.rs"))
        );
        assert_eq!(path(&Uri("untitled:Untitled-1".into())), None);
    }
}
