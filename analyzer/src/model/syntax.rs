//! Small questions about syntax: where an expression starts and ends, what a path spells.
//!
//! `syn::spanned::Spanned` re-tokenizes a whole expression to find its span, which costs as
//! much as the expression is long; these walk only its first and last tokens.
use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::Expr;

/// The span of the first token of an expression. Walks down the left edge of the expression
/// (a loop, not a recursion: method chains can be as long as a file).
pub(crate) fn first_token(mut expr: &Expr) -> Span {
    loop {
        expr = match expr {
            Expr::MethodCall(e) => &e.receiver,
            Expr::Call(e) => &e.func,
            Expr::Field(e) => &e.base,
            Expr::Index(e) => &e.expr,
            Expr::Binary(e) => &e.left,
            Expr::Assign(e) => &e.left,
            Expr::Try(e) => &e.expr,
            Expr::Await(e) => &e.base,
            Expr::Cast(e) => &e.expr,
            Expr::Group(e) => &e.expr,
            Expr::Range(e) => match &e.start {
                Some(start) => start,
                None => return e.limits.span(),
            },
            Expr::Path(e) => {
                return match &e.qself {
                    Some(q) => q.lt_token.span,
                    None => path_first(&e.path),
                }
            }
            Expr::Paren(e) => return e.paren_token.span.open(),
            Expr::Tuple(e) => return e.paren_token.span.open(),
            Expr::Array(e) => return e.bracket_token.span.open(),
            Expr::Repeat(e) => return e.bracket_token.span.open(),
            Expr::Reference(e) => return e.and_token.span,
            Expr::RawAddr(e) => return e.and_token.span,
            Expr::Unary(e) => return e.op.span(),
            Expr::Lit(e) => return e.lit.span(),
            Expr::Macro(e) => return path_first(&e.mac.path),
            Expr::Block(e) => return labelled(&e.label, e.block.brace_token.span.open()),
            Expr::Closure(e) => return e.or1_token.span,
            Expr::Struct(e) => return path_first(&e.path),
            Expr::Return(e) => return e.return_token.span,
            Expr::If(e) => return e.if_token.span,
            Expr::Match(e) => return e.match_token.span,
            Expr::While(e) => return labelled(&e.label, e.while_token.span),
            Expr::Loop(e) => return labelled(&e.label, e.loop_token.span),
            Expr::ForLoop(e) => return labelled(&e.label, e.for_token.span),
            Expr::Let(e) => return e.let_token.span,
            Expr::Unsafe(e) => return e.unsafe_token.span,
            Expr::Async(e) => return e.async_token.span,
            Expr::Const(e) => return e.const_token.span,
            Expr::TryBlock(e) => return e.try_token.span,
            Expr::Yield(e) => return e.yield_token.span,
            Expr::Break(e) => return e.break_token.span,
            Expr::Continue(e) => return e.continue_token.span,
            Expr::Infer(e) => return e.underscore_token.span,
            // Verbatim tokens: as short as they are written.
            _ => return expr.span(),
        };
    }
}

fn labelled(label: &Option<syn::Label>, token: Span) -> Span {
    label.as_ref().map_or(token, |l| l.name.apostrophe)
}

/// The span of the last token of an expression, for the kinds the model reports; the first
/// token for the others (a closure, a struct literal, `return`: spans that show their head).
pub(crate) fn last_token(mut expr: &Expr) -> Span {
    loop {
        expr = match expr {
            Expr::MethodCall(e) => return e.paren_token.span.close(),
            Expr::Call(e) => return e.paren_token.span.close(),
            Expr::Path(e) => {
                return e
                    .path
                    .segments
                    .last()
                    .map_or_else(|| first_token(expr), |s| s.ident.span())
            }
            Expr::Field(e) => return e.member.span(),
            Expr::Index(e) => return e.bracket_token.span.close(),
            Expr::Paren(e) => return e.paren_token.span.close(),
            Expr::Macro(e) => return delimiters(&e.mac).close(),
            Expr::Try(e) => return e.question_token.span,
            Expr::Lit(e) => return e.lit.span(),
            Expr::Tuple(e) => return e.paren_token.span.close(),
            Expr::Array(e) => return e.bracket_token.span.close(),
            Expr::Repeat(e) => return e.bracket_token.span.close(),
            Expr::Await(e) => return e.await_token.span,
            Expr::Block(e) => return e.block.brace_token.span.close(),
            Expr::Match(e) => return e.brace_token.span.close(),
            Expr::While(e) => return e.body.brace_token.span.close(),
            Expr::Loop(e) => return e.body.brace_token.span.close(),
            Expr::ForLoop(e) => return e.body.brace_token.span.close(),
            Expr::Unsafe(e) => return e.block.brace_token.span.close(),
            Expr::Async(e) => return e.block.brace_token.span.close(),
            Expr::Const(e) => return e.block.brace_token.span.close(),
            Expr::TryBlock(e) => return e.block.brace_token.span.close(),
            Expr::If(e) => match &e.else_branch {
                Some((_, otherwise)) => otherwise,
                None => return e.then_branch.brace_token.span.close(),
            },
            Expr::Assign(e) => &e.right,
            Expr::Binary(e) => &e.right,
            Expr::Unary(e) => &e.expr,
            Expr::Reference(e) => &e.expr,
            Expr::RawAddr(e) => &e.expr,
            Expr::Let(e) => &e.expr,
            Expr::Group(e) => &e.expr,
            _ => return first_token(expr),
        };
    }
}

