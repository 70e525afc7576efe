//! Small questions about syntax: where an expression starts and ends, what a path spells.
//!
//! `syn::spanned::Spanned` re-tokenizes a whole expression to find its span, which costs as
//! much as the expression is long; these walk only its first and last tokens.
use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::Expr;

/// The span of the first token of an expression.
pub(crate) fn first_token(expr: &Expr) -> Span {
    match expr {
        Expr::MethodCall(e) => first_token(&e.receiver),
        Expr::Call(e) => first_token(&e.func),
        Expr::Field(e) => first_token(&e.base),
        Expr::Index(e) => first_token(&e.expr),
        Expr::Binary(e) => first_token(&e.left),
        Expr::Assign(e) => first_token(&e.left),
        Expr::Try(e) => first_token(&e.expr),
        Expr::Await(e) => first_token(&e.base),
        Expr::Cast(e) => first_token(&e.expr),
        Expr::Range(e) => e
            .start
            .as_deref()
            .map_or_else(|| e.limits.span(), first_token),
        Expr::Path(e) => match &e.qself {
            Some(q) => q.lt_token.span,
            None => path_first(&e.path),
        },
        Expr::Paren(e) => e.paren_token.span.open(),
        Expr::Tuple(e) => e.paren_token.span.open(),
        Expr::Array(e) => e.bracket_token.span.open(),
        Expr::Reference(e) => e.and_token.span,
        Expr::Unary(e) => e.op.span(),
        Expr::Lit(e) => e.lit.span(),
        Expr::Macro(e) => path_first(&e.mac.path),
        Expr::Block(e) => e.block.brace_token.span.open(),
        Expr::Closure(e) => e.or1_token.span,
        Expr::Struct(e) => path_first(&e.path),
        Expr::Return(e) => e.return_token.span,
        _ => expr.span(),
    }
}

/// The span of the last token of an expression, for the kinds the model reports.
pub(crate) fn last_token(expr: &Expr) -> Span {
    match expr {
        Expr::MethodCall(e) => e.paren_token.span.close(),
        Expr::Call(e) => e.paren_token.span.close(),
        Expr::Path(e) => e
            .path
            .segments
            .last()
            .map_or_else(|| first_token(expr), |s| s.ident.span()),
        Expr::Field(e) => e.member.span(),
        Expr::Index(e) => e.bracket_token.span.close(),
        Expr::Paren(e) => e.paren_token.span.close(),
        Expr::Macro(e) => delimiters(&e.mac).close(),
        Expr::Assign(e) => last_token(&e.right),
        Expr::Binary(e) => last_token(&e.right),
        Expr::Unary(e) => last_token(&e.expr),
        Expr::Reference(e) => last_token(&e.expr),
        Expr::Try(e) => e.question_token.span,
        Expr::Lit(e) => e.lit.span(),
        Expr::Tuple(e) => e.paren_token.span.close(),
        Expr::Array(e) => e.bracket_token.span.close(),
        _ => first_token(expr),
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

/// The identifiers of a path (`a::b::C` → `["a", "b", "C"]`).
pub(crate) fn segments(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

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
