//! Macro arguments, parsed ahead of the model: `vec![…]`, `println!(…)`, `assert!(…)` and most
//! other macro calls take expressions, and the operations inside them happen at run time.
//!
//! Parsed arguments are owned by this table, keyed by the address of their macro call in the
//! syntax trees (which neither move nor change while the model reads them), so the model can
//! borrow them for as long as it borrows the trees.
use std::collections::HashMap;
use syn::punctuated::Punctuated;
use syn::visit::Visit;

#[derive(Debug, Default)]
pub(crate) struct MacroArgs {
    parsed: HashMap<usize, Box<[syn::Expr]>>,
}

impl MacroArgs {
    /// Parses the arguments of every macro call in the given files' items.
    pub(crate) fn collect(asts: &[syn::File]) -> Self {
        let mut collector = Collector::default();
        for ast in asts {
            collector.visit_file(ast);
        }
        Self {
            parsed: collector.parsed,
        }
    }

    /// The expressions a macro call was given, or nothing when they are not a list of expressions.
    pub(crate) fn args(&self, mac: &syn::Macro) -> &[syn::Expr] {
        self.parsed.get(&key(mac)).map_or(&[], |args| &args[..])
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
    // `vec![value; count]`
    mac.parse_body_with(|input: syn::parse::ParseStream<'_>| {
        let value: syn::Expr = input.parse()?;
        input.parse::<syn::Token![;]>()?;
        let count: syn::Expr = input.parse()?;
        Ok(vec![value, count].into_boxed_slice())
    })
    .ok()
}