/// The brackets of a macro call.
pub(crate) fn delimiters(mac: &syn::Macro) -> &proc_macro2::extra::DelimSpan {
    match &mac.delimiter {
        syn::MacroDelimiter::Paren(p) => &p.span,
        syn::MacroDelimiter::Brace(b) => &b.span,
        syn::MacroDelimiter::Bracket(b) => &b.span,
    }
}

fn path_first(path: &syn::Path) -> Span {
    match (&path.leading_colon, path.segments.first()) {
        (Some(colon), _) => colon.spans[0],
        (None, Some(seg)) => seg.ident.span(),
        (None, None) => Span::call_site(),
    }
}

pub(crate) use crate::frontend::resolve::segments;

/// How an expression naming a place is written, for messages and for telling atomics apart
/// (`self.count`, `COUNTER`, `stats.hits`); `None` for anything more complex.
pub(crate) fn place_text(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Path(p) if p.qself.is_none() => Some(segments(&p.path).join("::")),
        Expr::Field(f) => {
            let base = place_text(&f.base)?;
            Some(match &f.member {
                syn::Member::Named(n) => format!("{base}.{n}"),
                syn::Member::Unnamed(i) => format!("{base}.{}", i.index),
            })
        }
        Expr::Reference(r) => place_text(&r.expr),
        Expr::Paren(p) => place_text(&p.expr),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => place_text(&u.expr),
        Expr::MethodCall(m)
            if m.args.is_empty() && matches!(m.method.to_string().as_str(), "as_ref" | "clone") =>
        {
            place_text(&m.receiver)
        }
        _ => None,
    }
}

/// An integer literal's value.
pub(crate) fn int_literal(lit: &syn::Lit) -> Option<i64> {
    match lit {
        syn::Lit::Int(i) => i.base10_parse().ok(),
        _ => None,
    }
}

/// Whether an expression is `None` (or `Option::None`), through parentheses and blocks of one
/// expression.
pub(crate) fn is_none(expr: &Expr) -> bool {
    match expr {
        Expr::Path(p) => {
            p.qself.is_none() && p.path.segments.last().is_some_and(|s| s.ident == "None")
        }
        Expr::Paren(p) => is_none(&p.expr),
        Expr::Block(b) => block_is_none(&b.block),
        _ => false,
    }
}

/// Whether a block is `{ None }`.
pub(crate) fn block_is_none(block: &syn::Block) -> bool {
    matches!(block.stmts.as_slice(), [syn::Stmt::Expr(e, None)] if is_none(e))
}

/// Whether an expression names a memory ordering (`Ordering::SeqCst`, `SeqCst`, …): the mark of
/// a std atomic operation.
pub(crate) fn is_memory_ordering(expr: &Expr) -> bool {
    let Expr::Path(p) = expr else {
        return false;
    };
    p.path.segments.last().is_some_and(|s| {
        matches!(
            s.ident.to_string().as_str(),
            "Relaxed" | "Acquire" | "Release" | "AcqRel" | "SeqCst"
        )
    })
}

/// Whether an attribute marks a test or an entry point (`#[test]`, `#[racecheck::test]`,
/// `#[tokio::test]`).
pub(crate) fn is_test_attribute(attr: &syn::Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|s| s.ident == "test")
}

/// Whether a block calls a function or method named `name` (`name(…)`, `Self::name(…)`,
/// `x.name(…)`), closures and nested blocks included.
pub(crate) fn calls_named(block: &syn::Block, name: &str) -> bool {
    struct Calls<'n> {
        name: &'n str,
        found: bool,
    }
    impl<'ast> syn::visit::Visit<'ast> for Calls<'_> {
        fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
            if let Expr::Path(p) = &*call.func {
                self.found |= p.path.segments.last().is_some_and(|s| s.ident == self.name);
            }
            syn::visit::visit_expr_call(self, call);
        }
        fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
            self.found |= call.method == self.name;
            syn::visit::visit_expr_method_call(self, call);
        }
        fn visit_item(&mut self, _: &'ast syn::Item) {}
    }
    let mut calls = Calls { name, found: false };
    syn::visit::Visit::visit_block(&mut calls, block);
    calls.found
}

/// An expression without the parentheses around it.
pub(crate) fn strip_parens(mut expr: &Expr) -> &Expr {
    while let Expr::Paren(p) = expr {
        expr = &p.expr;
    }
    expr
}
