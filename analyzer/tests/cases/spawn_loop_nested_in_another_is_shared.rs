//! A spawn loop inside a loop of rounds: two threads for each `slots[i]`.
use std::sync::{Arc, Mutex};
use std::thread;
fn main() {
    let slots: Arc<Vec<Mutex<u64>>> = Arc::new((0..4).map(|_| Mutex::new(0)).collect());
    let mut hs = Vec::new();
    for _round in 0..2 {
        for i in 0..4 {
            let slots = Arc::clone(&slots);
            hs.push(thread::spawn(move || {
                let v = *slots[i].lock().unwrap();
                *slots[i].lock().unwrap() = v + 1; //~ R003
            }));
        }
    }
    for h in hs { h.join().unwrap(); }
}
