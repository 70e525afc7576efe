//! racecheck's `Condition` binds to the lock of its first wait and panics on another (L003); a
//! condition per lock is clean.
use racecheck::{Condition, Lock, Thread};

static JOBS: Lock<u32> = Lock::new(0);
static DONE: Lock<bool> = Lock::new(false);
static CHANGED: Condition = Condition::new();
static JOBS_CHANGED: Condition = Condition::new();
static DONE_CHANGED: Condition = Condition::new();

fn shared_condition() {
    let mut jobs = JOBS.acquire();
    while *jobs == 0 {
        jobs = CHANGED.wait(jobs);
    }
    drop(jobs);
    let mut done = DONE.acquire();
    while !*done {
        done = CHANGED.wait(done); //~ L003
    }
}

fn one_condition_per_lock() {
    let mut jobs = JOBS.acquire();
    while *jobs == 0 {
        jobs = JOBS_CHANGED.wait(jobs);
    }
    drop(jobs);
    let mut done = DONE.acquire();
    while !*done {
        done = DONE_CHANGED.wait(done);
    }
}

fn main() {
    let t = Thread::spawn(shared_condition);
    let u = Thread::spawn(one_condition_per_lock);
    *JOBS.acquire() = 1;
    *DONE.acquire() = true;
    CHANGED.notify_all();
    JOBS_CHANGED.notify_all();
    DONE_CHANGED.notify_all();
    t.join().unwrap();
    u.join().unwrap();
}
