//! A spawned closure sees the bindings made before it: `l` rebound after the spawn is another
//! binding. The thread takes `lock` then `other` (no double acquire), main the other way round.
use racecheck::{Lock, Thread};
use std::sync::Arc;
fn main() {
    let lock = Arc::new(Lock::new(0));
    let other = Arc::new(Lock::new(0));
    let l = lock.clone();
    let o = other.clone();
    let t = Thread::spawn(move || {
        let _a = l.acquire();
        let _b = o.acquire(); //~ D001
    });
    let l = other.clone();
    let _b = l.acquire();
    let _a = lock.acquire();
    drop(_a);
    drop(_b);
    t.join().unwrap();
}
