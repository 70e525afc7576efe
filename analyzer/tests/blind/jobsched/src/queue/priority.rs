use std::cmp::Reverse;
use std::sync::{Mutex, MutexGuard};

use crate::jobs::{Job, JobId};

#[derive(Default)]
pub struct QueueState {
    pub pending: Vec<Job>,
    pub closed: bool,
}

impl QueueState {
    pub fn pop(&mut self) -> Option<Job> {
        let best = (0..self.pending.len()).max_by_key(|&i| (self.pending[i].priority, Reverse(i)))?;
        Some(self.pending.remove(best))
    }
}

#[derive(Default)]
pub struct PriorityQueue {
    state: Mutex<QueueState>,
}

impl PriorityQueue {
    pub fn lock(&self) -> MutexGuard<'_, QueueState> {
        self.state.lock().unwrap()
    }

    pub fn remove(&self, id: JobId) -> Option<Job> {
        let mut state = self.state.lock().unwrap(); // PLANTED: lock-order: reached from api cancel() holding the registry jobs guard; workers take this lock then the registry
        let pos = state.pending.iter().position(|job| job.id == id)?;
        Some(state.pending.remove(pos))
    }

    pub fn set_priority(&self, id: JobId, priority: u8) -> bool {
        let mut state = self.state.lock().unwrap(); // CLEAN: lock-order: reprioritize() releases the registry guard before calling down here
        let found = state.pending.iter_mut().find(|job| job.id == id);
        found.map(|job| job.priority = priority).is_some()
    }
}
