use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::thread;

fn main() {
    let data: Vec<u64> = (0..10_000).collect();
    let total = AtomicU64::new(0);
    let maxes = Mutex::new(Vec::new());
    thread::scope(|s| {
        for chunk in data.chunks(1000) {
            let total = &total;
            let maxes = &maxes;
            s.spawn(move || {
                let sum: u64 = chunk.iter().sum();
                total.fetch_add(sum, Ordering::Relaxed);
                let m = *chunk.iter().max().unwrap();
                maxes.lock().unwrap().push(m);
            });
        }
    });
    let mut out = vec![0u64; 4];
    thread::scope(|s| {
        for (i, slot) in out.iter_mut().enumerate() {
            let data = &data;
            s.spawn(move || {
                *slot = data.iter().filter(|&&x| x % 4 == i as u64).count() as u64;
            });
        }
    });
    println!("{} {:?} {:?}", total.load(Ordering::Relaxed), maxes.into_inner().unwrap().len(), out);
}
