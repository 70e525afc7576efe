//! Correct std patterns: a guard used in one statement is a temporary dropped at its `;`; a
//! value cloned out of a guard holds no lock; `drop(guard)`; a guard moved into a function is
//! released when that function returns; `try_lock` gives up instead of waiting.
use std::sync::{Mutex, MutexGuard};
use std::thread;

static COUNT: Mutex<u64> = Mutex::new(0);
static NAMES: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn finish(mut count: MutexGuard<'_, u64>) {
    *count += 1;
}

fn work() {
    *COUNT.lock().unwrap() += 1;
    *COUNT.lock().unwrap() += 1;
    let names = NAMES.lock().unwrap().clone();
    NAMES.lock().unwrap().push(format!("{}", names.len()));
    let count = COUNT.lock().unwrap();
    let seen = *count;
    drop(count);
    println!("{seen}");
    finish(COUNT.lock().unwrap());
    let total = COUNT.lock().unwrap();
    if let Ok(mut names) = NAMES.try_lock() {
        names.push(total.to_string());
    }
}

fn main() {
    let t = thread::spawn(work);
    work();
    t.join().unwrap();
}
