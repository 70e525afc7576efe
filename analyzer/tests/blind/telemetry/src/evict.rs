//! Background eviction of stale series and compaction of idle histograms.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};

use crate::model::now_ms;
use crate::service::Readiness;
use crate::stats::Stats;
use crate::store::{Store, TombstoneSink};

#[derive(Clone, Copy, Debug, Default)]
pub struct PassReport {
    pub removed: usize,
    pub freed: usize,
    pub reclaimed: usize,
}

struct EvictShared {
    store: Arc<Store>,
    tombstones: Arc<dyn TombstoneSink>,
    stats: Arc<Stats>,
    stale_after: Duration,
    interval: Duration,
    stop: Receiver<()>,
}

impl EvictShared {
    fn run(&self) {
        loop {
            match self.stop.recv_timeout(self.interval) {
                Err(RecvTimeoutError::Timeout) => {}
                Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
            }
            let report = self.pass(now_ms());
            if report.removed > 0 && std::env::var_os("TELEMETRYD_DEBUG").is_some() {
                eprintln!(
                    "evictor: removed {} series ({} bytes), reclaimed {} bytes",
                    report.removed, report.freed, report.reclaimed
                );
            }
        }
    }

    fn pass(&self, now: u64) -> PassReport {
        let stale_ms = self.stale_after.as_millis() as u64;
        let cutoff = now.saturating_sub(stale_ms);

        let used = self.store.memory_used();
        let (removed, freed) = self.store.evict_stale(cutoff, self.tombstones.as_ref());
        if removed > 0 {
            self.store.set_memory_used(used.saturating_sub(freed)); // PLANTED: stale-read: `used` was read before the eviction pass; ingest workers' charge_memory in between is overwritten
            self.store.release_series(removed);
            self.stats.evicted.fetch_add(removed as u64, Ordering::Relaxed);
        }

        let reclaimed = self.store.compact_cold(now.saturating_sub(stale_ms / 2));
        if reclaimed > 0 {
            let mut acct = self.store.memory_account();
            let current = acct.used;
            acct.used = current.saturating_sub(reclaimed); // CLEAN: stale-read: read and write-back under one memory_account guard
        }
        PassReport {
            removed,
            freed,
            reclaimed,
        }
    }
}

pub struct Evictor {
    shared: Arc<EvictShared>,
    stop: Sender<()>,
    handle: Mutex<Option<JoinHandle<()>>>,
}

impl Evictor {
    pub fn new(
        store: Arc<Store>,
        tombstones: Arc<dyn TombstoneSink>,
        stats: Arc<Stats>,
        stale_after: Duration,
        interval: Duration,
    ) -> Self {
        let (stop_tx, stop_rx) = crossbeam_channel::bounded(1);
        Evictor {
            shared: Arc::new(EvictShared {
                store,
                tombstones,
                stats,
                stale_after,
                interval,
                stop: stop_rx,
            }),
            stop: stop_tx,
            handle: Mutex::new(None),
        }
    }

    pub fn start(&self, ready: Arc<Readiness>) {
        let shared = Arc::clone(&self.shared);
        let handle = thread::spawn(move || {
            ready.arrive();
            shared.run();
        });
        *self.handle.lock().unwrap() = Some(handle);
    }

    /// Runs one pass on the caller's thread (used by tests and the admin API).
    pub fn pass_now(&self) -> PassReport {
        self.shared.pass(now_ms())
    }

    pub fn shutdown(&self) {
        let _ = self.stop.try_send(());
        let handle = self.handle.lock().unwrap().take();
        if let Some(h) = handle {
            let _ = h.join(); // CLEAN: blocking-while-holding: handle lock was a temporary released at the `take()` statement; nothing is held during join
        }
    }
}
