//! Conversion of proc-macro2 spans into the diagnostic [`Span`] of one file.
//!
//! Spans of a file parsed outside a proc macro are only meaningful on the thread that parsed it
//! (proc-macro2 keeps the source map in a thread local), so they are converted on that thread,
//! before any result leaves it. Byte offsets come from the line and column proc-macro2 gives and
//! the file's own [`LineStarts`]: proc-macro2's `byte_range` counts characters from a cached
//! point on every call, which cost the model a tenth of its time.
use crate::diagnostic::{SourceFile, Span};
use proc_macro2::{LineColumn, Span as RawSpan};
use std::path::{Path, PathBuf};

const BOM: &str = "\u{feff}";

/// The byte offset at which each line of a file starts (line 1 at index 0), and whether each
/// line is all ASCII (a column is then a byte count: converting a position of a long line
/// costs no scan of the line).
#[derive(Debug)]
pub(crate) struct LineStarts(Vec<u32>, Vec<bool>);

impl LineStarts {
    pub(crate) fn of(text: &str) -> Self {
        let mut starts = vec![0];
        let mut ascii = Vec::new();
        let mut line_ascii = true;
        for (i, b) in text.bytes().enumerate() {
            line_ascii &= b.is_ascii();
            if b == b'\n' {
                // As spans' offsets are (`Span`): a file past 4 GiB saturates.
                starts.push(saturate(i + 1));
                ascii.push(line_ascii);
                line_ascii = true;
            }
        }
        ascii.push(line_ascii);
        Self(starts, ascii)
    }
}

/// Converts the raw spans of one parsed file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SpanConverter<'p> {
    path: &'p Path,
    text: &'p str,
    lines: &'p LineStarts,
    /// Bytes `syn::parse_file` strips before parsing (a byte-order mark, a shebang line): raw
    /// positions start after them.
    stripped: usize,
    /// The file starts with a byte-order mark, which takes a column of line 1 in the source.
    bom: bool,
}

impl<'p> SpanConverter<'p> {
    pub(crate) fn new(file: &'p SourceFile, lines: &'p LineStarts) -> Self {
        let text = &*file.text;
        Self {
            path: &file.path,
            text,
            lines,
            stripped: stripped_len(text),
            bom: text.starts_with(BOM),
        }
    }

    /// The region from the start of `start` to the end of `end` (both of this file).
    pub(crate) fn between(&self, start: RawSpan, end: RawSpan) -> Span {
        let (from, to) = (start.start(), end.end());
        // A span that ends before it starts (tokens out of order) collapses onto its start.
        let to = if (to.line, to.column) < (from.line, from.column) {
            start.end()
        } else {
            to
        };
        let column = |line: usize, column: usize| column + 1 + usize::from(self.bom && line == 1);
        Span {
            file: PathBuf::from(self.path),
            byte_start: self.byte(from),
            byte_end: self.byte(to),
            line_start: saturate(from.line),
            column_start: saturate(column(from.line, from.column)),
            line_end: saturate(to.line),
            column_end: saturate(column(to.line, to.column)),
        }
    }

    pub(crate) fn span(&self, span: RawSpan) -> Span {
        self.between(span, span)
    }

    /// The bytes of the file a raw span covers.
    pub(crate) fn bytes(&self, span: RawSpan) -> std::ops::Range<usize> {
        self.byte(span.start())..self.byte(span.end())
    }

    /// The line (1-based) and the column (in chars, from the line's start as parsed) of a byte
    /// offset: where a piece of the file lexed apart must start to be given the file's
    /// positions (see `parse::parse_taking_bodies`).
    pub(crate) fn position(&self, offset: usize) -> (usize, usize) {
        let line = self
            .lines
            .0
            .partition_point(|&start| start as usize <= offset);
        let line_start = match line {
            0 | 1 => self.stripped,
            line => self.lines.0[line - 1] as usize,
        };
        let column = self
            .text
            .get(line_start..offset)
            .map_or(0, |before| before.chars().count());
        (line.max(1), column)
    }

