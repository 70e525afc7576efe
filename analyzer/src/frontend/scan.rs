//! A lexical pass over a file's bytes, run before it is parsed: the crate structure (its
//! out-of-line `mod` items) and the file's deepest bracket nesting, without building a syntax
//! tree. Crates are grouped from this alone, so each file is parsed once, on the thread that
//! models its crate; and a file nested too deeply for the parser's recursion is refused here
//! instead of overflowing a stack.
//!
//! The lexer skips comments and every kind of literal, so brackets or `mod` inside them never
//! count. It never fails: malformed input only makes it see fewer items (the parse reports it).
//! The same lexer tells which function bodies the model alone reads ([`read_before_model`]), and
//! where the doc comments are, which a modelled crate's parse reads as plain comments
//! ([`plain_comments`]).

use std::borrow::Cow;
use std::collections::HashSet;

/// An out-of-line `mod name;` item, with where it sits in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ModDecl {
    /// The inline modules (`mod a { mod b { … } }`) enclosing the declaration, outermost first.
    pub inline_path: Vec<String>,
    pub name: String,
    /// The value of a `#[path = "…"]` attribute on the item.
    pub path_attr: Option<String>,
}

/// What the scan of a file found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Scanned {
    pub mods: Vec<ModDecl>,
    /// Byte offsets at which the file can be cut into pieces that each parse on their own: ends
    /// of top-level items, each at least `piece_bytes` past the previous one (none in a file
    /// smaller than that). The last piece runs to the end of the file.
    pub piece_ends: Vec<usize>,
    /// The names of the `macro_rules!` macros the file defines, anywhere in it.
    pub macro_names: Vec<String>,
    /// Where each doc comment outside the tokens of a macro call (`name!(…)`, which may match
    /// it) has the byte that makes it one (see [`plain_comments`]).
    pub doc_markers: Vec<u32>,
}

