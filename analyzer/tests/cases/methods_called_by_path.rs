//! Methods called by path are the same operations: `JoinHandle::join(t)` joins (no L001), and
//! `Lock::acquire(&A)` acquires (so taking `A` again is a double acquire).
use racecheck::{JoinHandle, Lock, Thread};

static A: Lock<u32> = Lock::new(0);

fn main() {
    let t = Thread::spawn(|| 1 + 1);
    let _ = JoinHandle::join(t);
    let _first = Lock::acquire(&A);
    let _second = A.acquire(); //~ D002
}
