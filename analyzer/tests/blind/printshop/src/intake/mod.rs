//! The counter: jobs come in here and wait for a renderer.

pub mod proofs;
mod renderer;

use std::sync::atomic::{AtomicBool, Ordering};

use racecheck::JoinableQueue;

use crate::control::stats;
use crate::model::{CustomerId, IntakeItem, JobId, JobSpec, PrintJob};

pub use proofs::{ProofDesk, ProofRequest};
pub use renderer::{RenderReport, Renderer};

pub struct JobIntake {
    jobs: JoinableQueue<IntakeItem>,
    accepting: AtomicBool,
}

impl JobIntake {
    pub fn new() -> Self {
        JobIntake { jobs: JoinableQueue::new(), accepting: AtomicBool::new(true) }
    }

    pub fn submit(&self, customer: CustomerId, spec: JobSpec) -> Option<JobId> {
        if !self.accepting.load(Ordering::SeqCst) {
            return None;
        }
        let id = stats::next_job_id();
        self.jobs.put(IntakeItem::Job(PrintJob::new(id, customer, spec)));
        stats::note_accepted();
        Some(id)
    }

    /// The next item for a renderer; every item taken must be given back with `finish`.
    pub fn next(&self) -> IntakeItem {
        self.jobs.get()
    }

    pub fn finish(&self) {
        if self.jobs.task_done().is_err() {
            eprintln!("intake: finish() called more often than items were taken");
        }
    }

    pub fn backlog(&self) -> usize {
        self.jobs.len()
    }

    /// Waits until every job already at the counter has been through a renderer.
    pub fn quiesce(&self) {
        let waiting = self.jobs.len();
        if waiting > 0 {
            eprintln!("intake: waiting for {waiting} queued jobs to clear");
        }
        self.wait_settled();
    }

    fn wait_settled(&self) {
        self.jobs.join(); // PLANTED: blocking-while-holding: maintenance reaches this join holding printers[id] (service_printer -> quiesce -> wait_settled); renderers need that printer lock in pick_printer before they can task_done
    }

    /// Stops taking jobs, waits for the renderers to finish what is queued, then tells each
    /// of them to exit. Only the first call does anything.
    pub fn close_and_drain(&self, renderers: usize) {
        if !self.accepting.swap(false, Ordering::SeqCst) {
            return;
        }
        self.jobs.join(); // CLEAN: queue-join-without-task-done: renderers call finish() (task_done) for every item, Stop included
        for _ in 0..renderers {
            self.jobs.put(IntakeItem::Stop);
        }
    }
}

impl Default for JobIntake {
    fn default() -> Self {
        JobIntake::new()
    }
}
