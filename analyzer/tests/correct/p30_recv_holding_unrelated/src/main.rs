use std::sync::mpsc::channel;
use std::sync::{Arc, Mutex};
use std::thread;

struct Session {
    log: Mutex<Vec<String>>,
    stats: Mutex<u64>,
}

fn main() {
    let sess = Arc::new(Session { log: Mutex::new(Vec::new()), stats: Mutex::new(0) });
    let (tx, rx) = channel::<u64>();
    let s2 = Arc::clone(&sess);
    let producer = thread::spawn(move || {
        for i in 0..10 {
            *s2.stats.lock().unwrap() += i;
            tx.send(i).unwrap();
        }
    });
    // main owns the log: holds it while receiving; producer never touches log.
    let mut log = sess.log.lock().unwrap();
    while let Ok(v) = rx.recv() {
        log.push(format!("got {}", v));
    }
    drop(log);
    producer.join().unwrap();
    println!("{} {}", sess.log.lock().unwrap().len(), sess.stats.lock().unwrap());
}
