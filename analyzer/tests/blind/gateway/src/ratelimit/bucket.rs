//! Token bucket.

use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Bucket {
    tokens: f64,
    capacity: f64,
    refill_per_sec: f64,
    last_refill: Instant,
    pub last_seen: Instant,
}

impl Bucket {
    pub fn new(capacity: f64, refill_per_sec: f64, now: Instant) -> Bucket {
        Bucket {
            tokens: capacity,
            capacity,
            refill_per_sec,
            last_refill: now,
            last_seen: now,
        }
    }

    pub fn refill(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.last_refill).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.refill_per_sec).min(self.capacity);
        self.last_refill = now;
    }

    pub fn try_take(&mut self, n: f64) -> bool {
        if self.tokens >= n {
            self.tokens -= n;
            true
        } else {
            false
        }
    }

    /// Moves up to `n` tokens out of this bucket; returns how many moved.
    pub fn withdraw(&mut self, n: f64) -> f64 {
        let moved = n.min(self.tokens).max(0.0);
        self.tokens -= moved;
        moved
    }

    /// Credits tokens, allowing a temporary overdraft above capacity.
    pub fn deposit(&mut self, n: f64) {
        self.tokens += n;
    }

    pub fn idle_for(&self, now: Instant) -> Duration {
        now.saturating_duration_since(self.last_seen)
    }

    pub fn tokens(&self) -> f64 {
        self.tokens
    }
}
