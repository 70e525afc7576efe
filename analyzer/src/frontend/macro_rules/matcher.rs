//! Matching an invocation's tokens against a rule's matcher, binding its fragments.
//!
//! Tokens are compared as rustc compares them, character by character for punctuation (proc-macro2
//! splits `=>` into `=` and `>` on both sides alike). Fragments that are syntax (`expr`, `ty`,
//! `path`, `pat`, `stmt`, `item`, `vis`, `meta`) take as many tokens as syn parses; a repetition
//! takes as many rounds as it can, giving rounds back until the rest of the matcher matches.
use super::budget::{Exhausted, Fuel};
use super::definition::{Fragment, Matcher, Op, Repetition};
use proc_macro2::{Delimiter, Group, Punct, Spacing, TokenStream, TokenTree};
use std::collections::HashMap;
use std::rc::Rc;
use syn::parse::{ParseStream, Parser};

/// What a fragment matched: one token (most fragments, kept apart from `Leaf` because
/// token-munching macros bind thousands of `tt`s, each a list of its own otherwise), tokens, or
/// one binding per round of the repetitions around it.
#[derive(Debug, Clone)]
pub(super) enum Binding {
    One(TokenTree),
    Leaf(Vec<TokenTree>),
    Seq(Vec<Binding>),
}

impl Binding {
    /// The tokens a fragment matched; `None` for the rounds of a repetition.
    pub(super) fn tokens(&self) -> Option<&[TokenTree]> {
        match self {
            Binding::One(token) => Some(std::slice::from_ref(token)),
            Binding::Leaf(tokens) => Some(tokens),
            Binding::Seq(_) => None,
        }
    }
}

pub(super) type Bindings = HashMap<Rc<str>, Binding>;

/// The bindings a match has made so far, in the matcher's order (of two of one name, the later
/// counts, as rustc refuses a matcher that binds a name twice): one list grown and cut back as
/// the match goes, rather than a map made for every token matched.
type Made = Vec<(Rc<str>, Binding)>;

/// Where a match ended, if it matched.
type Matched = Result<Option<usize>, Exhausted>;

/// An invocation's tokens, matched against rule after rule. The rules of a macro often start
/// alike (`$ty:ty` in each), so how far syn reads each syntax fragment at the invocation's top
/// level is kept for the next rule (each such read copies the rest of the invocation for syn).
pub(super) struct Input<'t> {
    tokens: &'t [TokenTree],
    parsed: HashMap<(usize, Fragment), Option<usize>>,
}

impl<'t> Input<'t> {
    pub(super) fn new(tokens: &'t [TokenTree]) -> Self {
        Self {
            tokens,
            parsed: HashMap::new(),
        }
    }
}

/// The bindings of `matcher` if it matches all of the input.
pub(super) fn match_rule(
    matcher: &[Matcher],
    input: &mut Input<'_>,
    fuel: &mut Fuel,
) -> Result<Option<Bindings>, Exhausted> {
    let mut made = Made::new();
    let mut matching = Matching {
        fuel,
        top: input.tokens,
        parsed: &mut input.parsed,
    };
    let end = matching.sequence(matcher, input.tokens, 0, true, &mut made)?;
    Ok(end.map(|_| made.into_iter().collect()))
}

struct Matching<'f> {
    fuel: &'f mut Fuel,
    /// The invocation's top level, and the syntax fragments read there (see [`Input`]).
    top: &'f [TokenTree],
    parsed: &'f mut HashMap<(usize, Fragment), Option<usize>>,
}

