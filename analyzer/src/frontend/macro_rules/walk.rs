//! The crate walk that expands invocations in place: files in module order (each `mod` item's
//! file where the item stands, so textual scope runs across files as rustc's does), items,
//! statements and expressions in source order.
use super::budget::{ExpansionCut, Fuel, DEPTH_LIMIT};
use super::definition::read;
use super::matcher::{match_rule, Input};
use super::scope::Scopes;
use super::transcribe::transcribe;
use super::{Expansion, Invocation};
use crate::frontend::bodies::{defer_expanded_bodies, Bodies};
use crate::frontend::crates::FileTable;
use crate::frontend::outline::MAX_NESTING;
use crate::frontend::span::SpanConverter;
use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use std::collections::HashMap;
use syn::parse::{ParseStream, Parser};
use syn::visit_mut::{self, VisitMut};

pub(super) struct Walker<'w, 'p> {
    pub table: &'w FileTable,
    /// The crate's file of each slot (`asts[slot]` is the tree of `files[slot]`).
    pub files: &'w [usize],
    pub slots: HashMap<usize, usize>,
    /// The slots of crate roots: the crate's, and those of the libraries it links.
    pub roots: &'w [usize],
    pub asts: &'w mut [syn::File],
    pub converters: &'w [SpanConverter<'p>],
    /// Where the function bodies of item expansions are held apart.
    pub bodies: &'w mut Bodies,
    pub loaded: Vec<bool>,
    pub scopes: Scopes,
    pub fuel: Fuel,
    /// Expansions around the code being walked.
    pub depth: usize,
    /// How deeply the expansions around the code being walked nest brackets, together.
    pub nesting: usize,
    /// The slot of the file being walked, and the inline modules around the walk in it.
    pub slot: usize,
    pub inline: Vec<String>,
    pub out: Expansion,
}

impl Walker<'_, '_> {
    /// Walks a file of the crate, once, as the content of the module being walked.
    pub(super) fn load_file(&mut self, slot: usize) {
        if std::mem::replace(&mut self.loaded[slot], true) {
            return;
        }
        let outer = (self.slot, std::mem::take(&mut self.inline));
        self.slot = slot;
        let mut items = std::mem::take(&mut self.asts[slot].items);
        self.list(&mut items);
        self.asts[slot].items = items;
        (self.slot, self.inline) = outer;
    }

    /// Walks a list of items or statements: definitions come into scope, invocations are
    /// replaced by their expansion (walked in turn), everything else is walked.
    fn list<T: Position>(&mut self, list: &mut Vec<T>) {
        let count = list.len();
        let mut out = Vec::with_capacity(count);
        for (index, mut element) in std::mem::take(list).into_iter().enumerate() {
            if let Some(def) = element.definition().and_then(read) {
                self.scopes.define(def);
                out.push(element);
                continue;
            }
            let expanded = element.invocation().and_then(|mac| {
                self.expand(mac, |walker, tokens| {
                    let tokens = if T::HOLDS_FUNCTIONS {
                        walker.defer_bodies(tokens)
                    } else {
                        tokens
                    };
                    T::parse_expansion(tokens)
                })
            });
            match expanded {
                Some((mut expansion, nesting)) => {
                    self.deeper(nesting, |walker| walker.list(&mut expansion));
                    T::fit(&mut expansion, &element, index + 1 == count);
                    out.extend(expansion);
                }
                None => {
                    element.walk(self);
                    out.push(element);
                }
            }
        }
        *list = out;
    }

    /// Walks code one expansion deeper.
    fn deeper(&mut self, nesting: usize, walk: impl FnOnce(&mut Self)) {
        self.depth += 1;
        self.nesting += nesting;
        walk(self);
        self.depth -= 1;
        self.nesting -= nesting;
    }

