//! A guard dropped only on a path that leaves (`return`, a `let … else`) is still held on the
//! path that goes on: the read-modify-writes after them are guarded, in both threads.
use racecheck::{Lock, Shared, Thread};

static L: Lock<Option<u64>> = Lock::new(Some(1));
static COUNTER: Shared<u64> = Shared::new(0);

fn bump() {
    let g = L.acquire();
    if g.is_none() {
        drop(g);
        return;
    }
    COUNTER.set(COUNTER.get() + 1);
}

fn step() {
    let g = L.acquire();
    let Some(step) = *g else {
        drop(g);
        return;
    };
    COUNTER.set(COUNTER.get() + step);
}

fn main() {
    let t = Thread::spawn(bump);
    let u = Thread::spawn(step);
    bump();
    step();
    t.join().unwrap();
    u.join().unwrap();
}
