//! A guard returned by a helper stays held in the caller: `lock_a()` then `B` is an edge A → B.
//! The primary span is the inner acquisition first in the file: `A`'s, inside the helper.
use racecheck::{Lock, LockGuard, Thread};

static A: Lock = Lock::new(());
static B: Lock = Lock::new(());

fn lock_a() -> LockGuard<'static, ()> {
    A.acquire() //~ D001
}

fn forward() {
    let _a = lock_a();
    let _b = B.acquire();
}

fn main() {
    let t = Thread::new(forward).name("forward").start();
    {
        let _b = B.acquire();
        let _a = lock_a();
    }
    t.join().unwrap();
}
