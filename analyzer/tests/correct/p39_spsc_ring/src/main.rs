use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;

const CAP: usize = 16;

struct Ring {
    buf: [UnsafeCell<u64>; CAP],
    head: AtomicUsize, // written only by the consumer
    tail: AtomicUsize, // written only by the producer
}

unsafe impl Sync for Ring {}

impl Ring {
    fn new() -> Self {
        Ring { buf: std::array::from_fn(|_| UnsafeCell::new(0)), head: AtomicUsize::new(0), tail: AtomicUsize::new(0) }
    }
    // called by the single producer only
    fn push(&self, v: u64) -> bool {
        let tail = self.tail.load(Ordering::Relaxed);
        if tail - self.head.load(Ordering::Acquire) == CAP {
            return false;
        }
        unsafe { *self.buf[tail % CAP].get() = v };
        self.tail.store(tail + 1, Ordering::Release);
        true
    }
    // called by the single consumer only
    fn pop(&self) -> Option<u64> {
        let head = self.head.load(Ordering::Relaxed);
        if head == self.tail.load(Ordering::Acquire) {
            return None;
        }
        let v = unsafe { *self.buf[head % CAP].get() };
        self.head.store(head + 1, Ordering::Release);
        Some(v)
    }
}

fn main() {
    let r = Arc::new(Ring::new());
    let p = Arc::clone(&r);
    let prod = thread::spawn(move || {
        for i in 0..1000 {
            while !p.push(i) {
                thread::yield_now();
            }
        }
    });
    let mut sum = 0;
    let mut n = 0;
    while n < 1000 {
        if let Some(v) = r.pop() {
            sum += v;
            n += 1;
        } else {
            thread::yield_now();
        }
    }
    prod.join().unwrap();
    println!("{}", sum);
}
