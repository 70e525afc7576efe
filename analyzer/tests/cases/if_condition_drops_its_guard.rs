//! A plain `if` drops the temporaries of its condition before its body: `A` is not held when
//! `B` is taken, so the opposite order elsewhere is no inversion.
use racecheck::{Lock, Thread};

static A: Lock<Vec<u32>> = Lock::new(Vec::new());
static B: Lock<u32> = Lock::new(0);

fn bump_if_empty() {
    if A.acquire().is_empty() {
        *B.acquire() += 1;
    }
}

fn main() {
    let t = Thread::spawn(bump_if_empty);
    let _b = B.acquire();
    let _a = A.acquire();
    drop(_a);
    drop(_b);
    t.join().unwrap();
}
