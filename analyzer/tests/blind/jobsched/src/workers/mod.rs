pub mod pool;

use std::thread::{self, JoinHandle};
use std::time::Duration;

use crate::jobs::Job;

pub use pool::Pool;

pub const MAX_ATTEMPTS: u32 = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkerState { Running, Exited }

pub struct WorkerSlot {
    pub handle: Option<JoinHandle<()>>,
    pub state: WorkerState,
}

pub fn execute(job: &Job) -> Result<(), String> {
    thread::sleep(Duration::from_millis(job.work_ms));
    if job.attempt < job.fail_times { Err(format!("{} failed on attempt {}", job.name, job.attempt)) } else { Ok(()) }
}
