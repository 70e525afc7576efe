//! A method of the crate named like a reading one of std (`len`) that takes `&mut self` writes.
use std::sync::{Arc, Mutex, MutexGuard};
use std::cell::{Cell, RefCell};
use std::thread;
#[allow(unused)]
struct C { n: u64 }
impl C { fn len(&mut self) -> u64 { self.n += 1; self.n } }
fn main() {
    let m: Arc<Mutex<C>> = Arc::new(Mutex::new(C { n: 0 }));
    let m2 = Arc::clone(&m);
    let t = thread::spawn(move || {
        let _ = m2.lock().unwrap().len();
    });
    let v = m.lock().unwrap().n;
    m.lock().unwrap().n = v + 1; //~ R003
    t.join().unwrap();
}
