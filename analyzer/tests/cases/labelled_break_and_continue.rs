//! Labelled `break 'outer` and `continue 'outer` leave every scope and loop up to their target;
//! `break 'label value` hands its value (a guard too) out of a labelled block; a `loop` only left
//! by an outer `continue` reaches nothing after it.
use racecheck::{JoinableQueue, Lock, Thread};

static JOBS: JoinableQueue<Vec<u32>> = JoinableQueue::new();
static CHECKED: JoinableQueue<Vec<u32>> = JoinableQueue::new();
static ACCOUNT_A: Lock<u32> = Lock::new(0);
static ACCOUNT_B: Lock<u32> = Lock::new(0);
static FEES: Lock<u32> = Lock::new(0);
static SCRATCH: Lock<u32> = Lock::new(0);
static LOG: Lock<u32> = Lock::new(0);

/// `continue 'jobs` from the inner loop skips the outer body's `task_done`.
fn worker() {
    'jobs: loop {
        let batch = JOBS.get();
        for item in &batch {
            if *item == 0 {
                continue 'jobs;
            }
        }
        JOBS.task_done();
    }
}

/// A plain `continue` only ends the inner loop's iteration: `task_done` runs on every path.
fn checker() {
    loop {
        let batch = CHECKED.get();
        for item in &batch {
            if *item == 0 {
                continue;
            }
        }
        CHECKED.task_done();
    }
}

/// The guard `break 'pick` hands out is held after the block: `FEES` is taken under it.
fn pick_then_fees(prefer_a: bool) {
    let account = 'pick: {
        if prefer_a {
            break 'pick ACCOUNT_A.acquire();
        }
        ACCOUNT_B.acquire()
    };
    let _fees = FEES.acquire(); //~ D001
    drop(account);
}

fn fees_then_a() {
    let _fees = FEES.acquire();
    let _a = ACCOUNT_A.acquire();
}

/// The inner `loop` is left only by `continue 'retry`: nothing after it runs, so `LOG` is never
/// taken under `SCRATCH`.
fn retry(attempts: u32) {
    'retry: for attempt in 0..attempts {
        let _scratch = SCRATCH.acquire();
        loop {
            if attempt > 0 {
                continue 'retry;
            }
        }
        #[allow(unreachable_code)]
        let _log = LOG.acquire();
    }
}

fn log_then_scratch() {
    let _log = LOG.acquire();
    let _scratch = SCRATCH.acquire();
}

fn main() {
    let w = Thread::spawn(worker);
    let c = Thread::spawn(checker);
    JOBS.put(vec![1, 0]);
    JOBS.join(); //~ D004
    CHECKED.put(vec![1, 0]);
    CHECKED.join();
    let a = Thread::spawn(|| pick_then_fees(true));
    let b = Thread::spawn(fees_then_a);
    let r = Thread::spawn(|| retry(2));
    let l = Thread::spawn(log_then_scratch);
    for t in [w, c, a, b, r, l] {
        t.join().unwrap();
    }
}
