//! Two traits share the name `Run`; the impl is of `quiet::Run`, whose default method takes no
//! lock. Which trait an impl names is not resolved, so neither default is guessed: `loud::Run`'s
//! (A then B) must not be walked for `Job`.
use racecheck::{Lock, Thread};
static A: Lock<u32> = Lock::new(0);
static B: Lock<u32> = Lock::new(0);
mod loud {
    pub trait Run {
        fn go(&self) {
            let _a = super::A.acquire();
            let _b = super::B.acquire();
        }
    }
}
mod quiet {
    pub trait Run {
        fn go(&self) {}
    }
}
struct Job;
impl quiet::Run for Job {}
fn main() {
    use quiet::Run;
    let t = Thread::spawn(|| Job.go());
    {
        let _b = B.acquire();
        let _a = A.acquire();
    }
    t.join().unwrap();
}
