use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;

struct Batch<'a> {
    guard: Option<MutexGuard<'a, Vec<u32>>>,
}

fn main() {
    let store = Arc::new(Mutex::new(Vec::new()));
    let s2 = Arc::clone(&store);
    let h = thread::spawn(move || {
        for i in 0..50 {
            let mut b = Batch { guard: Some(s2.lock().unwrap()) };
            b.guard.as_mut().unwrap().push(i);
            b.guard = None;
            let n = s2.lock().unwrap().len();
            assert!(n > 0);
        }
    });
    for i in 0..50 {
        store.lock().unwrap().push(i);
    }
    h.join().unwrap();
    println!("{}", store.lock().unwrap().len());
}
