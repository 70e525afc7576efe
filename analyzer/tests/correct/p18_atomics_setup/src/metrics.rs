use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Default)]
pub struct Metrics {
    count: AtomicU64,
    max: AtomicU64,
    scale: AtomicU64,
}

impl Metrics {
    /// Called by main before any worker starts.
    pub fn warm_up(&self, seed: u64) {
        let s = self.scale.load(Ordering::Relaxed);
        self.scale.store(s + seed, Ordering::Relaxed);
    }
    pub fn observe(&self, v: u64) {
        self.count.fetch_add(1, Ordering::Relaxed);
        self.max.fetch_max(v, Ordering::Relaxed);
    }
    /// Called by main after every worker is joined.
    pub fn rescale(&self) {
        let c = self.count.load(Ordering::Relaxed);
        self.count.store(c * self.scale.load(Ordering::Relaxed), Ordering::Relaxed);
    }
    pub fn summary(&self) -> String {
        format!("count {} max {}", self.count.load(Ordering::Relaxed), self.max.load(Ordering::Relaxed))
    }
}
