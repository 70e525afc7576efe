//! Trait objects call the methods of every implementor: a job list of two kinds, one of which
//! takes the locks in the opposite order of the other, run on two threads.
use racecheck::{Lock, Thread};
use std::sync::Arc;

static INDEX: Lock<Vec<u32>> = Lock::new(Vec::new());
static BLOBS: Lock<Vec<u8>> = Lock::new(Vec::new());

trait Job: Send + Sync {
    fn run(&self);
}

struct Reindex;
struct Compact;

impl Job for Reindex {
    fn run(&self) {
        let _index = INDEX.acquire();
        let _blobs = BLOBS.acquire(); //~ D001
    }
}

impl Job for Compact {
    fn run(&self) {
        let _blobs = BLOBS.acquire();
        let _index = INDEX.acquire();
    }
}

fn run_all(jobs: &[Arc<dyn Job>]) {
    for job in jobs {
        job.run();
    }
}

fn main() {
    let jobs: Vec<Arc<dyn Job>> = vec![Arc::new(Reindex), Arc::new(Compact)];
    let mine = jobs.clone();
    let t = Thread::spawn(move || run_all(&mine));
    run_all(&jobs);
    t.join().unwrap();
}
