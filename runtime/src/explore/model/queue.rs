//! `Queue` and `JoinableQueue`: the model counts items and carries each item's clock (put -> get
//! is happens-before); the items themselves stay in the queue's own storage, which the primitive
//! updates right after the model lets an operation through. For a joinable queue, the unfinished
//! count and the clocks of `task_done` (task_done -> join is happens-before).

use std::collections::VecDeque;

use super::{ObjectKind, ObjectState, Patience};
use crate::explore::clock::{Order, SyncClock};
use crate::explore::context::Cx;
use crate::explore::object::Stamp;
use crate::explore::state::{Loc, ObjectId, WaitFor};

/// What the model starts from at the queue's first use in an execution.
#[derive(Debug, Clone, Copy)]
pub(crate) struct QueueInit {
    pub(crate) capacity: Option<usize>,
    /// Items already in the storage (put before exploration).
    pub(crate) len: usize,
}

pub(crate) struct QueueModel {
    pub(crate) capacity: Option<usize>,
    /// One clock per item, in queue order.
    items: VecDeque<SyncClock>,
    pub(crate) unfinished: usize,
    done_clock: SyncClock,
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

impl Cx {
    fn queue_object(&self, stamp: &Stamp, init: QueueInit) -> ObjectId {
        self.object(stamp, ObjectKind::Queue, || {
            ObjectState::Queue(QueueModel {
                capacity: init.capacity,
                items: (0..init.len).map(|_| SyncClock::default()).collect(),
                unfinished: init.len,
                done_clock: SyncClock::default(),
            })
        })
    }

    /// `put`, `try_put` or `put_timeout`: `true` when the caller may now push its item.
    pub(crate) fn queue_put(
        &self,
        stamp: &Stamp,
        init: QueueInit,
        patience: Patience,
        location: Loc,
    ) -> bool {
        let id = self.queue_object(stamp, init);
        self.schedule_before_wait(WaitFor::QueueRoom(id), patience, location);
        let mut blocked = false;
        loop {
            {
                let mut state = self.state();
                let me = state.current;
                if state.queue(id).has_room() {
                    let clock = state.publish(me, Order::Necessary);
                    let queue = state.queue_mut(id);
                    queue.items.push_back(clock);
                    queue.unfinished += 1;
                    state.progressed(me);
                    state.changed(id);
                    drop(state);
                    self.record(if blocked { "put (woken)" } else { "put" }, id, location);
                    return true;
                }
            }
            if patience == Patience::Forever && !blocked {
                self.record("put (full, blocks)", id, location);
            }
            blocked = true;
            if !self.wait_for(WaitFor::QueueRoom(id), patience, location) {
                let mut state = self.state();
                let me = state.current;
                state.polled(me, Some(id), false);
                drop(state);
                self.record(
                    if patience == Patience::Never {
                        "try_put -> full"
                    } else {
                        "put_timeout -> full"
                    },
                    id,
                    location,
                );
                return false;
            }
        }
    }

    /// `get`, `try_get` or `get_timeout`: `true` when the caller may now pop an item.
    pub(crate) fn queue_get(
        &self,
        stamp: &Stamp,
        init: QueueInit,
        patience: Patience,
        location: Loc,
    ) -> bool {
        let id = self.queue_object(stamp, init);
        self.schedule_before_wait(WaitFor::QueueItem(id), patience, location);
        let mut blocked = false;
        loop {
            {
                let mut state = self.state();
                let me = state.current;
                if let Some(clock) = state.queue_mut(id).items.pop_front() {
                    state.learn(me, &clock);
                    state.progressed(me);
                    state.changed(id);
                    drop(state);
                    self.record(if blocked { "get (woken)" } else { "get" }, id, location);
                    return true;
                }
            }
            if patience == Patience::Forever && !blocked {
                self.record("get (empty, blocks)", id, location);
            }
            blocked = true;
            if !self.wait_for(WaitFor::QueueItem(id), patience, location) {
                let mut state = self.state();
                let me = state.current;
                state.polled(me, Some(id), false);
                drop(state);
                self.record(
                    if patience == Patience::Never {
                        "try_get -> empty"
                    } else {
                        "get_timeout -> empty"
                    },
                    id,
                    location,
                );
                return false;
            }
        }
    }

    /// `len` / `is_empty`: a poll.
    pub(crate) fn queue_len(&self, stamp: &Stamp, init: QueueInit, location: Loc) -> usize {
        let id = self.queue_object(stamp, init);
        self.schedule(location);
        let mut state = self.state();
        let me = state.current;
        let len = state.queue(id).len();
        state.polled(me, Some(id), false);
        drop(state);
        self.record("len", id, location);
        len
    }

    /// `task_done`: `Err(())` when called more often than items were put.
    pub(crate) fn queue_task_done(
        &self,
        stamp: &Stamp,
        init: QueueInit,
        location: Loc,
    ) -> Result<(), ()> {
        let id = self.queue_object(stamp, init);
        self.schedule(location);
        let mut state = self.state();
        let me = state.current;
        if state.queue(id).unfinished == 0 {
            drop(state);
            self.record("task_done -> too many", id, location);
            return Err(());
        }
        let clock = state.publish(me, Order::Necessary);
        let queue = state.queue_mut(id);
        queue.unfinished -= 1;
        queue.done_clock.join(&clock);
        state.progressed(me);
        state.changed(id);
        drop(state);
        self.record("task_done", id, location);
        Ok(())
    }

    /// `join` on a joinable queue: blocks until every item put was marked done.
    pub(crate) fn queue_join(&self, stamp: &Stamp, init: QueueInit, location: Loc) {
        let id = self.queue_object(stamp, init);
        self.schedule(location);
        if !self.state().queue(id).all_done() {
            self.record("join (blocks)", id, location);
        }
        self.wait_for(WaitFor::QueueDone(id), Patience::Forever, location);
        let mut state = self.state();
        let me = state.current;
        let done = state.queue(id).done_clock.clone();
        state.learn(me, &done);
        state.progressed(me);
        drop(state);
        self.record("join", id, location);
    }
}
