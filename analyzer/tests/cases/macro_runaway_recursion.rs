//! A macro that expands to itself forever stops at the depth bound (left unexpanded there, and
//! the crate's run note says so); what comes after it is still analyzed.
use racecheck::{Lock, Thread};

static A: Lock<u32> = Lock::new(0);
static B: Lock<u32> = Lock::new(0);

macro_rules! forever {
    ($($t:tt)*) => {
        forever!($($t)* x)
    };
}

fn main() {
    let _never = forever!(start);
    let t = Thread::spawn(|| {
        let _a = A.acquire();
        let _b = B.acquire(); //~ D001
    });
    let _b = B.acquire();
    let _a = A.acquire();
    drop((_a, _b));
    t.join().unwrap();
}
