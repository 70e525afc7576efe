//! parking_lot's `Condvar` panics when a thread waits with another mutex than a thread already
//! waiting: two threads that may wait at once with two mutexes are reported (L003); waits one
//! after the other (the first thread joined) are not.
use parking_lot::{Condvar, Mutex};
use std::thread;

static JOBS: Mutex<u32> = Mutex::new(0);
static DONE: Mutex<bool> = Mutex::new(false);
static CHANGED: Condvar = Condvar::new();
static LATER: Condvar = Condvar::new();

fn wait_jobs(cv: &Condvar) {
    let mut jobs = JOBS.lock();
    while *jobs == 0 {
        cv.wait(&mut jobs);
    }
}

fn wait_done(cv: &Condvar) {
    let mut done = DONE.lock();
    while !*done {
        cv.wait(&mut done); //~ L003
    }
}

fn main() {
    let a = thread::spawn(|| wait_jobs(&CHANGED));
    let b = thread::spawn(|| wait_done(&CHANGED));
    *JOBS.lock() = 1;
    *DONE.lock() = true;
    CHANGED.notify_all();
    a.join().unwrap();
    b.join().unwrap();

    let first = thread::spawn(|| wait_jobs(&LATER));
    LATER.notify_all();
    first.join().unwrap();
    let second = thread::spawn(|| wait_done(&LATER));
    LATER.notify_all();
    second.join().unwrap();
}
