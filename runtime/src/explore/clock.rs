//! Vector clocks (Lamport 1978; Mattern 1989): the happens-before order between the operations
//! of one schedule, one entry per logical thread.

/// A vector clock; missing entries are zero, so clocks of threads spawned later stay short.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct VectorClock(Vec<u32>);

impl VectorClock {
    pub(crate) fn get(&self, thread: usize) -> u32 {
        self.0.get(thread).copied().unwrap_or(0)
    }

    /// Advances this thread's own entry: what it does next is after everything so far.
    pub(crate) fn tick(&mut self, thread: usize) {
        if self.0.len() <= thread {
            self.0.resize(thread + 1, 0);
        }
        self.0[thread] += 1;
    }

    /// Becomes a copy of `other`, in the memory it already has.
    pub(crate) fn copy_from(&mut self, other: &VectorClock) {
        self.0.clone_from(&other.0);
    }

    /// Pointwise maximum: after this, `self` knows everything `other` knows.
    pub(crate) fn join(&mut self, other: &VectorClock) {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (mine, &theirs) in self.0.iter_mut().zip(&other.0) {
            *mine = (*mine).max(theirs);
        }
    }
}

/// Whether a synchronisation could have gone the other way in another schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    /// Lock and semaphore release -> acquire: another schedule may run the two sides the other
    /// way round.
    Contingent,
    /// Spawn, join, set -> wait, put -> get, send -> recv, notify -> wake, barrier: the second
    /// side waits for the first in every schedule.
    Necessary,
}

/// What a thread knows, and what synchronisation hands on: the full happens-before clock (for
/// data races), and the part of it made of necessary orderings only (for lock-order cycles, which
/// count only if no schedule-independent ordering separates their edges).
#[derive(Debug, Clone, Default)]
pub(crate) struct SyncClock {
    pub(crate) all: VectorClock,
    pub(crate) necessary: VectorClock,
}

impl SyncClock {
    pub(crate) fn tick(&mut self, thread: usize) {
        self.all.tick(thread);
        self.necessary.tick(thread);
    }

    pub(crate) fn join(&mut self, other: &SyncClock) {
        self.all.join(&other.all);
        self.necessary.join(&other.necessary);
    }

    /// Takes in what a release of the given order hands on from a thread knowing `from`: the
    /// same as joining [`SyncClock::handed_on`], without the copy.
    pub(crate) fn join_handed_on(&mut self, from: &SyncClock, order: Order) {
        self.all.join(&from.all);
        if order == Order::Necessary {
            self.necessary.join(&from.necessary);
        }
    }

    /// What a release of the given order hands on from a thread knowing `self`.
    pub(crate) fn handed_on(&self, order: Order) -> SyncClock {
        match order {
            Order::Necessary => self.clone(),
            Order::Contingent => SyncClock {
                all: self.all.clone(),
                necessary: VectorClock::default(),
            },
        }
    }
}

/// One thread's position in its own history: enough to ask "does that clock know about it?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Epoch {
    pub(crate) thread: usize,
    pub(crate) time: u32,
}

impl Epoch {
    pub(crate) fn of(thread: usize, clock: &VectorClock) -> Self {
        Epoch {
            thread,
            time: clock.get(thread),
        }
    }

    /// Whether the operation at this epoch happens before whatever owns `clock`.
    pub(crate) fn happens_before(self, clock: &VectorClock) -> bool {
        self.time <= clock.get(self.thread)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_orders_and_concurrency_does_not() {
        let mut a = VectorClock::default();
        let mut b = VectorClock::default();
        a.tick(0);
        b.tick(1);
        let write = Epoch::of(0, &a);
        assert!(
            !write.happens_before(&b),
            "unsynchronised threads are concurrent"
        );
        b.join(&a);
        assert!(write.happens_before(&b));
        a.tick(0);
        assert!(
            !Epoch::of(0, &a).happens_before(&b),
            "later work is not covered by an old join"
        );
        assert_eq!(b.get(5), 0);
    }

    #[test]
    fn contingent_orderings_are_not_necessary_ones() {
        let mut lock_holder = SyncClock::default();
        lock_holder.tick(0);
        let mut next_holder = SyncClock::default();
        next_holder.tick(1);
        next_holder.join(&lock_holder.handed_on(Order::Contingent));
        assert!(Epoch::of(0, &lock_holder.all).happens_before(&next_holder.all));
        assert!(!Epoch::of(0, &lock_holder.necessary).happens_before(&next_holder.necessary));
        next_holder.join(&lock_holder.handed_on(Order::Necessary));
        assert!(Epoch::of(0, &lock_holder.necessary).happens_before(&next_holder.necessary));
    }
}
