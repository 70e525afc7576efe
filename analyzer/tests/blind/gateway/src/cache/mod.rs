//! Response cache with TTL and an LRU bound, maintained by an evictor thread.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, TryLockError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::http::Response;

struct CacheEntry {
    response: Response,
    inserted: Instant,
    ttl: Duration,
}

impl CacheEntry {
    fn fresh(&self, now: Instant) -> bool {
        now.saturating_duration_since(self.inserted) < self.ttl
    }
}

pub struct ResponseCache {
    entries: RwLock<HashMap<String, CacheEntry>>,
    lru: Mutex<VecDeque<String>>,
    capacity: usize,
    hits: AtomicU64,
    misses: AtomicU64,
    evicted: AtomicU64,
}

impl ResponseCache {
    pub fn new(capacity: usize) -> ResponseCache {
        ResponseCache {
            entries: RwLock::new(HashMap::new()),
            lru: Mutex::new(VecDeque::new()),
            capacity,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            evicted: AtomicU64::new(0),
        }
    }

    pub fn get(&self, key: &str) -> Option<Response> {
        let entries = self.entries.read().unwrap();
        match entries.get(key) {
            Some(entry) if entry.fresh(Instant::now()) => {
                self.touch(key);
                self.hits.fetch_add(1, Ordering::Relaxed);
                Some(entry.response.clone().with_header("x-cache", "hit"))
            }
            _ => {
                self.misses.fetch_add(1, Ordering::Relaxed);
                None
            }
        }
    }

    fn touch(&self, key: &str) {
        let mut lru = self.lru.lock().unwrap();
        if let Some(pos) = lru.iter().position(|k| k == key) {
            lru.remove(pos);
        }
        lru.push_back(key.to_string());
    }

    pub fn insert(&self, key: String, response: Response, ttl: Duration) {
        let entry = CacheEntry {
            response,
            inserted: Instant::now(),
            ttl,
        };
        let replaced = self.entries.write().unwrap().insert(key.clone(), entry).is_some();
        let mut lru = self.lru.lock().unwrap();
        if replaced {
            if let Some(pos) = lru.iter().position(|k| *k == key) {
                lru.remove(pos);
            }
        }
        lru.push_back(key);
    }

    /// Drops least-recently-used entries until the cache fits its capacity.
    pub fn evict_over_capacity(&self) -> usize {
        let mut lru = self.lru.lock().unwrap();
        if lru.len() <= self.capacity {
            return 0;
        }
        let mut entries = self.entries.write().unwrap(); // PLANTED: lock-order: evictor holds lru and waits for entries.write while get() holds entries.read and waits for lru in touch()
        let mut evicted = 0;
        while lru.len() > self.capacity {
            if let Some(key) = lru.pop_front() {
                entries.remove(&key);
                evicted += 1;
            }
        }
        self.evicted.fetch_add(evicted as u64, Ordering::Relaxed);
        evicted
    }

    /// Drops entries whose TTL has passed.
    pub fn evict_expired(&self) -> usize {
        loop {
            let mut lru = self.lru.lock().unwrap();
            let mut entries = match self.entries.try_write() { // CLEAN: lock-order: try_write under lru; on contention lru is released and we retry
                Ok(guard) => guard,
                Err(TryLockError::WouldBlock) => {
                    drop(lru);
                    thread::yield_now();
                    continue;
                }
                Err(TryLockError::Poisoned(p)) => p.into_inner(),
            };
            let now = Instant::now();
            let before = entries.len();
            entries.retain(|_, e| e.fresh(now));
            lru.retain(|k| entries.contains_key(k));
            let n = before - entries.len();
            self.evicted.fetch_add(n as u64, Ordering::Relaxed);
            return n;
        }
    }

    pub fn stats(&self) -> (u64, u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
            self.evicted.load(Ordering::Relaxed),
        )
    }

    pub fn spawn_evictor(self: &Arc<Self>, every: Duration, stop: Arc<AtomicBool>) -> JoinHandle<()> {
        let cache = Arc::clone(self);
        thread::Builder::new()
            .name("cache-evictor".into())
            .spawn(move || {
                while !stop.load(Ordering::Acquire) {
                    thread::sleep(every);
                    cache.evict_expired();
                    cache.evict_over_capacity();
                }
            })
            .expect("spawn evictor")
    }
}
