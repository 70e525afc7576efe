//! What a modelled crate keeps of its parsed files: each file's tree, as soon as it is parsed,
//! loses what neither the macro expansion, nor the index, nor the model reads, so that the trees
//! a crate keeps until its model ends are a fraction of what syn built.
//!
//! Module-level items only (function bodies stay as written):
//! - doc comments go everywhere; attributes go from items whose attributes nothing reads
//!   (structs and their fields, enums, unions, aliases, statics, consts, impls, extern blocks);
//! - enums and unions keep their name alone (the index names them, nothing more); type aliases
//!   keep their name and, when it is a path, their target (names resolve through them);
//!   extern blocks keep nothing; impls and traits keep their functions and macro calls;
//! - runs of `const` items whose value holds no macro call leave the tree for a compact table
//!   ([`KeptConsts`]): their names and, where the model can evaluate it, their value. A marker
//!   item holds the run's place, so names are defined in the order they are written.
use proc_macro2::{Ident, Literal, Span, TokenStream, TokenTree};
use syn::visit::Visit;

/// The word that starts a marker item (an identifier no Rust item starts with).
const MARKER: &str = "racecheck_kept_consts";

/// The value of a `const` item as the model reads it.
#[derive(Debug)]
pub(crate) enum ConstInit<'a> {
    /// An integer literal, read already.
    Int(i64),
    /// An expression over other constants (paths, arithmetic).
    Expr(&'a syn::Expr),
    /// Anything the model does not evaluate (a string, a call, a negated literal…).
    Unknown,
}

/// A `const` item taken out of its tree.
#[derive(Debug)]
pub(crate) struct KeptConst {
    pub name: String,
    pub init: KeptInit,
}

/// [`ConstInit`], owned.
#[derive(Debug)]
pub(crate) enum KeptInit {
    Int(i64),
    Expr(Box<syn::Expr>),
    Unknown,
}

impl KeptInit {
    pub(crate) fn borrow(&self) -> ConstInit<'_> {
        match self {
            KeptInit::Int(n) => ConstInit::Int(*n),
            KeptInit::Expr(expr) => ConstInit::Expr(expr),
            KeptInit::Unknown => ConstInit::Unknown,
        }
    }
}

/// The `const` items of a crate's trees kept out of them, run by run.
#[derive(Debug, Default)]
pub(crate) struct KeptConsts {
    runs: Vec<Vec<KeptConst>>,
}

impl KeptConsts {
    /// The run a marker item stands for; `None` for any other item.
    pub(crate) fn run_of(&self, item: &syn::Item) -> Option<&[KeptConst]> {
        let syn::Item::Verbatim(tokens) = item else {
            return None;
        };
        let mut tokens = tokens.clone().into_iter();
        let (Some(TokenTree::Ident(word)), Some(TokenTree::Literal(run)), None) =
            (tokens.next(), tokens.next(), tokens.next())
        else {
            return None;
        };
        if word != MARKER {
            return None;
        }
        let run: usize = run.to_string().parse().ok()?;
        self.runs.get(run).map(Vec::as_slice)
    }

    /// Drops what nothing reads from a file's tree, moving its plain constants here.
    pub(crate) fn compact_file(&mut self, file: &mut syn::File) {
        file.attrs.retain(|a| !is_doc(a));
        self.compact_items(&mut file.items);
    }

    fn compact_items(&mut self, items: &mut Vec<syn::Item>) {
        let mut out = Vec::with_capacity(items.len());
        let mut run = Vec::new();
        for item in std::mem::take(items) {
            let mut item = match item {
                syn::Item::Const(c) => match keep(c) {
                    Ok(kept) => {
                        run.push(kept);
                        continue;
                    }
                    Err(c) => syn::Item::Const(*c),
                },
                item => item,
            };
            self.close_run(&mut run, &mut out);
            self.compact_item(&mut item);
            out.push(item);
        }
        self.close_run(&mut run, &mut out);
        out.shrink_to_fit();
        *items = out;
    }

