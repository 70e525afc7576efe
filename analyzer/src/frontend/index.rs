//! The item index of one crate: its module tree, and every function, struct, static and const
//! in it, borrowed from the crate's syntax trees and the table of the items kept out of them
//! (`compact.rs`). A name means the first item declaring it in its module.
use super::bodies::{Bodies, Body, Sig, TakenKind};
use super::compact::{AliasTarget, ConstInit, ConstValue, Kept, KeptItems};
use super::crates::FileTable;
use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::HashMap;
use syn::visit::Visit;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub(crate) struct $name(pub u32);
        impl $name {
            pub(crate) fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}
id_type!(ModId, FnId, StructId, StaticId, ConstId, AliasId);

/// What a name of a module stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Def {
    Mod(ModId),
    Fn(FnId),
    Struct(StructId),
    Static(StaticId),
    Const(ConstId),
    /// A type alias whose target is a path (`type Shared = Arc<Mutex<u32>>`): it stands for
    /// its target, wherever it is named.
    Alias(AliasId),
    /// Enums, traits, unions, macros, aliases of other types: named, but not modelled.
    Opaque,
}

#[derive(Debug, Default)]
pub(crate) struct Module<'a> {
    pub parent: Option<ModId>,
    /// For the items declared in a function body: the module the body is in, whose names the
    /// body sees too.
    pub block_of: Option<ModId>,
    /// What each name stands for: the first item declaring it (a name declared twice, under
    /// two `cfg`s say, means its first). Names of kept constants are borrowed from their table.
    pub defs: HashMap<Cow<'a, str>, Def>,
    /// `use` imports: the name they bind, and the path they name.
    pub uses: Vec<(String, Vec<String>)>,
    /// `use path::*` imports.
    pub globs: Vec<Vec<String>>,
}

#[derive(Debug)]
pub(crate) struct FnDef<'a> {
    pub name: String,
    /// Read through [`FnDef::sig`].
    pub signature: Sig<'a>,
    pub body: Body<'a>,
    pub attrs: &'a [syn::Attribute],
    pub module: ModId,
    /// Where the names of its body resolve: its module, or the scope of the items its body
    /// declares.
    pub scope: ModId,
    /// The slot of the crate's file it is written in (see [`CrateIndex::files`]).
    pub file: usize,
    /// The `Self` of the `impl` block it is a method of.
    pub self_ty: Option<StructId>,
    /// The generic parameters of the `impl` block (or the trait) it is a method of, which its
    /// parameters' types may name (`impl<L: Listener> Bus<L> { fn add(&self, l: L) }`).
    pub outer_generics: Option<&'a syn::Generics>,
    /// Declared `pub` (in any form): an entry point of a library.
    pub public: bool,
}

#[derive(Debug)]
pub(crate) struct StructDef<'a> {
    pub name: String,
    pub module: ModId,
    /// Read through [`StructDef::fields`].
    fields: Fields<'a>,
    /// The generic parameters and the self type of each of its `impl` blocks, whose bounds its
    /// own parameters take (`impl<T: Listener> Bus<T>` bounds `Bus`'s first parameter).
    pub impls: Vec<(&'a syn::Generics, &'a syn::Path)>,
}

/// Named fields by name, tuple fields by position (`"0"`, `"1"` …).
type FieldList<'a> = Vec<(String, &'a syn::Type)>;

#[derive(Debug)]
enum Fields<'a> {
    /// With the struct's generic parameters (none for an enum).
    Listed(FieldList<'a>, Option<&'a syn::Generics>),
    /// Of a struct taken out of the tree whole, listed when first read.
    Taken(&'a Bodies, u32, OnceCell<FieldList<'a>>),
}

impl<'a> StructDef<'a> {
    fn listed(
        name: String,
        module: ModId,
        fields: FieldList<'a>,
        generics: Option<&'a syn::Generics>,
    ) -> Self {
        Self {
            name,
            module,
            fields: Fields::Listed(fields, generics),
            impls: Vec::new(),
        }
    }

