//! Graceful-shutdown helpers.

use std::sync::{Condvar, Mutex};

/// Counts deliveries that are still waiting for an acknowledgement so that
/// shutdown can wait for them to settle.
pub struct Drain {
    inflight: Mutex<usize>,
    changed: Condvar,
}

impl Drain {
    pub fn new() -> Self {
        Drain {
            inflight: Mutex::new(0),
            changed: Condvar::new(),
        }
    }

    pub fn enter(&self) {
        *self.inflight.lock().unwrap() += 1;
    }

    pub fn leave(&self, n: usize) {
        if n == 0 {
            return;
        }
        let mut inflight = self.inflight.lock().unwrap();
        *inflight = inflight.saturating_sub(n);
        // Progress watchers want every change, not only the last one.
        self.changed.notify_all();
    }

    pub fn inflight(&self) -> usize {
        *self.inflight.lock().unwrap()
    }

    /// Blocks until every tracked delivery has settled; returns what is left.
    pub fn wait_idle(&self) -> usize {
        let mut inflight = self.inflight.lock().unwrap();
        if *inflight > 0 {
            inflight = self.changed.wait(inflight).unwrap(); // PLANTED: wait-without-loop: leave() notifies on every decrement, so main wakes after the first ack with deliveries still in flight and shuts down under them
        }
        *inflight
    }
}
