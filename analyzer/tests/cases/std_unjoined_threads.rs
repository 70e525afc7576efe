//! A std thread whose handle is dropped at once is never joined (L001); one joined, one whose
//! handle is returned to the caller, and a rayon task (which has no handle) are not reported.
use std::thread::{self, JoinHandle};

fn load() {}

fn start() -> JoinHandle<()> {
    thread::spawn(load)
}

fn main() {
    let _loader = thread::spawn(load); //~ L001
    let joined = thread::spawn(load);
    joined.join().unwrap();
    start().join().unwrap();
    rayon::spawn(load);
}
