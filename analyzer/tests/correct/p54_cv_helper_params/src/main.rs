use std::sync::{Arc, Condvar, Mutex};
use std::thread;

fn wait_until_at_least(m: &Mutex<u32>, cv: &Condvar, target: u32) -> u32 {
    let mut g = m.lock().unwrap();
    while *g < target {
        g = cv.wait(g).unwrap();
    }
    *g
}

fn bump(m: &Mutex<u32>, cv: &Condvar) {
    *m.lock().unwrap() += 1;
    cv.notify_all();
}

fn main() {
    let jobs = Arc::new((Mutex::new(0u32), Condvar::new()));
    let acks = Arc::new((Mutex::new(0u32), Condvar::new()));
    let (j, a) = (jobs.clone(), acks.clone());
    let worker = thread::spawn(move || {
        for i in 1..=5 {
            wait_until_at_least(&j.0, &j.1, i);
            bump(&a.0, &a.1);
        }
    });
    for i in 1..=5 {
        bump(&jobs.0, &jobs.1);
        wait_until_at_least(&acks.0, &acks.1, i);
    }
    worker.join().unwrap();
    println!("done");
}
