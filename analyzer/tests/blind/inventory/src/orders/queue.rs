use std::collections::VecDeque;
use std::sync::{Condvar, Mutex};

use super::Order;

#[derive(Debug, Default)]
struct QueueInner {
    orders: VecDeque<Order>,
    closed: bool,
}

#[derive(Debug, Default, Clone)]
pub struct QueueStats {
    pub pushed: u64,
    pub popped: u64,
    pub waiting: usize,
}

/// Blocking FIFO of orders waiting to be picked.
#[derive(Default)]
pub struct OrderQueue {
    inner: Mutex<QueueInner>,
    available: Condvar,
    stats: Mutex<QueueStats>,
}

impl OrderQueue {
    pub fn push(&self, order: Order) -> bool {
        self.stats.lock().unwrap().pushed += 1;
        let mut inner = self.inner.lock().unwrap();
        if inner.closed {
            return false;
        }
        inner.orders.push_back(order);
        drop(inner);
        self.available.notify_one();
        true
    }
    pub fn close(&self) {
        self.inner.lock().unwrap().closed = true;
        self.available.notify_all();
    }
    /// Block until an order is available or the queue is closed.
    pub fn pop(&self) -> Option<Order> {
        let mut inner = self.inner.lock().unwrap();
        while inner.orders.is_empty() && !inner.closed {
            inner = self.available.wait(inner).unwrap(); // CLEAN: wait-without-loop: predicate re-checked in a while loop
        }
        let order = inner.orders.pop_front();
        drop(inner);
        if order.is_some() {
            self.stats.lock().unwrap().popped += 1;
        }
        order
    }
    /// Like `pop`, but keeps the waiting counter current for the dashboard.
    pub fn pop_counted(&self) -> Option<Order> {
        {
            self.stats.lock().unwrap().waiting += 1;
        }
        let mut inner = self.inner.lock().unwrap();
        while inner.orders.is_empty() && !inner.closed {
            inner = self.available.wait(inner).unwrap(); // CLEAN: blocking-while-holding: stats guard released in the block above; only `inner` (released by wait) is held
        }
        let order = inner.orders.pop_front();
        drop(inner);
        let mut stats = self.stats.lock().unwrap();
        stats.waiting -= 1;
        stats.popped += order.is_some() as u64;
        order
    }
    /// Batch picker variant that books the pop while it waits.
    pub fn pop_tracked(&self) -> Option<Order> {
        let mut stats = self.stats.lock().unwrap();
        stats.waiting += 1;
        let mut inner = self.inner.lock().unwrap();
        while inner.orders.is_empty() && !inner.closed {
            inner = self.available.wait(inner).unwrap(); // PLANTED: blocking-while-holding: waits on `available` while still holding `stats`; push() must lock stats before it can notify
        }
        stats.waiting -= 1;
        let order = inner.orders.pop_front();
        stats.popped += order.is_some() as u64;
        order
    }
    /// Expedited orders: the caller expects an order to be there when woken.
    pub fn next_priority(&self) -> Order {
        let mut inner = self.inner.lock().unwrap();
        if inner.orders.is_empty() {
            inner = self.available.wait(inner).unwrap(); // PLANTED: wait-without-loop: `if` instead of `while`; another consumer or a spurious/close wakeup leaves the queue empty
        }
        inner.orders.pop_front().expect("priority picker woken with empty queue")
    }
}
