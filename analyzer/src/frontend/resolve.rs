//! Name resolution within a crate: `crate::`, `super::`, `self::`, `use` (aliases, groups,
//! globs) and associated functions through `impl` blocks.
use super::index::{CrateIndex, Def, ModId};
use super::sync_items::glob_exports;

/// The identifiers of a path (`a::b::C` → `["a", "b", "C"]`), as the resolver takes them.
pub(crate) fn segments(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

/// What a path names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolved {
    Def(Def),
    /// A path outside the crate (`racecheck::Lock`, `std::sync::Arc`, `drop`), fully spelled.
    External(Vec<String>),
}

/// How many `use` indirections a lookup follows before giving up (import cycles).
const MAX_DEPTH: u32 = 24;

/// Resolves a path written in `module`. `None`: it names nothing the analysis can see.
pub(crate) fn resolve_path(
    index: &CrateIndex<'_>,
    module: ModId,
    segments: &[String],
) -> Option<Resolved> {
    let mut searched = Vec::new();
    let found = resolve_in(index, module, segments, 0, &mut searched)?;
    through_alias(index, found, 0, &mut searched)
}

/// Like [`resolve_path`], but a path naming a type alias gives the alias itself, for callers
/// that read the target's generic arguments (`type Shared = Arc<Mutex<u32>>` is a `Mutex`).
pub(crate) fn resolve_path_to_alias(
    index: &CrateIndex<'_>,
    module: ModId,
    segments: &[String],
) -> Option<Resolved> {
    resolve_in(index, module, segments, 0, &mut Vec::new())
}

/// `searched`: see [`lookup_imports`].
fn resolve_in(
    index: &CrateIndex<'_>,
    module: ModId,
    segments: &[String],
    depth: u32,
    searched: &mut Vec<(ModId, String)>,
) -> Option<Resolved> {
    if depth > MAX_DEPTH {
        return None;
    }
    let (first, rest) = segments.split_first()?;
    let mut current = match first.as_str() {
        "crate" => Resolved::Def(Def::Mod(index.crate_root_of(module))),
        "self" => Resolved::Def(Def::Mod(enclosing_module(index, module))),
        "super" => Resolved::Def(Def::Mod(index.modules[module.index()].parent?)),
        name => lookup(index, module, name, depth, searched).unwrap_or_else(|| {
            match index.externs.get(name) {
                Some(&library) => Resolved::Def(Def::Mod(library)),
                None => Resolved::External(vec![name.to_owned()]),
            }
        }),
    };
    for segment in rest {
        current = through_alias(index, current, depth, searched)?;
        current = match current {
            Resolved::Def(Def::Mod(m)) if segment == "super" => {
                Resolved::Def(Def::Mod(index.modules[m.index()].parent?))
            }
            Resolved::Def(Def::Mod(m)) => lookup(index, m, segment, depth, searched)?,
            Resolved::Def(Def::Struct(s)) => {
                let method = index.methods.get(&(s, segment.clone()))?.first()?;
                Resolved::Def(Def::Fn(*method))
            }
            Resolved::External(mut path) => {
                path.push(segment.clone());
                Resolved::External(path)
            }
            Resolved::Def(_) => return None,
        };
    }
    Some(current)
}

/// What a type alias stands for: its target's path, resolved where the alias is written
/// (`type Mutex<T> = lock_api::Mutex<RawMutex, T>` names `lock_api::Mutex`). Anything else is
/// itself.
fn through_alias(
    index: &CrateIndex<'_>,
    resolved: Resolved,
    depth: u32,
    searched: &mut Vec<(ModId, String)>,
) -> Option<Resolved> {
    let Resolved::Def(Def::Alias(alias)) = resolved else {
        return Some(resolved);
    };
    let alias = &index.aliases[alias.index()];
    let syn::Type::Path(target) = alias.target()? else {
        return None;
    };
    let found = resolve_in(
        index,
        alias.module,
        &segments(&target.path),
        depth + 1,
        searched,
    )?;
    through_alias(index, found, depth + 1, searched)
}

/// A name as seen from inside `module`: its items, then its imports, then its glob imports.
fn lookup(
    index: &CrateIndex<'_>,
    module: ModId,
    name: &str,
    depth: u32,
    searched: &mut Vec<(ModId, String)>,
) -> Option<Resolved> {
    let m = &index.modules[module.index()];
    if let Some(&def) = m.defs.get(name) {
        return Some(Resolved::Def(def));
    }
    let found = lookup_imports(index, module, name, depth, searched);
    match (found, m.block_of) {
        // A function body sees the names of the module it is in.
        (None, Some(outer)) => lookup(index, outer, name, depth + 1, searched),
        (found, _) => found,
    }
}

