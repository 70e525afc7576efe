//! The synchronization items of std, parking_lot, crossbeam-channel and rayon that the model
//! reads as racecheck's: `std::sync::Mutex` is a `Lock`, `parking_lot::ReentrantMutex` an
//! `RLock`, a `Condvar` a `Condition` (bound to the mutex of the guard it is given), an mpsc or
//! crossbeam channel a `Queue` (both ends one queue), `thread::spawn` a `Thread`. Paths are
//! matched as name resolution spells them (`use`, aliases and full paths alike).
use super::resolve::PrimKind;

/// Whose API a primitive is: racecheck's own, or a type the model reads as one of its kinds.
/// The method names and a few rules (a second read of a `RwLock`, a channel's `recv`) differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Api {
    Racecheck,
    Std,
    ParkingLot,
    Crossbeam,
}

/// A std or crate item the model gives meaning to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SyncItem {
    /// A primitive type: `Mutex`, `RwLock`, `ReentrantMutex`, `Condvar`, `Barrier`.
    Prim(PrimKind, Api),
    /// `mpsc::channel`, `mpsc::sync_channel(n)`, `crossbeam_channel::{unbounded, bounded(n)}`:
    /// a queue, given as its two ends.
    Channel { api: Api, bounded: bool },
    /// `std::thread::spawn` (a joinable thread) or `rayon::spawn` (a detached task).
    Spawn { detached: bool },
    /// `std::thread::scope`, `rayon::scope`: the threads spawned on the scope are joined at its end.
    Scope,
    /// `rayon::join(a, b)`: both closures run, maybe in parallel, and both end before it returns.
    Join,
    /// `std::thread::Builder`.
    ThreadBuilder,
    /// A guard type (`MutexGuard`, `RwLockWriteGuard`…): its `map`/`try_map` keep the lock held.
    Guard,
}

/// Paths that name the same module: `core::sync` is `std::sync`, `crossbeam::channel` is
/// `crossbeam_channel`.
fn canonical(path: &[String]) -> Vec<&str> {
    let mut out: Vec<&str> = path.iter().map(String::as_str).collect();
    match out.as_slice() {
        ["core" | "alloc", ..] => out[0] = "std",
        ["crossbeam", "channel", ..] => {
            out.splice(0..2, ["crossbeam_channel"]);
        }
        _ => {}
    }
    out
}

impl SyncItem {
    /// The item an external path names, and the associated function it continues with, if any:
    /// `std::sync::Mutex::new` is `(Prim(Lock, Std), Some("new"))`.
    pub(crate) fn of_path(path: &[String]) -> Option<(Self, Option<&str>)> {
        let canonical = canonical(path);
        // The item is the whole path or all of it but an associated function.
        let (item, assoc) = match Self::of_item(&canonical) {
            Some(item) => (item, None),
            None => {
                let (last, item_path) = path.split_last()?;
                (
                    Self::of_item(&canonical[..item_path.len()])?,
                    Some(last.as_str()),
                )
            }
        };
        // A function item takes no associated function.
        let is_type = matches!(item, Self::Prim(..) | Self::ThreadBuilder | Self::Guard);
        (is_type || assoc.is_none()).then_some((item, assoc))
    }

    fn of_item(path: &[&str]) -> Option<Self> {
        use PrimKind::{Barrier, Condition, Lock, RLock, RwLock};
        Some(match path {
            ["std", "sync", name] => match *name {
                "Mutex" => Self::Prim(Lock, Api::Std),
                "RwLock" => Self::Prim(RwLock, Api::Std),
                "Condvar" => Self::Prim(Condition, Api::Std),
                "Barrier" => Self::Prim(Barrier, Api::Std),
                "MutexGuard"
                | "RwLockReadGuard"
                | "RwLockWriteGuard"
                | "MappedMutexGuard"
                | "MappedRwLockReadGuard"
                | "MappedRwLockWriteGuard" => Self::Guard,
                _ => return None,
            },
            ["std", "sync", "mpsc", "channel"] => Self::Channel {
                api: Api::Std,
                bounded: false,
            },
            ["std", "sync", "mpsc", "sync_channel"] => Self::Channel {
                api: Api::Std,
                bounded: true,
            },
            ["std", "thread", "spawn"] => Self::Spawn { detached: false },
            ["std", "thread", "scope"] => Self::Scope,
            ["std", "thread", "Builder"] => Self::ThreadBuilder,
            ["parking_lot", name] => match *name {
                "Mutex" | "FairMutex" => Self::Prim(Lock, Api::ParkingLot),
                "RwLock" => Self::Prim(RwLock, Api::ParkingLot),
                "ReentrantMutex" => Self::Prim(RLock, Api::ParkingLot),
                "Condvar" => Self::Prim(Condition, Api::ParkingLot),
                guard if guard.ends_with("Guard") => Self::Guard,
                _ => return None,
            },
            ["crossbeam_channel", "unbounded"] => Self::Channel {
                api: Api::Crossbeam,
                bounded: false,
            },
            ["crossbeam_channel", "bounded"] => Self::Channel {
                api: Api::Crossbeam,
                bounded: true,
            },
            ["rayon", "spawn" | "spawn_fifo"] => Self::Spawn { detached: true },
            ["rayon", "scope" | "scope_fifo" | "in_place_scope"] => Self::Scope,
            ["rayon", "join"] => Self::Join,
            _ => return None,
        })
    }
}