impl Matching<'_> {
    /// Matches `matcher` from `tokens[at]`, to the end of `tokens` when `whole`, else as far as
    /// the first way found goes: where it ended. Its bindings go onto `made`, which is left as
    /// it was when it does not match.
    fn sequence(
        &mut self,
        matcher: &[Matcher],
        tokens: &[TokenTree],
        at: usize,
        whole: bool,
        made: &mut Made,
    ) -> Matched {
        self.fuel.burn(1)?;
        let Some((first, rest)) = matcher.split_first() else {
            let done = !whole || at == tokens.len();
            return Ok(done.then_some(at));
        };
        let mark = made.len();
        match first {
            Matcher::Token(expected) => {
                if !tokens.get(at).is_some_and(|t| same_token(expected, t)) {
                    return Ok(None);
                }
            }
            Matcher::Group(delimiter, inner) => {
                let Some(TokenTree::Group(group)) = tokens.get(at) else {
                    return Ok(None);
                };
                if group.delimiter() != *delimiter {
                    return Ok(None);
                }
                let inside: Vec<TokenTree> = group.stream().into_iter().collect();
                self.fuel.burn(inside.len())?;
                if self.sequence(inner, &inside, 0, true, made)?.is_none() {
                    return Ok(None);
                }
            }
            Matcher::Fragment(name, kind) => {
                let Some(len) = self.fragment_len(*kind, tokens, at)? else {
                    return Ok(None);
                };
                let matched = &tokens[at..at + len];
                let binding = if *kind == Fragment::Expr {
                    // An invisible group keeps the expression whole wherever it is put
                    // (`$e * 2` with `$e` = `1 + 1`), as rustc does.
                    let mut group = Group::new(Delimiter::None, matched.iter().cloned().collect());
                    group.set_span(matched[0].span());
                    Binding::One(TokenTree::Group(group))
                } else {
                    let mut tokens = matched.to_vec();
                    // Glued to what followed it in the invocation, a last `>` could join
                    // what follows it in the expansion (`>` then `=`): it ends the fragment.
                    if let Some(TokenTree::Punct(last)) = tokens.last_mut() {
                        let mut alone = Punct::new(last.as_char(), Spacing::Alone);
                        alone.set_span(last.span());
                        *last = alone;
                    }
                    match <[TokenTree; 1]>::try_from(tokens) {
                        Ok([one]) => Binding::One(one),
                        Err(tokens) => Binding::Leaf(tokens),
                    }
                };
                made.push((Rc::clone(name), binding));
                let ended = self.sequence(rest, tokens, at + len, whole, made)?;
                return Ok(kept(ended, made, mark));
            }
            Matcher::Repeat(rep) => return self.repetition(rep, rest, tokens, at, whole, made),
        }
        let ended = self.sequence(rest, tokens, at + 1, whole, made)?;
        Ok(kept(ended, made, mark))
    }

    fn repetition(
        &mut self,
        rep: &Repetition<Matcher>,
        rest: &[Matcher],
        tokens: &[TokenTree],
        at: usize,
        whole: bool,
        made: &mut Made,
    ) -> Matched {
        // As many rounds as match, each ending where the next may start: each round's end in
        // the tokens and in `bound`, which holds the bindings of every round in turn (one list
        // for all rounds: a list per round cost as much as the matching of a `tt`).
        let mut rounds: Vec<(usize, usize)> = Vec::new();
        let mut bound = Made::new();
        let mut next = at;
        while !(rep.op == Op::ZeroOrOne && rounds.len() == 1) {
            let mut start = next;
            if !rounds.is_empty() {
                let sep = &rep.separator;
                let present = tokens.len() >= start + sep.len()
                    && sep
                        .iter()
                        .zip(&tokens[start..])
                        .all(|(s, t)| same_token(s, t));
                if !present {
                    break;
                }
                start += sep.len();
            }
            let mark = bound.len();
            match self.sequence(&rep.body, tokens, start, false, &mut bound)? {
                // A round that takes nothing would repeat forever.
                Some(end) if end > start => {
                    rounds.push((end, bound.len()));
                    next = end;
                }
                _ => {
                    bound.truncate(mark);
                    break;
                }
            }
        }
        let fewest = usize::from(rep.op == Op::OneOrMore);
        for count in (fewest..=rounds.len()).rev() {
            let end = if count == 0 { at } else { rounds[count - 1].0 };
            let Some(end) = self.sequence(rest, tokens, end, whole, made)? else {
                continue;
            };
            // Each name binds one sequence, of what it bound in each round kept.
            rounds.truncate(count);
            let mut per_name: Vec<Vec<Binding>> = rep
                .names
                .iter()
                .map(|_| Vec::with_capacity(count))
                .collect();
            let mut from = 0;
            for (_, upto) in rounds {
                let round = &mut bound[from..upto];
                for (name, sequence) in rep.names.iter().zip(&mut per_name) {
                    let binding = round
                        .iter_mut()
                        .rev()
                        .find(|(n, _)| n == name)
                        .map(|(_, binding)| std::mem::replace(binding, Binding::Seq(Vec::new())));
                    sequence.push(binding.unwrap_or(Binding::Seq(Vec::new())));
                }
                from = upto;
            }
            for (name, sequence) in rep.names.iter().zip(per_name) {
                made.push((Rc::clone(name), Binding::Seq(sequence)));
            }
            return Ok(Some(end));
        }
        Ok(None)
    }

    /// How many tokens from `tokens[at]` a fragment of this kind takes, if it matches there.
    fn fragment_len(
        &mut self,
        kind: Fragment,
        tokens: &[TokenTree],
        at: usize,
    ) -> Result<Option<usize>, Exhausted> {
        let Some(first) = tokens.get(at) else {
            // Only a visibility may be empty.
            return Ok((kind == Fragment::Vis).then_some(0));
        };
        Ok(match kind {
            Fragment::Ident => matches!(first, TokenTree::Ident(i) if i != "_").then_some(1),
            Fragment::Lifetime => lifetime_at(tokens, at).then_some(2),
            Fragment::Tt => Some(tt_len(tokens, at)),
            Fragment::Literal => match first {
                TokenTree::Literal(_) => Some(1),
                TokenTree::Ident(i) if i == "true" || i == "false" => Some(1),
                TokenTree::Punct(p) if p.as_char() == '-' => {
                    matches!(tokens.get(at + 1), Some(TokenTree::Literal(_))).then_some(2)
                }
                _ => None,
            },
            Fragment::Block => {
                matches!(first, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace)
                    .then_some(1)
            }
            Fragment::Expr
            | Fragment::Ty
            | Fragment::Path
            | Fragment::Pat
            | Fragment::PatParam
            | Fragment::Stmt
            | Fragment::Item
            | Fragment::Vis
            | Fragment::Meta => {
                // syn's parse costs what is left of the invocation (charged alike when the
                // read is remembered, so that the budget cuts where it always did).
                self.fuel.burn(tokens.len() - at)?;
                if std::ptr::eq(tokens, self.top) {
                    *self
                        .parsed
                        .entry((at, kind))
                        .or_insert_with(|| parsed_len(kind, &tokens[at..]))
                } else {
                    parsed_len(kind, &tokens[at..])
                }
            }
        })
    }
}

