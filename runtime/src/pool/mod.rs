//! A pool of worker threads (Python: `multiprocessing.Pool`): the public type, over a real pool
//! (`real`: OS threads and channels) or, under exploration, an explored one (`explored`: built
//! from explored `Thread`s, `Queue`s and `Event`s).

mod explored;
mod in_place;
mod real;

use std::fmt;
use std::thread;
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError, Select};

use crate::explore;
use explored::{ExploredPool, ExploredResult};
use in_place::MapFailure;
use real::{AsCompleted, InOrder, Outcome, RealPool};

/// Batches per worker in [`Pool::map`]: several, so that a worker that finishes early takes
/// another one, few enough that the per-batch cost vanishes (Python's `chunksize` heuristic).
const BATCHES_PER_WORKER: usize = 4;

/// A fixed set of worker threads that run closures (Python: `multiprocessing.Pool`, whose
/// workers are processes; here they are threads, and tasks are closures instead of picklable
/// functions).
///
/// A task's panic does not kill its worker: it reaches whoever waits for the task's result —
/// [`map`](Pool::map), [`apply`](Pool::apply), [`AsyncResult::get`] or the `imap` iterators —
/// as a panic whose message includes the task's.
///
/// A pool ends with [`close`](Pool::close) (finish the work submitted, take no more) or
/// [`terminate`](Pool::terminate) (drop the work not yet started), then [`join`](Pool::join).
/// Dropping a pool closes and joins it, so that no submitted work is lost: every task already
/// submitted runs before the drop returns.
///
/// ```
/// use racecheck::Pool;
///
/// let pool = Pool::new(4);
/// let squares = pool.map(|x: u64| x * x, 1..=5);
/// assert_eq!(squares, [1, 4, 9, 16, 25]);
/// pool.close();
/// pool.join().unwrap();
/// ```
pub struct Pool {
    repr: PoolRepr,
    workers: usize,
}

/// Real worker threads, or under exploration, logical ones.
enum PoolRepr {
    Real(RealPool),
    Explored(ExploredPool),
}

impl Pool {
    /// A pool of `workers` threads; 0 means one per CPU core (Python's `Pool()` default).
    ///
    /// ```
    /// let pool = racecheck::Pool::new(2);
    /// assert_eq!(pool.workers(), 2);
    /// ```
    #[track_caller]
    pub fn new(workers: usize) -> Self {
        let workers = match workers {
            0 => thread::available_parallelism().map_or(1, usize::from),
            n => n,
        };
        let repr = if explore::context().is_some() {
            PoolRepr::Explored(ExploredPool::new(workers))
        } else {
            PoolRepr::Real(RealPool::new(workers))
        };
        Pool { repr, workers }
    }

    /// How many worker threads the pool has.
    ///
    /// ```
    /// assert!(racecheck::Pool::new(0).workers() >= 1);
    /// ```
    pub fn workers(&self) -> usize {
        self.workers
    }

    /// Applies `f` to every item on the workers and returns the results in the items' order.
    /// The items are split into a few batches per worker, so that cheap functions pay little for
    /// the hand-over.
    ///
    /// # Panics
    ///
    /// If a task panics (with its message), if the pool is closed, or if it is terminated before
    /// every batch ran.
    ///
    /// ```
    /// let pool = racecheck::Pool::new(2);
    /// let lengths = pool.map(|word: &str| word.len(), ["a", "bb", "ccc"]);
    /// assert_eq!(lengths, [1, 2, 3]);
    /// ```
    #[track_caller]
    pub fn map<A, R, F>(&self, f: F, items: impl IntoIterator<Item = A>) -> Vec<R>
    where
        A: Send + 'static,
        R: Send + 'static,
        F: Fn(A) -> R + Send + Sync + 'static,
    {
        let real = match &self.repr {
            PoolRepr::Real(real) => real,
            PoolRepr::Explored(pool) => return pool.imap(f, items).collect(),
        };
        // Collecting a `Vec`'s own iterator reuses its buffer: no copy.
        let items: Vec<A> = items.into_iter().collect();
        let batch_len = items
            .len()
            .div_ceil(self.workers * BATCHES_PER_WORKER)
            .max(1);
        // A `match`, not a closure: the panics below are at the caller's `map`.
        match real.map_in_place(f, items, batch_len) {
            Ok(mapped) => mapped,
            Err(MapFailure::Rejected(error)) => real::rejected(error),
            Err(MapFailure::Panicked(message)) => real::value_or_resume(Err(message)),
            Err(MapFailure::Discarded) => real::discarded(),
        }
    }

