//! A guard that leaves a `loop` only through `drop` + `break` is not held after it: `B` is taken
//! without `S`, so main's `B` then `S` is no inversion.
use racecheck::{Condition, Lock, Thread};
static S: Lock<bool> = Lock::new(false);
static B: Lock<u32> = Lock::new(0);
static CV: Condition = Condition::new();
fn waiter() {
    let mut state = S.acquire();
    loop {
        if *state {
            drop(state);
            break;
        }
        state = CV.wait(state);
    }
    *B.acquire() += 1;
}
fn main() {
    let t = Thread::spawn(waiter);
    {
        let _b = B.acquire();
        *S.acquire() = true;
    }
    CV.notify_all();
    t.join().unwrap();
}
