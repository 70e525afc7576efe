//! A consumer that polls with `get_timeout` and leaves the iteration by `let … else` when the
//! poll comes back empty took no item on that path, so it owes no `task_done` there: `join`
//! returns. Its twin leaves after taking an item (a blocking `get` whose value it rejects),
//! which does leave that item unfinished.
use racecheck::{JoinableQueue, Thread};
use std::time::Duration;

fn poll(jobs: &JoinableQueue<u32>) {
    for _ in 0..8 {
        let Ok(job) = jobs.get_timeout(Duration::from_millis(10)) else {
            continue;
        };
        let _ = job;
        jobs.task_done().unwrap();
    }
}

fn take_and_reject(jobs: &JoinableQueue<u32>) {
    for _ in 0..4 {
        let job = jobs.get();
        let Some(_) = job.checked_sub(1) else {
            continue;
        };
        jobs.task_done().unwrap();
    }
}

fn main() {
    let polled = JoinableQueue::new();
    let polling = polled.clone();
    let poller = Thread::spawn(move || poll(&polling));
    let rejected = JoinableQueue::new();
    let rejecting = rejected.clone();
    let rejecter = Thread::spawn(move || take_and_reject(&rejecting));
    for n in 0..4 {
        polled.put(n);
        rejected.put(n);
    }
    polled.join();
    rejected.join(); //~ D004
    poller.join().unwrap();
    rejecter.join().unwrap();
}
