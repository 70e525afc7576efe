//! A guard lent to a helper (`&g`) stays with the caller: the update after the call is still
//! guarded, in both threads.
use racecheck::{Lock, LockGuard, Shared, Thread};
static L: Lock<u64> = Lock::new(0);
static COUNTER: Shared<u64> = Shared::new(0);
fn log(g: &LockGuard<'_, u64>) {
    println!("{}", **g);
}
fn bump() {
    let g = L.acquire();
    log(&g);
    COUNTER.set(COUNTER.get() + 1);
}
fn main() {
    let t = Thread::spawn(bump);
    bump();
    t.join().unwrap();
}
