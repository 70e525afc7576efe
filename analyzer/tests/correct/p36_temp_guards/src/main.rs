use std::sync::{Arc, Mutex};
use std::thread;

struct Queue {
    pending: Mutex<Vec<u32>>,
    done: Mutex<Vec<u32>>,
}

impl Queue {
    fn process_one(&self) -> bool {
        let next = self.pending.lock().unwrap().pop();
        match next {
            Some(v) => {
                self.done.lock().unwrap().push(v * 10);
                true
            }
            None => false,
        }
    }
    fn requeue_one(&self) {
        let item = self.done.lock().unwrap().pop();
        if let Some(v) = item {
            self.pending.lock().unwrap().push(v / 10);
        }
    }
}

fn main() {
    let q = Arc::new(Queue { pending: Mutex::new((0..100).collect()), done: Mutex::new(Vec::new()) });
    let q1 = q.clone();
    let a = thread::spawn(move || while q1.process_one() {});
    let q2 = q.clone();
    let b = thread::spawn(move || {
        for _ in 0..20 {
            q2.requeue_one();
        }
    });
    a.join().unwrap();
    b.join().unwrap();
    let rest = q.pending.lock().unwrap().len();
    println!("{} {}", rest, q.done.lock().unwrap().len());
}
