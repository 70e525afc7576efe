//! Process-wide counters. Everything here is updated with atomics so hot
//! paths never take a lock to account for themselves.

use std::fmt;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

#[derive(Default)]
pub struct Metrics {
    pub queries: AtomicU64,
    pub errors: AtomicU64,
    pub checkouts: AtomicU64,
    pub pool_waits: AtomicU64,
    pub pool_timeouts: AtomicU64,
    pub cache_hits: AtomicU64,
    pub cache_misses: AtomicU64,
    pub cache_evictions: AtomicU64,
    pub cache_thrash: AtomicU64,
    pub wal_records: AtomicU64,
    pub wal_bytes: AtomicU64,
    pub wal_flushes: AtomicU64,
    pub slow_queries: AtomicU64,
    pub reroutes: AtomicU64,
    pub peak_in_use: AtomicUsize,
    pub latency_micros: AtomicU64,
    pub max_latency_micros: AtomicU64,
}

/// Point-in-time copy of the counters, in declaration order.
#[derive(Debug, Clone, Default)]
pub struct MetricsSnapshot {
    pub counters: Vec<(&'static str, u64)>,
    pub peak_in_use: usize,
    pub mean_latency_us: u64,
    pub max_latency_us: u64,
}

impl Metrics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn record_query(&self, elapsed: Duration, ok: bool) {
        self.queries.fetch_add(1, Ordering::Relaxed); // CLEAN: atomic-split: single read-modify-write instruction, no separate load/store
        if !ok {
            self.errors.fetch_add(1, Ordering::Relaxed);
        }
        let micros = elapsed.as_micros() as u64;
        self.latency_micros.fetch_add(micros, Ordering::Relaxed);
        self.max_latency_micros.fetch_max(micros, Ordering::Relaxed);
    }

    pub fn record_cache(&self, hit: bool) {
        let counter = if hit { &self.cache_hits } else { &self.cache_misses };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Raise the in-use high-water mark to `in_use` if it is higher.
    pub fn observe_in_use(&self, in_use: usize) {
        let mut current = self.peak_in_use.load(Ordering::Relaxed);
        while in_use > current {
            match self.peak_in_use.compare_exchange(current, in_use, Ordering::AcqRel, Ordering::Relaxed) { // CLEAN: atomic-split: CAS retries if another thread moved the peak in between
                Ok(_) => break,
                Err(actual) => current = actual,
            }
        }
    }

    pub fn queries(&self) -> u64 {
        self.queries.load(Ordering::Relaxed)
    }

    pub fn snapshot(&self) -> MetricsSnapshot {
        let counters = [
            ("queries", &self.queries),
            ("errors", &self.errors),
            ("checkouts", &self.checkouts),
            ("pool_waits", &self.pool_waits),
            ("pool_timeouts", &self.pool_timeouts),
            ("cache_hits", &self.cache_hits),
            ("cache_misses", &self.cache_misses),
            ("cache_evictions", &self.cache_evictions),
            ("cache_thrash", &self.cache_thrash),
            ("wal_records", &self.wal_records),
            ("wal_bytes", &self.wal_bytes),
            ("wal_flushes", &self.wal_flushes),
            ("slow_queries", &self.slow_queries),
            ("reroutes", &self.reroutes),
        ];
        MetricsSnapshot {
            counters: counters.iter().map(|(n, a)| (*n, a.load(Ordering::Relaxed))).collect(),
            peak_in_use: self.peak_in_use.load(Ordering::Relaxed),
            mean_latency_us: self.latency_micros.load(Ordering::Relaxed) / self.queries().max(1),
            max_latency_us: self.max_latency_micros.load(Ordering::Relaxed),
        }
    }
}

impl MetricsSnapshot {
    pub fn get(&self, name: &str) -> u64 {
        self.counters.iter().find(|(n, _)| *n == name).map(|(_, v)| *v).unwrap_or(0)
    }
}

impl fmt::Display for MetricsSnapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (name, value) in &self.counters {
            write!(f, "{name}={value} ")?;
        }
        write!(f, "peak_in_use={} mean={}us max={}us", self.peak_in_use, self.mean_latency_us, self.max_latency_us)
    }
}