/// The module a function body's items are in (a body's scope is not a module of its own for
/// `self::`).
fn enclosing_module(index: &CrateIndex<'_>, mut module: ModId) -> ModId {
    while let Some(outer) = index.modules[module.index()].block_of {
        module = outer;
    }
    module
}

/// A name as `module`'s imports and glob imports bind it. Each `(module, name)` is searched once
/// per resolution (`searched` holds those being searched and those that found nothing), so
/// import cycles (`use super::*` both ways, a `use` that names itself, written twice) cost one
/// pass, not one per path through the cycle.
fn lookup_imports(
    index: &CrateIndex<'_>,
    module: ModId,
    name: &str,
    depth: u32,
    searched: &mut Vec<(ModId, String)>,
) -> Option<Resolved> {
    let m = &index.modules[module.index()];
    let imports_it = m.uses.iter().any(|(alias, _)| alias == name) || !m.globs.is_empty();
    if !imports_it || searched.iter().any(|(g, n)| *g == module && n == name) {
        return None;
    }
    searched.push((module, name.to_owned()));
    let found = imported(index, module, name, depth, searched);
    if found.is_some() {
        // Found: a later step of the same path may look it up again.
        searched.retain(|(g, n)| !(*g == module && n == name));
    }
    found
}

/// [`lookup_imports`]'s search: the `use` items binding `name`, then the glob imports.
fn imported(
    index: &CrateIndex<'_>,
    module: ModId,
    name: &str,
    depth: u32,
    searched: &mut Vec<(ModId, String)>,
) -> Option<Resolved> {
    let m = &index.modules[module.index()];
    for (alias, path) in &m.uses {
        if alias == name {
            if let Some(found) = resolve_in(index, module, path, depth + 1, searched) {
                return Some(found);
            }
        }
    }
    for glob in &m.globs {
        match resolve_in(index, module, glob, depth + 1, searched) {
            Some(Resolved::Def(Def::Mod(target))) if target != module => {
                if let Some(found) = lookup(index, target, name, depth + 1, searched) {
                    return Some(found);
                }
            }
            Some(Resolved::External(path))
                if is_racecheck_crate(&path) && racecheck_exports(name) =>
            {
                return Some(Resolved::External(vec![path[0].clone(), name.to_owned()]));
            }
            Some(Resolved::External(mut path)) if glob_exports(&path, name) => {
                path.push(name.to_owned());
                return Some(Resolved::External(path));
            }
            _ => {}
        }
    }
    None
}

fn is_racecheck_crate(path: &[String]) -> bool {
    path.len() == 1 && path[0] == "racecheck"
}

/// The names `racecheck` exports that the model knows.
fn racecheck_exports(name: &str) -> bool {
    RacecheckItem::from_name(name).is_some() || name == "current_thread" || name == "enumerate"
}

/// A primitive type: racecheck's, and `RwLock` (std's and parking_lot's), which has no racecheck
/// twin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum PrimKind {
    Lock,
    RLock,
    /// Read (shared) and write (exclusive) acquisitions.
    RwLock,
    Event,
    Condition,
    Semaphore,
    Barrier,
    Queue,
    JoinableQueue,
    Connection,
    Pool,
    Shared,
}

/// A type of the racecheck crate the model gives meaning to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RacecheckItem {
    Prim(PrimKind),
    Thread,
    JoinHandle,
    Pipe,
    AsyncResult,
}

impl RacecheckItem {
    fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "Lock" => Self::Prim(PrimKind::Lock),
            "RLock" => Self::Prim(PrimKind::RLock),
            "Event" => Self::Prim(PrimKind::Event),
            "Condition" => Self::Prim(PrimKind::Condition),
            "Semaphore" => Self::Prim(PrimKind::Semaphore),
            "Barrier" => Self::Prim(PrimKind::Barrier),
            "Queue" => Self::Prim(PrimKind::Queue),
            "JoinableQueue" => Self::Prim(PrimKind::JoinableQueue),
            "Connection" => Self::Prim(PrimKind::Connection),
            "Pool" => Self::Prim(PrimKind::Pool),
            "Shared" => Self::Prim(PrimKind::Shared),
            // A process is a thread template whose target gets its `.args(..)`.
            "Thread" | "Process" => Self::Thread,
            "JoinHandle" | "ProcessHandle" => Self::JoinHandle,
            "Pipe" => Self::Pipe,
            "AsyncResult" => Self::AsyncResult,
            _ => return None,
        })
    }

    /// The item an external path names, and the associated function it continues with, if any:
    /// `racecheck::Lock::new` is `(Prim(Lock), Some("new"))`.
    pub(crate) fn of_path(path: &[String]) -> Option<(Self, Option<&str>)> {
        match path {
            [krate, item, rest @ ..] if krate == "racecheck" && rest.len() <= 1 => {
                Some((Self::from_name(item)?, rest.first().map(String::as_str)))
            }
            _ => None,
        }
    }
}