    /// Runs `f` on a worker and waits for its result (Python: `apply`).
    ///
    /// # Panics
    ///
    /// If the task panics (with its message), if the pool is closed, or if it is terminated
    /// before the task ran.
    ///
    /// ```
    /// let pool = racecheck::Pool::new(1);
    /// assert_eq!(pool.apply(|| "computed elsewhere"), "computed elsewhere");
    /// ```
    #[track_caller]
    pub fn apply<R, F>(&self, f: F) -> R
    where
        R: Send + 'static,
        F: FnOnce() -> R + Send + 'static,
    {
        self.apply_async(f).get()
    }

    /// Runs `f` on a worker; the returned [`AsyncResult`] gives its result when it is ready
    /// (Python: `apply_async`).
    ///
    /// # Panics
    ///
    /// If the pool is closed.
    ///
    /// ```
    /// let pool = racecheck::Pool::new(2);
    /// let pending: Vec<_> = (0..3).map(|i| pool.apply_async(move || i * 10)).collect();
    /// let results: Vec<i32> = pending.into_iter().map(|result| result.get()).collect();
    /// assert_eq!(results, [0, 10, 20]);
    /// ```
    #[track_caller]
    pub fn apply_async<R, F>(&self, f: F) -> AsyncResult<R>
    where
        R: Send + 'static,
        F: FnOnce() -> R + Send + 'static,
    {
        let repr = match &self.repr {
            PoolRepr::Real(real) => {
                AsyncRepr::Real(real.spawn(f).unwrap_or_else(|error| real::rejected(error)))
            }
            PoolRepr::Explored(pool) => AsyncRepr::Explored(pool.apply_async(f)),
        };
        AsyncResult { repr }
    }

    /// Applies `f` to every item on the workers; the returned iterator yields the results in the
    /// items' order, each as soon as it and those before it are ready (Python: `imap`). Every
    /// item is submitted at once, one task each.
    ///
    /// # Panics
    ///
    /// If the pool is closed. The iterator panics when it reaches a task that panicked, or one
    /// that a terminate discarded.
    ///
    /// ```
    /// let pool = racecheck::Pool::new(2);
    /// let mut doubled = pool.imap(|x: i32| x * 2, vec![1, 2, 3]);
    /// assert_eq!(doubled.next(), Some(2));
    /// assert_eq!(doubled.collect::<Vec<_>>(), [4, 6]);
    /// ```
    #[track_caller]
    pub fn imap<A, R, F>(&self, f: F, items: impl IntoIterator<Item = A>) -> impl Iterator<Item = R>
    where
        A: Send + 'static,
        R: Send + 'static,
        F: Fn(A) -> R + Send + Sync + 'static,
    {
        match &self.repr {
            PoolRepr::Real(real) => {
                let (outcomes, total) = real
                    .spawn_each(f, items)
                    .unwrap_or_else(|error| real::rejected(error));
                Either::Real(InOrder::new(outcomes, total))
            }
            PoolRepr::Explored(pool) => Either::Explored(pool.imap(f, items)),
        }
    }

    /// Like [`imap`](Pool::imap), but yields each result as soon as it is ready, in whatever
    /// order the tasks finish (Python: `imap_unordered`).
    ///
    /// # Panics
    ///
    /// As [`imap`](Pool::imap).
    ///
    /// ```
    /// let pool = racecheck::Pool::new(2);
    /// let mut results: Vec<i32> = pool.imap_unordered(|x: i32| x + 1, 0..4).collect();
    /// results.sort();
    /// assert_eq!(results, [1, 2, 3, 4]);
    /// ```
    #[track_caller]
    pub fn imap_unordered<A, R, F>(
        &self,
        f: F,
        items: impl IntoIterator<Item = A>,
    ) -> impl Iterator<Item = R>
    where
        A: Send + 'static,
        R: Send + 'static,
        F: Fn(A) -> R + Send + Sync + 'static,
    {
        match &self.repr {
            PoolRepr::Real(real) => {
                let (outcomes, total) = real
                    .spawn_each(f, items)
                    .unwrap_or_else(|error| real::rejected(error));
                Either::Real(AsCompleted::new(outcomes, total))
            }
            PoolRepr::Explored(pool) => Either::Explored(pool.imap_unordered(f, items)),
        }
    }

