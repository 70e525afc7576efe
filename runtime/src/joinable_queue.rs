//! A queue that knows when its work is done (Python: `queue.Queue` with `task_done`/`join`,
//! `multiprocessing.JoinableQueue`).

use std::fmt;
use std::panic::Location;
use std::sync::Arc;
use std::time::Duration;

use parking_lot::{Condvar, Mutex};

use crate::explore;
use crate::remote::protocol::{Op, Wait};
use crate::remote::share::{wait_for, Remote};
use crate::{Empty, Full, Queue};

/// A [`Queue`] that also counts unfinished tasks (Python: `multiprocessing.JoinableQueue`).
///
/// Every item put is a task; a consumer calls [`task_done`](JoinableQueue::task_done) once it has
/// finished with an item it got, and [`join`](JoinableQueue::join) waits until every task put so
/// far is done. Like `Queue`, it is a handle: clones share the same queue.
///
/// ```
/// use racecheck::{JoinableQueue, Shared, Thread};
///
/// static PROCESSED: Shared<u32> = Shared::new(0);
///
/// let tasks = JoinableQueue::new();
/// let consumer = tasks.clone();
/// // The consumer runs forever: `join` below, not the thread's end, says the work is done.
/// let _worker = Thread::spawn(move || loop {
///     let n: u32 = consumer.get();
///     PROCESSED.set(PROCESSED.get() + n); // only this thread writes
///     consumer.task_done().unwrap();
/// });
/// for n in 1..=3 {
///     tasks.put(n);
/// }
/// tasks.join();
/// assert_eq!(PROCESSED.get(), 6);
/// ```
pub struct JoinableQueue<T> {
    queue: Queue<T>,
    tasks: Arc<TaskCount>,
}

impl<T> Clone for JoinableQueue<T> {
    fn clone(&self) -> Self {
        JoinableQueue {
            queue: self.queue.clone(),
            tasks: self.tasks.clone(),
        }
    }
}

impl<T: Send> JoinableQueue<T> {
    /// An unbounded joinable queue.
    ///
    /// ```
    /// let queue = racecheck::JoinableQueue::<u8>::new();
    /// queue.join(); // nothing put: returns at once
    /// ```
    #[track_caller]
    pub fn new() -> Self {
        JoinableQueue::wrap(Queue::new())
    }

    /// A joinable queue holding at most `cap` items; 0 means unbounded, as in Python.
    ///
    /// ```
    /// let queue = racecheck::JoinableQueue::bounded(1);
    /// queue.put(1);
    /// assert_eq!(queue.try_put(2), Err(racecheck::Full(2)));
    /// ```
    #[track_caller]
    pub fn bounded(cap: usize) -> Self {
        JoinableQueue::wrap(Queue::bounded(cap))
    }

    fn wrap(queue: Queue<T>) -> Self {
        JoinableQueue {
            queue,
            tasks: Arc::default(),
        }
    }

    /// Another process's joinable queue, given to this one: its server counts the tasks.
    pub(crate) fn from_remote(remote: Remote<T>) -> Self {
        JoinableQueue::wrap(Queue::from_remote(remote))
    }

    pub(crate) fn queue(&self) -> &Queue<T> {
        &self.queue
    }

    /// Adds a task at the back, waiting while a bounded queue is full.
    ///
    /// ```
    /// let queue = racecheck::JoinableQueue::new();
    /// queue.put("task");
    /// assert_eq!(queue.len(), 1);
    /// ```
    #[track_caller]
    pub fn put(&self, v: T) {
        if let Some(remote) = self.queue.remote() {
            return remote
                .put(v, Wait::Forever)
                .unwrap_or_else(|_| unreachable!("a blocking put ends with room"));
        }
        // Counted before it is visible, so that its `task_done` can never come first.
        self.tasks.add();
        self.queue.put(v);
    }

    /// Adds a task if there is room now; gives it back in [`Full`] if not.
    ///
    /// ```
    /// let queue = racecheck::JoinableQueue::bounded(1);
    /// queue.put(1);
    /// assert_eq!(queue.try_put(2), Err(racecheck::Full(2)));
    /// queue.get();
    /// queue.task_done().unwrap();
    /// queue.join(); // the refused item was never a task
    /// ```
    #[track_caller]
    pub fn try_put(&self, v: T) -> Result<(), Full<T>> {
        if let Some(remote) = self.queue.remote() {
            return remote.put(v, Wait::Never).map_err(Full);
        }
        self.tasks.add();
        self.queue.try_put(v).inspect_err(|_| self.tasks.withdraw())
    }

    /// Adds a task, waiting at most `d` for room; gives it back in [`Full`] on timeout.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let queue = racecheck::JoinableQueue::bounded(1);
    /// queue.put(1);
    /// assert_eq!(queue.put_timeout(2, Duration::from_millis(1)), Err(racecheck::Full(2)));
    /// ```
    #[track_caller]
    pub fn put_timeout(&self, v: T, d: Duration) -> Result<(), Full<T>> {
        if let Some(remote) = self.queue.remote() {
            return remote.put(v, wait_for(Some(d))).map_err(Full);
        }
        self.tasks.add();
        self.queue
            .put_timeout(v, d)
            .inspect_err(|_| self.tasks.withdraw())
    }

    /// Takes the task at the front, waiting while the queue is empty.
    ///
    /// ```
    /// let queue = racecheck::JoinableQueue::new();
    /// queue.put(9);
    /// assert_eq!(queue.get(), 9);
    /// ```
    #[track_caller]
    pub fn get(&self) -> T {
        self.queue.get()
    }

