//! Function bodies held apart from a modelled crate's syntax trees, parsed the first time the
//! model walks them.
//!
//! Most of a crate's source is function bodies, and a syntax tree takes some sixty times its
//! source, while the model walks only the functions its roots reach. So a modelled crate's files
//! are parsed with their bodies taken out (`split`): a function's block in the tree is an empty
//! placeholder at the body's place, and the body's tokens wait here. The first walk parses them
//! into a block this store keeps for the rest of the crate's model, so the `&'a syn::Block` the
//! model borrows lives as long as the trees do. The arguments of the macro calls in such a body
//! are parsed with it (see `macros::MacroArgs`).
//!
//! Only bodies nothing reads before the model are taken: a body declaring an item (the index
//! reads those), defining a macro, invoking one of the crate's own macros (the expansion rewrites
//! those) or holding inner attributes stays in the tree.
//!
//! How a body waits: as its place in its file's text (which the run holds anyway) and the span
//! the file's lex gave it, so that it costs about nothing beside its source (lexed tokens take
//! some twenty-five times theirs). Its first read lexes that text again, and cuts each token's
//! span out of the kept one at the token's offset from the body's start ([`Literal::subspan`]:
//! proc-macro2 spans cannot be made at a chosen place, only kept or cut), so its positions are
//! the file's.
//!
//! A body is taken only once it parses: it is parsed from the file's lex as it is taken, so a
//! syntax error in it is found while its tokens are at hand. That tree is kept for the body's
//! first walk while the crate's kept trees stand for less than [`EARLY_TREE_BYTES`] of source
//! (most walked bodies are then parsed once, and a crate's trees stay bounded); past that, it is
//! dropped, and the body lexed and parsed again if the model walks it. A body that does not parse stays in the tree, so its
//! file does not parse with its bodies taken out, and is parsed whole instead, which says where
//! it does not parse and keeps the items that do. A file that parsed so once in the run (a module
//! several crates share) has its bodies taken unchecked: they parsed then. Should a walked body
//! not parse again ([`Bodies::slots_not_parsing`]), its file is parsed whole and the crate's model
//! made again.
//!
//! The function bodies of the items a macro expansion makes have no text: they wait as their
//! tokens, unparsed, and a block holding one call (`racecheck_expanded_body!(index);`) stands
//! in their place ([`Bodies::defer_tokens`]). Expansions are where a crate's trees grow most
//! (trait impls for tuples of every length), and the model walks few of them.
mod split;

pub(crate) use split::{defer_expanded_bodies, take_bodies};

use crate::frontend::macros::ArgTable;
use crate::frontend::scan::{read_before_model, ITEM_WORDS};
use crate::frontend::span::{saturate, SpanConverter};
use proc_macro2::{Delimiter, Group, LineColumn, Literal, Span, TokenStream, TokenTree};
use std::cell::{Cell, OnceCell, RefCell};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Range;
use std::str::FromStr;
use std::sync::Arc;

/// A body parsed on its first walk, with the arguments of its macro calls (and the signature,
/// of a function taken whole; the fields, of a struct).
struct Parsed {
    block: syn::Block,
    sig: Option<syn::Signature>,
    fields: syn::Fields,
    /// A struct's generic parameters (what a field of a parameter's type holds).
    generics: syn::Generics,
    args: ArgTable,
}

impl Parsed {
    fn of_block(block: syn::Block) -> Self {
        Parsed {
            block,
            sig: None,
            fields: syn::Fields::Unit,
            generics: syn::Generics::default(),
            args: ArgTable::default(),
        }
    }

    fn of_fn(item: syn::ItemFn) -> Self {
        Parsed {
            sig: Some(item.sig),
            ..Parsed::of_block(*item.block)
        }
    }

    fn of_struct(item: syn::ItemStruct) -> Self {
        Parsed {
            fields: item.fields,
            generics: item.generics,
            ..Parsed::of_block(empty_block())
        }
    }
}

fn empty_block() -> syn::Block {
    syn::Block {
        brace_token: Default::default(),
        stmts: Vec::new(),
    }
}

/// The source bytes of a crate's bodies whose tree, made as they were taken, is kept for their
/// first walk. A tree takes some sixty times its source: at most some 15 MiB per crate.
const EARLY_TREE_BYTES: usize = 256 << 10;