    /// The byte offset in the file as written of a parsed position (a 1-based line, a column
    /// in chars from the line's start as parsed).
    fn byte(&self, at: LineColumn) -> usize {
        // Stripping removes no newline: parsed lines are the file's lines, the first shortened.
        let line_start = match at.line {
            0 | 1 => self.stripped,
            line => self
                .lines
                .0
                .get(line - 1)
                .map_or(self.text.len(), |&start| start as usize),
        };
        let rest = self.text.get(line_start..).unwrap_or("");
        let ascii_line = self
            .lines
            .1
            .get(at.line.max(1) - 1)
            .copied()
            .unwrap_or(false);
        match rest.as_bytes().get(..at.column) {
            Some(prefix) if ascii_line || prefix.is_ascii() => line_start + at.column,
            _ => {
                line_start
                    + rest
                        .char_indices()
                        .nth(at.column)
                        .map_or(rest.len(), |(i, _)| i)
            }
        }
    }
}

/// The bytes `syn::parse_file` strips from the start of a file before parsing it: a byte-order
/// mark, a shebang line.
pub(crate) fn stripped_len(text: &str) -> usize {
    let rest = text.strip_prefix(BOM).unwrap_or(text);
    (text.len() - rest.len()) + shebang_len(rest)
}

/// The region of `file` between two byte offsets (clamped to the file, at char boundaries).
pub(crate) fn bytes_span(file: &SourceFile, start: usize, end: usize) -> Span {
    let text = &*file.text;
    let floor = |mut at: usize| {
        at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let (start, end) = (floor(start), floor(end.max(start)));
    let (line_start, column_start) = line_column(text, start);
    let (line_end, column_end) = line_column(text, end);
    Span {
        file: file.path.clone(),
        byte_start: start,
        byte_end: end,
        line_start,
        column_start,
        line_end,
        column_end,
    }
}

/// The length of the shebang line `syn::parse_file` removes (keeping its newline): `#!` not
/// followed by `[` (which would start an inner attribute).
fn shebang_len(text: &str) -> usize {
    let Some(rest) = text.strip_prefix("#!") else {
        return 0;
    };
    if rest.trim_start().starts_with('[') {
        return 0;
    }
    text.find('\n').unwrap_or(text.len())
}

/// The 1-based line and column (in chars, as rustc counts) of a byte offset of `text`.
fn line_column(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let column = before[line_start..].chars().count() + 1;
    (saturate(line), saturate(column))
}

/// A count or offset as the `u32` positions of a `Span` hold it, saturating.
pub(crate) fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn first_ident_span(text: &str) -> Span {
        let file = SourceFile {
            path: PathBuf::from("a.rs"),
            text: Arc::from(text),
        };
        let ast = syn::parse_file(text).expect("the test source parses");
        let syn::Item::Fn(f) = &ast.items[0] else {
            panic!("the test source starts with a function");
        };
        SpanConverter::new(&file, &LineStarts::of(text)).span(f.sig.ident.span())
    }

    #[test]
    fn positions_are_those_of_the_file_as_written() {
        let plain = first_ident_span("fn main() {}");
        assert_eq!(
            (
                plain.byte_start,
                plain.byte_end,
                plain.column_start,
                plain.column_end
            ),
            (3, 7, 4, 8)
        );
        let bom = first_ident_span("\u{feff}fn main() {}");
        assert_eq!(
            (bom.byte_start, bom.line_start, bom.column_start),
            (6, 1, 5)
        );
        let shebang = first_ident_span("#!/usr/bin/env run\nfn main() {}");
        assert_eq!(
            (shebang.byte_start, shebang.line_start, shebang.column_start),
            (22, 2, 4)
        );
    }

    #[test]
    fn lines_are_told_ascii_or_not_and_columns_counted_in_chars_on_the_others() {
        let lines = LineStarts::of("ab\n// é\n\nfn x() {}");
        assert_eq!(lines.0, [0, 3, 9, 10]);
        assert_eq!(lines.1, [true, false, true, true]);
        let after_accent = first_ident_span("/* é */ fn main() {}");
        assert_eq!(
            (after_accent.byte_start, after_accent.column_start),
            (12, 12)
        );
    }
}
