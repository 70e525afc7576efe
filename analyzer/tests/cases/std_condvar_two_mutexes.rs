//! One std `Condvar` waited on with guards of two different mutexes (L003); each other condvar
//! keeps to its one mutex.
use std::sync::{Arc, Condvar, Mutex};
use std::thread;

struct Queue {
    jobs: Mutex<Vec<u32>>,
    done: Mutex<bool>,
    changed: Condvar,
    jobs_changed: Condvar,
}

impl Queue {
    fn next(&self) -> u32 {
        let mut jobs = self.jobs.lock().unwrap();
        while jobs.is_empty() {
            jobs = self.changed.wait(jobs).unwrap(); //~ L003
        }
        jobs.pop().unwrap_or_default()
    }

    fn wait_done(&self) {
        let mut done = self.done.lock().unwrap();
        while !*done {
            done = self.changed.wait(done).unwrap();
        }
    }

    fn next_job(&self) -> u32 {
        let jobs = self.jobs.lock().unwrap();
        let mut jobs = self.jobs_changed.wait_while(jobs, |j| j.is_empty()).unwrap();
        jobs.pop().unwrap_or_default()
    }
}

fn main() {
    let queue = Arc::new(Queue {
        jobs: Mutex::new(Vec::new()),
        done: Mutex::new(false),
        changed: Condvar::new(),
        jobs_changed: Condvar::new(),
    });
    let worker = {
        let queue = Arc::clone(&queue);
        thread::spawn(move || {
            queue.next();
            queue.next_job();
        })
    };
    queue.jobs.lock().unwrap().push(1);
    queue.changed.notify_all();
    queue.jobs_changed.notify_one();
    *queue.done.lock().unwrap() = true;
    queue.changed.notify_all();
    queue.wait_done();
    worker.join().unwrap();
}
