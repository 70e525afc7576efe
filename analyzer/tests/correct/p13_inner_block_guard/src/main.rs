use std::sync::{Arc, Barrier, Mutex};
use std::thread;

fn main() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let barrier = Arc::new(Barrier::new(3));
    let hs: Vec<_> = (0..3)
        .map(|i| {
            let log = Arc::clone(&log);
            let b = Arc::clone(&barrier);
            thread::spawn(move || {
                {
                    let mut g = log.lock().unwrap();
                    g.push(format!("start {}", i));
                }
                b.wait();
                {
                    log.lock().unwrap().push(format!("end {}", i));
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    println!("{}", log.lock().unwrap().len());
}
