//! `outer(0)` reuses `inner(0)`'s walk, which took one arm on the literal: `outer` is not taken to
//! do nothing for every argument (`outer(k)`).
use std::sync::Mutex;
use std::thread;
static A: Mutex<u64> = Mutex::new(0);
static B: Mutex<u64> = Mutex::new(0);
#[allow(unused)]
fn ab() { let _a = A.lock().unwrap(); let _b = B.lock().unwrap(); } //~ D001
fn inner(n: u32) { if n == 1 { ab(); } }
fn outer(n: u32) { inner(n) }
fn main() {
    inner(0);
    outer(0);
    let k = std::env::args().count() as u32;
    let t = thread::spawn(move || outer(k));
    let _b = B.lock().unwrap(); let _a = A.lock().unwrap();
    drop((_a, _b));
    t.join().unwrap();
}
