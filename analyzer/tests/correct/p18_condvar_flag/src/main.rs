use std::sync::{Arc, Condvar, Mutex};
use std::thread;

struct Latch {
    count: Mutex<usize>,
    cv: Condvar,
}

impl Latch {
    fn new(n: usize) -> Self {
        Latch { count: Mutex::new(n), cv: Condvar::new() }
    }
    fn count_down(&self) {
        let mut c = self.count.lock().unwrap();
        *c -= 1;
        if *c == 0 {
            self.cv.notify_all();
        }
    }
    fn wait(&self) {
        let mut c = self.count.lock().unwrap();
        while *c > 0 {
            c = self.cv.wait(c).unwrap();
        }
    }
}

fn main() {
    let latch = Arc::new(Latch::new(5));
    let hs: Vec<_> = (0..5)
        .map(|_| {
            let l = Arc::clone(&latch);
            thread::spawn(move || l.count_down())
        })
        .collect();
    latch.wait();
    for h in hs {
        h.join().unwrap();
    }
    println!("released");
}
