use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;

struct BoundedQueue<T> {
    inner: Mutex<(VecDeque<T>, bool)>,
    not_empty: Condvar,
    not_full: Condvar,
    cap: usize,
}

impl<T> BoundedQueue<T> {
    fn new(cap: usize) -> Self {
        BoundedQueue { inner: Mutex::new((VecDeque::new(), false)), not_empty: Condvar::new(), not_full: Condvar::new(), cap }
    }
    fn push(&self, v: T) {
        let mut g = self.inner.lock().unwrap();
        while g.0.len() >= self.cap {
            g = self.not_full.wait(g).unwrap();
        }
        g.0.push_back(v);
        self.not_empty.notify_one();
    }
    fn pop(&self) -> Option<T> {
        let mut g = self.inner.lock().unwrap();
        loop {
            if let Some(v) = g.0.pop_front() {
                self.not_full.notify_one();
                return Some(v);
            }
            if g.1 {
                return None;
            }
            g = self.not_empty.wait(g).unwrap();
        }
    }
    fn close(&self) {
        self.inner.lock().unwrap().1 = true;
        self.not_empty.notify_all();
    }
}

fn main() {
    let q = Arc::new(BoundedQueue::new(4));
    let consumers: Vec<_> = (0..3)
        .map(|_| {
            let q = Arc::clone(&q);
            thread::spawn(move || {
                let mut sum = 0u64;
                while let Some(v) = q.pop() {
                    sum += v;
                }
                sum
            })
        })
        .collect();
    let producers: Vec<_> = (0..2)
        .map(|p| {
            let q = Arc::clone(&q);
            thread::spawn(move || {
                for i in 0..500u64 {
                    q.push(i + p * 1000);
                }
            })
        })
        .collect();
    for p in producers {
        p.join().unwrap();
    }
    q.close();
    let total: u64 = consumers.into_iter().map(|c| c.join().unwrap()).sum();
    println!("{}", total);
}
