//! One-shot gate that workers wait on until startup migrations finish.

use std::sync::{Condvar, Mutex};

pub struct ReadyGate {
    ready: Mutex<bool>,
    cv: Condvar,
}

impl ReadyGate {
    pub fn new() -> Self {
        ReadyGate { ready: Mutex::new(false), cv: Condvar::new() }
    }

    pub fn open(&self) {
        *self.ready.lock().unwrap() = true;
        self.cv.notify_all();
    }

    pub fn wait(&self) {
        let ready = self.ready.lock().unwrap();
        let _ready = self.cv.wait_while(ready, |open| !*open).unwrap(); // CLEAN: wait-without-loop: wait_while re-checks the flag after every wakeup
    }
}
