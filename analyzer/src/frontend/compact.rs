//! What a modelled crate keeps of its parsed files: each file's tree, as soon as it is parsed,
//! loses what neither the macro expansion, nor the index, nor the model reads, so that the trees
//! a crate keeps until its model ends are a fraction of what syn built.
//!
//! Module-level items only (function bodies stay as written):
//! - doc comments go everywhere; attributes go from items whose attributes nothing reads
//!   (structs and their fields, statics, impls, extern blocks), and a function keeps only its
//!   test attributes (`#[test]`, `#[tokio::test]`…), the one kind the model reads;
//! - extern blocks keep nothing; impls and traits keep their functions and macro calls;
//! - runs of items the index reads by name, or by name and one value, leave the tree for a
//!   compact table ([`KeptItems`]): `const` items whose value holds no macro call (an integer
//!   read already; an expression over other constants; or nothing the model evaluates), type
//!   aliases (a target that is a path, unless it holds a macro call; any other target, nothing),
//!   enums and unions (their name). An expression or a target waits as its place in the source
//!   (proc-macro2's span of it), parsed the first time it is read. A marker item holds the run's
//!   place, so names are defined in the order they are written.
use proc_macro2::{Ident, Literal, Span, TokenStream, TokenTree};
use std::cell::OnceCell;
use std::ops::Range;
use syn::visit::Visit;

/// The word that starts a marker item (an identifier no Rust item starts with).
const MARKER: &str = "racecheck_kept_items";

/// The value of a `const` item as the model reads it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ConstInit<'a> {
    /// An integer literal, read already.
    Int(i64),
    /// An expression over other constants (paths, arithmetic).
    Expr(&'a syn::Expr),
    /// Anything the model does not evaluate (a string, a call, a negated literal…).
    Unknown,
}

/// Where the index finds a constant's value: in a tree, or in the table.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ConstValue<'a> {
    Tree(&'a syn::Expr),
    Kept(&'a Kept),
}

impl<'a> ConstValue<'a> {
    /// The value, its expression parsed now if it was kept as text and not parsed yet.
    pub(crate) fn init(self) -> ConstInit<'a> {
        match self {
            ConstValue::Tree(expr) => ConstInit::Expr(expr),
            ConstValue::Kept(Kept::Int(n)) => ConstInit::Int(*n),
            ConstValue::Kept(Kept::Expr(expr)) => {
                expr.get().map_or(ConstInit::Unknown, ConstInit::Expr)
            }
            ConstValue::Kept(_) => ConstInit::Unknown,
        }
    }
}

/// Where the index finds the target of a type alias: in a tree, or in the table.
#[derive(Debug, Clone, Copy)]
pub(crate) enum AliasTarget<'a> {
    Tree(&'a syn::Type),
    Kept(&'a Waiting<syn::Type>),
}

impl<'a> AliasTarget<'a> {
    /// The target, parsed now if it was kept as text and not parsed yet; `None` if it does not
    /// parse so.
    pub(crate) fn get(self) -> Option<&'a syn::Type> {
        match self {
            AliasTarget::Tree(ty) => Some(ty),
            AliasTarget::Kept(ty) => ty.get(),
        }
    }
}

/// An item taken out of its tree, as the index reads it.
#[derive(Debug)]
pub(crate) enum Kept {
    /// A `const` item whose value is an integer literal, read already.
    Int(i64),
    /// A `const` item whose value is an expression over other constants (paths, arithmetic).
    Expr(Box<Waiting<syn::Expr>>),
    /// A `const` item whose value the model does not evaluate.
    Unknown,
    /// A type alias whose target is a path.
    Alias(Box<Waiting<syn::Type>>),
    /// An enum, whose name methods resolve through.
    Enum,
    /// A union, or an alias of a type other than a path: named, nothing more.
    Opaque,
}

/// A constant's value or an alias's target, waiting as proc-macro2's span of `= … ;` (the source
/// map holds the crate's texts until its model ends), parsed on first read. Its tree's spans are
/// not the file's: nothing reports a place inside a constant's value or an alias's target.
pub(crate) struct Waiting<T> {
    span: Span,
    parsed: OnceCell<Option<Box<T>>>,
}

impl<T> std::fmt::Debug for Waiting<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Waiting").finish_non_exhaustive()
    }
}

impl<T: syn::parse::Parse> Waiting<T> {
    /// What waits between the `=` at `eq` and the `;` at `semi`; `None` when their spans do not
    /// join (not of one text).
    fn new(eq: Span, semi: Span) -> Option<Box<Self>> {
        Some(Box::new(Self {
            span: eq.join(semi)?,
            parsed: OnceCell::new(),
        }))
    }

    fn get(&self) -> Option<&T> {
        self.parsed
            .get_or_init(|| {
                let text = self.span.source_text()?;
                let value = text.strip_prefix('=')?.strip_suffix(';')?;
                syn::parse_str(value).ok().map(Box::new)
            })
            .as_deref()
    }
}

/// One item of a run: its name (a range of the run's names) and what the index reads of it.
#[derive(Debug)]
struct KeptItem {
    name: Range<u32>,
    kept: Kept,
}

