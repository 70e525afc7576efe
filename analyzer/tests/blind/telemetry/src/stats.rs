use std::fmt;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// Process-wide counters, shared by every worker thread.
#[derive(Default)]
pub struct Stats {
    pub accepted: AtomicU64,
    pub dropped: AtomicU64,
    pub max_batch: AtomicUsize,
    pub flushes: AtomicU64,
    pub evicted: AtomicU64,
    pub renames: AtomicU64,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct StatsSnapshot {
    pub accepted: u64,
    pub dropped: u64,
    pub max_batch: usize,
    pub flushes: u64,
    pub evicted: u64,
    pub renames: u64,
}

impl Stats {
    pub fn new() -> Self {
        Stats::default()
    }

    pub fn record_accepted(&self, n: u64) {
        self.accepted.fetch_add(n, Ordering::Relaxed);
    }

    pub fn record_dropped(&self, n: u64) {
        let current = self.dropped.load(Ordering::Relaxed);
        self.dropped.store(current + n, Ordering::Relaxed); // PLANTED: atomic-split: load then store of load+n, concurrent ingest workers lose drop counts
    }

    /// Tracks the largest batch seen so far.
    pub fn observe_batch(&self, len: usize) {
        let mut seen = self.max_batch.load(Ordering::Relaxed);
        while len > seen {
            match self.max_batch.compare_exchange_weak(seen, len, Ordering::Relaxed, Ordering::Relaxed) { // CLEAN: atomic-split: CAS loop retries with the fresh value, no lost maximum
                Ok(_) => break,
                Err(actual) => seen = actual,
            }
        }
    }

    pub fn snapshot(&self) -> StatsSnapshot {
        StatsSnapshot {
            accepted: self.accepted.load(Ordering::Relaxed),
            dropped: self.dropped.load(Ordering::Relaxed),
            max_batch: self.max_batch.load(Ordering::Relaxed),
            flushes: self.flushes.load(Ordering::Relaxed),
            evicted: self.evicted.load(Ordering::Relaxed),
            renames: self.renames.load(Ordering::Relaxed),
        }
    }
}

impl fmt::Display for StatsSnapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "accepted={} dropped={} max_batch={} flushes={} evicted={} renames={}",
            self.accepted, self.dropped, self.max_batch, self.flushes, self.evicted, self.renames
        )
    }
}