    /// Takes no more tasks; the workers finish those submitted, then exit. Submitting afterwards
    /// panics.
    ///
    /// ```
    /// let pool = racecheck::Pool::new(1);
    /// let pending = pool.apply_async(|| 5);
    /// pool.close();
    /// assert_eq!(pending.get(), 5); // submitted before close: still runs
    /// pool.join().unwrap();
    /// ```
    #[track_caller]
    pub fn close(&self) {
        match &self.repr {
            PoolRepr::Real(real) => real.close(),
            PoolRepr::Explored(pool) => pool.close(),
        }
    }

    /// Takes no more tasks and discards those not yet started; the workers exit once their
    /// current task returns (a running task cannot be stopped from outside). Waiting for a
    /// discarded task's result panics.
    ///
    /// ```
    /// let pool = racecheck::Pool::new(1);
    /// pool.terminate();
    /// pool.join().unwrap();
    /// ```
    #[track_caller]
    pub fn terminate(&self) {
        match &self.repr {
            PoolRepr::Real(real) => real.terminate(),
            PoolRepr::Explored(pool) => pool.terminate(),
        }
    }

    /// Waits for the workers to exit. Errs at once with [`PoolError::StillOpen`] if the pool was
    /// neither closed nor terminated, since the workers would never exit (Python raises
    /// `ValueError`).
    ///
    /// ```
    /// let pool = racecheck::Pool::new(1);
    /// assert_eq!(pool.join(), Err(racecheck::PoolError::StillOpen));
    /// pool.close();
    /// assert_eq!(pool.join(), Ok(()));
    /// ```
    #[track_caller]
    pub fn join(&self) -> Result<(), PoolError> {
        match &self.repr {
            PoolRepr::Real(real) => real.join(),
            PoolRepr::Explored(pool) => pool.join(),
        }
    }
}

impl Drop for Pool {
    /// Closes and joins: every task submitted runs before the drop returns.
    fn drop(&mut self) {
        match &self.repr {
            PoolRepr::Real(real) => {
                real.close();
                // Closed just above, so `join` cannot report `StillOpen`.
                let _ = real.join();
            }
            PoolRepr::Explored(pool) => pool.close_and_join(),
        }
    }
}

impl fmt::Debug for Pool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pool")
            .field("workers", &self.workers)
            .field(
                "status",
                &match &self.repr {
                    PoolRepr::Real(real) => real.status(),
                    PoolRepr::Explored(_) => "explored",
                },
            )
            .finish()
    }
}

/// The result-to-be of a task given to [`Pool::apply_async`] (Python: `AsyncResult`).
///
/// ```
/// let pool = racecheck::Pool::new(1);
/// let result = pool.apply_async(|| 2 + 2);
/// result.wait();
/// assert!(result.ready());
/// assert_eq!(result.get(), 4);
/// ```
pub struct AsyncResult<R> {
    repr: AsyncRepr<R>,
}

/// Where the outcome comes from.
enum AsyncRepr<R> {
    /// A one-slot channel: the outcome, or a disconnection if the task was discarded.
    Real(Receiver<Outcome<R>>),
    /// A task of a pool under exploration.
    Explored(ExploredResult<R>),
}

