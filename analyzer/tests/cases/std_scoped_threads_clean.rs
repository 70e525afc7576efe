//! Scoped threads are joined when the scope ends: what main does after it runs alone, in any
//! lock order; a named thread from a `Builder` joined before main takes the locks the other way.
use std::sync::Mutex;
use std::thread;

static LEFT: Mutex<u32> = Mutex::new(0);
static RIGHT: Mutex<u32> = Mutex::new(0);

fn left_then_right() {
    let _l = LEFT.lock().unwrap();
    *RIGHT.lock().unwrap() += 1;
}

fn right_then_left() {
    let _r = RIGHT.lock().unwrap();
    *LEFT.lock().unwrap() += 1;
}

fn main() {
    thread::scope(|s| {
        s.spawn(left_then_right);
        s.spawn(left_then_right);
    });
    right_then_left();
    let named = thread::Builder::new()
        .name("worker".into())
        .spawn(left_then_right)
        .unwrap();
    named.join().unwrap();
    right_then_left();
}
