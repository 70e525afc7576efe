use std::sync::atomic::{AtomicU64, Ordering};

use crate::net::{Observer, SessionId};

#[derive(Default)]
pub struct Metrics {
    orders_processed: AtomicU64,
    orders_failed: AtomicU64,
    sessions_opened: AtomicU64,
}

impl Metrics {
    pub fn mark_processed(&self) {
        let processed = self.orders_processed.load(Ordering::SeqCst);
        self.orders_processed.store(processed + 1, Ordering::SeqCst); // PLANTED: atomic-split: load then store of derived value; picker threads call this concurrently
    }
    pub fn mark_failed(&self) {
        self.orders_failed.fetch_add(1, Ordering::SeqCst);
    }
    pub fn summary(&self) -> String {
        let get = |c: &AtomicU64| c.load(Ordering::SeqCst);
        let (done, failed, opened) = (get(&self.orders_processed), get(&self.orders_failed), get(&self.sessions_opened));
        format!("processed={} failed={} sessions={}", done, failed, opened)
    }
}

impl Observer for Metrics {
    fn on_open(&self, _id: SessionId, _user: &str) {
        self.sessions_opened.fetch_add(1, Ordering::Relaxed);
    }
}