/// A file nested deeper than the limit: the byte offset of the bracket or operator past it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooDeep(pub usize);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'t> {
    Ident(&'t str),
    Str(&'t str),
    Open(u8),
    Close,
    Punct(u8),
    /// Any other literal, a lifetime.
    Other,
}

/// Where a `mod` item or a `#[path = "…"]` attribute is in its tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item<'t> {
    None,
    /// `mod`, then `mod name`.
    Mod(Option<&'t str>),
    /// `#`, `#[`, `#[path`, `#[path =`, `#[path = "…"`.
    Attr(u8, Option<&'t str>),
}

/// The out-of-line `mod` items of a file, unless its nesting exceeds `max_depth`. Nesting counts
/// what a syntax tree nests and a walk of it recurses through: open brackets (`(`, `[`, `{`),
/// unary operators in a row (`!!!!x` nests as `(((x)))` does), and the operators and `.`s of
/// one expression chained at each bracket level (`a.b().c()` and `a + b + c` nest to the left).
/// A top-level item ends at its `;` or at the `}` of its body, unless what follows continues it
/// (`const C: S = S { a: 1 };`, `… } as T;`).
pub(crate) fn scan(text: &str, max_depth: usize, piece_bytes: usize) -> Result<Scanned, TooDeep> {
    let mut mods = Vec::new();
    let mut piece_ends = Vec::new();
    // A `}` ending a top-level item, until the next token says whether it does.
    let mut closed_item: Option<usize> = None;
    // Per open bracket: the inline module it is the body of, if it is one.
    let mut open: Vec<Option<String>> = Vec::new();
    // Per bracket level (the outermost first): operators chained since the last `;`, `,`,
    // `{` or `}` at that level; and their sum.
    let mut chains: Vec<usize> = vec![0];
    let mut chained = 0usize;
    let mut item = Item::None;
    let mut pending_path: Option<String> = None;
    let mut unary_run = 0usize;
    let mut previous_operand = false;
    let mut macro_names = Vec::new();
    // The two tokens before this one, for `macro_rules ! name`.
    let mut before: [Option<Token<'_>>; 2] = [None, None];
    // Per open bracket: whether it opens a macro call's tokens (`name!(…)`), where a doc
    // comment is input to the macro, which may match it: such comments stay doc comments.
    let mut macro_calls: Vec<bool> = Vec::new();
    let mut inside_calls = 0usize;
    let mut lexer = Lexer::new(text);
    let mut doc_markers_kept = 0;
    while let Some((start, token)) = lexer.next_token() {
        if inside_calls > 0 {
            lexer.doc_markers.truncate(doc_markers_kept);
        }
        if let (Token::Ident(name), [Some(Token::Ident("macro_rules")), Some(Token::Punct(b'!'))]) =
            (token, before)
        {
            macro_names.push(name.to_owned());
        }
        match token {
            Token::Open(_) => {
                let call = matches!(before, [Some(Token::Ident(_)), Some(Token::Punct(b'!'))]);
                macro_calls.push(call);
                inside_calls += usize::from(call);
            }
            Token::Close => {
                inside_calls -= usize::from(macro_calls.pop().unwrap_or(false));
            }
            _ => {}
        }
        doc_markers_kept = lexer.doc_markers.len();
        before = [before[1], Some(token)];
        if open.is_empty() {
            let continued = matches!(token, Token::Punct(b) if b != b'#')
                || matches!(token, Token::Ident("as"));
            let end = match token {
                Token::Punct(b';') => Some(lexer.at),
                _ => closed_item.take().filter(|_| !continued),
            };
            let last = piece_ends.last().copied().unwrap_or(0);
            if let Some(end) = end.filter(|&end| end - last >= piece_bytes) {
                piece_ends.push(end);
            }
            closed_item = None;
        }
        let at_item_level = open.iter().all(Option::is_some);
        // Inside the brackets of an attribute being recognized (`#[path = "…"]`).
        let in_attribute = matches!(item, Item::Attr(1.., _));
        // A run of prefix operators (`!!!!x`, `&&&x`, `- - -x`) nests the parse as brackets do.
        let prefix = matches!(token, Token::Punct(b'!' | b'-' | b'*' | b'&')) && !previous_operand;
        unary_run = if prefix { unary_run + 1 } else { 0 };
        previous_operand = matches!(
            token,
            Token::Ident(_) | Token::Str(_) | Token::Close | Token::Other
        );
        let level = chains
            .last_mut()
            .expect("the outermost level is never closed");
        match token {
            Token::Punct(b';' | b',') | Token::Open(b'{') | Token::Close => {
                chained -= *level;
                *level = 0;
            }
            Token::Punct(b'.' | b'?' | b'+' | b'-' | b'*' | b'/' | b'%' | b'^' | b'|' | b'&')
            | Token::Punct(b'<' | b'>' | b'=' | b'!')
                if !prefix =>
            {
                *level += 1;
                chained += 1;
            }
            _ => {}
        }
        let depth = open.len() + unary_run + chained + usize::from(matches!(token, Token::Open(_)));
        if depth > max_depth {
            return Err(TooDeep(start));
        }
        if at_item_level || in_attribute {
            item = next_item(item, token, &mut pending_path, &open, &mut mods);
        }
        match token {
            Token::Open(_) => chains.push(0),
            Token::Close if chains.len() > 1 => chained -= chains.pop().unwrap_or(0),
            _ => {}
        }
        match token {
            Token::Open(b'{') => {
                let module = match item {
                    Item::Mod(Some(name)) => Some(name.to_owned()),
                    _ => None,
                };
                open.push(module.filter(|_| at_item_level));
                if at_item_level {
                    item = Item::None;
                }
            }
            Token::Open(_) => open.push(None),
            Token::Close => {
                let closed = open.pop().is_some();
                if closed && open.is_empty() && text.as_bytes()[start] == b'}' {
                    closed_item = Some(lexer.at);
                }
            }
            _ => {}
        }
    }
    Ok(Scanned {
        mods,
        piece_ends,
        macro_names,
        doc_markers: lexer.doc_markers,
    })
}

/// Words that start an item inside a function body. `union` and `const` also have other uses,
/// told apart by their neighbours (`union Name`, `*const T`).
pub(crate) const ITEM_WORDS: [&str; 14] = [
    "fn",
    "struct",
    "enum",
    "union",
    "static",
    "const",
    "impl",
    "trait",
    "type",
    "mod",
    "use",
    "macro_rules",
    "extern",
    "macro",
];

/// Whether a function body (its text, braces included) holds what is read before the model
/// walks it: an item it declares (the item index reads those), a macro it defines or invokes of
/// `macro_names` (the crate's own, which the expansion rewrites), or inner attributes (its
/// function's). Errs on the side of yes: an item word in any use (`fn(u8)`, `impl Trait`) counts.
pub(crate) fn read_before_model(text: &str, macro_names: &HashSet<&str>) -> bool {
    if text.contains("//!") || text.contains("/*!") {
        return true;
    }
    let mut lexer = Lexer::new(text);
    let mut before: [Option<Token<'_>>; 2] = [None, None];
    let mut count = 0;
    while let Some((_, token)) = lexer.next_token() {
        count += 1;
        let early = match (before, token) {
            // `{ #![…]` at the body's start
            ([Some(Token::Open(b'{')), Some(Token::Punct(b'#'))], Token::Punct(b'!')) => count == 3,
            ([_, Some(Token::Ident(name))], Token::Punct(b'!')) => macro_names.contains(name),
            ([_, Some(Token::Ident("union"))], Token::Ident(_)) => true,
            ([_, Some(Token::Punct(b'*'))], Token::Ident("const")) => false,
            (_, Token::Ident(word)) => word != "union" && ITEM_WORDS.contains(&word),
            _ => false,
        };
        if early {
            return true;
        }
        before = [before[1], Some(token)];
    }
    false
}

/// Advances the recognition of `mod` items and `#[path]` attributes at item level by one token.
fn next_item<'t>(
    item: Item<'t>,
    token: Token<'t>,
    pending_path: &mut Option<String>,
    open: &[Option<String>],
    mods: &mut Vec<ModDecl>,
) -> Item<'t> {
    match (item, token) {
        (Item::Mod(None), Token::Ident(name)) => Item::Mod(Some(name)),
        (Item::Mod(Some(name)), Token::Punct(b';')) => {
            mods.push(ModDecl {
                inline_path: open.iter().flatten().cloned().collect(),
                name: name.to_owned(),
                path_attr: pending_path.take(),
            });
            Item::None
        }
        // The body of an inline module: its brace is pushed by the caller.
        (Item::Mod(Some(_)), Token::Open(b'{')) => {
            *pending_path = None;
            item
        }
        (Item::Attr(0, _), Token::Open(b'[')) => Item::Attr(1, None),
        (Item::Attr(1, _), Token::Ident("path")) => Item::Attr(2, None),
        (Item::Attr(2, _), Token::Punct(b'=')) => Item::Attr(3, None),
        (Item::Attr(3, _), Token::Str(value)) => Item::Attr(4, Some(value)),
        (Item::Attr(4, Some(value)), Token::Close) => {
            *pending_path = Some(unescape(value));
            Item::None
        }
        (_, Token::Ident("mod")) => Item::Mod(None),
        (_, Token::Punct(b'#')) => Item::Attr(0, None),
        // Any other item ends at its `;` or its body.
        (_, Token::Punct(b';') | Token::Open(b'{') | Token::Close) => {
            *pending_path = None;
            Item::None
        }
        _ => Item::None,
    }
}

/// The value of a string literal's body (escapes resolved; a raw string's body is as written).
fn unescape(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

struct Lexer<'t> {
    text: &'t str,
    at: usize,
    /// The marker byte of each doc comment passed (`///`'s third `/`, `//!`'s `!`, `/**`'s
    /// second `*`, `/*!`'s `!`).
    doc_markers: Vec<u32>,
}

impl<'t> Lexer<'t> {
    fn new(text: &'t str) -> Self {
        Lexer {
            text,
            at: 0,
            doc_markers: Vec::new(),
        }
    }

    /// Notes a doc comment's marker byte (past 4 GiB, none: the comment stays a doc comment).
    fn doc_marker(&mut self, at: usize) {
        if let Ok(at) = u32::try_from(at) {
            self.doc_markers.push(at);
        }
    }

    /// The next token and its start, skipping whitespace and comments.
    fn next_token(&mut self) -> Option<(usize, Token<'t>)> {
        let bytes = self.text.as_bytes();
        loop {
            let start = self.at;
            let byte = *bytes.get(start)?;
            let token = match byte {
                b if b.is_ascii_whitespace() => {
                    self.at += 1;
                    continue;
                }
                b'/' if bytes.get(start + 1) == Some(&b'/') => {
                    // `///` but not `////`; `//!`.
                    match (bytes.get(start + 2), bytes.get(start + 3)) {
                        (Some(b'/'), next) if next != Some(&b'/') => self.doc_marker(start + 2),
                        (Some(b'!'), _) => self.doc_marker(start + 2),
                        _ => {}
                    }
                    self.at = memchr_newline(bytes, start);
                    continue;
                }
                b'/' if bytes.get(start + 1) == Some(&b'*') => {
                    // `/**` but not `/***` nor `/**/`; `/*!`.
                    match (bytes.get(start + 2), bytes.get(start + 3)) {
                        (Some(b'*'), next) if !matches!(next, Some(b'*' | b'/')) => {
                            self.doc_marker(start + 2);
                        }
                        (Some(b'!'), _) => self.doc_marker(start + 2),
                        _ => {}
                    }
                    self.at = skip_block_comment(bytes, start);
                    continue;
                }
                b'"' => {
                    self.at = skip_quoted(bytes, start + 1, b'"');
                    Token::Str(self.body(start + 1, 1))
                }
                b'\'' => {
                    self.at = skip_char_or_lifetime(bytes, start);
                    Token::Other
                }
                b'0'..=b'9' => {
                    self.at = skip_ident(bytes, start);
                    Token::Other
                }
                b'(' | b'[' | b'{' => {
                    self.at += 1;
                    Token::Open(byte)
                }
                b')' | b']' | b'}' => {
                    self.at += 1;
                    Token::Close
                }
                b if is_ident_byte(b) => return Some((start, self.word(start))),
                _ => {
                    self.at += 1;
                    Token::Punct(byte)
                }
            };
            return Some((start, token));
        }
    }

    /// An identifier, keyword, raw identifier, or a prefixed literal (`r"…"`, `b'…'`, `c"…"`).
    fn word(&mut self, start: usize) -> Token<'t> {
        let bytes = self.text.as_bytes();
        let end = skip_ident(bytes, start);
        let prefix = &bytes[start..end];
        match bytes.get(end) {
            Some(b'"' | b'#') if matches!(prefix, b"r" | b"br" | b"cr") => {
                match skip_raw_string(bytes, end) {
                    Some((body_start, body_end, after)) => {
                        self.at = after;
                        Token::Str(&self.text[body_start..body_end])
                    }
                    // `r#ident`
                    None if bytes.get(end) == Some(&b'#') => {
                        let ident_end = skip_ident(bytes, end + 1);
                        self.at = ident_end;
                        Token::Ident(&self.text[end + 1..ident_end])
                    }
                    None => {
                        self.at = end;
                        Token::Ident(&self.text[start..end])
                    }
                }
            }
            Some(b'"') if matches!(prefix, b"b" | b"c") => {
                self.at = skip_quoted(bytes, end + 1, b'"');
                Token::Str(self.body(end + 1, 1))
            }
            Some(b'\'') if prefix == b"b" => {
                self.at = skip_quoted(bytes, end + 1, b'\'');
                Token::Other
            }
            _ => {
                self.at = end;
                Token::Ident(&self.text[start..end])
            }
        }
    }

    /// The text from `from` to the current position, less the closing delimiter's `close` bytes.
    fn body(&self, from: usize, close: usize) -> &'t str {
        let end = self.at.saturating_sub(close).max(from);
        self.text.get(from..end).unwrap_or("")
    }
}

