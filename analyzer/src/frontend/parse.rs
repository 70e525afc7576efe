//! Parsing a file: piece by piece with its function bodies taken out (the files of a modelled
//! crate: the model parses a body when it walks it); whole, when a file of a modelled crate does
//! not parse that way (to say where, and keep the items that parse); or piece by piece, when only
//! whether it parses matters (every other file), so that one piece's tree at a time is alive,
//! whatever the file's size.
use super::bodies::{take_bodies, Taker};
use super::compact::KeptItems;
use super::outline::MAX_NESTING;
use super::scan::{plain_comments, scan};
use super::span::{bytes_span, stripped_len, SpanConverter};
use crate::diagnostic::{InputError, SourceFile, Span};
use proc_macro2::TokenStream;
use std::str::FromStr;
use syn::parse::{ParseStream, Parser};

/// Files are cut into pieces of whole top-level items at least this long (`scan::Scanned`). A
/// syntax tree takes up to some 150 times its source, so one piece's tree stays within about
/// 10 MiB, unless a single item is larger.
pub(crate) const PIECE_BYTES: usize = 64 << 10;

/// A file of a modelled crate that does not parse with its function bodies apart is parsed whole
/// up to this size (which says where and keeps the items that parse), and item by item above
/// ([`parse_item_by_item`]): a whole tree takes some sixty times its source, so this bounds what
/// one such file adds to the run's peak memory.
pub(crate) const MAX_WHOLE_BYTES: usize = 4 << 20;

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

/// A file of a modelled crate, as its parse reads it.
pub(crate) struct ModelledFile<'f> {
    pub file: &'f SourceFile,
    pub converter: &'f SpanConverter<'f>,
    /// Where it is cut into pieces to lex (see [`lexed_piece_ends`]).
    pub ends: &'f [usize],
    /// Its doc comments, read as plain comments (see `scan::plain_comments`).
    pub doc_markers: &'f [u32],
}

/// Parses a file of a modelled crate with its function bodies given to `taker` (see `bodies`),
/// piece by piece (cut at its `ends`, ends of top-level items), each piece's tree compacted
/// into `kept` before the next is lexed. `None` when the file does not parse so (when one of
/// its items does not parse, or a body was taken from where no function stands).
pub(crate) fn parse_taking_bodies(
    input: &ModelledFile<'_>,
    taker: &mut Taker<'_>,
    kept: &mut KeptItems,
) -> Option<syn::File> {
    let (converter, ends) = (input.converter, input.ends);
    let text = &*plain_comments(&input.file.text, input.doc_markers);
    let mut ast = file_of(Vec::new());
    for (start, end) in pieces(ends, text.len()) {
        let tokens = lex_piece(text, converter, start, end)?;
        let mut piece = parse_apart(tokens, start == 0, converter, taker)?;
        kept.compact_file(&mut piece);
        append(&mut ast, piece);
    }
    Some(ast)
}

/// Parses a file of a modelled crate item by item, bodies taken out, keeping every top-level
/// item that parses with its bodies and leaving out the others, as [`parse_file`] does, but
/// with one lexed piece's tokens and one item's tree alive at a time (a file too large to be
/// parsed whole). The error is the file's first, in file order, with the text and the place a
/// whole parse gives it; a piece that does not even lex is left out whole, reported at its first
/// error.
pub(crate) fn parse_item_by_item(
    input: &ModelledFile<'_>,
    taker: &mut Taker<'_>,
    kept: &mut KeptItems,
) -> (syn::File, Option<InputError>) {
    let (file, converter, ends) = (input.file, input.converter, input.ends);
    let text = &*plain_comments(&file.text, input.doc_markers);
    let mut ast = file_of(Vec::new());
    let mut first_error = None;
    for (start, end) in pieces(ends, text.len()) {
        let Some(tokens) = lex_piece(text, converter, start, end) else {
            // Where a whole parse would say it does not lex.
            let base = parsed_from(text, start);
            if let Some(Err(error)) = text.get(base..end).map(syn::parse_file) {
                first_error.get_or_insert_with(|| parse_error(file, base, &error));
            }
            continue;
        };
        let item_ends = scan(&text[start..end], MAX_NESTING, 1)
            .map(|scanned| scanned.piece_ends)
            .unwrap_or_default();
        for (at, chunk) in item_chunks(tokens, &item_ends, start, converter)
            .into_iter()
            .enumerate()
        {
            // The file's inner attributes come before its first item, nowhere else.
            let first = start == 0 && at == 0;
            match parse_item(chunk, first, converter, taker, kept) {
                Ok(items) => append(&mut ast, items),
                Err(error) => {
                    first_error.get_or_insert_with(|| {
                        cannot_parse(file, converter.span(error.span()), &error)
                    });
                }
            }
        }
    }
    (ast, first_error)
}

