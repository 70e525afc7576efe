//! The entries of an execution's side table: what the engine knows of each primitive it has
//! seen, one model per family, with the questions the state asks of them (can this thread take
//! the lock? is there an item?). Plain data below the state; the operations that change a model
//! are in `model/`, one file per family.

use std::collections::VecDeque;
use std::fmt;

use super::clock::{Epoch, SyncClock};
use super::ids::{Loc, ObjectId, ThreadId};
use super::object::{ErasedBytes, ErasedValue};

/// The family of a primitive, as a finding names it (`Lock#2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ObjectKind {
    Lock,
    RLock,
    Event,
    Condition,
    Semaphore,
    Barrier,
    Queue,
    Pipe,
    Shared,
}

impl fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// One entry of the side table: the model of one primitive.
pub(crate) enum ObjectState {
    Lock(LockModel),
    Event(EventModel),
    Condition(ConditionModel),
    Semaphore(SemaphoreModel),
    Barrier(BarrierModel),
    Queue(QueueModel),
    Channel(ChannelModel),
    Shared(SharedModel),
}

pub(crate) struct LockModel {
    pub(crate) holder: Option<ThreadId>,
    pub(crate) depth: u32,
    pub(crate) reentrant: bool,
    /// Where the current holder took it.
    pub(crate) taken_at: Option<Loc>,
    /// Where it was first taken in this execution: what names it in a finding.
    pub(crate) first_taken_at: Option<Loc>,
    pub(crate) clock: SyncClock,
    /// A static lock's data as this execution sees it: a bitwise copy of the static's value,
    /// dropped when the schedule is torn down (see [`State::take_static_lock_data`]).
    pub(crate) data_copy: Option<ErasedValue>,
}

impl LockModel {
    pub(crate) fn new(reentrant: bool) -> Self {
        LockModel {
            holder: None,
            depth: 0,
            reentrant,
            taken_at: None,
            first_taken_at: None,
            clock: SyncClock::default(),
            data_copy: None,
        }
    }

    pub(crate) fn available_to(&self, thread: ThreadId) -> bool {
        self.holder.is_none() || (self.reentrant && self.holder == Some(thread))
    }
}

#[derive(Default)]
pub(crate) struct EventModel {
    pub(crate) set: bool,
    /// What every `set` so far published.
    pub(crate) clock: SyncClock,
}

impl EventModel {
    pub(crate) fn is_set(&self) -> bool {
        self.set
    }
}

#[derive(Default)]
pub(crate) struct ConditionModel {
    pub(crate) waiters: VecDeque<ThreadId>,
    /// What the notifies so far published.
    pub(crate) clock: SyncClock,
    /// The lock of the first wait: a condition waited on with guards of two locks is a bug.
    pub(crate) bound_lock: Option<ObjectId>,
}

pub(crate) struct SemaphoreModel {
    pub(crate) count: usize,
    pub(crate) initial: usize,
    pub(crate) bounded: bool,
    pub(crate) clock: SyncClock,
}

impl SemaphoreModel {
    pub(crate) fn available(&self) -> bool {
        self.count > 0
    }
}

pub(crate) struct BarrierModel {
    pub(crate) parties: usize,
    pub(crate) arrived: usize,
    pub(crate) generation: u64,
    /// The clocks of the arrivals so far in this generation.
    pub(crate) clock: SyncClock,
    pub(crate) released: VecDeque<(u64, SyncClock)>,
}

impl BarrierModel {
    pub(crate) fn released(&self, generation: u64) -> bool {
        self.generation > generation
    }

    pub(crate) fn parties(&self) -> usize {
        self.parties
    }
}

pub(crate) struct QueueModel {
    pub(crate) capacity: Option<usize>,
    /// One clock per item, in queue order.
    pub(crate) items: VecDeque<SyncClock>,
    pub(crate) unfinished: usize,
    pub(crate) done_clock: SyncClock,
}

impl QueueModel {
    pub(crate) fn has_item(&self) -> bool {
        !self.items.is_empty()
    }

    pub(crate) fn has_room(&self) -> bool {
        self.capacity
            .is_none_or(|capacity| self.items.len() < capacity)
    }

    pub(crate) fn all_done(&self) -> bool {
        self.unfinished == 0
    }

    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }
}

#[derive(Default)]
pub(crate) struct ChannelModel {
    pub(crate) messages: VecDeque<SyncClock>,
    pub(crate) sender_gone: bool,
    pub(crate) receiver_gone: bool,
}

impl ChannelModel {
    /// Whether `recv` would return now: a message, or the news that none will come.
    pub(crate) fn readable(&self) -> bool {
        !self.messages.is_empty() || self.sender_gone
    }
}

/// One access to a `Shared`: who and when (the thread's epoch), and where.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Access {
    pub(crate) epoch: Epoch,
    pub(crate) location: Loc,
}

pub(crate) struct SharedModel {
    pub(crate) value: ErasedBytes,
    pub(crate) last_write: Option<Access>,
    /// The last read of each thread since the last write, by thread id.
    pub(crate) reads: Vec<Option<Access>>,
    /// One race per `Shared` per schedule is enough to report it.
    pub(crate) raced: bool,
}
