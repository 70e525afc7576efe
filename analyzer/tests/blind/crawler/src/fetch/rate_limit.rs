use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::shutdown::{spawn_named, Shutdown};

const TICKS_PER_SEC: u32 = 50;

struct Bucket {
    tokens: u32,
    capacity: u32,
    granted: u64,
    closed: bool,
}

/// Token bucket shared by all fetchers. A ticker thread adds tokens at a fixed
/// cadence; fetchers block until one is available.
pub struct RateLimiter {
    bucket: Mutex<Bucket>,
    refilled: Condvar,
    per_tick: u32,
    tick: Duration,
}

impl RateLimiter {
    pub fn new(rate_per_sec: u32, burst: u32) -> Arc<RateLimiter> {
        let per_tick = (rate_per_sec / TICKS_PER_SEC).max(1);
        Arc::new(RateLimiter {
            bucket: Mutex::new(Bucket {
                tokens: burst,
                capacity: burst.max(per_tick),
                granted: 0,
                closed: false,
            }),
            refilled: Condvar::new(),
            per_tick,
            tick: Duration::from_secs(1) / TICKS_PER_SEC,
        })
    }

    pub fn acquire(&self) {
        let mut bucket = self.bucket.lock().unwrap();
        if bucket.tokens == 0 && !bucket.closed {
            bucket = self.refilled.wait(bucket).unwrap(); // PLANTED: wait-without-loop: refill() uses notify_all, so several waiters wake for a single token and all decrement
        }
        if bucket.closed {
            return;
        }
        bucket.tokens -= 1;
        bucket.granted += 1;
    }

    pub fn acquire_timeout(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut bucket = self.bucket.lock().unwrap();
        while bucket.tokens == 0 && !bucket.closed {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            let (guard, _) = self.refilled.wait_timeout(bucket, deadline - now).unwrap(); // CLEAN: wait-without-loop: the token count is re-checked by the while condition after every wake-up
            bucket = guard;
        }
        if bucket.closed {
            return true;
        }
        bucket.tokens -= 1;
        bucket.granted += 1;
        true
    }

    pub fn refill(&self) {
        let mut bucket = self.bucket.lock().unwrap();
        let before = bucket.tokens;
        bucket.tokens = (bucket.tokens + self.per_tick).min(bucket.capacity);
        if bucket.tokens > before {
            self.refilled.notify_all();
        }
    }

    pub fn close(&self) {
        let mut bucket = self.bucket.lock().unwrap();
        bucket.closed = true;
        self.refilled.notify_all();
    }

    pub fn granted(&self) -> u64 {
        self.bucket.lock().unwrap().granted
    }

    pub fn spawn_ticker(self: &Arc<Self>, shutdown: Arc<Shutdown>) -> JoinHandle<()> {
        let limiter = Arc::clone(self);
        spawn_named("rate-ticker", move || {
            while !shutdown.sleep(limiter.tick) {
                limiter.refill();
            }
            limiter.close();
        })
    }
}