impl<R> AsyncResult<R> {
    /// Waits for the task and returns its value.
    ///
    /// # Panics
    ///
    /// If the task panicked (the panic is resumed here, with the task's message), or was
    /// discarded by [`Pool::terminate`].
    ///
    /// ```
    /// let pool = racecheck::Pool::new(1);
    /// let failing = pool.apply_async(|| -> u8 { panic!("division by zero") });
    /// let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| failing.get()));
    /// let message = caught.unwrap_err().downcast::<String>().unwrap();
    /// assert!(message.contains("division by zero"));
    /// ```
    #[track_caller]
    pub fn get(self) -> R {
        match self.repr {
            AsyncRepr::Real(outcome) => {
                let Ok(outcome) = outcome.recv() else {
                    real::discarded()
                };
                real::value_or_resume(outcome)
            }
            AsyncRepr::Explored(result) => result.get(),
        }
    }

    /// Waits at most `d` for the task; gives the `AsyncResult` back if it is not ready (Python:
    /// `get(timeout)` raising `TimeoutError`).
    ///
    /// # Panics
    ///
    /// As [`get`](AsyncResult::get).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let pool = racecheck::Pool::new(1);
    /// let gate = std::sync::Arc::new(racecheck::Event::new());
    /// let opened = gate.clone();
    /// let result = pool.apply_async(move || opened.wait());
    /// let result = result.get_timeout(Duration::from_millis(1)).unwrap_err();
    /// gate.set();
    /// assert!(result.get_timeout(Duration::from_secs(60)).is_ok());
    /// ```
    #[track_caller]
    pub fn get_timeout(self, d: Duration) -> Result<R, Self> {
        match self.repr {
            AsyncRepr::Real(outcome) => match outcome.recv_timeout(d) {
                Ok(outcome) => Ok(real::value_or_resume(outcome)),
                Err(RecvTimeoutError::Timeout) => Err(AsyncResult {
                    repr: AsyncRepr::Real(outcome),
                }),
                Err(RecvTimeoutError::Disconnected) => real::discarded(),
            },
            AsyncRepr::Explored(result) => result.get_timeout(d).map_err(|result| AsyncResult {
                repr: AsyncRepr::Explored(result),
            }),
        }
    }

    /// `true` once the task has finished (returned or panicked).
    ///
    /// ```
    /// let pool = racecheck::Pool::new(1);
    /// let result = pool.apply_async(|| ());
    /// result.wait();
    /// assert!(result.ready());
    /// ```
    #[track_caller]
    pub fn ready(&self) -> bool {
        match &self.repr {
            AsyncRepr::Real(outcome) => !outcome.is_empty(),
            AsyncRepr::Explored(result) => result.ready(),
        }
    }

    /// Waits until the task has finished, or was discarded by [`Pool::terminate`].
    ///
    /// ```
    /// let pool = racecheck::Pool::new(1);
    /// let result = pool.apply_async(|| 1);
    /// result.wait();
    /// assert_eq!(result.get(), 1);
    /// ```
    #[track_caller]
    pub fn wait(&self) {
        match &self.repr {
            AsyncRepr::Real(outcome) => {
                let mut select = Select::new();
                select.recv(outcome);
                select.ready();
            }
            AsyncRepr::Explored(result) => result.wait(),
        }
    }
}

impl<R> fmt::Debug for AsyncResult<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncResult")
            .field("ready", &self.ready())
            .finish()
    }
}

/// The results of `imap` and `imap_unordered`, from real workers or explored ones.
enum Either<Real, Explored> {
    Real(Real),
    Explored(Explored),
}

impl<R, Real: Iterator<Item = R>, Explored: Iterator<Item = R>> Iterator
    for Either<Real, Explored>
{
    type Item = R;

    fn next(&mut self) -> Option<R> {
        match self {
            Either::Real(results) => results.next(),
            Either::Explored(results) => results.next(),
        }
    }
}

/// A pool was used in a state that does not allow it.
///
/// ```
/// assert_eq!(racecheck::PoolError::StillOpen.to_string(), "the pool is still open: close() or terminate() it before join()");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PoolError {
    /// `join` on a pool that is still open.
    StillOpen,
    /// `map`/`apply` on a pool after `close`/`terminate`.
    Closed,
}

impl fmt::Display for PoolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PoolError::StillOpen => {
                "the pool is still open: close() or terminate() it before join()"
            }
            PoolError::Closed => {
                "the pool is closed: no task can be submitted after close() or terminate()"
            }
        })
    }
}

impl std::error::Error for PoolError {}
