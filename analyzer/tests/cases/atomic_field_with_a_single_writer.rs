//! The producer is the only thread that writes `tail`, and runs once: its load-then-store loses
//! nothing. `main` only reads `tail`.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

pub struct Ring {
    tail: AtomicUsize,
}

impl Ring {
    fn push(&self) {
        let t = self.tail.load(Ordering::Relaxed);
        self.tail.store(t + 1, Ordering::Release);
    }
}

fn main() {
    let r = Arc::new(Ring { tail: AtomicUsize::new(0) });
    let p = Arc::clone(&r);
    let producer = std::thread::spawn(move || p.push());
    let _ = r.tail.load(Ordering::Acquire);
    producer.join().unwrap();
}