/// The top-level tokens of a lexed piece starting at byte `start`, cut into its items at
/// `item_ends` (byte offsets from `start`).
fn item_chunks(
    tokens: TokenStream,
    item_ends: &[usize],
    start: usize,
    converter: &SpanConverter<'_>,
) -> Vec<TokenStream> {
    let mut chunks = Vec::new();
    let mut chunk = Vec::new();
    let mut ends = item_ends.iter().map(|end| start + end).peekable();
    for token in tokens {
        let at = converter.bytes(token.span()).start;
        if ends.next_if(|&end| end <= at).is_some() {
            while ends.next_if(|&end| end <= at).is_some() {}
            if !chunk.is_empty() {
                chunks.push(std::mem::take(&mut chunk).into_iter().collect());
            }
        }
        chunk.push(token);
    }
    if !chunk.is_empty() {
        chunks.push(chunk.into_iter().collect());
    }
    chunks
}

/// One item (with the file's inner attributes, when `first`) parsed with its bodies taken out
/// (each parsed as it is taken: one that does not parse stays in the item) and compacted; the
/// item's error, its bodies given back.
fn parse_item(
    tokens: TokenStream,
    first: bool,
    converter: &SpanConverter<'_>,
    taker: &mut Taker<'_>,
    kept: &mut KeptItems,
) -> syn::Result<syn::File> {
    let taken = taker.taken;
    let mut item = match parse_apart(tokens.clone(), first, converter, taker) {
        Some(item) => item,
        None => {
            // Parsed as written, bodies included: the split may have misread the item, and the
            // error is then the one a whole parse gives.
            taker.give_back_since(taken);
            parse_piece(tokens, first)?
        }
    };
    kept.compact_file(&mut item);
    Ok(item)
}

/// A piece (or item) parsed with its function bodies given to `taker`; `None` when it does not
/// parse so, or a body was taken from where no function stands (the split misread it).
fn parse_apart(
    tokens: TokenStream,
    first: bool,
    converter: &SpanConverter<'_>,
    taker: &mut Taker<'_>,
) -> Option<syn::File> {
    let taken = taker.taken;
    let piece = parse_piece(take_bodies(tokens, taker, converter, true), first).ok()?;
    (placeholders(&piece.items, taker) == taker.taken - taken).then_some(piece)
}

/// The tokens of the piece of the file from byte `start` to `end` (the file's start, when
/// `start` is 0, as `syn::parse_file` lexes it: without its byte-order mark or shebang), with
/// the file's lines and columns.
fn lex_piece(
    text: &str,
    converter: &SpanConverter<'_>,
    start: usize,
    end: usize,
) -> Option<TokenStream> {
    if start == 0 {
        return lex(text.get(stripped_len(text)..end)?, 0, 0);
    }
    let (line, column) = converter.position(start);
    lex(text.get(start..end)?, line - 1, column)
}

/// A piece's items, with the file's inner attributes when it is the `first`.
fn parse_piece(tokens: TokenStream, first: bool) -> syn::Result<syn::File> {
    if first {
        return syn::parse2::<syn::File>(tokens);
    }
    items.parse2(tokens).map(file_of)
}

