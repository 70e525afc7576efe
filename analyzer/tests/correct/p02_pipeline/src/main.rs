use std::sync::mpsc::{channel, Receiver, Sender};
use std::thread;

fn stage<F: Fn(i64) -> i64 + Send + 'static>(rx: Receiver<i64>, tx: Sender<i64>, f: F) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        for v in rx {
            if tx.send(f(v)).is_err() {
                break;
            }
        }
    })
}

fn main() {
    let (tx0, rx0) = channel();
    let (tx1, rx1) = channel();
    let (tx2, rx2) = channel();
    let (tx3, rx3) = channel();
    let h1 = stage(rx0, tx1, |x| x + 1);
    let h2 = stage(rx1, tx2, |x| x * 2);
    let h3 = stage(rx2, tx3, |x| x - 3);
    for i in 0..1000 {
        tx0.send(i).unwrap();
    }
    drop(tx0);
    let out: Vec<i64> = rx3.iter().collect();
    h1.join().unwrap();
    h2.join().unwrap();
    h3.join().unwrap();
    println!("{}", out.len());
}
