//! The join handle of a logical thread: the thread's id in its execution, and the slot its
//! function's value lands in.

use std::panic::Location;
use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;

use super::context::{context, Cx};
use super::ids::ThreadId;
use super::model::Patience;
use crate::vocab::{Panicked, ThreadInfo};

pub(crate) struct ExploredJoinHandle<T> {
    info: ThreadInfo,
    thread: ThreadId,
    value: Arc<Mutex<Option<T>>>,
}

/// The context of the execution that owns a handle: a handle cannot outlive its schedule.
fn owning_context() -> Cx {
    context().expect("racecheck: a thread started in an explored schedule was used outside of it")
}

impl<T: Send + 'static> ExploredJoinHandle<T> {
    pub(crate) fn spawn<F>(
        cx: Cx,
        name: Option<String>,
        f: F,
        location: &'static Location<'static>,
    ) -> Self
    where
        F: FnOnce() -> T + Send + 'static,
    {
        let value = Arc::new(Mutex::new(None));
        let slot = Arc::clone(&value);
        let (thread, name) = cx.spawn(name, Box::new(move || *slot.lock() = Some(f())), location);
        ExploredJoinHandle {
            info: ThreadInfo {
                name,
                ident: thread as u64 + 1,
            },
            thread,
            value,
        }
    }
}

impl<T> ExploredJoinHandle<T> {
    pub(crate) fn info(&self) -> &ThreadInfo {
        &self.info
    }

    #[track_caller]
    pub(crate) fn is_alive(&self) -> bool {
        owning_context().is_alive(self.thread, Location::caller())
    }

    #[track_caller]
    pub(crate) fn join(self) -> Result<T, Panicked> {
        let outcome = owning_context().join(self.thread, Patience::Forever, Location::caller());
        self.outcome(outcome.expect("a join without timeout ends with the thread"))
    }

    /// `Err(self)` if the timeout fired first (a scheduling choice, not wall time).
    #[track_caller]
    pub(crate) fn join_timeout(self, d: Duration) -> Result<Result<T, Panicked>, Self> {
        match owning_context().join(self.thread, Patience::timeout(d), Location::caller()) {
            Some(outcome) => Ok(self.outcome(outcome)),
            None => Err(self),
        }
    }

    fn outcome(self, finished: Result<(), Panicked>) -> Result<T, Panicked> {
        finished.map(|()| {
            self.value
                .lock()
                .take()
                .expect("a thread that finished without panicking left its value")
        })
    }
}
