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
//! How the tokens wait: as the group the lexer made (cheap, but a token takes some twenty-five
//! times its source); or, in large files, as the body's place in the file's text and the span of
//! each of its tokens, so that lexing the text again gives tokens whose spans are those of the
//! file (proc-macro2 spans cannot be made at a chosen place, only kept).
//!
//! A file whose items do not parse with their bodies taken out is parsed whole instead, which
//! says where it does not parse and keeps the items that do. So is a file with a body that does
//! not parse ([`Bodies::slots_not_parsing`]), the crate's model made again.
mod split;

pub(crate) use split::take_bodies;

use crate::frontend::macros::ArgTable;
use crate::frontend::scan::read_before_model;
use proc_macro2::{Delimiter, Group, LineColumn, Span, TokenStream, TokenTree};
use std::cell::{Cell, OnceCell, RefCell};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Range;
use std::str::FromStr;
use std::sync::Arc;

/// Where a body's tokens wait.
enum Tokens {
    /// As lexed with its file.
    Lexed(Group),
    /// To be lexed again: the body's bytes in the text of file slot `slot`, and the span of each
    /// of its tokens, in the order [`record_spans`] visits them.
    Text {
        slot: usize,
        bytes: Range<usize>,
        spans: Box<[Span]>,
    },
}

impl Tokens {
    /// The span of the body's braces.
    fn span(&self) -> Span {
        match self {
            Tokens::Lexed(group) => group.span(),
            // The group's own span is recorded first.
            Tokens::Text { spans, .. } => spans.first().copied().unwrap_or_else(Span::call_site),
        }
    }
}

/// A body parsed on its first walk, with the arguments of its macro calls.
struct Parsed {
    block: syn::Block,
    args: ArgTable,
}

struct Deferred {
    /// The file slot it is in.
    slot: usize,
    /// Gone once parsed.
    tokens: Cell<Option<Tokens>>,
    parsed: OnceCell<Box<Parsed>>,
}

/// The bodies taken out of one crate's trees.
#[derive(Default)]
pub(crate) struct Bodies {
    bodies: Vec<Deferred>,
    /// Per file slot: the place of each taken body's `{`, with the body's index, in file order.
    places: Vec<Vec<(LineColumn, u32)>>,
    /// Per file slot: its text (for bodies kept as [`Tokens::Text`]).
    texts: Vec<Arc<str>>,
    /// The body each parsed macro call is in (by the call's address, as `ArgTable` keys it).
    owners: RefCell<HashMap<usize, u32>>,
    /// The file slots of the walked bodies that did not parse.
    failed: RefCell<Vec<usize>>,
}

impl fmt::Debug for Bodies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bodies")
            .field("taken", &self.bodies.len())
            .finish_non_exhaustive()
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
    /// Keep bodies as text and spans (a large file) rather than as lexed groups.
    as_text: bool,
    /// The crate's `macro_rules!` names: a body invoking one stays in the tree.
    macro_names: &'b HashSet<&'b str>,
    /// How many bodies this taker took.
    pub taken: usize,
}

