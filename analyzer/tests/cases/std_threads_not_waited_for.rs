//! Threads whose handles are dropped and whose last operation nothing waits for: a send that
//! the spawner never receives, a notify for a wait that is over before the thread starts (a wait nothing can end: D005), and
//! a thread that receives its start signal and then works unwatched. Each is never joined.
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;

fn result_never_received() {
    let (tx, _rx) = mpsc::channel();
    thread::spawn(move || { //~ L001
        tx.send(1).unwrap();
    });
}

fn notify_after_the_wait() {
    let pair = Arc::new((Mutex::new(false), Condvar::new()));
    let (done, cv) = &*pair;
    let mut ready = done.lock().unwrap();
    while !*ready {
        ready = cv.wait(ready).unwrap(); //~ D005
    }
    drop(ready);
    let theirs = Arc::clone(&pair);
    thread::spawn(move || { //~ L001
        let (done, cv) = &*theirs;
        *done.lock().unwrap() = true;
        cv.notify_one();
    });
}

fn started_then_unwatched() {
    let (start, go) = mpsc::channel::<()>();
    thread::spawn(move || { //~ L001
        go.recv().unwrap();
        println!("working");
    });
    start.send(()).unwrap();
}

fn main() {
    result_never_received();
    notify_after_the_wait();
    started_then_unwatched();
}
