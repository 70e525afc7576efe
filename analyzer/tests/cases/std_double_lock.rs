//! A std `Mutex` locked again while its guard is alive, directly and through a helper: the
//! second `lock` waits for the thread itself (std documents a deadlock or a panic).
use std::sync::Mutex;

static DEPTH: Mutex<u64> = Mutex::new(0);

fn snapshot() -> u64 {
    *DEPTH.lock().unwrap() //~ D002
}

fn main() {
    let mut depth = DEPTH.lock().unwrap();
    *depth += 1;
    let again = *DEPTH.lock().unwrap(); //~ D002
    println!("{again} {}", snapshot());
}
