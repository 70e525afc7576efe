use std::sync::{Arc, Mutex};
use std::thread;

struct Pair {
    a: Mutex<u32>,
    b: Mutex<u32>,
}

fn forward(p: &Pair) {
    let mut a = p.a.lock().unwrap();
    let mut b = p.b.lock().unwrap();
    *b += *a;
    *a += 1;
}

fn backward(p: &Pair) {
    let mut b = p.b.lock().unwrap();
    let mut a = p.a.lock().unwrap();
    *a += *b % 3;
    *b += 1;
}

fn main() {
    let left = Arc::new(Pair { a: Mutex::new(0), b: Mutex::new(0) });
    let right = Arc::new(Pair { a: Mutex::new(0), b: Mutex::new(0) });
    let l = left.clone();
    let t1 = thread::spawn(move || {
        for _ in 0..100 {
            forward(&l);
        }
    });
    let r = right.clone();
    let t2 = thread::spawn(move || {
        for _ in 0..100 {
            backward(&r);
        }
    });
    t1.join().unwrap();
    t2.join().unwrap();
    println!("{} {}", left.b.lock().unwrap(), right.a.lock().unwrap());
}