    /// Named fields by name, tuple fields by position (`"0"`, `"1"` …); none for an enum.
    pub(crate) fn fields(&self) -> &[(String, &'a syn::Type)] {
        match &self.fields {
            Fields::Listed(fields, _) => fields,
            Fields::Taken(bodies, index, listed) => {
                listed.get_or_init(|| field_list(bodies.fields(*index)))
            }
        }
    }

    /// Whether this entry is an enum's (see `add_enum`).
    pub(crate) fn is_enum(&self) -> bool {
        matches!(self.fields, Fields::Listed(_, None))
    }

    /// The struct's generic parameters; none for an enum.
    pub(crate) fn generics(&self) -> Option<&'a syn::Generics> {
        match &self.fields {
            Fields::Listed(_, generics) => *generics,
            Fields::Taken(bodies, index, _) => {
                let bodies: &'a Bodies = bodies;
                Some(bodies.generics(*index))
            }
        }
    }
}

fn field_list(fields: &syn::Fields) -> FieldList<'_> {
    fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let name = f
                .ident
                .as_ref()
                .map_or_else(|| i.to_string(), ToString::to_string);
            (name, &f.ty)
        })
        .collect()
}

#[derive(Debug)]
pub(crate) struct StaticDef<'a> {
    /// The path from the crate root, for messages (`crate::locks::A` is written `locks::A`).
    pub path: String,
    pub ty: &'a syn::Type,
    pub init: &'a syn::Expr,
    pub module: ModId,
}

#[derive(Debug)]
pub(crate) struct AliasDef<'a> {
    /// Read through [`AliasDef::target`].
    target: AliasTarget<'a>,
    /// Where the target's names resolve.
    pub module: ModId,
}

impl<'a> AliasDef<'a> {
    /// The aliased type, a path (generic arguments included), parsed now if it waits as text;
    /// `None` if it does not parse so.
    pub(crate) fn target(&self) -> Option<&'a syn::Type> {
        self.target.get()
    }
}

#[derive(Debug)]
pub(crate) struct ConstDef<'a> {
    value: ConstValue<'a>,
    pub module: ModId,
}

impl<'a> ConstDef<'a> {
    /// Its value, parsed now if it waits as text.
    pub(crate) fn init(&self) -> ConstInit<'a> {
        self.value.init()
    }
}

/// Every item of one crate. File slots index the crate's files as given to [`build`].
#[derive(Debug, Default)]
pub(crate) struct CrateIndex<'a> {
    pub modules: Vec<Module<'a>>,
    pub fns: Vec<FnDef<'a>>,
    pub structs: Vec<StructDef<'a>>,
    pub statics: Vec<StaticDef<'a>>,
    pub consts: Vec<ConstDef<'a>>,
    pub aliases: Vec<AliasDef<'a>>,
    /// Methods of each type, inherent and trait impls alike.
    pub methods: HashMap<(StructId, String), Vec<FnId>>,
    /// The types implementing each trait (by the trait's name): what a `dyn Trait` can be.
    pub implementors: HashMap<String, Vec<StructId>>,
    /// The root module of each library the crate links, by the name its paths give it.
    pub externs: HashMap<String, ModId>,
}

impl<'a> FnDef<'a> {
    /// Whether the parameter `name` is declared `mut` (`fn f(mut n: u32)`).
    pub(crate) fn param_is_mut(&self, name: &str) -> bool {
        self.sig().inputs.iter().any(|input| match input {
            syn::FnArg::Receiver(r) => name == "self" && r.mutability.is_some(),
            syn::FnArg::Typed(t) => {
                matches!(&*t.pat, syn::Pat::Ident(p) if p.mutability.is_some() && p.ident == name)
            }
        })
    }

    /// The signature, its function parsed now if it was taken whole and not parsed yet.
    pub(crate) fn sig(&self) -> &'a syn::Signature {
        self.signature.get()
    }
}

impl CrateIndex<'_> {
    pub(crate) fn root(&self) -> ModId {
        ModId(0)
    }

    /// The root of the crate `module` is in: the crate's, or that of a library it links.
    pub(crate) fn crate_root_of(&self, mut module: ModId) -> ModId {
        loop {
            let m = &self.modules[module.index()];
            match m.block_of.or(m.parent) {
                Some(up) => module = up,
                None => return module,
            }
        }
    }
}

/// The items declared in statement position inside function bodies (nested ones included).
#[derive(Default)]
struct NestedItems<'a> {
    items: Vec<&'a syn::Item>,
}

impl<'a> syn::visit::Visit<'a> for NestedItems<'a> {
    fn visit_stmt(&mut self, stmt: &'a syn::Stmt) {
        if let syn::Stmt::Item(item) = stmt {
            if !matches!(item, syn::Item::Mod(_)) {
                self.items.push(item);
            }
        }
        syn::visit::visit_stmt(self, stmt);
    }
}

