use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::Duration;

fn main() {
    let state = Arc::new((Mutex::new(0u32), Condvar::new()));
    let s2 = Arc::clone(&state);
    let h = thread::spawn(move || {
        for _ in 0..5 {
            let (m, cv) = &*s2;
            *m.lock().unwrap() += 1;
            cv.notify_all();
            thread::sleep(Duration::from_millis(2));
        }
    });
    let (m, cv) = &*state;
    let g = m.lock().unwrap();
    let (g, _res) = cv.wait_timeout_while(g, Duration::from_secs(5), |n| *n < 5).unwrap();
    let v = *g;
    drop(g);
    h.join().unwrap();
    println!("{}", v);
}
