//! The clean look-alike of `macro_abba.rs`: both threads take `A` then `B` through a macro
//! that takes both in one fixed order, in statement position, so the guards it binds live to the
//! end of the caller's block.
use racecheck::{Lock, Thread};

static A: Lock<u32> = Lock::new(0);
static B: Lock<u32> = Lock::new(0);

macro_rules! both {
    () => {
        let _first = A.acquire();
        let _second = B.acquire();
    };
}

fn main() {
    let t = Thread::spawn(|| {
        both!();
    });
    {
        both!();
    }
    t.join().unwrap();
}
