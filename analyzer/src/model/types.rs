//! What a written type tells the model: a primitive, a family of primitives, a crate struct.
use super::value::Place;
use super::{Api, PrimKind};
use crate::frontend::index::{AliasId, CrateIndex, Def, StructDef, StructId};
use crate::frontend::resolve::{resolve_path_to_alias, segments, RacecheckItem, Resolved};
use crate::frontend::sync_items::SyncItem;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Shape {
    Prim(PrimKind, Api),
    /// A collection of primitives (`Vec<Lock>`, `[Lock; 5]`, `Arc<[Mutex<T>]>`).
    Family(PrimKind, Api),
    Struct(StructId),
    /// A trait object or `impl Trait`: any implementor of the trait (by name).
    Dyn(String),
    /// A collection of structs or trait objects.
    Collection(Box<Shape>),
    Unknown,
}

/// Wrappers that hold one value and share or box it: the model sees through them.
const TRANSPARENT: &[&str] = &[
    "Arc",
    "Rc",
    "Weak",
    "Box",
    "LazyLock",
    "LazyCell",
    "OnceLock",
    "Pin",
    "ManuallyDrop",
    "Cow",
    "Option",
];

/// Collections: a primitive inside one is an element of a family.
const COLLECTIONS: &[&str] = &[
    "Vec", "VecDeque", "HashMap", "BTreeMap", "IndexMap", "SmallVec",
];

/// Whether a type is written as one of the collections (`Vec<JoinHandle<()>>`, `[u8; 4]`),
/// whatever its elements are.
pub(crate) fn is_collection(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Array(_) | syn::Type::Slice(_) => true,
        syn::Type::Path(p) => p
            .path
            .segments
            .last()
            .is_some_and(|s| COLLECTIONS.contains(&s.ident.to_string().as_str())),
        _ => false,
    }
}

/// Whether a type is written as a map (`HashMap<K, V>`): a collection of pairs built from an
/// iterator of `(key, value)` tuples, whose elements are the values.
pub(crate) fn is_map(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p
        .path
        .segments
        .last()
        .is_some_and(|s| matches!(s.ident.to_string().as_str(), "HashMap" | "BTreeMap" | "IndexMap")))
}

pub(crate) fn shape_of(index: &CrateIndex<'_>, place: Place, ty: &syn::Type) -> Shape {
    shape_at_depth(index, place, ty, None, 0)
}

/// [`shape_of`] a type written in a field of `def`: a parameter of the struct bounded by a
/// trait, on the struct or on one of its `impl` blocks, is any implementor of it.
pub(crate) fn shape_in(
    index: &CrateIndex<'_>,
    place: Place,
    ty: &syn::Type,
    def: Option<&StructDef<'_>>,
) -> Shape {
    shape_at_depth(index, place, ty, def, 0)
}

fn shape_at_depth(
    index: &CrateIndex<'_>,
    place: Place,
    ty: &syn::Type,
    def: Option<&StructDef<'_>>,
    depth: u32,
) -> Shape {
    if depth > 16 {
        return Shape::Unknown;
    }
    let inner = |t: &syn::Type| shape_at_depth(index, place, t, def, depth + 1);
    if let Some(bound) = def.and_then(|def| param_bound(def, ty)) {
        return Shape::Dyn(bound);
    }
    match ty {
        syn::Type::Reference(r) => inner(&r.elem),
        syn::Type::Paren(p) => inner(&p.elem),
        syn::Type::Group(g) => inner(&g.elem),
        syn::Type::TraitObject(t) => trait_shape(&t.bounds),
        syn::Type::ImplTrait(t) => trait_shape(&t.bounds),
        syn::Type::Array(a) => as_collection(inner(&a.elem)),
        syn::Type::Slice(s) => as_collection(inner(&s.elem)),
        syn::Type::Path(p) if p.qself.is_none() => {
            let segments = segments(&p.path);
            if segments.len() == 1 && segments[0] == "Self" {
                return place.self_ty.map_or(Shape::Unknown, Shape::Struct);
            }
            let last_type_arg = || last_type_arg(&p.path);
            match resolve_path_to_alias(index, place.module, &segments) {
                Some(Resolved::Def(Def::Struct(s))) => Shape::Struct(s),
                Some(Resolved::Def(Def::Alias(alias))) => alias_target(index, alias, place)
                    .map_or(Shape::Unknown, |(at_alias, target)| {
                        shape_at_depth(index, at_alias, target, None, depth + 1)
                    }),
                Some(Resolved::External(path)) => {
                    if let Some((kind, api)) = prim_of(&path) {
                        return Shape::Prim(kind, api);
                    }
                    let last = path.last().map(String::as_str).unwrap_or_default();
                    if TRANSPARENT.contains(&last) {
                        last_type_arg().map_or(Shape::Unknown, inner)
                    } else if COLLECTIONS.contains(&last) {
                        last_type_arg().map_or(Shape::Unknown, |t| as_collection(inner(t)))
                    } else {
                        Shape::Unknown
                    }
                }
                _ => Shape::Unknown,
            }
        }
        _ => Shape::Unknown,
    }
}

