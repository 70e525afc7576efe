use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let m = Arc::new(Mutex::new(0u32));
    let m2 = Arc::clone(&m);
    let h = thread::spawn(move || {
        for _ in 0..100 {
            let mut held = Some(m2.lock().unwrap());
            if let Some(g) = held.as_mut() {
                **g += 1;
            }
            held.take();
            let v = *m2.lock().unwrap();
            assert!(v > 0);
        }
    });
    for _ in 0..100 {
        *m.lock().unwrap() += 1;
    }
    h.join().unwrap();
    println!("{}", m.lock().unwrap());
}
