//! Joining a std thread while holding the `Mutex` it needs to finish.
use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let results = Arc::new(Mutex::new(Vec::new()));
    let worker = {
        let results = Arc::clone(&results);
        thread::spawn(move || results.lock().unwrap().push(42))
    };
    let held = results.lock().unwrap();
    worker.join().unwrap(); //~ D003
    println!("{:?}", *held);
}
