use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let state = Arc::new(Mutex::new(Vec::<u32>::new()));
    let s2 = Arc::clone(&state);
    let g = state.lock().unwrap();
    let h = thread::spawn(move || {
        for i in 0..10 {
            s2.lock().unwrap().push(i);
        }
    });
    let before = g.len();
    drop(g);
    h.join().unwrap();
    let after = state.lock().unwrap().len();
    println!("{} {}", before, after);
}
