//! Conversion of proc-macro2 spans into the diagnostic [`Span`] of one file.
//!
//! Spans of a file parsed outside a proc macro are only meaningful on the thread that parsed it
//! (proc-macro2 keeps the source map in a thread local), so they are converted on that thread,
//! before any result leaves it.
use crate::diagnostic::Span;
use proc_macro2::Span as RawSpan;
use std::path::{Path, PathBuf};

/// Converts the raw spans of one parsed file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SpanConverter<'p> {
    path: &'p Path,
}

impl<'p> SpanConverter<'p> {
    pub(crate) fn new(path: &'p Path) -> Self {
        Self { path }
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
        Span {
            file: PathBuf::from(self.path),
            byte_start: bytes_from,
            byte_end: bytes_to.max(bytes_from),
            line_start: saturate(from.line),
            column_start: saturate(from.column + 1),
            line_end: saturate(to.line),
            column_end: saturate(to.column + 1),
        }
    }

    pub(crate) fn span(&self, span: RawSpan) -> Span {
        self.between(span, span)
    }
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
