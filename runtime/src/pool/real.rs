//! `Pool` in real mode: worker threads fed from one job channel, and the channels that bring
//! the tasks' outcomes back.

use std::collections::BTreeMap;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;

use crossbeam_channel::{Receiver, Sender};
use parking_lot::Mutex;

use super::PoolError;
use crate::panic_message::panic_message;

/// A unit of work for a worker; it reports its own outcome.
type Job = Box<dyn FnOnce() + Send>;

/// What a task gave: its value, or the message it panicked with.
pub(crate) type Outcome<R> = Result<R, String>;

/// Outcomes tagged with the index of the task (or batch) they come from.
pub(crate) type TaggedOutcomes<R> = Receiver<(usize, Outcome<R>)>;

/// Runs a task, catching its panic so that the worker survives it.
pub(crate) fn run_caught<R>(task: impl FnOnce() -> R) -> Outcome<R> {
    panic::catch_unwind(AssertUnwindSafe(task)).map_err(|payload| panic_message(&*payload))
}

/// The task's value, or its panic resumed in the caller with the task's message.
#[track_caller]
pub(crate) fn value_or_resume<R>(outcome: Outcome<R>) -> R {
    // A `match`, not `unwrap_or_else`: a closure would be the panic's location.
    match outcome {
        Ok(value) => value,
        Err(message) => panic!("racecheck: a pool task panicked: {message}"),
    }
}

/// The panic of a caller whose task will never run.
#[track_caller]
pub(crate) fn discarded() -> ! {
    panic!("racecheck: a pool task was discarded by Pool::terminate before it ran")
}

/// The panic of a submission to a pool that takes no more.
#[track_caller]
pub(crate) fn rejected(error: PoolError) -> ! {
    panic!("racecheck: {error}")
}

pub(crate) struct RealPool {
    intake: Mutex<Intake>,
    /// The workers' end of the job channel, kept to throw pending jobs away on terminate.
    backlog: Receiver<Job>,
    /// Set by terminate: workers drop the jobs they still find instead of running them.
    terminated: Arc<AtomicBool>,
    /// Taken (and joined) by the first `join` after close/terminate.
    workers: Mutex<Vec<thread::JoinHandle<()>>>,
}

/// Whether the pool takes tasks.
enum Intake {
    Open(Sender<Job>),
    Closed,
    Terminated,
}

impl RealPool {
    pub(crate) fn new(size: usize) -> Self {
        let (sender, backlog) = crossbeam_channel::unbounded::<Job>();
        let terminated = Arc::new(AtomicBool::new(false));
        let workers = (1..=size)
            .map(|number| {
                let jobs = backlog.clone();
                let terminated = terminated.clone();
                thread::Builder::new()
                    .name(format!("PoolWorker-{number}"))
                    .spawn(move || work(&jobs, &terminated))
                    .unwrap_or_else(|error| {
                        panic!("racecheck: the OS could not start a pool worker: {error}")
                    })
            })
            .collect();
        RealPool {
            intake: Mutex::new(Intake::Open(sender)),
            backlog,
            terminated,
            workers: Mutex::new(workers),
        }
    }

    /// A handle to submit jobs with, while the pool is open. Jobs sent after a terminate that
    /// raced with this call are dropped unrun by the workers.
    pub(super) fn submitter(&self) -> Result<Sender<Job>, PoolError> {
        match &*self.intake.lock() {
            Intake::Open(sender) => Ok(sender.clone()),
            Intake::Closed | Intake::Terminated => Err(PoolError::Closed),
        }
    }

    /// Runs `task` on a worker; its outcome arrives on the returned channel, which disconnects
    /// empty if the task is discarded by terminate.
    pub(crate) fn spawn<R, F>(&self, task: F) -> Result<Receiver<Outcome<R>>, PoolError>
    where
        R: Send + 'static,
        F: FnOnce() -> R + Send + 'static,
    {
        let submitter = self.submitter()?;
        let (report, outcome) = crossbeam_channel::bounded(1);
        send(&submitter, move || {
            // The caller may have dropped its `AsyncResult`: nobody to tell.
            let _ = report.send(run_caught(task));
        });
        Ok(outcome)
    }

