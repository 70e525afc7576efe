//! Macro arguments, parsed for the model: `vec![…]`, `println!(…)`, `assert!(…)` and most
//! other macro calls take expressions, and the operations inside them happen at run time.
//!
//! Parsed arguments are owned by these tables, keyed by the address of their macro call in the
//! syntax trees (which neither move nor change while the model reads them), so the model can
//! borrow them for as long as it borrows the trees. The calls of the crate's trees are parsed
//! the first time the model asks for them: most are in code the model never walks (functions no
//! root reaches, items it does not read), and parsing them all took as long as the walk. The
//! calls of a function body parsed on its first walk are parsed with it, and found through the
//! body's store.
use crate::frontend::bodies::Bodies;
use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use syn::punctuated::Punctuated;
use syn::visit::Visit;

/// The arguments of the macro calls of the crate's trees, each parsed on the model's first
/// request, and of the function bodies parsed on their first walk (see `bodies`).
#[derive(Debug)]
pub(crate) struct MacroArgs<'a> {
    /// Each call of the trees by its address: its place in `calls`.
    places: HashMap<usize, u32>,
    /// Each call's arguments once asked for: `None` when they are not a list of expressions.
    calls: Vec<OnceCell<Option<Parsed>>>,
    /// The calls inside parsed arguments (`format!` in `assert!`), by address: the place in
    /// `calls` of the call whose arguments hold them.
    nested: RefCell<HashMap<usize, u32>>,
    bodies: &'a Bodies,
}

/// One call's arguments, with those of the calls inside them (parsed with them).
#[derive(Debug)]
struct Parsed {
    args: Box<[syn::Expr]>,
    nested: HashMap<usize, Box<[syn::Expr]>>,
}

impl<'a> MacroArgs<'a> {
    /// Finds every macro call in the given files' items; none is parsed yet.
    pub(crate) fn collect(asts: &[syn::File], bodies: &'a Bodies) -> Self {
        let mut calls = Calls::default();
        for ast in asts {
            calls.visit_file(ast);
        }
        Self {
            calls: (0..calls.0.len()).map(|_| OnceCell::new()).collect(),
            places: calls.0,
            nested: RefCell::default(),
            bodies,
        }
    }

    /// The expressions a macro call was given, or nothing when they are not a list of expressions.
    pub(crate) fn args(&self, mac: &syn::Macro) -> &[syn::Expr] {
        self.find(mac).unwrap_or(&[])
    }

    fn find(&self, mac: &syn::Macro) -> Option<&[syn::Expr]> {
        let key = key(mac);
        if let Some(&place) = self.places.get(&key) {
            let parsed = self.calls[place as usize].get_or_init(|| self.parse(mac, place));
            return parsed.as_ref().map(|parsed| &parsed.args[..]);
        }
        if let Some(&place) = self.nested.borrow().get(&key) {
            let parsed = self.calls[place as usize].get()?.as_ref()?;
            return parsed.nested.get(&key).map(|args| &args[..]);
        }
        self.bodies.macro_args(key)
    }

    /// Parses the arguments of the call at `place`, and those of the calls inside them.
    fn parse(&self, mac: &syn::Macro, place: u32) -> Option<Parsed> {
        let args = parse_args(mac)?;
        let mut collector = Collector::default();
        for arg in args.iter() {
            collector.visit_expr(arg);
        }
        // Boxed, the arguments keep their addresses when the box moves into its cell.
        let mut nested = self.nested.borrow_mut();
        for &key in collector.parsed.keys() {
            nested.insert(key, place);
        }
        Some(Parsed {
            args,
            nested: collector.parsed,
        })
    }
}

/// The addresses of the macro calls in syntax trees, each with its place in the order found.
#[derive(Default)]
struct Calls(HashMap<usize, u32>);

impl<'ast> Visit<'ast> for Calls {
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let place = self.0.len() as u32;
        self.0.insert(key(mac), place);
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
