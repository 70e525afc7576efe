//! Who is who: the identity of every thread racecheck knows, and the set of live racecheck threads
//! that `enumerate()` reports.

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

use parking_lot::Mutex;

use crate::vocab::ThreadInfo;

/// The main thread's ident, reserved so that `enumerate()` can list it before it ever asked who
/// it is.
const MAIN_IDENT: u64 = 1;
/// Python's name for the main thread.
const MAIN_NAME: &str = "MainThread";
/// The name the Rust runtime gives the main thread.
const STD_MAIN_NAME: &str = "main";

static NEXT_IDENT: AtomicU64 = AtomicU64::new(MAIN_IDENT + 1);
/// The N of `Thread-N`; counts only threads started without a name, as Python does.
static NEXT_THREAD_NUMBER: AtomicU64 = AtomicU64::new(1);
/// The N of `Dummy-N`, Python's name for a thread it did not start and that has no name.
static NEXT_DUMMY_NUMBER: AtomicU64 = AtomicU64::new(1);
/// Live racecheck threads by ident: ordered by ident, which is start order.
static LIVE: Mutex<BTreeMap<u64, String>> = Mutex::new(BTreeMap::new());

thread_local! {
    static CURRENT: OnceCell<ThreadInfo> = const { OnceCell::new() };
}

/// The next `Thread-N` name.
pub(crate) fn default_name() -> String {
    format!(
        "Thread-{}",
        NEXT_THREAD_NUMBER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Gives a thread about to start an ident and lists it as live, so that it shows in
/// `enumerate()` as soon as `start` returns.
pub(crate) fn register(name: String) -> ThreadInfo {
    let ident = NEXT_IDENT.fetch_add(1, Ordering::Relaxed);
    LIVE.lock().insert(ident, name.clone());
    ThreadInfo { name, ident }
}

/// Removes a thread from the live set: its body has returned (or it never started).
pub(crate) fn unregister(ident: u64) {
    LIVE.lock().remove(&ident);
}

/// Called first thing on a thread racecheck started.
pub(crate) fn adopt(info: ThreadInfo) {
    CURRENT.with(|current| {
        // A fresh OS thread has no identity yet, so this cannot fail; if it ever did, the
        // identity already there is kept, which is just as good.
        let _ = current.set(info);
    });
}

/// The calling thread's identity; a thread racecheck did not start is named the way Python names
/// it: `MainThread` for the main thread, its own name if it has one, else `Dummy-N`.
pub(crate) fn current() -> ThreadInfo {
    CURRENT
        .try_with(|current| current.get_or_init(identify_foreign).clone())
        // Only during this thread's TLS teardown: compute an identity without caching it.
        .unwrap_or_else(|_| identify_foreign())
}

fn identify_foreign() -> ThreadInfo {
    match std::thread::current().name() {
        Some(STD_MAIN_NAME) => main_thread(),
        Some(name) => ThreadInfo {
            name: name.to_owned(),
            ident: NEXT_IDENT.fetch_add(1, Ordering::Relaxed),
        },
        None => ThreadInfo {
            name: format!(
                "Dummy-{}",
                NEXT_DUMMY_NUMBER.fetch_add(1, Ordering::Relaxed)
            ),
            ident: NEXT_IDENT.fetch_add(1, Ordering::Relaxed),
        },
    }
}

fn main_thread() -> ThreadInfo {
    ThreadInfo {
        name: MAIN_NAME.to_owned(),
        ident: MAIN_IDENT,
    }
}

/// The main thread, then every live racecheck thread in start order.
pub(crate) fn live_threads() -> Vec<ThreadInfo> {
    let live = LIVE.lock();
    let mut threads = Vec::with_capacity(live.len() + 1);
    threads.push(main_thread());
    threads.extend(live.iter().map(|(&ident, name)| ThreadInfo {
        name: name.clone(),
        ident,
    }));
    threads
}