    /// Ends a run of kept constants: the marker takes its place among the items.
    fn close_run(&mut self, run: &mut Vec<KeptConst>, out: &mut Vec<syn::Item>) {
        if run.is_empty() {
            return;
        }
        let marker = TokenStream::from_iter([
            TokenTree::Ident(Ident::new(MARKER, Span::call_site())),
            TokenTree::Literal(Literal::usize_unsuffixed(self.runs.len())),
        ]);
        run.shrink_to_fit();
        self.runs.push(std::mem::take(run));
        out.push(syn::Item::Verbatim(marker));
    }

    fn compact_item(&mut self, item: &mut syn::Item) {
        match item {
            syn::Item::Mod(m) => {
                m.attrs.retain(|a| !is_doc(a));
                if let Some((_, items)) = &mut m.content {
                    self.compact_items(items);
                }
            }
            syn::Item::Fn(f) => f.attrs.retain(|a| !is_doc(a)),
            syn::Item::Struct(s) => {
                s.attrs = Vec::new();
                for field in s.fields.iter_mut() {
                    field.attrs = Vec::new();
                }
            }
            syn::Item::Enum(e) => {
                e.attrs = Vec::new();
                e.variants = syn::punctuated::Punctuated::new();
            }
            syn::Item::Union(u) => {
                u.attrs = Vec::new();
                u.fields.named = syn::punctuated::Punctuated::new();
            }
            syn::Item::Type(t) => {
                t.attrs = Vec::new();
                if !matches!(&*t.ty, syn::Type::Path(p) if p.qself.is_none()) {
                    *t.ty = syn::Type::Never(syn::TypeNever {
                        bang_token: Default::default(),
                    });
                }
            }
            syn::Item::Static(s) => s.attrs = Vec::new(),
            syn::Item::ForeignMod(f) => {
                f.attrs = Vec::new();
                f.items = Vec::new();
            }
            syn::Item::Impl(i) => {
                i.attrs = Vec::new();
                i.items.retain_mut(|item| match item {
                    syn::ImplItem::Fn(f) => {
                        f.attrs.retain(|a| !is_doc(a));
                        true
                    }
                    syn::ImplItem::Macro(_) => true,
                    _ => false,
                });
            }
            syn::Item::Trait(t) => {
                t.attrs.retain(|a| !is_doc(a));
                t.items.retain_mut(|item| match item {
                    syn::TraitItem::Fn(f) => {
                        f.attrs.retain(|a| !is_doc(a));
                        true
                    }
                    syn::TraitItem::Macro(_) => true,
                    _ => false,
                });
            }
            _ => {}
        }
    }
}

/// A `const` item as a [`KeptConst`], or the item back when its value holds a macro call (the
/// expansion may still change it, so it stays in the tree).
fn keep(item: syn::ItemConst) -> Result<KeptConst, Box<syn::ItemConst>> {
    let init = match init_of(&item.expr) {
        None => return Err(Box::new(item)),
        Some(Init::Int(n)) => KeptInit::Int(n),
        Some(Init::Unknown) => KeptInit::Unknown,
        Some(Init::Expr) => KeptInit::Expr(item.expr),
    };
    Ok(KeptConst {
        name: item.ident.to_string(),
        init,
    })
}

/// How the model reads a constant's value (`model::interp::consts`), decided once.
enum Init {
    Int(i64),
    Expr,
    Unknown,
}

/// `None` when the value holds a macro call: its expansion may change the answer, and the
/// expansion walk must see it where it is.
fn init_of(expr: &syn::Expr) -> Option<Init> {
    if has_macro(expr) {
        return None;
    }
    Some(classify(expr))
}

fn classify(expr: &syn::Expr) -> Init {
    match expr {
        syn::Expr::Lit(l) => match crate::model::syntax::int_literal(&l.lit) {
            Some(n) => Init::Int(n),
            None => Init::Unknown,
        },
        syn::Expr::Paren(p) => classify(&p.expr),
        syn::Expr::Cast(c) => classify(&c.expr),
        syn::Expr::Path(_) | syn::Expr::Binary(_) => Init::Expr,
        _ => Init::Unknown,
    }
}

