//! Parsing a file: piece by piece with its function bodies taken out (the files of a modelled
//! crate: the model parses a body when it walks it); whole, when a file of a modelled crate does
//! not parse that way (to say where, and keep the items that parse); or piece by piece, when only
//! whether it parses matters (every other file), so that one piece's tree at a time is alive,
//! whatever the file's size.
use super::bodies::{take_bodies, Taker};
use super::compact::KeptConsts;
use super::outline::MAX_NESTING;
use super::scan::scan;
use super::span::{bytes_span, stripped_len, SpanConverter};
use crate::diagnostic::{InputError, SourceFile};
use proc_macro2::TokenStream;
use std::str::FromStr;
use syn::parse::{ParseStream, Parser};

/// Files are cut into pieces of whole top-level items at least this long (`scan::Scanned`). A
/// syntax tree takes up to some 150 times its source, so one piece's tree stays within about
/// 10 MiB, unless a single item is larger.
pub(crate) const PIECE_BYTES: usize = 64 << 10;

/// A file of a modelled crate is lexed in pieces of at least this many bytes, and of at least
/// an eighth of the file. Each piece but the first is lexed behind as many newlines and spaces
/// as the file has before it, so that its tokens' lines and columns are the file's: the cost of
/// that padding grows with the number of pieces, the tokens alive at once with their size.
pub(crate) const LEXED_PIECE_BYTES: usize = 1 << 20;

/// Where a file of `len` bytes is cut into pieces to lex (see [`LEXED_PIECE_BYTES`]), among the
/// ends of its outline's pieces.
pub(crate) fn lexed_piece_ends(piece_ends: &[usize], len: usize) -> Vec<usize> {
    let least = LEXED_PIECE_BYTES.max(len / 8);
    let mut ends = Vec::new();
    for &end in piece_ends {
        if end - ends.last().copied().unwrap_or(0) >= least {
            ends.push(end);
        }
    }
    ends
}

/// Parses a file of a modelled crate with its function bodies given to `taker` (see `bodies`),
/// piece by piece (cut at `ends`, ends of top-level items), each piece's tree compacted into
/// `kept` before the next is lexed. `None` when the file does not parse so (when one of its
/// items does not parse, or a body was taken from where no function stands).
pub(crate) fn parse_taking_bodies(
    file: &SourceFile,
    converter: &SpanConverter<'_>,
    ends: &[usize],
    taker: &mut Taker<'_>,
    kept: &mut KeptConsts,
) -> Option<syn::File> {
    let text = &*file.text;
    let mut ast = syn::File {
        shebang: None,
        attrs: Vec::new(),
        items: Vec::new(),
    };
    let mut start = 0;
    for end in ends.iter().copied().chain([text.len()]) {
        let taken = taker.taken;
        let mut piece = if start == 0 {
            // As `syn::parse_file` lexes a file: without its byte-order mark or shebang.
            let tokens = lex(text.get(stripped_len(text)..end)?, 0, 0)?;
            syn::parse2::<syn::File>(take_bodies(tokens, taker, converter)).ok()?
        } else {
            let (line, column) = converter.position(start);
            let tokens = lex(text.get(start..end)?, line - 1, column)?;
            let items = items.parse2(take_bodies(tokens, taker, converter)).ok()?;
            syn::File {
                shebang: None,
                attrs: Vec::new(),
                items,
            }
        };
        if placeholders(&piece.items, taker) != taker.taken - taken {
            return None;
        }
        kept.compact_file(&mut piece);
        if start == 0 {
            ast.attrs = piece.attrs;
        }
        ast.items.append(&mut piece.items);
        start = end;
    }
    Some(ast)
}

/// The tokens of `text` lexed behind `lines` newlines and `columns` spaces.
fn lex(text: &str, lines: usize, columns: usize) -> Option<TokenStream> {
    if lines == 0 && columns == 0 {
        return TokenStream::from_str(text).ok();
    }
    let mut padded = String::with_capacity(lines + columns + text.len());
    padded.extend(std::iter::repeat_n('\n', lines));
    padded.extend(std::iter::repeat_n(' ', columns));
    padded.push_str(text);
    TokenStream::from_str(&padded).ok()
}

/// Items, to the end of the input (what a file holds after its inner attributes).
fn items(input: ParseStream<'_>) -> syn::Result<Vec<syn::Item>> {
    let mut items = Vec::new();
    while !input.is_empty() {
        items.push(input.parse()?);
    }
    Ok(items)
}

