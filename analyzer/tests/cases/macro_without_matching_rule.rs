//! An invocation no rule of the macro matches is left as written (rustc would refuse it; the
//! analysis goes on): its arguments are read as expressions, which take no lock, and the other
//! invocations still expand.
use racecheck::{Lock, Thread};

static A: Lock<u32> = Lock::new(0);
static B: Lock<u32> = Lock::new(0);

macro_rules! take {
    ($lock:ident) => {
        $lock.acquire()
    };
}

fn main() {
    let t = Thread::spawn(|| {
        let _a = take!(A);
        let _b = take!(B); //~ D001
    });
    let _b = take!(B);
    let _a = take!(A);
    let _none = take!(A, B, "no rule takes three");
    drop((_a, _b));
    t.join().unwrap();
}
