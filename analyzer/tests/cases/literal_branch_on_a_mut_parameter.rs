//! A parameter declared `mut` may change without a new binding (`n += 1`): a branch on it is walked
//! both ways.
use std::sync::Mutex;
use std::thread;
static A: Mutex<u64> = Mutex::new(0);
static B: Mutex<u64> = Mutex::new(0);
#[allow(unused)]
fn ab() { let _a = A.lock().unwrap(); let _b = B.lock().unwrap(); } //~ D001
fn f(mut n: u32) {
    n += 1;
    if n == 1 { ab(); }
}
fn main() {
    let t = thread::spawn(|| f(0));
    let _b = B.lock().unwrap(); let _a = A.lock().unwrap();
    drop((_a, _b));
    t.join().unwrap();
}
