//! Trading-session clock shared by the engines and the client gateways.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    PreOpen,
    Auction,
    Continuous,
    Halted,
    Closed,
}

pub struct SessionGate {
    phase: Mutex<Phase>,
    changed: Condvar,
    transitions: AtomicU64,
}

impl Default for SessionGate {
    fn default() -> Self {
        Self::new()
    }
}

impl SessionGate {
    pub fn new() -> Self {
        SessionGate {
            phase: Mutex::new(Phase::PreOpen),
            changed: Condvar::new(),
            transitions: AtomicU64::new(0),
        }
    }

    pub fn phase(&self) -> Phase {
        *self.phase.lock().unwrap()
    }

    /// Only continuous trading accepts new orders.
    pub fn accepting_orders(&self) -> bool {
        self.phase() == Phase::Continuous
    }

    pub fn set_phase(&self, next: Phase) {
        let mut phase = self.phase.lock().unwrap();
        *phase = next;
        drop(phase);
        self.transitions.fetch_add(1, Ordering::Relaxed);
        self.changed.notify_all();
    }

    pub fn transitions(&self) -> u64 {
        self.transitions.load(Ordering::Relaxed)
    }

    /// Blocks a gateway until continuous trading starts.
    pub fn wait_for_open(&self) -> Phase {
        let phase = self.phase.lock().unwrap();
        if *phase != Phase::Continuous {
            let phase = self.changed.wait(phase).unwrap(); // PLANTED: wait-without-loop: every phase change notifies; the PreOpen->Auction transition releases gateways before the open
            return *phase;
        }
        *phase
    }

    /// Blocks until the session is closed.
    pub fn wait_for_close(&self) {
        let mut phase = self.phase.lock().unwrap();
        while *phase != Phase::Closed {
            phase = self.changed.wait(phase).unwrap(); // CLEAN: wait-without-loop: the phase is re-checked in a while loop
        }
    }
}
