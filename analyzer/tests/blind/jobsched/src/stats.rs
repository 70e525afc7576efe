use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError};

use crate::jobs::{JobHook, JobId, JobState};

#[derive(Default, Debug, Clone, Copy)]
pub struct Counters { pub done: u64, pub failed: u64, pub cancelled: u64, pub window_jobs: u64 }

#[derive(Default, Debug, Clone, Copy)]
pub struct WorkerStats { pub jobs: u64, pub busy: Duration }

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

#[derive(Default)]
pub struct Stats {
    counters: Mutex<Counters>,
    latency: Mutex<Vec<Duration>>,
    per_worker: Vec<Mutex<WorkerStats>>,
    completed: AtomicU64,
    peak_inflight: AtomicUsize,
}

impl Stats {
    pub fn new(workers: usize) -> Self {
        Stats { per_worker: (0..workers).map(|_| Mutex::default()).collect(), ..Stats::default() }
    }

    pub fn mark_completed(&self) {
        let done = self.completed.load(Ordering::Relaxed);
        self.completed.store(done + 1, Ordering::Relaxed); // PLANTED: atomic-split: load then store from every worker; concurrent completions are lost
    }

    pub fn observe_inflight(&self, now: usize) {
        let mut seen = self.peak_inflight.load(Ordering::Relaxed);
        while now > seen {
            match self.peak_inflight.compare_exchange_weak(seen, now, Ordering::Relaxed, Ordering::Relaxed) { // CLEAN: atomic-split: compare_exchange loop retries on a concurrent update
                Ok(_) => break,
                Err(actual) => seen = actual,
            }
        }
    }

    pub fn record_latency(&self, worker: usize, elapsed: Duration) {
        if let Some(slot) = self.per_worker.get(worker) {
            let mut w = slot.lock().unwrap();
            w.jobs += 1;
            w.busy += elapsed;
        }
        let mut counters = self.counters.lock().unwrap();
        counters.window_jobs += 1;
        self.latency.lock().unwrap().push(elapsed);
    }

    pub fn reset_window(&self) -> (u64, Vec<Duration>) {
        let mut latency = self.latency.lock().unwrap();
        let window = std::mem::take(&mut *latency);
        let mut counters = self.counters.lock().unwrap(); // PLANTED: lock-order: latency then counters here; record_latency() on the workers takes counters then latency
        (std::mem::take(&mut counters.window_jobs), window)
    }

    pub fn snapshot(&self) -> (Counters, Duration, u64) {
        let counters = self.counters.lock().unwrap();
        let copy = *counters;
        drop(counters);
        let mut latency = self.latency.lock().unwrap(); // CLEAN: lock-order: the counters guard is dropped before latency is taken
        (copy, median(&mut latency), self.completed.load(Ordering::Relaxed))
    }

    pub fn fold_into(&self, src: usize, dst: usize) {
        if src == dst || src.max(dst) >= self.per_worker.len() {
            return;
        }
        let (lo, hi) = (src.min(dst), src.max(dst));
        let mut first = self.per_worker[lo].lock().unwrap();
        let mut second = self.per_worker[hi].lock().unwrap(); // CLEAN: lock-order: shards always locked lower index first
        let (from, to) = if src == lo { (&mut *first, &mut *second) } else { (&mut *second, &mut *first) };
        to.jobs += from.jobs;
        to.busy += from.busy;
        *from = WorkerStats::default();
    }
}

pub struct StatsHook(pub Arc<Stats>);

impl JobHook for StatsHook {
    fn on_event(&self, _id: JobId, state: JobState) {
        let mut counters = self.0.counters.lock().unwrap();
        match state {
            JobState::Done => counters.done += 1,
            JobState::Failed => counters.failed += 1,
            JobState::Cancelled => counters.cancelled += 1,
            JobState::Pending | JobState::Running => {}
        }
    }
}

pub fn spawn_reporter(stats: Arc<Stats>, stop: Receiver<()>) -> JoinHandle<()> {
    thread::spawn(move || {
        while let Err(RecvTimeoutError::Timeout) = stop.recv_timeout(Duration::from_millis(50)) {
            let (totals, p50, completed) = stats.snapshot();
            let (jobs, mut window) = stats.reset_window();
            println!("window={jobs} ({:?}) p50={p50:?} completed={completed} {totals:?}", median(&mut window));
        }
    })
}
