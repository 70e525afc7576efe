use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;

struct Chan<T> {
    q: Mutex<(VecDeque<T>, bool)>,
    cv: Condvar,
}

impl<T> Chan<T> {
    fn new() -> Self {
        Chan { q: Mutex::new((VecDeque::new(), false)), cv: Condvar::new() }
    }
    fn send(&self, v: T) {
        self.q.lock().unwrap().0.push_back(v);
        self.cv.notify_one();
    }
    fn close(&self) {
        self.q.lock().unwrap().1 = true;
        self.cv.notify_all();
    }
    fn recv(&self) -> Option<T> {
        let mut g = self.q.lock().unwrap();
        loop {
            if let Some(v) = g.0.pop_front() {
                return Some(v);
            }
            if g.1 {
                return None;
            }
            g = self.cv.wait(g).unwrap();
        }
    }
}

fn main() {
    let a: Arc<Chan<u32>> = Arc::new(Chan::new());
    let b: Arc<Chan<String>> = Arc::new(Chan::new());
    let (a2, b2) = (a.clone(), b.clone());
    let mid = thread::spawn(move || {
        while let Some(v) = a2.recv() {
            b2.send(format!("#{}", v));
        }
        b2.close();
    });
    let b3 = b.clone();
    let sink = thread::spawn(move || {
        let mut n = 0;
        while let Some(_s) = b3.recv() {
            n += 1;
        }
        n
    });
    for i in 0..100 {
        a.send(i);
    }
    a.close();
    mid.join().unwrap();
    println!("{}", sink.join().unwrap());
}
