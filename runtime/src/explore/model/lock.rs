//! `Lock` and `RLock`: a holder, a reentrancy depth for `RLock`, the clock released into the lock
//! (release -> acquire is happens-before), and for a static lock the execution's own copy of its
//! data.

use super::Patience;
use crate::explore::clock::{Epoch, Order};
use crate::explore::context::Cx;
use crate::explore::ids::{HeldLock, Loc, ObjectId, WaitFor};
use crate::explore::object::{is_static_address, ErasedValue, Stamp};
use crate::explore::side_table::{LockModel, ObjectKind, ObjectState};

fn kind(reentrant: bool) -> ObjectKind {
    if reentrant {
        ObjectKind::RLock
    } else {
        ObjectKind::Lock
    }
}

impl Cx {
    fn lock_object(&self, stamp: &Stamp, reentrant: bool) -> ObjectId {
        self.object(stamp, kind(reentrant), || {
            ObjectState::Lock(LockModel::new(reentrant))
        })
    }

    /// `acquire` (`Forever`), `try_acquire` (`Never`) or `acquire_timeout` (`Timeout`): whether
    /// the calling thread now holds the lock.
    pub(crate) fn lock_acquire(
        &self,
        stamp: &Stamp,
        reentrant: bool,
        patience: Patience,
        location: Loc,
    ) -> bool {
        let id = self.lock_object(stamp, reentrant);
        self.schedule_before_wait(WaitFor::Lock(id), patience, location);
        if patience == Patience::Forever {
            let mut state = self.state();
            let me = state.current;
            // Re-taking a lock it holds adds no order (an RLock) or deadlocks on the spot (a Lock).
            if state.lock(id).holder != Some(me) {
                let state = &mut *state;
                let thread = &state.threads[me];
                let request = Epoch::of(me, &thread.clock.necessary);
                state
                    .lock_order
                    .add(me, &thread.held, id, location, request);
            }
        }
        let mut blocked = false;
        loop {
            if self.take_lock(id, location) {
                let verb = match (patience, blocked) {
                    (Patience::Never, _) => "try_acquire",
                    (_, false) => "acquire",
                    (_, true) => "acquire (woken)",
                };
                self.record(verb, id, location);
                return true;
            }
            if patience == Patience::Forever && !blocked {
                self.record("acquire (blocks)", id, location);
            }
            blocked = true;
            if !self.wait_for(WaitFor::Lock(id), patience, location) {
                let verb = if patience == Patience::Never {
                    "try_acquire -> busy"
                } else {
                    "acquire_timeout -> timed out"
                };
                self.record(verb, id, location);
                let mut state = self.state();
                let me = state.current;
                state.polled(me, Some(id), false);
                return false;
            }
        }
    }

    /// Takes the lock if it is free (or already the caller's, for an `RLock`).
    fn take_lock(&self, id: ObjectId, location: Loc) -> bool {
        let mut state = self.state();
        let me = state.current;
        if !state.lock(id).available_to(me) {
            return false;
        }
        let lock = state.lock_mut(id);
        lock.holder = Some(me);
        lock.depth += 1;
        if lock.depth == 1 {
            lock.taken_at = Some(location);
            lock.first_taken_at.get_or_insert(location);
            let (thread, ObjectState::Lock(lock)) = state.thread_and_object(me, id) else {
                unreachable!("object {id} is a lock")
            };
            thread.clock.join(&lock.clock);
            // The clock of the lock it released last, reused: taking a lock does not allocate.
            let mut since = std::mem::take(&mut thread.spare_clock);
            since.copy_from(&thread.clock.necessary);
            thread.held.push(HeldLock {
                lock: id,
                taken_at: location,
                since,
            });
        }
        state.progressed(me);
        state.changed(id);
        true
    }

    pub(crate) fn lock_release(&self, stamp: &Stamp, reentrant: bool, location: Loc) {
        let id = self.lock_object(stamp, reentrant);
        self.schedule(location);
        self.release_lock(id, location);
    }