/// A function or a struct taken out of the tree whole: what the index reads of it before the
/// model does.
#[derive(Debug)]
pub(crate) struct Taken {
    pub name: String,
    pub kind: TakenKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TakenKind {
    /// A free function; `public`: declared `pub` (in any form).
    Fn { public: bool },
    /// A struct with named fields.
    Struct,
}

struct Deferred {
    /// The file slot it is in.
    slot: usize,
    /// Its bytes in the file's text.
    /// As spans' offsets are (a file past 4 GiB saturates).
    bytes: Range<u32>,
    /// The span the file's lex gave those bytes.
    span: Span,
    /// Its tokens are a whole item's, not a body's.
    whole: Option<Box<Taken>>,
    /// The tree the parse that checked it made as it was taken, until its first walk.
    early: Cell<Option<Box<Parsed>>>,
    parsed: OnceCell<Box<Parsed>>,
    /// The body's tokens, for a body of an expansion (which has no text): its brace group.
    tokens: Option<Box<TokenStream>>,
}

/// The bodies taken out of one crate's trees.
#[derive(Default)]
pub(crate) struct Bodies {
    bodies: Vec<Deferred>,
    /// Per file slot: the place of each taken body's `{`, with the body's index, in file order.
    places: Vec<Vec<(LineColumn, u32)>>,
    /// Per file slot: its text, which the bodies are read back from.
    texts: Vec<Arc<str>>,
    /// The body each parsed macro call is in (by the call's address, as `ArgTable` keys it).
    owners: RefCell<HashMap<usize, u32>>,
    /// The file slots of the walked bodies that did not parse.
    failed: RefCell<Vec<usize>>,
    /// The signature given to a function taken whole that does not parse.
    no_signature: OnceCell<syn::Signature>,
    /// The source bytes of the bodies whose early tree was kept (see [`EARLY_TREE_BYTES`]).
    early_bytes: usize,
}

impl fmt::Debug for Bodies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bodies")
            .field("taken", &self.bodies.len())
            .finish_non_exhaustive()
    }
}

/// A function's signature as the index holds it: in the tree, or taken out with its function.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Sig<'a> {
    Tree(&'a syn::Signature),
    Taken(&'a Bodies, u32),
}

impl<'a> Sig<'a> {
    /// The signature, its function parsed now if it was not yet.
    pub(crate) fn get(self) -> &'a syn::Signature {
        match self {
            Sig::Tree(sig) => sig,
            Sig::Taken(bodies, index) => bodies.signature(index),
        }
    }
}

/// A function's body as the index holds it: in the tree, or taken out.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Body<'a> {
    Tree(&'a syn::Block),
    Taken(&'a Bodies, u32),
}

impl<'a> Body<'a> {
    /// The body's block, parsed now if it was not yet.
    pub(crate) fn block(self) -> &'a syn::Block {
        match self {
            Body::Tree(block) => block,
            Body::Taken(bodies, index) => bodies.block(index),
        }
    }

    /// The block as written in the tree, if the body is there.
    pub(crate) fn in_tree(self) -> Option<&'a syn::Block> {
        match self {
            Body::Tree(block) => Some(block),
            Body::Taken(..) => None,
        }
    }
}

/// How one file's bodies are taken.
pub(crate) struct Taker<'b> {
    bodies: &'b mut Bodies,
    slot: usize,
    /// The crate's `macro_rules!` names: a body invoking one stays in the tree.
    macro_names: &'b HashSet<&'b str>,
    /// The file parsed with its bodies taken out before in this run: its bodies are taken
    /// without being parsed.
    parses: bool,
    /// How many bodies this taker took.
    pub taken: usize,
}

