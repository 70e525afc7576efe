//! A shared borrow of the guarded `Cell` is written through (`c.set(…)`).
use std::sync::{Arc, Mutex, MutexGuard};
use std::cell::{Cell, RefCell};
use std::thread;
#[allow(unused)]

fn main() {
    let m: Arc<Mutex<Cell<u64>>> = Arc::new(Mutex::new(Cell::new(0)));
    let m2 = Arc::clone(&m);
    let t = thread::spawn(move || {
        let g = m2.lock().unwrap();
        let c = &*g;
        c.set(c.get() + 1);
    });
    let v = m.lock().unwrap().get();
    m.lock().unwrap().set(v + 1); //~ R003
    t.join().unwrap();
}
