use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use super::{pipeline, ParseContext, ParserPool};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotState {
    Starting,
    Running,
    Draining,
    Exited,
}

pub struct WorkerSlot {
    handle: Option<JoinHandle<()>>,
    state: SlotState,
}

impl WorkerSlot {
    pub fn new(handle: JoinHandle<()>) -> WorkerSlot {
        WorkerSlot { handle: Some(handle), state: SlotState::Starting }
    }

    pub fn set_state(&mut self, state: SlotState) {
        self.state = state;
    }

    /// Joins the thread if it has not been joined yet.
    pub fn join(&mut self) -> bool {
        match self.handle.take() {
            Some(handle) => handle.join().is_ok(), // PLANTED: blocking-while-holding: ParserPool::shutdown() holds the workers lock here, and the exiting parser locks workers to record SlotState::Exited
            None => self.state == SlotState::Exited,
        }
    }
}

pub(super) fn run_parser(id: usize, pool: Arc<ParserPool>, ctx: Arc<ParseContext>) {
    pool.set_state(id, SlotState::Running);
    loop {
        if ctx.shutdown.is_triggered() {
            if !pool.has_queued_jobs() {
                break;
            }
            pool.set_state(id, SlotState::Draining);
        }
        let Some(page) = pool.next_job(Duration::from_millis(50)) else {
            continue;
        };
        pipeline::handle_page(&ctx, page);
        pool.job_done();
    }
    pool.set_state(id, SlotState::Exited);
}
