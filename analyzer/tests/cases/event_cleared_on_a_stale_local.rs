//! The `if` runs under the lock but decides on a value read under an earlier guard: a push and its
//! `set` can come between.
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
    }
    fn settle(&self) {
        let empty = self.pending.lock().unwrap().is_empty();
        let _p = self.pending.lock().unwrap();
        if empty {
            self.has_work.clear(); //~ R004
        }
    }
}
fn main() {
    let b = Arc::new(Backlog { pending: Mutex::new(Vec::new()), log: Mutex::new(()), cv: Condvar::new(), count: AtomicUsize::new(0), has_work: Event::new() });
    let other = Arc::clone(&b);
    let t = thread::spawn(move || other.push(1));
    b.settle();
    t.join().unwrap();
}