fn has_macro(expr: &syn::Expr) -> bool {
    struct Finder(bool);
    impl Visit<'_> for Finder {
        fn visit_macro(&mut self, _: &syn::Macro) {
            self.0 = true;
        }
    }
    let mut finder = Finder(false);
    finder.visit_expr(expr);
    finder.0
}

fn is_doc(attr: &syn::Attribute) -> bool {
    attr.path().is_ident("doc")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compacted(text: &str) -> (syn::File, KeptConsts) {
        let mut file = syn::parse_file(text).expect("the test source parses");
        let mut kept = KeptConsts::default();
        kept.compact_file(&mut file);
        (file, kept)
    }

    /// Each kept run's names and values, in order.
    fn runs(file: &syn::File, kept: &KeptConsts) -> Vec<Vec<(String, String)>> {
        file.items
            .iter()
            .filter_map(|item| kept.run_of(item))
            .map(|run| {
                run.iter()
                    .map(|c| {
                        let init = match c.init.borrow() {
                            ConstInit::Int(n) => n.to_string(),
                            ConstInit::Expr(e) => quote::quote!(#e).to_string(),
                            ConstInit::Unknown => "?".to_owned(),
                        };
                        (c.name.clone(), init)
                    })
                    .collect()
            })
            .collect()
    }

    fn pair(name: &str, init: &str) -> (String, String) {
        (name.to_owned(), init.to_owned())
    }

    #[test]
    fn plain_constants_leave_the_tree_in_runs_that_keep_their_place() {
        let (file, kept) = compacted(
            "/// A.\nconst A: usize = 3;\nconst B: usize = (A * 2) as usize;\nconst C: &str = \"c\";\n\
             fn f() {}\nconst D: usize = 0x10;\nconst E: i32 = -1;\n",
        );
        assert_eq!(
            runs(&file, &kept),
            [
                vec![
                    pair("A", "3"),
                    pair("B", "(A * 2) as usize"),
                    pair("C", "?")
                ],
                vec![pair("D", "16"), pair("E", "?")],
            ]
        );
        let kinds: Vec<bool> = file
            .items
            .iter()
            .map(|item| kept.run_of(item).is_some())
            .collect();
        assert_eq!(kinds, [true, false, true], "marker, fn, marker");
    }

    #[test]
    fn a_constant_holding_a_macro_call_stays_for_the_expansion() {
        let (file, kept) = compacted(
            "const A: usize = size!();\nconst B: usize = 1 + size!(u8);\nconst C: u8 = 1;\n",
        );
        assert!(matches!(file.items[0], syn::Item::Const(_)));
        assert!(matches!(file.items[1], syn::Item::Const(_)));
        assert_eq!(runs(&file, &kept), [vec![pair("C", "1")]]);
    }

    #[test]
    fn what_nothing_reads_is_dropped_and_the_rest_kept() {
        let (file, _) = compacted(
            "//! Crate docs.\n#[derive(Debug)]\n/// S.\nstruct S {\n    /// Field.\n    #[allow(unused)]\n    a: u8,\n}\n\
             enum E { X = 1, Y }\ntype T = Vec<u8>;\ntype P = (u8, u16);\nextern \"C\" { fn c(); }\n\
             /// F.\n#[test]\nfn f() { /// inside\n let _x = 1; }\n\
             impl S { const K: u8 = 1; /// M.\n fn m(&self) {} }\n\
             mod inner { const I: u8 = 2; #[macro_export] macro_rules! m { () => {} } }\n",
        );
        let text = quote::quote!(#file).to_string();
        for gone in [
            "Crate docs",
            "derive",
            "Field",
            "allow",
            "X = 1",
            "u16",
            "fn c",
            "\" F.\"",
            "const K",
        ] {
            assert!(!text.contains(gone), "{gone} is still in {text}");
        }
        for kept in [
            "a : u8",
            "enum E",
            "type T = Vec < u8 >",
            "type P",
            "# [test]",
            "inside",
            "fn m",
            "macro_export",
            "mod inner",
        ] {
            assert!(text.contains(kept), "{kept} is gone from {text}");
        }
    }
}
