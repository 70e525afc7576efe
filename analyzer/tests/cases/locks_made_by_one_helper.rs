//! A helper that makes a lock, called twice, makes two locks: holding both is no double acquire.
//! Holding one of them twice is.
use racecheck::Lock;
use std::sync::Arc;

fn counter() -> Arc<Lock<u64>> {
    Arc::new(Lock::new(0))
}

fn main() {
    let hits = counter();
    let misses = counter();
    let mut h = hits.acquire();
    let mut m = misses.acquire();
    *h += 1;
    *m += 1;
    let _again = hits.acquire(); //~ D002
}
