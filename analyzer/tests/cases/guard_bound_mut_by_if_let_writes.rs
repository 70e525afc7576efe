//! `if let Ok(mut g) = m.lock()` binds the guard to write through it: that thread can come between
//! `main`'s read and write-back.
use std::sync::{Arc, Mutex, MutexGuard};
use std::cell::{Cell, RefCell};
use std::thread;
#[allow(unused)]

fn main() {
    let m: Arc<Mutex<u64>> = Arc::new(Mutex::new(0));
    let m2 = Arc::clone(&m);
    let t = thread::spawn(move || {
        if let Ok(mut g) = m2.lock() { *g += 1; }
    });
    let v = *m.lock().unwrap();
    *m.lock().unwrap() = v + 1; //~ R003
    t.join().unwrap();
}
