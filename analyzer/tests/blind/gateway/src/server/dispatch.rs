//! Admission: requests are tracked as in flight and queued for the workers on
//! a bounded channel, so a burst applies back-pressure to the clients.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crossbeam_channel::{bounded, Receiver, Sender};

use crate::http::{Request, RequestId, Response};

pub enum Job {
    Request {
        req: Request,
        reply: Sender<Response>,
    },
    Stop,
}

pub struct Dispatcher {
    queue: Sender<Job>,
    inflight: Mutex<HashMap<RequestId, Instant>>,
    next_id: AtomicU64,
}

impl Dispatcher {
    pub fn new(depth: usize) -> (Arc<Dispatcher>, Receiver<Job>) {
        let (tx, rx) = bounded(depth);
        let d = Dispatcher {
            queue: tx,
            inflight: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
        };
        (Arc::new(d), rx)
    }

    pub fn submit(&self, mut req: Request, reply: Sender<Response>) -> RequestId {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        req.id = id;
        let mut inflight = self.inflight.lock().unwrap();
        inflight.insert(id, Instant::now());
        self.queue.send(Job::Request { req, reply }).expect("workers gone"); // PLANTED: blocking-while-holding: bounded send may block on a full queue while holding `inflight`; workers need `inflight` in complete() before taking the next job
        id
    }

    pub fn submit_batch(&self, reqs: Vec<Request>, reply: Sender<Response>) -> Vec<RequestId> {
        let jobs: Vec<Job> = {
            let mut inflight = self.inflight.lock().unwrap();
            reqs.into_iter()
                .map(|mut req| {
                    req.id = self.next_id.fetch_add(1, Ordering::Relaxed);
                    inflight.insert(req.id, Instant::now());
                    Job::Request {
                        req,
                        reply: reply.clone(),
                    }
                })
                .collect()
        };
        let mut ids = Vec::with_capacity(jobs.len());
        for job in jobs {
            if let Job::Request { req, .. } = &job {
                ids.push(req.id);
            }
            self.queue.send(job).expect("workers gone"); // CLEAN: blocking-while-holding: `inflight` guard released at the end of the block above
        }
        ids
    }

    /// Marks a request finished; returns how long it spent in the gateway.
    pub fn complete(&self, id: RequestId) -> Option<Duration> {
        self.inflight.lock().unwrap().remove(&id).map(|t| t.elapsed())
    }

    pub fn pending(&self) -> usize {
        self.inflight.lock().unwrap().len()
    }

    pub fn stop_workers(&self, n: usize) {
        for _ in 0..n {
            let _ = self.queue.send(Job::Stop);
        }
    }
}

/// Counts requests inside the proxy path so shutdown can let them finish.
#[derive(Default)]
pub struct InflightGate {
    state: Mutex<GateState>,
    idle: Condvar,
}

#[derive(Default)]
struct GateState {
    active: usize,
    closed: bool,
}

impl InflightGate {
    pub fn new() -> InflightGate {
        InflightGate::default()
    }

    pub fn enter(&self) -> bool {
        let mut st = self.state.lock().unwrap();
        if st.closed {
            return false;
        }
        st.active += 1;
        true
    }

    pub fn exit(&self) {
        let mut st = self.state.lock().unwrap();
        st.active -= 1;
        drop(st);
        self.idle.notify_all();
    }

    /// Stops admitting new requests and waits for the active ones to finish.
    pub fn close_and_drain(&self) {
        let mut st = self.state.lock().unwrap();
        st.closed = true;
        if st.active > 0 {
            st = self.idle.wait(st).unwrap(); // PLANTED: wait-without-loop: `if` not `while`; exit() notifies on every decrement, so this returns while requests are still active
        }
        debug_assert!(st.closed);
    }
}
