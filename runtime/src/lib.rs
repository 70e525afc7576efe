//! racecheck: Python's `threading` / `multiprocessing` primitives for Rust, runnable for real or
//! under a deterministic schedule explorer.
//!
//! (crate docs: the Python ↔ Rust map is written by the runtime work; see ARCHITECTURE.md)

mod location;
mod thread;
mod lock;
mod rlock;
mod event;
mod condition;
mod semaphore;
mod barrier;
mod queue;
mod joinable_queue;
mod pipe;
mod pool;
mod shared;
pub mod explore;

pub use location::SourceLocation;
pub use thread::{current_thread, enumerate, JoinHandle, Panicked, Thread, ThreadInfo};
pub use lock::{Lock, LockGuard};
pub use rlock::{RLock, RLockGuard};
pub use event::Event;
pub use condition::Condition;
pub use semaphore::{OverRelease, Permit, Semaphore};
pub use barrier::Barrier;
pub use queue::{Empty, Full, Queue};
pub use joinable_queue::{JoinableQueue, TaskDoneError};
pub use pipe::{Connection, Disconnected, Pipe};
pub use pool::{AsyncResult, Pool, PoolError};
pub use shared::Shared;
pub use explore::{explore, replay, Config, Finding, FindingKind, Report, Strategy, TraceEvent};

pub use racecheck_instrument::{main, test};
