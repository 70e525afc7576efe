pub mod priority;

use std::sync::Condvar;

use crate::jobs::{registry::Registry, Job, JobId};
use priority::PriorityQueue;

#[derive(Default)]
pub struct JobQueue {
    inner: PriorityQueue,
    ready: Condvar,
}

impl JobQueue {
    pub fn push(&self, job: Job) {
        self.inner.lock().pending.push(job);
        self.ready.notify_one();
    }

    pub fn close(&self) {
        self.inner.lock().closed = true;
        self.ready.notify_all();
    }

    pub fn withdraw(&self, id: JobId) -> Option<Job> {
        self.inner.remove(id)
    }

    pub fn update_priority(&self, id: JobId, priority: u8) -> bool {
        self.inner.set_priority(id, priority)
    }

    pub fn next_job(&self, registry: &Registry) -> Option<Job> {
        let mut state = self.inner.lock();
        loop {
            if state.pending.is_empty() {
                if state.closed {
                    return None;
                }
                state = self.ready.wait(state).unwrap(); // PLANTED: wait-without-loop: `if` not `while`; another worker can take the job first and pop() then yields None
            }
            let job = state.pop()?;
            if registry.mark_running(job.id) {
                return Some(job);
            }
        }
    }
}
