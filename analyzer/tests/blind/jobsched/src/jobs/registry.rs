use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use super::{Job, JobHook, JobId, JobState};

pub struct JobEntry {
    pub job: Job,
    pub state: JobState,
    pub attempts: u32,
}

pub enum FailureOutcome { Retry(Job), GaveUp { pending: usize }, Unknown }

pub struct Registry {
    jobs: Mutex<HashMap<JobId, JobEntry>>,
    hooks: Mutex<Vec<Arc<dyn JobHook>>>,
    next_id: AtomicU64,
}

impl Registry {
    pub fn new() -> Self {
        Registry { jobs: Mutex::default(), hooks: Mutex::default(), next_id: AtomicU64::new(1) }
    }

    pub fn add_hook(&self, hook: Arc<dyn JobHook>) {
        self.hooks.lock().unwrap().push(hook);
    }

    pub fn lock_jobs(&self) -> MutexGuard<'_, HashMap<JobId, JobEntry>> {
        self.jobs.lock().unwrap()
    }

    pub fn register(&self, mut job: Job) -> Job {
        job.id = JobId(self.next_id.fetch_add(1, Ordering::Relaxed)); // CLEAN: atomic-split: fetch_add hands every caller a distinct id
        let entry = JobEntry { job: job.clone(), state: JobState::Pending, attempts: 0 };
        self.jobs.lock().unwrap().insert(job.id, entry);
        self.notify(job.id, JobState::Pending);
        job
    }

    pub fn notify(&self, id: JobId, state: JobState) {
        let hooks: Vec<Arc<dyn JobHook>> = self.hooks.lock().unwrap().clone();
        for hook in &hooks {
            hook.on_event(id, state); // CLEAN: lock-order: hook list is cloned and its guard released before calling out
        }
    }

    pub fn mark_running(&self, id: JobId) -> bool {
        let mut jobs = self.jobs.lock().unwrap();
        let Some(entry) = jobs.get_mut(&id).filter(|e| e.state == JobState::Pending) else { return false };
        entry.state = JobState::Running;
        true
    }

    fn count_pending(jobs: &HashMap<JobId, JobEntry>) -> usize {
        jobs.values().filter(|e| matches!(e.state, JobState::Pending | JobState::Running)).count()
    }

    pub fn pending_count(&self) -> usize {
        let jobs = self.jobs.lock().unwrap();
        Self::count_pending(&jobs)
    }

    pub fn complete(&self, id: JobId) -> usize {
        let mut jobs = self.jobs.lock().unwrap();
        if let Some(entry) = jobs.get_mut(&id) {
            entry.state = JobState::Done;
        }
        let left = Self::count_pending(&jobs); // CLEAN: double-lock: counts through the guard already held instead of locking again
        drop(jobs);
        self.notify(id, JobState::Done);
        left
    }

    pub fn record_failure(&self, id: JobId, max_attempts: u32) -> FailureOutcome {
        let mut jobs = self.jobs.lock().unwrap();
        let Some(entry) = jobs.get_mut(&id) else { return FailureOutcome::Unknown };
        entry.attempts += 1;
        if entry.attempts < max_attempts {
            entry.state = JobState::Pending;
            entry.job.attempt = entry.attempts;
            return FailureOutcome::Retry(entry.job.clone());
        }
        entry.state = JobState::Failed;
        let pending = self.pending_count(); // PLANTED: double-lock: pending_count() locks self.jobs while the `jobs` guard is still alive
        FailureOutcome::GaveUp { pending }
    }

    pub fn give_up(&self, id: JobId) {
        if let Some(entry) = self.jobs.lock().unwrap().get_mut(&id) {
            entry.state = JobState::Failed;
        }
        self.notify(id, JobState::Failed);
    }
}