/// A tree of `items` alone.
fn file_of(items: Vec<syn::Item>) -> syn::File {
    syn::File {
        shebang: None,
        attrs: Vec::new(),
        items,
    }
}

/// A piece's inner attributes and items added to the file's tree (only the first piece has inner
/// attributes).
fn append(ast: &mut syn::File, mut piece: syn::File) {
    ast.attrs.append(&mut piece.attrs);
    ast.items.append(&mut piece.items);
}

/// The pieces of a text of `len` bytes cut at `ends`, as (start, end) byte ranges.
fn pieces(ends: &[usize], len: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
    let starts = std::iter::once(0).chain(ends.iter().copied());
    starts.zip(ends.iter().copied().chain([len]))
}

/// Where syn starts reading the piece of `text` that starts at byte `start`: the file's start
/// is read without its byte-order mark or shebang, as `syn::parse_file` reads it.
fn parsed_from(text: &str, start: usize) -> usize {
    if start == 0 {
        stripped_len(text)
    } else {
        start
    }
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

/// How many functions of `items` (and of their modules, impls and traits) have a taken body,
/// or were taken whole.
fn placeholders(items: &[syn::Item], taker: &Taker<'_>) -> usize {
    let count = |block: &syn::Block| usize::from(taker.took(block));
    items
        .iter()
        .map(|item| match item {
            syn::Item::Fn(f) => count(&f.block),
            syn::Item::Macro(m) => taker.taken_items(m).map_or(0, |run| run.len()),
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
    for (start, end) in pieces(&item_ends, text.len()) {
        if syn::parse_file(text.get(start..end)?).is_err() {
            // Whole characters are replaced, so the text stays UTF-8 of the same length.
            for byte in &mut kept[start..end] {
                if !matches!(*byte, b'\n' | b'\r') {
                    *byte = b' ';
                }
            }
            blanked = true;
        }
    }
    let kept = String::from_utf8(kept).ok()?;
    blanked.then(|| syn::parse_file(&kept).ok()).flatten()
}

/// Whether a file parses, checked piece by piece (cut at `piece_ends`, from its outline): the
/// first error, if any. Each piece's tree is dropped, and proc-macro2 forgets every text parsed
/// on this thread, before the next piece is parsed.
pub(crate) fn check_parses(file: &SourceFile, piece_ends: &[usize]) -> Option<InputError> {
    let text = &*file.text;
    for (start, end) in pieces(piece_ends, text.len()) {
        let piece = text.get(start..end).unwrap_or("");
        let base = parsed_from(text, start);
        let error = syn::parse_file(piece)
            .err()
            .map(|error| parse_error(file, base, &error));
        proc_macro2::extra::invalidate_current_thread_spans();
        if error.is_some() {
            return error;
        }
    }
    None
}

/// A parse error of the text parsed from byte `base` of `file` on.
fn parse_error(file: &SourceFile, base: usize, error: &syn::Error) -> InputError {
    let bytes = error.span().byte_range();
    cannot_parse(
        file,
        bytes_span(file, base + bytes.start, base + bytes.end),
        error,
    )
}

/// The input error of a syntax error of `file`, at `span`.
fn cannot_parse(file: &SourceFile, span: Span, error: &syn::Error) -> InputError {
    InputError {
        path: file.path.clone(),
        span: Some(span),
        message: format!("cannot parse: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontend::bodies::{Bodies, Body, Sig, TakenKind};
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

    /// What `parse` makes of `text` with a body taker that knows the crate macros `names`, and
    /// the bodies it took.
    fn taking<T>(
        text: &str,
        names: &[&str],
        ends: &[usize],
        parse: impl FnOnce(&ModelledFile<'_>, &mut Taker<'_>) -> T,
    ) -> (T, Bodies) {
        let source = file(text);
        let lines = LineStarts::of(text);
        let converter = SpanConverter::new(&source, &lines);
        let mut bodies = Bodies::default();
        let names: HashSet<&str> = names.iter().copied().collect();
        let input = ModelledFile {
            file: &source,
            converter: &converter,
            ends,
            doc_markers: &[],
        };
        let made = parse(&input, &mut bodies.taker(0, &source.text, &names, false));
        (made, bodies)
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

    /// The signature and the block of every function of `items`, in order: those taken whole
    /// from `bodies`, where their marker stands, and every block as the model reads it.
    fn functions<'a>(
        items: &'a [syn::Item],
        bodies: &'a Bodies,
    ) -> Vec<(&'a syn::Signature, &'a syn::Block)> {
        let body = |block: &'a syn::Block| bodies.body(0, block).block();
        let mut out = Vec::new();
        for item in items {
            match item {
                syn::Item::Fn(f) => out.push((&f.sig, body(&f.block))),
                syn::Item::Macro(m) => {
                    for index in bodies.taken_items(m).unwrap() {
                        out.push((
                            Sig::Taken(bodies, index).get(),
                            Body::Taken(bodies, index).block(),
                        ));
                    }
                }
                syn::Item::Mod(m) => {
                    out.extend(m.content.iter().flat_map(|(_, i)| functions(i, bodies)))
                }
                syn::Item::Impl(i) => out.extend(i.items.iter().filter_map(|item| match item {
                    syn::ImplItem::Fn(f) => Some((&f.sig, body(&f.block))),
                    _ => None,
                })),
                syn::Item::Trait(t) => out.extend(t.items.iter().filter_map(|item| match item {
                    syn::TraitItem::Fn(f) => Some((&f.sig, body(f.default.as_ref()?))),
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
        let no_bodies = Bodies::default();
        for (sig, block) in functions(&whole.items, &no_bodies) {
            positions(sig.to_token_stream(), &mut expected);
            positions(block.to_token_stream(), &mut expected);
        }
        let ends = pieces_of(text, 1);
        assert!(ends.len() >= 6, "{ends:?}");
        let (ast, bodies) = taking(text, &[], &ends, |input, taker| {
            let ast = parse_taking_bodies(input, taker, &mut KeptItems::default()).unwrap();
            assert_eq!(taker.taken, 6);
            ast
        });
        let mut found = Vec::new();
        for (sig, block) in functions(&ast.items, &bodies) {
            positions(sig.to_token_stream(), &mut found);
            positions(block.to_token_stream(), &mut found);
        }
        assert_eq!(found, expected);
    }

    #[test]
    fn a_function_is_taken_whole_unless_something_reads_it_before_the_model() {
        let text = "fn a() { fn inner() {} }\nfn b() { take!(A); }\nfn c() { other!(A); }\n\
                    fn d() { let p: *const u8 = q; }\nfn e() { #![allow(x)] }\n\
                    #[inline]\nfn f() { x(); }\n/// Docs.\npub(crate) fn g() { x(); }\n\
                    fn h() -> take!() { x(); }\n#[derive(Debug)]\nstruct S {\n    a: u8,\n}\n\
                    struct T(u8);\nstruct U {\n    a: take!(),\n}\n";
        let ((in_tree, whole), bodies) = taking(text, &["take"], &[], |input, taker| {
            let ast = parse_taking_bodies(input, taker, &mut KeptItems::default()).unwrap();
            let mut in_tree = Vec::new();
            let mut whole = Vec::new();
            for item in &ast.items {
                match item {
                    syn::Item::Fn(f) => {
                        in_tree.push((f.sig.ident.to_string(), taker.took(&f.block)))
                    }
                    syn::Item::Struct(s) => in_tree.push((s.ident.to_string(), false)),
                    syn::Item::Macro(m) => whole.extend(taker.taken_items(m).unwrap()),
                    _ => {}
                }
            }
            (in_tree, whole)
        });
        let pairs = |list: &[(&str, bool)]| -> Vec<(String, bool)> {
            list.iter().map(|&(n, b)| (n.to_owned(), b)).collect()
        };
        // Its body is taken when only its signature or attributes are read first.
        assert_eq!(
            in_tree,
            pairs(&[
                ("a", false),
                ("b", false),
                ("e", false),
                ("f", true),
                ("h", true),
                ("T", false),
                ("U", false)
            ])
        );
        let kinds: Vec<(String, TakenKind)> = whole
            .iter()
            .map(|&i| bodies.taken(i).map(|f| (f.name.clone(), f.kind)).unwrap())
            .collect();
        let fun = |public| TakenKind::Fn { public };
        assert_eq!(
            kinds,
            [
                ("c".to_owned(), fun(false)),
                ("d".to_owned(), fun(false)),
                ("g".to_owned(), fun(true)),
                ("S".to_owned(), TakenKind::Struct)
            ]
        );
        let fields: Vec<String> = bodies
            .fields(whole[3])
            .iter()
            .map(|f| f.to_token_stream().to_string())
            .collect();
        assert_eq!(fields, ["a : u8"]);
    }

    /// The error and the kept items' names of `text` parsed item by item.
    fn by_item(text: &str) -> (Option<InputError>, Vec<String>) {
        let ((ast, error), bodies) = taking(text, &[], &pieces_of(text, 100), |input, taker| {
            let (ast, error) = parse_item_by_item(input, taker, &mut KeptItems::default());
            assert_eq!(placeholders(&ast.items, taker), taker.taken);
            (ast, error)
        });
        (error, names_of(&ast.items, &bodies))
    }

    fn names_of(items: &[syn::Item], bodies: &Bodies) -> Vec<String> {
        items
            .iter()
            .flat_map(|item| match item {
                syn::Item::Fn(f) => vec![f.sig.ident.to_string()],
                syn::Item::Macro(m) => bodies
                    .taken_items(m)
                    .unwrap()
                    .map(|i| bodies.taken(i).unwrap().name.clone())
                    .collect(),
                syn::Item::Impl(i) => vec![i.self_ty.to_token_stream().to_string()],
                syn::Item::Struct(s) => vec![s.ident.to_string()],
                _ => vec!["other".to_owned()],
            })
            .collect()
    }

    #[test]
    fn item_by_item_a_file_keeps_what_a_whole_parse_keeps_and_says_the_same() {
        let good = |n: usize| format!("fn good{n}() -> u64 {{\n    let x = {n};\n    x + 1\n}}\n");
        let goods = |from: usize| (from..from + 6).map(good).collect::<String>();
        let body = format!(
            "#![allow(x)]\n{}fn broken() {{\n    let = ;\n}}\n{}impl S {{\n    fn m(&self) {{ let é = ; }}\n}}\n\
             {}struct T {{ t: }}\n{}",
            goods(0),
            goods(6),
            goods(12),
            goods(18)
        );
        let later = format!("{}struct T {{ t: }}\n{}", goods(0), goods(6));
        let unlexed = format!("{}fn f() {{ ) }}\n{}", goods(0), goods(6));
        let texts = [(body, true), (later, true), (unlexed, false)];
        for (text, lexes) in texts
            .into_iter()
            .chain([(format!("\u{feff}{}", goods(0)), true)])
        {
            let (whole_tree, whole_error) = parse_file(&file(&text));
            proc_macro2::extra::invalidate_current_thread_spans();
            let (error, names) = by_item(&text);
            proc_macro2::extra::invalidate_current_thread_spans();
            assert_eq!(
                error.as_ref().map(|e| (&e.span, &e.message)),
                whole_error.as_ref().map(|e| (&e.span, &e.message)),
                "{text}"
            );
            if !lexes {
                // A piece that does not lex is left out whole.
                assert!(names.len() < 12, "{names:?}");
            } else {
                let kept = whole_tree
                    .as_ref()
                    .map_or(Vec::new(), |t| names_of(&t.items, &Bodies::default()));
                assert_eq!(names, kept, "{text}");
            }
        }
    }
}
