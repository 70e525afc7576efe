//! A guard dropped in one arm of a `match` (and kept in the other) may still be held after it;
//! one dropped in an arm that returns is held by every arm that goes on. Either way `A` can be
//! held when `B` (or `C`) is taken, and main takes them the other way round.
use racecheck::{Lock, Thread};

static A: Lock<u32> = Lock::new(0);
static B: Lock<u32> = Lock::new(0);
static C: Lock<u32> = Lock::new(0);

fn sometimes() {
    let a = A.acquire();
    match *a {
        0 => drop(a),
        _ => {}
    }
    let _b = B.acquire(); //~ D001
}

fn unless_zero() {
    let a = A.acquire();
    match *a {
        0 => {
            drop(a);
            return;
        }
        _ => {}
    }
    *C.acquire() += 1; //~ D001
}

fn main() {
    let t = Thread::spawn(sometimes);
    let u = Thread::spawn(unless_zero);
    {
        let _b = B.acquire();
        let _a = A.acquire();
    }
    {
        let _c = C.acquire();
        let _a = A.acquire();
    }
    t.join().unwrap();
    u.join().unwrap();
}
