use std::collections::VecDeque;
use std::sync::{Condvar, Mutex};

use super::ExportBatch;

struct QueueState {
    items: VecDeque<ExportBatch>,
    in_flight: usize,
    closed: bool,
    overflowed: u64,
}

/// Bounded hand-off between the flusher and the exporter threads. When full,
/// the oldest batch is dropped: fresh snapshots supersede old ones.
pub struct ExportQueue {
    state: Mutex<QueueState>,
    available: Condvar,
    drained: Condvar,
    capacity: usize,
}

impl ExportQueue {
    pub fn new(capacity: usize) -> Self {
        ExportQueue {
            state: Mutex::new(QueueState {
                items: VecDeque::new(),
                in_flight: 0,
                closed: false,
                overflowed: 0,
            }),
            available: Condvar::new(),
            drained: Condvar::new(),
            capacity: capacity.max(1),
        }
    }

    pub fn push(&self, batch: ExportBatch) {
        let mut st = self.state.lock().unwrap();
        if st.items.len() >= self.capacity {
            st.items.pop_front();
            st.overflowed += 1;
        }
        st.items.push_back(batch);
        drop(st);
        self.available.notify_one();
    }

    /// Blocks for the next batch; `None` once the queue is closed.
    pub fn pop(&self) -> Option<ExportBatch> {
        let mut st = self.state.lock().unwrap();
        if st.items.is_empty() && !st.closed {
            st = self.available.wait(st).unwrap(); // PLANTED: wait-without-loop: single `if` check; a spurious wakeup or a batch taken by the other exporter yields None and the exporter exits as if closed
        }
        let batch = st.items.pop_front()?;
        st.in_flight += 1;
        Some(batch)
    }

    /// Marks a popped batch as exported.
    pub fn done(&self) {
        let mut st = self.state.lock().unwrap();
        st.in_flight = st.in_flight.saturating_sub(1);
        let idle = st.items.is_empty() && st.in_flight == 0;
        drop(st);
        if idle {
            self.drained.notify_all();
        }
    }

    /// Waits until every queued batch has been exported.
    pub fn wait_drained(&self) {
        let mut st = self.state.lock().unwrap();
        while !st.items.is_empty() || st.in_flight > 0 {
            st = self.drained.wait(st).unwrap(); // CLEAN: wait-without-loop: predicate re-checked in a while loop after every wakeup
        }
    }

    pub fn close(&self) {
        self.state.lock().unwrap().closed = true;
        self.available.notify_all();
    }

    pub fn len(&self) -> usize {
        self.state.lock().unwrap().items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn overflowed(&self) -> u64 {
        self.state.lock().unwrap().overflowed
    }
}
