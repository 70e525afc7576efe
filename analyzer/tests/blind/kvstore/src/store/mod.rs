//! The sharded in-memory table.

pub mod budget;
pub mod entry;
pub mod ttl;

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::RwLock;
use std::time::{Duration, Instant};

pub use budget::MemoryBudget;
pub use entry::Entry;

pub type Shard = HashMap<String, Entry>;

/// Notified when a background job removes keys from a shard.
pub trait ShardObserver: Send + Sync {
    fn on_shard_changed(&self, shard: usize, removed: usize);
}

/// Result of a point lookup.
#[derive(Debug)]
pub enum Lookup {
    Hit(Entry),
    Miss,
    /// The key was present but its TTL had run out; it has been removed.
    Expired,
}

pub struct ShardedTable {
    shards: Vec<RwLock<Shard>>,
}

impl ShardedTable {
    pub fn new(count: usize) -> Self {
        assert!(count > 0, "a table needs at least one shard");
        let shards = (0..count).map(|_| RwLock::new(HashMap::new())).collect();
        ShardedTable { shards }
    }

    pub fn shard_count(&self) -> usize {
        self.shards.len()
    }

    pub fn shard_index(&self, key: &str) -> usize {
        let mut hasher = DefaultHasher::new();
        key.hash(&mut hasher);
        (hasher.finish() % self.shards.len() as u64) as usize
    }

    pub fn shard(&self, idx: usize) -> &RwLock<Shard> {
        &self.shards[idx]
    }

    /// Looks a key up, dropping it on the way if it has expired.
    pub fn get(&self, key: &str, now: Instant) -> Lookup {
        let idx = self.shard_index(key);
        let expired = {
            let shard = self.shards[idx].read().unwrap();
            match shard.get(key) {
                None => return Lookup::Miss,
                Some(entry) if !entry.is_expired(now) => return Lookup::Hit(entry.clone()),
                Some(_) => true,
            }
        };
        if expired && self.remove_if_expired(key, now) {
            return Lookup::Expired;
        }
        Lookup::Miss
    }

    fn remove_if_expired(&self, key: &str, now: Instant) -> bool {
        let idx = self.shard_index(key);
        let mut shard = self.shards[idx].write().unwrap(); // CLEAN: double-lock: the read guard in get() ended with its block
        match shard.get(key) {
            Some(entry) if entry.is_expired(now) => {
                shard.remove(key);
                true
            }
            _ => false,
        }
    }

    /// Returns the entry together with its remaining time to live.
    pub fn get_with_ttl(&self, key: &str, now: Instant) -> Option<(Entry, Option<Duration>)> {
        let idx = self.shard_index(key);
        let shard = self.shards[idx].read().unwrap();
        let entry = shard.get(key)?;
        if entry.is_expired(now) {
            self.remove(key);
            return None;
        }
        Some((entry.clone(), entry.ttl_remaining(now)))
    }

    pub fn insert(&self, key: String, entry: Entry) -> Option<Entry> {
        let idx = self.shard_index(&key);
        let mut shard = self.shards[idx].write().unwrap();
        shard.insert(key, entry)
    }

    pub fn remove(&self, key: &str) -> Option<Entry> {
        let idx = self.shard_index(key);
        let mut shard = self.shards[idx].write().unwrap(); // PLANTED: double-lock: get_with_ttl() still holds this shard's read guard when it calls remove()
        shard.remove(key)
    }

    /// Read-modify-write of a single key under the shard's write lock.
    ///
    /// `f` sees the current live entry (if any) and returns the replacement.
    pub fn update<F>(&self, key: &str, now: Instant, f: F) -> Entry
    where
        F: FnOnce(Option<&Entry>) -> Entry,
    {
        let idx = self.shard_index(key);
        let mut shard = self.shards[idx].write().unwrap();
        let next = f(shard.get(key).filter(|e| !e.is_expired(now)));
        shard.insert(key.to_string(), next.clone()); // CLEAN: stale-read: value read and written back under one write guard
        next
    }

    /// Removes a key and runs `f` on the removed entry while the shard is
    /// still locked.
    pub fn remove_with<F, R>(&self, key: &str, f: F) -> Option<(Entry, R)>
    where
        F: FnOnce(&Entry) -> R,
    {
        let idx = self.shard_index(key);
        let mut shard = self.shards[idx].write().unwrap();
        let old = shard.remove(key)?;
        let r = f(&old);
        Some((old, r))
    }

    /// Drops every expired entry of one shard, telling `observer` if any went.
    pub fn purge_expired(&self, idx: usize, now: Instant, observer: &dyn ShardObserver) -> usize {
        let mut shard = self.shards[idx].write().unwrap();
        let before = shard.len();
        shard.retain(|_, e| !e.is_expired(now));
        let removed = before - shard.len();
        if removed > 0 {
            observer.on_shard_changed(idx, removed);
        }
        removed
    }

    /// Copies one shard out under its read lock.
    pub fn export_shard(&self, idx: usize) -> Vec<(String, Entry)> {
        let shard = self.shards[idx].read().unwrap();
        let mut rows: Vec<(String, Entry)> = shard.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        rows
    }

    pub fn shard_len(&self, idx: usize) -> usize {
        self.shards[idx].read().unwrap().len()
    }

    pub fn len(&self) -> usize {
        (0..self.shards.len()).map(|idx| self.shard_len(idx)).sum()
    }
}

