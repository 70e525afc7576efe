//! Delivery plumbing: the dispatch queue feeding the workers and the
//! pause/resume gate the operators use.

pub mod ack;
pub mod dlq;
pub mod worker;

use std::sync::{Condvar, Mutex};

use crossbeam_channel::{bounded, Receiver, Sender};

use crate::message::Dispatch;

/// Bounded queue of wake-ups; a full queue slows down publishers.
pub struct Dispatcher {
    tx: Sender<Dispatch>,
    rx: Receiver<Dispatch>,
}

impl Dispatcher {
    pub fn new(capacity: usize) -> Self {
        let (tx, rx) = bounded(capacity);
        Dispatcher { tx, rx }
    }

    pub fn receiver(&self) -> Receiver<Dispatch> {
        self.rx.clone()
    }

    pub fn backlog(&self) -> usize {
        self.tx.len()
    }

    pub fn notify(&self, dispatch: Dispatch) -> bool {
        self.tx.send(dispatch).is_ok() // PLANTED: blocking-while-holding: publish() calls this holding the partition lock; with the queue full, the delivery workers that would drain it block on that same partition in Topic::fetch
    }

    pub fn redeliver(&self, batch: Vec<Dispatch>) -> usize {
        let mut sent = 0;
        for dispatch in batch {
            if self.tx.send(dispatch).is_err() { // CLEAN: blocking-while-holding: the redelivery thread released the pending-ack guard (scan_expired returned) before sending
                break;
            }
            sent += 1;
        }
        sent
    }
}

/// Lets operators pause delivery without stopping the workers.
pub struct FlowGate {
    paused: Mutex<bool>,
    opened: Condvar,
}

impl FlowGate {
    pub fn new() -> Self {
        FlowGate {
            paused: Mutex::new(false),
            opened: Condvar::new(),
        }
    }

    pub fn pause(&self) {
        *self.paused.lock().unwrap() = true;
    }

    pub fn resume(&self) {
        *self.paused.lock().unwrap() = false;
        self.opened.notify_all();
    }

    pub fn is_paused(&self) -> bool {
        *self.paused.lock().unwrap()
    }

    pub fn wait_open(&self) {
        let paused = self.paused.lock().unwrap();
        let _open = self.opened.wait_while(paused, |paused| *paused).unwrap(); // CLEAN: wait-without-loop: wait_while re-checks the flag after every wakeup
    }
}
