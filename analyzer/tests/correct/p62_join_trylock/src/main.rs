use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let progress = Arc::new(Mutex::new(0u32));
    let p2 = Arc::clone(&progress);
    let worker = thread::spawn(move || {
        let mut done = 0;
        for i in 0..1000u32 {
            done += i % 7;
            // best-effort progress reporting: never blocks
            if let Ok(mut p) = p2.try_lock() {
                *p = i;
            }
        }
        done
    });
    let g = progress.lock().unwrap();
    let seen = *g;
    let r = worker.join().unwrap();
    drop(g);
    println!("{} {}", seen, r);
}
