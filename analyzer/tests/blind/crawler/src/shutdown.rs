use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

pub struct Shutdown {
    flag: AtomicBool,
    stopped: Mutex<bool>,
    wake: Condvar,
}

impl Shutdown {
    pub fn new() -> Arc<Shutdown> {
        Arc::new(Shutdown {
            flag: AtomicBool::new(false),
            stopped: Mutex::new(false),
            wake: Condvar::new(),
        })
    }

    pub fn is_triggered(&self) -> bool {
        self.flag.load(Ordering::Acquire)
    }

    pub fn trigger(&self) {
        self.flag.store(true, Ordering::Release);
        let mut stopped = self.stopped.lock().unwrap();
        *stopped = true;
        self.wake.notify_all();
    }

    /// Sleeps for `dur` or until shutdown is triggered. Returns true on shutdown.
    pub fn sleep(&self, dur: Duration) -> bool {
        let deadline = Instant::now() + dur;
        let mut stopped = self.stopped.lock().unwrap();
        while !*stopped {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            let (guard, _) = self.wake.wait_timeout(stopped, deadline - now).unwrap(); // CLEAN: wait-without-loop: re-checks the stopped flag and the deadline in a while loop
            stopped = guard;
        }
        true
    }
}

pub fn spawn_named<F, T>(name: &str, body: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    thread::Builder::new()
        .name(name.to_string())
        .spawn(body)
        .unwrap_or_else(|e| panic!("failed to spawn thread {}: {}", name, e))
}
