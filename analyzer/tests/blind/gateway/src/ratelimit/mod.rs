//! Per-client rate limiting. Buckets are sharded by client id to keep lock
//! contention low; each shard is bounded and evicts idle clients.

pub mod bucket;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use parking_lot::Mutex;

pub use bucket::Bucket;

use crate::http::ClientId;

/// A temporary quota loan from one client to another.
#[derive(Debug, Clone)]
struct Grant {
    from: ClientId,
    to: ClientId,
    tokens: f64,
    expires: Instant,
}

pub struct RateLimiter {
    shards: Vec<Mutex<HashMap<ClientId, Bucket>>>,
    grants: Mutex<Vec<Grant>>,
    max_clients_per_shard: usize,
    burst: f64,
    rate_per_sec: f64,
    idle_ttl: Duration,
}

impl RateLimiter {
    pub fn new(shards: usize, max_clients_per_shard: usize, burst: f64, rate_per_sec: f64) -> Self {
        RateLimiter {
            shards: (0..shards).map(|_| Mutex::new(HashMap::new())).collect(),
            grants: Mutex::new(Vec::new()),
            max_clients_per_shard,
            burst,
            rate_per_sec,
            idle_ttl: Duration::from_millis(200),
        }
    }

    fn shard_of(&self, client: ClientId) -> usize {
        client as usize % self.shards.len()
    }

    /// Takes one token for `client`; false means the request must be rejected.
    pub fn check(&self, client: ClientId) -> bool {
        let idx = self.shard_of(client);
        let now = Instant::now();
        let mut shard = self.shards[idx].lock();
        if !shard.contains_key(&client) && shard.len() >= self.max_clients_per_shard {
            self.evict_idle(idx, now);
        }
        let bucket = shard
            .entry(client)
            .or_insert_with(|| Bucket::new(self.burst, self.rate_per_sec, now));
        bucket.refill(now);
        bucket.last_seen = now;
        bucket.try_take(1.0)
    }

    fn evict_idle(&self, idx: usize, now: Instant) -> usize {
        let mut shard = self.shards[idx].lock(); // PLANTED: double-lock: check() already holds this shard's parking_lot mutex when it calls evict_idle()
        let before = shard.len();
        shard.retain(|_, b| b.idle_for(now) < self.idle_ttl);
        before - shard.len()
    }

    /// Periodic cleanup run by the janitor thread.
    pub fn sweep(&self, now: Instant) -> usize {
        let mut removed = 0;
        for idx in 0..self.shards.len() {
            let crowded = self.shards[idx].lock().len() > self.max_clients_per_shard / 2;
            if crowded {
                let mut shard = self.shards[idx].lock(); // CLEAN: double-lock: the previous guard was a temporary released at the end of its statement
                let before = shard.len();
                shard.retain(|_, b| b.idle_for(now) < self.idle_ttl);
                removed += before - shard.len();
            }
        }
        removed
    }

    /// Moves up to `tokens` from one client's bucket to another's.
    pub fn transfer_quota(&self, from: ClientId, to: ClientId, tokens: f64) -> f64 {
        let now = Instant::now();
        let (a, b) = (self.shard_of(from), self.shard_of(to));
        let fresh = || Bucket::new(self.burst, self.rate_per_sec, now);
        if a == b {
            let mut shard = self.shards[a].lock();
            let moved = shard.entry(from).or_insert_with(fresh).withdraw(tokens);
            shard.entry(to).or_insert_with(fresh).deposit(moved);
            return moved;
        }
        let (lo, hi) = (a.min(b), a.max(b));
        let mut first = self.shards[lo].lock();
        let mut second = self.shards[hi].lock(); // CLEAN: lock-order: shards always locked in ascending index order (min/max)
        let (src, dst) = if a == lo {
            (&mut *first, &mut *second)
        } else {
            (&mut *second, &mut *first)
        };
        let moved = src.entry(from).or_insert_with(fresh).withdraw(tokens);
        dst.entry(to).or_insert_with(fresh).deposit(moved);
        moved
    }

    /// Admin API: lend quota for `ttl`; the janitor returns it afterwards.
    pub fn grant(&self, from: ClientId, to: ClientId, tokens: f64, ttl: Duration) -> f64 {
        let moved = self.transfer_quota(from, to, tokens);
        self.grants.lock().push(Grant {
            from,
            to,
            tokens: moved,
            expires: Instant::now() + ttl,
        });
        moved
    }

    fn return_expired_grants(&self, now: Instant) -> usize {
        let expired: Vec<Grant> = {
            let mut grants = self.grants.lock();
            let (done, live): (Vec<Grant>, Vec<Grant>) =
                grants.drain(..).partition(|g| g.expires <= now);
            *grants = live;
            done
        };
        for g in &expired {
            self.transfer_quota(g.to, g.from, g.tokens);
        }
        expired.len()
    }

    pub fn tracked_clients(&self) -> usize {
        self.shards.iter().map(|s| s.lock().len()).sum()
    }

    pub fn spawn_janitor(self: &Arc<Self>, every: Duration, stop: Arc<AtomicBool>) -> JoinHandle<()> {
        let limiter = Arc::clone(self);
        thread::Builder::new()
            .name("ratelimit-janitor".into())
            .spawn(move || {
                while !stop.load(Ordering::Acquire) {
                    thread::sleep(every);
                    let now = Instant::now();
                    let swept = limiter.sweep(now);
                    let returned = limiter.return_expired_grants(now);
                    if swept + returned > 0 {
                        eprintln!("[ratelimit] swept {swept} idle clients, returned {returned} grants");
                    }
                }
            })
            .expect("spawn janitor")
    }
}
