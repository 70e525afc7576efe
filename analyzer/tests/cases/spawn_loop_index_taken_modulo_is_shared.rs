//! `slots[k % 2]`: two instances of the loop take one element.
use std::sync::{Arc, Mutex};
use std::thread;
fn main() {
    let slots: Arc<Vec<Mutex<u64>>> = Arc::new((0..4).map(|_| Mutex::new(0)).collect());
    let mut hs = Vec::new();
    for k in 0..4 {
        let slots = Arc::clone(&slots);
        let i = k % 2;
        hs.push(thread::spawn(move || {
            let v = *slots[i].lock().unwrap();
            *slots[i].lock().unwrap() = v + 1; //~ R003
        }));
    }
    for h in hs { h.join().unwrap(); }
}
