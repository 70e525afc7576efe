//! A guard moved into a call inside `println!` is written by the callee.
use std::sync::{Arc, Mutex, MutexGuard};
use std::cell::{Cell, RefCell};
use std::thread;
#[allow(unused)]
fn bump(mut g: MutexGuard<u64>) -> u64 { *g += 1; *g }
fn main() {
    let m: Arc<Mutex<u64>> = Arc::new(Mutex::new(0));
    let m2 = Arc::clone(&m);
    let t = thread::spawn(move || {
        let g = m2.lock().unwrap();
        println!("{}", bump(g));
    });
    let v = *m.lock().unwrap();
    *m.lock().unwrap() = v + 1; //~ R003
    t.join().unwrap();
}
