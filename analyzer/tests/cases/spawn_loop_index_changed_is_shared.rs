//! `j /= 4` changes the index derived from the loop variable: every instance takes `slots[0]`.
use std::sync::{Arc, Mutex};
use std::thread;
fn main() {
    let slots: Arc<Vec<Mutex<u64>>> = Arc::new((0..4).map(|_| Mutex::new(0)).collect());
    let mut hs = Vec::new();
    for i in 0..4 {
        let slots = Arc::clone(&slots);
        let mut j = i;
        j /= 4;
        hs.push(thread::spawn(move || {
            let v = *slots[j].lock().unwrap();
            *slots[j].lock().unwrap() = v + 1; //~ R003
        }));
    }
    for h in hs { h.join().unwrap(); }
}
