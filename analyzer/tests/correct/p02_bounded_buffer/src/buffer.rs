use std::collections::VecDeque;

use racecheck::{Condition, Lock};

pub struct BoundedBuffer {
    items: Lock<VecDeque<u64>>,
    not_empty: Condition,
    not_full: Condition,
    cap: usize,
}

impl BoundedBuffer {
    pub fn new(cap: usize) -> Self {
        BoundedBuffer {
            items: Lock::new(VecDeque::new()),
            not_empty: Condition::new(),
            not_full: Condition::new(),
            cap,
        }
    }

    pub fn put(&self, v: u64) {
        let mut items = self.items.acquire();
        while items.len() >= self.cap {
            items = self.not_full.wait(items);
        }
        items.push_back(v);
        drop(items);
        self.not_empty.notify();
    }

    pub fn take(&self) -> u64 {
        let mut items = self.items.acquire();
        while items.is_empty() {
            items = self.not_empty.wait(items);
        }
        let v = items.pop_front().expect("non-empty after the loop");
        drop(items);
        self.not_full.notify();
        v
    }
}
