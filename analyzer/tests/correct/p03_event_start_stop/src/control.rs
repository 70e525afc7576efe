use std::sync::Arc;

use racecheck::{Event, Lock};

#[derive(Clone)]
pub struct Control {
    inner: Arc<Inner>,
}

struct Inner {
    started: Event,
    stopping: Event,
    first_sample: Event,
    recorded: Lock<u64>,
}

impl Control {
    pub fn new() -> Self {
        Control {
            inner: Arc::new(Inner {
                started: Event::new(),
                stopping: Event::new(),
                first_sample: Event::new(),
                recorded: Lock::new(0),
            }),
        }
    }
    pub fn start(&self) {
        self.inner.started.set();
    }
    pub fn stop(&self) {
        self.inner.stopping.set();
    }
    pub fn wait_started(&self) {
        self.inner.started.wait();
    }
    pub fn should_run(&self) -> bool {
        !self.inner.stopping.is_set()
    }
    pub fn record(&self) {
        *self.inner.recorded.acquire() += 1;
        self.inner.first_sample.set();
    }
    pub fn wait_first_sample(&self) {
        self.inner.first_sample.wait();
    }
    pub fn recorded(&self) -> u64 {
        *self.inner.recorded.acquire()
    }
}
