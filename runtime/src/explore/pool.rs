//! `Pool` under exploration, built from explored primitives: logical worker threads take tasks
//! from an explored `Queue`, and each task hands its outcome back through an explored `Event`
//! (or, for `imap_unordered`, a `Queue`). Every hand-over is therefore a scheduling point, and
//! happens-before flows submit -> task -> result exactly as through the primitives themselves.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;

use crate::real_pool::{discarded, rejected, run_caught, value_or_resume, Outcome};
use crate::{Event, JoinHandle, PoolError, Queue, Thread};

enum Message {
    Task(Box<dyn FnOnce() + Send>),
    /// One per worker, after the last task: the worker stops.
    Stop,
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
}

/// Where a task's outcome goes; `None` means the task was discarded before it ran.
trait Sink<R>: Send + 'static {
    fn deliver(&self, outcome: Option<Outcome<R>>);
}

/// Delivers exactly once: the outcome, or `None` if the task is dropped without running (by
/// `terminate`, or by the teardown of a schedule).
struct Delivery<R, S: Sink<R>> {
    sink: Option<S>,
    _result: std::marker::PhantomData<fn() -> R>,
}

impl<R, S: Sink<R>> Delivery<R, S> {
    fn new(sink: S) -> Self {
        Delivery {
            sink: Some(sink),
            _result: std::marker::PhantomData,
        }
    }

    fn deliver(mut self, outcome: Outcome<R>) {
        if let Some(sink) = self.sink.take() {
            sink.deliver(Some(outcome));
        }
    }
}

impl<R, S: Sink<R>> Drop for Delivery<R, S> {
    fn drop(&mut self) {
        if let Some(sink) = self.sink.take() {
            sink.deliver(None);
        }
    }
}

/// The outcome of one task, announced by an event (set -> wait is happens-before).
struct Slot<R> {
    done: Event,
    outcome: Mutex<Option<Option<Outcome<R>>>>,
}

impl<R: Send + 'static> Sink<R> for Arc<Slot<R>> {
    #[track_caller]
    fn deliver(&self, outcome: Option<Outcome<R>>) {
        *self.outcome.lock() = Some(outcome);
        self.done.set();
    }
}

/// Outcomes in completion order.
impl<R: Send + 'static> Sink<R> for Queue<Option<Outcome<R>>> {
    #[track_caller]
    fn deliver(&self, outcome: Option<Outcome<R>>) {
        self.put(outcome);
    }
}

impl ExploredPool {
    #[track_caller]
    pub(crate) fn new(size: usize) -> Self {
        let tasks: Queue<Message> = Queue::new();
        let terminated = Arc::new(AtomicBool::new(false));
        let workers = (1..=size)
            .map(|n| {
                let (tasks, terminated) = (tasks.clone(), Arc::clone(&terminated));
                Thread::new(move || {
                    while let Message::Task(task) = tasks.get() {
                        // Dropped unrun after `terminate`: its caller learns it was discarded.
                        if !terminated.load(Ordering::Relaxed) {
                            task();
                        }
                    }
                })
                .name(format!("PoolWorker-{n}"))
                .start()
            })
            .collect();
        ExploredPool {
            tasks,
            terminated,
            workers: Mutex::new(workers),
            status: Mutex::new(Status::Open),
            size,
        }
    }

    #[track_caller]
    fn submit<R: Send + 'static, S: Sink<R>>(
        &self,
        sink: S,
        task: impl FnOnce() -> R + Send + 'static,
    ) {
        if *self.status.lock() != Status::Open {
            rejected(PoolError::Closed);
        }
        let delivery = Delivery::new(sink);
        self.tasks.put(Message::Task(Box::new(move || {
            delivery.deliver(run_caught(task))
        })));
    }

    #[track_caller]
    pub(crate) fn apply_async<R, F>(&self, f: F) -> ExploredResult<R>
    where
        R: Send + 'static,
        F: FnOnce() -> R + Send + 'static,
    {
        let slot = Arc::new(Slot {
            done: Event::new(),
            outcome: Mutex::new(None),
        });
        self.submit(Arc::clone(&slot), f);
        ExploredResult { slot }
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
        let f = Arc::new(f);
        let results: Vec<ExploredResult<R>> = items
            .into_iter()
            .map(|item| {
                let f = Arc::clone(&f);
                self.apply_async(move || f(item))
            })
            .collect();
        results.into_iter().map(ExploredResult::get)
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
        let f = Arc::new(f);
        let completed: Queue<Option<Outcome<R>>> = Queue::new();
        let mut total = 0;
        for item in items {
            let f = Arc::clone(&f);
            self.submit(completed.clone(), move || f(item));
            total += 1;
        }
        (0..total).map(move |_| match completed.get() {
            Some(outcome) => value_or_resume(outcome),
            None => discarded(),
        })
    }

    #[track_caller]
    pub(crate) fn close(&self) {
        self.stop(Status::Closed);
    }

    /// Like `close`, and the tasks not yet started are dropped (their callers' waits panic).
    #[track_caller]
    pub(crate) fn terminate(&self) {
        self.terminated.store(true, Ordering::Relaxed);
        self.stop(Status::Terminated);
    }

    /// Moves the pool to `status` (a terminate overrides a close, not the other way round); if
    /// it was open, tells every worker to stop after the work queued.
    #[track_caller]
    fn stop(&self, status: Status) {
        let mut current = self.status.lock();
        let was_open = *current == Status::Open;
        if was_open || status == Status::Terminated {
            *current = status;
        }
        drop(current);
        if was_open {
            for _ in 0..self.size {
                self.tasks.put(Message::Stop);
            }
        }
    }

    #[track_caller]
    pub(crate) fn join(&self) -> Result<(), PoolError> {
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

    /// `Drop` of the pool: close and join, unless the schedule is being torn down, when the
    /// workers are unwound on their own and waiting for them could never end.
    pub(crate) fn close_and_join(&self) {
        if super::context().is_some_and(|cx| cx.tearing_down()) {
            return;
        }
        self.close();
        let _ = self.join();
    }
}

/// [`AsyncResult`](crate::AsyncResult) of an explored pool.
pub(crate) struct ExploredResult<R> {
    slot: Arc<Slot<R>>,
}

impl<R> ExploredResult<R> {
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