impl Bodies {
    /// Starts taking the bodies of the file in slot `slot` (slots are given in order, from 0;
    /// a slot given again is the next file's, the previous one left out). `parses`: the file
    /// parsed with its bodies taken out before (in another crate), so each body is taken as it
    /// is, not parsed first.
    pub(crate) fn taker<'b>(
        &'b mut self,
        slot: usize,
        text: &Arc<str>,
        macro_names: &'b HashSet<&'b str>,
        parses: bool,
    ) -> Taker<'b> {
        debug_assert!(slot <= self.places.len());
        self.places.truncate(slot);
        self.texts.truncate(slot);
        self.places.push(Vec::new());
        self.texts.push(Arc::clone(text));
        Taker {
            bodies: self,
            slot,
            macro_names,
            parses,
            taken: 0,
        }
    }

    /// The body of a function whose block in the tree of file slot `slot` is `block`.
    pub(crate) fn body<'a>(&'a self, slot: usize, block: &'a syn::Block) -> Body<'a> {
        match self.taken_at(slot, block) {
            Some(index) => Body::Taken(self, index),
            None => Body::Tree(block),
        }
    }

    /// The index of the body taken from where `block` stands, if it is a placeholder.
    pub(crate) fn taken_at(&self, slot: usize, block: &syn::Block) -> Option<u32> {
        if let [syn::Stmt::Macro(mark)] = block.stmts.as_slice() {
            return self.expanded_body(mark);
        }
        if !block.stmts.is_empty() {
            return None;
        }
        let places = self.places.get(slot)?;
        let at = block.brace_token.span.open().start();
        let found = places.binary_search_by(|(place, _)| place.cmp(&at)).ok()?;
        Some(places[found].1)
    }

    /// The items taken whole that a marker item stands for, by index; `None` for any other item
    /// macro.
    pub(crate) fn taken_items(&self, item: &syn::ItemMacro) -> Option<Range<u32>> {
        if item.ident.is_some() || !item.mac.path.is_ident(MARKER) {
            return None;
        }
        let mut tokens = item.mac.tokens.clone().into_iter();
        let (Some(TokenTree::Literal(first)), Some(TokenTree::Literal(count)), None) =
            (tokens.next(), tokens.next(), tokens.next())
        else {
            return None;
        };
        let first: u32 = first.to_string().parse().ok()?;
        let count: u32 = count.to_string().parse().ok()?;
        let end = first.checked_add(count)?;
        (end as usize <= self.bodies.len()).then_some(first..end)
    }

    /// The name and kind of an item taken whole.
    pub(crate) fn taken(&self, index: u32) -> Option<&Taken> {
        self.bodies.get(index as usize)?.whole.as_deref()
    }

    fn parsed(&self, index: u32) -> &Parsed {
        let deferred = &self.bodies[index as usize];
        deferred.parsed.get_or_init(|| self.parse(index))
    }

    fn block(&self, index: u32) -> &syn::Block {
        &self.parsed(index).block
    }

    /// The fields of a struct taken whole, parsed now if they were not yet.
    pub(crate) fn fields(&self, index: u32) -> &syn::Fields {
        &self.parsed(index).fields
    }

    /// The generic parameters of a struct taken whole, parsed now if they were not yet.
    pub(crate) fn generics(&self, index: u32) -> &syn::Generics {
        &self.parsed(index).generics
    }

    fn signature(&self, index: u32) -> &syn::Signature {
        match &self.parsed(index).sig {
            Some(sig) => sig,
            None => self.no_signature.get_or_init(|| syn::Signature {
                constness: None,
                asyncness: None,
                unsafety: None,
                abi: None,
                fn_token: Default::default(),
                ident: proc_macro2::Ident::new("not_parsed", Span::call_site()),
                generics: syn::Generics::default(),
                paren_token: Default::default(),
                inputs: syn::punctuated::Punctuated::new(),
                variadic: None,
                output: syn::ReturnType::Default,
            }),
        }
    }

    /// Entry `deferred` parsed: a body, a function taken whole or a struct.
    fn parse_deferred(deferred: &Deferred, stream: TokenStream) -> syn::Result<Parsed> {
        Ok(match deferred.whole.as_deref().map(|taken| taken.kind) {
            None => Parsed::of_block(syn::parse2(stream)?),
            Some(TakenKind::Fn { .. }) => Parsed::of_fn(syn::parse2(stream)?),
            Some(TakenKind::Struct) => Parsed::of_struct(syn::parse2(stream)?),
        })
    }

    fn parse(&self, index: u32) -> Box<Parsed> {
        let deferred = &self.bodies[index as usize];
        let early = deferred.early.take();
        let mut parsed = early.unwrap_or_else(|| {
            let parsed = self
                .stream(deferred)
                .and_then(|stream| Self::parse_deferred(deferred, stream).ok());
            Box::new(parsed.unwrap_or_else(|| {
                // An expansion's body that does not parse is empty, as an expansion that does
                // not parse is left out: its file parsed whole would not parse it either.
                if deferred.tokens.is_none() {
                    self.failed.borrow_mut().push(deferred.slot);
                }
                Parsed::of_block(empty_block())
            }))
        });
        // Keyed by address: the block is in its final place.
        parsed.args = ArgTable::of_block(&parsed.block);
        let mut owners = self.owners.borrow_mut();
        for key in parsed.args.keys() {
            owners.insert(key, index);
        }
        parsed
    }

    /// The index of the body of an expansion that `mark` stands for, if it is such a mark
    /// (`racecheck_expanded_body!(index);`, see [`Bodies::defer_tokens`]).
    fn expanded_body(&self, mark: &syn::StmtMacro) -> Option<u32> {
        if !mark.mac.path.is_ident(EXPANDED_BODY) {
            return None;
        }
        let index: u32 = mark
            .mac
            .parse_body::<syn::LitInt>()
            .ok()?
            .base10_parse()
            .ok()?;
        let deferred = self.bodies.get(index as usize)?;
        deferred.tokens.is_some().then_some(index)
    }

    /// Holds a function body of an expansion in file slot `slot` apart, as its tokens, to be
    /// parsed the first time the model walks it (most expanded functions, trait impls for
    /// tuples of every length, never are): the block that stands for it in the tree. Unless
    /// something reads the body before the model (see [`reads_before_model`]): then it is
    /// returned as it is.
    pub(crate) fn defer_tokens(
        &mut self,
        slot: usize,
        body: Group,
        crate_macro: &dyn Fn(&str) -> bool,
    ) -> Group {
        let stream = body.stream();
        if stream.is_empty() || reads_before_model(&stream, crate_macro) {
            return body;
        }
        let span = body.span();
        let index = self.bodies.len() as u32;
        self.bodies.push(Deferred {
            slot,
            bytes: 0..0,
            span,
            whole: None,
            early: Cell::new(None),
            parsed: OnceCell::new(),
            tokens: Some(Box::new(TokenStream::from(TokenTree::Group(body)))),
        });
        let mut index = Literal::u32_unsuffixed(index);
        index.set_span(span);
        let mark: TokenStream = [
            TokenTree::Ident(proc_macro2::Ident::new(EXPANDED_BODY, span)),
            TokenTree::Punct(proc_macro2::Punct::new('!', proc_macro2::Spacing::Alone)),
            TokenTree::Group(Group::new(
                Delimiter::Parenthesis,
                TokenStream::from(TokenTree::Literal(index)),
            )),
            TokenTree::Punct(proc_macro2::Punct::new(';', proc_macro2::Spacing::Alone)),
        ]
        .into_iter()
        .collect();
        let mut placeholder = Group::new(Delimiter::Brace, mark);
        placeholder.set_span(span);
        placeholder
    }

    /// The text of an entry.
    fn text(&self, deferred: &Deferred) -> Option<&str> {
        let bytes = deferred.bytes.start as usize..deferred.bytes.end as usize;
        self.texts.get(deferred.slot)?.get(bytes)
    }

    /// The tokens of an entry, lexed again from its text, with the spans of its file.
    fn stream(&self, deferred: &Deferred) -> Option<TokenStream> {
        if let Some(tokens) = &deferred.tokens {
            return Some((**tokens).clone());
        }
        let text = self.text(deferred)?;
        let lexed = TokenStream::from_str(text).ok()?;
        let mut whole = Literal::u8_unsuffixed(0);
        whole.set_span(deferred.span);
        let lines = CharLines::of(text);
        respan(lexed, &|span| {
            whole.subspan(lines.offset(span.start())..lines.offset(span.end()))
        })
    }

    /// The parsed arguments of a macro call in a body parsed on its walk.
    pub(crate) fn macro_args(&self, key: usize) -> Option<&[syn::Expr]> {
        let index = *self.owners.borrow().get(&key)?;
        self.bodies[index as usize].parsed.get()?.args.get(key)
    }

    /// The file slots holding a walked body that did not parse when read again (each parsed as
    /// it was taken: this is a safety net, not a syntax check). Called once the crate's model is
    /// done.
    pub(crate) fn slots_not_parsing(self) -> Vec<usize> {
        let mut slots = self.failed.take();
        slots.sort_unstable();
        slots.dedup();
        slots
    }
}

