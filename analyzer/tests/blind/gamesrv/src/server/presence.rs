use std::sync::{Arc, Condvar, Mutex};

use crate::metrics::Metrics;

#[derive(Debug, Default, Clone, Copy)]
pub struct PresenceCounts {
    pub online: usize,
    pub total: usize,
}

/// Tracks how many players are connected; main waits on it before shutdown.
pub struct Presence {
    state: Mutex<PresenceCounts>,
    changed: Condvar,
    metrics: Arc<Metrics>,
}

impl Presence {
    pub fn new(metrics: Arc<Metrics>) -> Self {
        Presence { state: Mutex::new(PresenceCounts::default()), changed: Condvar::new(), metrics }
    }

    pub fn enter(&self) -> usize {
        let online = {
            let mut state = self.state.lock().unwrap();
            state.online += 1;
            state.total += 1;
            state.online
        };
        self.changed.notify_all();
        self.metrics.observe_online(online);
        online
    }

    pub fn leave(&self) -> usize {
        let online = {
            let mut state = self.state.lock().unwrap();
            state.online = state.online.saturating_sub(1);
            state.online
        };
        self.changed.notify_all();
        online
    }

    /// Blocks until every player that connected has left again.
    pub fn wait_until_empty(&self) -> PresenceCounts {
        let mut state = self.state.lock().unwrap();
        if state.online > 0 || state.total == 0 {
            state = self.changed.wait(state).unwrap(); // PLANTED: wait-without-loop: every enter/leave notifies; the first one wakes main while players are still online
        }
        *state
    }
}

/// Holds the simulated clients back until all services are up.
pub struct StartGate {
    open: Mutex<bool>,
    opened: Condvar,
}

impl StartGate {
    pub fn new() -> Self {
        StartGate { open: Mutex::new(false), opened: Condvar::new() }
    }

    pub fn open(&self) {
        *self.open.lock().unwrap() = true;
        self.opened.notify_all();
    }

    pub fn wait_open(&self) {
        let open = self.open.lock().unwrap();
        let _open = self.opened.wait_while(open, |open| !*open).unwrap(); // CLEAN: wait-without-loop: wait_while re-checks the flag after every wakeup
    }
}
