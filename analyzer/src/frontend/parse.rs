//! Parsing a file: whole, when its syntax tree is kept (the files of a modelled crate), or piece
//! by piece, when only whether it parses matters (every other file), so that one piece's tree at
//! a time is alive, whatever the file's size.
use super::outline::MAX_NESTING;
use super::scan::scan;
use super::span::{bytes_span, stripped_len};
use crate::diagnostic::{InputError, SourceFile};

/// Files are cut into pieces of whole top-level items at least this long (`scan::Scanned`). A
/// syntax tree takes up to some 150 times its source, so one piece's tree stays within about
/// 10 MiB, unless a single item is larger.
pub(crate) const PIECE_BYTES: usize = 64 << 10;

/// Parses a whole file, and says where it does not parse. When it does not, the top-level items
/// that parse on their own are still kept (a file of an old edition may hold one item the parser
/// does not read, such as a bare trait object `type F = Fn(u8) + Send;`): the items that do not
/// are blanked out, newlines kept, so every span stays where it was, and the rest is parsed.
/// proc-macro2 remembers the file (and every other parsed on this thread) until the caller lets
/// it forget them all.
pub(crate) fn parse_file(file: &SourceFile) -> (Option<syn::File>, Option<InputError>) {
    match syn::parse_file(&file.text) {
        Ok(ast) => (Some(ast), None),
        Err(error) => (
            parse_items_that_parse(&file.text),
            Some(parse_error(file, stripped_len(&file.text), &error)),
        ),
    }
}

/// The file with its top-level items that do not parse on their own blanked out, parsed; `None`
/// when no item alone fails, or the rest still does not parse.
fn parse_items_that_parse(text: &str) -> Option<syn::File> {
    let item_ends = scan(text, MAX_NESTING, 1).ok()?.piece_ends;
    let mut kept = text.as_bytes().to_vec();
    let mut blanked = false;
    let mut start = 0;
    for end in item_ends.into_iter().chain([text.len()]) {
        if syn::parse_file(text.get(start..end)?).is_err() {
            // Whole characters are replaced, so the text stays UTF-8 of the same length.
            for byte in &mut kept[start..end] {
                if !matches!(*byte, b'\n' | b'\r') {
                    *byte = b' ';
                }
            }
            blanked = true;
        }
        start = end;
    }
    let kept = String::from_utf8(kept).ok()?;
    blanked.then(|| syn::parse_file(&kept).ok()).flatten()
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
        let (kept, whole) = parse_file(&file(&text));
        let whole = whole.unwrap();
        // The broken function is left out, the twenty good ones kept.
        assert_eq!(kept.map(|ast| ast.items.len()), Some(20));
        let pieces = check_parses(&file(&text), &ends).unwrap();
        proc_macro2::extra::invalidate_current_thread_spans();
        assert_eq!(pieces.span, whole.span);
        assert_eq!(pieces.message, whole.message);
        let span = pieces.span.unwrap();
        assert_eq!((span.line_start, span.column_start), (32, 9));
        assert!(check_parses(&file(&good.repeat(3)), &pieces_of(&good.repeat(3), 40)).is_none());
    }
}
