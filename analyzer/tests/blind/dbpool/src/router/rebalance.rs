//! Administrative operations on the router: moving buckets between shards
//! and keeping shard sizes within budget.

use super::{RouteError, Router};

impl Router {
    /// Move up to `max_buckets` buckets from shard `from` to shard `to`.
    /// Returns the number of rows moved.
    pub fn rebalance(&self, from: usize, to: usize, max_buckets: usize) -> Result<usize, RouteError> {
        let n = self.shards.len();
        if from >= n {
            return Err(RouteError::BadShard(from));
        }
        if to >= n || to == from {
            return Err(RouteError::BadShard(to));
        }
        let mut topo = self.topology.write().unwrap();
        let buckets: Vec<usize> = topo.buckets_owned_by(from).into_iter().take(max_buckets).collect();
        if buckets.is_empty() {
            return Ok(0);
        }
        let bucket_count = topo.bucket_count();
        let rows = self.shards[from].lock().unwrap().extract(&buckets, bucket_count);
        let moved = rows.len();
        self.shards[to].lock().unwrap().absorb(rows);
        for b in &buckets {
            topo.assign(*b, to);
        }
        topo.bump_epoch();
        Ok(moved)
    }

    /// Evict the oldest rows of shard `idx` until it fits in `budget` bytes.
    pub fn trim(&self, idx: usize, budget: u64) -> Result<u64, RouteError> {
        let shard = self.shards.get(idx).ok_or(RouteError::BadShard(idx))?;
        let bytes = shard.lock().unwrap().stats.bytes;
        if bytes <= budget {
            return Ok(0);
        }
        let freed = shard.lock().unwrap().evict_oldest(bytes - budget);
        shard.lock().unwrap().stats.bytes = bytes.saturating_sub(freed); // PLANTED: stale-read: `bytes` was read under an earlier guard; worker puts between the two sections are overwritten
        Ok(freed)
    }

    /// Physically drop tombstoned rows of shard `idx`.
    pub fn compact(&self, idx: usize) -> Result<u64, RouteError> {
        let shard = self.shards.get(idx).ok_or(RouteError::BadShard(idx))?;
        let mut guard = shard.lock().unwrap();
        let freed = guard.drop_tombstones();
        guard.stats.bytes = guard.stats.bytes.saturating_sub(freed); // CLEAN: stale-read: read and write-back happen under the same guard
        Ok(freed)
    }
}