/// `text` with its doc comments made plain comments, each by a space at its marker byte
/// (`/// a` reads `//  a`): the same length, line for line, so every position stays where it
/// was. Nothing the model reads is a doc comment, and syn makes each line of one an attribute,
/// a tenth of the parse of a documented crate.
pub(crate) fn plain_comments<'t>(text: &'t str, doc_markers: &[u32]) -> Cow<'t, str> {
    if doc_markers.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    for &at in doc_markers {
        if let Some(byte @ (b'/' | b'!' | b'*')) = bytes.get_mut(at as usize) {
            *byte = b' ';
        }
    }
    // An ASCII byte for another: still UTF-8.
    String::from_utf8(bytes).map_or(Cow::Borrowed(text), Cow::Owned)
}

pub(crate) fn is_ident_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte >= 0x80
}

fn skip_ident(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && is_ident_byte(bytes[i]) {
        i += 1;
    }
    i
}

fn memchr_newline(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |n| from + n)
}

/// Skips `/* … */`, nested; returns the offset after it (or the end of the text).
pub(crate) fn skip_block_comment(bytes: &[u8], mut i: usize) -> usize {
    let mut depth = 0usize;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"/*") {
            depth += 1;
            i += 2;
        } else if bytes[i..].starts_with(b"*/") {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// Skips to after the closing `quote`, honouring backslash escapes.
pub(crate) fn skip_quoted(bytes: &[u8], mut i: usize, quote: u8) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// At `#…#"` or `"` after a raw prefix: the body's range and the offset after the literal, or
/// `None` when no string follows (a raw identifier).
fn skip_raw_string(bytes: &[u8], at: usize) -> Option<(usize, usize, usize)> {
    let hashes = bytes[at..].iter().take_while(|&&b| b == b'#').count();
    if bytes.get(at + hashes) != Some(&b'"') {
        return None;
    }
    let body = at + hashes + 1;
    let mut i = body;
    while i < bytes.len() {
        if bytes[i] == b'"'
            && bytes[i + 1..]
                .iter()
                .take(hashes)
                .filter(|&&b| b == b'#')
                .count()
                == hashes
        {
            return Some((body, i, i + 1 + hashes));
        }
        i += 1;
    }
    Some((body, bytes.len(), bytes.len()))
}

/// At a `'`: skips a char literal (`'a'`, `'\n'`, `'\u{..}'`) or a lifetime/label (`'a`).
fn skip_char_or_lifetime(bytes: &[u8], at: usize) -> usize {
    match bytes.get(at + 1) {
        Some(b'\\') => skip_quoted(bytes, at + 1, b'\''),
        Some(_) => {
            // One character (of up to four UTF-8 bytes), then a closing quote: a char literal.
            let width = bytes[at + 1..]
                .iter()
                .skip(1)
                .take_while(|&&b| (b & 0xC0) == 0x80)
                .count()
                + 1;
            if bytes.get(at + 1 + width) == Some(&b'\'') {
                at + 2 + width
            } else {
                skip_ident(bytes, at + 1).max(at + 1)
            }
        }
        None => bytes.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decl(inline: &[&str], name: &str, path: Option<&str>) -> ModDecl {
        ModDecl {
            inline_path: inline.iter().map(|s| (*s).to_owned()).collect(),
            name: name.to_owned(),
            path_attr: path.map(str::to_owned),
        }
    }

    #[test]
    fn out_of_line_modules_at_item_level_with_their_path_attributes() {
        let text = r#"
//! mod in_doc;
/* mod in_comment; /* nested */ mod still_comment; */
pub mod a;
#[cfg(test)]
#[path = "other\\e.rs"]
pub(crate) mod e;
mod inline { mod b; #[path = r"x/c.rs"] mod c; fn f() { mod not_item { } } }
#[path = "ignored.rs"] fn g() { let s = "mod s;"; let c = '{'; let l: &'static str = ""; }
mod r#match;
macro_rules! m { () => { mod from_macro; } }
struct S;
mod after;
"#;
        assert_eq!(
            scan(text, 100, usize::MAX).unwrap().mods,
            [
                decl(&[], "a", None),
                decl(&[], "e", Some("other\\e.rs")),
                decl(&["inline"], "b", None),
                decl(&["inline"], "c", Some("x/c.rs")),
                decl(&[], "match", None),
                decl(&[], "after", None),
            ]
        );
    }

    #[test]
    fn depth_counts_brackets_and_prefix_operators_outside_literals() {
        let text = "fn f() { let x = ((1)); let s = \"((((((\"; let c = '('; }";
        // The body's brace, the `=` of the `let`, two parentheses.
        assert!(scan(text, 4, usize::MAX).is_ok());
        let TooDeep(at) = scan(text, 3, usize::MAX).unwrap_err();
        assert_eq!(&text[at..at + 2], "(1");
        assert!(scan("fn f() { !!!!x; a - -b; }", 5, usize::MAX).is_ok());
        assert!(scan("fn f() { !!!!x; a - -b; }", 4, usize::MAX).is_err());
        assert!(scan("fn f() { a; b; }", 1, usize::MAX).is_ok());
        // Chains nest to the left: at `c.d`, the body's brace, the call's parenthesis, the
        // dot after `a` and the one after `c`.
        let chain = "fn f() { a.b(c.d).e.f; }";
        assert!(scan(chain, 4, usize::MAX).is_ok());
        assert!(scan(chain, 3, usize::MAX).is_err());
        assert!(scan("fn f() { a + b; c + d; [e, f + g]; }", 3, usize::MAX).is_ok());
        assert!(scan("static X: u8 = a::b::c::d::e::f;", 2, usize::MAX).is_ok());
    }

    #[test]
    fn unterminated_input_ends_the_scan_quietly() {
        for text in [
            "mod",
            "#[path = \"a",
            "r#\"abc",
            "'",
            "/* open",
            "fn f() {{{",
        ] {
            assert!(scan(text, 10, usize::MAX).is_ok());
        }
        assert!(scan("fn f() {{{", 3, usize::MAX).is_ok());
        assert!(scan("fn f() {{{", 2, usize::MAX).is_err());
    }

    #[test]
    fn macro_names_are_those_defined_in_code_never_in_comments_or_strings() {
        let text = "// macro_rules! in_comment {}\nmacro_rules! take { () => {} }\n\
                    fn f() { let s = \"macro_rules! in_string\"; macro_rules ! inner { () => {} } }\n";
        assert_eq!(
            scan(text, 100, usize::MAX).unwrap().macro_names,
            ["take", "inner"]
        );
    }

    #[test]
    fn doc_comments_become_plain_comments_of_the_same_length() {
        let text = "//! Crate.\n/// Item.\n//// Plain.\n/** Block. */ /**/ /***/ /*! Inner. */\n\
                    fn f() { let s = \"/// in a string\"; } // trailing\n\
                    m! {\n/// Input to m.\n}\n/// After.\nfn g() {}\n";
        let markers = scan(text, 100, usize::MAX).unwrap().doc_markers;
        let plain = plain_comments(text, &markers);
        assert_eq!(
            plain,
            "//  Crate.\n//  Item.\n//// Plain.\n/*  Block. */ /**/ /***/ /*  Inner. */\n\
             fn f() { let s = \"/// in a string\"; } // trailing\n\
             m! {\n/// Input to m.\n}\n//  After.\nfn g() {}\n"
        );
        let parsed = syn::parse_file(&plain).unwrap();
        assert!(
            parsed.attrs.is_empty()
                && parsed.items.iter().all(|item| match item {
                    syn::Item::Fn(f) => f.attrs.is_empty(),
                    syn::Item::Macro(m) => m.mac.tokens.to_string().contains("doc"),
                    _ => false,
                })
        );
        assert_eq!(plain_comments("fn g() {}", &[]), "fn g() {}");
    }
}
