//! A function of the crate named `drop` (not `std::mem::drop`) may write through the guard it
//! takes.
use std::sync::{Arc, Mutex, MutexGuard};
use std::cell::{Cell, RefCell};
use std::thread;
#[allow(unused)]
mod my { use std::sync::MutexGuard; pub fn drop(mut g: MutexGuard<u64>) { *g += 1; } }
fn main() {
    let m: Arc<Mutex<u64>> = Arc::new(Mutex::new(0));
    let m2 = Arc::clone(&m);
    let t = thread::spawn(move || {
        let g = m2.lock().unwrap();
        my::drop(g);
    });
    let v = *m.lock().unwrap();
    *m.lock().unwrap() = v + 1; //~ R003
    t.join().unwrap();
}