    /// Takes the task at the front if there is one.
    ///
    /// ```
    /// assert_eq!(racecheck::JoinableQueue::<u8>::new().try_get(), Err(racecheck::Empty));
    /// ```
    #[track_caller]
    pub fn try_get(&self) -> Result<T, Empty> {
        self.queue.try_get()
    }

    /// Takes the task at the front, waiting at most `d` for one.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let queue = racecheck::JoinableQueue::<u8>::new();
    /// assert_eq!(queue.get_timeout(Duration::from_millis(1)), Err(racecheck::Empty));
    /// ```
    #[track_caller]
    pub fn get_timeout(&self, d: Duration) -> Result<T, Empty> {
        self.queue.get_timeout(d)
    }

    /// How many items are waiting to be taken (not how many tasks are unfinished); a snapshot.
    ///
    /// ```
    /// let queue = racecheck::JoinableQueue::new();
    /// queue.put(());
    /// queue.get();
    /// assert_eq!(queue.len(), 0); // taken, though not yet done
    /// ```
    #[track_caller]
    pub fn len(&self) -> usize {
        self.queue.len()
    }

    /// `true` if no item is waiting to be taken; a snapshot.
    ///
    /// ```
    /// assert!(racecheck::JoinableQueue::<u8>::new().is_empty());
    /// ```
    #[track_caller]
    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    /// The most items the queue holds; `None` if unbounded.
    ///
    /// ```
    /// assert_eq!(racecheck::JoinableQueue::<u8>::bounded(4).capacity(), Some(4));
    /// ```
    pub fn capacity(&self) -> Option<usize> {
        self.queue.capacity()
    }

    /// Marks one task done. Errs, changing nothing, when called more often than items were put
    /// (Python raises `ValueError`).
    ///
    /// ```
    /// let queue = racecheck::JoinableQueue::new();
    /// queue.put(1);
    /// queue.get();
    /// assert_eq!(queue.task_done(), Ok(()));
    /// assert_eq!(queue.task_done(), Err(racecheck::TaskDoneError));
    /// ```
    #[track_caller]
    pub fn task_done(&self) -> Result<(), TaskDoneError> {
        if let Some(cx) = explore::context() {
            let (stamp, init) = self.queue.explored();
            return cx
                .queue_task_done(stamp, init, Location::caller())
                .map_err(|()| TaskDoneError);
        }
        if let Some(remote) = self.queue.remote() {
            return remote.flag(Op::TaskDone).then_some(()).ok_or(TaskDoneError);
        }
        self.tasks.done()
    }

    /// Waits until every task put so far has been marked done.
    ///
    /// ```
    /// let queue = racecheck::JoinableQueue::new();
    /// queue.put(1);
    /// queue.get();
    /// queue.task_done().unwrap();
    /// queue.join();
    /// ```
    #[track_caller]
    pub fn join(&self) {
        if let Some(cx) = explore::context() {
            let (stamp, init) = self.queue.explored();
            return cx.queue_join(stamp, init, Location::caller());
        }
        if let Some(remote) = self.queue.remote() {
            remote.flag(Op::JoinTasks);
            return;
        }
        self.tasks.wait_all_done();
    }

    /// Waits at most `d` for every task to be done: `true` if they were. Real mode only: what
    /// the server of a queue shared with other processes waits with.
    pub(crate) fn join_timeout(&self, d: Duration) -> bool {
        self.tasks.wait_all_done_for(d)
    }
}

impl<T: Send> Default for JoinableQueue<T> {
    /// An unbounded joinable queue.
    #[track_caller]
    fn default() -> Self {
        JoinableQueue::new()
    }
}

impl<T: Send> fmt::Debug for JoinableQueue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinableQueue")
            .field("len", &self.len())
            .field("capacity", &self.capacity())
            .field("unfinished", &*self.tasks.unfinished.lock())
            .finish()
    }
}

/// Tasks put and not yet done.
#[derive(Default)]
struct TaskCount {
    unfinished: Mutex<usize>,
    all_done: Condvar,
}

impl TaskCount {
    fn add(&self) {
        *self.unfinished.lock() += 1;
    }

    /// Takes back an `add` whose item was refused.
    fn withdraw(&self) {
        // Fails only if a surplus `task_done` elsewhere already consumed this count: the count is
        // then where it belongs, and that `task_done` got `Ok` instead of its error.
        let _ = self.done();
    }

    fn done(&self) -> Result<(), TaskDoneError> {
        let mut unfinished = self.unfinished.lock();
        *unfinished = unfinished.checked_sub(1).ok_or(TaskDoneError)?;
        if *unfinished == 0 {
            self.all_done.notify_all();
        }
        Ok(())
    }

    fn wait_all_done(&self) {
        let mut unfinished = self.unfinished.lock();
        self.all_done
            .wait_while(&mut unfinished, |unfinished| *unfinished > 0);
    }

    fn wait_all_done_for(&self, d: Duration) -> bool {
        let mut unfinished = self.unfinished.lock();
        self.all_done
            .wait_while_for(&mut unfinished, |unfinished| *unfinished > 0, d);
        *unfinished == 0
    }
}

/// [`JoinableQueue::task_done`] was called more often than items were put.
///
/// ```
/// let error = racecheck::JoinableQueue::<u8>::new().task_done().unwrap_err();
/// assert_eq!(error.to_string(), "task_done() called more times than there were items put");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskDoneError;

impl fmt::Display for TaskDoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("task_done() called more times than there were items put")
    }
}

impl std::error::Error for TaskDoneError {}