impl Taker<'_> {
    /// The items taken whole a marker item stands for (see [`Bodies::taken_items`]).
    pub(crate) fn taken_items(&self, item: &syn::ItemMacro) -> Option<Range<u32>> {
        self.bodies.taken_items(item)
    }

    /// Whether `block`, in the tree of this taker's file, stands for a body it took.
    pub(crate) fn took(&self, block: &syn::Block) -> bool {
        self.bodies.taken_at(self.slot, block).is_some()
    }

    /// What stands in the tree for a function body, which is at `bytes` in the file: the body
    /// itself, or, when it is taken, an empty block at its place.
    pub(crate) fn take(&mut self, body: Group, bytes: Range<usize>) -> Group {
        let Some(text) = self.bodies.texts[self.slot].get(bytes.clone()) else {
            return body;
        };
        if body.stream().is_empty() || read_before_model(text, self.macro_names) {
            return body;
        }
        let early = match self.check::<syn::Block>(&[], &body) {
            Checked::Fails => return body,
            Checked::Unchecked => None,
            Checked::Tree(block) => Some(Parsed::of_block(block)),
        };
        let span = body.span();
        drop(body);
        let index = self.keep(span, bytes, None, early);
        self.bodies.places[self.slot].push((span.start(), index));
        let mut placeholder = Group::new(Delimiter::Brace, TokenStream::new());
        placeholder.set_span(span);
        placeholder
    }

    /// Takes a free function whole (its tokens before its body are `head`, the word `fn` at
    /// `head[word]`), when nothing reads it before the model: no attribute but doc comments, no
    /// macro of the crate's in its signature, a body [`Taker::take`] would take. Its index; or
    /// its tokens back.
    pub(crate) fn take_fn(
        &mut self,
        head: Vec<TokenTree>,
        word: usize,
        body: Group,
        converter: &SpanConverter<'_>,
    ) -> Result<u32, (Vec<TokenTree>, Group)> {
        let name = match head.get(word + 1) {
            Some(TokenTree::Ident(name)) => name.to_string(),
            _ => return Err((head, body)),
        };
        // Doc comments are its only attributes (`#` and `[doc = …]` each).
        let mut qualifiers = 0;
        while matches!(&head[qualifiers], TokenTree::Punct(p) if p.as_char() == '#') {
            if !is_doc_comment(&head[qualifiers..(qualifiers + 2).min(word)]) {
                return Err((head, body));
            }
            qualifiers += 2;
        }
        let body_bytes = converter.bytes(body.span());
        let read_early = invokes(&head[qualifiers..], self.macro_names)
            || self.bodies.texts[self.slot]
                .get(body_bytes)
                .is_none_or(|text| read_before_model(text, self.macro_names));
        if read_early {
            return Err((head, body));
        }
        let early = match self.check::<syn::ItemFn>(&head, &body) {
            Checked::Fails => return Err((head, body)),
            Checked::Unchecked => None,
            Checked::Tree(item) => Some(Parsed::of_fn(item)),
        };
        let public = matches!(&head[qualifiers], TokenTree::Ident(word) if word == "pub");
        let taken = Taken {
            name,
            kind: TakenKind::Fn { public },
        };
        self.keep_whole(head, body, taken, converter, early)
    }

    /// Takes a struct with named fields whole (`struct` at `head[word]`), unless it invokes a
    /// macro of the crate's: the index reads its name, the model its fields, and nothing reads
    /// its attributes. Its index; or its tokens back.
    pub(crate) fn take_struct(
        &mut self,
        head: Vec<TokenTree>,
        word: usize,
        fields: Group,
        converter: &SpanConverter<'_>,
    ) -> Result<u32, (Vec<TokenTree>, Group)> {
        let name = match head.get(word + 1) {
            Some(TokenTree::Ident(name)) => name.to_string(),
            _ => return Err((head, fields)),
        };
        if invokes(&head, self.macro_names)
            || invokes(
                &fields.stream().into_iter().collect::<Vec<_>>(),
                self.macro_names,
            )
        {
            return Err((head, fields));
        }
        let early = match self.check::<syn::ItemStruct>(&head, &fields) {
            Checked::Fails => return Err((head, fields)),
            Checked::Unchecked => None,
            Checked::Tree(item) => Some(Parsed::of_struct(item)),
        };
        let taken = Taken {
            name,
            kind: TakenKind::Struct,
        };
        self.keep_whole(head, fields, taken, converter, early)
    }

    /// `head` and `last` parsed as a `T`; unchecked in a file known to parse.
    fn check<T: syn::parse::Parse>(&self, head: &[TokenTree], last: &Group) -> Checked<T> {
        if self.parses {
            return Checked::Unchecked;
        }
        let tokens = head.iter().cloned().chain([TokenTree::Group(last.clone())]);
        match syn::parse2::<T>(tokens.collect()) {
            Ok(tree) => Checked::Tree(tree),
            Err(_) => Checked::Fails,
        }
    }

    /// Keeps an item whole: its tokens before its last brace group, and that group. Its index;
    /// or its tokens back, when they do not span one piece of text.
    fn keep_whole(
        &mut self,
        head: Vec<TokenTree>,
        last: Group,
        taken: Taken,
        converter: &SpanConverter<'_>,
        early: Option<Parsed>,
    ) -> Result<u32, (Vec<TokenTree>, Group)> {
        let Some(span) = head
            .first()
            .map_or(Some(last.span()), |first| first.span().join(last.span()))
        else {
            return Err((head, last));
        };
        Ok(self.keep(span, converter.bytes(span), Some(Box::new(taken)), early))
    }

    /// Keeps the entry at `bytes` of the file, which the file's lex gave `span`: a body, or an
    /// item taken whole, with the tree its check made while the crate's budget allows.
    fn keep(
        &mut self,
        span: Span,
        bytes: Range<usize>,
        whole: Option<Box<Taken>>,
        early: Option<Parsed>,
    ) -> u32 {
        let index = self.bodies.bodies.len() as u32;
        let early = early.filter(|_| {
            self.bodies.early_bytes += bytes.len();
            self.bodies.early_bytes <= EARLY_TREE_BYTES
        });
        self.bodies.bodies.push(Deferred {
            slot: self.slot,
            bytes: saturate(bytes.start)..saturate(bytes.end),
            span,
            whole,
            early: Cell::new(early.map(Box::new)),
            parsed: OnceCell::new(),
            tokens: None,
        });
        self.taken += 1;
        index
    }

    /// The item standing for the run of `count` items taken whole from index `first` on:
    /// `racecheck_taken_items! { first count }`, at `span`.
    pub(crate) fn marker(&self, first: u32, count: u32, span: Span) -> [TokenTree; 3] {
        let mut marker = [
            TokenTree::Ident(proc_macro2::Ident::new(MARKER, span)),
            TokenTree::Punct(proc_macro2::Punct::new('!', proc_macro2::Spacing::Alone)),
            TokenTree::Group(Group::new(
                Delimiter::Brace,
                TokenStream::from_iter([
                    TokenTree::Literal(proc_macro2::Literal::u32_unsuffixed(first)),
                    TokenTree::Literal(proc_macro2::Literal::u32_unsuffixed(count)),
                ]),
            )),
        ];
        for token in &mut marker {
            token.set_span(span);
        }
        marker
    }

    /// Gives back every body taken from the file: it is to be parsed whole.
    pub(crate) fn give_back(mut self) {
        self.give_back_since(0);
    }

    /// Gives back the bodies taken after the first `kept` (those of items left out).
    pub(crate) fn give_back_since(&mut self, kept: usize) {
        let bodies = &mut *self.bodies;
        let first = bodies.bodies.len() - (self.taken - kept);
        // Functions taken whole have no place: no placeholder stands for them.
        let placed = bodies.bodies[first..]
            .iter()
            .filter(|deferred| deferred.whole.is_none())
            .count();
        bodies.bodies.truncate(first);
        let places = &mut bodies.places[self.slot];
        places.truncate(places.len() - placed);
        self.taken = kept;
    }
}

