use std::collections::VecDeque;

use racecheck::{Condition, Lock};

struct State {
    items: VecDeque<u64>,
    closed: bool,
}

pub struct WorkList {
    state: Lock<State>,
    changed: Condition,
}

impl WorkList {
    pub fn new() -> Self {
        WorkList { state: Lock::new(State { items: VecDeque::new(), closed: false }), changed: Condition::new() }
    }
    pub fn push(&self, v: u64) {
        self.state.acquire().items.push_back(v);
        self.changed.notify();
    }
    pub fn close(&self) {
        self.state.acquire().closed = true;
        self.changed.notify_all();
    }
    /// None once closed and drained.
    pub fn next(&self) -> Option<u64> {
        let mut s = self.state.acquire();
        while s.items.is_empty() && !s.closed {
            s = self.changed.wait(s);
        }
        if s.items.is_empty() {
            return None;
        }
        Some(s.items.pop_front().unwrap())
    }
}
