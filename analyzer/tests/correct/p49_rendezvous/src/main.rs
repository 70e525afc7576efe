use std::sync::mpsc::sync_channel;
use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let sent_log = Arc::new(Mutex::new(Vec::new()));
    let (tx, rx) = sync_channel::<u32>(0);
    let log = Arc::clone(&sent_log);
    let producer = thread::spawn(move || {
        let mut g = log.lock().unwrap();
        for i in 0..10 {
            tx.send(i).unwrap();
            g.push(i);
        }
    });
    let consumer = thread::spawn(move || rx.iter().sum::<u32>());
    producer.join().unwrap();
    println!("{} {}", consumer.join().unwrap(), sent_log.lock().unwrap().len());
}
