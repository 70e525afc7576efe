use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

struct Metrics {
    write_lock: Mutex<()>,
    peak: AtomicU64,
    current: AtomicU64,
}

impl Metrics {
    // writers serialize on write_lock; readers read the atomics lock-free
    fn add(&self, n: u64) {
        let _g = self.write_lock.lock().unwrap();
        let cur = self.current.load(Ordering::Relaxed) + n;
        self.current.store(cur, Ordering::Release);
        if cur > self.peak.load(Ordering::Relaxed) {
            self.peak.store(cur, Ordering::Release);
        }
    }
    fn sub(&self, n: u64) {
        let _g = self.write_lock.lock().unwrap();
        let cur = self.current.load(Ordering::Relaxed);
        self.current.store(cur - n, Ordering::Release);
    }
}

fn main() {
    let m = Arc::new(Metrics { write_lock: Mutex::new(()), peak: AtomicU64::new(0), current: AtomicU64::new(0) });
    let hs: Vec<_> = (0..4)
        .map(|_| {
            let m = Arc::clone(&m);
            thread::spawn(move || {
                for i in 1..100 {
                    m.add(i);
                    let _ = m.peak.load(Ordering::Acquire);
                    m.sub(i);
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    println!("{} {}", m.current.load(Ordering::Acquire), m.peak.load(Ordering::Acquire));
}
