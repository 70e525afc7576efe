//! A generic helper re-entered from the closure it was given: the inner call nests inside the
//! outer one, so each thread holds one lock while taking the other.
use racecheck::{Lock, Thread};
static A: Lock<u32> = Lock::new(0);
static B: Lock<u32> = Lock::new(0);
fn with<T, R>(lock: &Lock<T>, f: impl FnOnce(&mut T) -> R) -> R {
    let mut g = lock.acquire(); //~ D001
    f(&mut g)
}
fn main() {
    let t = Thread::spawn(|| with(&A, |a| with(&B, |b| *b += *a)));
    with(&B, |b| with(&A, |a| *a += *b));
    t.join().unwrap();
}
