//! A small least-recently-used map.

use std::borrow::Borrow;
use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

pub struct LruCache<K, V> {
    capacity: usize,
    tick: u64,
    entries: HashMap<K, (V, u64)>,
    order: BTreeMap<u64, K>,
}

impl<K: Hash + Eq + Clone, V> LruCache<K, V> {
    pub fn new(capacity: usize) -> Self {
        LruCache { capacity: capacity.max(1), tick: 0, entries: HashMap::new(), order: BTreeMap::new() }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Look up `key` and mark it most recently used.
    pub fn get<Q>(&mut self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.tick += 1;
        let tick = self.tick;
        let entry = self.entries.get_mut(key)?;
        if let Some(k) = self.order.remove(&entry.1) {
            self.order.insert(tick, k);
        }
        entry.1 = tick;
        Some(&entry.0)
    }

    /// Insert or replace. Returns the entry evicted to make room, if any.
    pub fn insert(&mut self, key: K, value: V) -> Option<(K, V)> {
        self.tick += 1;
        let tick = self.tick;
        if let Some(entry) = self.entries.get_mut(&key) {
            let old_tick = entry.1;
            *entry = (value, tick);
            if let Some(k) = self.order.remove(&old_tick) {
                self.order.insert(tick, k);
            }
            return None;
        }
        let evicted = if self.entries.len() >= self.capacity { self.pop_lru() } else { None };
        self.order.insert(tick, key.clone());
        self.entries.insert(key, (value, tick));
        evicted
    }

    pub fn pop_lru(&mut self) -> Option<(K, V)> {
        let oldest = *self.order.keys().next()?;
        let key = self.order.remove(&oldest)?;
        let (value, _) = self.entries.remove(&key)?;
        Some((key, value))
    }

    /// Keep only entries for which `keep` returns true. Returns how many
    /// were dropped.
    pub fn retain<F>(&mut self, mut keep: F) -> usize
    where
        F: FnMut(&K, &V) -> bool,
    {
        let doomed: Vec<(K, u64)> =
            self.entries.iter().filter(|(k, (v, _))| !keep(k, v)).map(|(k, (_, t))| (k.clone(), *t)).collect();
        for (k, t) in &doomed {
            self.entries.remove(k);
            self.order.remove(t);
        }
        doomed.len()
    }
}
