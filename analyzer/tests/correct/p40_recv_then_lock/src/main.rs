use std::sync::mpsc::channel;
use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let journal = Arc::new(Mutex::new(Vec::<String>::new()));
    let (tx, rx) = channel::<u32>();
    let j2 = Arc::clone(&journal);
    let h = thread::spawn(move || {
        for i in 0..10 {
            tx.send(i).unwrap();
        }
        drop(tx);
        // only after the channel is closed does the producer touch the journal
        j2.lock().unwrap().push("producer finished".into());
    });
    let mut j = journal.lock().unwrap();
    for v in rx {
        j.push(format!("item {}", v));
    }
    drop(j);
    h.join().unwrap();
    println!("{}", journal.lock().unwrap().len());
}
