//! A `&mut self` method's load-then-store of its own atomic cannot race: nothing else reaches
//! `self` while it runs. The same update in a `&self` method, called from two threads, can.
use racecheck::Thread;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

struct Stats {
    seen: AtomicU64,
}

impl Stats {
    fn advance(&mut self) {
        let v = self.seen.load(Ordering::Relaxed);
        self.seen.store(v + 1, Ordering::Relaxed);
    }

    fn bump(&self) {
        let v = self.seen.load(Ordering::Relaxed);
        self.seen.store(v + 1, Ordering::Relaxed); //~ R002
    }
}

fn main() {
    let mut own = Stats {
        seen: AtomicU64::new(0),
    };
    own.advance();
    let shared = Arc::new(Stats {
        seen: AtomicU64::new(0),
    });
    let s = shared.clone();
    let t = Thread::spawn(move || s.bump());
    shared.bump();
    t.join().unwrap();
}
