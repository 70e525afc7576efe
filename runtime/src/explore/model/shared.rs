//! `Shared<T: Copy>`: the execution's own value (so statics start every schedule from their
//! initial value) and the last accesses, checked with vector clocks: two accesses, one a write,
//! unordered by happens-before, are a data race (FastTrack-style epochs: Flanagan & Freund, PLDI
//! 2009).

use crate::explore::clock::Epoch;
use crate::explore::context::Cx;
use crate::explore::ids::{Loc, ObjectId};
use crate::explore::object::{ErasedBytes, Stamp};
use crate::explore::side_table::{Access, ObjectKind, ObjectState, SharedModel};
use crate::explore::state::RaceRecord;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AccessKind {
    Read,
    Write,
}

impl AccessKind {
    fn name(self) -> &'static str {
        match self {
            AccessKind::Read => "read",
            AccessKind::Write => "write",
        }
    }
}

impl Cx {
    fn shared_object<T: Copy>(&self, stamp: &Stamp, init: &T) -> ObjectId {
        self.object(stamp, ObjectKind::Shared, || {
            ObjectState::Shared(SharedModel {
                // SAFETY: `init` is a live `T`.
                value: unsafe { ErasedBytes::copy_of(init as *const T) },
                last_write: None,
                reads: Vec::new(),
                raced: false,
            })
        })
    }

    /// `get`: this execution's value of the `Shared` whose initial value is `init`.
    pub(crate) fn shared_get<T: Copy>(&self, stamp: &Stamp, init: &T, location: Loc) -> T {
        let id = self.shared_object(stamp, init);
        self.schedule(location);
        self.check_access(id, AccessKind::Read, location);
        let state = self.state();
        // SAFETY: the model was created from a `T` (same stamp, same `Shared<T>`).
        let value = unsafe { *state.shared(id).value.as_ptr_like(init as *const T) };
        drop(state);
        self.record("get", id, location);
        value
    }

    /// `set`.
    pub(crate) fn shared_set<T: Copy>(&self, stamp: &Stamp, init: &T, value: T, location: Loc) {
        let id = self.shared_object(stamp, init);
        self.schedule(location);
        self.check_access(id, AccessKind::Write, location);
        let state = self.state();
        // SAFETY: as in `shared_get`; `T: Copy` has no destructor to run on the old value.
        unsafe { *state.shared(id).value.as_ptr_like(init as *const T) = value };
        drop(state);
        self.record("set", id, location);
    }

    fn check_access(&self, id: ObjectId, kind: AccessKind, location: Loc) {
        let mut state = self.state();
        let me = state.current;
        state.progressed(me);
        state.changed(id);
        let clock = state.threads[me].clock.all.clone();
        let shared = state.shared(id);
        let unordered =
            |access: &Access| access.epoch.thread != me && !access.epoch.happens_before(&clock);
        let mut conflict: Option<(Access, AccessKind)> = shared
            .last_write
            .filter(unordered)
            .map(|write| (write, AccessKind::Write));
        if kind == AccessKind::Write && conflict.is_none() {
            conflict = shared
                .reads
                .iter()
                .flatten()
                .find(|read| unordered(read))
                .map(|&read| (read, AccessKind::Read));
        }
        if let (Some((earlier, earlier_kind)), false) = (conflict, shared.raced) {
            // Up to and including this access, recorded next.
            let trace_len = state.trace.len() + 1;
            state.races.push(RaceRecord {
                object: id,
                first: (earlier.epoch.thread, earlier.location, earlier_kind.name()),
                second: (me, location, kind.name()),
                trace_len,
            });
            state.shared_mut(id).raced = true;
        }
        let access = Access {
            epoch: Epoch::of(me, &clock),
            location,
        };
        let shared = state.shared_mut(id);
        match kind {
            AccessKind::Write => {
                shared.last_write = Some(access);
                shared.reads.clear();
            }
            AccessKind::Read => {
                if shared.reads.len() <= me {
                    shared.reads.resize(me + 1, None);
                }
                shared.reads[me] = Some(access);
            }
        }
    }
}
