use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};

/// Frame counter published by the tick thread.  Client threads use it to
/// pace their input to the simulation rate.
pub struct TickClock {
    frame: Mutex<u64>,
    advanced: Condvar,
    stopped: AtomicBool,
}

impl TickClock {
    pub fn new() -> Self {
        TickClock { frame: Mutex::new(0), advanced: Condvar::new(), stopped: AtomicBool::new(false) }
    }

    pub fn current(&self) -> u64 {
        *self.frame.lock().unwrap()
    }

    pub fn advance(&self) -> u64 {
        let frame = {
            let mut frame = self.frame.lock().unwrap();
            *frame += 1;
            *frame
        };
        self.advanced.notify_all();
        frame
    }

    pub fn is_stopped(&self) -> bool {
        self.stopped.load(Ordering::Acquire)
    }

    pub fn stop(&self) {
        {
            let _frame = self.frame.lock().unwrap();
            self.stopped.store(true, Ordering::Release);
        }
        self.advanced.notify_all();
    }

    /// Waits until a frame newer than `seen` has been published.
    pub fn wait_past(&self, seen: u64) -> u64 {
        let mut frame = self.frame.lock().unwrap();
        while *frame <= seen && !self.stopped.load(Ordering::Acquire) {
            frame = self.advanced.wait(frame).unwrap(); // CLEAN: wait-without-loop: the while loop re-checks the frame after every wakeup
        }
        *frame
    }
}
