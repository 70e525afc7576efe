//! One walk of a recursive function stands for every level: a branch on its parameter is walked
//! both ways.
use std::sync::Mutex;
use std::thread;
static A: Mutex<u64> = Mutex::new(0);
static B: Mutex<u64> = Mutex::new(0);
#[allow(unused)]
fn ab() { let _a = A.lock().unwrap(); let _b = B.lock().unwrap(); } //~ D001
fn f(n: u32) {
    if n == 0 { ab(); return; }
    f(n - 1);
}
fn main() {
    let t = thread::spawn(|| f(2));
    let _b = B.lock().unwrap(); let _a = A.lock().unwrap();
    drop((_a, _b));
    t.join().unwrap();
}
