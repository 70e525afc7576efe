pub mod handlers;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, JoinHandle};

use crate::jobs::{Job, JobId};
use handlers::Handlers;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RequestId(pub u64);

#[derive(Debug)]
pub enum Command {
    Submit(Job),
    Cancel(JobId),
    Reprioritize { id: JobId, priority: u8 },
    SetLimit(usize),
    MergeStats { from: usize, to: usize },
}

pub struct Request { pub id: RequestId, pub command: Command }

#[derive(Default)]
struct Throttle { inflight: Mutex<usize>, freed: Condvar }

impl Throttle {
    fn acquire(&self, limit: usize) {
        let mut inflight = self.inflight.lock().unwrap();
        while *inflight >= limit {
            inflight = self.freed.wait(inflight).unwrap(); // CLEAN: wait-without-loop: `while` re-checks the limit when several handlers wake
        }
        *inflight += 1;
    }

    fn release(&self) {
        *self.inflight.lock().unwrap() -= 1;
        self.freed.notify_all();
    }
}

pub struct Api {
    requests: Mutex<Receiver<Request>>,
    sender: Sender<Request>,
    next_request: AtomicU64,
    throttle: Throttle,
    handlers: Handlers,
}

impl Api {
    pub fn new(handlers: Handlers) -> Arc<Self> {
        let (sender, requests) = mpsc::channel();
        let (requests, next_request, throttle) = (Mutex::new(requests), AtomicU64::new(1), Throttle::default());
        Arc::new(Api { requests, sender, next_request, throttle, handlers })
    }

    pub fn start(self: &Arc<Self>, threads: usize) -> Vec<JoinHandle<()>> {
        (0..threads).map(|_| Arc::clone(self)).map(|api| thread::spawn(move || api.serve())).collect()
    }

    pub fn submit(&self, command: Command) -> RequestId {
        let n = self.next_request.load(Ordering::Relaxed);
        self.next_request.store(n + 1, Ordering::Relaxed); // PLANTED: atomic-split: client threads race between load and store and reuse request ids
        let _ = self.sender.send(Request { id: RequestId(n), command });
        RequestId(n)
    }

    fn serve(&self) {
        loop {
            let request = self.requests.lock().unwrap().recv(); // CLEAN: blocking-while-holding: senders in submit() never touch `requests`
            let Ok(request) = request else { break };
            self.throttle.acquire(self.handlers.max_inflight());
            self.handlers.dispatch(request);
            self.throttle.release();
        }
    }
}
