use racecheck::{Lock, LockGuard};

pub struct ShardedStore {
    shards: Vec<Lock<u64>>,
}

impl ShardedStore {
    pub fn new(n: usize) -> Self {
        ShardedStore { shards: (0..n).map(|_| Lock::new(10)).collect() }
    }
    /// Moves units between two shards, locking the lower index first.
    pub fn move_units(&self, a: usize, b: usize, n: u64) {
        if a == b {
            return;
        }
        let (lo, hi) = (a.min(b), a.max(b));
        let mut g_lo = self.shards[lo].acquire();
        let mut g_hi = self.shards[hi].acquire();
        if a < b {
            let n = n.min(*g_lo);
            *g_lo -= n;
            *g_hi += n;
        } else {
            let n = n.min(*g_hi);
            *g_hi -= n;
            *g_lo += n;
        }
    }
    /// A consistent total: every shard locked, in index order, before reading any.
    pub fn snapshot_total(&self) -> u64 {
        let guards: Vec<LockGuard<'_, u64>> = self.shards.iter().map(|s| s.acquire()).collect();
        guards.iter().map(|g| **g).sum()
    }
}
