//! A `macro_rules!` definition read into rules: each rule's matcher (what an invocation must look
//! like) and transcriber (what it expands to). A definition rustc would refuse (a rule without
//! `=>`, a fragment without a specifier, an unknown specifier) is not read at all, so its
//! invocations stay unexpanded.
use proc_macro2::{Delimiter, Ident, Spacing, TokenStream, TokenTree};
use std::iter::Peekable;
use std::rc::Rc;

/// One macro of the crate.
#[derive(Debug)]
pub(super) struct MacroDef {
    pub name: String,
    /// `#[macro_export]`: reachable by path (`crate::name!`) from anywhere in the crate.
    pub exported: bool,
    pub rules: Vec<Rule>,
}

#[derive(Debug)]
pub(super) struct Rule {
    pub matcher: Vec<Matcher>,
    pub transcriber: Vec<Transcriber>,
}

/// What a `$name:kind` fragment matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Fragment {
    Expr,
    Ident,
    Ty,
    Tt,
    Path,
    Literal,
    /// `pat`: a pattern with top-level `|` alternatives (edition 2021).
    Pat,
    PatParam,
    Block,
    Stmt,
    Item,
    Lifetime,
    Vis,
    Meta,
}

impl Fragment {
    fn named(kind: &str) -> Option<Self> {
        Some(match kind {
            "expr" | "expr_2021" => Self::Expr,
            "ident" => Self::Ident,
            "ty" => Self::Ty,
            "tt" => Self::Tt,
            "path" => Self::Path,
            "literal" => Self::Literal,
            "pat" => Self::Pat,
            "pat_param" => Self::PatParam,
            "block" => Self::Block,
            "stmt" => Self::Stmt,
            "item" => Self::Item,
            "lifetime" => Self::Lifetime,
            "vis" => Self::Vis,
            "meta" => Self::Meta,
            _ => return None,
        })
    }
}

/// How often a repetition may match: `*`, `+` or `?`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
    ZeroOrMore,
    OneOrMore,
    ZeroOrOne,
}

/// `$( body ) separator op`, in a matcher or a transcriber.
#[derive(Debug)]
pub(super) struct Repetition<T> {
    pub body: Vec<T>,
    /// Zero or one token of rustc's (a multi-character operator such as `=>` is several
    /// punctuation characters here).
    pub separator: Vec<TokenTree>,
    pub op: Op,
    /// The names of the fragments (in a matcher) or variables (in a transcriber) in the body,
    /// nested repetitions included, each once: read with the rule, not at each invocation.
    pub names: Vec<Rc<str>>,
}

#[derive(Debug)]
pub(super) enum Matcher {
    /// An identifier, literal or punctuation character the invocation must repeat.
    Token(TokenTree),
    Group(Delimiter, Vec<Matcher>),
    /// A fragment's name is shared by the bindings it makes.
    Fragment(Rc<str>, Fragment),
    Repeat(Repetition<Matcher>),
}

#[derive(Debug)]
pub(super) enum Transcriber {
    Token(TokenTree),
    Group(Delimiter, Vec<Transcriber>),
    /// `$name`, with the name as the bindings key it; one that no fragment binds is written out
    /// as it stands.
    Var(Ident, Rc<str>),
    /// `$crate`, written `crate`: the analyzed crate is the macro's crate.
    Crate,
    Repeat(Repetition<Transcriber>),
}

impl Matcher {
    /// The names of the fragments in it, repetitions included.
    fn names(matchers: &[Matcher], out: &mut Vec<Rc<str>>) {
        for m in matchers {
            match m {
                Matcher::Fragment(name, _) => push_new(out, name),
                Matcher::Group(_, inner) => Self::names(inner, out),
                Matcher::Repeat(rep) => rep.names.iter().for_each(|name| push_new(out, name)),
                Matcher::Token(_) => {}
            }
        }
    }
}

impl Transcriber {
    /// The names of the variables it uses, repetitions included.
    fn names(parts: &[Transcriber], out: &mut Vec<Rc<str>>) {
        for part in parts {
            match part {
                Transcriber::Var(_, name) => push_new(out, name),
                Transcriber::Group(_, inner) => Self::names(inner, out),
                Transcriber::Repeat(rep) => rep.names.iter().for_each(|name| push_new(out, name)),
                Transcriber::Token(_) | Transcriber::Crate => {}
            }
        }
    }
}

fn push_new(names: &mut Vec<Rc<str>>, name: &Rc<str>) {
    if !names.contains(name) {
        names.push(Rc::clone(name));
    }
}

