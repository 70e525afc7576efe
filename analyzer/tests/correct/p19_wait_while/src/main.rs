use std::sync::{Arc, Condvar, Mutex};
use std::thread;

fn main() {
    let pair = Arc::new((Mutex::new(Vec::<u32>::new()), Condvar::new()));
    let p2 = Arc::clone(&pair);
    let prod = thread::spawn(move || {
        for i in 0..10 {
            let (m, cv) = &*p2;
            m.lock().unwrap().push(i);
            cv.notify_one();
        }
    });
    let (m, cv) = &*pair;
    let mut got = 0;
    while got < 10 {
        let mut g = cv.wait_while(m.lock().unwrap(), |v| v.is_empty()).unwrap();
        got += g.drain(..).count();
    }
    prod.join().unwrap();
    println!("{}", got);
}
