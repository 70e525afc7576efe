use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

/// Caps the number of bytes held by the table.
pub struct MemoryBudget {
    limit: usize,
    used: Mutex<usize>,
    peak: AtomicUsize,
    rejected: AtomicU64,
}

impl MemoryBudget {
    pub fn new(limit: usize) -> Self {
        MemoryBudget {
            limit,
            used: Mutex::new(0),
            peak: AtomicUsize::new(0),
            rejected: AtomicU64::new(0),
        }
    }

    /// Tries to account for `bytes` more; returns false when over the limit.
    pub fn try_reserve(&self, bytes: usize) -> bool {
        let used = self.used();
        if used + bytes > self.limit {
            self.rejected.fetch_add(1, Ordering::Relaxed);
            return false;
        }
        self.peak.fetch_max(used + bytes, Ordering::Relaxed);
        *self.used.lock().unwrap() = used + bytes; // PLANTED: stale-read: `used` was read under an earlier guard; concurrent reservations are overwritten
        true
    }

    pub fn release(&self, bytes: usize) {
        let mut used = self.used.lock().unwrap();
        *used = used.saturating_sub(bytes); // CLEAN: stale-read: read and write-back under the same guard
    }

    pub fn used(&self) -> usize {
        *self.used.lock().unwrap()
    }

    pub fn limit(&self) -> usize {
        self.limit
    }

    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::Relaxed)
    }

    pub fn rejected(&self) -> u64 {
        self.rejected.load(Ordering::Relaxed)
    }
}
