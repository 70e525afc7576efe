//! Conversion of proc-macro2 spans into the diagnostic [`Span`] of one file.
//!
//! Spans of a file parsed outside a proc macro are only meaningful on the thread that parsed it
//! (proc-macro2 keeps the source map in a thread local), so they are converted on that thread,
//! before any result leaves it.
use crate::diagnostic::{SourceFile, Span};
use proc_macro2::Span as RawSpan;
use std::path::{Path, PathBuf};

const BOM: &str = "\u{feff}";

/// Converts the raw spans of one parsed file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SpanConverter<'p> {
    path: &'p Path,
    /// Bytes `syn::parse_file` strips before parsing (a byte-order mark, a shebang line): raw
    /// byte offsets start after them.
    stripped: usize,
    /// The file starts with a byte-order mark, which takes a column of line 1 in the source.
    bom: bool,
}

impl<'p> SpanConverter<'p> {
    pub(crate) fn new(file: &'p SourceFile) -> Self {
        let text = &*file.text;
        let bom = text.starts_with(BOM);
        let rest = if bom { &text[BOM.len()..] } else { text };
        Self {
            path: &file.path,
            stripped: (text.len() - rest.len()) + shebang_len(rest),
            bom,
        }
    }

    /// The region from the start of `start` to the end of `end` (both of this file).
    pub(crate) fn between(&self, start: RawSpan, end: RawSpan) -> Span {
        let (from, to) = (start.start(), end.end());
        let (bytes_from, bytes_to) = (start.byte_range().start, end.byte_range().end);
        // A span that ends before it starts (tokens out of order) collapses onto its start.
        let (to, bytes_to) = if (to.line, to.column) < (from.line, from.column) {
            (start.end(), start.byte_range().end)
        } else {
            (to, bytes_to)
        };
        let column = |line: usize, column: usize| column + 1 + usize::from(self.bom && line == 1);
        Span {
            file: PathBuf::from(self.path),
            byte_start: bytes_from + self.stripped,
            byte_end: bytes_to.max(bytes_from) + self.stripped,
            line_start: saturate(from.line),
            column_start: saturate(column(from.line, from.column)),
            line_end: saturate(to.line),
            column_end: saturate(column(to.line, to.column)),
        }
    }

    pub(crate) fn span(&self, span: RawSpan) -> Span {
        self.between(span, span)
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
pub(crate) fn line_column(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let column = before[line_start..].chars().count() + 1;
    (saturate(line), saturate(column))
}

fn saturate(n: usize) -> u32 {
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
        SpanConverter::new(&file).span(f.sig.ident.span())
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
}
