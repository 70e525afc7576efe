//! Registry of upstream servers: their connection pools and the health view
//! maintained by the health checker.

pub mod breaker;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::config::UpstreamSpec;
use crate::pool::{Conn, Pool};

pub use breaker::BreakerSet;

#[derive(Debug, Clone)]
pub struct HealthState {
    pub up: bool,
    pub consecutive_failures: u32,
    pub last_used: Option<Instant>,
    pub checked_at: Option<Instant>,
}

impl Default for HealthState {
    fn default() -> Self {
        HealthState {
            up: true,
            consecutive_failures: 0,
            last_used: None,
            checked_at: None,
        }
    }
}

pub struct UpstreamRegistry {
    names: Vec<String>,
    pools: Mutex<HashMap<usize, Arc<Pool>>>,
    health: Mutex<HashMap<usize, HealthState>>,
}

impl UpstreamRegistry {
    pub fn new(specs: &[UpstreamSpec]) -> UpstreamRegistry {
        let mut pools = HashMap::new();
        let mut health = HashMap::new();
        for (id, spec) in specs.iter().enumerate() {
            pools.insert(id, Arc::new(Pool::new(id, &spec.addr, spec.pool_size)));
            health.insert(id, HealthState::default());
        }
        UpstreamRegistry {
            names: specs.iter().map(|s| s.name.clone()).collect(),
            pools: Mutex::new(pools),
            health: Mutex::new(health),
        }
    }

    pub fn ids(&self) -> Vec<usize> {
        (0..self.names.len()).collect()
    }

    pub fn name(&self, id: usize) -> &str {
        self.names.get(id).map(String::as_str).unwrap_or("?")
    }

    pub fn pool(&self, id: usize) -> Option<Arc<Pool>> {
        self.pools.lock().unwrap().get(&id).cloned()
    }

    /// Takes a connection to upstream `id`, blocking until one is free.
    pub fn checkout(&self, id: usize) -> Option<(Arc<Pool>, Conn)> {
        let pools = self.pools.lock().unwrap();
        let pool = pools.get(&id)?.clone();
        self.note_activity(id);
        drop(pools);
        let conn = pool.checkout();
        Some((pool, conn))
    }

    fn note_activity(&self, id: usize) {
        let mut health = self.health.lock().unwrap();
        if let Some(state) = health.get_mut(&id) {
            state.last_used = Some(Instant::now());
        }
    }

    pub fn is_up(&self, id: usize) -> bool {
        self.health
            .lock()
            .unwrap()
            .get(&id)
            .map(|h| h.up)
            .unwrap_or(false)
    }

    /// Called by the health checker when a probe fails.
    pub fn mark_down(&self, id: usize, reason: &str) {
        let mut health = self.health.lock().unwrap();
        let state = health.entry(id).or_default();
        state.consecutive_failures += 1;
        state.checked_at = Some(Instant::now());
        if !state.up {
            return;
        }
        state.up = false;
        let closed = self.drain_pool(id);
        eprintln!(
            "[health] upstream {} marked down ({reason}); closed {closed} idle connections",
            self.name(id)
        );
    }

    fn drain_pool(&self, id: usize) -> usize {
        let pools = self.pools.lock().unwrap(); // PLANTED: lock-order: health->pools here (mark_down) while checkout() takes pools->health via note_activity()
        pools.get(&id).map(|p| p.drain()).unwrap_or(0)
    }

    /// Called by the health checker when a probe succeeds.
    pub fn mark_up(&self, id: usize) {
        let mut health = self.health.lock().unwrap();
        let state = health.entry(id).or_default();
        let was_down = !state.up;
        state.up = true;
        state.consecutive_failures = 0;
        state.checked_at = Some(Instant::now());
        drop(health);
        if was_down {
            let pools = self.pools.lock().unwrap(); // CLEAN: lock-order: health guard dropped before pools is taken
            if let Some(pool) = pools.get(&id) {
                pool.refill();
            }
            eprintln!("[health] upstream {} back up", self.name(id));
        }
    }

    /// (name, up, idle connections, connections ever opened) per upstream.
    pub fn summary(&self) -> Vec<(String, bool, usize, u64)> {
        let up: Vec<bool> = {
            let health = self.health.lock().unwrap();
            self.ids()
                .iter()
                .map(|id| health.get(id).map(|h| h.up).unwrap_or(false))
                .collect()
        };
        let pools = self.pools.lock().unwrap();
        self.ids()
            .into_iter()
            .map(|id| {
                let (idle, opened) = pools
                    .get(&id)
                    .map(|p| (p.idle_count(), p.opened_total()))
                    .unwrap_or((0, 0));
                (self.name(id).to_string(), up[id], idle, opened)
            })
            .collect()
    }
}
