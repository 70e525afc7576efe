//! Work queue between the matching engines and the settlement workers.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex};

use crate::types::Trade;

#[derive(Default)]
struct QueueState {
    items: VecDeque<Trade>,
    in_flight: usize,
    closed: bool,
}

pub struct SettlementQueue {
    state: Mutex<QueueState>,
    /// Signalled when work arrives or the queue closes.
    ready: Condvar,
    /// Signalled when the queue drains and nothing is in flight.
    idle: Condvar,
    enqueued: AtomicU64,
}

impl Default for SettlementQueue {
    fn default() -> Self {
        Self::new()
    }
}

impl SettlementQueue {
    pub fn new() -> Self {
        SettlementQueue {
            state: Mutex::new(QueueState::default()),
            ready: Condvar::new(),
            idle: Condvar::new(),
            enqueued: AtomicU64::new(0),
        }
    }

    pub fn push(&self, trade: Trade) {
        let mut state = self.state.lock().unwrap();
        state.items.push_back(trade);
        drop(state);
        self.enqueued.fetch_add(1, Ordering::Relaxed);
        self.ready.notify_one();
    }

    /// Next trade to settle; `None` once the queue is closed.
    pub fn next(&self) -> Option<Trade> {
        let mut state = self.state.lock().unwrap();
        if state.items.is_empty() && !state.closed {
            state = self.ready.wait(state).unwrap(); // PLANTED: wait-without-loop: with two workers the trade can be taken by the other one (or the wakeup is spurious) and None ends this worker
        }
        let trade = state.items.pop_front();
        if trade.is_some() {
            state.in_flight += 1;
        }
        trade
    }

    /// Marks one trade returned by [`next`](Self::next) as settled.
    pub fn done(&self) {
        let mut state = self.state.lock().unwrap();
        state.in_flight -= 1;
        let idle = state.items.is_empty() && state.in_flight == 0;
        drop(state);
        if idle {
            self.idle.notify_all();
        }
    }

    /// Blocks until every queued trade has been settled.
    pub fn wait_idle(&self) {
        let state = self.state.lock().unwrap();
        let _state = self.idle.wait_while(state, |s| !s.items.is_empty() || s.in_flight > 0).unwrap(); // CLEAN: wait-without-loop: wait_while re-checks the predicate after every wakeup
    }

    pub fn close(&self) {
        self.state.lock().unwrap().closed = true;
        self.ready.notify_all();
    }

    pub fn backlog(&self) -> usize {
        self.state.lock().unwrap().items.len()
    }

    pub fn enqueued(&self) -> u64 {
        self.enqueued.load(Ordering::Relaxed)
    }
}
