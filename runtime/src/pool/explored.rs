//! `Pool` under exploration, built from explored primitives: logical worker threads take tasks
//! from an explored `Queue`, and each task hands its outcome back through an explored `Event`
//! (or, for `imap_unordered`, a `Queue`). Every hand-over is therefore a scheduling point, and
//! happens-before flows submit -> task -> result exactly as through the primitives themselves.
//!
//! Those hand-overs are the pool's, not the user's, so each runs [`on_behalf_of`] the user's call
//! that caused it: the events of a `Pool` method carry its call site, a worker's take of a task
//! and its result carry the submitting call's (its take of a stop the `close`'s or `terminate`'s),
//! and a worker's wait for work (or a drop's close and join) the `Pool::new` call's. The user's task itself runs unattributed, with its own coordinates.

use std::panic::Location;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;

use super::real::{discarded, rejected, run_caught, value_or_resume, Outcome};
use crate::explore::{self, on_behalf_of, on_behalf_of_taking};
use crate::{Event, JoinHandle, PoolError, Queue, Thread};

/// Where the user called a pool method.
type Loc = &'static Location<'static>;

/// What a worker takes from the task queue, with the user's call that put it there: where the
/// worker's take is reported.
enum Message {
    Task(Box<dyn FnOnce() + Send>, Loc),
    /// One per worker, after the last task: the worker stops.
    Stop(Loc),
}

impl Message {
    fn sent_at(&self) -> Loc {
        match self {
            Message::Task(_, at) | Message::Stop(at) => at,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Open,
    Closed,
    Terminated,
}

pub(crate) struct ExploredPool {
    tasks: Queue<Message>,
    /// Set by `terminate`: workers drop the tasks they still find. Only one logical thread runs
    /// at a time, so this needs no synchronisation of its own.
    terminated: Arc<AtomicBool>,
    workers: Mutex<Vec<JoinHandle<()>>>,
    status: Mutex<Status>,
    size: usize,
    /// The `Pool::new` call: where the workers' own operations are reported.
    created_at: Loc,
}

/// Where a task's outcome goes; `None` means the task was discarded before it ran.
trait Sink<R>: Send + 'static {
    fn deliver(&self, outcome: Option<Outcome<R>>);
}

/// Delivers exactly once: the outcome, or `None` if the task is dropped without running (by
/// `terminate`, or by the teardown of a schedule), on behalf of the call that submitted it.
struct Delivery<R, S: Sink<R>> {
    sink: Option<S>,
    submitted_at: Loc,
    _result: std::marker::PhantomData<fn() -> R>,
}

impl<R, S: Sink<R>> Delivery<R, S> {
    fn new(sink: S, submitted_at: Loc) -> Self {
        Delivery {
            sink: Some(sink),
            submitted_at,
            _result: std::marker::PhantomData,
        }
    }

    fn deliver(mut self, outcome: Outcome<R>) {
        self.hand_over(Some(outcome));
    }

    fn hand_over(&mut self, outcome: Option<Outcome<R>>) {
        if let Some(sink) = self.sink.take() {
            on_behalf_of(self.submitted_at, || sink.deliver(outcome));
        }
    }
}

impl<R, S: Sink<R>> Drop for Delivery<R, S> {
    fn drop(&mut self) {
        self.hand_over(None);
    }
}

/// The outcome of one task, announced by an event (set -> wait is happens-before).
struct Slot<R> {
    done: Event,
    outcome: Mutex<Option<Option<Outcome<R>>>>,
}

impl<R: Send + 'static> Sink<R> for Arc<Slot<R>> {
    fn deliver(&self, outcome: Option<Outcome<R>>) {
        *self.outcome.lock() = Some(outcome);
        self.done.set();
    }
}

/// Outcomes in completion order.
impl<R: Send + 'static> Sink<R> for Queue<Option<Outcome<R>>> {
    fn deliver(&self, outcome: Option<Outcome<R>>) {
        self.put(outcome);
    }
}

