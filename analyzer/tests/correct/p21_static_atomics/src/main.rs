use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::thread;

static HITS: AtomicU64 = AtomicU64::new(0);
static MAX: AtomicUsize = AtomicUsize::new(0);
static NEXT_ID: AtomicUsize = AtomicUsize::new(1);

fn record(len: usize) {
    HITS.fetch_add(1, Ordering::Relaxed);
    let mut cur = MAX.load(Ordering::Relaxed);
    while len > cur {
        match MAX.compare_exchange_weak(cur, len, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => break,
            Err(actual) => cur = actual,
        }
    }
}

fn main() {
    let hs: Vec<_> = (0..4)
        .map(|_| {
            thread::spawn(|| {
                let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
                for i in 0..100 {
                    record(i * id);
                }
                id
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    println!("{} {}", HITS.load(Ordering::Relaxed), MAX.load(Ordering::Relaxed));
}
