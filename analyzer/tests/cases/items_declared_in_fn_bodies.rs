//! Statics and helper fns declared inside a function body are items of the crate too: the
//! thread's helper takes `A` then `B`, main takes them the other way round. A name declared in
//! two bodies (`worker` below) is left alone rather than guessed.
use racecheck::{Lock, Thread};

fn main() {
    static A: Lock<u32> = Lock::new(0);
    static B: Lock<u32> = Lock::new(0);
    fn forward() {
        let _a = A.acquire();
        let _b = B.acquire(); //~ D001
    }
    let t = Thread::spawn(forward);
    {
        let _b = B.acquire();
        let _a = A.acquire();
    }
    t.join().unwrap();
    first();
    second();
}

fn first() {
    fn worker() {}
    let t = Thread::spawn(worker);
    t.join().unwrap();
}

fn second() {
    fn worker() -> u32 {
        1
    }
    let t = Thread::spawn(worker);
    t.join().unwrap();
}
