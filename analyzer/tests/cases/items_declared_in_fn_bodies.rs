//! Statics, helper fns and structs declared inside a function body are items of that body: the
//! thread's helper takes `A` then `B`, main takes them the other way round. The same name
//! declared in two bodies (`worker`, `Pair` below) is two items: `first`'s `Pair` is taken in
//! both orders, `second`'s (another type of the same name) in one.
use racecheck::{Lock, Thread};
use std::sync::Arc;

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
    struct Pair {
        a: Lock<u32>,
        b: Lock<u32>,
    }
    fn worker() {}
    let t = Thread::spawn(worker);
    t.join().unwrap();
    let pair = Arc::new(Pair {
        a: Lock::new(0),
        b: Lock::new(0),
    });
    let theirs = Arc::clone(&pair);
    let t = Thread::spawn(move || {
        let _a = theirs.a.acquire();
        let _b = theirs.b.acquire(); //~ D001
    });
    {
        let _b = pair.b.acquire();
        let _a = pair.a.acquire();
    }
    t.join().unwrap();
}

fn second() {
    struct Pair {
        first: Lock<u32>,
        second: Lock<u32>,
    }
    fn worker() -> u32 {
        1
    }
    let t = Thread::spawn(worker);
    t.join().unwrap();
    let pair = Arc::new(Pair {
        first: Lock::new(0),
        second: Lock::new(0),
    });
    let theirs = Arc::clone(&pair);
    let t = Thread::spawn(move || {
        let _first = theirs.first.acquire();
        let _second = theirs.second.acquire();
    });
    {
        let _first = pair.first.acquire();
        let _second = pair.second.acquire();
    }
    t.join().unwrap();
}
