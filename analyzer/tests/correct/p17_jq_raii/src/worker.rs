use std::sync::Arc;

use racecheck::{JoinHandle, JoinableQueue, Lock, Thread};

use crate::tasks::{Done, Task};

fn handle(t: &Task, results: &Lock<Vec<u32>>) -> Result<(), String> {
    if t.n == 0 {
        return Err("zero".into());
    }
    results.acquire().push(100 / t.n);
    Ok(())
}

pub fn spawn(q: JoinableQueue<Task>, results: Arc<Lock<Vec<u32>>>) -> JoinHandle<()> {
    Thread::spawn(move || loop {
        let task = q.get();
        let _done = Done(&q);
        if task.n == u32::MAX {
            return;
        }
        if let Err(e) = handle(&task, &results) {
            eprintln!("task failed: {e}");
        }
    })
}
