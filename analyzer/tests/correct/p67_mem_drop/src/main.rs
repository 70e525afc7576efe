use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let m = Arc::new(Mutex::new(vec![1u32]));
    let m2 = Arc::clone(&m);
    let h = thread::spawn(move || {
        let g = m2.lock().unwrap();
        let first = g[0];
        std::mem::drop(g);
        m2.lock().unwrap().push(first + 1);
    });
    let g = m.lock().unwrap();
    let n = g.len();
    core::mem::drop(g);
    h.join().unwrap();
    println!("{} {}", n, m.lock().unwrap().len());
}
