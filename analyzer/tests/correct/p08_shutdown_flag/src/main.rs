use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

fn main() {
    let stop = Arc::new(AtomicBool::new(false));
    let ticks = Arc::new(AtomicUsize::new(0));
    let hs: Vec<_> = (0..3)
        .map(|_| {
            let stop = Arc::clone(&stop);
            let ticks = Arc::clone(&ticks);
            thread::spawn(move || {
                while !stop.load(Ordering::Acquire) {
                    ticks.fetch_add(1, Ordering::Relaxed);
                    thread::sleep(Duration::from_millis(1));
                }
            })
        })
        .collect();
    thread::sleep(Duration::from_millis(50));
    stop.store(true, Ordering::Release);
    for h in hs {
        h.join().unwrap();
    }
    println!("{}", ticks.load(Ordering::Relaxed));
}
