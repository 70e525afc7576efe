//! The proof desk: previews of jobs that the customer asked to see before printing.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use racecheck::{JoinHandle, JoinableQueue, Lock, Thread};

use crate::model::{CustomerId, JobId, Thumbnail};

#[derive(Debug, Clone)]
pub struct ProofRequest {
    pub job: JobId,
    pub customer: CustomerId,
    pub thumbnail: Thumbnail,
}

enum ProofItem {
    Check(ProofRequest),
    Stop,
}

pub struct ProofDesk {
    queue: JoinableQueue<ProofItem>,
    approved: Lock<Vec<(JobId, CustomerId)>>,
    rejected: AtomicU64,
    min_ink: f32,
}

impl ProofDesk {
    pub fn new(min_ink: f32) -> Self {
        ProofDesk {
            queue: JoinableQueue::new(),
            approved: Lock::new(Vec::new()),
            rejected: AtomicU64::new(0),
            min_ink,
        }
    }

    pub fn submit(&self, request: ProofRequest) {
        self.queue.put(ProofItem::Check(request));
    }

    pub fn spawn_checker(self: &Arc<Self>) -> JoinHandle<()> {
        let desk = Arc::clone(self);
        Thread::new(move || desk.run()).name("proof-checker").start()
    }

    fn run(&self) {
        loop {
            match self.queue.get() {
                ProofItem::Stop => break,
                ProofItem::Check(request) => {
                    if self.inspect(&request) {
                        self.approved.acquire().push((request.job, request.customer));
                    } else {
                        self.rejected.fetch_add(1, Ordering::Relaxed);
                        eprintln!(
                            "proofs: {} for {} looks blank, holding it for the customer",
                            request.job, request.customer
                        );
                    }
                }
            }
        }
    }

    fn inspect(&self, request: &ProofRequest) -> bool {
        let thumbnail = &request.thumbnail;
        !thumbnail.is_empty() && thumbnail.mean() / 255.0 >= self.min_ink
    }

    /// Blocks until every proof handed in so far has been looked at.
    pub fn wait_until_checked(&self) {
        self.queue.join(); // PLANTED: queue-join-without-task-done: the proof-checker thread get()s items but never calls task_done, so this join never returns once a proof was submitted
    }

    pub fn stop(&self) {
        self.queue.put(ProofItem::Stop);
    }

    pub fn approved(&self) -> usize {
        self.approved.acquire().len()
    }

    pub fn rejected(&self) -> u64 {
        self.rejected.load(Ordering::Relaxed)
    }
}