impl Bodies {
    /// Starts taking the bodies of the file in slot `slot` (slots are given in order, from 0;
    /// a slot given again is the next file's, the previous one left out). `as_text`: keep them
    /// as text and spans, which a large file needs to stay within its memory bound.
    pub(crate) fn taker<'b>(
        &'b mut self,
        slot: usize,
        text: &Arc<str>,
        as_text: bool,
        macro_names: &'b HashSet<&'b str>,
    ) -> Taker<'b> {
        debug_assert!(slot <= self.places.len());
        self.places.truncate(slot);
        self.texts.truncate(slot);
        self.places.push(Vec::new());
        self.texts.push(Arc::clone(text));
        Taker {
            bodies: self,
            slot,
            as_text,
            macro_names,
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
        if !block.stmts.is_empty() {
            return None;
        }
        let places = self.places.get(slot)?;
        let at = block.brace_token.span.open().start();
        let found = places.binary_search_by(|(place, _)| place.cmp(&at)).ok()?;
        Some(places[found].1)
    }

    fn block(&self, index: u32) -> &syn::Block {
        let deferred = &self.bodies[index as usize];
        &deferred
            .parsed
            .get_or_init(|| self.parse(index, deferred.tokens.take()))
            .block
    }

    fn parse(&self, index: u32, tokens: Option<Tokens>) -> Box<Parsed> {
        let block = tokens
            .and_then(|tokens| self.stream(&tokens))
            .and_then(|stream| syn::parse2::<syn::Block>(stream).ok());
        let block = block.unwrap_or_else(|| {
            let slot = self.bodies[index as usize].slot;
            self.failed.borrow_mut().push(slot);
            syn::Block {
                brace_token: Default::default(),
                stmts: Vec::new(),
            }
        });
        let mut parsed = Box::new(Parsed {
            block,
            args: ArgTable::default(),
        });
        // Keyed by address: the block is in its final place.
        parsed.args = ArgTable::of_block(&parsed.block);
        let mut owners = self.owners.borrow_mut();
        for key in parsed.args.keys() {
            owners.insert(key, index);
        }
        parsed
    }

    /// The tokens of a body, with the spans of its file.
    fn stream(&self, tokens: &Tokens) -> Option<TokenStream> {
        match tokens {
            Tokens::Lexed(group) => Some(TokenStream::from(TokenTree::Group(group.clone()))),
            Tokens::Text { slot, bytes, spans } => {
                let text = self.texts.get(*slot)?.get(bytes.clone())?;
                let lexed = TokenStream::from_str(text).ok()?;
                let mut spans = spans.iter().copied();
                let stream = respan(lexed, &mut spans)?;
                spans.next().is_none().then_some(stream)
            }
        }
    }

    /// The parsed arguments of a macro call in a body parsed on its walk.
    pub(crate) fn macro_args(&self, key: usize) -> Option<&[syn::Expr]> {
        let index = *self.owners.borrow().get(&key)?;
        self.bodies[index as usize].parsed.get()?.args.get(key)
    }

    /// The file slots holding a body that does not parse: walked bodies were parsed then, the
    /// others are parsed now (and dropped). Called once the crate's model is done, before its
    /// spans are forgotten.
    pub(crate) fn slots_not_parsing(self) -> Vec<usize> {
        let mut slots = self.failed.take();
        for deferred in &self.bodies {
            if slots.contains(&deferred.slot) {
                continue;
            }
            if let Some(tokens) = deferred.tokens.take() {
                let stream = self.stream(&tokens);
                if stream.is_none_or(|stream| syn::parse2::<syn::Block>(stream).is_err()) {
                    slots.push(deferred.slot);
                }
            }
        }
        slots.sort_unstable();
        slots.dedup();
        slots
    }
}

impl Taker<'_> {
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
        let span = body.span();
        let tokens = if self.as_text {
            let mut spans = Vec::new();
            record_spans(TokenStream::from(TokenTree::Group(body)), &mut spans);
            Tokens::Text {
                slot: self.slot,
                bytes,
                spans: spans.into_boxed_slice(),
            }
        } else {
            Tokens::Lexed(body)
        };
        let index = self.bodies.bodies.len() as u32;
        self.bodies.bodies.push(Deferred {
            slot: self.slot,
            tokens: Cell::new(Some(tokens)),
            parsed: OnceCell::new(),
        });
        self.bodies.places[self.slot].push((span.start(), index));
        self.taken += 1;
        let mut placeholder = Group::new(Delimiter::Brace, TokenStream::new());
        placeholder.set_span(span);
        placeholder
    }

    /// Gives back every body taken from the file: it is to be parsed whole.
    pub(crate) fn give_back(mut self) {
        self.give_back_since(0);
    }

    /// Gives back the bodies taken after the first `kept` (those of items left out).
    pub(crate) fn give_back_since(&mut self, kept: usize) {
        let given = self.taken - kept;
        let bodies = &mut *self.bodies;
        bodies.bodies.truncate(bodies.bodies.len() - given);
        let places = &mut bodies.places[self.slot];
        places.truncate(places.len() - given);
        self.taken = kept;
    }

    /// The syntax error of the first body that does not parse among those taken after the first
    /// `since`, each parsed and dropped (its tokens wait as before).
    pub(crate) fn first_error_since(&self, since: usize) -> Option<syn::Error> {
        let bodies = &*self.bodies;
        let first = bodies.bodies.len() - (self.taken - since);
        bodies.bodies[first..].iter().find_map(|deferred| {
            let tokens = deferred.tokens.take()?;
            let error = match bodies.stream(&tokens) {
                Some(stream) => syn::parse2::<syn::Block>(stream).err(),
                None => Some(syn::Error::new(tokens.span(), "cannot read this body again")),
            };
            deferred.tokens.set(Some(tokens));
            error
        })
    }
}

/// The span of every token of `stream`, depth first, a group's before its content's. The
/// stream is consumed, so that tokens nothing else shares are not copied.
fn record_spans(stream: TokenStream, out: &mut Vec<Span>) {
    for token in stream {
        out.push(token.span());
        if let TokenTree::Group(group) = token {
            let inner = group.stream();
            drop(group);
            record_spans(inner, out);
        }
    }
}

/// `stream` with each token given the next of `spans`, in [`record_spans`]' order; `None` when
/// the spans run out.
fn respan(stream: TokenStream, spans: &mut impl Iterator<Item = Span>) -> Option<TokenStream> {
    stream
        .into_iter()
        .map(|token| {
            let span = spans.next()?;
            Some(match token {
                TokenTree::Group(group) => {
                    let (delimiter, inner) = (group.delimiter(), group.stream());
                    drop(group);
                    let mut group = Group::new(delimiter, respan(inner, spans)?);
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