/// The word of the marker item that stands for a run of items taken whole (an identifier no
/// Rust item starts with).
const MARKER: &str = "racecheck_taken_items";

/// The macro whose call (`racecheck_expanded_body!(index);`) is all a block holding the place of
/// an expansion's function body holds (an identifier no Rust macro has).
const EXPANDED_BODY: &str = "racecheck_expanded_body";

/// Whether a body of an expansion (its tokens) holds what is read before the model walks it, as
/// [`read_before_model`] tells for a body's text: an item word, a call of one of the crate's
/// macros (`crate_macro`), which the expansion walk goes on to expand, or inner attributes.
fn reads_before_model(stream: &TokenStream, crate_macro: &dyn Fn(&str) -> bool) -> bool {
    let mut previous: Option<TokenTree> = None;
    for (at, token) in stream.clone().into_iter().enumerate() {
        let early = match (&previous, &token) {
            (Some(TokenTree::Punct(hash)), TokenTree::Punct(bang)) => {
                at == 1 && hash.as_char() == '#' && bang.as_char() == '!'
            }
            (Some(TokenTree::Ident(name)), TokenTree::Punct(bang)) => {
                bang.as_char() == '!' && crate_macro(&name.to_string())
            }
            (_, TokenTree::Ident(word)) => ITEM_WORDS.iter().any(|item| word == item),
            (_, TokenTree::Group(group)) => reads_before_model(&group.stream(), crate_macro),
            _ => false,
        };
        if early {
            return true;
        }
        previous = Some(token);
    }
    false
}

