//! Parsing a file: whole, when its syntax tree is kept (the files of a modelled crate), or piece
//! by piece, when only whether it parses matters (every other file), so that one piece's tree at
//! a time is alive, whatever the file's size.
use super::span::{bytes_span, stripped_len};
use crate::diagnostic::{InputError, SourceFile};

/// Files are cut into pieces of whole top-level items at least this long (`scan::Scanned`). A
/// syntax tree takes up to some 150 times its source, so one piece's tree stays within about
/// 10 MiB, unless a single item is larger.
pub(crate) const PIECE_BYTES: usize = 64 << 10;

/// Parses a whole file, or says where it does not parse. proc-macro2 remembers the file (and
/// every other parsed on this thread) until the caller lets it forget them all.
pub(crate) fn parse_file(file: &SourceFile) -> Result<syn::File, InputError> {
    syn::parse_file(&file.text).map_err(|error| parse_error(file, stripped_len(&file.text), &error))
}

/// Whether a file parses, checked piece by piece (cut at `piece_ends`, from its outline): the
/// first error, if any. Each piece's tree is dropped, and proc-macro2 forgets every text parsed
/// on this thread, before the next piece is parsed.
pub(crate) fn check_parses(file: &SourceFile, piece_ends: &[usize]) -> Option<InputError> {
    let text = &*file.text;
    let mut start = 0;
    for end in piece_ends.iter().copied().chain([text.len()]) {
        let piece = text.get(start..end).unwrap_or("");
        // The first piece is parsed as the file's start: without its byte-order mark or shebang.
        let base = if start == 0 {
            stripped_len(text)
        } else {
            start
        };
        let error = syn::parse_file(piece)
            .err()
            .map(|error| parse_error(file, base, &error));
        proc_macro2::extra::invalidate_current_thread_spans();
        if error.is_some() {
            return error;
        }
        start = end;
    }
    None
}

/// A parse error of the text parsed from byte `base` of `file` on.
fn parse_error(file: &SourceFile, base: usize, error: &syn::Error) -> InputError {
    let bytes = error.span().byte_range();
    InputError {
        path: file.path.clone(),
        span: Some(bytes_span(file, base + bytes.start, base + bytes.end)),
        message: format!("cannot parse: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontend::scan::scan;
    use std::path::PathBuf;
    use std::sync::Arc;

    fn file(text: &str) -> SourceFile {
        SourceFile {
            path: PathBuf::from("src/gen.rs"),
            text: Arc::from(text),
        }
    }

    fn pieces_of(text: &str, piece_bytes: usize) -> Vec<usize> {
        scan(text, 100, piece_bytes).unwrap().piece_ends
    }

    #[test]
    fn pieces_end_at_top_level_items_never_inside_one() {
        let text =
            "const A: S = S { a: 1 };\nconst B: u8 = { 1 } + 2;\nconst C: u8 = { 3 } as u8;\n\
                    impl S { fn f() { g(); } }\n#[derive(Debug)]\nstruct T { t: u8 }\nfn h() {}\n";
        let ends = pieces_of(text, 1);
        let cut: Vec<&str> = ends.iter().map(|&end| &text[..end]).collect();
        for (prefix, expected) in cut.iter().zip([
            "const A: S = S { a: 1 };",
            "const B: u8 = { 1 } + 2;",
            "const C: u8 = { 3 } as u8;",
            "impl S { fn f() { g(); } }",
            "struct T { t: u8 }",
        ]) {
            assert!(prefix.ends_with(expected), "{prefix:?}");
        }
        assert_eq!(ends.len(), 5, "{cut:?}");
        for pair in [0]
            .iter()
            .chain(&ends)
            .zip(ends.iter().chain([&text.len()]))
        {
            assert!(syn::parse_file(&text[*pair.0..*pair.1]).is_ok());
        }
        assert!(pieces_of(text, text.len()).is_empty());
    }

    #[test]
    fn an_error_in_a_later_piece_is_reported_at_its_place_in_the_file() {
        let good = "fn f() -> u64 {\n    1\n}\n".repeat(10);
        let text = format!("\u{feff}{good}fn broken() {{\n    let = ;\n}}\n{good}");
        let ends = pieces_of(&text, 40);
        assert!(ends.len() > 3, "{ends:?}");
        let whole = parse_file(&file(&text)).unwrap_err();
        let pieces = check_parses(&file(&text), &ends).unwrap();
        proc_macro2::extra::invalidate_current_thread_spans();
        assert_eq!(pieces.span, whole.span);
        assert_eq!(pieces.message, whole.message);
        let span = pieces.span.unwrap();
        assert_eq!((span.line_start, span.column_start), (32, 9));
        assert!(check_parses(&file(&good.repeat(3)), &pieces_of(&good.repeat(3), 40)).is_none());
    }
}
