//! A std `Condvar` waited on under `if` rather than `while` (L002: a spurious wakeup goes on with
//! the predicate false), beside the loops that re-check it.
use std::sync::{Condvar, Mutex};
use std::thread;

static READY: Mutex<bool> = Mutex::new(false);
static READY_CHANGED: Condvar = Condvar::new();

fn consume_once() {
    let mut ready = READY.lock().unwrap();
    if !*ready {
        ready = READY_CHANGED.wait(ready).unwrap(); //~ L002
    }
    println!("ready = {}", *ready);
}

fn consume_loop() {
    let mut ready = READY.lock().unwrap();
    while !*ready {
        ready = READY_CHANGED.wait(ready).unwrap();
    }
}

fn consume_while() {
    let ready = READY.lock().unwrap();
    let _ready = READY_CHANGED.wait_while(ready, |r| !*r).unwrap();
}

fn produce() {
    *READY.lock().unwrap() = true;
    READY_CHANGED.notify_all();
}

fn main() {
    let consumers = [
        thread::spawn(consume_once),
        thread::spawn(consume_loop),
        thread::spawn(consume_while),
    ];
    let producer = thread::spawn(produce);
    for c in consumers {
        c.join().unwrap();
    }
    producer.join().unwrap();
}
