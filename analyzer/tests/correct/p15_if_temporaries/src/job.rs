use std::sync::Arc;

use racecheck::{JoinHandle, Lock, Thread};

pub struct JobState {
    pub enabled: Lock<bool>,
    progress: Lock<u32>,
}

impl JobState {
    pub fn new() -> Self {
        JobState { enabled: Lock::new(true), progress: Lock::new(0) }
    }
    pub fn progress(&self) -> u32 {
        *self.progress.acquire()
    }
}

pub fn spawn_worker(s: Arc<JobState>) -> JoinHandle<()> {
    Thread::spawn(move || {
        let on = *s.enabled.acquire();
        if on {
            *s.progress.acquire() += 1;
        }
    })
}
