//! Process-wide counters, readable from anywhere.

use std::fmt;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use racecheck::{Lock, Shared};

use crate::model::JobId;

/// Jobs that made it through the raster stage.
pub static JOBS_RENDERED: Shared<u64> = Shared::new(0);

/// Jobs accepted at the counter.
pub static JOBS_ACCEPTED: Shared<u64> = Shared::new(0);
static ACCEPTED_LOCK: Lock<()> = Lock::new(());

static NEXT_JOB_ID: AtomicU64 = AtomicU64::new(1);
static PEAK_BACKLOG: AtomicUsize = AtomicUsize::new(0);
static PAGES_PRINTED: AtomicU64 = AtomicU64::new(0);

pub fn next_job_id() -> JobId {
    let raw = NEXT_JOB_ID.fetch_add(1, Ordering::SeqCst); // CLEAN: atomic-split: one read-modify-write, no separate load and store
    JobId(raw)
}

pub fn note_accepted() {
    let _guard = ACCEPTED_LOCK.acquire();
    JOBS_ACCEPTED.set(JOBS_ACCEPTED.get() + 1); // CLEAN: unguarded-shared-counter: get and set both under ACCEPTED_LOCK
}

pub fn note_rendered() {
    JOBS_RENDERED.set(JOBS_RENDERED.get() + 1); // PLANTED: unguarded-shared-counter: renderers race on get-then-set, increments are lost
}

/// Keeps the deepest spool backlog seen so far.
pub fn note_backlog(depth: usize) {
    let mut seen = PEAK_BACKLOG.load(Ordering::Relaxed);
    while depth > seen {
        let swapped = PEAK_BACKLOG.compare_exchange_weak(seen, depth, Ordering::SeqCst, Ordering::Relaxed); // CLEAN: atomic-split: compare_exchange retries instead of storing a stale maximum
        match swapped {
            Ok(_) => break,
            Err(actual) => seen = actual,
        }
    }
}

pub fn add_pages_printed(pages: u64) {
    PAGES_PRINTED.fetch_add(pages, Ordering::Relaxed);
}

#[derive(Debug, Clone, Copy, Default)]
pub struct StatsSnapshot {
    pub accepted: u64,
    pub rendered: u64,
    pub peak_backlog: usize,
    pub pages_printed: u64,
    pub last_job_id: u64,
}

pub fn snapshot() -> StatsSnapshot {
    StatsSnapshot {
        accepted: JOBS_ACCEPTED.get(),
        rendered: JOBS_RENDERED.get(),
        peak_backlog: PEAK_BACKLOG.load(Ordering::Relaxed),
        pages_printed: PAGES_PRINTED.load(Ordering::Relaxed),
        last_job_id: NEXT_JOB_ID.load(Ordering::Relaxed).saturating_sub(1),
    }
}

impl fmt::Display for StatsSnapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "accepted={} rendered={} pages={} peak-backlog={} last-id={}",
            self.accepted, self.rendered, self.pages_printed, self.peak_backlog, self.last_job_id
        )
    }
}
