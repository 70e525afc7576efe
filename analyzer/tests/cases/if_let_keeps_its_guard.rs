//! Edition 2021: the temporaries of an `if let` scrutinee live through its body, so the guard of
//! `A` is still held when `B` is taken; another thread takes them the other way round.
use racecheck::{Lock, Thread};

static A: Lock<Vec<u32>> = Lock::new(Vec::new());
static B: Lock<u32> = Lock::new(0);

fn copy_first() {
    if let Some(first) = A.acquire().first().copied() {
        *B.acquire() = first; //~ D001
    }
}

fn main() {
    let t = Thread::spawn(copy_first);
    let _b = B.acquire();
    let _a = A.acquire();
    drop(_a);
    drop(_b);
    t.join().unwrap();
}
