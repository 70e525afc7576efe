//! Arguments bound to parameters: `transfer(x, y)` and `transfer(y, x)` from two threads is an
//! ABBA; the same calls in one thread, or ordered by a join, are not.
use racecheck::{Lock, Thread};
use std::sync::Arc;

fn transfer(from: &Lock<u64>, to: &Lock<u64>) {
    let _a = from.acquire();
    let _b = to.acquire(); //~ D001
}

fn main() {
    let x = Arc::new(Lock::new(1));
    let y = Arc::new(Lock::new(2));
    let (x2, y2) = (Arc::clone(&x), Arc::clone(&y));
    let t = Thread::new(move || transfer(&x2, &y2)).name("worker").start();
    transfer(&y, &x);
    t.join().unwrap();
}