/// The name an item binds, if it binds one the model resolves.
fn item_name(item: &syn::Item) -> Option<String> {
    let ident = match item {
        syn::Item::Fn(f) => &f.sig.ident,
        syn::Item::Struct(s) => &s.ident,
        syn::Item::Enum(e) => &e.ident,
        syn::Item::Static(s) => &s.ident,
        syn::Item::Const(c) => &c.ident,
        syn::Item::Trait(t) => &t.ident,
        syn::Item::Type(t) => &t.ident,
        syn::Item::Union(u) => &u.ident,
        _ => return None,
    };
    Some(ident.to_string())
}

/// An `impl` block waiting for every type of the crate to be known.
struct PendingImpl<'a> {
    item: &'a syn::ItemImpl,
    module: ModId,
    file: usize,
}

/// A trait definition, for the default methods its implementors inherit.
struct TraitDef<'a> {
    item: &'a syn::ItemTrait,
    module: ModId,
    file: usize,
}

/// Builds the index from the crate's parsed files (`asts[slot]` is the file of `files[slot]`),
/// whose plain constants `kept` holds and whose function bodies taken out of them `bodies` does.
/// `externs`: the libraries the crate links, by name and the slot of their root, each a module
/// tree of its own (whose `crate::` paths are its own root).
pub(crate) fn build<'a>(
    table: &FileTable,
    files: &[usize],
    externs: &[(&str, usize)],
    asts: &'a [syn::File],
    kept: &'a KeptItems,
    bodies: &'a Bodies,
) -> CrateIndex<'a> {
    let mut builder = Builder {
        table,
        asts,
        kept,
        bodies,
        files,
        index: CrateIndex::default(),
        impls: Vec::new(),
        traits: HashMap::new(),
        loaded: vec![false; files.len()],
        roots: vec![0],
        slots: files
            .iter()
            .enumerate()
            .map(|(slot, &file)| (file, slot))
            .collect(),
        scopes: HashMap::new(),
    };
    builder.index.modules.push(Module::default());
    builder.load_file(0, ModId(0), "");
    for &(name, slot) in externs {
        let root = ModId(builder.index.modules.len() as u32);
        builder.index.modules.push(Module::default());
        builder.index.externs.insert(name.to_owned(), root);
        builder.roots.push(slot);
        builder.load_file(slot, root, &format!("{name}::"));
    }
    let Builder {
        mut index,
        impls,
        traits,
        scopes,
        ..
    } = builder;
    for pending in impls {
        register_impl(&mut index, &traits, bodies, pending);
    }
    for f in &mut index.fns {
        let body = f.body.in_tree().map(std::ptr::from_ref);
        if let Some(&scope) = body.and_then(|body| scopes.get(&body)) {
            f.scope = scope;
        }
    }
    // The index lives as long as the model: no room left over from growing.
    index.fns.shrink_to_fit();
    index.structs.shrink_to_fit();
    index.consts.shrink_to_fit();
    index.aliases.shrink_to_fit();
    index
}

struct Builder<'t, 'a> {
    table: &'t FileTable,
    asts: &'a [syn::File],
    kept: &'a KeptItems,
    bodies: &'a Bodies,
    files: &'t [usize],
    index: CrateIndex<'a>,
    impls: Vec<PendingImpl<'a>>,
    /// Traits by name; `None` for a name two traits share (which one an impl means is unknown).
    traits: HashMap<String, Option<TraitDef<'a>>>,
    loaded: Vec<bool>,
    /// The slots of crate roots: the crate's, and those of the libraries it links.
    roots: Vec<usize>,
    /// The slot of each input file of the crate.
    slots: HashMap<usize, usize>,
    /// The scope of the items declared in each function body that declares some.
    scopes: HashMap<*const syn::Block, ModId>,
}

