//! Key-sharded query router. Each shard sits behind its own mutex; the
//! bucket-to-shard map is behind a reader/writer lock.

pub mod rebalance;
pub mod shard;
pub mod topology;

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::config::RouterConfig;
use crate::metrics::Metrics;

pub use shard::{OpResult, Operation, Shard, ShardSummary};
pub use topology::Topology;

const MAX_ROUTE_ATTEMPTS: usize = 3;

#[derive(Debug, Clone)]
pub struct SlowQuery {
    pub shard: usize,
    pub key: i64,
    pub elapsed: Duration,
    pub what: String,
}

/// Notified about queries that exceeded the slow threshold.
pub trait QueryObserver: Send + Sync {
    fn slow_query(&self, report: SlowQuery);
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteError {
    BadShard(usize),
    Unstable(i64),
    Insufficient { key: i64, balance: i64, wanted: i64 },
}

pub struct Router {
    shards: Vec<Mutex<Shard>>,
    topology: RwLock<Topology>,
    observer: Arc<dyn QueryObserver>,
    metrics: Arc<Metrics>,
    slow_threshold: Duration,
}

impl Router {
    pub fn new(cfg: &RouterConfig, observer: Arc<dyn QueryObserver>, metrics: Arc<Metrics>) -> Self {
        let shards = (0..cfg.shard_count.max(1)).map(|i| Mutex::new(Shard::new(i))).collect();
        Router {
            shards,
            topology: RwLock::new(Topology::uniform(cfg.shard_count, cfg.buckets)),
            observer,
            metrics,
            slow_threshold: cfg.slow_threshold,
        }
    }

    pub fn shard_for(&self, key: i64) -> usize {
        self.topology.read().unwrap().owner_of_key(key)
    }

    pub fn topology_epoch(&self) -> u64 {
        self.topology.read().unwrap().epoch()
    }

    pub fn execute(&self, key: i64, op: &Operation) -> Result<OpResult, RouteError> {
        let started = Instant::now();
        for _ in 0..MAX_ROUTE_ATTEMPTS {
            let idx = self.shard_for(key);
            let mut shard = self.shards[idx].lock().unwrap();
            if !shard.owns(key, &self.topology) {
                drop(shard);
                self.metrics.reroutes.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            let result = shard.apply(key, op);
            let elapsed = started.elapsed();
            if elapsed >= self.slow_threshold {
                self.metrics.slow_queries.fetch_add(1, Ordering::Relaxed);
                self.observer.slow_query(SlowQuery { shard: idx, key, elapsed, what: op.describe() });
            }
            return Ok(result);
        }
        Err(RouteError::Unstable(key))
    }

    /// Apply `op` without slow-query reporting; used by bulk loaders.
    pub fn seed(&self, key: i64, op: &Operation) -> Result<OpResult, RouteError> {
        let idx = self.shard_for(key);
        let shard = self.shards.get(idx).ok_or(RouteError::BadShard(idx))?;
        let result = shard.lock().unwrap().apply(key, op);
        Ok(result)
    }

    /// Move `amount` from one key's value to another's, atomically across
    /// shards.
    pub fn transfer(&self, from_key: i64, to_key: i64, amount: i64) -> Result<(), RouteError> {
        let a = self.shard_for(from_key);
        let b = self.shard_for(to_key);
        if a == b {
            let mut shard = self.shards[a].lock().unwrap();
            let balance = shard.value_of(from_key);
            if balance < amount {
                return Err(RouteError::Insufficient { key: from_key, balance, wanted: amount });
            }
            shard.add_value(from_key, -amount);
            shard.add_value(to_key, amount);
            return Ok(());
        }
        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
        let mut first = self.shards[lo].lock().unwrap();
        let mut second = self.shards[hi].lock().unwrap(); // CLEAN: lock-order: shard mutexes always taken lowest index first
        let (src, dst) = if a == lo { (&mut *first, &mut *second) } else { (&mut *second, &mut *first) };
        let balance = src.value_of(from_key);
        if balance < amount {
            return Err(RouteError::Insufficient { key: from_key, balance, wanted: amount });
        }
        src.add_value(from_key, -amount);
        dst.add_value(to_key, amount);
        Ok(())
    }

    pub fn shard_summary(&self, idx: usize) -> Result<ShardSummary, RouteError> {
        let shard = self.shards.get(idx).ok_or(RouteError::BadShard(idx))?;
        let summary = shard.lock().unwrap().summary();
        Ok(summary)
    }

    /// Run `f` on every shard, one shard locked at a time.
    pub fn for_each_shard<F>(&self, mut f: F)
    where
        F: FnMut(&mut Shard),
    {
        for shard in &self.shards {
            let mut guard = shard.lock().unwrap();
            f(&mut guard);
        }
    }

    pub fn add_column(&self, name: &str, version: u32) -> usize {
        let mut changed = 0;
        self.for_each_shard(|s| {
            if s.add_column(name, version) {
                changed += 1;
            }
        });
        changed
    }
}