    /// Runs `f` over each item, one job per item; outcomes arrive tagged with the item's index.
    pub(crate) fn spawn_each<A, R, F>(
        &self,
        f: F,
        items: impl IntoIterator<Item = A>,
    ) -> Result<(TaggedOutcomes<R>, usize), PoolError>
    where
        A: Send + 'static,
        R: Send + 'static,
        F: Fn(A) -> R + Send + Sync + 'static,
    {
        let submitter = self.submitter()?;
        let f = Arc::new(f);
        let (report, outcomes) = crossbeam_channel::unbounded();
        let mut count = 0;
        for (index, item) in items.into_iter().enumerate() {
            let f = f.clone();
            let report = report.clone();
            send(&submitter, move || {
                // The caller may have dropped the iterator: nobody to tell.
                let _ = report.send((index, run_caught(|| f(item))));
            });
            count += 1;
        }
        Ok((outcomes, count))
    }

    pub(crate) fn close(&self) {
        let mut intake = self.intake.lock();
        if let Intake::Open(_) = *intake {
            *intake = Intake::Closed;
        }
    }

    pub(crate) fn terminate(&self) {
        self.terminated.store(true, Ordering::Release);
        *self.intake.lock() = Intake::Terminated;
        // Dropping a job tells its caller it was discarded.
        while let Ok(job) = self.backlog.try_recv() {
            drop(job);
        }
    }

    pub(crate) fn join(&self) -> Result<(), PoolError> {
        if let Intake::Open(_) = *self.intake.lock() {
            return Err(PoolError::StillOpen);
        }
        // Held while joining: a concurrent `join` returns only once the workers are gone too.
        let mut workers = self.workers.lock();
        let me = thread::current().id();
        for worker in workers.drain(..) {
            // A pool dropped by its own task cannot wait for that task's worker: it detaches it.
            // Workers catch their tasks' panics, so a join error cannot happen.
            if worker.thread().id() != me {
                let _ = worker.join();
            }
        }
        Ok(())
    }

    /// `open`, `closed` or `terminated`.
    pub(crate) fn status(&self) -> &'static str {
        match *self.intake.lock() {
            Intake::Open(_) => "open",
            Intake::Closed => "closed",
            Intake::Terminated => "terminated",
        }
    }
}

impl fmt::Debug for RealPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pool")
            .field("status", &self.status())
            .field("pending", &self.backlog.len())
            .finish()
    }
}

pub(super) fn send(submitter: &Sender<Job>, job: impl FnOnce() + Send + 'static) {
    // The pool keeps a receiver of its own, so the channel cannot be disconnected.
    submitter
        .send(Box::new(job))
        .expect("a pool holds its own end of the job channel");
}

/// A worker's life: run jobs until the pool is closed and drained.
fn work(jobs: &Receiver<Job>, terminated: &AtomicBool) {
    for job in jobs {
        if terminated.load(Ordering::Acquire) {
            drop(job);
        } else {
            job();
        }
    }
}

/// The results of a pool's tasks in submission order, as they complete.
pub(crate) struct InOrder<R> {
    outcomes: TaggedOutcomes<R>,
    next: usize,
    total: usize,
    /// Results that came before their turn.
    early: BTreeMap<usize, Outcome<R>>,
}

impl<R> InOrder<R> {
    pub(crate) fn new(outcomes: TaggedOutcomes<R>, total: usize) -> Self {
        InOrder {
            outcomes,
            next: 0,
            total,
            early: BTreeMap::new(),
        }
    }
}

impl<R> Iterator for InOrder<R> {
    type Item = R;

    #[track_caller]
    fn next(&mut self) -> Option<R> {
        if self.next == self.total {
            return None;
        }
        let outcome = loop {
            if let Some(outcome) = self.early.remove(&self.next) {
                break outcome;
            }
            match self.outcomes.recv() {
                Ok((index, outcome)) if index == self.next => break outcome,
                Ok((index, outcome)) => {
                    self.early.insert(index, outcome);
                }
                Err(_) => discarded(),
            }
        };
        self.next += 1;
        Some(value_or_resume(outcome))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.total - self.next;
        (left, Some(left))
    }
}

/// The results of a pool's tasks in completion order.
pub(crate) struct AsCompleted<R> {
    outcomes: TaggedOutcomes<R>,
    left: usize,
}

impl<R> AsCompleted<R> {
    pub(crate) fn new(outcomes: TaggedOutcomes<R>, total: usize) -> Self {
        AsCompleted {
            outcomes,
            left: total,
        }
    }
}

impl<R> Iterator for AsCompleted<R> {
    type Item = R;

    #[track_caller]
    fn next(&mut self) -> Option<R> {
        if self.left == 0 {
            return None;
        }
        let Ok((_, outcome)) = self.outcomes.recv() else {
            discarded()
        };
        self.left -= 1;
        Some(value_or_resume(outcome))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}
