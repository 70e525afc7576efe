//! A struct literal's fields hold what the literal puts in them: `Worker { jobs: jobs.clone() }`
//! shares the queue `jobs`, so the consumer's `get` and `task_done` are on the queue main puts on
//! and joins (no D004, no D005). The consumer loops forever and its handle is dropped, but main
//! waits for its work through `jobs.join()`, which its `task_done` ends: not reported (L001).
use racecheck::{JoinableQueue, Thread};
struct Worker {
    jobs: JoinableQueue<u32>,
}
impl Worker {
    fn finish(&self) {
        self.jobs.task_done().unwrap();
    }
    fn run(&self) {
        loop {
            let job = self.jobs.get();
            println!("{job}");
            self.finish();
        }
    }
}
fn main() {
    let jobs = JoinableQueue::new();
    let worker = Worker { jobs: jobs.clone() };
    let _t = Thread::spawn(move || worker.run());
    for i in 0..3 {
        jobs.put(i);
    }
    jobs.join();
}
