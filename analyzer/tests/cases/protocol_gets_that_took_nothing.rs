//! A consumer that polls with `get_timeout` or `try_get` and leaves the iteration when the poll
//! comes back empty (the `else` of a `let … else` or of an `if let Ok(..)`, an `Err(_)` arm of a
//! `match`) took no item on that path, so it owes no `task_done` there: `join` returns. Its
//! twins leave after taking an item (a blocking `get` whose value it rejects, an `Ok` arm that
//! skips the item), which does leave that item unfinished.
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

fn poll_by_match(jobs: &JoinableQueue<u32>) {
    for _ in 0..8 {
        let job = match jobs.get_timeout(Duration::from_millis(10)) {
            Ok(job) => job,
            Err(_) => continue,
        };
        let _ = job;
        jobs.task_done().unwrap();
    }
}

fn poll_by_if_let(jobs: &JoinableQueue<u32>) {
    for _ in 0..8 {
        if let Ok(job) = jobs.try_get() {
            let _ = job;
        } else {
            continue;
        }
        jobs.task_done().unwrap();
    }
}

fn skip_odd_items(jobs: &JoinableQueue<u32>) {
    for _ in 0..8 {
        let job = match jobs.try_get() {
            Ok(job) if job % 2 == 1 => continue,
            Ok(job) => job,
            Err(_) => continue,
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
    let matched = JoinableQueue::new();
    let matching = matched.clone();
    let matcher = Thread::spawn(move || poll_by_match(&matching));
    let tested = JoinableQueue::new();
    let testing = tested.clone();
    let tester = Thread::spawn(move || poll_by_if_let(&testing));
    let odd = JoinableQueue::new();
    let skipping = odd.clone();
    let skipper = Thread::spawn(move || skip_odd_items(&skipping));
    for n in 0..4 {
        polled.put(n);
        rejected.put(n);
        matched.put(n);
        tested.put(n);
        odd.put(n);
    }
    polled.join();
    rejected.join(); //~ D004
    matched.join();
    tested.join();
    odd.join(); //~ D004
    poller.join().unwrap();
    rejecter.join().unwrap();
    matcher.join().unwrap();
    tester.join().unwrap();
    skipper.join().unwrap();
}
