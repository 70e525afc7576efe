use std::sync::{Arc, Mutex};
use std::thread;

struct Reader {
    a: Mutex<Vec<u8>>,
    b: Mutex<usize>,
}

struct Writer {
    a: Mutex<usize>,
    b: Mutex<Vec<u8>>,
}

impl Reader {
    fn step(&self) {
        let buf = self.a.lock().unwrap();
        let mut pos = self.b.lock().unwrap();
        *pos = (*pos + 1) % (buf.len() + 1);
    }
}

impl Writer {
    fn step(&self) {
        let mut buf = self.b.lock().unwrap();
        let mut n = self.a.lock().unwrap();
        buf.push(*n as u8);
        *n += 1;
    }
}

fn main() {
    let r = Arc::new(Reader { a: Mutex::new(vec![1, 2, 3]), b: Mutex::new(0) });
    let w = Arc::new(Writer { a: Mutex::new(0), b: Mutex::new(Vec::new()) });
    let r2 = r.clone();
    let t1 = thread::spawn(move || {
        for _ in 0..100 {
            r2.step();
        }
    });
    let w2 = w.clone();
    let t2 = thread::spawn(move || {
        for _ in 0..100 {
            w2.step();
        }
    });
    t1.join().unwrap();
    t2.join().unwrap();
    println!("{} {}", r.b.lock().unwrap(), w.b.lock().unwrap().len());
}
