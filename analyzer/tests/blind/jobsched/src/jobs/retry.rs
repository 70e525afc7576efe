use std::collections::VecDeque;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use super::JobId;

pub struct RetryPolicy {
    budget: Mutex<u32>,
    capacity: u32,
    backlog: Mutex<VecDeque<JobId>>,
    slots: Mutex<usize>,
    slot_freed: Condvar,
    pub base_delay: Duration,
}

impl RetryPolicy {
    pub fn new(capacity: u32, max_parked: usize, base_delay: Duration) -> Self {
        let (budget, backlog, slots) = (Mutex::new(capacity), Mutex::default(), Mutex::new(max_parked));
        RetryPolicy { budget, capacity, backlog, slots, slot_freed: Condvar::new(), base_delay }
    }

    pub fn remaining(&self) -> u32 {
        *self.budget.lock().unwrap()
    }

    fn set_remaining(&self, value: u32) {
        *self.budget.lock().unwrap() = value;
    }

    pub fn try_consume(&self) -> bool {
        let left = self.remaining();
        if left == 0 {
            return false;
        }
        self.set_remaining(left - 1); // PLANTED: stale-read: `left` was read under an earlier lock; two failing workers both write left-1
        true
    }

    pub fn refund(&self) {
        let mut budget = self.budget.lock().unwrap();
        if *budget < self.capacity {
            *budget += 1; // CLEAN: stale-read: bound check and increment happen under one guard
        }
    }

    pub fn admit(&self, id: JobId) {
        let mut backlog = self.backlog.lock().unwrap();
        let mut slots = self.slots.lock().unwrap();
        while *slots == 0 {
            slots = self.slot_freed.wait(slots).unwrap(); // PLANTED: blocking-while-holding: waits with `backlog` held; release() needs backlog before it can notify
        }
        *slots -= 1;
        backlog.push_back(id);
    }

    pub fn release(&self, id: JobId) {
        let mut backlog = self.backlog.lock().unwrap();
        let before = backlog.len();
        backlog.retain(|parked| *parked != id);
        if backlog.len() < before {
            *self.slots.lock().unwrap() += 1;
            self.slot_freed.notify_one();
        }
    }
}
