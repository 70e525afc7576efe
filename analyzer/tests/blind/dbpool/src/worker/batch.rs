//! Long-running background client threads, started with `thread::spawn`
//! and collected at shutdown.

use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};

use super::{Worker, WorkerReport};
use crate::context::AppContext;

pub struct BatchWorkers {
    ctx: Arc<AppContext>,
    workers: Mutex<Vec<Arc<Worker>>>,
    handles: Mutex<Vec<JoinHandle<WorkerReport>>>,
}

impl BatchWorkers {
    pub fn new(ctx: Arc<AppContext>) -> Self {
        BatchWorkers { ctx, workers: Mutex::new(Vec::new()), handles: Mutex::new(Vec::new()) }
    }

    pub fn spawn(&self, count: usize, first_id: usize, iterations: usize) {
        for n in 0..count {
            let id = first_id + n;
            let worker = Arc::new(Worker::new(id, Arc::clone(&self.ctx), true));
            self.workers.lock().unwrap().push(Arc::clone(&worker));
            let handle = thread::Builder::new()
                .name(format!("batch-{id}"))
                .spawn(move || worker.run(iterations, 0x5eed_0000 + id as u64))
                .expect("spawn batch worker");
            self.handles.lock().unwrap().push(handle);
        }
    }

    pub fn join_all(&self) -> Vec<WorkerReport> {
        let handles = std::mem::take(&mut *self.handles.lock().unwrap());
        let mut reports = Vec::with_capacity(handles.len());
        for handle in handles {
            match handle.join() { // CLEAN: blocking-while-holding: handles were moved out and the mutex guard released at the end of the take statement
                Ok(report) => reports.push(report),
                Err(_) => eprintln!("batch worker panicked"),
            }
        }
        reports
    }

    pub fn session_lines(&self) -> Vec<String> {
        self.workers.lock().unwrap().iter().map(|w| w.session_line()).collect()
    }
}
