use std::sync::{Arc, Condvar, Mutex};
use std::thread;

struct Job {
    state: Mutex<u32>,
    cv: Condvar,
}

impl Job {
    fn state(&self) -> &Mutex<u32> {
        &self.state
    }
    fn wait_for(&self, n: u32) {
        let mut g = self.state().lock().unwrap();
        while *g < n {
            g = self.cv.wait(g).unwrap();
        }
    }
    fn wait_done(&self) {
        let mut g = self.state.lock().unwrap();
        while *g < 10 {
            g = self.cv.wait(g).unwrap();
        }
    }
    fn advance(&self) {
        *self.state.lock().unwrap() += 1;
        self.cv.notify_all();
    }
}

fn main() {
    let j = Arc::new(Job { state: Mutex::new(0), cv: Condvar::new() });
    let j2 = j.clone();
    let w = thread::spawn(move || {
        for _ in 0..10 {
            j2.advance();
        }
    });
    j.wait_for(5);
    j.wait_done();
    w.join().unwrap();
}