    /// The expansion of an invocation of one of the crate's macros, parsed as the code its
    /// place expects, with how deeply it nests brackets; `None` leaves it as it is (not the
    /// crate's macro, no rule matches, not that kind of code, or a bound reached).
    fn expand<R>(
        &mut self,
        mac: &syn::Macro,
        parse: impl FnOnce(&mut Self, TokenStream) -> syn::Result<R>,
    ) -> Option<(R, usize)> {
        let def = self.scopes.resolve(&mac.path)?;
        if self.depth >= DEPTH_LIMIT {
            self.cut(ExpansionCut::depth(&def.name));
            return None;
        }
        if let Some(cut) = self.fuel.cut(&def.name) {
            self.cut(cut);
            return None;
        }
        let (span, invocation) = self.invocation_span(mac);
        let tokens: Vec<TokenTree> = mac.tokens.clone().into_iter().collect();
        let mut expansion = None;
        let mut input = Input::new(&tokens);
        for rule in &def.rules {
            if self.fuel.burn(tokens.len()).is_err() {
                break;
            }
            match match_rule(&rule.matcher, &mut input, &mut self.fuel) {
                Ok(Some(bindings)) => {
                    expansion = transcribe(&rule.transcriber, &bindings, span);
                    break;
                }
                Ok(None) => {}
                Err(_) => break,
            }
        }
        if let Some(cut) = self.fuel.cut(&def.name) {
            self.cut(cut);
            return None;
        }
        let expansion = expansion?;
        let nesting = expansion.nesting;
        if self.fuel.produce(expansion.size).is_err() {
            if let Some(cut) = self.fuel.cut(&def.name) {
                self.cut(cut);
            }
            return None;
        }
        if self.nesting + nesting > MAX_NESTING {
            self.cut(ExpansionCut::nesting(&def.name));
            return None;
        }
        let parsed = parse(self, expansion.tokens).ok()?;
        self.out
            .invocations
            .entry(invocation.whole)
            .or_insert_with(|| (def.name.clone(), invocation.shown));
        Some((parsed, nesting))
    }

    /// The span expanded tokens take (the whole invocation, as one raw span), and where the
    /// invocation is in the file's coordinates.
    fn invocation_span(&self, mac: &syn::Macro) -> (Span, Invocation) {
        let first = match (&mac.path.leading_colon, mac.path.segments.first()) {
            (Some(colon), _) => colon.spans[0],
            (None, Some(segment)) => segment.ident.span(),
            (None, None) => mac.bang_token.span,
        };
        let close = mac.delimiter.span().close();
        let raw = first.join(close).unwrap_or(first);
        let converter = &self.converters[self.slot];
        let whole = converter.between(first, close);
        let shown = if whole.line_start == whole.line_end {
            whole.clone()
        } else {
            converter.between(first, mac.bang_token.span)
        };
        (raw, Invocation { whole, shown })
    }

    /// An expansion's item list with its function bodies held apart (see
    /// [`Bodies::defer_tokens`]).
    fn defer_bodies(&mut self, tokens: TokenStream) -> TokenStream {
        let (bodies, slot, scopes) = (&mut *self.bodies, self.slot, &self.scopes);
        let crate_macro = |name: &str| scopes.defines(name);
        defer_expanded_bodies(tokens, &mut |body| {
            bodies.defer_tokens(slot, body, &crate_macro)
        })
    }

    fn cut(&mut self, cut: ExpansionCut) {
        if !self.out.cuts.iter().any(|known| known.same_kind(&cut)) {
            self.out.cuts.push(cut);
        }
    }
}

