//! An ABBA written through the crate's own macro: `take!(X)` expands to `X.acquire()`, so the
//! two threads take `A` and `B` in opposite orders. The finding points at the invocation.
use racecheck::{Lock, Thread};

static A: Lock<u32> = Lock::new(0);
static B: Lock<u32> = Lock::new(0);

macro_rules! take {
    ($lock:expr) => {
        $lock.acquire()
    };
}

fn forward() {
    let _a = take!(A);
    let _b = take!(B); //~ D001
}

fn main() {
    let t = Thread::spawn(forward);
    let _b = take!(B);
    let _a = take!(A);
    drop(_a);
    drop(_b);
    t.join().unwrap();
}
