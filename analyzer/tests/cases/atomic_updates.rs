//! Split atomic updates: a store computed from a load of the same atomic, with nothing between
//! them that coordinates writers.
use racecheck::{Lock, Thread};
use std::sync::atomic::{AtomicU64, Ordering};

static HITS: AtomicU64 = AtomicU64::new(0);
static OWNER: AtomicU64 = AtomicU64::new(0);
static TAIL: AtomicU64 = AtomicU64::new(0);
static HEAD: AtomicU64 = AtomicU64::new(0);
static GUARDED: AtomicU64 = AtomicU64::new(0);
static L: Lock = Lock::new(());

fn record() {
    let seen = HITS.load(Ordering::Relaxed);
    HITS.store(seen.wrapping_add(1), Ordering::Relaxed); //~ R002
}

fn hand_over() {
    // Restoring the value read is no update of it.
    let id = OWNER.load(Ordering::Relaxed);
    OWNER.store(0, Ordering::Relaxed);
    OWNER.store(id, Ordering::Relaxed);
}

fn advance() {
    // The compare-exchange on HEAD admits one writer: the store after it is coordinated.
    let tail = TAIL.load(Ordering::SeqCst);
    if HEAD.compare_exchange(0, 1, Ordering::SeqCst, Ordering::SeqCst).is_ok() {
        TAIL.store(tail + 1, Ordering::SeqCst);
    }
}

fn under_lock() {
    let _g = L.acquire();
    let n = GUARDED.load(Ordering::Relaxed);
    GUARDED.store(n + 1, Ordering::Relaxed);
}

fn main() {
    let workers: Vec<_> = [record, hand_over, advance, under_lock]
        .into_iter()
        .map(|f| Thread::spawn(f))
        .collect();
    for w in workers {
        w.join().unwrap();
    }
}
