use std::sync::{Arc, Condvar, Mutex};
use std::thread;

struct Server {
    config: Mutex<String>,
    ready: Mutex<bool>,
    cv: Condvar,
    hits: Mutex<u32>,
}

fn main() {
    let s = Arc::new(Server { config: Mutex::new("cfg".into()), ready: Mutex::new(false), cv: Condvar::new(), hits: Mutex::new(0) });
    let s2 = s.clone();
    let starter = thread::spawn(move || {
        *s2.hits.lock().unwrap() += 1;
        *s2.ready.lock().unwrap() = true;
        s2.cv.notify_all();
    });
    // main holds the config (which the starter never touches) while waiting for readiness
    let cfg = s.config.lock().unwrap();
    let mut r = s.ready.lock().unwrap();
    while !*r {
        r = s.cv.wait(r).unwrap();
    }
    drop(r);
    println!("{} {}", cfg, s.hits.lock().unwrap());
    drop(cfg);
    starter.join().unwrap();
}
