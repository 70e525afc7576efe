//! A `Condition` kept in a struct beside the lock of its predicate. A guard reassigned by
//! `guard = cond.wait(guard)` inside a `while` (or an `if`) stays one guard: nothing is acquired
//! twice, and the wait is signalled by the thread a method of another module starts. Waiting
//! while holding another lock that the notifier needs is a deadlock; waiting under `if` is a
//! wait without a predicate loop.
use racecheck::{Condition, Lock};
use std::sync::Arc;

mod state {
    use racecheck::{Condition, Lock};

    pub struct Job {
        pub done: bool,
        pub result: u32,
    }

    pub struct Shared {
        pub job: Lock<Job>,
        pub changed: Condition,
        pub log: Lock<Vec<u32>>,
    }

    impl Shared {
        pub fn wait_done(&self) -> u32 {
            let mut job = self.job.acquire();
            while !job.done {
                job = self.changed.wait(job);
            }
            let result = job.result;
            drop(job);
            *self.job.acquire() = Job {
                done: false,
                result: 0,
            };
            result
        }

        pub fn wait_once(&self) -> u32 {
            let mut job = self.job.acquire();
            if !job.done {
                job = self.changed.wait(job); //~ L002
            }
            job.result
        }

        pub fn wait_logged(&self) {
            let _log = self.log.acquire();
            let mut job = self.job.acquire();
            while !job.done {
                job = self.changed.wait(job); //~ D003
            }
        }

        pub fn finish(&self) {
            self.log.acquire().push(1);
            let mut job = self.job.acquire();
            job.done = true;
            job.result = 7;
            self.changed.notify_all();
        }
    }
}

mod worker {
    use super::state::Shared;
    use racecheck::{JoinHandle, Thread};
    use std::sync::Arc;

    pub struct Worker {
        thread: Option<JoinHandle<()>>,
    }

    impl Worker {
        pub fn start(shared: &Arc<Shared>) -> Worker {
            let shared = Arc::clone(shared);
            Worker {
                thread: Some(Thread::spawn(move || shared.finish())),
            }
        }

        pub fn stop(&mut self) {
            if let Some(thread) = self.thread.take() {
                thread.join().unwrap();
            }
        }
    }
}

fn main() {
    let shared = Arc::new(state::Shared {
        job: Lock::new(state::Job {
            done: false,
            result: 0,
        }),
        changed: Condition::new(),
        log: Lock::new(Vec::new()),
    });
    let mut worker = worker::Worker::start(&shared);
    shared.wait_done();
    shared.wait_once();
    shared.wait_logged();
    worker.stop();
}
