use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::thread;

fn main() {
    let score = Arc::new(AtomicU64::new(0));
    let table = Arc::new(RwLock::new(vec![1u64, 2, 3]));
    // setup before threads: read, then write back derived value
    let first = table.read().unwrap()[0];
    table.write().unwrap().push(first * 10);
    let hs: Vec<_> = (0..4)
        .map(|_| {
            let s = Arc::clone(&score);
            let t = Arc::clone(&table);
            thread::spawn(move || {
                let sum: u64 = t.read().unwrap().iter().sum();
                s.fetch_add(sum, Ordering::Relaxed);
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    // all workers joined: normalise
    let raw = score.load(Ordering::Relaxed);
    score.store(raw / 4, Ordering::Relaxed);
    println!("{}", score.load(Ordering::Relaxed));
}
