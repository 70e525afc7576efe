//! `Semaphore` and its bounded variant: a count; `release -> acquire` is happens-before.

use super::{Patience, WaitVerbs};
use crate::explore::clock::{Order, SyncClock};
use crate::explore::context::Cx;
use crate::explore::ids::{Loc, ObjectId, WaitFor};
use crate::explore::object::Stamp;
use crate::explore::side_table::{ObjectKind, ObjectState, SemaphoreModel};

impl Cx {
    fn semaphore_object(&self, stamp: &Stamp, initial: usize, bounded: bool) -> ObjectId {
        self.object(stamp, ObjectKind::Semaphore, || {
            ObjectState::Semaphore(SemaphoreModel {
                count: initial,
                initial,
                bounded,
                clock: SyncClock::default(),
            })
        })
    }

    /// `acquire`, `try_acquire` or `acquire_timeout`: whether a permit was taken.
    pub(crate) fn semaphore_acquire(
        &self,
        stamp: &Stamp,
        initial: usize,
        bounded: bool,
        patience: Patience,
        location: Loc,
    ) -> bool {
        let id = self.semaphore_object(stamp, initial, bounded);
        let verbs = WaitVerbs {
            done: "acquire",
            woken: "acquire",
            blocks: None,
            tried: "try_acquire -> none",
            timed_out: "acquire_timeout -> timed out",
        };
        self.block_until(
            id,
            WaitFor::Permit(id),
            patience,
            location,
            &verbs,
            |state, me| {
                if !state.semaphore(id).available() {
                    return false;
                }
                let semaphore = state.semaphore_mut(id);
                semaphore.count -= 1;
                let published = semaphore.clock.clone();
                state.learn(me, &published);
                true
            },
        )
    }

    /// `release`: `Err(())` when a bounded semaphore would exceed its initial count.
    pub(crate) fn semaphore_release(
        &self,
        stamp: &Stamp,
        initial: usize,
        bounded: bool,
        location: Loc,
    ) -> Result<(), ()> {
        let id = self.semaphore_object(stamp, initial, bounded);
        self.schedule(location);
        let mut state = self.state();
        let me = state.current;
        let semaphore = state.semaphore(id);
        if semaphore.bounded && semaphore.count >= semaphore.initial {
            drop(state);
            self.record("release -> over-release", id, location);
            return Err(());
        }
        let clock = state.publish(me, Order::Contingent);
        let semaphore = state.semaphore_mut(id);
        semaphore.count += 1;
        semaphore.clock.join(&clock);
        state.progressed(me);
        state.changed(id);
        drop(state);
        self.record("release", id, location);
        Ok(())
    }
}
