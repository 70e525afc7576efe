//! A `loop` that re-checks and breaks is a predicate loop; an `if` is not.
use racecheck::{Condition, Lock, Thread};

static READY: Lock<bool> = Lock::new(false);
static CHANGED: Condition = Condition::new();

fn wait_in_loop() {
    let mut ready = READY.acquire();
    loop {
        if *ready {
            break;
        }
        ready = CHANGED.wait(ready);
    }
}

fn wait_once() {
    let mut ready = READY.acquire();
    if !*ready {
        ready = CHANGED.wait(ready); //~ L002
    }
    drop(ready);
}

fn main() {
    let a = Thread::spawn(wait_in_loop);
    let b = Thread::spawn(wait_once);
    *READY.acquire() = true;
    CHANGED.notify_all();
    a.join().unwrap();
    b.join().unwrap();
}