/// The type of the data a lock type protects (`Mutex<Vec<Arc<dyn Job>>>` protects a `Vec<…>`),
/// seen through references, sharing wrappers and aliases, with the place its paths are read at.
pub(crate) fn lock_data<'a>(
    index: &CrateIndex<'a>,
    place: Place,
    ty: &'a syn::Type,
) -> Option<(Place, &'a syn::Type)> {
    lock_data_at_depth(index, place, ty, 0)
}

fn lock_data_at_depth<'a>(
    index: &CrateIndex<'a>,
    place: Place,
    ty: &'a syn::Type,
    depth: u32,
) -> Option<(Place, &'a syn::Type)> {
    if depth > 16 {
        return None;
    }
    let path = match ty {
        syn::Type::Reference(r) => return lock_data_at_depth(index, place, &r.elem, depth + 1),
        syn::Type::Paren(p) => return lock_data_at_depth(index, place, &p.elem, depth + 1),
        syn::Type::Group(g) => return lock_data_at_depth(index, place, &g.elem, depth + 1),
        syn::Type::Path(p) if p.qself.is_none() => &p.path,
        _ => return None,
    };
    match resolve_path_to_alias(index, place.module, &segments(path))? {
        Resolved::Def(Def::Alias(alias)) => {
            let (at_alias, target) = alias_target(index, alias, place)?;
            lock_data_at_depth(index, at_alias, target, depth + 1)
        }
        Resolved::External(outside) => match prim_of(&outside) {
            Some((PrimKind::Lock | PrimKind::RLock | PrimKind::RwLock, _)) => {
                last_type_arg(path).map(|data| (place, data))
            }
            Some(_) => None,
            None if TRANSPARENT
                .contains(&outside.last().map(String::as_str).unwrap_or_default()) =>
            {
                lock_data_at_depth(index, place, last_type_arg(path)?, depth + 1)
            }
            None => None,
        },
        Resolved::Def(_) => None,
    }
}

/// The primitive a path outside the crate names as a type: racecheck's, or a std, parking_lot
/// or crossbeam twin of one.
fn prim_of(path: &[String]) -> Option<(PrimKind, Api)> {
    if let Some((RacecheckItem::Prim(kind), None)) = RacecheckItem::of_path(path) {
        return Some((kind, Api::Racecheck));
    }
    match SyncItem::of_path(path) {
        Some((SyncItem::Prim(kind, api), None)) => Some((kind, api)),
        _ => None,
    }
}

