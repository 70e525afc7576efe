//! The first pass over every file, before any parse: what the crate structure needs (its
//! out-of-line `mod` items), whether a synchronization crate is named at all, whether the file is
//! safe to parse (its nesting), and where it can be cut into pieces that parse alone.
use super::parse::PIECE_BYTES;
pub(crate) use super::scan::ModDecl;
use super::scan::{scan, Scanned, TooDeep};
use super::span::bytes_span;
use crate::diagnostic::{InputError, SourceFile, Span};

/// Deepest nesting parsed (brackets, unary operators in a row, chained operations: see
/// `scan::scan`). The parser and the model recurse once or more per level; this many levels fit
/// in an analysis thread's stack (`pool::STACK_SIZE`) with room to spare for the most
/// stack-hungry construct (nested `match`), in a debug build too.
pub(crate) const MAX_NESTING: usize = 2_000;

/// What the rest of the analysis needs to know about one file before parsing it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Outline {
    /// Safe to parse (not refused for its nesting).
    pub parsable: bool,
    pub mods: Vec<ModDecl>,
    /// Where the file can be cut into pieces that parse alone (see [`Scanned::piece_ends`]).
    pub piece_ends: Vec<usize>,
    /// The file names racecheck, `std::sync`, `std::thread`, parking_lot, crossbeam or rayon
    /// somewhere; crates in which no file does hold no primitive and are not modelled.
    pub mentions_sync: bool,
    /// The `macro_rules!` macros the file defines (see [`Scanned::macro_names`]).
    pub macro_names: Vec<String>,
    /// Where its doc comments are (see [`Scanned::doc_markers`]).
    pub doc_markers: Vec<u32>,
}

/// Outlines one file, or says why it will not be parsed.
pub(crate) fn outline_file(file: &SourceFile) -> Result<Outline, InputError> {
    let scanned = scan(&file.text, MAX_NESTING, PIECE_BYTES).map_err(|TooDeep(at)| InputError {
        path: file.path.clone(),
        span: Some(point(file, at)),
        message: format!(
            "not analyzed: nesting deeper than {MAX_NESTING} levels (brackets, blocks, unary \
             operators in a row, operations chained in one expression)"
        ),
    })?;
    let Scanned {
        mods,
        piece_ends,
        macro_names,
        doc_markers,
    } = scanned;
    Ok(Outline {
        parsable: true,
        mods,
        piece_ends,
        macro_names,
        doc_markers,
        mentions_sync: super::sync_items::mentioned_in(&file.text),
    })
}

/// The one-character span at a byte offset of a file.
fn point(file: &SourceFile, offset: usize) -> Span {
    let width = file.text[offset..].chars().next().map_or(0, char::len_utf8);
    bytes_span(file, offset, offset + width)
}

/// The string of a `#[path = "…"]` attribute, if the item has one.
pub(crate) fn path_attribute(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|attr| match &attr.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::sync::Arc;

    fn file(text: String) -> SourceFile {
        SourceFile {
            path: PathBuf::from("src/deep.rs"),
            text: Arc::from(text),
        }
    }

    #[test]
    fn too_deep_a_file_is_refused_at_the_bracket_past_the_limit() {
        let text = format!("fn main() {{\n    {}\n}}\n", "(".repeat(MAX_NESTING + 5));
        let error = outline_file(&file(text)).unwrap_err();
        assert!(
            error.message.contains("nesting deeper than 2000"),
            "{}",
            error.message
        );
        let span = error.span.unwrap();
        assert_eq!(
            (span.line_start, span.column_start),
            (2, 5 + MAX_NESTING as u32 - 1)
        );
    }

    #[test]
    fn an_ordinary_file_is_outlined() {
        let outline = outline_file(&file("use racecheck::Lock;\nmod a;\n".to_owned())).unwrap();
        assert!(outline.parsable && outline.mentions_sync);
        assert_eq!(outline.mods.len(), 1);
    }
}
