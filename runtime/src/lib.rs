//! racecheck: Python's `threading` / `multiprocessing` primitives for Rust, runnable for real or
//! under a deterministic schedule explorer that finds deadlocks and races.
//!
//! One set of types, two modes. Outside [`explore`](fn@explore) they are real primitives: OS
//! threads, real blocking, production speed. Inside `explore` the very same values are driven by
//! the engine, which makes every operation a scheduling point. Every operation is
//! `#[track_caller]`, so each event carries the user's file, line and column.
//!
//! # From Python
//!
//! | Python | racecheck | notes |
//! | --- | --- | --- |
//! | `threading.Thread(target=f, name=n).start()` | [`Thread::new(f).name(n).start()`](Thread) | returns a [`JoinHandle`]; [`Thread::spawn`] for short |
//! | `t.join()`, `t.is_alive()`, `t.name` | [`JoinHandle::join`], [`is_alive`](JoinHandle::is_alive), [`name`](JoinHandle::name) | `join` returns the thread's value, or [`Panicked`] |
//! | `threading.current_thread()`, `threading.enumerate()` | [`current_thread()`], [`enumerate()`] | [`ThreadInfo`]: name and ident |
//! | `threading.Lock` | [`Lock<T>`](Lock) | guards its data; [`acquire`](Lock::acquire) returns a [`LockGuard`] |
//! | `threading.RLock` | [`RLock<T>`](RLock) | guards give shared access only |
//! | `threading.Event` | [`Event`] | |
//! | `threading.Condition(lock)` | [`Condition`] | waits with a [`LockGuard`] of its lock |
//! | `threading.Semaphore`, `BoundedSemaphore` | [`Semaphore::new`], [`Semaphore::bounded`] | [`acquire`](Semaphore::acquire) returns a [`Permit`] |
//! | `threading.Barrier(n)` | [`Barrier::new(n)`](Barrier) | [`wait`](Barrier::wait) is `true` for one leader |
//! | `queue.Queue`, `multiprocessing.Queue` | [`Queue`] | a cloneable handle |
//! | `multiprocessing.JoinableQueue` | [`JoinableQueue`] | `task_done` / `join` |
//! | `multiprocessing.Pipe()` | [`Pipe::new()`](Pipe::new) | two [`Connection`]s |
//! | `multiprocessing.Pool(n)` | [`Pool::new(n)`](Pool::new) | `map`, `apply`, `apply_async` ([`AsyncResult`]), `imap`, `imap_unordered` |
//! | `multiprocessing.Process(target=f, args=a).start()` | [`Process::new(f).args(a).start()`](Process) | a real OS process; `join` gives the value or [`ProcessError`] |
//! | `multiprocessing.Manager()`, `BaseManager(address, authkey)` | [`Manager::start`], [`Manager::serve`], [`Manager::connect`] | named `Queue`, `JoinableQueue`, `Event`, [`Dict`], [`List`] |
//! | a module-level variable | [`Shared<T>`](Shared) | each `get`/`set` atomic, the pair not |
//!
//! # Where the Rust version differs
//!
//! - **Guards, not acquire/release pairs.** Locks guard the data they protect, as `std::sync::Mutex`
//!   does: `acquire` returns a guard and dropping it releases the lock, so a release cannot be
//!   forgotten or doubled. A [`Semaphore`]'s [`Permit`] works the same way ([`Permit::forget`] and
//!   [`Semaphore::release`] remain for code that releases elsewhere).
//! - **No poisoning.** A thread that panics while holding a lock releases it; the data is
//!   available as it was left.
//! - **Errors are values.** Where Python raises, racecheck returns a `Result` ([`Panicked`],
//!   [`Empty`], [`Full`] which gives the item back, [`OverRelease`], [`TaskDoneError`],
//!   [`Disconnected`], [`PoolError`]); a panic is kept for misuse that is a bug in the program
//!   (a [`Condition`] used with two locks, submitting to a closed [`Pool`]) and for a pool task's
//!   panic, which reaches the caller waiting for its result.
//! - **[`Shared`] instead of a global.** Rust has no unsynchronised global variables; `Shared`
//!   keeps the tutorial's "global counter" and its lost-update race, visibly.
//! - **Pools take closures.** Tasks are `Fn`/`FnOnce` closures, not picklable functions, and the
//!   workers are threads. Dropping a [`Pool`] closes and joins it: no submitted work is lost.
//! - **`Condition` does not own its lock.** It binds to the [`Lock`] of the first guard it waits
//!   with.
//! - **Timeouts are separate methods** (`acquire_timeout`, `wait_timeout`, `get_timeout` …)
//!   rather than optional arguments.
//!
//! ```
//! use racecheck::{Lock, Thread};
//!
//! static COUNTER: Lock<u64> = Lock::new(0);
//!
//! let threads: Vec<_> = (0..3)
//!     .map(|_| Thread::spawn(|| for _ in 0..100 { *COUNTER.acquire() += 1 }))
//!     .collect();
//! for thread in threads {
//!     thread.join().unwrap();
//! }
//! assert_eq!(*COUNTER.acquire(), 300);
//! ```

#![warn(missing_docs)]

mod barrier;
mod condition;
mod event;
pub mod explore;
mod joinable_queue;
mod location;
mod lock;
mod manager;
mod panic_message;
mod pipe;
mod pool;
mod process;
mod queue;
mod remote;
mod rlock;
mod semaphore;
mod shared;
mod thread;
mod thread_registry;
mod vocab;

pub use barrier::Barrier;
pub use condition::Condition;
pub use event::Event;
pub use explore::{explore, replay, Config, Finding, FindingKind, Report, Strategy, TraceEvent};
pub use joinable_queue::{JoinableQueue, TaskDoneError};
pub use location::SourceLocation;
pub use lock::{Lock, LockGuard};
pub use manager::{Dict, List, Manager};
pub use pipe::{Connection, Disconnected, Pipe};
pub use pool::{AsyncResult, Pool, PoolError};
pub use process::{child_main, Process, ProcessError, ProcessHandle};
pub use queue::{Empty, Full, Queue};
pub use remote::RemoteError;
pub use rlock::{RLock, RLockGuard};
pub use semaphore::{OverRelease, Permit, Semaphore};
pub use shared::Shared;
pub use thread::{current_thread, enumerate, JoinHandle, Thread};
pub use vocab::{Panicked, ThreadInfo};

pub use racecheck_instrument::{main, test};
