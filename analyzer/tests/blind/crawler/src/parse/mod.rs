pub mod extract;
mod pipeline;
pub mod plugins;
mod worker;

pub use extract::ExtractorRegistry;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crossbeam_channel::{unbounded, Receiver, Sender};

use crate::fetch::FetchedPage;
use crate::frontier::Frontier;
use crate::graph::LinkGraph;
use crate::shutdown::{spawn_named, Shutdown};
use crate::stats::Stats;

use worker::{SlotState, WorkerSlot};

pub struct ParseContext {
    pub graph: Arc<LinkGraph>,
    pub frontier: Arc<Frontier>,
    pub registry: Arc<ExtractorRegistry>,
    pub stats: Arc<Stats>,
    pub shutdown: Arc<Shutdown>,
}

/// Fixed pool of parser threads fed through an unbounded channel. The number
/// of pages submitted but not yet parsed is capped at `max_in_flight`.
pub struct ParserPool {
    jobs_tx: Sender<FetchedPage>,
    jobs_rx: Receiver<FetchedPage>,
    in_flight: Mutex<usize>,
    idle: Condvar,
    max_in_flight: usize,
    closed: AtomicBool,
    workers: parking_lot::Mutex<Vec<WorkerSlot>>,
}

impl ParserPool {
    pub fn new(max_in_flight: usize) -> Arc<ParserPool> {
        let (jobs_tx, jobs_rx) = unbounded();
        Arc::new(ParserPool {
            jobs_tx,
            jobs_rx,
            in_flight: Mutex::new(0),
            idle: Condvar::new(),
            max_in_flight: max_in_flight.max(1),
            closed: AtomicBool::new(false),
            workers: parking_lot::Mutex::new(Vec::new()),
        })
    }

    pub fn start(self: &Arc<Self>, count: usize, ctx: Arc<ParseContext>) {
        let mut workers = self.workers.lock();
        for _ in 0..count {
            let id = workers.len();
            let pool = Arc::clone(self);
            let ctx = Arc::clone(&ctx);
            let handle = spawn_named(&format!("parser-{}", id), move || worker::run_parser(id, pool, ctx));
            workers.push(WorkerSlot::new(handle));
        }
    }

    /// Hands a fetched page to the parsers, waiting while too many are queued.
    pub fn submit(&self, page: FetchedPage) {
        let mut in_flight = self.in_flight.lock().unwrap();
        while *in_flight >= self.max_in_flight && !self.closed.load(Ordering::Acquire) {
            in_flight = self.idle.wait(in_flight).unwrap(); // CLEAN: wait-without-loop: the capacity condition is re-tested by the while loop after every wake-up
        }
        *in_flight += 1;
        drop(in_flight);
        if self.jobs_tx.send(page).is_err() {
            self.job_done();
        }
    }

    fn next_job(&self, timeout: Duration) -> Option<FetchedPage> {
        self.jobs_rx.recv_timeout(timeout).ok()
    }

    fn has_queued_jobs(&self) -> bool {
        !self.jobs_rx.is_empty()
    }

    fn job_done(&self) {
        let mut in_flight = self.in_flight.lock().unwrap();
        *in_flight = in_flight.saturating_sub(1);
        self.idle.notify_all();
    }

    pub fn pending(&self) -> usize {
        *self.in_flight.lock().unwrap()
    }

    /// Blocks until every submitted page has been parsed. Returns the number
    /// of pages still counted as in flight.
    pub fn wait_idle(&self) -> usize {
        let mut in_flight = self.in_flight.lock().unwrap();
        if *in_flight > 0 {
            in_flight = self.idle.wait(in_flight).unwrap(); // PLANTED: wait-without-loop: job_done() notifies after every job, so this returns while pages are still being parsed
        }
        *in_flight
    }

    fn set_state(&self, id: usize, state: SlotState) {
        if let Some(slot) = self.workers.lock().get_mut(id) {
            slot.set_state(state);
        }
    }

    fn close(&self) {
        let _in_flight = self.in_flight.lock().unwrap();
        self.closed.store(true, Ordering::Release);
        self.idle.notify_all();
    }

    /// Stops accepting work and joins every parser. Returns how many exited
    /// cleanly.
    pub fn shutdown(&self) -> usize {
        self.close();
        let mut workers = self.workers.lock();
        let mut clean = 0;
        for slot in workers.iter_mut() {
            if slot.join() {
                clean += 1;
            }
        }
        clean
    }
}
