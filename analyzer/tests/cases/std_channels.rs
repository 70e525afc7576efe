//! mpsc and crossbeam channels are queues: a `recv` made while holding the lock the sender takes
//! before sending blocks both (D003), and so does a `send` on a full bounded channel (a
//! `sync_channel(0)` is a rendezvous: every send waits for a receiver).
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;

fn recv_holding() {
    let state = Arc::new(Mutex::new(0));
    let (tx, rx) = mpsc::channel();
    let producer = {
        let state = Arc::clone(&state);
        thread::spawn(move || {
            *state.lock().unwrap() += 1;
            tx.send(1).unwrap();
        })
    };
    let held = state.lock().unwrap();
    let got: i32 = rx.recv().unwrap(); //~ D003
    println!("{} {got}", *held);
    drop(held);
    producer.join().unwrap();
}

fn send_holding() {
    let state = Arc::new(Mutex::new(0));
    let (tx, rx) = mpsc::sync_channel::<i32>(0);
    let consumer = {
        let state = Arc::clone(&state);
        thread::spawn(move || {
            *state.lock().unwrap() += 1;
            rx.recv().unwrap()
        })
    };
    let held = state.lock().unwrap();
    tx.send(*held).unwrap(); //~ D003
    drop(held);
    consumer.join().unwrap();
}

fn crossbeam_holding() {
    let state = Arc::new(Mutex::new(0));
    let (tx, rx) = crossbeam_channel::bounded(1);
    let consumer = {
        let state = Arc::clone(&state);
        thread::spawn(move || {
            *state.lock().unwrap() += 1;
            rx.recv().unwrap()
        })
    };
    let held = state.lock().unwrap();
    tx.send(*held).unwrap(); //~ D003
    drop(held);
    consumer.join().unwrap();
}

fn main() {
    recv_holding();
    send_holding();
    crossbeam_holding();
}