/// Identifiers of which a file that names a primitive the model knows holds one: `racecheck`, or
/// a segment of a path of [`SyncItem::of_path`] (`parking_lot`, `crossbeam_channel`, …).
const CRATE_WORDS: &[&str] = &[
    "racecheck",
    "parking_lot",
    "crossbeam",
    "crossbeam_channel",
    "rayon",
];

/// Modules of std that count only as a segment of a path (`std::sync`, `thread::spawn`): as
/// names of their own they are common field names (`pub sync: *mut sync_serial_settings`).
const STD_MODULES: &[&str] = &["sync", "thread"];

/// Whether a source text may name a primitive the model knows (crates whose files do not are
/// not modelled). Only whole identifiers count, `sync` and `thread` only in a path: the `SYNC`
/// of linux-raw-sys's `IORING_FSYNC` or its `sync` fields would otherwise model a crate that
/// holds no primitive.
pub(crate) fn mentioned_in(text: &str) -> bool {
    let ident_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || !b.is_ascii();
    let words = |word: &'static str| {
        text.match_indices(word).filter_map(move |(at, _)| {
            let end = at + word.len();
            let starts = at == 0 || !ident_byte(text.as_bytes()[at - 1]);
            let ends = text.as_bytes().get(end).is_none_or(|&b| !ident_byte(b));
            (starts && ends).then_some((&text[..at], &text[end..]))
        })
    };
    CRATE_WORDS.iter().any(|&word| words(word).next().is_some())
        || STD_MODULES.iter().any(|&word| {
            words(word).any(|(before, after)| {
                before.trim_end().ends_with("::") || after.trim_start().starts_with("::")
            })
        })
}

/// Whether a glob import of `module` (`use std::sync::*`) brings `name` into scope as an item
/// the model knows, or as a module that holds some (`mpsc`).
pub(crate) fn glob_exports(module: &[String], name: &str) -> bool {
    let mut path = module.to_vec();
    path.push(name.to_owned());
    SyncItem::of_path(&path).is_some_and(|(_, assoc)| assoc.is_none())
        || matches!(
            (canonical(module).as_slice(), name),
            (["std", "sync"], "mpsc") | (["std"], "sync" | "thread")
        )
}

/// How a diagnostic names a primitive's type (`Mutex`, `RwLock`, `Lock`).
pub(crate) fn type_name(kind: PrimKind, api: Api) -> &'static str {
    match (kind, api) {
        (PrimKind::Lock, Api::Racecheck) => "Lock",
        (PrimKind::Lock, _) => "Mutex",
        (PrimKind::RwLock, _) => "RwLock",
        (PrimKind::RLock, Api::Racecheck) => "RLock",
        (PrimKind::RLock, _) => "ReentrantMutex",
        (PrimKind::Condition, Api::Racecheck) => "Condition",
        (PrimKind::Condition, _) => "Condvar",
        (PrimKind::Queue, Api::Racecheck) => "Queue",
        (PrimKind::Queue, _) => "channel",
        (PrimKind::Event, _) => "Event",
        (PrimKind::Semaphore, _) => "Semaphore",
        (PrimKind::Barrier, _) => "Barrier",
        (PrimKind::JoinableQueue, _) => "JoinableQueue",
        (PrimKind::Connection, _) => "Connection",
        (PrimKind::Pool, _) => "Pool",
        (PrimKind::Shared, _) => "Shared",
    }
}

