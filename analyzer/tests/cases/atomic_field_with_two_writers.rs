//! `main` also writes `tail` (a read-modify-write) while the producer runs: an update between the
//! producer's load and store is lost.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

pub struct Ring {
    tail: AtomicUsize,
}

impl Ring {
    fn push(&self) {
        let t = self.tail.load(Ordering::Relaxed);
        self.tail.store(t + 1, Ordering::Release); //~ R002
    }
}

fn main() {
    let r = Arc::new(Ring { tail: AtomicUsize::new(0) });
    let p = Arc::clone(&r);
    let producer = std::thread::spawn(move || p.push());
    r.tail.fetch_add(1, Ordering::AcqRel);
    producer.join().unwrap();
}
