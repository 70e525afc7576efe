//! Bounded ingress queue between producers and the ingest workers.
//! Producers block when it is full (back-pressure).

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex};

use crate::message::Message;

struct IngressState {
    queue: VecDeque<Message>,
    closed: bool,
}

pub struct IngressQueue {
    state: Mutex<IngressState>,
    not_empty: Condvar,
    not_full: Condvar,
    capacity: usize,
}

impl IngressQueue {
    pub fn new(capacity: usize) -> Self {
        IngressQueue {
            state: Mutex::new(IngressState {
                queue: VecDeque::with_capacity(capacity),
                closed: false,
            }),
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
            capacity: capacity.max(1),
        }
    }

    /// Blocks while the queue is full. Gives the message back once closed.
    pub fn push(&self, message: Message) -> Result<(), Message> {
        let mut state = self.state.lock().unwrap();
        while state.queue.len() >= self.capacity && !state.closed {
            state = self.not_full.wait(state).unwrap(); // CLEAN: wait-without-loop: the `while` re-checks capacity after every wakeup
        }
        if state.closed {
            return Err(message);
        }
        state.queue.push_back(message);
        self.not_empty.notify_one();
        Ok(())
    }

    /// Next message, or None once the queue is closed and drained.
    pub fn pop(&self) -> Option<Message> {
        let mut state = self.state.lock().unwrap();
        if state.queue.is_empty() && !state.closed {
            state = self.not_empty.wait(state).unwrap(); // PLANTED: wait-without-loop: `if` instead of `while`; the other ingest thread can take the message first (or the wakeup is spurious) and pop returns None, which the caller treats as "closed"
        }
        let message = state.queue.pop_front();
        if message.is_some() {
            self.not_full.notify_one();
        }
        message
    }

    pub fn len(&self) -> usize {
        self.state.lock().unwrap().queue.len()
    }

    pub fn close(&self) {
        self.state.lock().unwrap().closed = true;
        self.not_empty.notify_all();
        self.not_full.notify_all();
    }
}
