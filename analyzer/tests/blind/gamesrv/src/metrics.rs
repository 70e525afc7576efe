use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

#[derive(Default)]
pub struct Metrics {
    ticks: AtomicU64,
    slow_ticks: AtomicU64,
    commands: AtomicU64,
    chat_lines: AtomicU64,
    snapshots: AtomicU64,
    peak_online: AtomicUsize,
}

impl Metrics {
    pub fn new() -> Self {
        Metrics::default()
    }

    pub fn tick(&self, slow: bool) {
        self.ticks.fetch_add(1, Ordering::Relaxed);
        if slow {
            self.slow_ticks.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub fn command(&self) {
        self.commands.fetch_add(1, Ordering::Relaxed);
    }

    pub fn chat_line(&self) {
        self.chat_lines.fetch_add(1, Ordering::Relaxed);
    }

    pub fn snapshot_saved(&self) {
        self.snapshots.fetch_add(1, Ordering::Relaxed);
    }

    pub fn observe_online(&self, online: usize) {
        let mut peak = self.peak_online.load(Ordering::Relaxed);
        while online > peak {
            match self.peak_online.compare_exchange_weak(peak, online, Ordering::AcqRel, Ordering::Relaxed) { // CLEAN: atomic-split: CAS loop retries with the fresh peak if another connect raced
                Ok(_) => break,
                Err(actual) => peak = actual,
            }
        }
    }

    pub fn report(&self) -> String {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        format!(
            "ticks={} slow={} commands={} chat={} snapshots={} peak_online={}",
            get(&self.ticks), get(&self.slow_ticks), get(&self.commands), get(&self.chat_lines), get(&self.snapshots),
            self.peak_online.load(Ordering::Relaxed),
        )
    }
}
