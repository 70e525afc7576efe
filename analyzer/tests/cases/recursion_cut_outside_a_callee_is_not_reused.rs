//! A function walked inside a recursion, where its call back into the recursion was cut, looks
//! inert there; called from outside the recursion it takes a lock, and is walked again.
use racecheck::{Lock, Thread};

static A: Lock<u32> = Lock::new(0);
static B: Lock<u32> = Lock::new(0);

fn visit(depth: u32) {
    let _b = B.acquire(); //~ D001
    drop(_b);
    if depth > 0 {
        descend(depth - 1);
    }
}

fn descend(depth: u32) {
    visit(depth)
}

fn main() {
    visit(1);
    let t = Thread::spawn(|| {
        let _b = B.acquire();
        let _a = A.acquire();
    });
    let _a = A.acquire();
    descend(0);
    drop(_a);
    t.join().unwrap();
}
