use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let q = Arc::new(Mutex::new(Vec::<u32>::new()));
    let q2 = Arc::clone(&q);
    let producer = thread::spawn(move || {
        for i in 0..100 {
            q2.lock().unwrap().push(i);
        }
    });
    let mut got = 0;
    let mut g = q.lock().unwrap();
    while got < 100 {
        if let Some(_v) = g.pop() {
            got += 1;
        } else {
            drop(g);
            thread::yield_now();
            g = q.lock().unwrap();
        }
    }
    drop(g);
    producer.join().unwrap();
    println!("{}", got);
}
