//! Sharded in-memory series store.

mod series;
mod shard;

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::{Condvar, Mutex};

use parking_lot::{Mutex as PlMutex, MutexGuard as PlMutexGuard};

use crate::model::{Sample, SeriesKey, TenantId};

pub use series::{Histogram, Series, SeriesEntry, SeriesPoint, DEFAULT_BOUNDS};
pub use shard::{Shard, Upsert};

/// Receives the keys of series that were deleted from the store so that
/// downstream consumers can drop them too.
pub trait TombstoneSink: Send + Sync {
    fn record_tombstones(&self, keys: &[SeriesKey]);
    /// Non-blocking variant; returns false if the keys were not recorded.
    fn try_record_tombstones(&self, keys: &[SeriesKey]) -> bool;
}

#[derive(Clone, Copy, Debug, Default)]
pub struct MemAccount {
    pub used: usize,
    pub peak: usize,
}

struct Capacity {
    used: usize,
    limit: usize,
}

pub struct Store {
    shards: Vec<PlMutex<Shard>>,
    mem: PlMutex<MemAccount>,
    capacity: Mutex<Capacity>,
    capacity_cv: Condvar,
}

impl Store {
    pub fn new(shards: usize, max_series: usize) -> Self {
        Store {
            shards: (0..shards).map(|i| PlMutex::new(Shard::new(i))).collect(),
            mem: PlMutex::new(MemAccount::default()),
            capacity: Mutex::new(Capacity {
                used: 0,
                limit: max_series,
            }),
            capacity_cv: Condvar::new(),
        }
    }

    pub fn shard_count(&self) -> usize {
        self.shards.len()
    }

    pub fn shard_for(&self, key: &SeriesKey) -> usize {
        let mut h = DefaultHasher::new();
        key.hash(&mut h);
        (h.finish() % self.shards.len() as u64) as usize
    }

    /// Folds a sample into its series. Returns true if a new series was created.
    pub fn record(&self, sample: &Sample) -> bool {
        let idx = self.shard_for(&sample.key);
        let upsert = self.shards[idx].lock().upsert(sample);
        self.charge_memory(upsert.bytes_delta);
        upsert.created
    }

    pub fn read_value(&self, key: &SeriesKey) -> Option<f64> {
        let idx = self.shard_for(key);
        let shard = self.shards[idx].lock();
        shard.get(key).map(|e| e.series.scalar())
    }

    pub fn snapshot_shard(&self, idx: usize) -> Vec<(SeriesKey, SeriesPoint)> {
        self.shards[idx].lock().snapshot()
    }

    pub fn series_total(&self) -> usize {
        self.shards.iter().map(|s| s.lock().len()).sum()
    }

    /// Moves a series to a new key, replacing whatever lived there.
    pub fn rename_series(&self, from: &SeriesKey, to: &SeriesKey) -> bool {
        let src_idx = self.shard_for(from);
        let dst_idx = self.shard_for(to);
        let mut src = self.shards[src_idx].lock();
        let Some(entry) = src.take(from) else {
            return false;
        };
        let replaced = if src_idx == dst_idx {
            src.put(to.clone(), entry)
        } else {
            let mut dst = self.shards[dst_idx].lock(); // PLANTED: lock-order: shard(from) then shard(to); a concurrent rename to->from on another ingest worker locks them in reverse
            dst.put(to.clone(), entry)
        };
        drop(src);
        if let Some(old) = replaced {
            // the series that lived under `to` is gone
            self.release_memory(old.series.approx_bytes());
            self.release_series(1);
        }
        true
    }

    /// Drops series idle since `cutoff_ms`. Returns (series removed, bytes freed).
    pub fn evict_stale(&self, cutoff_ms: u64, tombstones: &dyn TombstoneSink) -> (usize, usize) {
        let mut removed = 0;
        let mut freed = 0;
        for shard in &self.shards {
            let mut guard = shard.lock();
            let gone = guard.remove_stale(cutoff_ms);
            if gone.is_empty() {
                continue;
            }
            removed += gone.len();
            freed += gone.iter().map(|(_, b)| b).sum::<usize>();
            let keys: Vec<SeriesKey> = gone.into_iter().map(|(k, _)| k).collect();
            tombstones.record_tombstones(&keys);
        }
        (removed, freed)
    }

    /// Deletes every series of a tenant. Returns the number of series removed.
    pub fn expire_tenant(&self, tenant: TenantId, tombstones: &dyn TombstoneSink) -> usize {
        let mut removed = 0;
        let mut freed = 0;
        let mut deferred = Vec::new();
        for shard in &self.shards {
            let mut guard = shard.lock();
            let gone = guard.remove_tenant(tenant);
            removed += gone.len();
            freed += gone.iter().map(|(_, b)| b).sum::<usize>();
            let keys: Vec<SeriesKey> = gone.into_iter().map(|(k, _)| k).collect();
            if !tombstones.try_record_tombstones(&keys) {
                // outbox busy: retry once no shard is held
                deferred.extend(keys);
            }
        }
        if !deferred.is_empty() {
            tombstones.record_tombstones(&deferred);
        }
        self.release_memory(freed);
        self.release_series(removed);
        removed
    }

    /// Shrinks idle histograms. Returns bytes reclaimed.
    pub fn compact_cold(&self, cold_before_ms: u64) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().compact_cold(cold_before_ms))
            .sum()
    }

    // ---- memory accounting -------------------------------------------------

    pub fn memory_used(&self) -> usize {
        self.mem.lock().used
    }

    pub fn set_memory_used(&self, used: usize) {
        let mut mem = self.mem.lock();
        mem.used = used;
        mem.peak = mem.peak.max(used);
    }

    pub fn memory_account(&self) -> PlMutexGuard<'_, MemAccount> {
        self.mem.lock()
    }

    fn charge_memory(&self, delta: isize) {
        if delta == 0 {
            return;
        }
        let mut mem = self.mem.lock();
        mem.used = (mem.used as isize + delta).max(0) as usize;
        mem.peak = mem.peak.max(mem.used);
    }

    fn release_memory(&self, bytes: usize) {
        let mut mem = self.mem.lock();
        mem.used = mem.used.saturating_sub(bytes);
    }

    // ---- series capacity (backpressure) -------------------------------------

    /// Accounts for `n` new series, stalling the caller while the store is full.
    pub fn reserve_series(&self, n: usize) {
        let mut cap = self.capacity.lock().unwrap();
        if cap.used + n > cap.limit {
            cap = self.capacity_cv.wait(cap).unwrap(); // PLANTED: wait-without-loop: `if` not `while`; notify_all from the evictor wakes every stalled worker and all of them overshoot the limit
        }
        cap.used += n;
    }

    pub fn release_series(&self, n: usize) {
        if n == 0 {
            return;
        }
        let mut cap = self.capacity.lock().unwrap();
        cap.used = cap.used.saturating_sub(n);
        drop(cap);
        self.capacity_cv.notify_all();
    }

    pub fn capacity_used(&self) -> (usize, usize) {
        let cap = self.capacity.lock().unwrap();
        (cap.used, cap.limit)
    }
}
