//! Active health checking of upstreams.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crate::pool::Conn;
use crate::upstream::UpstreamRegistry;

#[derive(Default)]
struct BoardState {
    round: u64,
    last: HashMap<usize, bool>,
}

/// Latest probe results, published once per round.
#[derive(Default)]
pub struct HealthBoard {
    state: Mutex<BoardState>,
    changed: Condvar,
}

impl HealthBoard {
    pub fn new() -> HealthBoard {
        HealthBoard::default()
    }

    pub fn publish(&self, results: &[(usize, bool)]) -> u64 {
        let mut st = self.state.lock().unwrap();
        st.round += 1;
        for &(id, ok) in results {
            st.last.insert(id, ok);
        }
        let round = st.round;
        drop(st);
        self.changed.notify_all();
        round
    }

    /// Waits until at least `target` rounds have been published.
    pub fn wait_for_round(&self, target: u64, timeout: Duration) -> u64 {
        let st = self.state.lock().unwrap();
        let (st, _timed_out) = self.changed.wait_timeout_while(st, timeout, |s| s.round < target).unwrap(); // CLEAN: wait-without-loop: wait_timeout_while re-checks the predicate after every wakeup
        st.round
    }

    pub fn healthy(&self, id: usize) -> Option<bool> {
        self.state.lock().unwrap().last.get(&id).copied()
    }
}

pub struct HealthChecker {
    registry: Arc<UpstreamRegistry>,
    board: Arc<HealthBoard>,
    interval: Duration,
    probe_timeout: Duration,
    stop: Arc<AtomicBool>,
}

impl HealthChecker {
    pub fn new(
        registry: Arc<UpstreamRegistry>,
        board: Arc<HealthBoard>,
        interval: Duration,
        stop: Arc<AtomicBool>,
    ) -> HealthChecker {
        HealthChecker {
            registry,
            board,
            interval,
            probe_timeout: Duration::from_millis(20),
            stop,
        }
    }

    pub fn spawn(self) -> JoinHandle<()> {
        thread::Builder::new()
            .name("health-checker".into())
            .spawn(move || self.run())
            .expect("spawn health checker")
    }

    fn run(&self) {
        let mut round = 0u64;
        while !self.stop.load(Ordering::Acquire) {
            round += 1;
            let results: Vec<(usize, bool)> = self
                .registry
                .ids()
                .into_iter()
                .filter_map(|id| self.probe(id, round).map(|ok| (id, ok)))
                .collect();
            self.board.publish(&results);
            for (id, ok) in results {
                if ok {
                    self.registry.mark_up(id);
                } else {
                    self.registry.mark_down(id, "probe failed");
                }
            }
            thread::sleep(self.interval);
        }
    }

    /// None means "no verdict": the pool was exhausted by live traffic.
    fn probe(&self, id: usize, round: u64) -> Option<bool> {
        let pool = self.registry.pool(id)?;
        if !self.registry.is_up(id) {
            // A down upstream has no pooled connections; dial a one-off probe.
            let mut probe = Conn::open(id, pool.addr(), 0);
            return Some(probe.ping(round));
        }
        let mut conn = pool.checkout_timeout(self.probe_timeout)?;
        let ok = conn.ping(round);
        pool.checkin(conn);
        Some(ok)
    }
}
