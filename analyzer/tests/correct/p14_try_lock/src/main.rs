use std::sync::{Arc, Mutex, TryLockError};
use std::thread;

fn main() {
    let a = Arc::new(Mutex::new(0u32));
    let b = Arc::new(Mutex::new(0u32));
    let (a1, b1) = (a.clone(), b.clone());
    let t1 = thread::spawn(move || {
        for _ in 0..1000 {
            let mut ga = a1.lock().unwrap();
            *ga += 1;
            let mut gb = b1.lock().unwrap();
            *gb += 1;
        }
    });
    let (a2, b2) = (a.clone(), b.clone());
    let t2 = thread::spawn(move || {
        let mut done = 0;
        while done < 1000 {
            let mut gb = b2.lock().unwrap();
            match a2.try_lock() {
                Ok(mut ga) => {
                    *ga += 1;
                    *gb += 1;
                    done += 1;
                }
                Err(TryLockError::WouldBlock) => {
                    drop(gb);
                    thread::yield_now();
                }
                Err(TryLockError::Poisoned(e)) => panic!("{}", e),
            }
        }
    });
    t1.join().unwrap();
    t2.join().unwrap();
    println!("{} {}", a.lock().unwrap(), b.lock().unwrap());
}