impl<'a> Builder<'_, 'a> {
    fn load_file(&mut self, slot: usize, module: ModId, prefix: &str) {
        if std::mem::replace(&mut self.loaded[slot], true) {
            return;
        }
        let items = &self.asts[slot].items;
        self.load_items(items, slot, module, prefix, &mut Vec::new());
    }

    fn load_items(
        &mut self,
        items: &'a [syn::Item],
        slot: usize,
        module: ModId,
        prefix: &str,
        inline: &mut Vec<String>,
    ) {
        for item in items {
            self.load_item(item, slot, module, prefix, inline);
        }
        self.load_nested_items(items, slot, module, prefix, inline);
    }

    /// Items declared inside function bodies (`fn main() { static A: Lock = …; fn helper() {} }`)
    /// belong to that body: a scope of their own, which sees its module's names too, so the
    /// same name declared in two bodies is two items. A name declared twice in one body (in two
    /// of its blocks) stays out: which one a path means would be a guess.
    fn load_nested_items(
        &mut self,
        items: &'a [syn::Item],
        slot: usize,
        module: ModId,
        prefix: &str,
        inline: &mut Vec<String>,
    ) {
        for item in items {
            match item {
                syn::Item::Fn(f) => self.load_body_items(&f.block, slot, module, prefix, inline),
                syn::Item::Impl(i) => {
                    for item in &i.items {
                        if let syn::ImplItem::Fn(f) = item {
                            self.load_body_items(&f.block, slot, module, prefix, inline);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn load_body_items(
        &mut self,
        body: &'a syn::Block,
        slot: usize,
        module: ModId,
        prefix: &str,
        inline: &mut Vec<String>,
    ) {
        let mut nested = NestedItems::default();
        nested.visit_block(body);
        if nested.items.is_empty() {
            return;
        }
        let scope = ModId(self.index.modules.len() as u32);
        self.index.modules.push(Module {
            parent: self.index.modules[module.index()].parent,
            block_of: Some(module),
            ..Module::default()
        });
        self.scopes.insert(std::ptr::from_ref(body), scope);
        let mut declared: HashMap<String, usize> = HashMap::new();
        for item in &nested.items {
            if let Some(name) = item_name(item) {
                *declared.entry(name).or_default() += 1;
            }
        }
        for item in nested.items {
            let load = match item_name(item) {
                Some(name) => declared.get(&name) == Some(&1),
                None => matches!(item, syn::Item::Impl(_) | syn::Item::Use(_)),
            };
            if load {
                self.load_item(item, slot, scope, prefix, inline);
            }
        }
    }

    fn load_item(
        &mut self,
        item: &'a syn::Item,
        slot: usize,
        module: ModId,
        prefix: &str,
        inline: &mut Vec<String>,
    ) {
        match item {
            syn::Item::Mod(m) => self.load_mod(m, slot, module, prefix, inline),
            syn::Item::Fn(f) => {
                let id = FnId(self.index.fns.len() as u32);
                self.index.fns.push(FnDef {
                    name: f.sig.ident.to_string(),
                    signature: Sig::Tree(&f.sig),
                    body: self.bodies.body(slot, &f.block),
                    attrs: &f.attrs,
                    module,
                    scope: module,
                    file: slot,
                    self_ty: None,
                    outer_generics: None,
                    public: !matches!(f.vis, syn::Visibility::Inherited),
                });
                self.define(module, &f.sig.ident, Def::Fn(id));
            }
            syn::Item::Struct(s) => {
                let fields = field_list(&s.fields);
                let def = self.add_struct(StructDef::listed(
                    s.ident.to_string(),
                    module,
                    fields,
                    Some(&s.generics),
                ));
                self.define(module, &s.ident, def);
            }
            syn::Item::Enum(e) => {
                let def = self.add_enum(e.ident.to_string(), module);
                self.define(module, &e.ident, def);
            }
            syn::Item::Static(s) => {
                let id = StaticId(self.index.statics.len() as u32);
                self.index.statics.push(StaticDef {
                    path: format!("{prefix}{}", s.ident),
                    ty: &s.ty,
                    init: &s.expr,
                    module,
                });
                self.define(module, &s.ident, Def::Static(id));
            }
            syn::Item::Const(c) => {
                let def = self.add_const(ConstValue::Tree(&c.expr), module);
                self.define(module, &c.ident, def);
            }
            syn::Item::Macro(m) => {
                for index in self.bodies.taken_items(m).unwrap_or_default() {
                    if let Some(taken) = self.bodies.taken(index) {
                        self.load_taken(index, &taken.name, taken.kind, slot, module);
                    }
                }
            }
            syn::Item::Verbatim(_) => {
                let Some(run) = self.kept.run_of(item) else {
                    return;
                };
                for (name, kept) in run.iter() {
                    let def = self.load_kept(name, kept, module);
                    self.define_name(module, Cow::Borrowed(name), def);
                }
            }
            syn::Item::Use(u) => {
                let m = &mut self.index.modules[module.index()];
                flatten_use(&u.tree, &mut Vec::new(), &mut m.uses, &mut m.globs);
            }
            syn::Item::Impl(i) => self.impls.push(PendingImpl {
                item: i,
                module,
                file: slot,
            }),
            syn::Item::Trait(t) => {
                let def = TraitDef {
                    item: t,
                    module,
                    file: slot,
                };
                self.traits
                    .entry(t.ident.to_string())
                    .and_modify(|known| *known = None)
                    .or_insert(Some(def));
                self.define(module, &t.ident, Def::Opaque);
            }
            syn::Item::Type(t) => {
                let def = match &*t.ty {
                    syn::Type::Path(path) if path.qself.is_none() => {
                        self.add_alias(AliasTarget::Tree(&t.ty), module)
                    }
                    _ => Def::Opaque,
                };
                self.define(module, &t.ident, def);
            }
            syn::Item::Union(u) => self.define(module, &u.ident, Def::Opaque),
            _ => {}
        }
    }

    fn load_mod(
        &mut self,
        m: &'a syn::ItemMod,
        slot: usize,
        parent: ModId,
        prefix: &str,
        inline: &mut Vec<String>,
    ) {
        let id = ModId(self.index.modules.len() as u32);
        self.index.modules.push(Module {
            parent: Some(parent),
            ..Module::default()
        });
        self.define(parent, &m.ident, Def::Mod(id));
        let name = m.ident.to_string();
        let prefix = format!("{prefix}{name}::");
        match &m.content {
            Some((_, items)) => {
                inline.push(name);
                self.load_items(items, slot, id, &prefix, inline);
                inline.pop();
            }
            None => {
                let from = self.files[slot];
                let child = self
                    .table
                    .mod_item_file(from, self.roots.contains(&slot), inline, m);
                if let Some(child_slot) = child.and_then(|c| self.slots.get(&c).copied()) {
                    self.load_file(child_slot, id, &prefix);
                }
            }
        }
    }

    /// An item kept out of the tree (see `frontend::compact`), named `name`.
    fn load_kept(&mut self, name: &str, kept: &'a Kept, module: ModId) -> Def {
        match kept {
            Kept::Int(_) | Kept::Expr(_) | Kept::Unknown => {
                self.add_const(ConstValue::Kept(kept), module)
            }
            Kept::Alias(target) => self.add_alias(AliasTarget::Kept(target), module),
            Kept::Enum => self.add_enum(name.to_owned(), module),
            Kept::Opaque => Def::Opaque,
        }
    }

    fn add_struct(&mut self, def: StructDef<'a>) -> Def {
        let id = StructId(self.index.structs.len() as u32);
        self.index.structs.push(def);
        Def::Struct(id)
    }

    /// An enum is a struct entry without fields, so that its methods resolve.
    fn add_enum(&mut self, name: String, module: ModId) -> Def {
        self.add_struct(StructDef::listed(name, module, Vec::new(), None))
    }

    fn add_const(&mut self, value: ConstValue<'a>, module: ModId) -> Def {
        let id = ConstId(self.index.consts.len() as u32);
        self.index.consts.push(ConstDef { value, module });
        Def::Const(id)
    }

    fn add_alias(&mut self, target: AliasTarget<'a>, module: ModId) -> Def {
        let id = AliasId(self.index.aliases.len() as u32);
        self.index.aliases.push(AliasDef { target, module });
        Def::Alias(id)
    }

    /// An item taken out of the tree whole (see `frontend::bodies`), at entry `index`.
    fn load_taken(&mut self, index: u32, name: &str, kind: TakenKind, slot: usize, module: ModId) {
        let def = match kind {
            TakenKind::Fn { public } => {
                let id = FnId(self.index.fns.len() as u32);
                self.index.fns.push(FnDef {
                    name: name.to_owned(),
                    signature: Sig::Taken(self.bodies, index),
                    body: Body::Taken(self.bodies, index),
                    attrs: &[],
                    module,
                    scope: module,
                    file: slot,
                    self_ty: None,
                    outer_generics: None,
                    public,
                });
                Def::Fn(id)
            }
            TakenKind::Struct => self.add_struct(StructDef {
                name: name.to_owned(),
                module,
                fields: Fields::Taken(self.bodies, index, OnceCell::new()),
                impls: Vec::new(),
            }),
        };
        self.define_name(module, Cow::Owned(name.to_owned()), def);
    }

    fn define(&mut self, module: ModId, ident: &syn::Ident, def: Def) {
        self.define_name(module, Cow::Owned(ident.to_string()), def);
    }

    /// The first definition of a name in a module is what the name means there.
    fn define_name(&mut self, module: ModId, name: Cow<'a, str>, def: Def) {
        self.index.modules[module.index()]
            .defs
            .entry(name)
            .or_insert(def);
    }
}

fn register_impl<'a>(
    index: &mut CrateIndex<'a>,
    traits: &HashMap<String, Option<TraitDef<'a>>>,
    bodies: &'a Bodies,
    pending: PendingImpl<'a>,
) {
    let syn::Type::Path(ty) = &*pending.item.self_ty else {
        return;
    };
    let segments = super::resolve::segments(&ty.path);
    let Some(super::resolve::Resolved::Def(Def::Struct(self_ty))) =
        super::resolve::resolve_path(index, pending.module, &segments)
    else {
        return;
    };
    let trait_name = pending
        .item
        .trait_
        .as_ref()
        .and_then(|(_, path, _)| path.segments.last())
        .map(|s| s.ident.to_string());
    index.structs[self_ty.index()]
        .impls
        .push((&pending.item.generics, &ty.path));
    if let Some(name) = &trait_name {
        index
            .implementors
            .entry(name.clone())
            .or_default()
            .push(self_ty);
    }
    for item in &pending.item.items {
        let syn::ImplItem::Fn(f) = item else {
            continue;
        };
        let method = Method {
            sig: &f.sig,
            body: bodies.body(pending.file, &f.block),
            attrs: &f.attrs,
            outer_generics: &pending.item.generics,
            module: pending.module,
            file: pending.file,
            // Trait methods are as public as their trait; inherent ones say so.
            public: trait_name.is_some() || !matches!(f.vis, syn::Visibility::Inherited),
        };
        add_method(index, self_ty, method);
    }
    // The trait's default methods the impl does not override are methods of the type too, with
    // `Self` standing for it.
    let Some(Some(def)) = trait_name.and_then(|name| traits.get(&name)) else {
        return;
    };
    for item in &def.item.items {
        let syn::TraitItem::Fn(f) = item else {
            continue;
        };
        let Some(body) = &f.default else {
            continue;
        };
        if index
            .methods
            .contains_key(&(self_ty, f.sig.ident.to_string()))
        {
            continue;
        }
        let method = Method {
            sig: &f.sig,
            body: bodies.body(def.file, body),
            attrs: &f.attrs,
            outer_generics: &def.item.generics,
            module: def.module,
            file: def.file,
            public: true,
        };
        add_method(index, self_ty, method);
    }
}

/// A method body and where it is written, before it is given an id.
struct Method<'a> {
    sig: &'a syn::Signature,
    body: Body<'a>,
    attrs: &'a [syn::Attribute],
    /// Of its `impl` block, or of the trait that gives it as a default.
    outer_generics: &'a syn::Generics,
    module: ModId,
    file: usize,
    public: bool,
}

fn add_method<'a>(index: &mut CrateIndex<'a>, self_ty: StructId, method: Method<'a>) {
    let id = FnId(index.fns.len() as u32);
    let name = method.sig.ident.to_string();
    index.fns.push(FnDef {
        name: name.clone(),
        signature: Sig::Tree(method.sig),
        body: method.body,
        attrs: method.attrs,
        module: method.module,
        scope: method.module,
        file: method.file,
        self_ty: Some(self_ty),
        outer_generics: Some(method.outer_generics),
        public: method.public,
    });
    index.methods.entry((self_ty, name)).or_default().push(id);
}

fn flatten_use(
    tree: &syn::UseTree,
    prefix: &mut Vec<String>,
    uses: &mut Vec<(String, Vec<String>)>,
    globs: &mut Vec<Vec<String>>,
) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            flatten_use(&p.tree, prefix, uses, globs);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let name = n.ident.to_string();
            if name == "self" {
                if let Some(last) = prefix.last() {
                    uses.push((last.clone(), prefix.clone()));
                }
            } else {
                let mut path = prefix.clone();
                path.push(name.clone());
                uses.push((name, path));
            }
        }
        syn::UseTree::Rename(r) => {
            let mut path = prefix.clone();
            let name = r.ident.to_string();
            if name != "self" {
                path.push(name);
            }
            uses.push((r.rename.to_string(), path));
        }
        syn::UseTree::Glob(_) => globs.push(prefix.clone()),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                flatten_use(t, prefix, uses, globs);
            }
        }
    }
}