impl ExploredPool {
    #[track_caller]
    pub(crate) fn new(size: usize) -> Self {
        let created_at = Location::caller();
        let tasks: Queue<Message> = Queue::new();
        let terminated = Arc::new(AtomicBool::new(false));
        let workers = on_behalf_of(created_at, || {
            (1..=size)
                .map(|n| {
                    let (tasks, terminated) = (tasks.clone(), Arc::clone(&terminated));
                    Thread::new(move || {
                        let take =
                            || on_behalf_of_taking(created_at, || tasks.get(), Message::sent_at);
                        while let Message::Task(task, _) = take() {
                            // Dropped unrun after `terminate`: its caller learns it was discarded.
                            if !terminated.load(Ordering::Relaxed) {
                                task();
                            }
                        }
                    })
                    .name(format!("PoolWorker-{n}"))
                    .start()
                })
                .collect()
        });
        ExploredPool {
            tasks,
            terminated,
            workers: Mutex::new(workers),
            status: Mutex::new(Status::Open),
            size,
            created_at,
        }
    }

    /// Queues `task` for a worker; its outcome goes to `sink` on behalf of `submitted_at`.
    fn submit<R: Send + 'static, S: Sink<R>>(
        &self,
        sink: S,
        task: impl FnOnce() -> R + Send + 'static,
        submitted_at: Loc,
    ) {
        if *self.status.lock() != Status::Open {
            rejected(PoolError::Closed);
        }
        let delivery = Delivery::new(sink, submitted_at);
        on_behalf_of(submitted_at, || {
            self.tasks.put(Message::Task(
                Box::new(move || delivery.deliver(run_caught(task))),
                submitted_at,
            ))
        });
    }

    #[track_caller]
    pub(crate) fn apply_async<R, F>(&self, f: F) -> ExploredResult<R>
    where
        R: Send + 'static,
        F: FnOnce() -> R + Send + 'static,
    {
        self.submit_one(f, Location::caller())
    }

    fn submit_one<R, F>(&self, f: F, submitted_at: Loc) -> ExploredResult<R>
    where
        R: Send + 'static,
        F: FnOnce() -> R + Send + 'static,
    {
        let result = ExploredResult::pending();
        self.submit(Arc::clone(&result.slot), f, submitted_at);
        result
    }

    /// One task per item, each applying `f`; `sink_for` says where each one's outcome goes.
    fn submit_each<A, R, F, S>(
        &self,
        f: F,
        items: impl IntoIterator<Item = A>,
        submitted_at: Loc,
        mut sink_for: impl FnMut() -> S,
    ) where
        A: Send + 'static,
        R: Send + 'static,
        F: Fn(A) -> R + Send + Sync + 'static,
        S: Sink<R>,
    {
        let f = Arc::new(f);
        for item in items {
            let f = Arc::clone(&f);
            self.submit(sink_for(), move || f(item), submitted_at);
        }
    }

    /// One task per item, results in the items' order as they are asked for.
    #[track_caller]
    pub(crate) fn imap<A, R, F>(
        &self,
        f: F,
        items: impl IntoIterator<Item = A>,
    ) -> impl Iterator<Item = R>
    where
        A: Send + 'static,
        R: Send + 'static,
        F: Fn(A) -> R + Send + Sync + 'static,
    {
        let called_at = Location::caller();
        let mut results = Vec::new();
        self.submit_each(f, items, called_at, || {
            let result = ExploredResult::pending();
            let sink = Arc::clone(&result.slot);
            results.push(result);
            sink
        });
        results
            .into_iter()
            .map(move |result| on_behalf_of(called_at, || result.get()))
    }

    /// One task per item, results as they complete.
    #[track_caller]
    pub(crate) fn imap_unordered<A, R, F>(
        &self,
        f: F,
        items: impl IntoIterator<Item = A>,
    ) -> impl Iterator<Item = R>
    where
        A: Send + 'static,
        R: Send + 'static,
        F: Fn(A) -> R + Send + Sync + 'static,
    {
        let called_at = Location::caller();
        let completed: Queue<Option<Outcome<R>>> = Queue::new();
        let mut total = 0;
        self.submit_each(f, items, called_at, || {
            total += 1;
            completed.clone()
        });
        // The task's panic is resumed within the attribution, so that it is reported at the
        // user's `imap_unordered`, as `imap`'s is.
        (0..total).map(move |_| {
            on_behalf_of(called_at, || match completed.get() {
                Some(outcome) => value_or_resume(outcome),
                None => discarded(),
            })
        })
    }

    #[track_caller]
    pub(crate) fn close(&self) {
        let called_at = Location::caller();
        on_behalf_of(called_at, || self.stop(Status::Closed, called_at));
    }

    /// Like `close`, and the tasks not yet started are dropped (their callers' waits panic).
    #[track_caller]
    pub(crate) fn terminate(&self) {
        self.terminated.store(true, Ordering::Relaxed);
        let called_at = Location::caller();
        on_behalf_of(called_at, || self.stop(Status::Terminated, called_at));
    }

    /// Moves the pool to `status` (a terminate overrides a close, not the other way round); if
    /// it was open, tells every worker to stop after the work queued (each takes its stop at
    /// `called_at`).
    fn stop(&self, status: Status, called_at: Loc) {
        let mut current = self.status.lock();
        let was_open = *current == Status::Open;
        if was_open || status == Status::Terminated {
            *current = status;
        }
        drop(current);
        if was_open {
            for _ in 0..self.size {
                self.tasks.put(Message::Stop(called_at));
            }
        }
    }

    #[track_caller]
    pub(crate) fn join(&self) -> Result<(), PoolError> {
        on_behalf_of(Location::caller(), || self.join_workers())
    }

    fn join_workers(&self) -> Result<(), PoolError> {
        if *self.status.lock() == Status::Open {
            return Err(PoolError::StillOpen);
        }
        let workers = std::mem::take(&mut *self.workers.lock());
        for worker in workers {
            // A task's panic is caught and delivered to its caller: workers do not panic.
            let _ = worker.join();
        }
        Ok(())
    }

    /// `Drop` of the pool, on behalf of its `Pool::new` (a drop has no call site): close and
    /// join, unless the schedule is being torn down, when the
    /// workers are unwound on their own and waiting for them could never end.
    pub(crate) fn close_and_join(&self) {
        if explore::context().is_some_and(|cx| cx.tearing_down()) {
            return;
        }
        on_behalf_of(self.created_at, || {
            self.stop(Status::Closed, self.created_at);
            let _ = self.join_workers();
        });
    }
}

/// [`AsyncResult`](crate::AsyncResult) of an explored pool.
pub(crate) struct ExploredResult<R> {
    slot: Arc<Slot<R>>,
}

impl<R> ExploredResult<R> {
    /// A result no task has delivered yet.
    fn pending() -> Self {
        let slot = Arc::new(Slot {
            done: Event::new(),
            outcome: Mutex::new(None),
        });
        ExploredResult { slot }
    }

    #[track_caller]
    pub(crate) fn get(self) -> R {
        self.slot.done.wait();
        self.take()
    }

    #[track_caller]
    pub(crate) fn get_timeout(self, d: Duration) -> Result<R, Self> {
        if self.slot.done.wait_timeout(d) {
            Ok(self.take())
        } else {
            Err(self)
        }
    }

    #[track_caller]
    pub(crate) fn ready(&self) -> bool {
        self.slot.done.is_set()
    }

    #[track_caller]
    pub(crate) fn wait(&self) {
        self.slot.done.wait();
    }

    #[track_caller]
    fn take(self) -> R {
        let outcome = self.slot.outcome.lock().take();
        match outcome {
            Some(Some(outcome)) => value_or_resume(outcome),
            _ => discarded(),
        }
    }
}
