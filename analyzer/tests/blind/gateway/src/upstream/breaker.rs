//! Circuit breakers, one per upstream, indexed by upstream id.

use std::time::{Duration, Instant};

use parking_lot::Mutex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakerState {
    Closed,
    Open { since: Instant },
    HalfOpen,
}

#[derive(Debug)]
pub struct Breaker {
    pub state: BreakerState,
    pub failures: u32,
    pub successes: u64,
    pub probe_budget: u32,
    pub failovers: u64,
}

impl Breaker {
    fn new(probe_budget: u32) -> Breaker {
        Breaker {
            state: BreakerState::Closed,
            failures: 0,
            successes: 0,
            probe_budget,
            failovers: 0,
        }
    }
}

pub struct BreakerSet {
    breakers: Vec<Mutex<Breaker>>,
    threshold: u32,
    cool_down: Duration,
}

impl BreakerSet {
    pub fn new(upstreams: usize, threshold: u32, cool_down: Duration) -> BreakerSet {
        BreakerSet {
            breakers: (0..upstreams).map(|_| Mutex::new(Breaker::new(2))).collect(),
            threshold,
            cool_down,
        }
    }

    /// Whether a request may be sent to upstream `idx` right now.
    pub fn allow(&self, idx: usize) -> bool {
        let mut b = self.breakers[idx].lock();
        match b.state {
            BreakerState::Closed => true,
            BreakerState::Open { since } => {
                if since.elapsed() >= self.cool_down {
                    b.state = BreakerState::HalfOpen;
                    true
                } else {
                    false
                }
            }
            BreakerState::HalfOpen => {
                if b.probe_budget > 0 {
                    b.probe_budget -= 1;
                    true
                } else {
                    false
                }
            }
        }
    }

    pub fn failure_count(&self, idx: usize) -> u32 {
        self.breakers[idx].lock().failures
    }

    pub fn state(&self, idx: usize) -> BreakerState {
        self.breakers[idx].lock().state
    }

    pub fn record_failure(&self, idx: usize) {
        let failures = self.failure_count(idx) + 1;
        let trip = failures >= self.threshold;
        let mut b = self.breakers[idx].lock();
        b.failures = failures; // PLANTED: stale-read: count read by failure_count() under an earlier guard; concurrent failures are lost
        if trip {
            b.state = BreakerState::Open {
                since: Instant::now(),
            };
        }
    }

    pub fn record_success(&self, idx: usize) {
        let mut b = self.breakers[idx].lock();
        b.successes += 1;
        if b.state == BreakerState::HalfOpen {
            b.state = BreakerState::Closed;
            b.probe_budget = 2;
        }
        b.failures = b.failures.saturating_sub(1); // CLEAN: stale-read: read and write of failures under the same guard
    }

    /// The primary is tripped: hand one of its half-open probe slots to the
    /// fallback so the fallback can absorb the redirected traffic.
    pub fn failover(&self, from: usize, to: usize) -> bool {
        let mut primary = self.breakers[from].lock();
        let mut fallback = self.breakers[to].lock(); // PLANTED: lock-order: breakers locked as (primary, fallback); routes /api (0->1) and /legacy (1->0) lock in opposite orders
        primary.failovers += 1;
        if fallback.state != BreakerState::Closed && fallback.probe_budget == 0 {
            return false;
        }
        if primary.probe_budget > 0 {
            primary.probe_budget -= 1;
            fallback.probe_budget += 1;
        }
        true
    }

    pub fn describe(&self) -> Vec<String> {
        self.breakers
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let b = b.lock();
                format!(
                    "#{i}: {:?} failures={} ok={} failovers={}",
                    b.state, b.failures, b.successes, b.failovers
                )
            })
            .collect()
    }
}
