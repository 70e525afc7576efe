//! `Event`: a flag; `set -> wait` returning is happens-before.

use super::Patience;
use crate::explore::clock::Order;
use crate::explore::context::Cx;
use crate::explore::ids::{Loc, ObjectId, WaitFor};
use crate::explore::object::Stamp;
use crate::explore::side_table::{EventModel, ObjectKind, ObjectState};

impl Cx {
    fn event_object(&self, stamp: &Stamp) -> ObjectId {
        self.object(stamp, ObjectKind::Event, || {
            ObjectState::Event(EventModel::default())
        })
    }

    pub(crate) fn event_set(&self, stamp: &Stamp, location: Loc) {
        let id = self.event_object(stamp);
        self.schedule(location);
        let mut state = self.state();
        let me = state.current;
        let clock = state.publish(me, Order::Necessary);
        let event = state.event_mut(id);
        event.set = true;
        event.clock.join(&clock);
        state.progressed(me);
        state.changed(id);
        drop(state);
        self.record("set", id, location);
    }

    pub(crate) fn event_clear(&self, stamp: &Stamp, location: Loc) {
        let id = self.event_object(stamp);
        self.schedule(location);
        let mut state = self.state();
        let me = state.current;
        state.event_mut(id).set = false;
        state.progressed(me);
        state.changed(id);
        drop(state);
        self.record("clear", id, location);
    }

    /// `is_set()`: a poll.
    pub(crate) fn event_is_set(&self, stamp: &Stamp, location: Loc) -> bool {
        let id = self.event_object(stamp);
        self.schedule(location);
        let mut state = self.state();
        let me = state.current;
        let set = state.event(id).set;
        if set {
            let published = state.event(id).clock.clone();
            state.learn(me, &published);
        }
        state.polled(me, Some(id), set);
        drop(state);
        self.record(
            if set {
                "is_set -> true"
            } else {
                "is_set -> false"
            },
            id,
            location,
        );
        set
    }

    /// `wait` (`Forever`) or `wait_timeout` (`Timeout`): whether the event was set.
    pub(crate) fn event_wait(&self, stamp: &Stamp, patience: Patience, location: Loc) -> bool {
        let id = self.event_object(stamp);
        self.schedule_before_wait(WaitFor::Event(id), patience, location);
        let set = self.wait_for(WaitFor::Event(id), patience, location);
        let mut state = self.state();
        let me = state.current;
        if set {
            let published = state.event(id).clock.clone();
            state.learn(me, &published);
            state.progressed(me);
        } else {
            state.polled(me, Some(id), false);
        }
        drop(state);
        self.record(
            if set {
                "wait"
            } else {
                "wait_timeout -> timed out"
            },
            id,
            location,
        );
        set
    }
}