/// The racecheck method a method of a std or crate primitive is, when it is one: `lock` is
/// `acquire`, `notify_one` is `notify`, `recv` is `get`. `None`: a method with no
/// synchronization of its own (`get_mut`, `into_inner`, `is_poisoned`).
pub(crate) fn racecheck_method(kind: PrimKind, api: Api, method: &str) -> Option<&'static str> {
    use PrimKind::{Barrier, Condition, Lock, Queue, RLock};
    Some(match (kind, method) {
        (Lock | RLock, "lock") => "acquire",
        (Lock | RLock, "try_lock" | "try_lock_for" | "try_lock_until") => "try_acquire",
        // A `RwLock`'s own acquisitions (`read`, `write`…) are told apart by the caller.
        (Condition, "wait") => "wait",
        (Condition, "wait_while") => "wait_while",
        (Condition, "wait_timeout" | "wait_for" | "wait_until") => "wait_timeout",
        (Condition, "wait_timeout_while" | "wait_while_for" | "wait_while_until") => {
            "wait_timeout_while"
        }
        (Condition, "notify_one") => "notify",
        (Condition, "notify_all") => "notify_all",
        (Barrier, "wait") => "wait",
        (Queue, "send") => "put",
        (Queue, "try_send") => "try_put",
        (Queue, "send_timeout" | "send_deadline") => "put_timeout",
        (Queue, "recv") => "get",
        (Queue, "try_recv") => "try_get",
        (Queue, "recv_timeout" | "recv_deadline") => "get_timeout",
        // Iterating a receiver blocks for each message until every sender is gone.
        (Queue, "iter" | "into_iter") => "get",
        (Queue, "try_iter") => "try_get",
        (_, "clone") if api != Api::Racecheck => "clone",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> Vec<String> {
        text.split("::").map(str::to_owned).collect()
    }

    #[test]
    fn types_and_their_constructors_are_recognised_under_every_spelling() {
        let mutex = Some((SyncItem::Prim(PrimKind::Lock, Api::Std), Some("new")));
        assert_eq!(SyncItem::of_path(&path("std::sync::Mutex::new")), mutex);
        assert_eq!(SyncItem::of_path(&path("core::sync::Mutex::new")), mutex);
        assert_eq!(
            SyncItem::of_path(&path("parking_lot::ReentrantMutex")),
            Some((SyncItem::Prim(PrimKind::RLock, Api::ParkingLot), None))
        );
        assert_eq!(
            SyncItem::of_path(&path("crossbeam::channel::bounded")),
            Some((
                SyncItem::Channel {
                    api: Api::Crossbeam,
                    bounded: true
                },
                None
            ))
        );
    }

    #[test]
    fn functions_take_no_associated_item_and_unknown_paths_are_nothing() {
        assert_eq!(SyncItem::of_path(&path("std::thread::spawn::x")), None);
        assert_eq!(SyncItem::of_path(&path("std::sync::Arc::new")), None);
        assert_eq!(SyncItem::of_path(&path("Mutex::new")), None);
        assert_eq!(SyncItem::of_path(&path("tokio::sync::Mutex::new")), None);
    }

    #[test]
    fn files_naming_no_synchronization_crate_are_told_apart() {
        assert!(mentioned_in("use parking_lot::Mutex;"));
        assert!(mentioned_in("let t = std::thread::spawn(f);"));
        assert!(mentioned_in("use crossbeam_channel::unbounded;"));
        assert!(mentioned_in("// racecheck"));
        assert!(!mentioned_in("fn main() { let m = Mutex::new(0); }"));
        assert!(!mentioned_in("pub const IORING_FSYNC_DATASYNC: u32 = 1;"));
        assert!(!mentioned_in("struct Pool { threads: usize, fsync: bool }"));
        assert!(!mentioned_in(
            "pub struct S { pub sync: *mut sync_settings, thread: u32 }"
        ));
        assert!(mentioned_in(
            "use std::{\n    thread,\n    sync :: Mutex };"
        ));
        assert!(mentioned_in("thread ::spawn(f)"));
    }

    #[test]
    fn glob_imports_export_items_and_modules() {
        assert!(glob_exports(&path("std::sync"), "Condvar"));
        assert!(glob_exports(&path("std::sync"), "mpsc"));
        assert!(glob_exports(&path("parking_lot"), "RwLock"));
        assert!(!glob_exports(&path("std::sync"), "Arc"));
    }

    #[test]
    fn methods_map_onto_racecheck_methods() {
        assert_eq!(
            racecheck_method(PrimKind::Lock, Api::Std, "lock"),
            Some("acquire")
        );
        assert_eq!(
            racecheck_method(PrimKind::Queue, Api::Crossbeam, "recv"),
            Some("get")
        );
        assert_eq!(
            racecheck_method(PrimKind::Condition, Api::ParkingLot, "wait_for"),
            Some("wait_timeout")
        );
        assert_eq!(racecheck_method(PrimKind::Lock, Api::Std, "get_mut"), None);
    }
}
