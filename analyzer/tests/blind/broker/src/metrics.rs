//! Process-wide counters.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

#[derive(Default)]
pub struct Metrics {
    pub published: AtomicU64,
    pub delivered: AtomicU64,
    pub redelivered: AtomicU64,
    peak_inflight: AtomicUsize,
}

impl Metrics {
    /// Keeps the highest in-flight count seen so far.
    pub fn observe_inflight(&self, current: usize) {
        let mut peak = self.peak_inflight.load(Ordering::Relaxed);
        while current > peak {
            match self.peak_inflight.compare_exchange(peak, current, Ordering::Relaxed, Ordering::Relaxed) { // CLEAN: atomic-split: compare_exchange retries with the fresh value if another worker raised the peak in between
                Ok(_) => break,
                Err(actual) => peak = actual,
            }
        }
    }

    pub fn peak_inflight(&self) -> usize {
        self.peak_inflight.load(Ordering::Relaxed)
    }

    pub fn summary(&self) -> String {
        format!(
            "published={} delivered={} redelivered={} peak_inflight={}",
            self.published.load(Ordering::Relaxed),
            self.delivered.load(Ordering::Relaxed),
            self.redelivered.load(Ordering::Relaxed),
            self.peak_inflight(),
        )
    }
}
