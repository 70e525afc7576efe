//! Which definition an invocation means.
//!
//! `macro_rules!` macros are in scope textually: from their definition to the end of the
//! enclosing block or module, and on past the end of a module declared `#[macro_use]`; a later
//! definition of the same name shadows an earlier one. A path (`crate::take!`, `$crate::take!`,
//! `util::take!`) or a name not in textual scope (brought in by `use`) means the crate's
//! `#[macro_export]` definition of that name, else its only definition of that name. A name
//! not defined in the crate is left alone: `vec!`, `println!` and the macros of other crates
//! are not expanded, nor is a path that starts with a name that is not one of the crate's
//! modules (`log::debug!` inside the crate's own `debug!` is the `log` crate's macro: read as
//! the crate's, it would expand into itself until the depth bound).
use super::definition::{read, MacroDef};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use syn::visit::Visit;

/// std's and core's macros: a bare name of these that is not in textual scope means them, never
/// a definition of the same name elsewhere in the crate.
const STD_MACROS: [&str; 34] = [
    "assert",
    "assert_eq",
    "assert_ne",
    "cfg",
    "column",
    "compile_error",
    "concat",
    "dbg",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "env",
    "eprint",
    "eprintln",
    "file",
    "format",
    "format_args",
    "include",
    "include_bytes",
    "include_str",
    "line",
    "matches",
    "module_path",
    "option_env",
    "panic",
    "print",
    "println",
    "stringify",
    "thread_local",
    "todo",
    "unimplemented",
    "unreachable",
    "vec",
    "write",
];

#[derive(Debug, Default)]
pub(super) struct Scopes {
    /// Definitions in textual scope, innermost and latest last.
    visible: Vec<Rc<MacroDef>>,
    /// Every definition of the crate's source by name, in source order.
    by_name: HashMap<String, Vec<Rc<MacroDef>>>,
    /// The names of the crate's modules, at any depth: what a path to one of its macros may
    /// start with, besides `crate`, `self` and `super`.
    modules: HashSet<String>,
}

impl Scopes {
    /// Whether the crate defines a macro of this name, anywhere.
    pub(super) fn defines(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// Reads every `macro_rules!` definition written in the files, at any depth.
    pub(super) fn new(asts: &[syn::File]) -> Self {
        let mut all = Definitions::default();
        for ast in asts {
            all.visit_file(ast);
        }
        Self {
            visible: Vec::new(),
            by_name: all.by_name,
            modules: all.modules,
        }
    }

    /// Whether the crate defines no macro at all.
    pub(super) fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// Where the current scope starts, for [`Scopes::leave`].
    pub(super) fn enter(&self) -> usize {
        self.visible.len()
    }

    /// Ends the scope that started at `mark`: what it defined goes out of scope.
    pub(super) fn leave(&mut self, mark: usize) {
        self.visible.truncate(mark);
    }

    /// Brings a definition into scope from here on.
    pub(super) fn define(&mut self, def: MacroDef) {
        self.visible.push(Rc::new(def));
    }

    /// The definition an invocation's path means, if the crate defines it.
    pub(super) fn resolve(&self, path: &syn::Path) -> Option<Rc<MacroDef>> {
        let name = path.segments.last()?.ident.to_string();
        let bare = path.segments.len() == 1 && path.leading_colon.is_none();
        if bare {
            if let Some(def) = self.visible.iter().rev().find(|d| d.name == name) {
                return Some(Rc::clone(def));
            }
            if STD_MACROS.contains(&name.as_str()) {
                return None;
            }
        } else {
            let first = path.segments.first()?.ident.to_string();
            let own = matches!(first.as_str(), "crate" | "self" | "super")
                || self.modules.contains(&first);
            if matches!(first.as_str(), "std" | "core" | "alloc")
                || path.leading_colon.is_some()
                || !own
            {
                return None;
            }
        }
        let defs = self.by_name.get(&name)?;
        let exported = defs.iter().find(|d| d.exported);
        let only = (defs.len() == 1).then(|| &defs[0]);
        exported.or(only).map(Rc::clone)
    }
}

#[derive(Default)]
struct Definitions {
    by_name: HashMap<String, Vec<Rc<MacroDef>>>,
    modules: HashSet<String>,
}

impl<'ast> Visit<'ast> for Definitions {
    fn visit_item_macro(&mut self, item: &'ast syn::ItemMacro) {
        if let Some(def) = read(item) {
            self.by_name
                .entry(def.name.clone())
                .or_default()
                .push(Rc::new(def));
        }
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        self.modules.insert(item.ident.to_string());
        syn::visit::visit_item_mod(self, item);
    }
}
