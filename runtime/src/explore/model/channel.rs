//! One direction of a `Pipe`: messages in flight with their clocks (send -> recv is
//! happens-before), and whether either end is gone. As for queues, the messages themselves stay
//! in the pipe's own storage.

use super::Patience;
use crate::explore::clock::{Order, SyncClock};
use crate::explore::context::Cx;
use crate::explore::ids::{Loc, ObjectId, WaitFor};
use crate::explore::object::Stamp;
use crate::explore::side_table::{ChannelModel, ObjectKind, ObjectState};

/// Which end of a channel went away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChannelEnd {
    Sender,
    Receiver,
}

impl Cx {
    /// `pending` counts messages already in the storage at the channel's first use.
    fn channel_object(&self, stamp: &Stamp, pending: usize) -> ObjectId {
        self.object(stamp, ObjectKind::Pipe, || {
            ObjectState::Channel(ChannelModel {
                messages: (0..pending).map(|_| SyncClock::default()).collect(),
                ..ChannelModel::default()
            })
        })
    }

    /// `send`: `false` when the receiving end is gone.
    pub(crate) fn channel_send(&self, stamp: &Stamp, pending: usize, location: Loc) -> bool {
        let id = self.channel_object(stamp, pending);
        self.schedule(location);
        let mut state = self.state();
        let me = state.current;
        if state.channel(id).receiver_gone {
            drop(state);
            self.record("send -> disconnected", id, location);
            return false;
        }
        let clock = state.publish(me, Order::Necessary);
        state.channel_mut(id).messages.push_back(clock);
        state.progressed(me);
        state.changed(id);
        drop(state);
        self.record("send", id, location);
        true
    }

    /// `recv`: `true` when the caller may now take a message, `false` when none will ever come.
    pub(crate) fn channel_recv(&self, stamp: &Stamp, pending: usize, location: Loc) -> bool {
        let id = self.channel_object(stamp, pending);
        self.schedule(location);
        if !self.state().channel(id).readable() {
            self.record("recv (blocks)", id, location);
        }
        self.wait_for(WaitFor::Message(id), Patience::Forever, location);
        let mut state = self.state();
        let me = state.current;
        let Some(clock) = state.channel_mut(id).messages.pop_front() else {
            drop(state);
            self.record("recv -> disconnected", id, location);
            return false;
        };
        state.learn(me, &clock);
        state.progressed(me);
        state.changed(id);
        drop(state);
        self.record("recv", id, location);
        true
    }

    /// `poll(d)`: whether `recv` would return now; with `wait`, it may first wait for a message
    /// until the timeout fires.
    pub(crate) fn channel_poll(
        &self,
        stamp: &Stamp,
        pending: usize,
        wait: bool,
        location: Loc,
    ) -> bool {
        let id = self.channel_object(stamp, pending);
        self.schedule(location);
        let patience = if wait {
            Patience::Timeout
        } else {
            Patience::Never
        };
        let ready = self.wait_for(WaitFor::Message(id), patience, location);
        let mut state = self.state();
        let me = state.current;
        state.polled(me, Some(id), ready);
        drop(state);
        self.record(
            if ready {
                "poll -> true"
            } else {
                "poll -> false"
            },
            id,
            location,
        );
        ready
    }

    /// One end of the channel was dropped: not an operation of the program's, so neither a
    /// scheduling point nor a trace event, but it wakes a receiver waiting for a message.
    pub(crate) fn channel_close(&self, stamp: &Stamp, pending: usize, end: ChannelEnd) {
        let id = self.channel_object(stamp, pending);
        let mut state = self.state();
        let channel = state.channel_mut(id);
        match end {
            ChannelEnd::Sender => channel.sender_gone = true,
            ChannelEnd::Receiver => channel.receiver_gone = true,
        }
        state.changed(id);
    }
}