/// The last type argument of a path (`Mutex<u32>` gives `u32`; `HashMap<K, V>` gives `V`).
fn last_type_arg(path: &syn::Path) -> Option<&syn::Type> {
    match &path.segments.last()?.arguments {
        syn::PathArguments::AngleBracketed(a) => a.args.iter().rev().find_map(|arg| match arg {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    }
}

/// The type an alias stands for, with the place its paths are read at (the alias's module).
fn alias_target<'a>(
    index: &CrateIndex<'a>,
    alias: AliasId,
    place: Place,
) -> Option<(Place, &'a syn::Type)> {
    let alias = &index.aliases[alias.index()];
    let at_alias = Place {
        module: alias.module,
        ..place
    };
    Some((at_alias, alias.target()?))
}

/// The first trait of a bound list (`dyn Job + Send` is a `Job`).
fn trait_shape(bounds: &syn::punctuated::Punctuated<syn::TypeParamBound, syn::Token![+]>) -> Shape {
    bounds
        .iter()
        .find_map(|b| match b {
            syn::TypeParamBound::Trait(t) => t
                .path
                .segments
                .last()
                .map(|s| Shape::Dyn(s.ident.to_string())),
            _ => None,
        })
        .unwrap_or(Shape::Unknown)
}

fn as_collection(shape: Shape) -> Shape {
    match shape {
        Shape::Prim(kind, api) | Shape::Family(kind, api) => Shape::Family(kind, api),
        Shape::Unknown => Shape::Unknown,
        element => Shape::Collection(Box::new(element)),
    }
}

/// Traits every type may carry that say nothing about which implementor it is.
const MARKERS: &[&str] = &[
    "Send", "Sync", "Clone", "Copy", "Sized", "Debug", "Default", "Unpin", "Display",
];

/// The name of a type parameter `ty` may be (`T`, `&T`, `(T)`).
fn param_name(ty: &syn::Type) -> Option<&syn::Ident> {
    match ty {
        syn::Type::Reference(r) => param_name(&r.elem),
        syn::Type::Paren(p) => param_name(&p.elem),
        syn::Type::Path(p) if p.qself.is_none() => p.path.get_ident(),
        _ => None,
    }
}

/// The trait bounding the parameter of struct `def` that `ty` names: in its declaration
/// (`struct Bus<L: Listener>`, a where clause), or else on one of its `impl` blocks, matched by
/// the parameter's position (`impl<T> Bus<T> where T: Listener`).
fn param_bound(def: &StructDef<'_>, ty: &syn::Type) -> Option<String> {
    let generics = def.generics()?;
    if let Some(bound) = generic_bound(generics, ty) {
        return Some(bound);
    }
    let name = param_name(ty)?;
    // Arguments are written in the parameters' order, lifetimes apart.
    let position = generics
        .params
        .iter()
        .filter(|p| !matches!(p, syn::GenericParam::Lifetime(_)))
        .position(|p| matches!(p, syn::GenericParam::Type(t) if t.ident == *name))?;
    def.impls.iter().find_map(|(impl_generics, self_ty)| {
        let syn::PathArguments::AngleBracketed(args) = &self_ty.segments.last()?.arguments else {
            return None;
        };
        let arg = args
            .args
            .iter()
            .filter(|a| !matches!(a, syn::GenericArgument::Lifetime(_)))
            .nth(position)?;
        match arg {
            syn::GenericArgument::Type(arg) => generic_bound(impl_generics, arg),
            _ => None,
        }
    })
}

/// A parameter of a generic type (`l: &T` with `T: Listener`, by its bounds or a `where`
/// clause): any implementor of its first non-marker trait, by name.
pub(crate) fn generic_bound(generics: &syn::Generics, ty: &syn::Type) -> Option<String> {
    let name = param_name(ty)?;
    let param = generics.type_params().find(|p| p.ident == *name)?;
    let from_where = generics.where_clause.iter().flat_map(|w| &w.predicates).filter_map(|p| match p {
        syn::WherePredicate::Type(t) if matches!(&t.bounded_ty, syn::Type::Path(b) if b.path.is_ident(name)) => {
            Some(&t.bounds)
        }
        _ => None,
    });
    std::iter::once(&param.bounds)
        .chain(from_where)
        .flatten()
        .find_map(|bound| match bound {
            syn::TypeParamBound::Trait(t) => t
                .path
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .filter(|n| !MARKERS.contains(&n.as_str())),
            _ => None,
        })
}
