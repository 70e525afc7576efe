//! The engine's vocabulary: how it names threads, objects, source locations and what a blocked
//! thread waits for. A leaf below every other engine module (it needs only vector clocks), so
//! the scheduler, the detectors, the trace and the state share these names without importing
//! each other.

use std::panic::Location;

use super::clock::VectorClock;

/// A logical thread: its index among the threads of one execution, in creation order.
pub(crate) type ThreadId = usize;

/// A primitive: its index in the execution's side table, in order of first use.
pub(crate) type ObjectId = usize;

/// Where an operation was called (the user's `#[track_caller]` location).
pub(crate) type Loc = &'static Location<'static>;

/// The thread that runs the explored body.
pub(crate) const MAIN_THREAD: ThreadId = 0;

/// What a blocked thread waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WaitFor {
    /// To take a lock (or re-take it, for an `RLock` it holds).
    Lock(ObjectId),
    Event(ObjectId),
    /// A notify on a condition variable.
    Notify(ObjectId),
    Permit(ObjectId),
    /// The given generation of a barrier to be released.
    Barrier(ObjectId, u64),
    QueueItem(ObjectId),
    QueueRoom(ObjectId),
    /// Every item of a joinable queue to be marked done.
    QueueDone(ObjectId),
    /// A message (or the other end closing) on one direction of a pipe.
    Message(ObjectId),
    Join(ThreadId),
}

/// A lock a thread holds.
#[derive(Debug, Clone)]
pub(crate) struct HeldLock {
    pub(crate) lock: ObjectId,
    pub(crate) taken_at: Loc,
    /// The holder's necessary-order clock when it took the lock.
    pub(crate) since: VectorClock,
}