/// How many functions of `items` (and of their modules, impls and traits) have a taken body.
fn placeholders(items: &[syn::Item], taker: &Taker<'_>) -> usize {
    let count = |block: &syn::Block| usize::from(taker.took(block));
    items
        .iter()
        .map(|item| match item {
            syn::Item::Fn(f) => count(&f.block),
            syn::Item::Mod(m) => m
                .content
                .as_ref()
                .map_or(0, |(_, items)| placeholders(items, taker)),
            syn::Item::Impl(i) => i
                .items
                .iter()
                .map(|item| match item {
                    syn::ImplItem::Fn(f) => count(&f.block),
                    _ => 0,
                })
                .sum(),
            syn::Item::Trait(t) => t
                .items
                .iter()
                .map(|item| match item {
                    syn::TraitItem::Fn(f) => f.default.as_ref().map_or(0, count),
                    _ => 0,
                })
                .sum(),
            _ => 0,
        })
        .sum()
}

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
    use crate::frontend::bodies::Bodies;
    use crate::frontend::span::LineStarts;
    use proc_macro2::{LineColumn, TokenTree};
    use quote::ToTokens;
    use std::collections::HashSet;
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

    /// Where every token of `tokens` starts and ends, a group's before its content's.
    fn positions(tokens: TokenStream, out: &mut Vec<(String, LineColumn, LineColumn)>) {
        for token in tokens {
            let (start, end) = (token.span().start(), token.span().end());
            match token {
                TokenTree::Group(group) => {
                    out.push(("group".to_owned(), start, end));
                    positions(group.stream(), out);
                }
                token => out.push((token.to_string(), start, end)),
            }
        }
    }

    /// The signature and the block of every function of `items`, in order.
    fn functions(items: &[syn::Item]) -> Vec<(&syn::Signature, &syn::Block)> {
        let mut out = Vec::new();
        for item in items {
            match item {
                syn::Item::Fn(f) => out.push((&f.sig, &*f.block)),
                syn::Item::Mod(m) => out.extend(m.content.iter().flat_map(|(_, i)| functions(i))),
                syn::Item::Impl(i) => out.extend(i.items.iter().filter_map(|item| match item {
                    syn::ImplItem::Fn(f) => Some((&f.sig, &f.block)),
                    _ => None,
                })),
                syn::Item::Trait(t) => out.extend(t.items.iter().filter_map(|item| match item {
                    syn::TraitItem::Fn(f) => Some((&f.sig, f.default.as_ref()?)),
                    _ => None,
                })),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn bodies_taken_from_a_file_in_pieces_parse_with_the_file_s_positions() {
        let text = "\u{feff}use std::sync::Mutex; fn zero() { a(); }\n\
                    const C: u8 = 1; fn first() -> Foo<{ N }> { let s = \"é\"; call(s); }\n\
                    impl S {\n    /// M.\n    pub(crate) fn m(&self) {\n        self.0.lock().unwrap();\n    }\n}\n\
                    trait T { fn t(&self) { x!(1) } fn u(&self); }\n\
                    mod inner { fn deep() { /* ü */ y(); } }\nfn last() { z() }\n";
        let whole = syn::parse_file(text).unwrap();
        let mut expected = Vec::new();
        for (sig, block) in functions(&whole.items) {
            positions(sig.to_token_stream(), &mut expected);
            positions(block.to_token_stream(), &mut expected);
        }
        for as_text in [false, true] {
            let source = file(text);
            let lines = LineStarts::of(text);
            let converter = SpanConverter::new(&source, &lines);
            let mut bodies = Bodies::default();
            let names = HashSet::new();
            let mut taker = bodies.taker(0, &source.text, as_text, &names);
            let ends = pieces_of(text, 1);
            assert!(ends.len() >= 6, "{ends:?}");
            let ast = parse_taking_bodies(
                &source,
                &converter,
                &ends,
                &mut taker,
                &mut KeptConsts::default(),
            )
            .unwrap();
            assert_eq!(taker.taken, 6);
            let mut found = Vec::new();
            for (sig, block) in functions(&ast.items) {
                positions(sig.to_token_stream(), &mut found);
                let body = bodies.body(0, block).block();
                positions(body.to_token_stream(), &mut found);
            }
            assert_eq!(found, expected, "bodies kept as text: {as_text}");
        }
    }

    #[test]
    fn a_body_declaring_an_item_or_invoking_a_crate_macro_stays_in_the_tree() {
        let text = "fn a() { fn inner() {} }\nfn b() { take!(A); }\nfn c() { other!(A); }\n\
                    fn d() { let p: *const u8 = q; }\nfn e() { #![allow(x)] }\n";
        let source = file(text);
        let lines = LineStarts::of(text);
        let converter = SpanConverter::new(&source, &lines);
        let mut bodies = Bodies::default();
        let names = HashSet::from(["take"]);
        let mut taker = bodies.taker(0, &source.text, false, &names);
        let ast = parse_taking_bodies(
            &source,
            &converter,
            &[],
            &mut taker,
            &mut KeptConsts::default(),
        )
        .unwrap();
        let taken: Vec<bool> = functions(&ast.items)
            .into_iter()
            .map(|(_, block)| taker.took(block))
            .collect();
        assert_eq!(taken, [false, false, true, true, false]);
    }
}
