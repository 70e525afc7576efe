//! Ingest worker pool fed by a bounded crossbeam channel.

pub mod ratelimit;
pub mod worker;

use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};

use crossbeam_channel::{Receiver, Sender};

use crate::model::IngestMsg;
use crate::service::Readiness;

pub use ratelimit::RateLimiter;
pub use worker::WorkerContext;

struct PoolInner {
    handles: Vec<JoinHandle<()>>,
    live: usize,
    accepting: bool,
    accepted: Vec<u64>,
}

struct PoolShared {
    inner: Mutex<PoolInner>,
    tx: Sender<IngestMsg>,
    rx: Receiver<IngestMsg>,
}

impl PoolShared {
    fn worker_exited(&self, accepted: u64) {
        let mut inner = self.inner.lock().unwrap();
        inner.live -= 1;
        inner.accepted.push(accepted);
    }
}

pub struct IngestPool {
    shared: Arc<PoolShared>,
}

impl IngestPool {
    pub fn new(queue: usize) -> Self {
        let (tx, rx) = crossbeam_channel::bounded(queue);
        IngestPool {
            shared: Arc::new(PoolShared {
                inner: Mutex::new(PoolInner {
                    handles: Vec::new(),
                    live: 0,
                    accepting: true,
                    accepted: Vec::new(),
                }),
                tx,
                rx,
            }),
        }
    }

    pub fn sender(&self) -> Sender<IngestMsg> {
        self.shared.tx.clone()
    }

    pub fn live_workers(&self) -> usize {
        self.shared.inner.lock().unwrap().live
    }

    pub fn start(&self, workers: usize, ctx: WorkerContext, ready: Arc<Readiness>) {
        let mut inner = self.shared.inner.lock().unwrap();
        for id in 0..workers {
            let shared = Arc::clone(&self.shared);
            let ctx = ctx.clone();
            let ready = Arc::clone(&ready);
            let handle = thread::Builder::new()
                .name(format!("ingest-{id}"))
                .spawn(move || {
                    ready.arrive();
                    let accepted = worker::run(id, &shared.rx, &ctx);
                    shared.worker_exited(accepted);
                })
                .expect("failed to spawn ingest worker");
            inner.handles.push(handle);
            inner.live += 1;
        }
    }

    /// Stops all workers and returns the total number of accepted samples.
    pub fn shutdown(&self) -> u64 {
        let workers = {
            let mut inner = self.shared.inner.lock().unwrap();
            if !inner.accepting {
                return inner.accepted.iter().sum();
            }
            inner.accepting = false;
            inner.handles.len()
        };
        for _ in 0..workers {
            let _ = self.shared.tx.send(IngestMsg::Stop);
        }
        let mut inner = self.shared.inner.lock().unwrap();
        let handles: Vec<JoinHandle<()>> = inner.handles.drain(..).collect();
        for handle in handles {
            if handle.join().is_err() { // PLANTED: blocking-while-holding: joins workers while holding pool.inner, which each exiting worker locks in worker_exited
                eprintln!("ingest worker panicked");
            }
        }
        inner.accepted.iter().sum()
    }
}
