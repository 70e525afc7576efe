use std::sync::Arc;

use racecheck::{JoinHandle, Lock, Thread};

pub struct Stats {
    pub table: Lock<Vec<u32>>,
}

impl Stats {
    pub fn new() -> Self {
        Stats { table: Lock::new(Vec::new()) }
    }
    /// Best-effort: skips the flush if someone holds the table.
    pub fn try_flush(&self) -> bool {
        match self.table.try_acquire() {
            Some(mut t) => {
                t.clear();
                true
            }
            None => false,
        }
    }
}

pub fn spawn_flusher(s: Arc<Stats>) -> JoinHandle<bool> {
    Thread::spawn(move || s.try_flush())
}