/// The definition `macro_rules! name { … }`, if `item` is one rustc would accept.
pub(super) fn read(item: &syn::ItemMacro) -> Option<MacroDef> {
    let name = item.ident.as_ref()?;
    if !item.mac.path.is_ident("macro_rules") {
        return None;
    }
    let exported = item.attrs.iter().any(|a| a.path().is_ident("macro_export"));
    let mut tokens = item.mac.tokens.clone().into_iter().peekable();
    let mut rules = Vec::new();
    while tokens.peek().is_some() {
        let TokenTree::Group(matcher) = tokens.next()? else {
            return None;
        };
        expect_punct(&mut tokens, '=')?;
        expect_punct(&mut tokens, '>')?;
        let TokenTree::Group(transcriber) = tokens.next()? else {
            return None;
        };
        rules.push(Rule {
            matcher: matcher_of(matcher.stream())?,
            transcriber: transcriber_of(transcriber.stream())?,
        });
        match tokens.next() {
            None => break,
            Some(TokenTree::Punct(p)) if p.as_char() == ';' => {}
            Some(_) => return None,
        }
    }
    (!rules.is_empty()).then(|| MacroDef {
        name: name.to_string(),
        exported,
        rules,
    })
}

type Tokens = Peekable<proc_macro2::token_stream::IntoIter>;

fn expect_punct(tokens: &mut Tokens, ch: char) -> Option<()> {
    match tokens.next()? {
        TokenTree::Punct(p) if p.as_char() == ch => Some(()),
        _ => None,
    }
}

fn is_dollar(tree: &TokenTree) -> bool {
    matches!(tree, TokenTree::Punct(p) if p.as_char() == '$')
}

fn matcher_of(stream: TokenStream) -> Option<Vec<Matcher>> {
    let mut tokens = stream.into_iter().peekable();
    let mut out = Vec::new();
    while let Some(tree) = tokens.next() {
        out.push(match tree {
            TokenTree::Group(g) => Matcher::Group(g.delimiter(), matcher_of(g.stream())?),
            dollar if is_dollar(&dollar) => match tokens.next()? {
                TokenTree::Ident(name) => {
                    expect_punct(&mut tokens, ':')?;
                    let TokenTree::Ident(kind) = tokens.next()? else {
                        return None;
                    };
                    Matcher::Fragment(name.to_string().into(), Fragment::named(&kind.to_string())?)
                }
                TokenTree::Group(g) if g.delimiter() == Delimiter::Parenthesis => {
                    let body = matcher_of(g.stream())?;
                    let (separator, op) = repetition_tail(&mut tokens)?;
                    let mut names = Vec::new();
                    Matcher::names(&body, &mut names);
                    Matcher::Repeat(Repetition {
                        body,
                        separator,
                        op,
                        names,
                    })
                }
                _ => return None,
            },
            other => Matcher::Token(other),
        });
    }
    Some(out)
}

fn transcriber_of(stream: TokenStream) -> Option<Vec<Transcriber>> {
    let mut tokens = stream.into_iter().peekable();
    let mut out = Vec::new();
    while let Some(tree) = tokens.next() {
        out.push(match tree {
            TokenTree::Group(g) => Transcriber::Group(g.delimiter(), transcriber_of(g.stream())?),
            dollar if is_dollar(&dollar) => match tokens.peek() {
                Some(TokenTree::Ident(name)) if name == "crate" => {
                    tokens.next();
                    Transcriber::Crate
                }
                Some(TokenTree::Ident(_)) => {
                    let Some(TokenTree::Ident(name)) = tokens.next() else {
                        return None;
                    };
                    let key = name.to_string().into();
                    Transcriber::Var(name, key)
                }
                Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
                    let body = transcriber_of(g.stream())?;
                    tokens.next();
                    let (separator, op) = repetition_tail(&mut tokens)?;
                    let mut names = Vec::new();
                    Transcriber::names(&body, &mut names);
                    Transcriber::Repeat(Repetition {
                        body,
                        separator,
                        op,
                        names,
                    })
                }
                _ => Transcriber::Token(dollar),
            },
            other => Transcriber::Token(other),
        });
    }
    Some(out)
}

fn op_of(tree: &TokenTree) -> Option<Op> {
    match tree {
        TokenTree::Punct(p) => match p.as_char() {
            '*' => Some(Op::ZeroOrMore),
            '+' => Some(Op::OneOrMore),
            '?' => Some(Op::ZeroOrOne),
            _ => None,
        },
        _ => None,
    }
}

/// The separator and operator after `$( … )`: `*`, `,*`, `=>+`, `;?`, `**` (separator `*`).
fn repetition_tail(tokens: &mut Tokens) -> Option<(Vec<TokenTree>, Op)> {
    let first = tokens.next()?;
    if let Some(op) = op_of(&first) {
        let joined_to_op = matches!(&first, TokenTree::Punct(p) if p.spacing() == Spacing::Joint)
            && tokens.peek().and_then(op_of).is_some();
        if !joined_to_op {
            return Some((Vec::new(), op));
        }
    }
    // The separator: one token, or the characters of one multi-character operator.
    let mut separator = vec![first];
    loop {
        let next = tokens.next()?;
        if let Some(op) = op_of(&next) {
            return Some((separator, op));
        }
        let joint =
            matches!(separator.last(), Some(TokenTree::Punct(p)) if p.spacing() == Spacing::Joint);
        if !joint || separator.len() == 3 {
            return None;
        }
        separator.push(next);
    }
}
