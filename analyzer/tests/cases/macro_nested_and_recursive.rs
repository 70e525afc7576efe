//! Macros that invoke macros: `outer!` expands to `inner!`, and `each!` recurses over its
//! arguments (a tt muncher), defined in a module marked `#[macro_use]` and used after it. The
//! thread takes `A` then `B` through them, `main` `B` then `A`.
use racecheck::{Lock, Thread};

static A: Lock<u32> = Lock::new(0);
static B: Lock<u32> = Lock::new(0);

#[macro_use]
mod helpers {
    macro_rules! inner {
        ($l:path) => {
            $l.acquire()
        };
    }
    macro_rules! outer {
        ($l:path) => {
            inner!($l)
        };
    }
    macro_rules! each {
        () => {};
        ($first:ident $(, $rest:ident)*) => {
            let _guard = outer!($first);
            each!($($rest),*);
        };
    }
}

fn main() {
    let t = Thread::spawn(|| {
        each!(A, B); //~ D001
    });
    let _b = outer!(B);
    let _a = outer!(A);
    drop((_a, _b));
    t.join().unwrap();
}