/// A match's end; when it did not match, what it bound since `mark` is taken back.
fn kept(ended: Option<usize>, made: &mut Made, mark: usize) -> Option<usize> {
    if ended.is_none() {
        made.truncate(mark);
    }
    ended
}

/// Two tokens that read the same (spans and spacing aside).
pub(super) fn same_token(a: &TokenTree, b: &TokenTree) -> bool {
    match (a, b) {
        (TokenTree::Ident(a), TokenTree::Ident(b)) => a == b,
        (TokenTree::Punct(a), TokenTree::Punct(b)) => a.as_char() == b.as_char(),
        (TokenTree::Literal(a), TokenTree::Literal(b)) => a.to_string() == b.to_string(),
        _ => false,
    }
}

fn lifetime_at(tokens: &[TokenTree], at: usize) -> bool {
    matches!(tokens.get(at), Some(TokenTree::Punct(p)) if p.as_char() == '\'' && p.spacing() == Spacing::Joint)
        && matches!(tokens.get(at + 1), Some(TokenTree::Ident(_)))
}

/// rustc's operators of several characters, longest first.
const OPERATORS: [&str; 23] = [
    "<<=", ">>=", "...", "..=", "::", "->", "=>", "==", "!=", "<=", ">=", "&&", "||", "+=", "-=",
    "*=", "/=", "%=", "^=", "&=", "|=", "<<", ">>",
];

/// The tokens of one rustc token tree at `tokens[at]`: a group, a lifetime, a multi-character
/// operator, or a single token.
fn tt_len(tokens: &[TokenTree], at: usize) -> usize {
    if lifetime_at(tokens, at) {
        return 2;
    }
    let mut chars = String::new();
    for tree in &tokens[at..] {
        let TokenTree::Punct(p) = tree else { break };
        chars.push(p.as_char());
        if p.spacing() == Spacing::Alone || chars.len() == 3 {
            break;
        }
    }
    let longest = std::iter::once("..")
        .chain(OPERATORS)
        .filter(|op| chars.starts_with(op))
        .map(str::len)
        .max();
    longest.unwrap_or(1)
}

/// How many of `tokens` (from the first) syn parses as one `kind`, if it parses one.
fn parsed_len(kind: Fragment, tokens: &[TokenTree]) -> Option<usize> {
    let stream: TokenStream = tokens.iter().cloned().collect();
    let total = tokens.len();
    let parser = |input: ParseStream<'_>| -> syn::Result<usize> {
        parse_fragment(kind, input)?;
        let left = input.step(|cursor| {
            let mut rest = *cursor;
            let mut left = 0;
            while let Some((_, next)) = rest.token_tree() {
                left += 1;
                rest = next;
            }
            Ok((left, rest))
        })?;
        Ok(total - left)
    };
    parser.parse2(stream).ok()
}

fn parse_fragment(kind: Fragment, input: ParseStream<'_>) -> syn::Result<()> {
    match kind {
        Fragment::Expr => drop(input.parse::<syn::Expr>()?),
        Fragment::Ty => drop(input.parse::<syn::Type>()?),
        Fragment::Path => drop(input.parse::<syn::Path>()?),
        Fragment::Pat => drop(syn::Pat::parse_multi_with_leading_vert(input)?),
        Fragment::PatParam => drop(syn::Pat::parse_single(input)?),
        Fragment::Item => drop(input.parse::<syn::Item>()?),
        Fragment::Vis => drop(input.parse::<syn::Visibility>()?),
        Fragment::Meta => drop(input.parse::<syn::Meta>()?),
        Fragment::Stmt => statement(input)?,
        Fragment::Ident
        | Fragment::Lifetime
        | Fragment::Tt
        | Fragment::Literal
        | Fragment::Block => return Err(input.error("a fragment matched token by token")),
    }
    Ok(())
}

/// A statement without its trailing semicolon: `let` with its pattern, type and value, an item,
/// or an expression.
fn statement(input: ParseStream<'_>) -> syn::Result<()> {
    if input.peek(syn::Token![let]) {
        input.parse::<syn::Token![let]>()?;
        syn::Pat::parse_single(input)?;
        if input.parse::<Option<syn::Token![:]>>()?.is_some() {
            input.parse::<syn::Type>()?;
        }
        if input.parse::<Option<syn::Token![=]>>()?.is_some() {
            input.parse::<syn::Expr>()?;
        }
        return Ok(());
    }
    let fork = input.fork();
    if fork.parse::<syn::Item>().is_ok() {
        return input.parse::<syn::Item>().map(drop);
    }
    input.parse::<syn::Expr>().map(drop)
}