/// One run of kept items: their names, one after the other, and the items.
#[derive(Debug)]
pub(crate) struct KeptRun {
    names: Box<str>,
    items: Box<[KeptItem]>,
}

impl KeptRun {
    /// Each item of the run, with its name, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &Kept)> {
        self.items.iter().map(|item| {
            let name = &self.names[item.name.start as usize..item.name.end as usize];
            (name, &item.kept)
        })
    }
}

/// The items of a crate's trees kept out of them, run by run.
#[derive(Debug, Default)]
pub(crate) struct KeptItems {
    runs: Vec<KeptRun>,
}

/// A run being gathered.
#[derive(Default)]
struct OpenRun {
    names: String,
    items: Vec<KeptItem>,
}

impl OpenRun {
    fn push(&mut self, name: &syn::Ident, kept: Kept) {
        let start = self.names.len() as u32;
        self.names.push_str(&name.to_string());
        self.items.push(KeptItem {
            name: start..self.names.len() as u32,
            kept,
        });
    }
}

impl KeptItems {
    /// The run a marker item stands for; `None` for any other item.
    pub(crate) fn run_of(&self, item: &syn::Item) -> Option<&KeptRun> {
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
        self.runs.get(run)
    }

    /// Drops what nothing reads from a file's tree, moving its plain constants, path aliases,
    /// enums and unions here.
    pub(crate) fn compact_file(&mut self, file: &mut syn::File) {
        file.attrs.retain(|a| !is_doc(a));
        self.compact_items(&mut file.items);
    }

    fn compact_items(&mut self, items: &mut Vec<syn::Item>) {
        let mut out = Vec::with_capacity(items.len());
        let mut run = OpenRun::default();
        for item in std::mem::take(items) {
            if let Some((name, kept)) = keep(&item) {
                run.push(name, kept);
                continue;
            }
            let mut item = item;
            self.close_run(&mut run, &mut out);
            self.compact_item(&mut item);
            out.push(item);
        }
        self.close_run(&mut run, &mut out);
        out.shrink_to_fit();
        *items = out;
    }

    /// Ends a run of kept items: the marker takes its place among the items.
    fn close_run(&mut self, run: &mut OpenRun, out: &mut Vec<syn::Item>) {
        if run.items.is_empty() {
            return;
        }
        let marker = TokenStream::from_iter([
            TokenTree::Ident(Ident::new(MARKER, Span::call_site())),
            TokenTree::Literal(Literal::usize_unsuffixed(self.runs.len())),
        ]);
        let OpenRun { names, items } = std::mem::take(run);
        self.runs.push(KeptRun {
            names: names.into_boxed_str(),
            items: items.into_boxed_slice(),
        });
        out.push(syn::Item::Verbatim(marker));
    }

    fn compact_item(&mut self, item: &mut syn::Item) {
        match item {
            syn::Item::Mod(m) => {
                m.attrs.retain(|a| !is_doc(a));
                m.attrs.shrink_to_fit();
                if let Some((_, items)) = &mut m.content {
                    self.compact_items(items);
                }
            }
            syn::Item::Fn(f) => keep_test_attributes(&mut f.attrs),
            syn::Item::Struct(s) => {
                s.attrs = Vec::new();
                for field in s.fields.iter_mut() {
                    field.attrs = Vec::new();
                }
            }
            syn::Item::Type(t) => t.attrs = Vec::new(),
            syn::Item::Static(s) => s.attrs = Vec::new(),
            syn::Item::ForeignMod(f) => {
                f.attrs = Vec::new();
                f.items = Vec::new();
            }
            syn::Item::Impl(i) => {
                i.attrs = Vec::new();
                i.items.retain_mut(|item| match item {
                    syn::ImplItem::Fn(f) => {
                        keep_test_attributes(&mut f.attrs);
                        true
                    }
                    syn::ImplItem::Macro(_) => true,
                    _ => false,
                });
                i.items.shrink_to_fit();
            }
            syn::Item::Trait(t) => {
                t.attrs.retain(|a| !is_doc(a));
                t.items.retain_mut(|item| match item {
                    syn::TraitItem::Fn(f) => {
                        keep_test_attributes(&mut f.attrs);
                        true
                    }
                    syn::TraitItem::Macro(_) => true,
                    _ => false,
                });
                t.items.shrink_to_fit();
            }
            _ => {}
        }
    }
}

