//! `Condition`: waiters in arrival order; `notify -> wake` is happens-before. A wait gives its
//! lock up and takes it back before returning.

use super::Patience;
use crate::explore::clock::Order;
use crate::explore::context::Cx;
use crate::explore::ids::{Loc, ObjectId, ThreadId, WaitFor};
use crate::explore::object::Stamp;
use crate::explore::side_table::{ConditionModel, ObjectKind, ObjectState};

/// A wait wakes up without a notify once in this many, as the platform allows (Python's and
/// Rust's condition variables both warn of it): code that does not re-check its predicate in a
/// loop shows its bug.
const SPURIOUS_ONE_IN: usize = 8;

impl Cx {
    fn condition_object(&self, stamp: &Stamp) -> ObjectId {
        self.object(stamp, ObjectKind::Condition, || {
            ObjectState::Condition(ConditionModel::default())
        })
    }

    /// Binds the condition to `lock` on its first wait, as a real `Condition` does: `false` if it
    /// is bound to another lock (the caller panics at the user's wait). The binding lives in this
    /// execution's side table, so a heap lock of one schedule never meets another schedule's.
    pub(crate) fn condition_binds(&self, stamp: &Stamp, lock: &Stamp) -> bool {
        let id = self.condition_object(stamp);
        let lock = self.lock_id(lock);
        let mut state = self.state();
        *state.condition_mut(id).bound_lock.get_or_insert(lock) == lock
    }

    /// `wait` (`Forever`) or `wait_timeout` (`Timeout`) with the lock behind `lock` held:
    /// `true` if woken (by a notify, or spuriously), `false` if timed out. The lock is held again
    /// on return either way.
    pub(crate) fn condition_wait(
        &self,
        stamp: &Stamp,
        lock: &Stamp,
        patience: Patience,
        location: Loc,
    ) -> bool {
        let id = self.condition_object(stamp);
        let lock = self.lock_id(lock);
        self.schedule(location);
        {
            let mut state = self.state();
            let me = state.current;
            state.threads[me].notified = false;
            state.condition_mut(id).waiters.push_back(me);
        }
        self.record("wait (releases the lock)", id, location);
        self.release_for_wait(lock, location);
        let spurious = patience != Patience::Never && self.state().choose(SPURIOUS_ONE_IN) == 0;
        let notified = spurious || self.wait_for(WaitFor::Notify(id), patience, location);
        {
            let mut state = self.state();
            let me = state.current;
            state.threads[me].notified = false;
            state
                .condition_mut(id)
                .waiters
                .retain(|&waiter| waiter != me);
            if spurious || !notified {
                state.polled(me, Some(id), false);
            } else {
                let published = state.condition(id).clock.clone();
                state.learn(me, &published);
            }
        }
        let verb = match (spurious, notified) {
            (true, _) => "wait (spurious wakeup)",
            (false, true) => "wait (notified)",
            (false, false) => "wait_timeout -> timed out",
        };
        self.record(verb, id, location);
        self.reacquire_after_wait(lock, location);
        notified
    }

    /// `notify` (`all == false`: the longest waiter) or `notify_all`.
    pub(crate) fn condition_notify(&self, stamp: &Stamp, all: bool, location: Loc) {
        let id = self.condition_object(stamp);
        self.schedule(location);
        let mut state = self.state();
        let me = state.current;
        let clock = state.publish(me, Order::Necessary);
        let condition = state.condition_mut(id);
        condition.clock.join(&clock);
        let woken: Vec<ThreadId> = if all {
            condition.waiters.drain(..).collect()
        } else {
            condition.waiters.pop_front().into_iter().collect()
        };
        for thread in woken {
            state.threads[thread].notified = true;
        }
        state.progressed(me);
        drop(state);
        self.record(if all { "notify_all" } else { "notify" }, id, location);
    }
}
