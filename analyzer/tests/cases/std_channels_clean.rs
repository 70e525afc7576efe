//! Channels used correctly: the lock is released before receiving; a receiver whose senders
//! are all dropped returns (no hang, so no D005); unbounded sends never block; `for` over a
//! receiver ends when the senders are gone.
use crossbeam_channel::unbounded;
use std::sync::mpsc::{channel, Receiver};
use std::sync::Mutex;
use std::thread;

static STATE: Mutex<u32> = Mutex::new(0);

fn drain(rx: Receiver<u32>) -> u32 {
    let mut sum = 0;
    for v in rx.iter() {
        sum += v;
    }
    sum
}

fn main() {
    let (tx, rx) = channel();
    let producer = thread::spawn(move || {
        *STATE.lock().unwrap() += 1;
        tx.send(1).unwrap();
    });
    let seen = *STATE.lock().unwrap();
    let got = rx.recv().unwrap();
    producer.join().unwrap();
    println!("{seen} {got}");

    let (stop_tx, stop_rx) = channel::<()>();
    let waiter = thread::spawn(move || {
        let _ = stop_rx.recv();
    });
    drop(stop_tx);
    waiter.join().unwrap();

    let (tx, rx) = unbounded();
    let _held = STATE.lock().unwrap();
    tx.send(1).unwrap();
    drop(tx);
    drop(_held);
    println!("{}", drain_crossbeam(rx));
    let (tx, rx) = channel();
    tx.send(2).unwrap();
    drop(tx);
    println!("{}", drain(rx));
}

fn drain_crossbeam(rx: crossbeam_channel::Receiver<u32>) -> u32 {
    rx.try_iter().sum()
}
