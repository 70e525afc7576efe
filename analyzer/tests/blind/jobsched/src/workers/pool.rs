use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Instant;

use super::{execute, WorkerSlot, WorkerState, MAX_ATTEMPTS};
use crate::jobs::registry::{FailureOutcome, Registry};
use crate::jobs::{retry::RetryPolicy, Job, JobState};
use crate::{queue::JobQueue, stats::Stats, timers::Timers};

pub struct Pool {
    locals: Vec<Mutex<VecDeque<Job>>>,
    workers: Mutex<Vec<WorkerSlot>>,
    busy: AtomicUsize,
    running: AtomicBool,
    queue: Arc<JobQueue>,
    registry: Arc<Registry>,
    retry: Arc<RetryPolicy>,
    timers: Arc<Timers>,
    stats: Arc<Stats>,
}

impl Pool {
    pub fn new(size: usize, queue: Arc<JobQueue>, registry: Arc<Registry>, retry: Arc<RetryPolicy>,
               timers: Arc<Timers>, stats: Arc<Stats>) -> Arc<Self> {
        let locals = (0..size.max(1)).map(|_| Mutex::default()).collect();
        let (workers, busy, running) = (Mutex::default(), AtomicUsize::new(0), AtomicBool::new(true));
        Arc::new(Pool { locals, workers, busy, running, queue, registry, retry, timers, stats })
    }

    pub fn start(self: &Arc<Self>) {
        let mut workers = self.workers.lock().unwrap();
        for idx in 0..self.locals.len() {
            let pool = Arc::clone(self);
            let handle = Some(thread::spawn(move || pool.run_worker(idx)));
            workers.push(WorkerSlot { handle, state: WorkerState::Running });
        }
    }

    fn set_state(&self, idx: usize, state: WorkerState) {
        if let Some(slot) = self.workers.lock().unwrap().get_mut(idx) {
            slot.state = state;
        }
    }

    pub fn submit_to(&self, worker: usize, job: Job) {
        let n = self.locals.len();
        let mut target = self.locals[worker % n].lock().unwrap();
        if target.len() >= 4 && n > 1 {
            if let Ok(mut spill) = self.locals[(worker + 1) % n].try_lock() { // CLEAN: lock-order: try_lock never blocks while the target deque is held
                return spill.push_back(job);
            }
        }
        target.push_back(job);
    }

    fn steal(&self, thief: usize, victim: usize) -> Option<Job> {
        let mut mine = self.locals[thief].lock().unwrap();
        let mut theirs = self.locals[victim].lock().unwrap(); // PLANTED: lock-order: worker i locks locals[i] then locals[i+1]; its neighbour does the reverse
        for _ in 0..(theirs.len() + 1) / 2 {
            mine.extend(theirs.pop_back());
        }
        mine.pop_front()
    }

    fn run_worker(&self, idx: usize) {
        let neighbour = (idx + 1) % self.locals.len();
        while self.running.load(Ordering::Acquire) {
            let mut next = self.locals[idx].lock().unwrap().pop_front();
            if next.is_none() && neighbour != idx {
                next = self.steal(idx, neighbour);
            }
            let job = match next {
                Some(job) if self.registry.mark_running(job.id) => job,
                Some(_) => continue,
                None => match self.queue.next_job(&self.registry) {
                    Some(job) => job,
                    None => break,
                },
            };
            self.run_one(idx, job);
        }
        self.set_state(idx, WorkerState::Exited);
    }

    fn run_one(&self, idx: usize, job: Job) {
        self.stats.observe_inflight(self.busy.fetch_add(1, Ordering::Relaxed) + 1);
        let started = Instant::now();
        let result = execute(&job);
        self.stats.record_latency(idx, started.elapsed());
        match result {
            Ok(()) => {
                self.registry.complete(job.id);
                self.stats.mark_completed();
                self.retry.refund();
            }
            Err(reason) => self.handle_failure(job, reason),
        }
        self.busy.fetch_sub(1, Ordering::Relaxed);
    }

    fn handle_failure(&self, job: Job, reason: String) {
        match self.registry.record_failure(job.id, MAX_ATTEMPTS) {
            FailureOutcome::Retry(job) if self.retry.try_consume() => {
                let delay = self.retry.base_delay * 2u32.pow(job.attempt.min(6));
                self.retry.admit(job.id);
                self.timers.schedule(job, delay);
            }
            FailureOutcome::Retry(job) => self.registry.give_up(job.id),
            FailureOutcome::GaveUp { pending } => {
                self.registry.notify(job.id, JobState::Failed);
                eprintln!("giving up: {reason} ({pending} jobs still pending)");
            }
            FailureOutcome::Unknown => {}
        }
    }

    pub fn shutdown(&self) {
        self.running.store(false, Ordering::Release);
        self.queue.close();
        let mut workers = self.workers.lock().unwrap();
        for slot in workers.iter_mut() {
            if let Some(handle) = slot.handle.take() {
                let _ = handle.join(); // PLANTED: blocking-while-holding: joins with `workers` held; the exiting worker calls set_state(Exited), which locks `workers`
            }
        }
    }
}
