//! Threads whose handles are dropped but whose spawner waits for their last operation anyway,
//! each through one hand-off: a channel's send and its receive, a condvar's notify and its
//! wait, a barrier both wait at, a sender kept by the thread that a receiver thread reads until
//! it ends, joined. None is reported as never joined.
use std::sync::mpsc;
use std::sync::{Arc, Barrier, Condvar, Mutex};
use std::thread;

const WORKERS: usize = 3;

fn results_over_a_channel() {
    let (tx, rx) = mpsc::channel();
    for id in 0..WORKERS {
        let tx = tx.clone();
        thread::spawn(move || {
            tx.send(id * 2).unwrap();
        });
    }
    let total: usize = (0..WORKERS).map(|_| rx.recv().unwrap()).sum();
    println!("{total}");
}

fn done_flag_under_a_condvar() {
    let pair = Arc::new((Mutex::new(false), Condvar::new()));
    let theirs = Arc::clone(&pair);
    thread::spawn(move || {
        let (done, cv) = &*theirs;
        *done.lock().unwrap() = true;
        cv.notify_one();
    });
    let (done, cv) = &*pair;
    let mut finished = done.lock().unwrap();
    while !*finished {
        finished = cv.wait(finished).unwrap();
    }
}

fn meeting_at_a_barrier() {
    let barrier = Arc::new(Barrier::new(2));
    let theirs = Arc::clone(&barrier);
    thread::spawn(move || {
        println!("ready");
        theirs.wait();
    });
    barrier.wait();
}

fn read_by_a_joined_receiver() {
    let (tx, rx) = mpsc::channel();
    let reader = thread::spawn(move || rx.iter().count());
    thread::spawn(move || {
        tx.send(1).unwrap();
    });
    println!("{}", reader.join().unwrap());
}

fn main() {
    results_over_a_channel();
    done_flag_under_a_condvar();
    meeting_at_a_barrier();
    read_by_a_joined_receiver();
}