/// What the parse that checks a body as it is taken gave.
enum Checked<T> {
    /// Not parsed: its file parsed so before.
    Unchecked,
    Tree(T),
    Fails,
}

/// Whether two tokens are a doc comment (`#` and `[doc = "…"]`).
fn is_doc_comment(pair: &[TokenTree]) -> bool {
    let [TokenTree::Punct(hash), TokenTree::Group(group)] = pair else {
        return false;
    };
    hash.as_char() == '#'
        && group.delimiter() == Delimiter::Bracket
        && matches!(group.stream().into_iter().next(), Some(TokenTree::Ident(doc)) if doc == "doc")
}

/// Whether `tokens` (nested groups included) invoke one of `macro_names`.
fn invokes(tokens: &[TokenTree], macro_names: &HashSet<&str>) -> bool {
    tokens.iter().enumerate().any(|(at, token)| match token {
        TokenTree::Ident(name) => {
            matches!(tokens.get(at + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!')
                && macro_names.contains(name.to_string().as_str())
        }
        TokenTree::Group(group) => {
            invokes(&group.stream().into_iter().collect::<Vec<_>>(), macro_names)
        }
        _ => false,
    })
}

/// The char offset of each line's start in a text (line 1 at 0), to turn a position in it into
/// an offset from its start, as proc-macro2 counts them.
struct CharLines(Vec<usize>);

impl CharLines {
    fn of(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.chars()
                .enumerate()
                .filter(|&(_, c)| c == '\n')
                .map(|(at, _)| at + 1),
        );
        Self(starts)
    }

    fn offset(&self, at: LineColumn) -> usize {
        self.0
            .get(at.line.saturating_sub(1))
            .map_or(0, |start| start + at.column)
    }
}

/// `stream` with each token given the span `span_of` cuts for its own; `None` when one cannot
/// be cut.
fn respan(stream: TokenStream, span_of: &impl Fn(Span) -> Option<Span>) -> Option<TokenStream> {
    stream
        .into_iter()
        .map(|token| {
            let span = span_of(token.span())?;
            Some(match token {
                TokenTree::Group(group) => {
                    let (delimiter, inner) = (group.delimiter(), group.stream());
                    drop(group);
                    let mut group = Group::new(delimiter, respan(inner, span_of)?);
                    group.set_span(span);
                    TokenTree::Group(group)
                }
                mut token => {
                    token.set_span(span);
                    token
                }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(text: &str) -> Group {
        match TokenStream::from_str(text).unwrap().into_iter().next() {
            Some(TokenTree::Group(group)) => group,
            other => panic!("not a group: {other:?}"),
        }
    }

    fn block_of(group: Group) -> syn::Block {
        syn::parse2(TokenStream::from(TokenTree::Group(group))).unwrap()
    }

    #[test]
    fn an_expansions_body_waits_as_tokens_unless_something_reads_it_first() {
        let mut bodies = Bodies::default();
        let crate_macro = |name: &str| name == "take";
        let text = "{ let g = A.acquire(); vec![1]; x != y; }";
        let placeholder = block_of(bodies.defer_tokens(0, group(text), &crate_macro));
        assert!(bodies.taken_at(0, &placeholder).is_some());
        let walked = bodies.body(0, &placeholder).block();
        assert_eq!(walked, &block_of(group(text)));
        for read_first in [
            "{ take!(A); }",
            "{ if x { fn inner() {} } }",
            "{ #![allow(x)] a(); }",
            "{}",
        ] {
            let kept = bodies.defer_tokens(0, group(read_first), &crate_macro);
            assert_eq!(kept.to_string(), group(read_first).to_string());
        }
    }
}
