use std::sync::Arc;

use racecheck::{JoinHandle, JoinableQueue, Lock, Thread};

use crate::jobs::Job;

#[derive(Default)]
pub struct Stats {
    pub done: u64,
    pub failed: u64,
}

pub struct WorkerPool {
    queue: JoinableQueue<Option<Job>>,
    stats: Arc<Lock<Stats>>,
    handles: Vec<JoinHandle<()>>,
}

impl WorkerPool {
    pub fn start(n: usize) -> Self {
        let queue = JoinableQueue::new();
        let stats = Arc::new(Lock::new(Stats::default()));
        let handles = (0..n)
            .map(|i| {
                let queue = queue.clone();
                let stats = Arc::clone(&stats);
                Thread::new(move || work(queue, stats)).name(format!("worker-{i}")).start()
            })
            .collect();
        WorkerPool { queue, stats, handles }
    }

    pub fn submit(&self, job: Job) {
        self.queue.put(Some(job));
    }

    pub fn wait_idle(&self) {
        self.queue.join();
    }

    pub fn shutdown(self) -> (u64, u64) {
        for _ in &self.handles {
            self.queue.put(None);
        }
        for h in self.handles {
            h.join().expect("worker panicked");
        }
        let s = self.stats.acquire();
        (s.done, s.failed)
    }
}

fn work(queue: JoinableQueue<Option<Job>>, stats: Arc<Lock<Stats>>) {
    loop {
        let Some(job) = queue.get() else {
            queue.task_done().unwrap();
            return;
        };
        match job.run() {
            Ok(_) => stats.acquire().done += 1,
            Err(e) => {
                eprintln!("{e}");
                stats.acquire().failed += 1;
            }
        }
        queue.task_done().unwrap();
    }
}