    fn release_lock(&self, id: ObjectId, location: Loc) {
        let mut state = self.state();
        let me = state.current;
        let lock = state.lock_mut(id);
        if lock.holder != Some(me) || lock.depth == 0 {
            // Only a guard releases, and only its holder has a guard; a torn-down schedule may
            // still drop guards of a thread that is not the current one.
            return;
        }
        lock.depth -= 1;
        if lock.depth == 0 {
            lock.holder = None;
            lock.taken_at = None;
            let (thread, ObjectState::Lock(lock)) = state.thread_and_object(me, id) else {
                unreachable!("object {id} is a lock")
            };
            lock.clock.join_handed_on(&thread.clock, Order::Contingent);
            thread.clock.tick(me);
            if let Some(at) = thread.held.iter().position(|held| held.lock == id) {
                thread.spare_clock = thread.held.remove(at).since;
            }
            state.changed(id);
        }
        state.progressed(me);
        state.record(
            me,
            "release",
            crate::explore::trace::Target::Object(id),
            location,
        );
    }

    /// Lets go of every lock the calling thread still holds once it was stopped (its guards'
    /// destructors ran as it unwound; these are held past them, by a forgotten guard): the
    /// server of a process's lock lets go of what a killed holder held, and so does the engine.
    pub(crate) fn let_go_of_held_locks(&self) {
        let (held, location) = {
            let state = self.state();
            let me = state.current;
            let thread = &state.threads[me];
            let held: Vec<ObjectId> = thread.held.iter().map(|held| held.lock).collect();
            (held, thread.stop_requested)
        };
        let Some(location) = location else { return };
        for id in held {
            self.state().lock_mut(id).depth = 1;
            self.release_lock(id, location);
        }
    }

    /// `locked()`: a poll.
    pub(crate) fn lock_locked(&self, stamp: &Stamp, reentrant: bool, location: Loc) -> bool {
        let id = self.lock_object(stamp, reentrant);
        self.schedule(location);
        let mut state = self.state();
        let me = state.current;
        let locked = state.lock(id).holder.is_some();
        state.polled(me, Some(id), !locked);
        state.record(
            me,
            if locked {
                "locked -> true"
            } else {
                "locked -> false"
            },
            crate::explore::trace::Target::Object(id),
            location,
        );
        locked
    }

    /// Where the data of the lock behind `stamp` lives in this execution: in the lock itself,
    /// or, for a static lock, in the execution's own copy of it.
    pub(crate) fn lock_data<T: ?Sized>(
        &self,
        stamp: &Stamp,
        reentrant: bool,
        data: *mut T,
    ) -> *mut T {
        if !is_static_address(stamp.key()) {
            return data;
        }
        let id = self.lock_object(stamp, reentrant);
        let mut state = self.state();
        let lock = state.lock_mut(id);
        if let Some(copy) = &lock.data_copy {
            return copy.as_ptr_like(data);
        }
        if stamp.used_for_real() && std::mem::needs_drop::<T>() {
            drop(state);
            self.usage_error(format!(
                "racecheck: this static {} was used outside exploration and its data ({}) may own heap \
                 memory, so explored schedules cannot start from a copy of it; explore before using it \
                 for real, or keep its data free of owned memory",
                kind(reentrant),
                std::any::type_name::<T>()
            ));
        }
        // SAFETY: `data` is the static's value; under exploration only this execution's copy is
        // written, and the static itself is only read here. Dropping the copy is sound: unless
        // refused above, the static holds its const initializer's value, which owns no heap
        // memory (or needs no drop at all), so whatever the copy owns when it is dropped was
        // allocated by this schedule.
        let copy = unsafe { ErasedValue::copy_of(data.cast_const()) };
        let typed = copy.as_ptr_like(data);
        lock.data_copy = Some(copy);
        typed
    }

    /// `Condition.wait` gives the lock up completely and takes it back afterwards.
    pub(crate) fn release_for_wait(&self, id: ObjectId, location: Loc) {
        self.release_lock(id, location);
    }

    /// Takes `id` back after a condition wait, blocking while another thread holds it.
    pub(crate) fn reacquire_after_wait(&self, id: ObjectId, location: Loc) {
        while !self.take_lock(id, location) {
            self.wait_for(WaitFor::Lock(id), Patience::Forever, location);
        }
        self.record("acquire (after wait)", id, location);
    }

    pub(crate) fn lock_id(&self, stamp: &Stamp) -> ObjectId {
        self.lock_object(stamp, false)
    }
}
