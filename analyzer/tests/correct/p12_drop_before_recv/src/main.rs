use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;

struct Stats {
    seen: u64,
}

fn main() {
    let stats = Arc::new(Mutex::new(Stats { seen: 0 }));
    let (tx, rx) = mpsc::channel();
    let s2 = Arc::clone(&stats);
    let h = thread::spawn(move || {
        for i in 0..5u64 {
            let mut g = s2.lock().unwrap();
            g.seen += i;
            let snapshot = g.seen;
            drop(g);
            tx.send(snapshot).unwrap();
        }
    });
    for _ in 0..5 {
        let g = stats.lock().unwrap();
        let cur = g.seen;
        drop(g);
        let v = rx.recv().unwrap();
        println!("{} {}", cur, v);
    }
    h.join().unwrap();
}