impl VisitMut for Walker<'_, '_> {
    fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
        let mark = self.scopes.enter();
        match &mut module.content {
            Some((_, items)) => {
                self.inline.push(module.ident.to_string());
                self.list(items);
                self.inline.pop();
            }
            None => {
                let from = self.files[self.slot];
                let child = self.table.mod_item_file(
                    from,
                    self.roots.contains(&self.slot),
                    &self.inline,
                    module,
                );
                if let Some(&slot) = child.and_then(|c| self.slots.get(&c)) {
                    self.load_file(slot);
                }
            }
        }
        let macro_use = module.attrs.iter().any(|a| a.path().is_ident("macro_use"));
        if !macro_use {
            self.scopes.leave(mark);
        }
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let mark = self.scopes.enter();
        self.list(&mut block.stmts);
        self.scopes.leave(mark);
    }

    fn visit_item_impl_mut(&mut self, item: &mut syn::ItemImpl) {
        self.list(&mut item.items);
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        // The invisible groups around expanded `$e:expr` fragments have done their work once
        // parsed: the tree keeps the expression whole.
        while let syn::Expr::Group(group) = expr {
            *expr = std::mem::replace(&mut *group.expr, syn::Expr::PLACEHOLDER);
        }
        if let syn::Expr::Macro(call) = expr {
            let parsed = self.expand(&call.mac, |_, tokens| expression.parse2(tokens));
            if let Some((mut expansion, nesting)) = parsed {
                self.deeper(nesting, |walker| walker.visit_expr_mut(&mut expansion));
                *expr = expansion;
                return;
            }
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

/// An expansion in expression position: one expression (a trailing `;` is tolerated, as rustc
/// does).
fn expression(input: ParseStream<'_>) -> syn::Result<syn::Expr> {
    let expr = input.parse()?;
    input.parse::<Option<syn::Token![;]>>()?;
    Ok(expr)
}

/// A place in a list where a macro may be defined or invoked: items, statements, impl items.
trait Position: Sized {
    /// The `macro_rules!` definition it is.
    fn definition(&self) -> Option<&syn::ItemMacro>;
    /// The macro invocation it is.
    fn invocation(&self) -> Option<&syn::Macro>;
    /// An expansion in this position: zero or more of these.
    fn parse_all(input: ParseStream<'_>) -> syn::Result<Vec<Self>>;
    /// An expansion in this position is a list of items that may be functions, whose bodies
    /// are held apart (see `Walker::defer_bodies`): items and impl items.
    const HOLDS_FUNCTIONS: bool = false;
    /// The same, from the expansion's tokens.
    fn parse_expansion(tokens: TokenStream) -> syn::Result<Vec<Self>> {
        Self::parse_all.parse2(tokens)
    }
    fn walk(&mut self, walker: &mut Walker<'_, '_>);
    /// Fits an expansion into the place of the invocation it replaces (`last`: the invocation
    /// ended its list).
    fn fit(_expansion: &mut [Self], _replaced: &Self, _last: bool) {}
}

/// As many items as the input holds.
pub(super) fn to_the_end<T: syn::parse::Parse>(input: ParseStream<'_>) -> syn::Result<Vec<T>> {
    let mut items = Vec::new();
    while !input.is_empty() {
        items.push(input.parse()?);
    }
    Ok(items)
}

/// `name! { … }` or `name!(…);` (`[…]` too), with `name` an identifier, as syn parses it as an
/// item; `None` for anything else.
pub(super) fn lone_invocation(tokens: &TokenStream) -> Option<syn::Item> {
    let mut trees = tokens.clone().into_iter();
    let (Some(TokenTree::Ident(name)), Some(TokenTree::Punct(bang)), Some(TokenTree::Group(group))) =
        (trees.next(), trees.next(), trees.next())
    else {
        return None;
    };
    let semi_token = match (group.delimiter(), trees.next()) {
        (Delimiter::None, _) => return None,
        (Delimiter::Brace, None) => None,
        (Delimiter::Brace, Some(_)) => return None,
        (_, Some(TokenTree::Punct(semi))) if semi.as_char() == ';' => {
            Some(syn::token::Semi(semi.span()))
        }
        (_, _) => return None,
    };
    if bang.as_char() != '!' || trees.next().is_some() {
        return None;
    }
    // syn's own reading of the name: a keyword is not one.
    let ident: syn::Ident = syn::parse2(TokenTree::Ident(name).into()).ok()?;
    let span = group.delim_span();
    let delimiter = match group.delimiter() {
        Delimiter::Parenthesis => syn::MacroDelimiter::Paren(syn::token::Paren(span)),
        Delimiter::Brace => syn::MacroDelimiter::Brace(syn::token::Brace(span)),
        Delimiter::Bracket | Delimiter::None => {
            syn::MacroDelimiter::Bracket(syn::token::Bracket(span))
        }
    };
    Some(syn::Item::Macro(syn::ItemMacro {
        attrs: Vec::new(),
        ident: None,
        mac: syn::Macro {
            path: ident.into(),
            bang_token: syn::token::Not(bang.span()),
            delimiter,
            tokens: group.stream(),
        },
        semi_token,
    }))
}

fn item_definition(item: &syn::Item) -> Option<&syn::ItemMacro> {
    match item {
        syn::Item::Macro(m) if m.ident.is_some() => Some(m),
        _ => None,
    }
}

fn item_invocation(item: &syn::Item) -> Option<&syn::Macro> {
    match item {
        syn::Item::Macro(m) if m.ident.is_none() => Some(&m.mac),
        _ => None,
    }
}

impl Position for syn::Item {
    const HOLDS_FUNCTIONS: bool = true;

    fn definition(&self) -> Option<&syn::ItemMacro> {
        item_definition(self)
    }

    fn invocation(&self) -> Option<&syn::Macro> {
        item_invocation(self)
    }

    fn parse_all(input: ParseStream<'_>) -> syn::Result<Vec<Self>> {
        to_the_end(input)
    }

    /// A recursive macro's expansion is often one more invocation of a macro (`next! { … }`),
    /// each level holding what is left of the input: that is read as the one item syn would
    /// make of it, without syn copying every token of it first.
    fn parse_expansion(tokens: TokenStream) -> syn::Result<Vec<Self>> {
        match lone_invocation(&tokens) {
            Some(mac) => Ok(vec![mac]),
            None => to_the_end.parse2(tokens),
        }
    }

    fn walk(&mut self, walker: &mut Walker<'_, '_>) {
        walker.visit_item_mut(self);
    }
}

impl Position for syn::Stmt {
    fn definition(&self) -> Option<&syn::ItemMacro> {
        match self {
            syn::Stmt::Item(item) => item_definition(item),
            _ => None,
        }
    }

    fn invocation(&self) -> Option<&syn::Macro> {
        match self {
            syn::Stmt::Macro(m) => Some(&m.mac),
            syn::Stmt::Item(item) => item_invocation(item),
            _ => None,
        }
    }

    fn parse_all(input: ParseStream<'_>) -> syn::Result<Vec<Self>> {
        syn::Block::parse_within(input)
    }

    fn walk(&mut self, walker: &mut Walker<'_, '_>) {
        walker.visit_stmt_mut(self);
    }

    /// A statement macro ends as a statement: its trailing expression takes the invocation's
    /// `;` (its temporaries, a guard among them, end there), unless the invocation is the
    /// block's value.
    fn fit(expansion: &mut [Self], replaced: &Self, last: bool) {
        let semi = match replaced {
            syn::Stmt::Macro(m) => m.semi_token,
            _ => None,
        };
        if last && semi.is_none() {
            return;
        }
        // A braced invocation amid a block has no `;` of its own: its closing brace stands in.
        let close = replaced.invocation().map(|m| m.delimiter.span().close());
        let Some(semi) = semi.or_else(|| close.map(syn::token::Semi)) else {
            return;
        };
        match expansion.last_mut() {
            Some(syn::Stmt::Expr(_, end @ None)) => *end = Some(semi),
            Some(syn::Stmt::Macro(m)) if m.semi_token.is_none() => m.semi_token = Some(semi),
            _ => {}
        }
    }
}

impl Position for syn::ImplItem {
    const HOLDS_FUNCTIONS: bool = true;

    fn definition(&self) -> Option<&syn::ItemMacro> {
        None
    }

    fn invocation(&self) -> Option<&syn::Macro> {
        match self {
            syn::ImplItem::Macro(m) => Some(&m.mac),
            _ => None,
        }
    }

    fn parse_all(input: ParseStream<'_>) -> syn::Result<Vec<Self>> {
        to_the_end(input)
    }

    fn walk(&mut self, walker: &mut Walker<'_, '_>) {
        walker.visit_impl_item_mut(self);
    }
}
