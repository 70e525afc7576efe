//! A condition wait inside the arm lets the lock go: a push and its `set` can come between the
//! check and the clear.
use racecheck::Event;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
#[allow(unused)]
pub struct Backlog { pending: Mutex<Vec<u32>>, log: Mutex<()>, cv: Condvar, count: AtomicUsize, has_work: Event }
#[allow(unused)]
impl Backlog {
    fn push(&self, v: u32) {
        let mut p = self.pending.lock().unwrap();
        p.push(v);
        self.has_work.set();
        self.cv.notify_all();
    }
    fn settle(&self) {
        let mut p = self.pending.lock().unwrap();
        if p.is_empty() {
            p = self.cv.wait(p).unwrap(); //~ L002
            self.has_work.clear(); //~ R004
        }
        drop(p);
    }
}
fn main() {
    let b = Arc::new(Backlog { pending: Mutex::new(Vec::new()), log: Mutex::new(()), cv: Condvar::new(), count: AtomicUsize::new(0), has_work: Event::new() });
    let other = Arc::clone(&b);
    let t = thread::spawn(move || other.push(1));
    b.settle();
    t.join().unwrap();
}
