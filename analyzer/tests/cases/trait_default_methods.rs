//! A trait's default method holds a lock while it calls the implementor's method, which takes
//! another: the default body runs with `Self` the implementor, so the nesting is seen.
use racecheck::{Lock, Thread};
static A: Lock<u32> = Lock::new(0);
static B: Lock<u32> = Lock::new(0);
trait Job {
    fn step(&self);
    fn run(&self) {
        let _a = A.acquire();
        self.step();
    }
}
struct Copy;
impl Job for Copy {
    fn step(&self) {
        *B.acquire() += 1; //~ D001
    }
}
fn main() {
    let t = Thread::spawn(|| Copy.run());
    {
        let _b = B.acquire();
        let _a = A.acquire();
    }
    t.join().unwrap();
}
