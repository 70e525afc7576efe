//! The join handle of a logical thread: the thread's id in its execution, and the slot its
//! function's value lands in.

use std::panic::Location;
use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;

use super::context::{context, Cx};
use super::ids::ThreadId;
use super::model::{Ended, Patience};
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
        self.join_ended().map_err(only_panics)
    }

    /// [`join`](Self::join) of a thread that may have been stopped ([`stop`](Self::stop)).
    #[track_caller]
    pub(crate) fn join_ended(self) -> Result<T, Ended> {
        let outcome = owning_context().join(self.thread, Patience::Forever, Location::caller());
        self.outcome(outcome.expect("a join without timeout ends with the thread"))
    }

    /// Stops the thread at its next scheduling point (a process's `terminate`).
    #[track_caller]
    pub(crate) fn stop(&self) {
        owning_context().stop(self.thread, Location::caller());
    }

    /// Whether the thread ended by being stopped.
    pub(crate) fn was_stopped(&self) -> bool {
        owning_context().was_stopped(self.thread)
    }

    /// Whether the thread ended by panicking.
    pub(crate) fn panicked(&self) -> bool {
        owning_context().panicked(self.thread)
    }

    /// `Err(self)` if the timeout fired first (a scheduling choice, not wall time).
    #[track_caller]
    pub(crate) fn join_timeout(self, d: Duration) -> Result<Result<T, Panicked>, Self> {
        match owning_context().join(self.thread, Patience::timeout(d), Location::caller()) {
            Some(outcome) => Ok(self.outcome(outcome).map_err(only_panics)),
            None => Err(self),
        }
    }

    fn outcome(self, finished: Result<(), Ended>) -> Result<T, Ended> {
        finished.map(|()| {
            self.value
                .lock()
                .take()
                .expect("a thread that finished without panicking left its value")
        })
    }
}

/// Only a process's logical thread is ever stopped: a thread's join sees panics alone.
fn only_panics(ended: Ended) -> Panicked {
    match ended {
        Ended::Panicked(panicked) => panicked,
        Ended::Stopped => unreachable!("only a process is stopped, and it is joined as one"),
    }
}