/// An item the index reads by name alone, or by name and value or target: its name, and what to
/// keep of it; `None` for any other item. A constant whose value holds a macro call, or an alias
/// whose target does, stays in the tree: the expansion may still change it, so it must see it
/// where it is.
fn keep(item: &syn::Item) -> Option<(&syn::Ident, Kept)> {
    match item {
        syn::Item::Const(c) => {
            let kept = match init_of(&c.expr)? {
                Init::Int(n) => Kept::Int(n),
                Init::Unknown => Kept::Unknown,
                Init::Expr => Kept::Expr(Waiting::new(c.eq_token.span, c.semi_token.span)?),
            };
            Some((&c.ident, kept))
        }
        syn::Item::Type(t) => {
            let kept = match &*t.ty {
                syn::Type::Path(p) if p.qself.is_none() => {
                    if type_has_macro(&t.ty) {
                        return None;
                    }
                    Kept::Alias(Waiting::new(t.eq_token.span, t.semi_token.span)?)
                }
                _ => Kept::Opaque,
            };
            Some((&t.ident, kept))
        }
        syn::Item::Enum(e) => Some((&e.ident, Kept::Enum)),
        syn::Item::Union(u) => Some((&u.ident, Kept::Opaque)),
        _ => None,
    }
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

/// Finds a macro call.
#[derive(Default)]
struct MacroFinder(bool);

impl Visit<'_> for MacroFinder {
    fn visit_macro(&mut self, _: &syn::Macro) {
        self.0 = true;
    }
}

impl MacroFinder {
    /// Whether `visit` finds a macro call.
    fn finds(visit: impl FnOnce(&mut Self)) -> bool {
        let mut finder = Self::default();
        visit(&mut finder);
        finder.0
    }
}

fn has_macro(expr: &syn::Expr) -> bool {
    MacroFinder::finds(|finder| finder.visit_expr(expr))
}

fn type_has_macro(ty: &syn::Type) -> bool {
    MacroFinder::finds(|finder| finder.visit_type(ty))
}

fn is_doc(attr: &syn::Attribute) -> bool {
    attr.path().is_ident("doc")
}

/// A function's attributes lose all but its test attributes, the one kind the model reads.
fn keep_test_attributes(attrs: &mut Vec<syn::Attribute>) {
    attrs.retain(crate::model::syntax::is_test_attribute);
    attrs.shrink_to_fit();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compacted(text: &str) -> (syn::File, KeptItems) {
        let mut file = syn::parse_file(text).expect("the test source parses");
        let mut kept = KeptItems::default();
        kept.compact_file(&mut file);
        (file, kept)
    }

    /// Each kept run's names and what is read of each (a constant's value, `?` when the model
    /// does not evaluate it; an alias's target), in order.
    fn runs(file: &syn::File, kept: &KeptItems) -> Vec<Vec<(String, String)>> {
        file.items
            .iter()
            .filter_map(|item| kept.run_of(item))
            .map(|run| {
                run.iter()
                    .map(|(name, kept)| {
                        let read = match kept {
                            Kept::Alias(target) => {
                                let target = AliasTarget::Kept(target).get();
                                quote::quote!(#target).to_string()
                            }
                            Kept::Enum => "enum".to_owned(),
                            Kept::Opaque => "opaque".to_owned(),
                            kept => match ConstValue::Kept(kept).init() {
                                ConstInit::Int(n) => n.to_string(),
                                ConstInit::Expr(e) => quote::quote!(#e).to_string(),
                                ConstInit::Unknown => "?".to_owned(),
                            },
                        };
                        (name.to_owned(), read)
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
    fn aliases_enums_and_unions_leave_the_tree_with_what_the_index_reads() {
        let (file, kept) = compacted(
            "type T<X> = std::vec::Vec<X>;\ntype P = (u8, u16);\n#[repr(u8)]\nenum E { X = 1, Y }\n\
             union U { a: u8 }\ntype M = Vec<m!()>;\nconst N: T<u8> = crate::n::N;\n",
        );
        assert_eq!(
            runs(&file, &kept),
            [
                vec![
                    pair("T", "std :: vec :: Vec < X >"),
                    pair("P", "opaque"),
                    pair("E", "enum"),
                    pair("U", "opaque"),
                ],
                vec![pair("N", "crate :: n :: N")],
            ]
        );
        assert!(
            matches!(&file.items[1], syn::Item::Type(t) if t.ident == "M"),
            "an alias holding a macro call stays for the expansion"
        );
    }

    #[test]
    fn what_nothing_reads_is_dropped_and_the_rest_kept() {
        let (file, _) = compacted(
            "//! Crate docs.\n#[derive(Debug)]\n/// S.\nstruct S {\n    /// Field.\n    #[allow(unused)]\n    a: u8,\n}\n\
             extern \"C\" { fn c(); }\n\
             /// F.\n#[test]\n#[inline]\nfn f() { /// inside\n let _x = 1; }\n\
             impl S { const K: u8 = 1; /// M.\n #[inline] #[tokio::test] fn m(&self) {} }\n\
             mod inner { const I: u8 = 2; #[macro_export] macro_rules! m { () => {} } }\n",
        );
        let text = quote::quote!(#file).to_string();
        for gone in [
            "Crate docs",
            "derive",
            "Field",
            "allow",
            "inline",
            "fn c",
            "\" F.\"",
            "const K",
        ] {
            assert!(!text.contains(gone), "{gone} is still in {text}");
        }
        for kept in [
            "a : u8",
            "# [test]",
            "# [tokio :: test]",
            "inside",
            "fn m",
            "macro_export",
            "mod inner",
        ] {
            assert!(text.contains(kept), "{kept} is gone from {text}");
        }
    }
}
