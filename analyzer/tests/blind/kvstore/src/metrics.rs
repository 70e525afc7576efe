use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

/// Process-wide counters, updated lock-free from every thread.
#[derive(Default)]
pub struct Metrics {
    reads: AtomicU64,
    misses: AtomicU64,
    writes: AtomicU64,
    deletes: AtomicU64,
    expired: AtomicU64,
    bytes_written: AtomicU64,
    txn_commits: AtomicU64,
    txn_aborts: AtomicU64,
    repl_shipped: AtomicU64,
    repl_resyncs: AtomicU64,
    snapshots: AtomicU64,
    compactions: AtomicU64,
    sessions_open: AtomicUsize,
    max_latency_us: AtomicU64,
}

impl Metrics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn record_read(&self, hit: bool) {
        self.reads.fetch_add(1, Ordering::Relaxed); // CLEAN: atomic-split: one atomic read-modify-write, no separate load/store
        if !hit {
            self.misses.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub fn record_write(&self, bytes: usize) {
        self.writes.fetch_add(1, Ordering::Relaxed);
        self.bytes_written.fetch_add(bytes as u64, Ordering::Relaxed);
    }

    pub fn record_delete(&self) {
        self.deletes.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts keys dropped because their TTL ran out, either by the sweeper or
    /// lazily on read.
    pub fn record_expired(&self, n: u64) {
        let current = self.expired.load(Ordering::Acquire);
        self.expired.store(current + n, Ordering::Release); // PLANTED: atomic-split: load and store are separate, concurrent sweeper/session updates are lost
    }

    pub fn record_txn(&self, committed: bool) {
        if committed {
            self.txn_commits.fetch_add(1, Ordering::Relaxed);
        } else {
            self.txn_aborts.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub fn record_shipped(&self, n: u64) {
        self.repl_shipped.fetch_add(n, Ordering::Relaxed);
    }

    pub fn record_resync(&self) {
        self.repl_resyncs.fetch_add(1, Ordering::Relaxed);
    }

    pub fn record_snapshot(&self) {
        self.snapshots.fetch_add(1, Ordering::Relaxed);
    }

    pub fn record_compaction(&self) {
        self.compactions.fetch_add(1, Ordering::Relaxed);
    }

    pub fn session_opened(&self) {
        self.sessions_open.fetch_add(1, Ordering::AcqRel);
    }

    pub fn session_closed(&self) {
        self.sessions_open.fetch_sub(1, Ordering::AcqRel);
    }

    /// Keeps the worst request latency seen so far.
    pub fn observe_latency(&self, elapsed: Duration) {
        let us = elapsed.as_micros().min(u64::MAX as u128) as u64;
        let mut seen = self.max_latency_us.load(Ordering::Relaxed);
        while us > seen {
            match self.max_latency_us.compare_exchange_weak(seen, us, Ordering::AcqRel, Ordering::Relaxed) { // CLEAN: atomic-split: CAS loop retries with the fresh value on contention
                Ok(_) => break,
                Err(actual) => seen = actual,
            }
        }
    }

    pub fn render(&self) -> String {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        format!(
            "reads={} misses={} writes={} deletes={} expired={} bytes={} txn={}/{} shipped={} resyncs={} snapshots={} compactions={} sessions={} max_latency={}us",
            get(&self.reads),
            get(&self.misses),
            get(&self.writes),
            get(&self.deletes),
            get(&self.expired),
            get(&self.bytes_written),
            get(&self.txn_commits),
            get(&self.txn_aborts),
            get(&self.repl_shipped),
            get(&self.repl_resyncs),
            get(&self.snapshots),
            get(&self.compactions),
            self.sessions_open.load(Ordering::Relaxed),
            get(&self.max_latency_us)
        )
    }
}
