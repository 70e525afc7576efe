//! A std `Barrier` of three parties waited on by two threads: both block forever.
use std::sync::{Arc, Barrier};
use std::thread;

fn main() {
    let barrier = Arc::new(Barrier::new(3));
    let other = {
        let barrier = Arc::clone(&barrier);
        thread::spawn(move || {
            barrier.wait(); //~ D005
        })
    };
    barrier.wait(); //~ D005
    other.join().unwrap();
}
