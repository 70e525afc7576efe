//! Macro arguments, parsed ahead of the model: `vec![…]`, `println!(…)`, `assert!(…)` and most
//! other macro calls take expressions, and the operations inside them happen at run time.
//!
//! Parsed arguments are owned by this table, keyed by the address of their macro call in the
//! syntax trees (which neither move nor change while the model reads them), so the model can
//! borrow them for as long as it borrows the trees. The calls of a function body parsed on its
//! first walk are parsed with it, and found through the body's store.
use crate::frontend::bodies::Bodies;
use std::collections::HashMap;
use syn::punctuated::Punctuated;
use syn::visit::Visit;

/// The parsed arguments of the macro calls of the crate's trees, and of the function bodies
/// parsed on their first walk (see `bodies`).
#[derive(Debug)]
pub(crate) struct MacroArgs<'a> {
    parsed: ArgTable,
    bodies: &'a Bodies,
}

impl<'a> MacroArgs<'a> {
    /// Parses the arguments of every macro call in the given files' items.
    pub(crate) fn collect(asts: &[syn::File], bodies: &'a Bodies) -> Self {
        let mut collector = Collector::default();
        for ast in asts {
            collector.visit_file(ast);
        }
        Self {
            parsed: ArgTable(collector.parsed),
            bodies,
        }
    }

    /// The expressions a macro call was given, or nothing when they are not a list of expressions.
    pub(crate) fn args(&self, mac: &syn::Macro) -> &[syn::Expr] {
        let key = key(mac);
        self.parsed
            .get(key)
            .or_else(|| self.bodies.macro_args(key))
            .unwrap_or(&[])
    }
}

/// Parsed macro arguments by the address of their call.
#[derive(Debug, Default)]
pub(crate) struct ArgTable(HashMap<usize, Box<[syn::Expr]>>);

impl ArgTable {
    /// The arguments of the macro calls in a block.
    pub(crate) fn of_block(block: &syn::Block) -> Self {
        let mut collector = Collector::default();
        collector.visit_block(block);
        Self(collector.parsed)
    }

    pub(crate) fn get(&self, key: usize) -> Option<&[syn::Expr]> {
        self.0.get(&key).map(|args| &args[..])
    }

    /// The addresses of the calls whose arguments are here.
    pub(crate) fn keys(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.keys().copied()
    }
}

fn key(mac: &syn::Macro) -> usize {
    std::ptr::from_ref(mac) as usize
}

#[derive(Default)]
struct Collector {
    parsed: HashMap<usize, Box<[syn::Expr]>>,
}

impl<'ast> Visit<'ast> for Collector {
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let Some(args) = parse_args(mac) else {
            return;
        };
        // The boxed expressions keep their addresses when the box moves into the table, so
        // macros nested in them are keyed correctly too.
        for arg in args.iter() {
            self.visit_expr(arg);
        }
        self.parsed.insert(key(mac), args);
    }
}

fn parse_args(mac: &syn::Macro) -> Option<Box<[syn::Expr]>> {
    if mac.tokens.is_empty() {
        return None;
    }
    let list = mac.parse_body_with(Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated);
    if let Ok(list) = list {
        return Some(list.into_iter().collect());
    }
    // `vec![value; count]`, tried only when a `;` separates the arguments: most arguments that
    // are not expressions (`info!(target: "t", ?x)`) have none, and a parse that fails costs as
    // much as one that does not.
    let separated = mac
        .tokens
        .clone()
        .into_iter()
        .any(|t| matches!(t, proc_macro2::TokenTree::Punct(p) if p.as_char() == ';'));
    if !separated {
        return None;
    }
    mac.parse_body_with(|input: syn::parse::ParseStream<'_>| {
        let value: syn::Expr = input.parse()?;
        input.parse::<syn::Token![;]>()?;
        let count: syn::Expr = input.parse()?;
        Ok(vec![value, count].into_boxed_slice())
    })
    .ok()
}
