//! `acquire_timeout(..).expect(..)` gives the guard itself: it is held to the end of the block,
//! so the read-modify-write is guarded in both threads.
use racecheck::{Lock, Shared, Thread};
use std::time::Duration;
static L: Lock<u64> = Lock::new(0);
static COUNTER: Shared<u64> = Shared::new(0);
fn bump() {
    let _g = L
        .acquire_timeout(Duration::from_millis(10))
        .expect("lock is free");
    COUNTER.set(COUNTER.get() + 1);
}
fn main() {
    let t = Thread::spawn(bump);
    bump();
    t.join().unwrap();
}
