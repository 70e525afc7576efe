//! `Queue` and `JoinableQueue`: the model counts items and carries each item's clock (put -> get
//! is happens-before); the items themselves stay in the queue's own storage, which the primitive
//! updates right after the model lets an operation through. For a joinable queue, the unfinished
//! count and the clocks of `task_done` (task_done -> join is happens-before).

use super::{Patience, WaitVerbs};
use crate::explore::clock::{Order, SyncClock};
use crate::explore::context::Cx;
use crate::explore::ids::{Loc, ObjectId, WaitFor};
use crate::explore::object::Stamp;
use crate::explore::side_table::{ObjectKind, ObjectState, QueueModel};

/// What the model starts from at the queue's first use in an execution.
#[derive(Debug, Clone, Copy)]
pub(crate) struct QueueInit {
    pub(crate) capacity: Option<usize>,
    /// Items already in the storage (put before exploration).
    pub(crate) len: usize,
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
        let verbs = WaitVerbs {
            done: "put",
            woken: "put (woken)",
            blocks: Some("put (full, blocks)"),
            tried: "try_put -> full",
            timed_out: "put_timeout -> full",
        };
        self.block_until(
            id,
            WaitFor::QueueRoom(id),
            patience,
            location,
            &verbs,
            |state, me| {
                if !state.queue(id).has_room() {
                    return false;
                }
                let clock = state.publish(me, Order::Necessary);
                let queue = state.queue_mut(id);
                queue.items.push_back(clock);
                queue.unfinished += 1;
                true
            },
        )
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
        let verbs = WaitVerbs {
            done: "get",
            woken: "get (woken)",
            blocks: Some("get (empty, blocks)"),
            tried: "try_get -> empty",
            timed_out: "get_timeout -> empty",
        };
        self.block_until(
            id,
            WaitFor::QueueItem(id),
            patience,
            location,
            &verbs,
            |state, me| {
                let Some(clock) = state.queue_mut(id).items.pop_front() else {
                    return false;
                };
                state.learn(me, &clock);
                true
            },
        )
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
