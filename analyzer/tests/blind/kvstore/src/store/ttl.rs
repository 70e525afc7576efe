//! Background expiry of keys whose TTL has run out.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::{ShardObserver, ShardedTable};
use crate::metrics::Metrics;

pub struct Sweeper {
    table: Arc<ShardedTable>,
    observer: Arc<dyn ShardObserver>,
    metrics: Arc<Metrics>,
    interval: Duration,
    stop: Arc<AtomicBool>,
    passes: u64,
}

impl Sweeper {
    pub fn new(
        table: Arc<ShardedTable>,
        observer: Arc<dyn ShardObserver>,
        metrics: Arc<Metrics>,
        interval: Duration,
        stop: Arc<AtomicBool>,
    ) -> Self {
        Sweeper {
            table,
            observer,
            metrics,
            interval,
            stop,
            passes: 0,
        }
    }

    /// Starts the sweeper; the thread returns `(passes, keys removed)`.
    pub fn spawn(self) -> JoinHandle<(u64, u64)> {
        thread::Builder::new()
            .name("ttl-sweeper".into())
            .spawn(move || self.run())
            .expect("failed to spawn ttl sweeper")
    }

    fn run(mut self) -> (u64, u64) {
        let mut removed = 0;
        while !self.stop.load(Ordering::Acquire) {
            removed += self.sweep_once(Instant::now());
            self.passes += 1;
            thread::sleep(self.interval);
        }
        (self.passes, removed)
    }

    /// One pass over every shard.
    pub fn sweep_once(&self, now: Instant) -> u64 {
        let mut removed = 0u64;
        for idx in 0..self.table.shard_count() {
            removed += self.table.purge_expired(idx, now, self.observer.as_ref()) as u64;
        }
        if removed > 0 {
            self.metrics.record_expired(removed);
        }
        removed
    }
}
